package client_test

import (
	"bytes"
	"context"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/protocol"
)

// cutProxy forwards to the hub and counts the PATCH body bytes the client
// sends; once cutAt bytes have gone through it cuts the connection in the
// middle of the PATCH that crosses that mark (once).
type cutProxy struct {
	rp          *httputil.ReverseProxy
	sent, cutAt int64
	cut         atomic.Bool
	total       atomic.Int64
}

func (p *cutProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPatch {
		p.rp.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	before := p.total.Add(int64(len(body))) - int64(len(body))
	if p.cutAt > 0 && !p.cut.Load() && before+int64(len(body)) > p.cutAt {
		p.cut.Store(true)
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.rp.ServeHTTP(w, r)
}

// BenchmarkResumeAfterACutAtHalf uploads a 20 MB scan through a proxy
// that cuts the connection when half of it has been sent, lets the client
// resume, and reports the bytes sent again (resent-B, and as a fraction of
// one chunk: x-chunk, goal ≤ 1) and the time of the cut upload as a ratio
// of the same upload without a cut in the same run (x-uncut).
func BenchmarkResumeAfterACutAtHalf(b *testing.B) {
	const size = 20 << 20
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		var took [2]time.Duration
		var resent int64
		var resumes int64
		for i, cut := range []bool{false, true} {
			th := newTestHub(b)
			u, _ := url.Parse(th.URL())
			p := &cutProxy{rp: httputil.NewSingleHostReverseProxy(u)}
			if cut {
				p.cutAt = size / 2
			}
			ps := httptest.NewServer(p)
			dev := device(b, b.TempDir(), 1)
			enrol(b, th, dev)
			if _, err := dev.UpdateSync(ctx, "t", func(c *store.SyncConfig) { c.HubURL = ps.URL }); err != nil {
				b.Fatal(err)
			}
			data := make([]byte, size)
			r := mrand.New(mrand.NewPCG(20, 20))
			for k := range data {
				data[k] = byte(r.Uint32())
			}
			sha, _, err := dev.PutFile(ctx, bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			d := &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
				Applicant: dossier.Applicant{FullName: "Nguyễn Văn An", IDNumber: "001200000001", Phone: "0912345678", Address: "Số 1 Phố Huế"},
				Sets:      1, ProcessingTime: "3 ngày", DueAt: time.Now().Add(72 * time.Hour), Status: dossier.StatusReceived,
				Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true, Files: []string{sha}}}}
			if err := dev.Receive(ctx, d, "canbo"); err != nil {
				b.Fatal(err)
			}
			c := client.New(dev, client.Options{Backoff: fastBackoff})
			b.StartTimer()
			start := time.Now()
			for attempt := 0; ; attempt++ {
				_, err := c.Push(ctx)
				if err == nil {
					break
				}
				if attempt > 5 {
					b.Fatalf("upload did not finish: %v", err)
				}
			}
			took[i] = time.Since(start)
			b.StopTimer()
			ps.Close()
			if hubFileSHA(th, sha) != sha {
				b.Fatal("the hub's file differs")
			}
			if cut {
				if !p.cut.Load() {
					b.Fatal("the proxy never cut")
				}
				resent, resumes = p.total.Load()-size, c.Stats.Resumes.Load()
			} else if p.total.Load() != size {
				b.Fatalf("uncut upload sent %d bytes", p.total.Load())
			}
		}
		b.ReportMetric(float64(resent), "resent-B")
		b.ReportMetric(float64(resent)/float64(protocol.ChunkSize), "x-chunk")
		b.ReportMetric(float64(resumes), "resumes")
		b.ReportMetric(took[1].Seconds()/took[0].Seconds(), "x-uncut")
	}
}
