package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/internal/dossier"
)

func TestIDCardParse(t *testing.T) {
	mrz := idcard.MRZ(idcard.Identity{IDNumber: "001088012345", FullName: "Nguyễn Văn An", Sex: dossier.SexMale,
		BirthDate: idcard.Date{Year: 1988, Month: 1, Day: 1}, ExpiryDate: idcard.Date{Year: 2028, Month: 1, Day: 1}})
	cases := []struct {
		name, in, out, errOut string
		code                  int
	}{
		{"a QR string prints the JSON contract", "001088012345||Nguyễn Văn An|01011988|Nam|Hà Nội|15082021\n",
			`{"id_number":"001088012345","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Hà Nội","issue_date":"2021-08-15","source":"qr"}` + "\n", "", 0},
		{"three MRZ lines print the JSON contract with the expiry date", strings.Join(mrz[:], "\n") + "\n",
			`{"id_number":"001088012345","full_name":"NGUYEN VAN AN","birth_date":"1988-01-01","sex":"male","expiry_date":"2028-01-01","source":"mrz"}` + "\n", "", 0},
		{"a bad check digit exits 1 with a one-line reason", strings.Replace(strings.Join(mrz[:], "\n"), "M28", "M29", 1),
			"", "idcard: mrz: expiry_date: check digit\n", 1},
		{"empty input exits 1", "\n", "", "idcard: empty card data\n", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := IDCard(context.Background(), []string{"parse"}, strings.NewReader(c.in), &out, &errb)
			if code != c.code || out.String() != c.out || errb.String() != c.errOut {
				t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out.String(), errb.String())
			}
		})
	}
}

func TestIDCardListenPrintsEachCardFromASerialReader(t *testing.T) {
	pty := devicetest.NewPtyPair(t)
	ctx := devicetest.Ctx(t)
	pr, pw := newLinePipe()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- IDCard(ctx, []string{"listen", "--port", pty.Device, "--baud", "115200", "--count", "2"}, nil, pw, &errb)
	}()
	// wait until the reader is connected, announced on stderr
	errb.waitFor(t, "reader connected")
	pty.Write([]byte("001088012345||Nguyễn Văn An|01011988|Nam|Hà Nội\r\nnot a card\r\n"))
	pty.Write([]byte("001304012345||Trần Thị Bình|29022004|Nữ|Bắc Ninh\r\n"))
	first, second := <-pr, <-pr
	if !strings.Contains(first, `"id_number":"001088012345"`) || !strings.Contains(second, `"sex":"female"`) {
		t.Fatalf("lines %q %q", first, second)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "idcard: card not readable") {
		t.Fatalf("stderr %q", errb.String())
	}
}
