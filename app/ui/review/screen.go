package review

import (
	"context"
	"errors"
	"image/color"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// Options configure the review screens.
type Options struct {
	Hub      string    // the hub address shown at sign-in
	Connect  Connector // makes the Service of the address typed
	Cache    *Cache    // nil keeps nothing
	Now      func() time.Time
	Tasks    *widgets.Tasks // nil runs tasks in goroutines
	PageSize int            // rows per queue page (default 50)
	Log      *slog.Logger
	OnLogout func()
}

// Screen is the review mode's window content: the sign-in form, then the
// queues, a dossier and the dashboard.
type Screen struct {
	win   fyne.Window
	opt   Options
	tasks *widgets.Tasks
	root  *fyne.Container

	svc     Service
	session Session
	// offline is set while the hub is unreachable; offlineAt is when the
	// data shown was loaded.
	offline   bool
	offlineAt time.Time

	// sign-in
	Hub, User, Password *widgets.Entry
	LoginButton         *widget.Button
	LoginError          *widget.Label

	// main
	Who       *widget.Label
	Banner    *fyne.Container
	BannerMsg *widget.Label
	Logout    *widget.Button
	Tabs      *container.AppTabs
	work      *fyne.Container // the queue, or a dossier in its place

	Queue     *QueueView
	Dossier   *DossierView // the dossier open, nil when none
	Dashboard *DashboardView

	LastNotice string // the last success message shown
}

// New makes the review screens of win, starting with the sign-in form.
func New(win fyne.Window, opt Options) *Screen {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.PageSize <= 0 {
		opt.PageSize = 50
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	s := &Screen{win: win, opt: opt, tasks: opt.Tasks}
	if s.tasks == nil {
		s.tasks = &widgets.Tasks{}
	}
	s.root = container.NewStack()
	s.buildLogin()
	s.root.Objects = []fyne.CanvasObject{s.loginContent()}
	return s
}

// Content is the window's content.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Session is the signed-in reviewer.
func (s *Screen) Session() Session { return s.session }

// Offline tells whether the hub was unreachable at the last load, and when
// the data shown was loaded.
func (s *Screen) Offline() (bool, time.Time) { return s.offline, s.offlineAt }

// Wait blocks until the loads started so far are done (for tests).
func (s *Screen) Wait() { s.tasks.Wait() }

func (s *Screen) buildLogin() {
	s.Hub = widgets.NewEntry()
	s.Hub.SetText(s.opt.Hub)
	s.Hub.SetPlaceHolder("https://motcua.tinh.gov.vn")
	s.User = widgets.NewEntry()
	s.Password = widgets.NewPasswordEntry()
	s.LoginError = widgets.NewErrorLabel()
	s.LoginButton = widget.NewButtonWithIcon(lang.L("review.login.submit"), theme.LoginIcon(), s.signIn)
	s.LoginButton.Importance = widget.HighImportance
	s.Password.OnSubmitted = func(string) { s.signIn() }
	s.User.OnSubmitted = func(string) { s.win.Canvas().Focus(s.Password) }
}

func (s *Screen) loginContent() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("review.login.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := widget.NewLabelWithStyle(lang.L("review.login.hint"), fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(title, hint,
		widget.NewForm(
			widget.NewFormItem(lang.L("review.login.hub"), s.Hub),
			widget.NewFormItem(lang.L("review.login.user"), s.User),
			widget.NewFormItem(lang.L("review.login.password"), s.Password),
		),
		s.LoginButton, s.LoginError)
	box := container.NewGridWrap(fyne.NewSize(560, form.MinSize().Height+40), form)
	return container.NewCenter(box)
}

// signIn checks the form and signs in off the UI goroutine.
func (s *Screen) signIn() {
	hub := strings.TrimSpace(s.Hub.Text)
	user := strings.TrimSpace(s.User.Text)
	pass := s.Password.Text
	switch {
	case hub == "":
		s.LoginError.SetText(lang.L("review.login.err.hub"))
		return
	case user == "" || pass == "":
		s.LoginError.SetText(lang.L("review.login.err.empty"))
		return
	}
	s.LoginButton.Disable()
	s.LoginError.SetText(lang.L("review.login.busy"))
	s.LoginError.Show()
	s.tasks.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		svc, err := s.opt.Connect(hub)
		var sess Session
		if err == nil {
			sess, err = svc.Login(ctx, user, pass)
		}
		var at time.Time
		now := s.opt.Now()
		offline := false
		if err == nil {
			if h, u := s.opt.Cache.Owner(); h != hub || u != sess.User {
				if cerr := s.opt.Cache.Clear(); cerr != nil {
					s.opt.Log.Warn("review cache", "err", cerr)
				}
			}
			if cerr := s.opt.Cache.PutSession(hub, sess, pass, now); cerr != nil {
				s.opt.Log.Warn("review cache", "err", cerr)
			}
		} else if errors.Is(err, ErrUnreachable) {
			if cs, cat, cerr := s.opt.Cache.Session(hub, user, pass); cerr == nil {
				sess, at, offline, err = cs, cat, true, nil
			}
		}
		fyne.Do(func() {
			s.LoginButton.Enable()
			if err != nil {
				s.opt.Log.Info("review sign-in refused", "err", err)
				s.LoginError.SetText(s.errText(err))
				return
			}
			s.LoginError.SetText("")
			s.Password.SetText("")
			s.svc, s.session = svc, sess
			s.offline, s.offlineAt = offline, at
			s.showMain()
		})
	})
}

