package review

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/preview"
)

// Zoom levels of the scan viewer, in percent of the page's size at 96 dpi.
var Zooms = []int{50, 75, 100, 125, 150, 200}

// DossierView is one dossier: what is missing first, the applicant, the
// papers with their scans, the history, the commune's notes and the
// decision buttons.
type DossierView struct {
	s       *Screen
	content fyne.CanvasObject
	Code    string
	D       Dossier
	loaded  bool

	Back    *widget.Button
	Title   *widget.Label
	Message *widget.Label
	Missing *widget.Label
	Info    *widget.Label // applicant and dossier facts
	Papers  *widget.Label
	History *widget.Label
	Notes   *widget.Label
	details *fyne.Container

	// scan viewer
	Files     *widget.Select
	files     []File
	Image     *canvas.Image
	ZoomIn    *widget.Button
	ZoomOut   *widget.Button
	PrevPage  *widget.Button
	NextPage  *widget.Button
	PageLabel *widget.Label
	ScanMsg   *widget.Label
	zoom      int // index in Zooms
	page      int
	pages     int
	data      []byte // the file shown
	gen       int    // counts loads and renders; a late answer of an older one is dropped
	Rendered  image.Image

	// decisions
	Decide      map[string]*widget.Button
	OfflineNote *widget.Label
	Notice      *widget.Label // the last decision recorded
	forms       map[string]*DecisionForm
}

func newDossierView(s *Screen, code string) *DossierView {
	v := &DossierView{s: s, Code: code, zoom: 2, Decide: map[string]*widget.Button{}}
	v.Back = widget.NewButtonWithIcon(lang.L("review.dossier.back"), theme.NavigateBackIcon(), s.closeDossier)
	v.Title = widget.NewLabelWithStyle(code, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.SizeName = theme.SizeNameSubHeadingText
	v.Message = widgets.NewErrorLabel()
	v.Notice = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Notice.Importance = widget.SuccessImportance
	v.Missing = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Missing.Importance = widget.DangerImportance
	v.Missing.Wrapping = fyne.TextWrapWord
	v.Info = wrapped()
	v.Papers = wrapped()
	v.History = wrapped()
	v.Notes = wrapped()

	v.Files = widget.NewSelect(nil, func(string) { v.showFile(v.Files.SelectedIndex()) })
	v.Files.PlaceHolder = lang.L("review.scan.choose")
	v.Image = canvas.NewImageFromImage(nil)
	v.Image.FillMode = canvas.ImageFillOriginal
	v.Image.ScaleMode = canvas.ImageScaleSmooth
	v.ZoomIn = widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { v.setZoom(v.zoom + 1) })
	v.ZoomOut = widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { v.setZoom(v.zoom - 1) })
	v.PrevPage = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.setPage(v.page - 1) })
	v.NextPage = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.setPage(v.page + 1) })
	v.PageLabel = widget.NewLabel("")
	v.ScanMsg = wrapped()

	for _, o := range Outcomes {
		b := widget.NewButton(lang.L("review.decide."+o), func() { v.openDecision(o) })
		v.Decide[o] = b
	}
	v.Decide[Accept].Importance = widget.HighImportance
	v.Decide[Refuse].Importance = widget.DangerImportance
	v.OfflineNote = wrapped()
	v.Notice.Hide()
	v.Message.Hide()

	section := func(key string, body fyne.CanvasObject) fyne.CanvasObject {
		h := widget.NewLabelWithStyle(lang.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewVBox(h, body, widget.NewSeparator())
	}
	v.details = container.NewVBox(v.Missing,
		section("review.dossier.applicant", v.Info),
		section("review.dossier.papers", v.Papers),
		section("review.dossier.history", v.History),
		section("review.dossier.notes", v.Notes))
	left := container.NewVScroll(v.details)
	viewerBar := container.NewHBox(v.ZoomOut, v.ZoomIn, v.PrevPage, v.PageLabel, v.NextPage)
	viewer := container.NewBorder(container.NewVBox(v.Files, viewerBar, v.ScanMsg), nil, nil, nil,
		container.NewScroll(container.NewCenter(v.Image)))
	split := container.NewHSplit(left, viewer)
	split.Offset = 0.42
	buttons := container.NewGridWithColumns(len(Outcomes), v.Decide[Accept], v.Decide[Supplement], v.Decide[Done], v.Decide[Refuse])
	top := container.NewVBox(container.NewBorder(nil, nil, v.Back, nil, v.Title), v.Message, v.Notice)
	v.content = container.NewBorder(top, container.NewVBox(v.OfflineNote, buttons), nil, nil, split)
	v.paintViewer()
	v.setOffline(s.offline)
	return v
}

