package hub_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// BenchmarkPushDossiersByStore pushes MOTCUA_BENCH_PUSH dossiers (default
// 20,000; the figure is 100,000) without files from a real device
// store to a loopback hub on SQLite and on PostgreSQL, in the same run, and
// reports dossiers/s of each and PostgreSQL's time as a ratio of SQLite's
// (x-sqlite) — the baseline measured in the same run.
func BenchmarkPushDossiersByStore(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_PUSH")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		times := map[string]time.Duration{}
		for _, be := range backends {
			b.StopTimer()
			el, wire := pushOnce(b, be.open(b), n)
			times[be.name] = el
			b.ReportMetric(float64(n)/el.Seconds(), be.name+"-dossiers/s")
			if be.name == "postgres" {
				b.ReportMetric(float64(wire)/float64(n), "wire-B/dossier")
			}
		}
		b.ReportMetric(times["postgres"].Seconds()/times["sqlite"].Seconds(), "x-sqlite")
	}
}

// pushOnce seeds a device with n dossiers and times one client.Push of all
// of them to a hub over st.
func pushOnce(b *testing.B, st hub.Store, n int) (time.Duration, int64) {
	ctx := context.Background()
	const office = "000.00.06.H56"
	s, err := hub.NewServer(hub.Options{Store: st, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if err := st.CreateOffice(ctx, hub.Office{Code: office, Name: "UBND phường Ba Đình", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	dev, err := store.Open(ctx, b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer dev.Close()
	if err := dev.SaveSettings(ctx, store.Settings{AgencyID: office, AgencyName: "UBND phường Ba Đình", DeviceSlot: 1, Provisioned: true}, "tech"); err != nil {
		b.Fatal(err)
	}
	tok, err := hub.NewToken(ctx, st, office, hub.RoleDevice, time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := client.Enrol(ctx, dev, srv.URL, tok, "quầy 1", nil); err != nil {
		b.Fatal(err)
	}
	var ds []*dossier.Dossier
	for i := range n {
		ds = append(ds, &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
			Applicant: dossier.Applicant{FullName: "Nguyễn Văn An", IDNumber: fmt.Sprintf("0012%08d", i), Phone: "0912345678",
				Address: "Số 1 Phố Huế, phường Ba Đình"},
			Sets: 1, ProcessingTime: "3 ngày", DueAt: time.Now().Add(72 * time.Hour), Status: dossier.StatusReceived,
			ReceivedAt: time.Now().AddDate(0, 0, -i/900).Add(time.Duration(i%900) * time.Second),
			Papers:     []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}}})
		if len(ds) == 2000 || i == n-1 {
			if err := dev.BulkReceive(ctx, ds, "canbo"); err != nil {
				b.Fatal(err)
			}
			ds = nil
		}
	}
	c := client.New(dev, client.Options{Batch: 1000})
	b.StartTimer()
	start := time.Now()
	got, err := c.Push(ctx)
	el := time.Since(start)
	b.StopTimer()
	if err != nil || got != n {
		b.Fatalf("pushed %d of %d: %v", got, n, err)
	}
	return el, c.Stats.PushBytes.Load()
}

// BenchmarkLongPollMemory holds MOTCUA_BENCH_POLLS (default 1,000) feed
// long-polls of as many enrolled devices on one hub at once and reports
// the hub process's heap and goroutines per waiting poll, against a
// baseline measured in the same run: the same number of requests held by
// a plain net/http handler that only blocks (x-plain). The clients run in
// the same process in both cases, so the difference is the hub's own cost.
func BenchmarkLongPollMemory(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_POLLS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		st := backends[0].open(b)
		s, err := hub.NewServer(hub.Options{Store: st, Dir: b.TempDir(), MaxWait: 30 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.CreateOffice(ctx, hub.Office{Code: officeA, Name: "x", CreatedAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
		devs := make([]dev, n)
		for i := range devs {
			pub, key, _ := ed25519.GenerateKey(rand.Reader)
			devs[i] = dev{id: protocol.DeviceID(pub), key: key}
			if err := st.AddDevice(ctx, hub.Device{ID: devs[i].id, Office: officeA, PublicKey: pub, Name: "quầy", Role: hub.RoleDevice,
				EnrolledAt: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
		release := make(chan struct{})
		var held sync.WaitGroup
		plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			held.Done()
			select {
			case <-release:
			case <-r.Context().Done():
			}
			w.Write([]byte("{}"))
		})
		b.StartTimer()
		base := holdPolls(b, plain, nil, n, func() { held.Wait() }, &held)
		close(release)
		hubCost := holdPolls(b, s.Handler(), devs, n, func() {
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if waitingPolls(b, s) >= n {
					return
				}
			}
			b.Fatalf("only %d polls waiting", waitingPolls(b, s))
		}, nil)
		b.StopTimer()
		b.ReportMetric(hubCost.heap/float64(n), "hub-heap-B/poll")
		b.ReportMetric(base.heap/float64(n), "plain-heap-B/poll")
		b.ReportMetric(hubCost.goroutines/float64(n), "hub-goroutines/poll")
		b.ReportMetric(hubCost.heap/base.heap, "x-plain")
		b.ReportMetric(hubCost.total/(1<<20), "hub-heap-MiB")
	}
}

type memCost struct{ heap, goroutines, total float64 }

func heapNow() (uint64, int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse, runtime.NumGoroutine()
}

// holdPolls starts n requests to h (signed feed long-polls when devs is
// set), waits until all are held (ready), measures the heap and
// goroutines above the level before, and ends them.
func holdPolls(b *testing.B, h http.Handler, devs []dev, n int, ready func(), held *sync.WaitGroup) memCost {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = time.Minute
	srv.Start()
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0, DialContext: (&net.Dialer{}).DialContext}
	hc := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	if held != nil {
		held.Add(n)
	}
	h0, g0 := heapNow()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := protocol.PathFeed + "?after=0&wait=30"
			r, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
			if devs != nil {
				if err := protocol.Sign(r, devs[i].id, devs[i].key, time.Now(), protocol.EmptySHA256); err != nil {
					panic(err)
				}
			}
			resp, err := hc.Do(r)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	ready()
	h1, g1 := heapNow()
	cancel()
	wg.Wait()
	return memCost{heap: float64(h1) - float64(h0), goroutines: float64(g1-g0) / 2, total: float64(h1)}
}

// waitingPolls reads motcua_hub_feed_waiting.
func waitingPolls(b *testing.B, s *hub.Server) int {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, protocol.PathMetrics, nil))
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "motcua_hub_feed_waiting "); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}
