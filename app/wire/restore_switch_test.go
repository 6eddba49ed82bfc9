package wire_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/store"
)

func TestARestoredFolderReplacesTheDataAtTheNextStart(t *testing.T) {
	parent := t.TempDir()
	data := filepath.Join(parent, "motcua")
	os.MkdirAll(data, 0o700)
	os.WriteFile(filepath.Join(data, store.DBFile), []byte("current"), 0o600)
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	if old, err := wire.SwitchRestored(data, now); err != nil || old != "" {
		t.Fatalf("nothing pending: %q %v", old, err)
	}
	restored := wire.RestoreDir(data, now)
	os.MkdirAll(restored, 0o700)
	os.WriteFile(filepath.Join(restored, store.DBFile), []byte("restored"), 0o600)
	if err := wire.MarkRestored(data, filepath.Join(t.TempDir(), "elsewhere")); err == nil {
		t.Fatal("a folder not beside the data was accepted")
	}
	if err := wire.MarkRestored(data, restored); err != nil {
		t.Fatal(err)
	}
	if wire.PendingRestore(data) != restored {
		t.Fatalf("pending %q", wire.PendingRestore(data))
	}
	old, err := wire.SwitchRestored(data, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(data, store.DBFile)); string(b) != "restored" {
		t.Fatalf("data now holds %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(old, store.DBFile)); string(b) != "current" || filepath.Base(old) != "motcua.before-restore-20261123-150000" {
		t.Fatalf("old data at %s holds %q", old, b)
	}
	if wire.PendingRestore(data) != "" {
		t.Fatal("the note stayed")
	}
	// A note naming a folder outside, or one with no database, switches nothing.
	os.WriteFile(filepath.Join(parent, "motcua.restore-pending"), []byte("../../etc\n"), 0o600)
	if _, err := wire.SwitchRestored(data, now); err == nil {
		t.Fatal("a bad note was followed")
	}
	empty := wire.RestoreDir(data, now.Add(2*time.Hour))
	os.MkdirAll(empty, 0o700)
	wire.MarkRestored(data, empty)
	if _, err := wire.SwitchRestored(data, now); err == nil {
		t.Fatal("an empty restored folder was switched in")
	}
	if b, _ := os.ReadFile(filepath.Join(data, store.DBFile)); string(b) != "restored" {
		t.Fatal("the data changed")
	}
}