func wrapped() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// setOffline disables the decisions while the hub is unreachable: they are
// not queued.
func (v *DossierView) setOffline(off bool) {
	for _, b := range v.Decide {
		if off || !v.loaded {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if off {
		v.OfflineNote.SetText(lang.L("review.offline.no_decisions"))
		v.OfflineNote.Show()
	} else {
		v.OfflineNote.SetText("")
		v.OfflineNote.Hide()
	}
}

// Load fetches the dossier (from the cache when the hub is unreachable).
func (v *DossierView) Load() {
	say(v.Message, lang.L("review.loading"))
	svc, cache, now, code := v.s.svc, v.s.opt.Cache, v.s.opt.Now, v.Code
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		d, err := svc.Dossier(ctx, code)
		var at time.Time
		offline, cached := false, false
		if err == nil {
			if cerr := cache.PutDossier(d, now()); cerr != nil {
				v.s.opt.Log.Warn("review cache", "err", cerr)
			}
		} else if errors.Is(err, ErrUnreachable) {
			offline = true
			if cd, cat, cerr := cache.Dossier(code); cerr == nil {
				d, at, cached = cd, cat, true
			}
		}
		fyne.Do(func() {
			if v.s.Dossier != v {
				return // closed meanwhile
			}
			switch {
			case err == nil:
				say(v.Message, "")
				v.s.setOffline(false, time.Time{})
			case offline && cached:
				say(v.Message, "")
				v.s.setOffline(true, at)
			case offline:
				v.s.setOffline(true, v.s.offlineAt)
				say(v.Message, lang.L("review.offline.dossier_missing"))
				return
			default:
				say(v.Message, v.s.errText(err))
				v.s.expired(err)
				return
			}
			v.show(d)
		})
	})
}

// show fills the view with d. UI goroutine.
func (v *DossierView) show(d Dossier) {
	v.D, v.loaded = d, true
	proc := d.ProcedureName
	if proc == "" {
		proc = d.Procedure
	}
	v.Title.SetText(d.Code + " — " + proc)
	if len(d.Missing) > 0 {
		v.Missing.SetText(widgets.T("review.dossier.missing", map[string]any{"Papers": strings.Join(d.Missing, "; ")}))
	} else {
		v.Missing.SetText(lang.L("review.dossier.complete"))
	}
	office := d.OfficeName
	if office == "" {
		office = d.Office
	}
	var info []string
	add := func(key, val string) {
		if val != "" {
			info = append(info, lang.L(key)+": "+val)
		}
	}
	add("review.dossier.name", d.Applicant)
	add("review.dossier.id_number", d.IDNumber)
	add("review.dossier.address", d.Address)
	add("review.dossier.phone", d.Phone)
	add("review.dossier.commune", office)
	add("review.dossier.status", statusText(d.Status))
	add("review.dossier.received", widgets.DateTime(d.ReceivedAt))
	add("review.dossier.due", widgets.DateTime(d.DueAt))
	if d.Overdue {
		info = append(info, lang.L("review.dossier.overdue"))
	}
	v.Info.SetText(strings.Join(info, "\n"))

	var papers []string
	v.files = nil
	var choices []string
	for _, p := range d.Papers {
		mark := "✓"
		if !p.Provided {
			mark = "✗"
		}
		line := mark + " " + p.Name
		if p.Required {
			line += " " + lang.L("review.paper.required")
		}
		if p.Digitised {
			line += " " + lang.L("review.paper.digitised")
		}
		if n := len(p.Files); n > 0 {
			line += " " + widgets.T("review.paper.files", map[string]any{"N": n})
		}
		papers = append(papers, line)
		for i, f := range p.Files {
			v.files = append(v.files, f)
			name := f.Name
			if name == "" {
				name = fmt.Sprintf("%s %d", lang.L("review.scan.file"), i+1)
			}
			choices = append(choices, p.Name+" — "+name)
		}
	}
	if len(papers) == 0 {
		papers = append(papers, lang.L("review.dossier.no_papers"))
	}
	v.Papers.SetText(strings.Join(papers, "\n"))
	v.History.SetText(eventLines(d.History, "review.dossier.no_history"))
	if len(d.Notes) == 0 {
		v.Notes.SetText(lang.L("review.dossier.no_notes"))
	} else {
		v.Notes.SetText(strings.Join(d.Notes, "\n"))
	}
	v.Files.SetOptions(choices)
	v.details.Refresh() // the wrapped labels changed height
	v.setOffline(v.s.offline)
	if len(v.files) > 0 {
		v.Files.SetSelectedIndex(0) // renders the first scan
	} else {
		say(v.ScanMsg, lang.L("review.scan.none"))
		v.paintViewer()
	}
}

