package hub_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func checksum(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256 " + base64.StdEncoding.EncodeToString(s[:])
}

func (e *env) create(d *dev, data []byte, sha string) string {
	e.t.Helper()
	resp, b := e.do(e.req(d, "POST", protocol.PathFiles, nil, map[string]string{
		protocol.HeaderTusResumable: protocol.TusVersion, protocol.HeaderUploadLength: strconv.Itoa(len(data)),
		protocol.HeaderUploadMeta: protocol.EncodeMetadata("sha256", sha, "filename", "scan.pdf")}))
	if resp.StatusCode != 201 || resp.Header.Get("Location") == "" {
		e.t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

func (e *env) patch(d *dev, loc string, off int, chunk []byte, sum string) *http.Response {
	e.t.Helper()
	h := map[string]string{protocol.HeaderTusResumable: protocol.TusVersion, protocol.HeaderUploadOffset: strconv.Itoa(off),
		"Content-Type": "application/offset+octet-stream"}
	if sum != "" {
		h[protocol.HeaderChecksum] = sum
	}
	resp, _ := e.do(e.req(d, "PATCH", loc, chunk, h))
	return resp
}

func (e *env) offset(loc string) int {
	e.t.Helper()
	resp, _ := e.do(e.req(nil, "HEAD", loc, nil, map[string]string{protocol.HeaderTusResumable: protocol.TusVersion}))
	if resp.StatusCode != 200 {
		e.t.Fatalf("HEAD %s: %d", loc, resp.StatusCode)
	}
	n, _ := strconv.Atoi(resp.Header.Get(protocol.HeaderUploadOffset))
	return n
}

// cutReader yields n bytes, then fails as a cut connection does.
type cutReader struct {
	b []byte
	n int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errors.New("connection cut")
	}
	k := copy(p, c.b[:min(len(c.b), c.n)])
	c.b, c.n = c.b[k:], c.n-k
	return k, nil
}

func TestTusUploadsResumeAfterACutAndKeepOnlyVerifiedBytes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		data := make([]byte, 3<<20+12345)
		for i := range data {
			data[i] = byte(i*7 + i/1000)
		}
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		loc := e.create(&e.a, data, sha)
		chunk := 1 << 20
		// One good chunk.
		if r := e.patch(&e.a, loc, 0, data[:chunk], checksum(data[:chunk])); r.StatusCode != 204 || r.Header.Get(protocol.HeaderUploadOffset) != strconv.Itoa(chunk) {
			t.Fatalf("first chunk: %d", r.StatusCode)
		}
		steps := []struct {
			name string
			do   func() int
			want int
		}{
			{"a chunk whose checksum does not match is refused with 460", func() int {
				bad := append([]byte{}, data[chunk:2*chunk]...)
				bad[10] ^= 1
				return e.patch(&e.a, loc, chunk, bad, checksum(data[chunk:2*chunk])).StatusCode
			}, protocol.StatusChecksum},
			{"a chunk at a stale offset is refused with 409", func() int {
				return e.patch(&e.a, loc, 0, data[:chunk], checksum(data[:chunk])).StatusCode
			}, http.StatusConflict},
			{"a chunk signed by another device is refused", func() int {
				return e.patch(&e.b, loc, chunk, data[chunk:2*chunk], checksum(data[chunk:2*chunk])).StatusCode
			}, http.StatusForbidden},
			{"an unsupported tus version is refused with 412", func() int {
				r := e.req(nil, "HEAD", loc, nil, map[string]string{protocol.HeaderTusResumable: "0.2.2"})
				resp, _ := e.do(r)
				return resp.StatusCode
			}, http.StatusPreconditionFailed},
		}
		for _, s := range steps {
			if got := s.do(); got != s.want {
				t.Fatalf("%s: %d, want %d", s.name, got, s.want)
			}
			if off := e.offset(loc); off != chunk {
				t.Fatalf("%s: offset moved to %d", s.name, off)
			}
		}
		// A chunk cut in the middle of its body: nothing of it is kept.
		h := map[string]string{protocol.HeaderTusResumable: protocol.TusVersion, protocol.HeaderUploadOffset: strconv.Itoa(chunk),
			"Content-Type": "application/offset+octet-stream", protocol.HeaderChecksum: checksum(data[chunk : 2*chunk])}
		r := e.req(&e.a, "PATCH", loc, data[chunk:2*chunk], h)
		r.Body = io.NopCloser(&cutReader{b: data[chunk : 2*chunk], n: chunk / 2})
		r.ContentLength = int64(chunk)
		if _, err := http.DefaultClient.Do(r); err == nil {
			t.Fatal("a cut request succeeded")
		}
		if off := e.offset(loc); off != chunk {
			t.Fatalf("after a cut: offset %d, want %d", off, chunk)
		}
		// Resume to the end, unsigned (capability URL) with checksums.
		for off := chunk; off < len(data); off += chunk {
			end := min(off+chunk, len(data))
			if r := e.patch(nil, loc, off, data[off:end], checksum(data[off:end])); r.StatusCode != 204 {
				t.Fatalf("chunk at %d: %d", off, r.StatusCode)
			}
		}
		got, err := os.ReadFile(e.server.FilePath(sha))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("stored file: %v, %d bytes", err, len(got))
		}
		// The blob is now known; a new creation for it has nothing to send.
		loc2 := e.create(&e.a, data, sha)
		if e.offset(loc2) != len(data) {
			t.Fatal("a held file is asked again")
		}
		if resp, _ := e.do(e.req(&e.a, "HEAD", protocol.PathBlobs+sha, nil, nil)); resp.StatusCode != 200 {
			t.Fatalf("blob HEAD: %d", resp.StatusCode)
		}
	})
}

func TestAFileThatDoesNotHashToItsDeclaredSHA256IsDiscarded(t *testing.T) {
	e := newEnv(t, backends[0].open(t))
	data := []byte("nội dung bản quét")
	wrong := hex.EncodeToString(make([]byte, 32))
	loc := e.create(&e.a, data, wrong)
	if r := e.patch(&e.a, loc, 0, data, ""); r.StatusCode != protocol.StatusChecksum {
		t.Fatalf("patch: %d, want 460", r.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(e.server.FilePath(wrong)), wrong)); err == nil {
		t.Fatal("a file that does not match was kept")
	}
	resp, _ := e.do(e.req(nil, "HEAD", loc, nil, map[string]string{protocol.HeaderTusResumable: protocol.TusVersion}))
	if resp.StatusCode != 404 {
		t.Fatalf("discarded upload: HEAD %d", resp.StatusCode)
	}
	resp, _ = e.do(e.req(nil, "OPTIONS", protocol.PathFiles, nil, nil))
	if resp.StatusCode != 204 || resp.Header.Get("Tus-Checksum-Algorithm") != "sha256" {
		t.Fatalf("OPTIONS: %d %v", resp.StatusCode, resp.Header)
	}
}
