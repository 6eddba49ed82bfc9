package kiosk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	journey "github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/store"
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

// kioskFixture is a device store with benchDossiers() dossiers (1,000,000
// unless MOTCUA_BENCH_DOSSIERS says fewer), seeded once per machine and
// schema version through Store.BulkReceive like internal/store's 1M fixture
// (whose helper is internal to that package's tests) and cached under
// os.TempDir(); codes.txt holds 1,000 codes picked evenly over the store.
func kioskFixture(b *testing.B) (dir string, codes []string) {
	b.Helper()
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_DOSSIERS")); err == nil && v > 0 {
		n = v
	}
	dir = filepath.Join(os.TempDir(), fmt.Sprintf("motcua-kiosk-bench-v%d-n%d", store.SchemaVersion, n))
	if raw, err := os.ReadFile(filepath.Join(dir, "codes.txt")); err == nil {
		return dir, strings.Fields(string(raw))
	}
	ctx := context.Background()
	tmp := dir + ".building-" + strconv.Itoa(os.Getpid())
	os.RemoveAll(tmp)
	start := time.Now()
	s, err := store.Open(ctx, tmp, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveSettings(ctx, uitest.Office, "setup"); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(2026, 7))
	first := time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)
	span := 4 * 365 * 24 * time.Hour
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Phương"}
	batch := make([]*dossier.Dossier, 0, 5000)
	every := max(n/1000, 1)
	for i := range n {
		at := first.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		d := &dossier.Dossier{
			ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025-07-01",
			Applicant: dossier.Applicant{FullName: names[r.IntN(len(names))],
				IDNumber: fmt.Sprintf("0010900%05d", r.IntN(100000)), Phone: fmt.Sprintf("0912%06d", r.IntN(1000000))},
			Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}},
			Sets:   1, ProcessingTime: "Trong ngày", ReceivedAt: at, DueAt: at.Add(72 * time.Hour),
			Status: []dossier.Status{dossier.StatusReturned, dossier.StatusDone, dossier.StatusProcessing, dossier.StatusSupplement}[r.IntN(4)],
		}
		batch = append(batch, d)
		if len(batch) == cap(batch) || i == n-1 {
			if err := s.BulkReceive(ctx, batch, "seed"); err != nil {
				b.Fatal(err)
			}
			for j, d := range batch {
				if (i-len(batch)+1+j)%every == 0 {
					codes = append(codes, d.Code.String())
				}
			}
			batch = batch[:0]
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "codes.txt"), []byte(strings.Join(codes, "\n")+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "kiosk bench: seeded %d dossiers in %s into %s\n", n, time.Since(start).Round(time.Second), dir)
	return dir, codes
}

// BenchmarkKioskScan1M is the figure: from the scanner's QR text to
// the rendered result screen with 1,000,000 dossiers in the store (goal
// ≤ 50 ms). Each op scans the signed receipt of a different dossier (1,000
// picked evenly over the store), types the last 4 digits of the ID number,
// submits, and builds and lays out the result screen on the Fyne test
// driver ("build-ms": journey + widget tree + layout at 1920×1080);
// "paint-ms" adds the software painter's Canvas.Capture, against an empty
// container painted at the same size in the same loop ("baseline-ms").
//
//	go test -tags migrated_fynedo ./app/ui/kiosk -run XXX -bench KioskScan1M -benchtime=200x
func BenchmarkKioskScan1M(b *testing.B) {
	dir, codes := kioskFixture(b)
	if len(codes) == 0 {
		b.Fatal("the fixture has no codes")
	}
	test.NewTempApp(b)
	ctx := context.Background()
	clk := &uitest.Clock{}
	clk.Set(uitest.Start)
	env, err := wire.Open(ctx, dir, wire.Options{Now: clk.Now,
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	key, err := env.Store.DeviceKey(ctx)
	if err != nil {
		b.Fatal(err)
	}
	type scan struct{ qr, digits string }
	scans := make([]scan, len(codes))
	for i, c := range codes {
		d, err := env.Store.DossierByCode(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		qr, err := receipt.Sign(receipt.Payload{Code: c, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
		if err != nil {
			b.Fatal(err)
		}
		id := d.Applicant.IDNumber
		scans[i] = scan{qr + "\r\n", id[len(id)-4:]}
	}
	svc, _, err := env.Kiosk(ctx)
	if err != nil {
		b.Fatal(err)
	}
	size := fyne.NewSize(1920, 1080)
	base := test.NewWindow(container.NewStack())
	defer base.Close()
	base.Resize(size)
	m := journey.NewMachine(svc, uitest.Office.AgencyID, clk.Now)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(size)
	k := New(w, svc, m, Options{Now: clk.Now, Orientation: Landscape})
	k.Tasks.Inline = true
	w.SetContent(k.Content())

	var baseT, paintT, buildT time.Duration
	for i := 0; b.Loop(); i++ {
		sc := scans[i%len(scans)]
		t0 := time.Now()
		base.Content().Refresh()
		_ = base.Canvas().Capture()
		t1 := time.Now()
		m.Home()
		m.Scan(ctx, sc.qr)
		for _, r := range sc.digits {
			m.Key(r)
		}
		m.Submit(ctx)
		if st := m.State(); st.Step != journey.StepLookupResult {
			b.Fatalf("scan to result ended on %v (%q)", st.Step, st.Msg)
		}
		k.render()
		w.Content().Refresh() // lays the tree out at the window's size
		t2 := time.Now()
		_ = w.Canvas().Capture()
		t3 := time.Now()
		baseT += t1.Sub(t0)
		buildT += t2.Sub(t1)
		paintT += t3.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(buildT.Microseconds())/1000/n, "build-ms")
	b.ReportMetric(float64(paintT.Microseconds())/1000/n, "paint-ms")
	b.ReportMetric(float64(baseT.Microseconds())/1000/n, "baseline-ms")
	b.ReportMetric(float64(paintT)/float64(baseT), "x-baseline")
	b.ReportMetric(float64(buildT)/n/50e6, "build-x-goal")
	b.ReportMetric(float64(paintT)/n/50e6, "paint-x-goal")
}
