package technician

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/provision"
)

// Screen is the technician's backup and provisioning screen.
type Screen struct {
	// Back up now
	BackupNow *widget.Button
	Progress  *widget.ProgressBar
	// The backups found
	Archives      []Archive
	List          *widget.List
	Selected      int // index in Archives, -1 = none
	Reload        *widget.Button
	VerifyBtn     *widget.Button
	RestoreBtn    *widget.Button
	QuitToRestore *widget.Button // shown after a restore: close motcua to use it
	// Daily backup settings
	Auto         *widget.Check
	Folder       *widgets.Entry
	ChooseFolder *widget.Button
	At           *widgets.Entry
	Keep         *widgets.Entry
	SaveSettings *widget.Button
	// Provisioning bundles
	ExportFile    *widgets.Entry
	Slot          *widget.Select
	Mode          *widget.RadioGroup
	HubURL        *widgets.Entry
	Token         *widgets.Entry
	KeyFile       *widgets.Entry
	ExportBtn     *widget.Button
	ApplyFile     *widgets.Entry
	TrustKey      *widgets.Entry
	AllowUnsigned *widget.Check
	ApplyBtn      *widget.Button

	Result    *widget.Label // what the last action did
	LastError *widget.Label // why the last action failed, in plain words

	// OnQuit closes motcua (the service's Quit method when it has one); the
	// restored data is switched in at the next start.
	OnQuit func()

	win     fyne.Window
	svc     Service
	tasks   *widgets.Tasks
	content fyne.CanvasObject
}

