package hub_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// FuzzDecodePush: any body, compressed or not, decodes to a bounded batch
// or an error; it never panics.
func FuzzDecodePush(f *testing.F) {
	var gzBody bytes.Buffer
	zw := gzip.NewWriter(&gzBody)
	zw.Write([]byte(`{"events":[{"uuid":"01900000-0000-7000-8000-000000000001","dossier":"000.00.06.H56-261123-1001","seq":1,"kind":"dossier.received","payload":{"code":"000.00.06.H56-261123-1001"},"created_at":"2026-11-23T02:00:00Z"}]}`))
	zw.Close()
	f.Add(gzBody.Bytes(), "gzip")
	f.Add([]byte(`{"events":[]}`), "")
	f.Add([]byte(`{"events":null} {}`), "identity")
	f.Add([]byte{0x1f, 0x8b, 0, 0}, "gzip")
	f.Fuzz(func(t *testing.T, body []byte, enc string) {
		req, err := hub.DecodePush(body, enc)
		if err != nil {
			return
		}
		if len(req.Events) > protocol.MaxBatch {
			t.Fatalf("%d events accepted", len(req.Events))
		}
		for _, ev := range req.Events {
			hub.ValidEvent(ev) // must not panic
		}
	})
}

// FuzzSignatureHeaders: any signature headers are refused or parsed; the
// hub's handler answers 4xx to an unsigned-or-wrongly-signed request and
// never 5xx.
func FuzzSignatureHeaders(f *testing.F) {
	f.Add("d-00", "1763863200000", "00112233445566778899aabbccddeeff", protocol.EmptySHA256, "AAAA", "/v1/feed?after=1")
	f.Add("", "", "", "", "", "/v1/feed")
	f.Add("d-x", "-1", "zz", "00", "!!", "/v1/events")
	st, err := hub.OpenSQLite(f.Context(), f.TempDir()+"/hub.db")
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	s, err := hub.NewServer(hub.Options{Store: st, Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, dev, ts, nonce, bodySHA, sig, path string) {
		hdr := http.Header{}
		for k, v := range map[string]string{protocol.HeaderDevice: dev, protocol.HeaderTime: ts, protocol.HeaderNonce: nonce,
			protocol.HeaderBodySHA: bodySHA, protocol.HeaderSignature: sig} {
			if v != "" {
				hdr.Set(k, v)
			}
		}
		if _, err := protocol.ParseSigned(hdr); err == nil && len(dev) > 64 {
			t.Fatalf("overlong device id accepted")
		}
		if len(path) == 0 || path[0] != '/' {
			path = "/" + path
		}
		r, err := http.NewRequest("GET", "http://hub"+path, nil)
		if err != nil {
			return
		}
		r.Header = hdr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s answered %d: %s", path, w.Code, w.Body)
		}
	})
}
