package wire_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/store"
)

var ticket = kiosk.Ticket{Service: "Hộ tịch", Label: "A012", Number: 12, Waiting: 3,
	TakenAt: time.Date(2026, 11, 23, 2, 5, 0, 0, time.UTC), QR: "MCQ1.000.00.06.H56.261123.A012"}

var kioskOffice = kiosk.Office{Name: "UBND xã Tân Phú"}

func TestTicketPDFIsOnePage(t *testing.T) {
	pdf, err := wire.TicketPDF(kioskOffice, ticket)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := preview.PageCount(pdf); err != nil || n != 1 {
		t.Fatalf("pages %d, %v", n, err)
	}
}

func TestTicketSlipEncodesForAThermalPrinter(t *testing.T) {
	f := escpos.Fonts{Regular: assets.MustRead("fonts/NotoSans-Regular.ttf"), Bold: assets.MustRead("fonts/NotoSans-Bold.ttf")}
	job, err := wire.TicketSlip(kioskOffice, ticket).Encode(f, escpos.Width80)
	if err != nil || len(job) == 0 {
		t.Fatalf("encode: %d bytes, %v", len(job), err)
	}
}

func TestKioskSettingsChooseTheTicketPrinter(t *testing.T) {
	ctx := context.Background()
	e, err := wire.Open(ctx, filepath.Join(t.TempDir(), "d"), wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if p, err := e.TicketPrinter(store.KioskSettings{}); err != nil {
		t.Fatal(err)
	} else if _, ok := p.(wire.PDFTicketPrinter); !ok {
		t.Fatalf("no address: %T", p)
	}
	if p, err := e.TicketPrinter(store.KioskSettings{TicketPrinter: "tcp://127.0.0.1:9"}); err != nil {
		t.Fatal(err)
	} else if _, ok := p.(wire.ESCPOSTicketPrinter); !ok {
		t.Fatalf("tcp address: %T", p)
	}
	if _, err := e.TicketPrinter(store.KioskSettings{TicketPrinter: "ftp://x"}); err == nil {
		t.Fatal("bad address accepted")
	}
	for _, bad := range []store.KioskSettings{{IdleSeconds: -1}, {Orientation: "sideways"}, {FontScale: 9}} {
		if err := e.Store.SaveKioskSettings(ctx, bad, "tech"); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	want := store.KioskSettings{IdleSeconds: 90, Orientation: "portrait", PINHash: "x", FontScale: 1.2}
	if err := e.Store.SaveKioskSettings(ctx, want, "tech"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.Store.KioskSettings(ctx); err != nil || got.IdleSeconds != 90 || got.Orientation != "portrait" || got.PINHash != "x" {
		t.Fatalf("%+v %v", got, err)
	}
}