// New builds the screen; call Load to fill it.
func New(win fyne.Window, svc Service, tasks *widgets.Tasks) *Screen {
	s := &Screen{win: win, svc: svc, tasks: tasks, Selected: -1}
	s.BackupNow = widget.NewButtonWithIcon(lang.L("tech.backup.now"), theme.DownloadIcon(), widgets.Act(s.backupNow))
	s.BackupNow.Importance = widget.HighImportance
	s.Progress = widget.NewProgressBar()
	s.List = widget.NewList(func() int { return len(s.Archives) },
		func() fyne.CanvasObject {
			return widget.NewLabel("motcua-000.00.00.H00-20260101-000000-pre-upgrade.tar.gz")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.Archives) {
				o.(*widget.Label).SetText(archiveLine(s.Archives[i]))
			}
		})
	s.List.OnSelected = func(i widget.ListItemID) { s.Selected = i; s.selectionChanged() }
	s.List.OnUnselected = func(widget.ListItemID) { s.Selected = -1; s.selectionChanged() }
	s.Reload = widget.NewButtonWithIcon(lang.L("tech.backup.reload"), theme.ViewRefreshIcon(), widgets.Act(s.Load))
	s.VerifyBtn = widget.NewButtonWithIcon(lang.L("tech.backup.verify"), theme.ConfirmIcon(), widgets.Act(s.verify))
	s.RestoreBtn = widget.NewButtonWithIcon(lang.L("tech.backup.restore"), theme.HistoryIcon(), widgets.Act(s.restore))
	s.RestoreBtn.Importance = widget.WarningImportance
	if q, ok := svc.(interface{ Quit() }); ok {
		s.OnQuit = q.Quit
	}
	s.QuitToRestore = widget.NewButtonWithIcon(lang.L("tech.restore.quit"), theme.LogoutIcon(), widgets.Act(func() {
		if s.OnQuit != nil {
			s.OnQuit()
		}
	}))
	s.QuitToRestore.Hide()

	s.Auto = widget.NewCheck(lang.L("tech.settings.auto"), nil)
	s.Folder = widgets.NewEntry()
	s.Folder.SetPlaceHolder("E:\\motcua-saoluu, /media/usb/motcua")
	s.ChooseFolder = widget.NewButtonWithIcon(lang.L("tech.settings.choose"), theme.FolderOpenIcon(), widgets.Act(s.chooseFolder))
	s.At = widgets.NewEntry()
	s.At.SetPlaceHolder("12:00")
	s.Keep = widgets.NewEntry()
	s.Keep.SetPlaceHolder("14")
	s.SaveSettings = widget.NewButtonWithIcon(lang.L("tech.settings.save"), theme.DocumentSaveIcon(), widgets.Act(s.saveSettings))

	s.ExportFile = widgets.NewEntry()
	s.ExportFile.SetPlaceHolder("/media/usb/quay2.json")
	slots := make([]string, 9)
	for i := range slots {
		slots[i] = strconv.Itoa(i + 1)
	}
	s.Slot = widget.NewSelect(slots, nil)
	s.Slot.PlaceHolder = lang.L("tech.bundle.slot.choose")
	s.Mode = widget.NewRadioGroup([]string{lang.L("tech.bundle.mode.counter"), lang.L("tech.bundle.mode.kiosk")}, nil)
	s.Mode.Horizontal = true
	s.Mode.SetSelected(lang.L("tech.bundle.mode.counter"))
	s.HubURL = widgets.NewEntry()
	s.HubURL.SetPlaceHolder("https://hub.tinh.gov.vn")
	s.Token = widgets.NewPasswordEntry()
	s.KeyFile = widgets.NewEntry()
	s.KeyFile.SetPlaceHolder("/media/usb/tinh.key")
	s.ExportBtn = widget.NewButtonWithIcon(lang.L("tech.bundle.export"), theme.DocumentSaveIcon(), widgets.Act(s.export))
	s.ApplyFile = widgets.NewEntry()
	s.ApplyFile.SetPlaceHolder("/media/usb/quay2.json")
	s.TrustKey = widgets.NewEntry()
	s.TrustKey.SetPlaceHolder("ed25519:… " + lang.L("tech.bundle.trust.or"))
	s.AllowUnsigned = widget.NewCheck(lang.L("tech.bundle.allow_unsigned"), nil)
	s.ApplyBtn = widget.NewButtonWithIcon(lang.L("tech.bundle.apply"), theme.UploadIcon(), widgets.Act(s.apply))

	s.Result = widget.NewLabel("")
	s.Result.Wrapping = fyne.TextWrapWord
	s.LastError = widgets.NewErrorLabel()
	s.selectionChanged()

	bold := func(k string) *widget.Label {
		return widget.NewLabelWithStyle(lang.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	hint := func(k string) *widget.Label {
		l := widget.NewLabel(lang.L(k))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	left := container.NewBorder(
		container.NewVBox(bold("tech.section.backup"), hint("tech.backup.hint"),
			container.NewBorder(nil, nil, s.BackupNow, nil, s.Progress), widget.NewSeparator(),
			container.NewHBox(bold("tech.section.list"), s.Reload, s.VerifyBtn, s.RestoreBtn)),
		container.NewVBox(hint("tech.restore.hint"), s.QuitToRestore, widget.NewSeparator(), s.Result, s.LastError),
		nil, nil, s.List)
	folderRow := container.NewBorder(nil, nil, nil, s.ChooseFolder, s.Folder)
	right := container.NewVBox(
		bold("tech.section.settings"),
		s.Auto,
		widget.NewForm(widget.NewFormItem(lang.L("tech.settings.folder"), folderRow),
			widget.NewFormItem(lang.L("tech.settings.at"), s.At),
			widget.NewFormItem(lang.L("tech.settings.keep"), s.Keep)),
		container.NewHBox(s.SaveSettings),
		widget.NewSeparator(),
		bold("tech.section.export"),
		widget.NewForm(widget.NewFormItem(lang.L("tech.bundle.slot"), s.Slot),
			widget.NewFormItem(lang.L("tech.bundle.mode"), s.Mode),
			widget.NewFormItem(lang.L("tech.bundle.hub"), s.HubURL),
			widget.NewFormItem(lang.L("tech.bundle.token"), s.Token),
			widget.NewFormItem(lang.L("tech.bundle.key"), s.KeyFile),
			widget.NewFormItem(lang.L("tech.bundle.file"), s.ExportFile)),
		container.NewHBox(s.ExportBtn),
		widget.NewSeparator(),
		bold("tech.section.apply"),
		widget.NewForm(widget.NewFormItem(lang.L("tech.bundle.file"), s.ApplyFile),
			widget.NewFormItem(lang.L("tech.bundle.trust"), s.TrustKey)),
		s.AllowUnsigned,
		container.NewHBox(s.ApplyBtn),
	)
	split := container.NewHSplit(left, container.NewVScroll(right))
	split.Offset = 0.5
	s.content = split
	return s
}

// Content is the screen's canvas object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

var vnZone = time.FixedZone("ICT", 7*3600)

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func archiveLine(a Archive) string {
	kind := lang.L("tech.kind.other")
	switch a.Kind {
	case "manual", "daily", "pre-upgrade":
		kind = lang.L("tech.kind." + a.Kind)
	}
	return fmt.Sprintf("%s  ·  %s  ·  %s  ·  %s", a.At.In(vnZone).Format("02/01/2006 15:04"), kind,
		humanBytes(a.Size), a.Name)
}

func (s *Screen) selectionChanged() {
	if s.Selected >= 0 && s.Selected < len(s.Archives) {
		s.VerifyBtn.Enable()
		s.RestoreBtn.Enable()
	} else {
		s.VerifyBtn.Disable()
		s.RestoreBtn.Disable()
	}
}

func (s *Screen) say(text string, err error) {
	if err != nil {
		s.Result.SetText("")
		s.LastError.SetText(message(err))
		return
	}
	s.LastError.SetText("")
	s.Result.SetText(text)
}

type loadedState struct {
	set      backup.Settings
	archives []Archive
	err      error
}

// Load reads the settings and lists the backups, off the UI goroutine.
func (s *Screen) Load() {
	s.Reload.Disable()
	s.tasks.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var l loadedState
		l.set, l.err = s.svc.Settings(ctx)
		if l.err == nil {
			l.archives, l.err = s.svc.Archives(ctx)
		}
		fyne.Do(func() { s.applyLoaded(l) })
	})
}

