package technician

import (
	"errors"
	"os"
	"syscall"

	"fyne.io/fyne/v2/lang"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/provision"
)

// Errors of EnvService that the screen explains.
var (
	ErrFolder  = errors.New("backup folder cannot be used")
	ErrKey     = errors.New("key cannot be read")
	ErrNeedKey = errors.New("a signing key is needed")
)

// message is the plain-words explanation of err (the technical detail
// follows on the next line, for a support request).
func message(err error) string {
	key := "tech.err.other"
	for _, m := range []struct {
		err error
		key string
	}{
		{ErrFolder, "tech.err.folder"},
		{ErrKey, "tech.err.key"},
		{ErrNeedKey, "tech.err.needkey"},
		{syscall.ENOSPC, "tech.err.nospace"},
		{os.ErrPermission, "tech.err.permission"},
		{backup.ErrNotEmpty, "tech.err.notempty"},
		{backup.ErrDamaged, "tech.err.damaged"},
		{backup.ErrFormat, "tech.err.notbackup"},
		{backup.ErrSourceBad, "tech.err.sourcebad"},
		{backup.ErrNoData, "tech.err.nodata"},
		{provision.ErrSignature, "tech.err.signature"},
		{provision.ErrUntrusted, "tech.err.untrusted"},
		{provision.ErrUnsigned, "tech.err.unsigned"},
		{provision.ErrChecksum, "tech.err.checksum"},
		{provision.ErrFormat, "tech.err.notbundle"},
		{provision.ErrInvalid, "tech.err.invalidbundle"},
		{wire.ErrOtherOffice, "tech.err.otheroffice"},
		{wire.ErrSlotChange, "tech.err.slotchange"},
		{os.ErrNotExist, "tech.err.notfound"},
	} {
		if errors.Is(err, m.err) {
			key = m.key
			break
		}
	}
	return lang.L(key) + "\n(" + err.Error() + ")"
}
