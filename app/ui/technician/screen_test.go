package technician_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/technician"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/provision"
	"github.com/motcua/motcua/internal/store"
)

// receive stores n dossiers with one scan each, straight through the store.
func receive(t *testing.T, env *uitest.Env, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		at := uitest.Start.Add(time.Duration(i) * time.Minute)
		sha, _, err := env.Store.PutFile(ctx, bytes.NewReader(fmt.Appendf(nil, "scan of dossier %d %s", i, strings.Repeat("x", 2000))))
		if err != nil {
			t.Fatal(err)
		}
		d := &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Chứng thực bản sao từ bản chính", CatalogVersion: "2025.07",
			Applicant: dossier.Applicant{FullName: fmt.Sprintf("Nguyễn Văn %d", i), IDNumber: "001090012345", Phone: "0912345678"},
			Sets:      1, ProcessingTime: "Trong ngày", ReceivedAt: at, DueAt: at.Add(24 * time.Hour),
			Status: dossier.StatusReceived, Channel: dossier.ChannelInPerson, ReturnMethod: dossier.ReturnAtCounter,
			Papers: []dossier.Paper{{Name: "Bản chính", Form: 1, Count: 1, Required: true, Files: []string{sha}}}}
		if err := env.Store.Receive(ctx, d, uitest.ClerkLogin); err != nil {
			t.Fatal(err)
		}
	}
}

// tapDialog taps the button labelled text in the top dialog.
func tapDialog(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open to tap %q", text)
	}
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			r := test.TempWidgetRenderer(t, w)
			for _, x := range r.Objects() {
				walk(x)
			}
		}
	}
	walk(top)
	if found == nil {
		t.Fatalf("no %q button in the dialog", text)
	}
	test.Tap(found)
}

func dialogText(t *testing.T, w fyne.Window) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, x := range test.TempWidgetRenderer(t, w).Objects() {
				walk(x)
			}
		}
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		walk(top)
	}
	return b.String()
}

type fixture struct {
	env  *uitest.Env
	svc  *technician.EnvService
	s    *technician.Screen
	w    fyne.Window
	wake chan struct{}
}

func newFixture(t *testing.T) *fixture {
	test.NewTempApp(t)
	if err := widgets.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	env := uitest.NewEnv(t)
	wake := make(chan struct{}, 1)
	svc := &technician.EnvService{Env: env.Env, Actor: func() string { return "kythuat" }, Wake: wake}
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	s := technician.New(w, svc, &widgets.Tasks{Inline: true})
	w.SetContent(s.Content())
	s.Load()
	return &fixture{env: env, svc: svc, s: s, w: w, wake: wake}
}

func TestBackupSettingsAreEditedAndBadInputIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	if !s.Auto.Checked || s.Folder.Text != filepath.Join(f.env.Dir, "backups") || s.At.Text != "12:00" || s.Keep.Text != "14" {
		t.Fatalf("defaults shown: %v %q %q %q", s.Auto.Checked, s.Folder.Text, s.At.Text, s.Keep.Text)
	}
	usb := filepath.Join(t.TempDir(), "USB")
	for _, c := range []struct{ at, keep, want string }{
		{"25:00", "30", "Giờ sao lưu \"25:00\" không đúng"},
		{"trưa", "30", "không đúng"},
		{"17:30", "không", "Số bản giữ lại phải là số từ 1 đến 3650"},
		{"17:30", "0", "Số bản giữ lại"},
	} {
		s.Folder.SetText(usb)
		s.At.SetText(c.at)
		s.Keep.SetText(c.keep)
		test.Tap(s.SaveSettings)
		if !strings.Contains(s.LastError.Text, c.want) {
			t.Fatalf("%s/%s: error %q", c.at, c.keep, s.LastError.Text)
		}
		if set, _ := backup.Load(ctx, f.env.Store); set != (backup.Settings{}) {
			t.Fatalf("bad input saved %+v", set)
		}
	}
	// A folder that cannot be created (under a file) is explained, nothing saved.
	file := filepath.Join(t.TempDir(), "tep")
	os.WriteFile(file, []byte("x"), 0o600)
	s.Folder.SetText(filepath.Join(file, "sub"))
	s.At.SetText("17:30")
	s.Keep.SetText("30")
	test.Tap(s.SaveSettings)
	if !strings.Contains(s.LastError.Text, "Không dùng được thư mục sao lưu") {
		t.Fatalf("bad folder: %q", s.LastError.Text)
	}
	if set, _ := backup.Load(ctx, f.env.Store); set != (backup.Settings{}) {
		t.Fatalf("bad folder saved %+v", set)
	}
	s.Folder.SetText(usb)
	s.Auto.SetChecked(false)
	test.Tap(s.SaveSettings)
	if s.LastError.Text != "" || !strings.Contains(s.Result.Text, "tắt, lúc 17:30") {
		t.Fatalf("save: %q %q", s.Result.Text, s.LastError.Text)
	}
	set, err := backup.Load(ctx, f.env.Store)
	if err != nil || set.Folder != usb || set.Hour != 17 || set.Minute != 30 || set.Keep != 30 || !set.Disabled {
		t.Fatalf("saved %+v %v", set, err)
	}
	select {
	case <-f.wake:
	default:
		t.Fatal("the daily backup was not woken to read the new settings")
	}
}

