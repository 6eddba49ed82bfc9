package counter_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

const leaderLogin, leaderPassword = "lanhdao", "LanhDao-2026"

// loginAs logs an account in through the login screen.
func loginAs(t *testing.T, c *counter.Counter, login, password string) {
	t.Helper()
	c.Login.Login.SetText("")
	test.Type(c.Login.Login, login)
	test.Type(c.Login.Password, password)
	test.Tap(c.Login.Submit)
	c.Wait()
	if c.Account().Login != login {
		t.Fatalf("not logged in: %q", c.Login.Error.Text)
	}
}

func addLeader(t *testing.T, env *uitest.Env) auth.Account {
	t.Helper()
	a, err := env.Auth.Create(context.Background(), leaderLogin, "Trần Văn Lãnh", auth.RoleLeader, leaderPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// openFirst opens the first dossier of the list in the detail view.
func openFirst(t *testing.T, c *counter.Counter) *counter.Detail {
	t.Helper()
	c.ShowList()
	c.List.Reload()
	c.Wait()
	c.List.List.Select(0)
	c.Wait()
	if c.Detail == nil || c.Detail.Dossier() == nil {
		t.Fatal("detail not opened")
	}
	return c.Detail
}

func stored(t *testing.T, env *uitest.Env, id int64) *dossier.Dossier {
	t.Helper()
	d, err := env.Store.Dossier(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(x fyne.CanvasObject) {
		switch v := x.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, ch := range v.Objects {
				walk(ch)
			}
		}
	}
	walk(o)
	return b.String()
}

func tapStep(t *testing.T, c *counter.Counter, a dossier.Action) *counter.StepDialog {
	t.Helper()
	b := c.Detail.StepButton(a)
	if b == nil {
		t.Fatalf("no %s button", a)
	}
	test.Tap(b)
	sd := c.Detail.StepDialog()
	if sd == nil || sd.Action != a {
		t.Fatalf("no %s dialog", a)
	}
	return sd
}

func TestAClerkRequestsASupplementAndPrintsForm02(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 0)
	login(t, c)
	v := openFirst(t, c)
	id := v.Dossier().ID
	if v.StepButton(dossier.ActionRefuse) != nil || v.StepButton(dossier.ActionStop) != nil {
		t.Error("a clerk is offered the leader's refusal or stop")
	}
	sd := tapStep(t, c, dossier.ActionSupplement)
	if sd.Official.Text != uitest.ClerkName {
		t.Errorf("contact official prefilled %q", sd.Official.Text)
	}
	test.Tap(sd.Confirm)
	c.Wait()
	if !strings.Contains(sd.Error.Text, "Ghi ít nhất một giấy tờ") || stored(t, env, id).Status != dossier.StatusReceived {
		t.Fatalf("empty request: error %q", sd.Error.Text)
	}
	sd.Items.SetText("Giấy chứng sinh (bản chính)\n\nBản sao Giấy chứng nhận kết hôn")
	sd.Reason.SetText("Thiếu giấy chứng sinh")
	test.Type(sd.Phone, "0912 345 678")
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusSupplement {
		t.Fatalf("status %d: error %q", d.Status, sd.Error.Text)
	}
	if c.Detail.StepDialog() != nil {
		t.Error("dialog still open")
	}
	if got := c.Detail.StepMessage(); got != "Đã ghi: Yêu cầu bổ sung." {
		t.Errorf("message %q", got)
	}
	hist := texts(c.Detail.History)
	if !strings.Contains(hist, "Đã tiếp nhận → Yêu cầu bổ sung") || !strings.Contains(hist, "Thiếu giấy chứng sinh") {
		t.Errorf("history:\n%s", hist)
	}
	if rec := texts(c.Detail.Record); !strings.Contains(rec, "Giấy chứng sinh (bản chính); Bản sao Giấy chứng nhận kết hôn") {
		t.Errorf("record:\n%s", rec)
	}
	if c.Detail.StepButton(dossier.ActionSupplemented) == nil || c.Detail.StepButton(dossier.ActionSupplement) != nil {
		t.Error("buttons not rebuilt for the new status")
	}
	p := c.Detail.PrintButton("02")
	if p == nil {
		t.Fatal("no form 02 to print")
	}
	test.Tap(p)
	c.Wait()
	if files := env.PrintedFiles(); len(files) != 1 || !strings.Contains(pdfTextOf(t, files[0]), "PHIẾU YÊU CẦU BỔ SUNG") {
		t.Fatalf("printed %v, message %q", files, c.Detail.StepMessage())
	}
}

func TestTheLeaderRefusesWithAReason(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 0)
	addLeader(t, env)
	loginAs(t, c, leaderLogin, leaderPassword)
	v := openFirst(t, c)
	id := v.Dossier().ID
	if v.StepButton(dossier.ActionSupplement) != nil || v.StepButton(dossier.ActionStart) != nil {
		t.Error("the leader is offered the clerk's steps")
	}
	sd := tapStep(t, c, dossier.ActionRefuse)
	test.Tap(sd.Confirm)
	c.Wait()
	if sd.Error.Text != "Ghi rõ lý do." {
		t.Fatalf("refusal without reason: %q", sd.Error.Text)
	}
	sd.Reason.SetText("Không thuộc thẩm quyền giải quyết của UBND xã")
	test.Tap(sd.Confirm)
	c.Wait()
	d := stored(t, env, id)
	if d.Status != dossier.StatusRefused {
		t.Fatalf("status %d: %q", d.Status, sd.Error.Text)
	}
	if len(c.Detail.Steps.Objects) != 2 { // no step left: spacer and message only
		t.Errorf("%d objects in the step bar of a refused dossier", len(c.Detail.Steps.Objects))
	}
	test.Tap(c.Detail.PrintButton("03"))
	c.Wait()
	files := env.PrintedFiles()
	if len(files) != 1 || !strings.Contains(pdfTextOf(t, files[0]), "Không thuộc thẩm quyền giải quyết của UBND xã") {
		t.Fatalf("printed %v", files)
	}
}