func (s *Screen) applyLoaded(l loadedState) {
	s.Reload.Enable()
	s.Auto.SetChecked(!l.set.Disabled)
	s.Folder.SetText(l.set.Folder)
	if l.set.Hour > 0 {
		s.At.SetText(l.set.At())
	}
	if l.set.Keep > 0 {
		s.Keep.SetText(strconv.Itoa(l.set.Keep))
	}
	s.Archives = l.archives
	s.Selected = -1
	s.List.UnselectAll()
	s.List.Refresh()
	s.selectionChanged()
	if l.err != nil {
		s.LastError.SetText(message(l.err))
	}
}

func (s *Screen) backupNow() {
	s.BackupNow.Disable()
	s.Progress.SetValue(0)
	s.Result.SetText(lang.L("tech.backup.running"))
	s.LastError.SetText("")
	s.tasks.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		res, err := s.svc.BackupNow(ctx, func(done, total int64) {
			if total > 0 {
				v := float64(done) / float64(total)
				fyne.Do(func() { s.Progress.SetValue(v) })
			}
		})
		fyne.Do(func() {
			s.BackupNow.Enable()
			if err != nil {
				s.Progress.SetValue(0)
				s.say("", err)
				return
			}
			s.Progress.SetValue(1)
			m := res.Manifest
			s.say(lang.L("tech.backup.done",
				map[string]any{"File": res.Path, "Dossiers": m.Dossiers, "Files": len(m.Files), "Size": humanBytes(res.Size)}), nil)
			s.Load()
		})
	})
}

func (s *Screen) selected() (Archive, bool) {
	if s.Selected < 0 || s.Selected >= len(s.Archives) {
		return Archive{}, false
	}
	return s.Archives[s.Selected], true
}

func (s *Screen) verify() {
	a, ok := s.selected()
	if !ok {
		return
	}
	s.VerifyBtn.Disable()
	s.Result.SetText(lang.L("tech.verify.running"))
	s.LastError.SetText("")
	s.tasks.Go(func() {
		m, err := s.svc.Verify(context.Background(), a.Path)
		fyne.Do(func() {
			s.selectionChanged()
			s.say(lang.L("tech.verify.ok",
				map[string]any{"File": a.Name, "Dossiers": m.Dossiers, "Files": len(m.Files), "Schema": m.SchemaVersion}), err)
		})
	})
}

// restore asks twice, then restores into a new folder.
func (s *Screen) restore() {
	a, ok := s.selected()
	if !ok {
		return
	}
	first := dialog.NewCustomConfirm(lang.L("tech.restore.title"), lang.L("tech.restore.continue"), lang.L("tech.cancel"),
		wrapped(lang.L("tech.restore.confirm1", map[string]any{"File": a.Name, "At": a.At.In(vnZone).Format("02/01/2006 15:04")})),
		func(yes bool) {
			if !yes {
				return
			}
			second := dialog.NewCustomConfirm(lang.L("tech.restore.title2"), lang.L("tech.restore.do"), lang.L("tech.cancel"),
				wrapped(lang.L("tech.restore.confirm2")), func(yes bool) {
					if yes {
						s.doRestore(a)
					}
				}, s.win)
			second.Show()
		}, s.win)
	first.Show()
}

func wrapped(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.NewGridWrap(fyne.NewSize(460, 150), l)
}

func (s *Screen) doRestore(a Archive) {
	s.RestoreBtn.Disable()
	s.VerifyBtn.Disable()
	s.Result.SetText(lang.L("tech.restore.running"))
	s.LastError.SetText("")
	s.tasks.Go(func() {
		r, err := s.svc.Restore(context.Background(), a.Path)
		fyne.Do(func() {
			s.selectionChanged()
			if err != nil {
				s.say("", err)
				return
			}
			s.say(lang.L("tech.restore.done", map[string]any{"File": a.Name, "Dossiers": r.Report.Dossiers,
				"Files": r.Report.Files, "Audit": r.Report.AuditRecords, "Dir": r.Dir}), nil)
			s.QuitToRestore.Show()
		})
	})
}

