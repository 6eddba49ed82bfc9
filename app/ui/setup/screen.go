package setup

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// Screen is the first-start setup form.
type Screen struct {
	AgencyID, AgencyName, ParentName, Address, Phone, ReturnPlace, Slot *widgets.Entry
	Login, FullName, Password, Password2                                *widgets.Entry
	Fields                                                              map[string]*widgets.Field // by FieldError.Field
	Submit                                                              *widget.Button
	Progress                                                            *widget.ProgressBarInfinite
	Error                                                               *widget.Label
	// Hub is the optional "link with the province" group (enrol.go).
	Hub *EnrolPart

	Tasks widgets.Tasks

	win     fyne.Window
	setup   Setupper
	onDone  func(SetupInput)
	order   []string
	inputs  map[string]*widgets.Entry
	content fyne.CanvasObject
}

// New builds the setup screen. onDone runs on the UI goroutine after Setup
// succeeded; the composition root then shows the login screen.
func New(win fyne.Window, s Setupper, onDone func(SetupInput)) *Screen {
	sc := &Screen{win: win, setup: s, onDone: onDone, Fields: map[string]*widgets.Field{}, inputs: map[string]*widgets.Entry{}}
	mk := func(field, label string, ph string) *widgets.Entry {
		e := widgets.NewEntry()
		if ph != "" {
			e.SetPlaceHolder(lang.L(ph))
		}
		sc.Fields[field] = widgets.NewField(lang.L(label), e)
		sc.inputs[field] = e
		sc.order = append(sc.order, field)
		return e
	}
	sc.AgencyID = mk("agency_id", "setup.agency_id", "setup.agency_id.placeholder")
	sc.AgencyName = mk("agency_name", "setup.agency_name", "")
	sc.ParentName = mk("parent_name", "setup.parent", "")
	sc.Address = mk("address", "setup.address", "")
	sc.Phone = mk("phone", "setup.phone", "")
	sc.ReturnPlace = mk("return_place", "setup.result_place", "")
	sc.Slot = mk("slot", "setup.slot", "")
	sc.Slot.SetText("1")
	sc.Login = mk("login", "setup.login", "")
	sc.FullName = mk("full_name", "setup.full_name", "")
	sc.Password = mk("password", "setup.password", "")
	sc.Password.Password = true
	sc.Password2 = mk("password2", "setup.password2", "")
	sc.Password2.Password = true
	sc.Password2.OnSubmitted = func(string) { sc.submit() }
	sc.Hub = sc.newEnrolPart()

	sc.Submit = widget.NewButtonWithIcon(lang.L("setup.submit"), theme.ConfirmIcon(), widgets.Act(sc.submit))
	sc.Submit.Importance = widget.HighImportance
	sc.Progress = widget.NewProgressBarInfinite()
	sc.Progress.Stop()
	sc.Progress.Hide()
	sc.Error = widgets.NewErrorLabel()

	obj := func(names ...string) []fyne.CanvasObject {
		var out []fyne.CanvasObject
		for _, n := range names {
			out = append(out, sc.Fields[n].Object())
		}
		return out
	}
	bold := fyne.TextStyle{Bold: true}
	office := container.NewVBox(append([]fyne.CanvasObject{widget.NewLabelWithStyle(lang.L("setup.office"), fyne.TextAlignLeading, bold)},
		obj("agency_id", "agency_name", "parent_name", "address", "phone", "return_place", "slot")...)...)
	admin := container.NewVBox(append([]fyne.CanvasObject{widget.NewLabelWithStyle(lang.L("setup.admin"), fyne.TextAlignLeading, bold)},
		append(obj("login", "full_name", "password", "password2"), sc.Hub.box)...)...)
	title := widget.NewLabelWithStyle(lang.L("setup.title"), fyne.TextAlignCenter, bold)
	sc.content = container.NewBorder(title, container.NewVBox(sc.Error, sc.Progress, sc.Submit), nil, nil,
		container.NewVScroll(container.NewGridWithColumns(2, office, admin)))
	return sc
}

// Content is the screen's canvas object.
func (sc *Screen) Content() fyne.CanvasObject { return sc.content }

// Form is what is typed now.
func (sc *Screen) Form() Form {
	return Form{
		AgencyID: sc.AgencyID.Text, AgencyName: sc.AgencyName.Text, ParentName: sc.ParentName.Text,
		Address: sc.Address.Text, Phone: sc.Phone.Text, ReturnPlace: sc.ReturnPlace.Text, Slot: sc.Slot.Text,
		Login: sc.Login.Text, FullName: sc.FullName.Text, Password: sc.Password.Text, Password2: sc.Password2.Text,
	}
}

func (sc *Screen) submit() {
	in, errs := Check(sc.Form())
	if got, ok := sc.Enrolled(); ok && in.AgencyID != got.Office && len(errs) == 0 {
		errs = append(errs, FieldError{"agency_id", "err.setup.agency_id.hub"})
	}
	shown := map[string]string{}
	for _, e := range errs {
		if _, dup := shown[e.Field]; !dup {
			shown[e.Field] = lang.L(e.Key)
		}
	}
	for _, name := range sc.order {
		sc.Fields[name].SetError(shown[name])
	}
	sc.Error.SetText("")
	if len(errs) > 0 {
		sc.win.Canvas().Focus(sc.inputs[errs[0].Field])
		return
	}
	sc.Submit.Disable()
	sc.Progress.Show()
	sc.Progress.Start()
	sc.Tasks.Go(func() {
		err := sc.setup.Setup(context.Background(), in)
		fyne.Do(func() {
			sc.Progress.Stop()
			sc.Progress.Hide()
			sc.Submit.Enable()
			if err != nil {
				fyne.LogError("setup", err)
				if fe, ok := ErrorField(err); ok && sc.Fields[fe.Field] != nil {
					sc.Fields[fe.Field].SetError(lang.L(fe.Key))
					sc.win.Canvas().Focus(sc.inputs[fe.Field])
					return
				}
				sc.Error.SetText(lang.L("err.setup.failed"))
				return
			}
			if sc.onDone != nil {
				sc.onDone(in)
			}
		})
	})
}