func TestAnApologyMovesTheAppointmentOnceUnlessTheLeaderOverrides(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 1) // received 30 days ago: overdue
	login(t, c)
	v := openFirst(t, c)
	id := v.Dossier().ID
	if !v.Overdue.Visible() {
		t.Fatal("an overdue dossier is not flagged")
	}
	sd := tapStep(t, c, dossier.ActionExtend)
	if sd.NewDue.Text == "" || sd.Override != nil {
		t.Fatalf("new date %q, override offered to a clerk: %v", sd.NewDue.Text, sd.Override != nil)
	}
	sd.NewDue.SetText("hôm nay")
	sd.Reason.SetText("Chờ xác minh")
	test.Tap(sd.Confirm)
	if !strings.Contains(sd.Error.Text, "ngày/tháng/năm") {
		t.Fatalf("bad date: %q", sd.Error.Text)
	}
	sd.NewDue.SetText("30/11/2026 16:00")
	test.Tap(sd.Confirm)
	c.Wait()
	want := time.Date(2026, 11, 30, 16, 0, 0, 0, uitest.VN)
	if d := stored(t, env, id); !d.DueAt.Equal(want) {
		t.Fatalf("due %s, error %q", d.DueAt, sd.Error.Text)
	}
	if c.Detail.Overdue.Visible() {
		t.Error("still flagged overdue after the new appointment")
	}
	if !strings.Contains(texts(c.Detail.Record), "30/11/2026") || c.Detail.PrintButton("04") == nil {
		t.Errorf("record:\n%s", texts(c.Detail.Record))
	}
	// a second apology by the clerk is refused
	sd = tapStep(t, c, dossier.ActionExtend)
	sd.NewDue.SetText("02/12/2026 16:00")
	sd.Reason.SetText("Lần hai")
	test.Tap(sd.Confirm)
	c.Wait()
	if !strings.Contains(sd.Error.Text, "lãnh đạo cho phép") {
		t.Fatalf("second apology: %q", sd.Error.Text)
	}
	test.Tap(sd.Cancel)

	// the leader may override
	addLeader(t, env)
	c.Logout()
	loginAs(t, c, leaderLogin, leaderPassword)
	openFirst(t, c)
	sd = tapStep(t, c, dossier.ActionExtend)
	if sd.Override == nil {
		t.Fatal("no override for the leader")
	}
	sd.NewDue.SetText("02/12/2026 16:00")
	sd.Reason.SetText("Lần hai, lãnh đạo đồng ý")
	sd.Override.SetChecked(true)
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); !d.DueAt.Equal(time.Date(2026, 12, 2, 16, 0, 0, 0, uitest.VN)) {
		t.Fatalf("override: due %s, error %q", d.DueAt, sd.Error.Text)
	}
}

