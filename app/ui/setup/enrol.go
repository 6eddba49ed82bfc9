package setup

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// Enrolled is the device's identity at the provincial hub.
type Enrolled struct {
	Office, OfficeName, DeviceID string
}

// Enroller registers this device with the provincial hub using the
// one-time token the technician made there (motcua-hub token new). The
// composition root implements it over sync/client.Enrol.
type Enroller interface {
	Enrol(ctx context.Context, hubURL, token string) (Enrolled, error)
}

// EnrolFunc adapts a function to Enroller.
type EnrolFunc func(ctx context.Context, hubURL, token string) (Enrolled, error)

// Enrol calls f.
func (f EnrolFunc) Enrol(ctx context.Context, hubURL, token string) (Enrolled, error) {
	return f(ctx, hubURL, token)
}

// CheckEnrol validates the hub address and the token as typed and returns
// them trimmed, or the errors in screen order.
func CheckEnrol(hubURL, token string) (string, string, []FieldError) {
	var errs []FieldError
	u := strings.TrimRight(strings.TrimSpace(hubURL), "/")
	t := strings.ToUpper(strings.Join(strings.Fields(token), ""))
	switch {
	case u == "":
		errs = append(errs, FieldError{"hub_url", "err.setup.hub_url.required"})
	case !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") || strings.ContainsAny(u, " \t"):
		errs = append(errs, FieldError{"hub_url", "err.setup.hub_url.format"})
	}
	switch {
	case t == "":
		errs = append(errs, FieldError{"token", "err.setup.token.required"})
	case !tokenShape(t):
		errs = append(errs, FieldError{"token", "err.setup.token.format"})
	}
	return u, t, errs
}

// tokenShape: 40 hexadecimal digits in groups separated by dashes, as
// motcua-hub token new prints them.
func tokenShape(t string) bool {
	n := 0
	for _, c := range t {
		switch {
		case c == '-':
		case '0' <= c && c <= '9', 'A' <= c && c <= 'F':
			n++
		default:
			return false
		}
	}
	return n == 40
}

// reasoner is implemented by the sync client's errors: the kind of
// failure ("token", "offline", "portal", "server", "clock", …).
type reasoner interface{ Reason() string }

// EnrolErrorField maps an error of Enrol to the field and message to show.
// ok is false for an error to show as the general enrolment failure.
func EnrolErrorField(err error) (FieldError, bool) {
	var fe FieldError
	if errors.As(err, &fe) {
		return fe, true
	}
	var r reasoner
	if !errors.As(err, &r) {
		return FieldError{}, false
	}
	switch r.Reason() {
	case "token":
		return FieldError{"token", "err.setup.token.bad"}, true
	case "conflict":
		return FieldError{"token", "err.setup.enrol.already"}, true
	case "offline":
		return FieldError{"hub_url", "err.setup.hub.offline"}, true
	case "portal":
		return FieldError{"hub_url", "err.setup.hub.portal"}, true
	case "server":
		return FieldError{"hub_url", "err.setup.hub.server"}, true
	case "clock":
		return FieldError{"hub_url", "err.setup.hub.clock"}, true
	}
	return FieldError{}, false
}

// EnrolPart is the "link with the province" group of the setup screen:
// the hub address, the token, the button and what happened.
type EnrolPart struct {
	HubURL, Token *widgets.Entry
	Button        *widget.Button
	Status        *widget.Label
	box           *fyne.Container
	enroller      Enroller
	enrolled      *Enrolled
}

func (sc *Screen) newEnrolPart() *EnrolPart {
	p := &EnrolPart{}
	mk := func(field, label, ph string) *widgets.Entry {
		e := widgets.NewEntry()
		e.SetPlaceHolder(lang.L(ph))
		sc.Fields[field] = widgets.NewField(lang.L(label), e)
		sc.inputs[field] = e
		return e
	}
	p.HubURL = mk("hub_url", "setup.hub_url", "setup.hub_url.placeholder")
	p.Token = mk("token", "setup.token", "setup.token.placeholder")
	p.Token.OnSubmitted = func(string) { sc.enrol() }
	p.Button = widget.NewButtonWithIcon(lang.L("setup.enrol"), theme.LoginIcon(), widgets.Act(sc.enrol))
	p.Status = widget.NewLabel(lang.L("setup.enrol.optional"))
	p.Status.Wrapping = fyne.TextWrapWord
	bold := fyne.TextStyle{Bold: true}
	p.box = container.NewVBox(widget.NewLabelWithStyle(lang.L("setup.hub"), fyne.TextAlignLeading, bold),
		sc.Fields["hub_url"].Object(), sc.Fields["token"].Object(), p.Button, p.Status)
	p.box.Hide()
	return p
}

// SetEnroller shows the "link with the province" group; without one the
// setup screen does not offer enrolment (motcua enrol does it later).
func (sc *Screen) SetEnroller(e Enroller) {
	sc.Hub.enroller = e
	sc.Hub.box.Show()
}

// Shown reports whether the group is offered (SetEnroller was called).
func (p *EnrolPart) Shown() bool { return p.box.Visible() }

// Enrolled is the hub identity obtained on this screen, if any.
func (sc *Screen) Enrolled() (Enrolled, bool) {
	if sc.Hub.enrolled == nil {
		return Enrolled{}, false
	}
	return *sc.Hub.enrolled, true
}

func (sc *Screen) enrol() {
	p := sc.Hub
	if p.enroller == nil || p.enrolled != nil {
		return
	}
	u, tok, errs := CheckEnrol(p.HubURL.Text, p.Token.Text)
	shown := map[string]string{}
	for _, e := range errs {
		if _, dup := shown[e.Field]; !dup {
			shown[e.Field] = lang.L(e.Key)
		}
	}
	sc.Fields["hub_url"].SetError(shown["hub_url"])
	sc.Fields["token"].SetError(shown["token"])
	p.box.Refresh()
	if len(errs) > 0 {
		sc.win.Canvas().Focus(sc.inputs[errs[0].Field])
		return
	}
	p.Button.Disable()
	p.Status.SetText(lang.L("setup.enrol.working"))
	sc.Tasks.Go(func() {
		got, err := p.enroller.Enrol(context.Background(), u, tok)
		fyne.Do(func() {
			if err != nil {
				p.Button.Enable()
				fyne.LogError("enrol", err)
				if fe, ok := EnrolErrorField(err); ok && sc.Fields[fe.Field] != nil {
					sc.Fields[fe.Field].SetError(lang.L(fe.Key))
					p.Status.SetText(lang.L("setup.enrol.optional"))
					p.box.Refresh() // the error line wraps: lay the group out again
					sc.win.Canvas().Focus(sc.inputs[fe.Field])
					return
				}
				p.Status.SetText(lang.L("err.setup.enrol.failed"))
				return
			}
			p.enrolled = &got
			p.HubURL.Disable()
			p.Token.Disable()
			// The office is the hub's: its code starts every dossier code
			// the hub will accept from this device.
			sc.AgencyID.SetText(got.Office)
			sc.Fields["agency_id"].SetError("")
			if strings.TrimSpace(sc.AgencyName.Text) == "" {
				sc.AgencyName.SetText(got.OfficeName)
			}
			p.Status.SetText(widgets.T("setup.enrol.done", map[string]any{"Office": got.Office, "Name": got.OfficeName}))
		})
	})
}