func (s *Screen) chooseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			s.Folder.SetText(u.Path())
		}
	}, s.win)
	d.Show()
}

// Form reads the daily backup settings being edited; the error is in plain
// words for bad input.
func (s *Screen) Form() (backup.Settings, error) {
	var set backup.Settings
	set.Disabled = !s.Auto.Checked
	set.Folder = strings.TrimSpace(s.Folder.Text)
	if set.Folder == "" {
		return set, fmt.Errorf("%s", lang.L("tech.err.folder.empty"))
	}
	at := strings.TrimSpace(s.At.Text)
	if at == "" {
		at = "12:00"
	}
	var err error
	if set.Hour, set.Minute, err = backup.ParseAt(at); err != nil {
		return set, fmt.Errorf("%s", lang.L("tech.err.at", map[string]any{"At": at}))
	}
	keep := strings.TrimSpace(s.Keep.Text)
	if keep == "" {
		keep = "14"
	}
	if set.Keep, err = strconv.Atoi(keep); err != nil || set.Keep < 1 || set.Keep > 3650 {
		return set, fmt.Errorf("%s", lang.L("tech.err.keep"))
	}
	return set, nil
}

func (s *Screen) saveSettings() {
	set, err := s.Form()
	if err != nil {
		s.Result.SetText("")
		s.LastError.SetText(err.Error())
		return
	}
	s.SaveSettings.Disable()
	s.tasks.Go(func() {
		err := s.svc.SaveSettings(context.Background(), set)
		fyne.Do(func() {
			s.SaveSettings.Enable()
			state := lang.L("tech.settings.on")
			if set.Disabled {
				state = lang.L("tech.settings.off")
			}
			s.say(lang.L("tech.settings.saved", map[string]any{"State": state, "Folder": set.Folder, "At": set.At(), "Keep": set.Keep}), err)
			if err == nil {
				s.Load()
			}
		})
	})
}

func (s *Screen) export() {
	in := ExportInput{File: strings.TrimSpace(s.ExportFile.Text), HubURL: strings.TrimSpace(s.HubURL.Text),
		Token: strings.TrimSpace(s.Token.Text), KeyFile: strings.TrimSpace(s.KeyFile.Text), Mode: provision.ModeCounter}
	in.Slot, _ = strconv.Atoi(s.Slot.Selected)
	if s.Mode.Selected == lang.L("tech.bundle.mode.kiosk") {
		in.Mode = provision.ModeKiosk
	}
	switch {
	case in.Slot == 0:
		s.Result.SetText("")
		s.LastError.SetText(lang.L("tech.err.slot"))
		return
	case in.File == "":
		s.Result.SetText("")
		s.LastError.SetText(lang.L("tech.err.file.empty"))
		return
	}
	s.ExportBtn.Disable()
	s.tasks.Go(func() {
		b, err := s.svc.Export(context.Background(), in)
		fyne.Do(func() {
			s.ExportBtn.Enable()
			s.say(lang.L("tech.bundle.exported", map[string]any{"File": in.File, "Slot": b.Slot, "Agency": b.Office.AgencyID}), err)
			if err == nil {
				s.Token.SetText("")
			}
		})
	})
}

func (s *Screen) apply() {
	file := strings.TrimSpace(s.ApplyFile.Text)
	if file == "" {
		s.Result.SetText("")
		s.LastError.SetText(lang.L("tech.err.file.empty"))
		return
	}
	trust, allow := s.TrustKey.Text, s.AllowUnsigned.Checked
	dialog.NewCustomConfirm(lang.L("tech.bundle.apply"), lang.L("tech.bundle.apply.do"), lang.L("tech.cancel"),
		wrapped(lang.L("tech.bundle.apply.confirm", map[string]any{"File": file})), func(yes bool) {
			if !yes {
				return
			}
			s.ApplyBtn.Disable()
			s.tasks.Go(func() {
				o, err := s.svc.Apply(context.Background(), file, trust, allow)
				fyne.Do(func() {
					s.ApplyBtn.Enable()
					signer := lang.L("tech.bundle.unsigned")
					if o.Signer != nil {
						signer = provision.KeyID(o.Signer)
					}
					s.say(lang.L("tech.bundle.applied", map[string]any{"Name": o.Bundle.Office.AgencyName,
						"Agency": o.Bundle.Office.AgencyID, "Slot": o.Bundle.Slot, "Signer": signer}), err)
				})
			})
		}, s.win).Show()
}
