package counter_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/auth"
)

func TestLoginErrors(t *testing.T) {
	env, w, c := open(t)
	if !showing(w, c.Login.Content()) {
		t.Fatal("login screen not shown first")
	}
	try := func(login, pw string) string {
		c.Login.Login.SetText("")
		test.Type(c.Login.Login, login)
		test.Type(c.Login.Password, pw)
		enter(c.Login.Password) // Enter submits
		c.Wait()
		return c.Login.Error.Text
	}
	if got := try("", "x"); got != "Chưa nhập tên đăng nhập." {
		t.Errorf("empty login: %q", got)
	}
	if got := try("khong.co", "MatKhau-2026"); got != "Sai tên đăng nhập hoặc mật khẩu." {
		t.Errorf("unknown login: %q", got)
	}
	var got string
	for i := 0; i < 5; i++ {
		got = try(uitest.ClerkLogin, "sai-mat-khau")
	}
	if want := "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần, thử lại sau 09:15."; got != want {
		t.Errorf("locked: %q, want %q", got, want)
	}
	if got := try(uitest.ClerkLogin, uitest.ClerkPassword); got != "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần, thử lại sau 09:15." {
		t.Errorf("right password while locked: %q", got)
	}
	if c.Account().Login != "" {
		t.Fatal("logged in while locked")
	}
	env.Clock.Advance(16 * time.Minute)

	// disabled account
	ctx := context.Background()
	a, err := env.Auth.Store.Account(ctx, uitest.ClerkLogin)
	if err != nil {
		t.Fatal(err)
	}
	a.Disabled = true
	if err := env.Auth.Store.SaveAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := try(uitest.ClerkLogin, uitest.ClerkPassword); got != "Tài khoản đã bị vô hiệu hóa. Liên hệ lãnh đạo đơn vị." {
		t.Errorf("disabled: %q", got)
	}
	a.Disabled = false
	if err := env.Auth.Store.SaveAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	try(uitest.ClerkLogin, uitest.ClerkPassword)
	if c.Account().Login != uitest.ClerkLogin {
		t.Fatalf("right password refused: %q", c.Login.Error.Text)
	}
	if c.Login.Password.Text != "" {
		t.Error("password left in the login screen")
	}
	want := "Cán bộ: Trần Thị Nhung (nhung.tran) · UBND xã Tân Phú · Hôm nay đã tiếp nhận: 0 hồ sơ"
	if c.StatusLine.Text != want {
		t.Errorf("status line %q, want %q", c.StatusLine.Text, want)
	}
}

func TestIdleLock(t *testing.T) {
	env, w, c := open(t)
	login(t, c)
	test.Type(c.Reception.Search, "khai sinh")

	env.Clock.Advance(9 * time.Minute)
	if c.Idle.Check() {
		t.Fatal("locked after 9 idle minutes")
	}
	test.Type(c.Reception.Search, " ") // input restarts the idle time
	env.Clock.Advance(9 * time.Minute)
	if c.Idle.Check() {
		t.Fatal("locked 9 minutes after the last key")
	}
	env.Clock.Advance(time.Minute)
	if !c.Idle.Check() || c.Lock == nil || !showing(w, c.Lock.Content()) {
		t.Fatal("not locked after 10 idle minutes")
	}
	if showing(w, c.Reception.Content()) {
		t.Fatal("the reception is still visible behind the lock")
	}
	if c.Idle.Check() {
		t.Fatal("locked twice")
	}

	// wrong password, then the right one: back where the clerk was
	test.Type(c.Lock.Password, "sai-mat-khau")
	test.Tap(c.Lock.Unlock)
	c.Wait()
	if c.Lock == nil || c.Lock.Error.Text != "Sai tên đăng nhập hoặc mật khẩu." {
		t.Fatal("wrong password unlocked or gave no message")
	}
	test.Type(c.Lock.Password, uitest.ClerkPassword)
	enter(c.Lock.Password)
	c.Wait()
	if c.Lock != nil || !showing(w, c.Reception.Content()) {
		t.Fatal("right password did not unlock")
	}
	if c.Reception.Search.Text != "khai sinh " {
		t.Errorf("work lost across the lock: %q", c.Reception.Search.Text)
	}

	// the lock button, then switch user: back to the login screen, work dropped
	test.Tap(c.LockButton)
	test.Tap(c.Lock.Switch)
	if c.Account().Login != "" || !showing(w, c.Login.Content()) {
		t.Fatal("switch user did not log out")
	}
	login(t, c)
	if c.Reception.Search.Text != "" {
		t.Error("the previous clerk's input survived the logout")
	}
}

func TestShortcuts(t *testing.T) {
	_, w, c := open(t)
	login(t, c)
	r := c.Reception
	test.Type(r.Search, "khai sinh")
	r.Procedures.Select(0)
	test.Tap(r.Next)
	test.Type(r.Name, "Lê Văn Tám")

	ctrl := func(k fyne.KeyName) {
		// from inside an entry: the entry hands the shortcut to the canvas
		w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	ctrl(fyne.KeyF)
	if w.Canvas().Focused() != c.List.Search || c.Tabs.SelectedIndex() != 1 {
		t.Fatal("Ctrl+F did not focus the list search")
	}
	ctrl(fyne.KeyN)
	if c.Tabs.SelectedIndex() != 0 || r.Wizard.Step != 1 || r.Name.Text != "" || w.Canvas().Focused() != r.Search {
		t.Fatal("Ctrl+N did not start a new reception")
	}
	ctrl(fyne.KeyF)
	if w.Canvas().Focused() != r.Search {
		t.Fatal("Ctrl+F on step 1 should focus the procedure search")
	}
}

func TestLeaderLandsOnTheHomeScreenAndCannotReceive(t *testing.T) {
	env, _, c := open(t)
	if _, err := env.Auth.Create(context.Background(), "lanh.dao", "Lê Văn Hùng", auth.RoleLeader, "MatKhau-2026"); err != nil {
		t.Fatal(err)
	}
	c.Login.Login.SetText("")
	test.Type(c.Login.Login, "lanh.dao")
	test.Type(c.Login.Password, "MatKhau-2026")
	test.Tap(c.Login.Submit)
	if c.Account().Role != auth.RoleLeader {
		t.Fatalf("leader not logged in: %q", c.Login.Error.Text)
	}
	if c.Tabs.SelectedIndex() != 2 { // issue 4: the leader's home screen (home.go)
		t.Error("a leader should land on the home screen")
	}
	c.NewReception()
	if c.Tabs.SelectedIndex() != 2 {
		t.Error("Ctrl+N opened the reception for an account that may not receive")
	}
}
