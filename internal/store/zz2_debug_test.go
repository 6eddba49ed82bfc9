package store

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZFTS(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tbl := range []string{"dossier_fts", "t2"} {
		for _, m := range []string{`"nguyen"* "van"* "an"*`, `"nguyen" "van" "an"`, `"nguyen" "van" "an"*`, `"nguyen"*`, `"nguyen"`, `"pham"* "thi"* "lan"*`, `"pham" "thi" "lan"`, `"ngo"* "thi"* "mai"*`, `"le"* "duc"*`, `"0912"*`, `"0011"*`, `"tran"* "thi"*`} {
			for r := 0; r < 2; r++ {
				var n int
				t0 := time.Now()
				s.r.QueryRow(`SELECT count(*) FROM `+tbl+` WHERE `+tbl+` MATCH ?`, m).Scan(&n)
				d1 := time.Since(t0)
				t0 = time.Now()
				s.r.QueryRow(`SELECT count(*) FROM (SELECT rowid FROM `+tbl+` WHERE `+tbl+` MATCH ? ORDER BY rowid DESC LIMIT 51)`, m).Scan(&n)
				d2 := time.Since(t0)
				if r == 1 {
					t.Logf(tbl+" %-28s all %10v  first51desc %10v", m, d1, d2)
				}
			}
		}
	}
}
