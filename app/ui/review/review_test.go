package review_test

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/review"
	"github.com/motcua/motcua/app/ui/review/hubclient"
	"github.com/motcua/motcua/app/ui/review/reviewtest"
	"github.com/motcua/motcua/app/ui/widgets"
)

func TestMain(m *testing.M) {
	if err := widgets.SetLanguage("vi"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

const (
	communeA = "000.00.06.H56"
	communeB = "000.00.07.H56"
	user     = "thamdinh"
	password = "Xem-xet-2026!"
)

// start is Monday 23/11/2026 09:00 in Vietnam, a working morning.
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, reviewtest.VN)

// world is a real hub on loopback with two communes, each with an enrolled
// counter PC that received dossiers and pushed them.
type world struct {
	hub   *reviewtest.Hub
	a, b  *reviewtest.Device
	scan  string // a dossier of commune A with a PDF and a PNG, its birth certificate missing
	codes []string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	h, err := reviewtest.NewHub(ctx, t.TempDir(), start)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	w := &world{hub: h}
	for _, c := range [][2]string{{communeA, "UBND phường Ba Đình"}, {communeB, "UBND xã Tân Phú"}} {
		if err := h.AddCommune(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.AddReviewer(ctx, user, password, "Lê Thẩm Định", "reviewer", communeA, communeB); err != nil {
		t.Fatal(err)
	}
	if w.a, err = h.AddDevice(ctx, t.TempDir(), communeA, "UBND phường Ba Đình"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.a.Close)
	if w.b, err = h.AddDevice(ctx, t.TempDir(), communeB, "UBND xã Tân Phú"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.b.Close)
	due := start.Add(72 * time.Hour)
	people := []struct {
		dev     *reviewtest.Device
		a       reviewtest.Applicant
		scans   bool
		missing bool
	}{
		{w.a, reviewtest.Applicant{Name: "Nguyễn Thị Hồng Nhung", IDNumber: "001190012345", Phone: "0912345678", Address: "Số 1 Phố Huế"}, true, true},
		{w.a, reviewtest.Applicant{Name: "Trần Văn Bình", IDNumber: "001085001111", Address: "Số 2 Phố Huế"}, false, false},
		{w.a, reviewtest.Applicant{Name: "Lê Hoàng Cường", IDNumber: "001090002222", Address: "Số 3 Phố Huế"}, false, false},
		{w.b, reviewtest.Applicant{Name: "Phạm Thu Dung", IDNumber: "075190003333", Address: "Ấp 1, Tân Phú"}, false, false},
		{w.b, reviewtest.Applicant{Name: "Hoàng Minh Đức", IDNumber: "075088004444", Address: "Ấp 2, Tân Phú"}, false, false},
	}
	for i, p := range people {
		h.Clock.Set(start.Add(time.Duration(i) * time.Minute))
		code, err := h.Receive(ctx, p.dev, p.a, due, p.scans, p.missing)
		if err != nil {
			t.Fatal(err)
		}
		w.codes = append(w.codes, code)
	}
	w.scan = w.codes[0]
	h.Clock.Set(start.Add(10 * time.Minute))
	for _, d := range []*reviewtest.Device{w.a, w.b} {
		if err := d.Push(ctx); err != nil {
			t.Fatalf("push %s: %v", d.Office, err)
		}
	}
	return w
}

// screen opens the review screens of a test window on the world's hub.
func (w *world) screen(t *testing.T, cacheDir string, pageSize int) (*review.Screen, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	win := test.NewTempWindow(t, nil)
	win.Resize(fyne.NewSize(1400, 900))
	s := review.New(win, review.Options{Hub: w.hub.URL(), Connect: hubclient.Connector(nil), Cache: review.NewCache(cacheDir),
		Now: w.hub.Clock.Now, Tasks: &widgets.Tasks{Inline: true}, PageSize: pageSize})
	win.SetContent(s.Content())
	return s, win
}

func signIn(t *testing.T, s *review.Screen, pass string) {
	t.Helper()
	s.User.SetText("")
	s.Password.SetText("")
	test.Type(s.User, user)
	test.Type(s.Password, pass)
	test.Tap(s.LoginButton)
	s.Wait()
}

func codes(rows []review.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Code)
	}
	return out
}

func TestSignInKeepsWhatWasTypedAndExplainsRefusalsInVietnamese(t *testing.T) {
	w := newWorld(t)
	s, _ := w.screen(t, t.TempDir(), 50)
	test.Tap(s.LoginButton)
	if got := s.LoginError.Text; got != "Nhập tên đăng nhập và mật khẩu." {
		t.Fatalf("empty form: %q", got)
	}
	signIn(t, s, "Sai-mat-khau-1")
	if got := s.LoginError.Text; got != "Sai tên đăng nhập hoặc mật khẩu." {
		t.Fatalf("wrong password: %q", got)
	}
	if s.User.Text != user || s.Hub.Text != w.hub.URL() || s.Queue != nil {
		t.Fatalf("after a refusal the form lost %q/%q or the queue opened", s.User.Text, s.Hub.Text)
	}
	s.Hub.SetText("motcua.tinh.gov.vn")
	signIn(t, s, password)
	if got := s.LoginError.Text; !strings.Contains(got, "http://") {
		t.Fatalf("bad address: %q", got)
	}
	s.Hub.SetText(w.hub.URL())
	signIn(t, s, password)
	if s.Queue == nil {
		t.Fatalf("not signed in: %q", s.LoginError.Text)
	}
	if s.Password.Text != "" {
		t.Error("the password stays in the form after sign-in")
	}
	if got := s.Who.Text; got != "Cán bộ: Lê Thẩm Định · phụ trách 2 xã" {
		t.Errorf("who: %q", got)
	}
	// Signing out ends the session at the hub (audited there).
	test.Tap(s.Logout)
	s.Wait()
	if s.Queue != nil && s.Session().User != "" {
		t.Fatal("still signed in")
	}
	log, err := w.hub.Store.AuditLog(context.Background(), user, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if !slices.Contains(actions, "review.logout") {
		t.Errorf("hub audit after sign-out: %v", actions)
	}
}

func TestQueuesFiltersSearchAndPagingAgainstTheHub(t *testing.T) {
	w := newWorld(t)
	s, _ := w.screen(t, t.TempDir(), 2)
	signIn(t, s, password)
	q := s.Queue
	if q == nil {
		t.Fatalf("not signed in: %q", s.LoginError.Text)
	}
	// Paging: five new dossiers, two a page, newest first.
	var seen []string
	for page := 1; ; page++ {
		if q.Page() != page {
			t.Fatalf("page %d shown as %d", page, q.Page())
		}
		seen = append(seen, codes(q.Rows)...)
		if q.Next.Disabled() {
			break
		}
		test.Tap(q.Next)
		s.Wait()
	}
	if len(seen) != 5 || seen[0] != w.codes[4] || seen[4] != w.codes[0] {
		t.Fatalf("new queue over its pages: %v, want the 5 codes newest first %v", seen, w.codes)
	}
	test.Tap(q.Prev)
	s.Wait()
	if q.Page() != 2 || len(q.Rows) != 2 {
		t.Fatalf("previous page: page %d rows %d", q.Page(), len(q.Rows))
	}

	// Filter by commune (B is the second in the list after "all").
	q.Commune.SetSelectedIndex(2)
	test.Tap(q.Apply)
	s.Wait()
	if got := codes(q.Rows); len(got) != 2 || got[0] != w.codes[4] || got[1] != w.codes[3] {
		t.Fatalf("commune B: %v", got)
	}
	test.Tap(q.Clear)
	s.Wait()

	// Search by name without diacritics, by ID number, by code.
	for _, c := range []struct{ text, want string }{
		{"nguyen thi hong nhung", w.codes[0]}, {"075088004444", w.codes[4]}, {w.codes[2], w.codes[2]},
	} {
		q.Search.SetText("")
		test.Type(q.Search, c.text)
		test.Tap(q.Apply)
		s.Wait()
		if got := codes(q.Rows); len(got) != 1 || got[0] != c.want {
			t.Errorf("search %q: %v, want %s (message %q)", c.text, got, c.want, q.Message.Text)
		}
	}
	q.Search.SetText("")

	// A bad date says so and loads nothing.
	before := q.Rows
	test.Type(q.From, "31/02/2026")
	test.Tap(q.Apply)
	s.Wait()
	if !strings.Contains(q.Message.Text, "dd/mm/yyyy") || len(q.Rows) != len(before) {
		t.Fatalf("bad date: %q", q.Message.Text)
	}
	q.From.SetText("23/11/2026")
	q.To.SetText("22/11/2026")
	test.Tap(q.Apply)
	s.Wait()
	if q.Message.Text != "\"Đến ngày\" phải sau \"Từ ngày\"." {
		t.Fatalf("reversed range: %q", q.Message.Text)
	}
	q.To.SetText("23/11/2026")
	test.Tap(q.Apply)
	s.Wait()
	if len(q.Rows) != 2 || q.Message.Text != "" { // page size 2 of the five received that day
		t.Fatalf("date range: %d rows, %q", len(q.Rows), q.Message.Text)
	}
	q.From.SetText("24/11/2026")
	q.To.SetText("30/11/2026")
	test.Tap(q.Apply)
	s.Wait()
	if len(q.Rows) != 0 || q.Message.Text != "Không có hồ sơ nào." {
		t.Fatalf("empty range: %d rows, %q", len(q.Rows), q.Message.Text)
	}
	test.Tap(q.Clear)
	s.Wait()

	// Status filter: refused only finds none yet.
	q.Status.SetSelectedIndex(4) // Từ chối
	test.Tap(q.Apply)
	s.Wait()
	if len(q.Rows) != 0 {
		t.Fatalf("status refused: %v", codes(q.Rows))
	}
	q.Status.SetSelectedIndex(0)

	// Every queue answers; nothing is overdue or awaiting yet.
	for _, name := range review.Queues {
		test.Tap(q.Buttons[name])
		s.Wait()
		if q.Queue != name || strings.Contains(q.Message.Text, "lỗi") {
			t.Fatalf("queue %s: %q", name, q.Message.Text)
		}
		want := 0
		if name == review.QueueNew {
			want = 2 // the first page
		}
		if len(q.Rows) != want {
			t.Errorf("queue %s: %d rows, want %d", name, len(q.Rows), want)
		}
	}
	// Three days later the session has ended: the reviewer is sent back to
	// sign in, with the reason; then every dossier is past its appointment.
	w.hub.Clock.Set(start.Add(80 * time.Hour))
	test.Tap(q.Buttons[review.QueueOverdue])
	s.Wait()
	if got := s.LoginError.Text; got != "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại." {
		t.Fatalf("expired session: %q", got)
	}
	signIn(t, s, password)
	q = s.Queue
	test.Tap(q.Buttons[review.QueueOverdue])
	s.Wait()
	if len(q.Rows) != 2 || !q.Rows[0].Overdue || q.Next.Disabled() {
		t.Fatalf("overdue queue: %+v", q.Rows)
	}
}

func TestDossierShowsMissingPapersAndRendersItsScans(t *testing.T) {
	w := newWorld(t)
	s, _ := w.screen(t, t.TempDir(), 50)
	signIn(t, s, password)
	s.OpenDossier(w.scan)
	s.Wait()
	d := s.Dossier
	if d == nil || d.D.Code != w.scan {
		t.Fatalf("dossier not shown: %v", d)
	}
	if got := d.Missing.Text; got != "Còn thiếu theo thủ tục: Giấy chứng sinh" {
		t.Errorf("missing: %q", got)
	}
	if !strings.Contains(d.Info.Text, "Nguyễn Thị Hồng Nhung") || !strings.Contains(d.Info.Text, "001190012345") {
		t.Errorf("applicant: %q", d.Info.Text)
	}
	if !strings.Contains(d.History.Text, "Tiếp nhận") {
		t.Errorf("history: %q", d.History.Text)
	}
	if len(d.Files.Options) != 2 {
		t.Fatalf("files: %v", d.Files.Options)
	}
	// The declaration, a 2-page PDF, is rendered by go-fitz at 100 %.
	if d.Rendered == nil {
		t.Fatalf("no page rendered: %q", d.ScanMsg.Text)
	}
	if p, n := d.PageShown(); p != 1 || n != 2 {
		t.Fatalf("page %d/%d", p, n)
	}
	w100 := d.Rendered.Bounds().Dx()
	if w100 < 780 || w100 > 800 { // A4 at 96 dpi is 794 px wide
		t.Errorf("A4 at 100%%: %d px wide", w100)
	}
	if !inked(d.Rendered) {
		t.Error("the rendered page is blank")
	}
	test.Tap(d.NextPage)
	s.Wait()
	if p, _ := d.PageShown(); p != 2 || !d.NextPage.Disabled() {
		t.Fatalf("next page: %d", p)
	}
	test.Tap(d.ZoomIn)
	s.Wait()
	if d.Zoom() != 125 || d.Rendered.Bounds().Dx() <= w100 {
		t.Fatalf("zoom in: %d%% %d px", d.Zoom(), d.Rendered.Bounds().Dx())
	}
	if got := d.PageLabel.Text; got != "Trang 2/2 · 125%" {
		t.Errorf("page label: %q", got)
	}
	// The ID card, a PNG.
	d.Files.SetSelectedIndex(1)
	s.Wait()
	if d.Rendered == nil || d.Rendered.Bounds().Dx() < 100 || !inked(d.Rendered) {
		t.Fatalf("PNG scan: %v %q", d.Rendered, d.ScanMsg.Text)
	}
	test.Tap(d.Back)
	if s.Dossier != nil {
		t.Fatal("back did not close the dossier")
	}
}

// inked tells whether an image has dark pixels (text, lines).
func inked(img image.Image) bool {
	b := img.Bounds()
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x6000 {
				dark++
			}
		}
	}
	return dark > 50
}