func TestBackupNowListVerifyAndRestoreConfirmedTwice(t *testing.T) {
	f := newFixture(t)
	s, ctx := f.s, context.Background()
	receive(t, f.env, 6)
	test.Tap(s.BackupNow)
	if s.LastError.Text != "" || !strings.Contains(s.Result.Text, "Đã sao lưu và kiểm tra") || !strings.Contains(s.Result.Text, "6 hồ sơ, 6 tệp") {
		t.Fatalf("backup now: %q %q", s.Result.Text, s.LastError.Text)
	}
	if s.Progress.Value != 1 {
		t.Fatalf("progress %v", s.Progress.Value)
	}
	if len(s.Archives) != 1 || s.Archives[0].Kind != "manual" || s.List.Length() != 1 {
		t.Fatalf("list %+v", s.Archives)
	}
	if log, _ := f.env.Store.Backups(ctx, 5); len(log) != 1 || log[0].Kind != "manual" {
		t.Fatalf("backup log %+v", log)
	}
	if s.VerifyBtn.Disabled() == false {
		t.Fatal("verify enabled with nothing selected")
	}
	s.List.Select(0)
	test.Tap(s.VerifyBtn)
	if !strings.Contains(s.Result.Text, "nguyên vẹn: 6 hồ sơ, 6 tệp") {
		t.Fatalf("verify: %q %q", s.Result.Text, s.LastError.Text)
	}

	// A damaged copy beside it is refused in plain words.
	good := s.Archives[0].Path
	data, _ := os.ReadFile(good)
	data[len(data)/2] ^= 0xff
	bad := filepath.Join(filepath.Dir(good), "motcua-000.00.06.H56-20261122-090000-manual.tar.gz")
	os.WriteFile(bad, data, 0o600)
	test.Tap(s.Reload)
	if len(s.Archives) != 2 || s.Archives[1].Path != bad {
		t.Fatalf("list after reload %+v", s.Archives)
	}
	s.List.Select(1)
	test.Tap(s.VerifyBtn)
	if s.Result.Text != "" || !strings.Contains(s.LastError.Text, "hỏng") {
		t.Fatalf("damaged: %q %q", s.Result.Text, s.LastError.Text)
	}

	// Restore: cancel at the second question does nothing.
	s.List.Select(0)
	test.Tap(s.RestoreBtn)
	if !strings.Contains(dialogText(t, f.w), "Khôi phục bản sao lưu") {
		t.Fatalf("first question: %q", dialogText(t, f.w))
	}
	tapDialog(t, f.w, "Tiếp tục")
	if !strings.Contains(dialogText(t, f.w), "chắc chắn") {
		t.Fatalf("second question: %q", dialogText(t, f.w))
	}
	tapDialog(t, f.w, "Hủy")
	if wire.PendingRestore(f.env.Dir) != "" || s.QuitToRestore.Visible() {
		t.Fatal("a cancelled restore left something pending")
	}
	// Receive one more, then restore the backup for real.
	receive(t, f.env, 1)
	test.Tap(s.RestoreBtn)
	tapDialog(t, f.w, "Tiếp tục")
	tapDialog(t, f.w, "Khôi phục")
	if s.LastError.Text != "" || !strings.Contains(s.Result.Text, "Đã khôi phục và kiểm tra") || !s.QuitToRestore.Visible() {
		t.Fatalf("restore: %q %q", s.Result.Text, s.LastError.Text)
	}
	restored := wire.PendingRestore(f.env.Dir)
	if restored == "" {
		t.Fatal("no restore pending")
	}
	quit := false
	s.OnQuit = func() { quit = true }
	test.Tap(s.QuitToRestore)
	if !quit {
		t.Fatal("quit not called")
	}
	// The next start switches it in: 6 dossiers, the 7th only in the old folder.
	f.env.Close()
	old, err := wire.SwitchRestored(f.env.Dir, time.Now())
	if err != nil || old == "" {
		t.Fatalf("switch: %q %v", old, err)
	}
	st, err := store.Open(ctx, f.env.Dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(ctx, dossier.Query{}); err != nil || n != 6 {
		t.Fatalf("restored store holds %d dossiers, %v", n, err)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(old, store.DBFile)); err != nil {
		t.Fatalf("old data not kept: %v", err)
	}
}

func TestBundlesFromTheScreenAreSignedAndCheckedOnApply(t *testing.T) {
	f := newFixture(t)
	s := f.s
	dir := t.TempDir()
	key := filepath.Join(dir, "tinh.key")
	priv, pemData, err := provision.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(key, pemData, 0o600)
	file := filepath.Join(dir, "quay1.json")
	// without a slot, then without a key: plain messages, no file
	s.ExportFile.SetText(file)
	test.Tap(s.ExportBtn)
	if !strings.Contains(s.LastError.Text, "Hãy chọn số máy") {
		t.Fatalf("no slot: %q", s.LastError.Text)
	}
	s.Slot.SetSelected("1")
	s.HubURL.SetText("https://hub.example.vn")
	s.Token.SetText("tok_abc123")
	test.Tap(s.ExportBtn)
	if !strings.Contains(s.LastError.Text, "Cần tệp khóa ký") {
		t.Fatalf("no key: %q", s.LastError.Text)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a file was written without a key")
	}
	s.KeyFile.SetText(key)
	test.Tap(s.ExportBtn)
	if s.LastError.Text != "" || !strings.Contains(s.Result.Text, "Đã ghi gói cấu hình") || s.Token.Text != "" {
		t.Fatalf("export: %q %q", s.Result.Text, s.LastError.Text)
	}
	data, _ := os.ReadFile(file)
	if _, err := provision.Open(data, []ed25519Key{pub(priv)}, false); err != nil {
		t.Fatalf("the exported file does not open under its key: %v", err)
	}

	// Apply it back on this device (same office and slot: an update).
	s.ApplyFile.SetText(file)
	test.Tap(s.ApplyBtn)
	tapDialog(t, f.w, "Áp dụng")
	if !strings.Contains(s.LastError.Text, "chưa tin cậy") {
		t.Fatalf("untrusted: %q", s.LastError.Text)
	}
	tampered := filepath.Join(dir, "sua.json")
	os.WriteFile(tampered, bytes.Replace(data, []byte("hub.example.vn"), []byte("hub.gia-mao.vn"), 1), 0o600)
	s.ApplyFile.SetText(tampered)
	s.TrustKey.SetText(provision.FormatPublicKey(pub(priv)))
	s.AllowUnsigned.SetChecked(true)
	test.Tap(s.ApplyBtn)
	tapDialog(t, f.w, "Áp dụng")
	if !strings.Contains(s.LastError.Text, "bị hỏng hoặc đã bị sửa") {
		t.Fatalf("tampered: %q", s.LastError.Text)
	}
	if dp, _ := f.env.DeviceProvision(context.Background()); dp.HubURL != "" {
		t.Fatalf("a refused bundle changed the device: %+v", dp)
	}
	s.ApplyFile.SetText(file)
	s.AllowUnsigned.SetChecked(false)
	test.Tap(s.ApplyBtn)
	tapDialog(t, f.w, "Áp dụng")
	if s.LastError.Text != "" || !strings.Contains(s.Result.Text, "Đã áp dụng gói cấu hình") || !strings.Contains(s.Result.Text, provision.KeyID(pub(priv))) {
		t.Fatalf("apply: %q %q", s.Result.Text, s.LastError.Text)
	}
	dp, err := f.env.DeviceProvision(context.Background())
	if err != nil || dp.HubURL != "https://hub.example.vn" || dp.EnrolToken != "tok_abc123" {
		t.Fatalf("device provision %+v %v", dp, err)
	}
}

// TestScreenshot renders the screen with the test driver for the docs
// (the real-window screenshot is docs/screenshots/technician/take.sh).
func TestScreenshot(t *testing.T) {
	f := newFixture(t)
	receive(t, f.env, 3)
	test.Tap(f.s.BackupNow)
	f.s.List.Select(0)
	test.Tap(f.s.VerifyBtn)
	img := f.w.Canvas().Capture()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("MOTCUA_SHOT_DIR"); out != "" {
		os.WriteFile(filepath.Join(out, "technician-testdriver.png"), b.Bytes(), 0o644)
	}
	if img.Bounds().Dx() < 1000 {
		t.Fatalf("capture %v", img.Bounds())
	}
}
