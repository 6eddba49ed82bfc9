package client_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

const office = "000.00.06.H56"

// testHub is a real hub on loopback whose listener stays while the hub
// behind it goes down and up (down: connections are cut, as when the
// office's link is down).
type testHub struct {
	t     testing.TB
	dir   string
	srv   *httptest.Server
	h     atomic.Pointer[hub.Server]
	store hub.Store
}

func newTestHub(t testing.TB) *testHub {
	t.Helper()
	th := &testHub{t: t, dir: t.TempDir()}
	th.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := th.h.Load()
		if s == nil {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		th.srv.CloseClientConnections()
		th.srv.Close()
		th.Down()
	})
	th.Up()
	ctx := context.Background()
	if err := th.store.CreateOffice(ctx, hub.Office{Code: office, Name: "UBND phường Ba Đình", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return th
}

// Up opens the hub's store and serves (again).
func (th *testHub) Up() {
	th.t.Helper()
	st, err := hub.OpenSQLite(context.Background(), filepath.Join(th.dir, "hub.db"))
	if err != nil {
		th.t.Fatal(err)
	}
	s, err := hub.NewServer(hub.Options{Store: st, Dir: th.dir, MaxWait: 2 * time.Second})
	if err != nil {
		th.t.Fatal(err)
	}
	th.store = st
	th.h.Store(s)
}

// Down stops serving and closes the store.
func (th *testHub) Down() {
	if s := th.h.Swap(nil); s != nil {
		th.srv.CloseClientConnections()
		s.Store().Close()
	}
}

func (th *testHub) URL() string { return th.srv.URL }

func (th *testHub) token(role, off string) string {
	th.t.Helper()
	tok, err := hub.NewToken(context.Background(), th.store, off, role, time.Now().Add(time.Hour))
	if err != nil {
		th.t.Fatal(err)
	}
	return tok
}

// reviewer registers a reviewer key and returns its API client.
func (th *testHub) reviewer() *protocol.Reviewer {
	th.t.Helper()
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	id := protocol.DeviceID(pub)
	if err := th.store.AddDevice(context.Background(), hub.Device{ID: id, PublicKey: pub, Name: "Lê Thẩm Định", Role: hub.RoleReviewer, EnrolledAt: time.Now()}); err != nil {
		th.t.Fatal(err)
	}
	return &protocol.Reviewer{HubURL: th.URL(), DeviceID: id, Key: key}
}

// fastBackoff retries quickly in tests (still exponential, no deadline).
func fastBackoff() backoff.BackOff {
	return backoff.NewExponentialBackOff(backoff.WithInitialInterval(2*time.Millisecond),
		backoff.WithMaxInterval(40*time.Millisecond), backoff.WithMaxElapsedTime(0))
}

// device opens a provisioned device store with slot.
func device(t testing.TB, dir string, slot int) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SaveSettings(context.Background(), store.Settings{AgencyID: office, AgencyName: "UBND phường Ba Đình",
		DeviceSlot: slot, Provisioned: true}, "tech"); err != nil {
		t.Fatal(err)
	}
	return s
}

func enrol(t testing.TB, th *testHub, s *store.Store) {
	t.Helper()
	if _, err := client.Enrol(context.Background(), s, th.URL(), th.token(hub.RoleDevice, office), "quầy 1", nil); err != nil {
		t.Fatal(err)
	}
}

var names = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Minh Đức"}

// receive records n dossiers with files scans each (random content of size
// bytes) and returns their codes and the SHA-256 of every scan.
func receive(t testing.TB, s *store.Store, r *mrand.Rand, n, files, size int) (codes []string, shas []string) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		d := &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
			Applicant: dossier.Applicant{FullName: names[r.IntN(len(names))], IDNumber: fmt.Sprintf("0012%08d", r.IntN(1e8)),
				Phone: "0912345678", Address: "Số 1 Phố Huế"},
			Sets: 1, ProcessingTime: "3 ngày", DueAt: time.Now().Add(72 * time.Hour), Status: dossier.StatusReceived,
			Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true},
				{Name: "Giấy chứng sinh", Form: dossier.FormCopy, Count: 1}}}
		for j := range files {
			b := make([]byte, size+r.IntN(size/2+1))
			for k := range b {
				b[k] = byte(r.Uint32())
			}
			sha, _, err := s.PutFile(ctx, bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			d.Papers[j%2].Files = append(d.Papers[j%2].Files, sha)
			shas = append(shas, sha)
		}
		if err := s.Receive(ctx, d, "canbo"); err != nil {
			t.Fatalf("receive %d: %v", i, err)
		}
		codes = append(codes, d.Code.String())
	}
	return codes, shas
}

// hubFileSHA hashes the file the hub holds for sha ("" if absent).
func hubFileSHA(th *testHub, sha string) string {
	b, err := os.ReadFile(filepath.Join(th.dir, "files", sha[:2], sha))
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// lines reads a child's stdout line by line into a channel.
func lines(r *bufio.Scanner) <-chan string {
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		for r.Scan() {
			ch <- r.Text()
		}
	}()
	return ch
}

var _ = net.Dial
