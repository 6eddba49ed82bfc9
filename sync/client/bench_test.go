package client_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/sync/client"
)

// BenchmarkPushDossiers pushes MOTCUA_BENCH_PUSH dossiers (default 20,000;
// the figure is 100,000) without files to a loopback SQLite hub and
// reports dossiers/s, bytes on the wire per dossier, and the ratio to raw
// HTTP POSTs of the same compressed bytes to a handler that only reads them.
func BenchmarkPushDossiers(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_PUSH")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		th := newTestHub(b)
		dev := device(b, b.TempDir(), 1)
		enrol(b, th, dev)
		r := mrand.New(mrand.NewPCG(9, 9))
		var ds []*dossier.Dossier
		for i := range n {
			d := &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
				Applicant: dossier.Applicant{FullName: names[r.IntN(len(names))], IDNumber: fmt.Sprintf("0012%08d", r.IntN(1e8)),
					Phone: "0912345678", Address: "Số 1 Phố Huế, phường Ba Đình"},
				Sets: 1, ProcessingTime: "3 ngày", DueAt: time.Now().Add(72 * time.Hour), Status: dossier.StatusReceived,
				ReceivedAt: time.Now().AddDate(0, 0, -i/900).Add(time.Duration(i%900) * time.Second),
				Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true},
					{Name: "Giấy chứng sinh", Form: dossier.FormCopy, Count: 1}}}
			ds = append(ds, d)
			if len(ds) == 2000 || i == n-1 {
				if err := dev.BulkReceive(ctx, ds, "canbo"); err != nil {
					b.Fatal(err)
				}
				ds = nil
			}
		}
		c := client.New(dev, client.Options{Backoff: fastBackoff, Batch: 1000})
		b.StartTimer()
		start := time.Now()
		got, err := c.Push(ctx)
		el := time.Since(start)
		b.StopTimer()
		if err != nil || got != n {
			b.Fatalf("pushed %d, %v", got, err)
		}
		wire := c.Stats.PushBytes.Load()
		// Baseline: the same bytes as raw POSTs to a handler that reads them.
		raw := rawPostTime(b, wire, n/1000+1)
		b.ReportMetric(float64(n)/el.Seconds(), "dossiers/s")
		b.ReportMetric(float64(wire)/float64(n), "wire-B/dossier")
		b.ReportMetric(el.Seconds()/raw.Seconds(), "x-rawpost")
	}
}

func rawPostTime(b *testing.B, total int64, posts int) time.Duration {
	body := make([]byte, total/int64(posts))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	start := time.Now()
	for range posts {
		resp, err := http.Post(srv.URL, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	return time.Since(start)
}
