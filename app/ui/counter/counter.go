package counter

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/devices"
	"github.com/motcua/motcua/app/ui/technician"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// Options tune the counter; the zero value is fine for production.
type Options struct {
	Now    func() time.Time // nil = time.Now
	Policy auth.Policy      // idle lock; zero = auth.DefaultPolicy()
	// OnLogout runs after the clerk logs out (the login screen is already
	// shown); the composition root may record it.
	OnLogout func(auth.Account)
}

// Counter is the whole counter window content: login, then the main screen
// with the reception wizard and the dossier list, the status line, the idle
// lock and the keyboard shortcuts.
type Counter struct {
	Tasks widgets.Tasks
	Idle  *IdleLock

	Login     *Login
	Lock      *Lock // nil unless locked
	Reception *ReceptionScreen
	List      *ListScreen
	Detail    *Detail  // nil unless a dossier is open
	Home      *Home    // the leader's home tab (home.go); nil without Reports
	Preview   *Preview // nil unless a receipt is shown
	// DevicesScreen is the technician's devices tab (devices_tab.go); nil
	// without Services.DeviceAdmin.
	DevicesScreen *devices.Screen
	// QueueScreen is the queue page that calls the next number (queue.go);
	// nil without Services.Queue.
	QueueScreen *QueueScreen
	// TechnicianScreen is the backup and provisioning tab (technician_tab.go);
	// nil without Services.Technician.
	TechnicianScreen *technician.Screen

	Tabs       *container.AppTabs
	StatusLine *widget.Label
	LinkInd    *LinkIndicator // the link to the hub (sync_status.go); hidden without Services.Link
	LockButton *widget.Button
	LogoutBtn  *widget.Button

	win     fyne.Window
	svc     Services
	opts    Options
	account auth.Account
	root    *fyne.Container // stack: login, lock or main
	main    fyne.CanvasObject
	recTab  *fyne.Container // stack: wizard or preview
	listTab *fyne.Container // stack: list, detail or preview
}

// New builds the counter for window win. Call Content and put it in the
// window; the login screen shows first.
func New(win fyne.Window, svc Services, opts Options) *Counter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Policy == (auth.Policy{}) {
		opts.Policy = auth.DefaultPolicy()
	}
	c := &Counter{win: win, svc: svc, opts: opts}
	c.Idle = &IdleLock{Policy: opts.Policy, Now: opts.Now, OnIdle: c.LockScreen}
	widgets.SetActivityHook(c.Idle.Touch)
	c.Login = NewLogin(svc.Auth, &c.Tasks, c.loggedIn)
	c.root = container.NewStack(c.Login.Content())
	c.shortcuts()
	return c
}

// Content is what the window shows.
func (c *Counter) Content() fyne.CanvasObject { return c.root }

// Account is the logged-in clerk (zero when logged out).
func (c *Counter) Account() auth.Account { return c.account }

// Wait blocks until every loading or saving task started so far is done.
func (c *Counter) Wait() { c.Tasks.Wait() }

// RunIdle checks the idle lock on every tick until ctx ends; the composition
// root runs it in a goroutine with a time.Ticker's channel.
func (c *Counter) RunIdle(ctx context.Context, tick <-chan time.Time) { c.Idle.Run(ctx, tick) }

func (c *Counter) show(o fyne.CanvasObject) {
	c.root.Objects = []fyne.CanvasObject{o}
	c.root.Refresh()
}

func (c *Counter) loggedIn(a auth.Account) {
	c.account = a
	if c.main == nil {
		c.buildMain()
	}
	c.Lock = nil
	c.show(c.main)
	c.Idle.Start()
	c.refreshStatus()
	c.List.Reload()
	if c.canReceive() {
		c.Tabs.EnableIndex(0)
		c.Tabs.SelectIndex(0)
		c.Reception.focusStep()
	} else {
		// a leader or reviewer at the counter PC: the list only
		c.Tabs.SelectIndex(1)
		c.Tabs.DisableIndex(0)
	}
	c.homeLoggedIn()
	c.devicesLoggedIn()
	c.technicianLoggedIn()
	c.queueLoggedIn()
}

func (c *Counter) canReceive() bool { return c.account.Role.Can(auth.PermDossierReceive) }

func (c *Counter) buildMain() {
	c.Reception = NewReceptionScreen(c.win, c.svc.Reception, &c.Tasks, c.Account, c.saved)
	c.Reception.SetDevices(c.svc.Devices)
	c.List = NewListScreen(c.svc.Dossiers, &c.Tasks, c.opts.Now, c.openDossier)
	c.recTab = container.NewStack(c.Reception.Content())
	c.listTab = container.NewStack(c.List.Content())
	c.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("nav.reception"), theme.DocumentCreateIcon(), c.recTab),
		container.NewTabItemWithIcon(lang.L("nav.list"), theme.ListIcon(), c.listTab),
	)
	c.addHomeTab()
	c.addDevicesTab()
	c.addTechnicianTab()
	c.Tabs.SetTabLocation(container.TabLocationLeading)
	c.Tabs.OnSelected = func(*container.TabItem) { widgets.Touch() }
	c.addQueueTab()
	c.StatusLine = widget.NewLabel("")
	c.LockButton = widget.NewButtonWithIcon(lang.L("nav.lock"), theme.VisibilityOffIcon(), widgets.Act(c.LockScreen))
	c.LogoutBtn = widget.NewButtonWithIcon(lang.L("nav.logout"), theme.LogoutIcon(), widgets.Act(c.Logout))
	c.LinkInd = NewLinkIndicator(c.svc.Link, &c.Tasks, c.opts.Now)
	right := container.NewHBox(c.LockButton, c.LogoutBtn)
	if c.svc.Link != nil {
		right = container.NewHBox(c.LinkInd.Label, c.LockButton, c.LogoutBtn)
	}
	bar := container.NewBorder(nil, nil, nil, right, c.StatusLine)
	c.main = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, c.Tabs)
}

