package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestTheTechnicianAndReviewerCommandsWorkAgainstARunningHub(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var serr bytes.Buffer
	// The SQLite database is shared between the server and the commands,
	// as on a real hub machine.
	go func() {
		done <- run(ctx, []string{"--data", data, "--listen", "127.0.0.1:0"}, &bytes.Buffer{}, &serr, ready)
	}()
	addr := <-ready
	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"a technician creates an office", []string{"office", "add", "000.00.06.h56", "UBND phường Ba Đình"}, 0, "office 000.00.06.H56"},
		{"the same office again is refused", []string{"office", "add", "000.00.06.H56", "x"}, 1, ""},
		{"offices are listed", []string{"office", "list"}, 0, "000.00.06.H56\tUBND phường Ba Đình"},
		{"a one-time token is made for the office", []string{"token", "new", "--office", "000.00.06.H56"}, 0, "-"},
		{"a token for an unknown office is refused", []string{"token", "new", "--office", "000.00.99.H56"}, 1, ""},
		{"a reviewer is created", []string{"reviewer", "add", "thamdinh"}, 0, "reviewer \"thamdinh\" ready"},
		{"the reviewer lists dossiers through the API", []string{"review", "--hub", "http://" + addr, "--as", "thamdinh", "list"}, 0, "CODE"},
		{"deciding on an unknown dossier fails", []string{"review", "--hub", "http://" + addr, "--as", "thamdinh", "decide", "X-1", "--outcome", "done"}, 1, ""},
		{"an unknown reviewer cannot call the API", []string{"review", "--hub", "http://" + addr, "--as", "nobody", "list"}, 1, ""},
		{"a token can be revoked before use", []string{"token", "revoke", "--office", "000.00.06.H56"}, 0, "1 unused tokens of 000.00.06.H56 revoked"},
		{"an unknown token cannot be revoked", []string{"token", "revoke", "AAAA-BBBB"}, 1, ""},
		{"devices are listed", []string{"device", "list"}, 0, "reviewer"},
		{"an unknown device cannot be revoked", []string{"device", "revoke", "d-00"}, 1, ""},
	}
	for _, s := range steps {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"--data", data}, s.args...), &out, &errb, nil)
		if code != s.code || !strings.Contains(out.String(), s.out) {
			t.Fatalf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", s.name, code, s.code, out.String(), errb.String())
		}
	}
	cancel()
	if c := <-done; c != 0 {
		t.Fatalf("serve exited %d: %s", c, serr.String())
	}
}