func TestEachDecisionReachesTheHubAndErrorsKeepWhatWasTyped(t *testing.T) {
	w := newWorld(t)
	s, _ := w.screen(t, t.TempDir(), 50)
	signIn(t, s, password)
	ctx := context.Background()
	status := func(code string) int {
		t.Helper()
		d, err := w.hub.Store.ReviewDossier(ctx, []string{communeA, communeB}, code, w.hub.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}

	// Accept into processing: the dialog asks to confirm; then status 4.
	s.OpenDossier(w.codes[1])
	s.Wait()
	d := s.Dossier
	test.Tap(d.Decide[review.Accept])
	f := d.Form(review.Accept)
	if f == nil || f.Dialog == nil {
		t.Fatal("no confirmation dialog")
	}
	test.Tap(f.Confirm)
	s.Wait()
	if st := status(w.codes[1]); st != 4 || s.Dossier.D.Status != 4 {
		t.Fatalf("accept: hub status %d, shown %d (%q)", st, s.Dossier.D.Status, f.Error.Text)
	}
	if s.LastNotice != "Đã tiếp nhận hồ sơ "+w.codes[1]+" vào xử lý." {
		t.Errorf("notice: %q", s.LastNotice)
	}
	test.Tap(s.Queue.Buttons[review.QueueAwaiting])
	s.Wait()
	if got := codes(s.Queue.Rows); len(got) != 1 || got[0] != w.codes[1] {
		t.Errorf("awaiting queue after accepting: %v", got)
	}

	// Record the result: the result is required.
	d = s.Dossier
	test.Tap(d.Decide[review.Done])
	f = d.Form(review.Done)
	test.Tap(f.Confirm)
	if f.Error.Text != "Nhập kết quả (ví dụ số giấy tờ đã cấp)." || status(w.codes[1]) != 4 {
		t.Fatalf("done without a result: %q", f.Error.Text)
	}
	test.Type(f.Result, "Giấy khai sinh số 123/2026")
	test.Tap(f.Confirm)
	s.Wait()
	if st := status(w.codes[1]); st != 9 {
		t.Fatalf("done: hub status %d (%q)", st, f.Error.Text)
	}

	// Supplement: what is missing is ticked at once; a reason is required.
	s.OpenDossier(w.scan)
	s.Wait()
	d = s.Dossier
	test.Tap(d.Decide[review.Supplement])
	f = d.Form(review.Supplement)
	if got := f.Items.Selected; len(got) != 1 || got[0] != "Giấy chứng sinh" {
		t.Fatalf("supplement items ticked: %v", got)
	}
	test.Tap(f.Confirm)
	if f.Error.Text != "Nhập lý do và hướng dẫn bổ sung." {
		t.Fatalf("supplement without reason: %q", f.Error.Text)
	}
	test.Type(f.Reason, "Bổ sung bản chính giấy chứng sinh")
	test.Tap(f.Confirm)
	s.Wait()
	if st := status(w.scan); st != 5 {
		t.Fatalf("supplement: hub status %d (%q)", st, f.Error.Text)
	}
	hd, _ := w.hub.Store.ReviewDossier(ctx, []string{communeA}, w.scan, w.hub.Clock.Now())
	if n := len(hd.Decisions); n != 1 || len(hd.Decisions[0].Items) != 1 || hd.Decisions[0].Items[0] != "Giấy chứng sinh" ||
		hd.Decisions[0].Reason != "Bổ sung bản chính giấy chứng sinh" {
		t.Errorf("supplement at the hub: %+v", hd.Decisions)
	}
	if !strings.Contains(s.Dossier.History.Text, "Quyết định: yêu cầu bổ sung") {
		t.Errorf("history after the decision: %q", s.Dossier.History.Text)
	}

	// Refuse: the reason is required; when the hub is unreachable the
	// decision is not queued, the dialog stays and keeps the reason.
	s.OpenDossier(w.codes[3])
	s.Wait()
	d = s.Dossier
	test.Tap(d.Decide[review.Refuse])
	f = d.Form(review.Refuse)
	test.Tap(f.Confirm)
	if f.Error.Text != "Phải nhập lý do từ chối." {
		t.Fatalf("refuse without reason: %q", f.Error.Text)
	}
	test.Type(f.Reason, "Hồ sơ không thuộc thẩm quyền")
	w.hub.Stop()
	test.Tap(f.Confirm)
	s.Wait()
	if !strings.HasPrefix(f.Error.Text, "Không kết nối được máy chủ tỉnh: quyết định CHƯA được ghi") {
		t.Fatalf("refuse while the hub is down: %q", f.Error.Text)
	}
	if f.Reason.Text != "Hồ sơ không thuộc thẩm quyền" || s.Dossier.Form(review.Refuse) != f {
		t.Fatalf("the reason typed was lost: %q", f.Reason.Text)
	}
	if st := status(w.codes[3]); st != 2 {
		t.Fatalf("refused although the hub was down: %d", st)
	}
}

func TestDecisionTheHubRefusesIsExplainedInVietnamese(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.hub.AddReviewer(ctx, "xem", "Chi-xem-2026!", "Người Xem", "viewer", communeA); err != nil {
		t.Fatal(err)
	}
	s, _ := w.screen(t, t.TempDir(), 50)
	s.User.SetText("xem")
	s.Password.SetText("Chi-xem-2026!")
	test.Tap(s.LoginButton)
	s.Wait()
	if s.Queue == nil {
		t.Fatalf("viewer not signed in: %q", s.LoginError.Text)
	}
	if got := codes(s.Queue.Rows); len(got) != 3 {
		t.Fatalf("the viewer of commune A sees %v", got)
	}
	// A dossier of commune B is out of scope.
	s.OpenDossier(w.codes[4])
	s.Wait()
	if got := s.Dossier.Message.Text; !strings.Contains(got, "không thuộc các xã bạn phụ trách") && !strings.Contains(got, "Không tìm thấy") {
		t.Fatalf("out of scope: %q", got)
	}
	// A viewer may not decide: the hub refuses, the screen says why.
	s.OpenDossier(w.codes[1])
	s.Wait()
	test.Tap(s.Dossier.Decide[review.Accept])
	f := s.Dossier.Form(review.Accept)
	test.Tap(f.Confirm)
	s.Wait()
	if f.Error.Text != "Tài khoản của bạn không được phép việc này, hoặc hồ sơ không thuộc các xã bạn phụ trách." {
		t.Fatalf("viewer deciding: %q", f.Error.Text)
	}
}

func TestDashboardAndCSVExport(t *testing.T) {
	w := newWorld(t)
	s, _ := w.screen(t, t.TempDir(), 50)
	signIn(t, s, password)
	s.Tabs.SelectIndex(1) // loads the dashboard
	s.Wait()
	db := s.Dashboard
	if db.Message.Text != "" {
		t.Fatalf("dashboard: %q", db.Message.Text)
	}
	if db.D.Total.Received != 5 || len(db.D.Offices) != 2 {
		t.Fatalf("dashboard figures: total %+v, %d communes", db.D.Total, len(db.D.Offices))
	}
	if got := review.CellText(db.D.Total, 0, true); got != "Tổng cộng" {
		t.Errorf("total row: %q", got)
	}
	var sum int
	for _, p := range db.Chart.Bars {
		sum += p.Received
	}
	if sum != 5 || db.Chart.Max() < 5 {
		t.Errorf("chart: %d received over %d points", sum, len(db.Chart.Bars))
	}
	db.Commune.SetSelectedIndex(2)
	test.Tap(db.Show)
	s.Wait()
	if db.D.Total.Received != 2 {
		t.Errorf("commune B: %+v", db.D.Total)
	}
	db.From.SetText("hôm qua")
	test.Tap(db.Show)
	if !strings.Contains(db.Message.Text, "dd/mm/yyyy") {
		t.Errorf("bad date: %q", db.Message.Text)
	}
	db.From.SetText("01/01/2026") // a long period is charted per week
	test.Tap(db.Show)
	s.Wait()
	if db.ChartTitle.Text != "Theo tuần" || len(db.Chart.Bars) == 0 || len(db.Chart.Bars) > 53 || db.D.Total.Received != 2 {
		t.Errorf("weekly chart: %q, %d points, %+v", db.ChartTitle.Text, len(db.Chart.Bars), db.D.Total)
	}
	db.From.SetText("01/11/2026")
	test.Tap(db.Show)
	s.Wait()
	if db.ChartTitle.Text != "Theo ngày" {
		t.Errorf("daily chart: %q", db.ChartTitle.Text)
	}
	path := filepath.Join(t.TempDir(), "thong-ke.csv")
	db.ExportCSV(path)
	s.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("CSV not written: %v (%q)", err, db.Message.Text)
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !strings.Contains(string(b), "UBND xã Tân Phú") {
		t.Errorf("CSV: %q", b)
	}
	if db.Exported != path || !strings.Contains(db.Saved.Text, path) {
		t.Errorf("export not reported: %q", db.Saved.Text)
	}
	db.ExportCSV(filepath.Join(t.TempDir(), "no", "such", "dir", "x.csv"))
	s.Wait()
	if !strings.HasPrefix(db.Message.Text, "Không ghi được tệp") {
		t.Errorf("unwritable path: %q", db.Message.Text)
	}
}

var bannerRE = regexp.MustCompile(`^Không kết nối được máy chủ tỉnh — đang hiển thị dữ liệu tải lúc \d\d:\d\d \d\d/\d\d/\d{4}$`)

func TestOfflineShowsTheCacheWithABannerAndNoDecisions(t *testing.T) {
	w := newWorld(t)
	cache := t.TempDir()
	s, _ := w.screen(t, cache, 50)
	signIn(t, s, password)
	s.OpenDossier(w.scan) // opened while online: cached with its scans
	s.Wait()
	if s.Dossier.Rendered == nil {
		t.Fatal("scan not rendered online")
	}
	s.Dossier.Files.SetSelectedIndex(1)
	s.Wait()
	test.Tap(s.Dossier.Back)
	if s.BannerText() != "" {
		t.Fatalf("banner while online: %q", s.BannerText())
	}

	w.hub.Clock.Set(start.Add(2 * time.Hour))
	w.hub.Stop()
	test.Tap(s.Queue.Apply)
	s.Wait()
	got := s.BannerText()
	if !bannerRE.MatchString(got) || !strings.HasSuffix(got, "09:10 23/11/2026") {
		t.Fatalf("banner: %q", got)
	}
	if len(s.Queue.Rows) != 5 {
		t.Fatalf("cached queue: %d rows", len(s.Queue.Rows))
	}
	s.OpenDossier(w.scan)
	s.Wait()
	d := s.Dossier
	if d.D.Code != w.scan || !strings.Contains(d.Info.Text, "Nguyễn Thị Hồng Nhung") || d.Rendered == nil {
		t.Fatalf("cached dossier: %q %q", d.Info.Text, d.ScanMsg.Text)
	}
	for o, b := range d.Decide {
		if !b.Disabled() {
			t.Errorf("decision %s possible offline", o)
		}
	}
	if !strings.Contains(d.OfflineNote.Text, "không được lưu chờ gửi sau") {
		t.Errorf("offline note: %q", d.OfflineNote.Text)
	}
	s.OpenDossier(w.codes[4]) // never opened
	s.Wait()
	if got := s.Dossier.Message.Text; !strings.Contains(got, "chưa được mở lần nào") {
		t.Errorf("uncached dossier: %q", got)
	}

	// A new start of the app while the hub is down: the same reviewer, with
	// the same password, reads the cache; someone else cannot.
	s2, _ := w.screen(t, cache, 50)
	signIn(t, s2, "Sai-mat-khau-1")
	if s2.Queue != nil || s2.LoginError.Text != "Không kết nối được máy chủ tỉnh. Kiểm tra mạng rồi thử lại." {
		t.Fatalf("offline sign-in with a wrong password: %q", s2.LoginError.Text)
	}
	signIn(t, s2, password)
	if s2.Queue == nil || len(s2.Queue.Rows) != 5 || !bannerRE.MatchString(s2.BannerText()) {
		t.Fatalf("offline sign-in: %q %q", s2.LoginError.Text, s2.BannerText())
	}
}

func TestAnotherReviewerDoesNotInheritTheCache(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.hub.AddReviewer(ctx, "xem", "Chi-xem-2026!", "Người Xem", "viewer", communeA); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, _ := w.screen(t, dir, 50)
	signIn(t, s, password)
	s.OpenDossier(w.codes[4]) // commune B, outside the viewer's scope
	s.Wait()
	cache := review.NewCache(dir)
	if _, _, err := cache.Dossier(w.codes[4]); err != nil {
		t.Fatalf("dossier not cached: %v", err)
	}
	test.Tap(s.Logout)
	s.Wait()
	s.User.SetText("xem")
	s.Password.SetText("Chi-xem-2026!")
	test.Tap(s.LoginButton)
	s.Wait()
	if s.Queue == nil {
		t.Fatalf("viewer not signed in: %q", s.LoginError.Text)
	}
	if _, _, err := cache.Dossier(w.codes[4]); !review.IsMissing(err) {
		t.Fatalf("the first reviewer's dossier is still cached for the second: %v", err)
	}
	if h, u := cache.Owner(); h != w.hub.URL() || u != "xem" {
		t.Fatalf("cache owner: %s %s", h, u)
	}
}
