package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/sync/protocol"
)

func TestReviewerAccountsAuditAndPortalExportCommands(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--data", data, "--listen", "127.0.0.1:0"}, &bytes.Buffer{}, &bytes.Buffer{}, ready)
	}()
	addr := <-ready
	out := filepath.Join(t.TempDir(), "portal.json")
	steps := []struct {
		name  string
		args  []string
		stdin string
		code  int
		out   string
	}{
		{"an office", []string{"office", "add", "000.00.06.H56", "UBND phường Ba Đình"}, "", 0, "created"},
		{"an account scoped to it, password on stdin", []string{"reviewer", "add", "tham-dinh", "--communes", "000.00.06.h56", "--name", "Lê Thẩm Định"}, "Mật-khẩu-2026!\n", 0, "account tham-dinh (reviewer) created for 000.00.06.H56"},
		{"a weak password is refused", []string{"reviewer", "add", "yeu", "--communes", "000.00.06.H56"}, "123\n", 1, ""},
		{"no password is refused", []string{"reviewer", "add", "rong", "--communes", "000.00.06.H56"}, "", 1, ""},
		{"an unknown commune is refused", []string{"reviewer", "add", "xa-la", "--communes", "000.00.99.H56"}, "Mật-khẩu-2026!\n", 1, ""},
		{"a viewer", []string{"reviewer", "add", "xem", "--communes", "000.00.06.H56", "--role", "viewer"}, "Mật-khẩu-2026!\n", 0, "(viewer)"},
		{"accounts are listed", []string{"reviewer", "list"}, "", 0, "tham-dinh  Lê Thẩm Định  reviewer  000.00.06.H56  active"},
		{"an account is disabled", []string{"reviewer", "disable", "xem"}, "", 0, "account xem disabled"},
		{"and shown so", []string{"reviewer", "list"}, "", 0, "disabled"},
		{"an unknown account cannot be disabled", []string{"reviewer", "disable", "khong-co"}, "", 1, ""},
		{"a password is changed", []string{"reviewer", "passwd", "tham-dinh"}, "Mật-khẩu-mới-2027\n", 0, "password of tham-dinh changed"},
		{"the export needs --since", []string{"export", "portal"}, "", 2, ""},
		{"the portal export is written to a file", []string{"export", "portal", "--since", "2026-01-01", "--out", out}, "", 0, "0 dossiers written"},
	}
	for _, s := range steps {
		var o, e bytes.Buffer
		stdin = strings.NewReader(s.stdin)
		code := run(context.Background(), append([]string{"--data", data}, s.args...), &o, &e, nil)
		if code != s.code || !strings.Contains(o.String(), s.out) {
			t.Fatalf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", s.name, code, s.code, o.String(), e.String())
		}
	}
	b, err := os.ReadFile(out)
	if err != nil || !json.Valid(b) || !strings.Contains(string(b), `"DanhSachHoSo":[`) {
		t.Fatalf("portal file: %v %s", err, b)
	}
	rv := &protocol.ReviewClient{HubURL: "http://" + addr}
	if _, err := rv.Login(context.Background(), "tham-dinh", "Mật-khẩu-2026!"); !protocol.IsCode(err, protocol.ErrBadLogin) {
		t.Fatalf("old password: %v", err)
	}
	if _, err := rv.Login(context.Background(), "tham-dinh", "Mật-khẩu-mới-2027"); err != nil {
		t.Fatal(err)
	}
	if _, err := (&protocol.ReviewClient{HubURL: "http://" + addr}).Login(context.Background(), "xem", "Mật-khẩu-2026!"); !protocol.IsCode(err, protocol.ErrDisabled) {
		t.Fatalf("disabled account: %v", err)
	}
	var o bytes.Buffer
	if code := run(context.Background(), []string{"--data", data, "audit"}, &o, &bytes.Buffer{}, nil); code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"reviewer.add          account:tham-dinh", "reviewer.disable      account:xem", "reviewer.passwd", "export.portal         portal",
		"review.login.refused  account:tham-dinh", "review.login          account:tham-dinh", "review.login.refused  account:xem        {\"reason\":\"disabled\""} {
		if !strings.Contains(o.String(), want) {
			t.Fatalf("audit lacks %q:\n%s", want, o.String())
		}
	}
	cancel()
	if c := <-done; c != 0 {
		t.Fatalf("serve exited %d", c)
	}
}
