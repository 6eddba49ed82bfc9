package receipt

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Money formats a fee in đồng with dots between thousands, as Vietnamese
// forms print it: 1250000 → "1.250.000 đồng", 0 → "Miễn phí".
func Money(vnd int64) string {
	if vnd == 0 {
		return "Miễn phí"
	}
	neg := vnd < 0
	u := uint64(vnd)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	b.WriteString(" đồng")
	return b.String()
}

// ClockDate formats t in Vietnam time as the forms do:
// "08 giờ 05 phút, ngày 23/11/2026".
func ClockDate(t time.Time) string {
	t = t.In(vnZone)
	return fmt.Sprintf("%02d giờ %02d phút, ngày %02d/%02d/%04d", t.Hour(), t.Minute(), t.Day(), int(t.Month()), t.Year())
}

// paperFormName is the printed name of a paper's form.
func paperFormName(f dossier.PaperForm) string {
	switch f {
	case dossier.FormOriginal:
		return "Bản chính"
	case dossier.FormCertifiedCopy:
		return "Bản sao chứng thực"
	case dossier.FormCopy:
		return "Bản sao"
	}
	return ""
}
