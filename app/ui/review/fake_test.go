package review_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/review"
	"github.com/motcua/motcua/app/ui/review/reviewtest"
	"github.com/motcua/motcua/app/ui/widgets"
)

// fakeService answers from memory: for the cases a real hub cannot be made
// to produce on demand (a damaged scan, a file not uploaded yet, a hub
// failure). The full flows run against the real hub in review_test.go.
type fakeService struct {
	dossier  review.Dossier
	files    map[string][]byte
	decideEr error
	decided  []review.Decision
}

func (f *fakeService) Login(context.Context, string, string) (review.Session, error) {
	return review.Session{User: user, Name: "Lê Thẩm Định", Communes: []review.Commune{{Code: communeA, Name: "UBND phường Ba Đình"}}}, nil
}
func (f *fakeService) Queue(context.Context, review.Query) (review.Page, error) {
	return review.Page{Items: []review.Row{f.dossier.Row}}, nil
}
func (f *fakeService) Dossier(context.Context, string) (review.Dossier, error) { return f.dossier, nil }
func (f *fakeService) File(_ context.Context, sha string) ([]byte, error) {
	if b, ok := f.files[sha]; ok {
		return b, nil
	}
	return nil, review.ErrNotFound
}
func (f *fakeService) Decide(_ context.Context, _ string, d review.Decision) error {
	if f.decideEr != nil {
		return f.decideEr
	}
	f.decided = append(f.decided, d)
	return nil
}
func (f *fakeService) Dashboard(context.Context, review.DashQuery) (review.Dashboard, error) {
	return review.Dashboard{}, nil
}
func (f *fakeService) DashboardCSV(context.Context, review.DashQuery) ([]byte, error) {
	return nil, nil
}

var _ review.Service = (*fakeService)(nil)

func fakeScreen(t *testing.T, svc review.Service) *review.Screen {
	t.Helper()
	test.NewTempApp(t)
	win := test.NewTempWindow(t, nil)
	win.Resize(fyne.NewSize(1400, 900))
	s := review.New(win, review.Options{Hub: "http://127.0.0.1:1", Connect: func(string) (review.Service, error) { return svc, nil },
		Cache: review.NewCache(t.TempDir()), Tasks: &widgets.Tasks{Inline: true}})
	win.SetContent(s.Content())
	signIn(t, s, password)
	if s.Queue == nil {
		t.Fatalf("not signed in: %q", s.LoginError.Text)
	}
	return s
}

const (
	shaBad     = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaMissing = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	shaGood    = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
)

func scanDossier() review.Dossier {
	return review.Dossier{Row: review.Row{Code: "000.00.06.H56-261123-1001", Applicant: "Nguyễn Văn An", Status: 2,
		ReceivedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, reviewtest.VN)},
		Papers: []review.Paper{{Name: "Tờ khai", Required: true, Provided: true, Files: []review.File{
			{SHA256: shaGood, Name: "to-khai.pdf", Held: true},
			{SHA256: shaBad, Name: "hong.pdf", Held: true},
			{SHA256: shaMissing, Name: "chua-tai.pdf", Held: false},
		}}}}
}

func TestDamagedAndNotUploadedScansAreExplained(t *testing.T) {
	pdf, err := reviewtest.DeclarationPDF("Nguyễn Văn An")
	if err != nil {
		t.Fatal(err)
	}
	svc := &fakeService{dossier: scanDossier(), files: map[string][]byte{shaGood: pdf, shaBad: []byte("%PDF-1.7 cut short")}}
	s := fakeScreen(t, svc)
	s.OpenDossier(svc.dossier.Code)
	s.Wait()
	d := s.Dossier
	if d.Rendered == nil {
		t.Fatalf("good PDF: %q", d.ScanMsg.Text)
	}
	d.Files.SetSelectedIndex(1)
	s.Wait()
	if d.ScanMsg.Text != "Không đọc được tệp quét này (tệp hỏng hoặc quá lớn)." || d.Rendered != nil {
		t.Fatalf("damaged PDF: %q, image kept: %v", d.ScanMsg.Text, d.Rendered != nil)
	}
	d.Files.SetSelectedIndex(2)
	s.Wait()
	if !strings.HasPrefix(d.ScanMsg.Text, "Máy chủ tỉnh chưa nhận được tệp quét này") {
		t.Fatalf("file not uploaded: %q", d.ScanMsg.Text)
	}
	if d.Missing.Text != "Đủ giấy tờ bắt buộc theo thủ tục." {
		t.Errorf("nothing missing: %q", d.Missing.Text)
	}
}

