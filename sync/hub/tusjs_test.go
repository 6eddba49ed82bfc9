package hub_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua/sync/protocol"
)

const tusScript = `
const tus = require('tus-js-client');
const fs = require('fs');
const [file, endpoint, sha, sigJSON] = process.argv.slice(2);
const sig = JSON.parse(sigJSON);
const data = fs.readFileSync(file);
const up = new tus.Upload(data, {
  endpoint,
  metadata: { sha256: sha, filename: 'scan.pdf' },
  chunkSize: 256 * 1024,
  retryDelays: [0, 20, 50, 100, 200],
  removeFingerprintOnSuccess: true,
  onBeforeRequest(req) {
    // Creation must be signed by an enrolled device; the upload URL it
    // returns is then a capability, as for any tus server with auth.
    if (req.getMethod() === 'POST') for (const k of Object.keys(sig)) req.setHeader(k, sig[k]);
  },
  onError(e) { console.log('error ' + e); process.exit(1); },
  onSuccess() { console.log('success ' + up.url); },
});
up.start();
`

// TestATusJSClientUploadsAndResumesAfterACut runs the tus-js-client npm
// package under node against the hub: creation, HEAD, PATCH; the hub's
// connection is cut in the middle of a PATCH body and the client resumes at
// the offset the hub reports.
func TestATusJSClientUploadsAndResumesAfterACut(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found: install the Debian packages nodejs and npm")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatal("npm not found: install the Debian package npm")
	}
	mods := t.TempDir()
	if out, err := exec.Command(npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", mods, "tus-js-client@4").CombinedOutput(); err != nil {
		t.Fatalf("npm install tus-js-client: %v\n%s", err, out)
	}
	e := newEnv(t, backends[0].open(t))
	// A front that cuts the second PATCH half-way through its body.
	var patches, cuts atomic.Int32
	var resumedAt atomic.Int64
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			n := patches.Add(1)
			if n == 3 {
				off, _ := strconv.ParseInt(r.Header.Get(protocol.HeaderUploadOffset), 10, 64)
				resumedAt.Store(off)
			}
			if n == 2 {
				cuts.Add(1)
				r.Body = io.NopCloser(io.MultiReader(io.LimitReader(r.Body, 100<<10), failing{}))
				e.server.Handler().ServeHTTP(discard{w.Header()}, r)
				hj, _ := w.(http.Hijacker)
				c, _, _ := hj.Hijack()
				c.Close()
				return
			}
		}
		e.server.Handler().ServeHTTP(w, r)
	}))
	defer front.Close()

	data := make([]byte, 700<<10+333)
	for i := range data {
		data[i] = byte(i * 31 / 7)
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	file := filepath.Join(t.TempDir(), "scan.pdf")
	os.WriteFile(file, data, 0o600)
	// The creation request's signature: tus-js-client sends POST /v1/files/
	// with an empty body.
	req, _ := http.NewRequest("POST", front.URL+protocol.PathFiles, nil)
	if err := protocol.Sign(req, e.a.id, e.a.key, e.clk.Now(), protocol.EmptySHA256); err != nil {
		t.Fatal(err)
	}
	sig := map[string]string{}
	for _, h := range []string{protocol.HeaderDevice, protocol.HeaderTime, protocol.HeaderNonce, protocol.HeaderBodySHA, protocol.HeaderSignature} {
		sig[h] = req.Header.Get(h)
	}
	sj, _ := json.Marshal(sig)
	script := filepath.Join(mods, "up.js")
	os.WriteFile(script, []byte(tusScript), 0o600)
	cmd := exec.Command(node, script, file, front.URL+protocol.PathFiles, sha, string(sj))
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(mods, "node_modules"))
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.HasPrefix(out, []byte("success")) {
		t.Fatalf("tus-js-client: %v\n%s", err, out)
	}
	got, err := os.ReadFile(e.server.FilePath(sha))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("hub file: %v (%d bytes)", err, len(got))
	}
	if cuts.Load() != 1 || resumedAt.Load() <= 256<<10 {
		t.Fatalf("cuts %d, resumed at %d: want one cut and a resume past the first chunk", cuts.Load(), resumedAt.Load())
	}
	t.Logf("tus-js-client: %d PATCHes, cut once, resumed at byte %d of %d", patches.Load(), resumedAt.Load(), len(data))
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// discard is a ResponseWriter whose answer never reaches the client.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}