// showMain replaces the sign-in form by the queues and the dashboard.
func (s *Screen) showMain() {
	name := s.session.Name
	if name == "" {
		name = s.session.User
	}
	s.Who = widget.NewLabel(widgets.T("review.who", map[string]any{"Name": name, "Communes": len(s.session.Communes)}))
	s.Logout = widget.NewButtonWithIcon(lang.L("review.logout"), theme.LogoutIcon(), s.signOut)
	title := widget.NewLabelWithStyle(lang.L("review.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewBorder(nil, nil, title, s.Logout, s.Who)

	s.BannerMsg = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.BannerMsg.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xe0, B: 0x8a, A: 0xff})
	s.Banner = container.NewStack(bg, container.NewPadded(s.BannerMsg))
	s.Banner.Hide()

	s.Queue = newQueueView(s)
	s.Dashboard = newDashboardView(s)
	s.work = container.NewStack(s.Queue.content)
	s.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("review.tab.queues"), theme.ListIcon(), s.work),
		container.NewTabItemWithIcon(lang.L("review.tab.dashboard"), theme.GridIcon(), s.Dashboard.content),
	)
	s.Tabs.OnSelected = func(ti *container.TabItem) {
		if ti.Content == s.Dashboard.content && !s.Dashboard.loaded {
			s.Dashboard.Load()
		}
	}
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(container.NewVBox(header, widget.NewSeparator(), s.Banner), nil, nil, nil, s.Tabs)}
	s.root.Refresh()
	s.setOffline(s.offline, s.offlineAt)
	s.Queue.Load()
}

// signOut goes back to the sign-in form; what was typed there stays but
// the password.
func (s *Screen) signOut() {
	if lo, ok := s.svc.(interface{ Logout(context.Context) error }); ok && !s.offline {
		s.tasks.Go(func() { // ends the session at the hub; nothing to show if it fails
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := lo.Logout(ctx); err != nil {
				s.opt.Log.Info("review sign-out at the hub", "err", err)
			}
		})
	}
	s.svc, s.session, s.Dossier = nil, Session{}, nil
	s.offline = false
	s.root.Objects = []fyne.CanvasObject{s.loginContent()}
	s.root.Refresh()
	if s.opt.OnLogout != nil {
		s.opt.OnLogout()
	}
}

// setOffline shows or hides the banner saying the hub is unreachable and
// when the data shown was loaded. Call on the UI goroutine.
func (s *Screen) setOffline(off bool, at time.Time) {
	s.offline, s.offlineAt = off, at
	if s.Banner == nil {
		return
	}
	if !off {
		s.Banner.Hide()
		s.BannerMsg.SetText("")
	} else {
		when := lang.L("review.offline.never")
		if !at.IsZero() {
			when = at.In(widgets.Zone).Format("15:04 02/01/2006")
		}
		s.BannerMsg.SetText(widgets.T("review.offline.banner", map[string]any{"When": when}))
		s.Banner.Show()
	}
	if s.Dossier != nil {
		s.Dossier.setOffline(off)
	}
}

// BannerText is the offline banner's text, "" when hidden.
func (s *Screen) BannerText() string {
	if s.Banner == nil || !s.Banner.Visible() {
		return ""
	}
	return s.BannerMsg.Text
}

// openDossier shows a dossier in place of the queue.
func (s *Screen) openDossier(code string) {
	s.Dossier = newDossierView(s, code)
	s.work.Objects = []fyne.CanvasObject{s.Dossier.content}
	s.work.Refresh()
	s.Dossier.Load()
}

// closeDossier goes back to the queue.
func (s *Screen) closeDossier() {
	s.Dossier = nil
	s.work.Objects = []fyne.CanvasObject{s.Queue.content}
	s.work.Refresh()
}

// OpenDossier opens the dossier with code, as a tap on its row does.
func (s *Screen) OpenDossier(code string) { s.openDossier(code) }

// errText explains err in the interface language; the detail goes to the log.
func (s *Screen) errText(err error) string {
	key := "review.err.hub"
	switch {
	case errors.Is(err, ErrUnreachable):
		key = "review.err.unreachable"
	case errors.Is(err, ErrBadLogin):
		key = "review.err.bad_login"
	case errors.Is(err, ErrLocked):
		key = "review.err.locked"
	case errors.Is(err, ErrDisabled):
		key = "review.err.disabled"
	case errors.Is(err, ErrSession):
		key = "review.err.session"
	case errors.Is(err, ErrForbidden):
		key = "review.err.forbidden"
	case errors.Is(err, ErrNotFound):
		key = "review.err.not_found"
	case errors.Is(err, ErrConflict):
		key = "review.err.conflict"
	case errors.Is(err, ErrBadRequest):
		key = "review.err.bad_request"
	case errors.Is(err, ErrBadAddress):
		key = "review.err.address"
	default:
		s.opt.Log.Warn("review: hub error", "err", err)
	}
	return lang.L(key)
}

// ctx is the context of one load.
func loadCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 60*time.Second)
}

// say sets a message label's text and hides it while empty, so that no
// blank line is left in the layout.
func say(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// FocusLogin puts the cursor where the reviewer types first: the hub
// address when there is none, else the username.
func (s *Screen) FocusLogin() {
	if strings.TrimSpace(s.Hub.Text) == "" {
		s.win.Canvas().Focus(s.Hub)
	} else {
		s.win.Canvas().Focus(s.User)
	}
}

// expired sends the reviewer back to sign in when err says the session
// ended, and tells why; it reports whether it did.
func (s *Screen) expired(err error) bool {
	if !errors.Is(err, ErrSession) {
		return false
	}
	s.signOut()
	say(s.LoginError, s.errText(err))
	return true
}
