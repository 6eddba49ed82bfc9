package counter

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
)

// LoginError is the translated message for a failed login.
func LoginError(err error) string {
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		return widgets.T("err.login.locked", map[string]any{"Until": locked.Until.In(widgets.Zone).Format("15:04")})
	case errors.Is(err, auth.ErrLocked):
		return lang.L("err.login.locked_now")
	case errors.Is(err, auth.ErrDisabled):
		return lang.L("err.login.disabled")
	case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrNotFound):
		return lang.L("err.login.bad")
	}
	return lang.L("err.login.failed")
}

// Login is the login screen: login, password, Enter submits.
type Login struct {
	Login    *widgets.Entry
	Password *widgets.Entry
	Submit   *widget.Button
	Error    *widget.Label

	auth      Authenticator
	tasks     *widgets.Tasks
	onSuccess func(auth.Account)
	content   fyne.CanvasObject
}

// NewLogin builds the login screen; onSuccess runs on the UI goroutine.
func NewLogin(a Authenticator, tasks *widgets.Tasks, onSuccess func(auth.Account)) *Login {
	l := &Login{auth: a, tasks: tasks, onSuccess: onSuccess}
	l.Login = widgets.NewEntry()
	l.Login.SetPlaceHolder(lang.L("login.login.placeholder"))
	l.Password = widgets.NewPasswordEntry()
	l.Password.SetPlaceHolder(lang.L("login.password.placeholder"))
	l.Submit = widget.NewButtonWithIcon(lang.L("login.submit"), theme.LoginIcon(), l.submit)
	l.Submit.Importance = widget.HighImportance
	l.Error = widgets.NewErrorLabel()
	l.Login.OnSubmitted = func(string) { l.submit() }
	l.Password.OnSubmitted = func(string) { l.submit() }

	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	sub := widget.NewLabelWithStyle(lang.L("login.title"), fyne.TextAlignCenter, fyne.TextStyle{})
	form := container.NewVBox(
		title, sub,
		widget.NewLabel(lang.L("login.login")), l.Login,
		widget.NewLabel(lang.L("login.password")), l.Password,
		l.Error, l.Submit,
	)
	l.content = container.NewCenter(container.New(&minWidth{400}, form))
	return l
}

// Content is the screen's canvas object.
func (l *Login) Content() fyne.CanvasObject { return l.content }

// Reset clears the password and the error, keeping the login.
func (l *Login) Reset() {
	l.Password.SetText("")
	l.setError("")
}

func (l *Login) setError(msg string) {
	l.Error.SetText(msg)
}

func (l *Login) submit() {
	widgets.Touch()
	login, pw := l.Login.Text, l.Password.Text
	if login == "" {
		l.setError(lang.L("err.login.empty"))
		return
	}
	l.Submit.Disable()
	l.setError("")
	l.tasks.Go(func() {
		acc, err := l.auth.Login(context.Background(), login, pw)
		fyne.Do(func() {
			l.Submit.Enable()
			if err != nil {
				l.Password.SetText("")
				l.setError(LoginError(err))
				return
			}
			l.Password.SetText("")
			l.onSuccess(acc)
		})
	})
}

// Lock is the lock screen shown after idle time: the same clerk types the
// password again, or another clerk logs in instead.
type Lock struct {
	Who      *widget.Label
	Password *widgets.Entry
	Unlock   *widget.Button
	Switch   *widget.Button
	Error    *widget.Label

	auth     Authenticator
	tasks    *widgets.Tasks
	account  auth.Account
	onUnlock func()
	content  fyne.CanvasObject
}

// NewLock builds the lock screen for account. onUnlock runs when the
// password is right, onSwitch when the clerk chooses another user; both on
// the UI goroutine.
func NewLock(a Authenticator, tasks *widgets.Tasks, account auth.Account, onUnlock, onSwitch func()) *Lock {
	k := &Lock{auth: a, tasks: tasks, account: account, onUnlock: onUnlock}
	k.Who = widget.NewLabelWithStyle(widgets.T("lock.who", map[string]any{"Name": account.FullName, "Login": account.Login}),
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	k.Password = widgets.NewPasswordEntry()
	k.Password.SetPlaceHolder(lang.L("login.password.placeholder"))
	k.Password.OnSubmitted = func(string) { k.submit() }
	k.Unlock = widget.NewButtonWithIcon(lang.L("lock.unlock"), theme.LoginIcon(), k.submit)
	k.Unlock.Importance = widget.HighImportance
	k.Switch = widget.NewButtonWithIcon(lang.L("lock.switch"), theme.AccountIcon(), func() { widgets.Touch(); onSwitch() })
	k.Error = widgets.NewErrorLabel()
	form := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("lock.title"), fyne.TextAlignCenter, fyne.TextStyle{}),
		k.Who, widget.NewLabel(lang.L("login.password")), k.Password, k.Error, k.Unlock, k.Switch,
	)
	k.content = container.NewCenter(container.New(&minWidth{400}, form))
	return k
}

// Content is the screen's canvas object.
func (k *Lock) Content() fyne.CanvasObject { return k.content }

func (k *Lock) submit() {
	widgets.Touch()
	pw := k.Password.Text
	k.Unlock.Disable()
	k.tasks.Go(func() {
		acc, err := k.auth.Login(context.Background(), k.account.Login, pw)
		fyne.Do(func() {
			k.Unlock.Enable()
			k.Password.SetText("")
			if err == nil && acc.Login != k.account.Login {
				err = auth.ErrBadCredentials
			}
			if err != nil {
				k.Error.SetText(LoginError(err))
				return
			}
			k.onUnlock()
		})
	})
}

// IdleLock calls OnIdle once the clerk has given no input for the policy's
// idle time. Time comes from Now, so tests move a fake clock and call Check
// instead of waiting.
type IdleLock struct {
	Policy auth.Policy
	Now    func() time.Time
	OnIdle func() // runs on the UI goroutine

	mu     sync.Mutex
	last   time.Time
	armed  bool
	paused bool
}

// Start arms the lock (after a login or an unlock).
func (i *IdleLock) Start() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.last, i.armed, i.paused = i.Now(), true, false
}

// Stop disarms it (logged out or locked).
func (i *IdleLock) Stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.armed = false
}

// Touch records user input now. Safe from any goroutine.
func (i *IdleLock) Touch() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.last = i.Now()
}

// Check locks when the idle time has passed; it reports whether it did. Call
// it on the UI goroutine (Run does).
func (i *IdleLock) Check() bool {
	i.mu.Lock()
	fire := i.armed && i.Policy.IdleExpired(i.last, i.Now())
	if fire {
		i.armed = false
	}
	i.mu.Unlock()
	if fire && i.OnIdle != nil {
		i.OnIdle()
	}
	return fire
}

// Run calls Check on every tick until ctx ends. The composition root starts
// it with a time.Ticker's channel.
func (i *IdleLock) Run(ctx context.Context, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			fyne.Do(func() { i.Check() })
		}
	}
}

// minWidth lays its objects out stacked, at least w wide.
type minWidth struct{ w float32 }

func (m *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(m.w, 0)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (m *minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