func TestHubFailuresOnDecisionsAreTranslatedAndKeepTheForm(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: hub answered 409 conflict: status 9 does not allow processing", review.ErrConflict),
			"Trạng thái hiện tại của hồ sơ không cho phép quyết định này (có thể vừa có người khác quyết định). Hãy tải lại hồ sơ."},
		{errors.New("hub answered 500 internal: boom"), "Máy chủ tỉnh báo lỗi. Thử lại sau ít phút; nếu vẫn lỗi, báo quản trị."},
		{fmt.Errorf("%w: hub answered 400", review.ErrBadRequest), "Máy chủ tỉnh không nhận nội dung này. Kiểm tra lại các ô đã nhập."},
	} {
		svc := &fakeService{dossier: scanDossier(), decideEr: c.err}
		s := fakeScreen(t, svc)
		s.OpenDossier(svc.dossier.Code)
		s.Wait()
		test.Tap(s.Dossier.Decide[review.Refuse])
		f := s.Dossier.Form(review.Refuse)
		test.Type(f.Reason, "Không đúng thẩm quyền")
		test.Tap(f.Confirm)
		s.Wait()
		if f.Error.Text != c.want || f.Reason.Text != "Không đúng thẩm quyền" || f.Confirm.Disabled() {
			t.Errorf("%v: %q (reason %q)", c.err, f.Error.Text, f.Reason.Text)
		}
		// Once the hub accepts, the same form sends what was typed.
		svc.decideEr = nil
		test.Tap(f.Confirm)
		s.Wait()
		if len(svc.decided) != 1 || svc.decided[0].Outcome != review.Refuse || svc.decided[0].Reason != "Không đúng thẩm quyền" {
			t.Errorf("after the retry: %+v", svc.decided)
		}
	}
}

func TestADamagedCacheIsReadAsNothingKept(t *testing.T) {
	dir := t.TempDir()
	c := review.NewCache(dir)
	q := review.Query{Queue: review.QueueNew}
	if err := c.PutQueue(q, review.Page{Items: []review.Row{{Code: "X"}}}, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	if p, _, _, err := c.Queue(review.QueueNew); err != nil || len(p.Items) != 1 {
		t.Fatalf("cache round trip: %v %v", p, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "queue-new.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.Queue(review.QueueNew); err == nil || review.IsMissing(err) {
		t.Fatalf("damaged cache: %v", err)
	}
	if _, _, err := c.Dossier("../../etc/passwd"); !review.IsMissing(err) {
		t.Fatalf("a code with a path: %v", err)
	}
	if _, err := c.File("../x"); !review.IsMissing(err) {
		t.Fatalf("a file name that is no SHA-256: %v", err)
	}
	if err := c.PutSession("http://hub", review.Session{User: user}, password, time.Now()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "session-last.json"))
	if strings.Contains(string(b), password) {
		t.Fatal("the password is in the cache")
	}
	if _, _, err := c.Session("http://hub", user, "Khac-mat-khau-1"); !errors.Is(err, review.ErrCacheLogin) {
		t.Fatalf("wrong password offline: %v", err)
	}
	if _, _, err := c.Session("http://hub", user, password); err != nil {
		t.Fatalf("right password offline: %v", err)
	}
}