func TestReturningAResultRecordsWhoCollectedIt(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 0)
	ctx := context.Background()
	page, err := env.Store.List(ctx, dossier.Query{})
	if err != nil {
		t.Fatal(err)
	}
	id := page.Items[0].ID
	for _, a := range []dossier.Action{dossier.ActionStart, dossier.ActionResult} {
		d := stored(t, env, id)
		if _, err := env.Lifecycle.Step(ctx, env.Clerk, id, d.Status, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	login(t, c)
	openFirst(t, c)
	sd := tapStep(t, c, dossier.ActionReturn)
	if sd.Name.Text != seedNames[0] || sd.IDNumber.Text != "001190000000" || sd.HandedOver.Text == "" {
		t.Fatalf("collector prefilled %q %q %q", sd.Name.Text, sd.IDNumber.Text, sd.HandedOver.Text)
	}
	sd.Name.SetText("Lê Văn Ủy")
	sd.IDNumber.SetText("12345")
	sd.Authorised.SetChecked(true)
	test.Tap(sd.Confirm)
	c.Wait()
	if !strings.Contains(sd.Error.Text, "12 chữ số") {
		t.Fatalf("bad ID: %q", sd.Error.Text)
	}
	sd.IDNumber.SetText("001085001234")
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusReturned {
		t.Fatalf("status %d: %q", d.Status, sd.Error.Text)
	}
	lc, err := env.Lifecycle.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if lc.Return == nil || lc.Return.FullName != "Lê Văn Ủy" || !lc.Return.Authorised || lc.ReturnedBy != uitest.ClerkLogin {
		t.Fatalf("return %+v by %q", lc.Return, lc.ReturnedBy)
	}
	if rec := texts(c.Detail.Record); !strings.Contains(rec, "Lê Văn Ủy (người được ủy quyền, số định danh 001085001234)") {
		t.Errorf("record:\n%s", rec)
	}
	test.Tap(c.Detail.PrintButton("06"))
	c.Wait()
	if files := env.PrintedFiles(); len(files) != 1 || !strings.Contains(pdfTextOf(t, files[0]), "PHIẾU KIỂM SOÁT") {
		t.Fatalf("printed %v", files)
	}
}

func TestTheLeaderSeesTheHomeScreenAndExportsTheTrackingBook(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 12, 4) // 4 received in October, overdue; 8 today
	addLeader(t, env)
	loginAs(t, c, leaderLogin, leaderPassword)
	if c.Home == nil || c.Tabs.SelectedIndex() != 2 {
		t.Fatal("the leader does not land on the home tab")
	}
	c.Wait()
	h := c.Home
	f := h.Figures
	if f.ReceivedToday != 8 || f.Overdue != 4 || h.ReceivedToday.Text != "8" || h.Overdue.Text != "4" || h.OnTime.Text != "—" {
		t.Fatalf("figures %+v; shown %q %q %q", f, h.ReceivedToday.Text, h.Overdue.Text, h.OnTime.Text)
	}
	if len(h.Chart.Bars) != 30 || h.Chart.Bars[29].Received != 8 || h.Chart.Max() != 8 {
		t.Fatalf("chart %+v", h.Chart.Bars)
	}
	if !strings.Contains(texts(h.ByProcedure), "Đăng ký khai sinh: 8 tiếp nhận") {
		t.Errorf("by procedure:\n%s", texts(h.ByProcedure))
	}
	name := filepath.Join(t.TempDir(), "so.csv")
	fl, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.WriteTrackingCSV(fl); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(name)
	if !bytes.HasPrefix(b, []byte("\ufeffSTT sổ,Mã hồ sơ")) || bytes.Count(b, []byte("\r\n")) != 9 {
		t.Fatalf("csv:\n%s", b)
	}
	test.Tap(h.PrintBook)
	c.Wait()
	if files := env.PrintedFiles(); len(files) != 1 || !strings.Contains(pdfTextOf(t, files[0]), "SỔ THEO DÕI HỒ SƠ") {
		t.Fatalf("printed %v: %q", files, h.Message.Text)
	}

	// a clerk lands on reception, the home tab one click away
	c.Logout()
	login(t, c)
	if c.Tabs.SelectedIndex() != 0 {
		t.Errorf("clerk lands on tab %d", c.Tabs.SelectedIndex())
	}
}

