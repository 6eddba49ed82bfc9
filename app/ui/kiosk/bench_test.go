package kiosk

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/dossier"
	journey "github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
)

// BenchmarkKioskScreens times building and painting each kiosk screen at
// 1920×1080 on the Fyne test driver's software painter (render, then
// Canvas.Capture), against a baseline measured in the same loop: an empty
// container painted in a window of the same size. build-ms is the part
// before painting (the journey's work and the widget tree). "scan_to_result" is the
// whole journey a citizen makes: the scanner's QR text, the lookup, the four
// confirmation digits and the painted result screen, on a real store.
//
//	go test -tags migrated_fynedo ./app/ui/kiosk -run XXX -bench KioskScreens -benchtime=20x
func BenchmarkKioskScreens(b *testing.B) {
	test.NewTempApp(b)
	env := uitest.NewEnv(b)
	ctx := context.Background()
	d := &dossier.Dossier{
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025-07-01",
		Applicant: dossier.Applicant{FullName: "Nguyễn Văn An", IDNumber: "001090012345", Phone: "0912345678"},
		Papers:    []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}},
		Sets:      1, ProcessingTime: "Trong ngày", Status: dossier.StatusDone, DueAt: env.Clock.Now().Add(8 * time.Hour),
	}
	if err := env.Store.Receive(ctx, d, uitest.ClerkLogin); err != nil {
		b.Fatal(err)
	}
	key, err := env.Store.DeviceKey(ctx)
	if err != nil {
		b.Fatal(err)
	}
	qr, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		b.Fatal(err)
	}
	svc, _, err := env.Kiosk(ctx)
	if err != nil {
		b.Fatal(err)
	}
	size := fyne.NewSize(1920, 1080)
	base := test.NewWindow(container.NewStack())
	defer base.Close()
	base.Resize(size)
	m := journey.NewMachine(svc, uitest.Office.AgencyID, env.Clock.Now)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(size)
	k := New(w, svc, m, Options{Now: env.Clock.Now, Orientation: Landscape})
	k.Tasks.Inline = true
	w.SetContent(k.Content())

	result := func() {
		m.Home()
		m.Scan(ctx, qr+"\r\n")
		for _, r := range "2345" {
			m.Key(r)
		}
		m.Submit(ctx)
		if st := m.State(); st.Step != journey.StepLookupResult {
			b.Fatalf("scan to result ended on %v (%q)", st.Step, st.Msg)
		}
	}
	screens := []struct {
		name  string
		setup func() // puts the machine on the screen, untimed
		timed func() // extra work timed with the painting
	}{
		{"home", m.Home, nil},
		{"keypad", func() { m.Home(); m.Start(journey.StepLookupCode) }, nil},
		{"procedures", func() { m.Home(); m.Start(journey.StepProcedures) }, nil},
		{"ticket_services", func() { m.Home(); m.Start(journey.StepTicketServices) }, nil},
		{"result", result, nil},
		{"scan_to_result", nil, result},
	}
	for _, sc := range screens {
		b.Run(sc.name, func(b *testing.B) {
			if sc.setup != nil {
				sc.setup()
			}
			var baseT, screenT, buildT time.Duration
			for b.Loop() {
				t0 := time.Now()
				base.Content().Refresh()
				_ = base.Canvas().Capture()
				t1 := time.Now()
				if sc.timed != nil {
					sc.timed()
				}
				k.render()
				buildT += time.Since(t1)
				_ = w.Canvas().Capture()
				screenT += time.Since(t1)
				baseT += t1.Sub(t0)
			}
			n := float64(b.N)
			b.ReportMetric(float64(screenT.Microseconds())/1000/n, "screen-ms")
			b.ReportMetric(float64(baseT.Microseconds())/1000/n, "baseline-ms")
			b.ReportMetric(float64(buildT.Microseconds())/1000/n, "build-ms")
			b.ReportMetric(float64(screenT)/float64(baseT), "x-baseline")
		})
	}
}