func (c *Counter) shortcuts() {
	cv := c.win.Canvas()
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.NewReception() })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.FocusSearch() })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.LockScreen() })
	if dc, ok := cv.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { widgets.Touch() })
	}
}

func (c *Counter) loggedInNow() bool { return c.account.Login != "" && c.Lock == nil }

// NewReception (Ctrl+N) shows an empty reception wizard.
func (c *Counter) NewReception() {
	if !c.loggedInNow() || !c.canReceive() {
		return
	}
	widgets.Touch()
	c.Preview = nil
	c.recTab.Objects = []fyne.CanvasObject{c.Reception.Content()}
	c.recTab.Refresh()
	c.Tabs.SelectIndex(0)
	c.Reception.Reset()
}

// FocusSearch (Ctrl+F) focuses the search of the tab shown.
func (c *Counter) FocusSearch() {
	if !c.loggedInNow() {
		return
	}
	widgets.Touch()
	if c.Tabs.SelectedIndex() == 1 {
		c.closeDetail()
		c.win.Canvas().Focus(c.List.Search)
		return
	}
	if c.Preview == nil && c.Reception.Wizard.Step == 1 {
		c.win.Canvas().Focus(c.Reception.Search)
		return
	}
	c.Tabs.SelectIndex(1)
	c.win.Canvas().Focus(c.List.Search)
}

// ShowList switches to the dossier list.
func (c *Counter) ShowList() { c.Tabs.SelectIndex(1) }

func (c *Counter) saved(d *dossier.Dossier) {
	c.Preview = NewPreview(c.win, c.svc.Receipts, &c.Tasks, d, "preview.new", c.NewReception)
	c.recTab.Objects = []fyne.CanvasObject{c.Preview.Content()}
	c.recTab.Refresh()
	c.refreshStatus()
	c.List.Reload()
}

func (c *Counter) openDossier(id int64) {
	c.Detail = NewDetail(c.svc.Dossiers, &c.Tasks, c.opts.Now, id, c.closeDetail, c.reprint)
	c.Detail.EnableSteps(c.win, c.svc.Lifecycle, c.svc.Forms, c.svc.Receipts, c.Account)
	c.listTab.Objects = []fyne.CanvasObject{c.Detail.Content()}
	c.listTab.Refresh()
}

func (c *Counter) closeDetail() {
	c.Detail = nil
	c.listTab.Objects = []fyne.CanvasObject{c.List.Content()}
	c.listTab.Refresh()
}

func (c *Counter) reprint(d *dossier.Dossier) {
	detail := c.Detail
	p := NewPreview(c.win, c.svc.Receipts, &c.Tasks, d, "preview.close", func() {
		if detail != nil {
			c.Detail = detail
			c.listTab.Objects = []fyne.CanvasObject{detail.Content()}
			c.listTab.Refresh()
		}
	})
	c.listTab.Objects = []fyne.CanvasObject{p.Content()}
	c.listTab.Refresh()
}

// LockScreen hides everything behind the lock screen (idle time, Ctrl+L or
// the "Khóa màn hình" button).
func (c *Counter) LockScreen() {
	if !c.loggedInNow() {
		return
	}
	c.Idle.Stop()
	c.Lock = NewLock(c.svc.Auth, &c.Tasks, c.account, func() {
		c.Lock = nil
		c.show(c.main)
		c.Idle.Start()
	}, c.Logout)
	c.show(c.Lock.Content())
	c.win.Canvas().Focus(c.Lock.Password)
}

// Logout returns to the login screen. A reception being typed is dropped.
func (c *Counter) Logout() {
	prev := c.account
	c.Idle.Stop()
	c.account = auth.Account{}
	c.Lock = nil
	if c.Reception != nil && !c.Reception.Wizard.Saving {
		c.NewReceptionAfterLogout()
	}
	c.Login.Reset()
	c.show(c.Login.Content())
	c.win.Canvas().Focus(c.Login.Login)
	if c.opts.OnLogout != nil && prev.Login != "" {
		c.opts.OnLogout(prev)
	}
}

// NewReceptionAfterLogout clears personal data typed for the previous clerk.
func (c *Counter) NewReceptionAfterLogout() {
	c.Preview = nil
	c.recTab.Objects = []fyne.CanvasObject{c.Reception.Content()}
	c.Reception.Reset()
	c.closeDetail()
	c.List.Clear()
}

func (c *Counter) refreshStatus() {
	a := c.account
	now := c.opts.Now().In(widgets.Zone)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, widgets.Zone)
	c.Tasks.Go(func() {
		n, err := c.svc.Dossiers.Count(context.Background(), dossier.Query{ReceivedFrom: day, ReceivedTo: day.AddDate(0, 0, 1)})
		fyne.Do(func() {
			data := map[string]any{"Name": a.FullName, "Login": a.Login, "Office": c.svc.Office.Name, "Today": n}
			if err != nil {
				fyne.LogError("count today's dossiers", err)
				data["Today"] = "?"
			}
			c.StatusLine.SetText(widgets.T("status.line", data))
		})
	})
	c.LinkInd.Refresh()
}

// Services are the services the counter was built with.
func (c *Counter) Services() Services { return c.svc }