// pdfTextOf extracts a printed PDF's text with poppler's pdftotext.
func pdfTextOf(t *testing.T, file string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is required: install the Debian package poppler-utils (%v)", err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestAClerkRequestsPaymentAndRecordsTheFeeCollected(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 0)
	login(t, c)
	v := openFirst(t, c)
	id := v.Dossier().ID
	if v.StepButton(dossier.ActionRequestFee) != nil {
		t.Fatal("payment offered before processing started")
	}
	sd := tapStep(t, c, dossier.ActionStart)
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusProcessing {
		t.Fatalf("status %d: %q", d.Status, sd.Error.Text)
	}
	if c.Detail.StepButton(dossier.ActionPaid) != nil {
		t.Error("'paid' offered before payment was requested")
	}
	sd = tapStep(t, c, dossier.ActionRequestFee)
	sd.Note.SetText("Lệ phí đăng ký khai sinh quá hạn: 8.000 đồng")
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusPayment {
		t.Fatalf("status %d after requesting payment: %q", d.Status, sd.Error.Text)
	}
	if got := c.Detail.StepMessage(); got != "Đã ghi: Yêu cầu thanh toán." {
		t.Errorf("message %q", got)
	}
	if c.Detail.StepButton(dossier.ActionResult) != nil || c.Detail.StepButton(dossier.ActionPaid) == nil {
		t.Fatal("while waiting for payment: a result may be recorded, or the payment may not")
	}
	env.Clock.Advance(20 * time.Minute)
	sd = tapStep(t, c, dossier.ActionPaid)
	sd.Note.SetText("Đã thu 8.000 đồng, biên lai số 0001234")
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusProcessing {
		t.Fatalf("status %d after the fee was collected: %q", d.Status, sd.Error.Text)
	}
	if got := c.Detail.StepMessage(); got != "Đã ghi: Đã thanh toán." {
		t.Errorf("message %q", got)
	}
	hist := texts(c.Detail.History)
	for _, want := range []string{"Đang xử lý → Yêu cầu thanh toán · Lệ phí đăng ký khai sinh quá hạn: 8.000 đồng",
		"Yêu cầu thanh toán → Đang xử lý · Đã thu 8.000 đồng, biên lai số 0001234"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	if c.Detail.StepButton(dossier.ActionResult) == nil {
		t.Error("no result step once paid")
	}
}

func TestWaitingForASupplementPausesTheClockAndTheDetailShowsTheNewAppointment(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 1, 0) // received Monday 23/11 09:00, birth registration: due 17:00 the same day
	login(t, c)        // the clock is at 12:00: 210 working minutes left (13:30–17:00)
	v := openFirst(t, c)
	id := v.Dossier().ID
	sd := tapStep(t, c, dossier.ActionSupplement)
	sd.Items.SetText("Giấy chứng sinh (bản chính)")
	sd.Reason.SetText("Thiếu giấy chứng sinh")
	test.Tap(sd.Confirm)
	c.Wait()
	if d := stored(t, env, id); d.Status != dossier.StatusSupplement {
		t.Fatalf("status %d: %q", d.Status, sd.Error.Text)
	}
	rec := texts(c.Detail.Record)
	if !strings.Contains(rec, "Đang chờ bổ sung: thời gian giải quyết tạm dừng từ 12:00 23/11/2026 (hẹn trả lúc đó 17:00 23/11/2026)") {
		t.Errorf("record while waiting:\n%s", rec)
	}
	if form := formText(c.Detail.Form); !strings.Contains(form, "(tạm dừng, chờ bổ sung)") {
		t.Errorf("appointment not marked paused:\n%s", form)
	}

	// two days later, past the old appointment: not overdue while paused
	env.Clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, uitest.VN))
	c.Detail.Back.OnTapped()
	v = openFirst(t, c)
	if v.Overdue.Visible() {
		t.Error("a dossier waiting for a supplement is flagged overdue")
	}
	sd = tapStep(t, c, dossier.ActionSupplemented)
	sd.Note.SetText("Đã nhận giấy chứng sinh bản chính")
	test.Tap(sd.Confirm)
	c.Wait()
	// 90 minutes on Wednesday morning, 120 after 13:30: 15:30
	d := stored(t, env, id)
	if want := time.Date(2026, 11, 25, 15, 30, 0, 0, uitest.VN); d.Status != dossier.StatusProcessing || !d.DueAt.Equal(want) {
		t.Fatalf("status %d, appointment %s, want %s (%q)", d.Status, d.DueAt.In(uitest.VN), want, sd.Error.Text)
	}
	rec = texts(c.Detail.Record)
	if !strings.Contains(rec, "Đã nhận bổ sung lúc 10:00 25/11/2026: tính tiếp 3 giờ 30 phút làm việc còn lại, hẹn trả 17:00 23/11/2026 → 15:30 25/11/2026.") {
		t.Errorf("record after the supplement:\n%s", rec)
	}
	if form := formText(c.Detail.Form); !strings.Contains(form, "15:30") || strings.Contains(form, "tạm dừng") {
		t.Errorf("appointment row:\n%s", form)
	}
	test.Tap(c.Detail.PrintButton("02"))
	c.Wait()
	files := env.PrintedFiles()
	if len(files) != 1 {
		t.Fatalf("printed %v", files)
	}
	if txt := pdfTextOf(t, files[0]); !strings.Contains(txt, "không tính vào thời hạn giải quyết") ||
		!strings.Contains(txt, "thời gian trả kết quả hẹn lại: 15 giờ 30 phút, ngày 25/11/2026") {
		t.Errorf("form 02:\n%s", txt)
	}
}

// formText is the text of a form's rows, "label: value" a line.
func formText(f *widget.Form) string {
	var b strings.Builder
	for _, it := range f.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			b.WriteString(it.Text + ": " + l.Text + "\n")
		}
	}
	return b.String()
}
