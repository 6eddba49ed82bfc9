package hubclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/app/ui/review"
	"github.com/motcua/motcua/app/ui/review/hubclient"
)

func TestHubAnswersMapToTheScreensErrors(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		want   error
	}{
		{401, `{"code":"bad_login","message":"x"}`, review.ErrBadLogin},
		{423, `{"code":"locked","message":"x"}`, review.ErrLocked},
		{403, `{"code":"disabled","message":"x"}`, review.ErrDisabled},
		{401, `{"code":"session_expired","message":"x"}`, review.ErrSession},
		{401, `{"code":"no_session","message":"x"}`, review.ErrSession},
		{403, `{"code":"forbidden","message":"x"}`, review.ErrForbidden},
		{404, `{"code":"not_found","message":"x"}`, review.ErrNotFound},
		{409, `{"code":"conflict","message":"x"}`, review.ErrConflict},
		{400, `{"code":"bad_request","message":"x"}`, review.ErrBadRequest},
		{502, `bad gateway`, review.ErrUnreachable},
		{503, ``, review.ErrUnreachable},
		{401, `not json`, review.ErrSession},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			w.Write([]byte(c.body))
		}))
		cl, err := hubclient.New(srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Queue(context.Background(), review.Query{Queue: review.QueueNew})
		if !errors.Is(err, c.want) {
			t.Errorf("%d %s: %v, want %v", c.status, c.body, err, c.want)
		}
		srv.Close()
	}
}

func TestAHubThatIsDownIsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cl, err := hubclient.New("http://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Login(context.Background(), "a", "b"); !errors.Is(err, review.ErrUnreachable) {
		t.Fatalf("refused connection: %v", err)
	}
}

func TestHubAddressMustBeHTTP(t *testing.T) {
	for _, a := range []string{"", "motcua.tinh.gov.vn", "ftp://x", "http://"} {
		if _, err := hubclient.New(a, nil); !errors.Is(err, review.ErrBadAddress) {
			t.Errorf("%q: %v", a, err)
		}
	}
	if _, err := hubclient.New(" https://motcua.tinh.gov.vn ", nil); err != nil {
		t.Errorf("https address: %v", err)
	}
}
