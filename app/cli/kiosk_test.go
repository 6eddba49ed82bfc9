package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
)

func TestKioskPINSetsTheSerialScannerAndRefusesABadOne(t *testing.T) {
	ctx := context.Background()
	env, err := wire.Open(ctx, filepath.Join(t.TempDir(), "d"), wire.Options{
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	var out, errOut bytes.Buffer
	if code := cli.KioskPIN(ctx, []string{"--scanner", "/dev/ttyACM0?baud=9600"}, strings.NewReader("246810\n"), &out, &errOut, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	ks, err := env.Store.KioskSettings(ctx)
	if err != nil || ks.Scanner != "/dev/ttyACM0?baud=9600" || ks.PINHash == "" {
		t.Fatalf("saved %+v, %v", ks, err)
	}
	errOut.Reset()
	code := cli.KioskPIN(ctx, []string{"--keep-pin", "--scanner", "/dev/ttyACM0?baud=fast"}, strings.NewReader(""), &out, &errOut, env)
	if code != 2 || !strings.Contains(errOut.String(), "cổng máy quét QR không hợp lệ") {
		t.Fatalf("bad scanner: exit %d, %q", code, errOut.String())
	}
	if ks2, _ := env.Store.KioskSettings(ctx); ks2.Scanner != ks.Scanner || ks2.PINHash != ks.PINHash {
		t.Fatalf("a refused setting changed the saved one: %+v", ks2)
	}
}
