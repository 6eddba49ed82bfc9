package technician_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/technician"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
)

// The counter window shows the tab "Sao lưu & cấu hình" to the technician
// (and the leader, who may also run backups), never to a clerk.
func TestTheTabOpensOnlyToAccountsThatMayRunBackups(t *testing.T) {
	test.NewTempApp(t)
	if err := widgets.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	env := uitest.NewEnv(t)
	if _, err := env.Auth.Create(context.Background(), "kythuat", "Lê Văn Kỹ", auth.RoleTechnician, "KyThuat-2026!"); err != nil {
		t.Fatal(err)
	}
	svc := env.Services()
	svc.Technician = &technician.EnvService{Env: env.Env}
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	c := counter.New(w, svc, counter.Options{Now: env.Clock.Now})
	c.Tasks.Inline = true
	w.SetContent(c.Content())
	login := func(user, pw string) {
		c.Login.Login.SetText("")
		test.Type(c.Login.Login, user)
		test.Type(c.Login.Password, pw)
		c.Login.Password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if c.Account().Login != user {
			t.Fatalf("login %s: %q", user, c.Login.Error.Text)
		}
	}
	tab := func() int {
		for i, it := range c.Tabs.Items {
			if it.Text == "Sao lưu & cấu hình" {
				return i
			}
		}
		t.Fatal("no tab Sao lưu & cấu hình")
		return -1
	}
	login(uitest.ClerkLogin, uitest.ClerkPassword)
	if !c.Tabs.Items[tab()].Disabled() {
		t.Fatal("the clerk can open the backup tab")
	}
	c.Logout()
	login("kythuat", "KyThuat-2026!")
	if c.Tabs.Items[tab()].Disabled() {
		t.Fatal("the technician cannot open the backup tab")
	}
	c.ShowTechnician()
	if c.Tabs.SelectedIndex() != tab() || c.TechnicianScreen.Folder.Text == "" {
		t.Fatalf("tab %d selected, folder %q", c.Tabs.SelectedIndex(), c.TechnicianScreen.Folder.Text)
	}
}