func eventLines(evs []Event, emptyKey string) string {
	if len(evs) == 0 {
		return lang.L(emptyKey)
	}
	var lines []string
	for _, e := range evs {
		l := widgets.DateTime(e.At) + " · " + actionText(e.Action)
		if e.To != 0 {
			l += " → " + statusText(e.To)
		}
		if e.Actor != "" {
			l += " · " + e.Actor
		}
		if e.Note != "" {
			l += " — " + e.Note
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// actionText names a history action in the interface language.
func actionText(a string) string {
	key := "action." + a
	if strings.HasPrefix(a, "decision.") {
		key = "review." + a
	}
	if t := lang.L(key); t != key {
		return t
	}
	return a
}

// showFile loads file i and renders its first page.
func (v *DossierView) showFile(i int) {
	if i < 0 || i >= len(v.files) {
		return
	}
	f := v.files[i]
	v.data, v.page, v.pages = nil, 0, 0
	v.gen++
	gen := v.gen
	if !f.Held { // the commune has not finished uploading it
		v.clearImage()
		say(v.ScanMsg, lang.L("review.scan.not_held"))
		v.paintViewer()
		return
	}
	say(v.ScanMsg, lang.L("review.scan.loading"))
	svc, cache := v.s.svc, v.s.opt.Cache
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		data, err := svc.File(ctx, f.SHA256)
		if err == nil {
			if cerr := cache.PutFile(f.SHA256, data); cerr != nil {
				v.s.opt.Log.Warn("review cache", "err", cerr)
			}
		} else if errors.Is(err, ErrUnreachable) {
			if b, cerr := cache.File(f.SHA256); cerr == nil {
				data, err = b, nil
			}
		}
		n := 0
		if err == nil {
			n, err = preview.PageCount(data)
		}
		fyne.Do(func() {
			if v.gen != gen {
				return
			}
			if err != nil {
				v.clearImage()
				say(v.ScanMsg, v.scanErr(err))
				v.paintViewer()
				return
			}
			v.data, v.pages = data, n
			v.render()
		})
	})
}

func (v *DossierView) scanErr(err error) string {
	switch {
	case errors.Is(err, preview.ErrDocument), errors.Is(err, preview.ErrPage), errors.Is(err, preview.ErrTooLarge):
		return lang.L("review.scan.bad")
	case errors.Is(err, ErrUnreachable):
		return lang.L("review.scan.offline")
	}
	return v.s.errText(err)
}

// render draws the current page at the current zoom, off the UI goroutine:
// each render opens its own go-fitz document (preview does), so no document
// is shared between goroutines.
func (v *DossierView) render() {
	data, page, dpi := v.data, v.page, 96*float64(Zooms[v.zoom])/100
	if data == nil {
		return
	}
	v.gen++
	gen := v.gen
	say(v.ScanMsg, lang.L("review.scan.loading"))
	v.s.tasks.Go(func() {
		img, err := preview.RenderPage(data, page, dpi)
		fyne.Do(func() {
			if v.gen != gen {
				return // paged, zoomed or switched meanwhile
			}
			if err != nil {
				say(v.ScanMsg, v.scanErr(err))
				return
			}
			say(v.ScanMsg, "")
			v.Rendered = img
			v.Image.Image = img
			v.Image.Refresh()
			v.paintViewer()
		})
	})
}

// clearImage removes the page shown.
func (v *DossierView) clearImage() {
	v.Image.Image, v.Rendered = nil, nil
	v.Image.Refresh()
}

func (v *DossierView) setZoom(z int) {
	if z < 0 || z >= len(Zooms) || v.data == nil {
		return
	}
	v.zoom = z
	v.render()
}

func (v *DossierView) setPage(p int) {
	if p < 0 || p >= v.pages {
		return
	}
	v.page = p
	v.render()
}

// Zoom is the zoom shown, in percent.
func (v *DossierView) Zoom() int { return Zooms[v.zoom] }

// PageShown is the page shown (from 1) and the page count.
func (v *DossierView) PageShown() (int, int) { return v.page + 1, v.pages }

func (v *DossierView) paintViewer() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	has := v.data != nil
	enable(v.ZoomOut, has && v.zoom > 0)
	enable(v.ZoomIn, has && v.zoom < len(Zooms)-1)
	enable(v.PrevPage, has && v.page > 0)
	enable(v.NextPage, has && v.page < v.pages-1)
	if has {
		v.PageLabel.SetText(widgets.T("review.scan.page", map[string]any{"Page": v.page + 1, "Pages": v.pages, "Zoom": Zooms[v.zoom]}))
	} else {
		v.PageLabel.SetText("")
	}
}
