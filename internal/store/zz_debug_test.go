package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

func TestZZDebug(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"nguyen van an", "tran thi", "le duc", "pham thi lan", "dang", "hoang van nam", "ngo thi mai", "nguyen", "vo minh", "huynh thi thao", "bui ngoc anh", "duong", "thi", "an"} {
		var n int
		t0 := time.Now()
		s.r.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM dossier_fts WHERE dossier_fts MATCH ? LIMIT 7000)`, buildMatch(q)).Scan(&n)
		tc := time.Since(t0)
		var res [3]time.Duration
		for p := 0; p < 3; p++ {
			s.searchPath = p
			s.List(context.Background(), dossier.Query{Text: q})
			t0 := time.Now()
			s.List(context.Background(), dossier.Query{Text: q})
			res[p] = time.Since(t0)
		}
		t.Logf("%-15s matches %6d count7000 %8v auto %8v fts %8v walk %8v", q, n, tc, res[0], res[1], res[2])
	}
}
