package kiosk_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/app/ui/kiosk"
	"github.com/motcua/motcua/internal/store"
)

// TestTheKioskSaysWhenTheNetworkIsDown: the link state the sync client
// records in the store (here written as it writes it) shows as a band in
// plain words, and goes away when the link is back.
func TestTheKioskSaysWhenTheNetworkIsDown(t *testing.T) {
	r := open(t, kiosk.Landscape)
	ctx := context.Background()
	r.k.RefreshCalls(ctx)
	if r.shows("mất kết nối mạng") {
		t.Fatal("a device that does not sync says it is offline")
	}
	setLink := func(f func(*store.SyncConfig)) {
		t.Helper()
		if _, err := r.env.Store.UpdateSync(ctx, "test", f); err != nil {
			t.Fatal(err)
		}
		r.k.RefreshCalls(ctx)
	}
	setLink(func(c *store.SyncConfig) {
		c.HubURL, c.DeviceID, c.Office = "https://hub.example", "dev-1", "000.00.06.H56"
		c.LastAttempt, c.LastError = r.env.Clock.Now(), "offline"
	})
	if !r.shows("chưa nhận được dữ liệu từ tỉnh") {
		t.Fatalf("enrolled, never synced, offline: %q", r.k.Texts)
	}
	last := time.Date(2026, 11, 23, 8, 15, 0, 0, time.UTC) // 15:15 in Vietnam
	setLink(func(c *store.SyncConfig) { c.LastSuccess = last })
	if !r.shows("cập nhật đến 15:15 23/11/2026") {
		t.Fatalf("offline since a sync: %q", r.k.Texts)
	}
	r.tap(t, "lookup") // the band stays on every screen
	if !r.shows("Máy đang mất kết nối mạng") {
		t.Fatalf("lookup screen while offline: %q", r.k.Texts)
	}
	setLink(func(c *store.SyncConfig) { c.LastError, c.LastSuccess = "", last.Add(time.Hour) })
	if r.shows("mất kết nối mạng") {
		t.Fatalf("the band stays after the link is back: %q", r.k.Texts)
	}
}
