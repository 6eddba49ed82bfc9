package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/sync/hub"
)

func TestTheTechnicianPublishesCatalogHolidaysAndAccountsFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cat := write("catalog.json", string(assets.MustRead("catalog/default.json")))
	tab := write("2027.json", `{"year":2027,"holidays":[{"date":"2027-01-01","name":"Tết Dương lịch"}]}`)
	bad := write("bad.json", `{"year":2027,"holidays":[{"date":"2027-02-30","name":"x"}]}`)
	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"two offices exist", []string{"office", "add", "000.00.06.H56", "UBND phường Ba Đình"}, 0, ""},
		{"", []string{"office", "add", "000.00.07.H56", "UBND phường Ngọc Hà"}, 0, ""},
		{"a catalog goes to every office", []string{"publish", "catalog", cat}, 0, "published catalog.version catalog (#1) to 2 offices"},
		{"a year table goes to one office", []string{"publish", "holidays", tab, "--office", "000.00.06.h56"}, 0, "published holidays.year 2027 (#2) to 1 offices"},
		{"a table that does not parse is refused", []string{"publish", "holidays", bad}, 1, ""},
		{"an unknown office is refused", []string{"publish", "holidays", tab, "--office", "000.00.99.H56"}, 1, ""},
		{"a missing file is refused", []string{"publish", "catalog", filepath.Join(data, "none.json")}, 1, ""},
		{"publications are listed", []string{"publish", "list"}, 0, "holidays.year"},
	}
	for _, s := range steps {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"--data", data}, s.args...), &out, &errb, nil)
		if code != s.code || !strings.Contains(out.String(), s.out) {
			t.Fatalf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", s.name, code, s.code, out.String(), errb.String())
		}
	}
	st, err := hub.OpenSQLite(ctx, filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	accounts := []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"a clerk account is made with its password on standard input", []string{"add", "--office", "000.00.06.H56", "--login", "NTLan", "--name", "Nguyễn Thị Lan"}, "MatKhau-2026\n", 0},
		{"a weak password is refused", []string{"add", "--office", "000.00.06.H56", "--login", "tvbinh", "--name", "Trần Văn Bình"}, "123\n", 1},
		{"a reviewer role is not an office account", []string{"add", "--office", "000.00.06.H56", "--login", "tdinh", "--name", "T", "--role", "reviewer"}, "MatKhau-2026\n", 2},
		{"the account is disabled", []string{"disable", "--office", "000.00.06.H56", "--login", "ntlan"}, "", 0},
		{"an account never made cannot be disabled", []string{"disable", "--office", "000.00.06.H56", "--login", "khac"}, "", 1},
	}
	for _, a := range accounts {
		var out, errb bytes.Buffer
		if code := account(ctx, st, a.args, strings.NewReader(a.stdin), &out, &errb); code != a.code {
			t.Fatalf("%s: exit %d (want %d): %s%s", a.name, code, a.code, out.String(), errb.String())
		}
	}
	ps, err := st.Publications(ctx, "account", 10)
	if err != nil || len(ps) != 2 {
		t.Fatalf("account publications: %d, %v", len(ps), err)
	}
	if s := string(ps[0].Data); !strings.Contains(s, `"disabled":true`) || !strings.Contains(s, "Nguyễn Thị Lan") || strings.Contains(s, "password_hash") {
		t.Fatalf("disabling publication: %s", s)
	}
	if s := string(ps[1].Data); !strings.Contains(s, `"password_hash":"$argon2id$`) || strings.Contains(s, "MatKhau") {
		t.Fatalf("account publication: %s", s)
	}
}
