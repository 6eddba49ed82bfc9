package counter

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/report"
)

// Reports are the leader's figures and the exports; the composition root
// assembles them from internal/report and internal/receipt.
type Reports interface {
	Dashboard(ctx context.Context) (dossier.Figures, error)
	WriteTrackingCSV(ctx context.Context, w io.Writer, from, to time.Time) error
	WriteListCSV(ctx context.Context, w io.Writer, q dossier.Query) error
	// TrackingBookPDF renders form 07 for dossiers received in [from, to).
	TrackingBookPDF(ctx context.Context, from, to time.Time) ([]byte, error)
	// TrackingBook returns the lines of the tracking book of [from, to),
	// and Judge how one line stands against its appointment at now.
	TrackingBook(ctx context.Context, from, to time.Time) ([]dossier.TrackingRow, error)
	Judge(row dossier.TrackingRow, now time.Time) (report.Timeliness, int)
}

// Home is the office leader's home screen: today's and the month's figures,
// the on-time rate, counts by procedure, a chart of the last 30 days, and
// the exports (tracking book as PDF and CSV, dossier list as CSV).
type Home struct {
	ReceivedToday *canvas.Text
	ReceivedMonth *canvas.Text
	DueToday      *canvas.Text
	Overdue       *canvas.Text
	OnTime        *canvas.Text
	ByProcedure   *fyne.Container
	Chart         *widgets.BarChart
	Updated       *widget.Label
	Message       *widget.Label

	Reload         *widget.Button
	ExportTracking *widget.Button
	ExportList     *widget.Button
	PrintBook      *widget.Button
	// OpenBookButton opens the tracking book for any date range (Book).
	OpenBookButton *widget.Button
	Book           *Book
	// Votes shows the satisfaction votes of the chart's days by level.
	Votes *fyne.Container

	// Figures are the figures shown.
	Figures dossier.Figures

	win      fyne.Window
	reports  Reports
	receipts Receipts
	tasks    *widgets.Tasks
	now      func() time.Time
	content  fyne.CanvasObject
}

// NewHome builds the leader's home screen; call Load to fill it.
func NewHome(win fyne.Window, reports Reports, receipts Receipts, tasks *widgets.Tasks, now func() time.Time) *Home {
	h := &Home{win: win, reports: reports, receipts: receipts, tasks: tasks, now: now}
	big := func() *canvas.Text {
		t := canvas.NewText("…", theme.Color(theme.ColorNamePrimary))
		t.TextSize = 32
		t.TextStyle.Bold = true
		return t
	}
	h.ReceivedToday, h.ReceivedMonth, h.DueToday, h.Overdue, h.OnTime = big(), big(), big(), big(), big()
	h.Overdue.Color = widgets.ErrorColor()
	card := func(key string, t *canvas.Text) fyne.CanvasObject {
		return widget.NewCard("", "", container.NewVBox(widget.NewLabel(lang.L(key)), t))
	}
	cards := container.NewGridWithColumns(5,
		card("lifecycle.home.received_today", h.ReceivedToday),
		card("lifecycle.home.received_month", h.ReceivedMonth),
		card("lifecycle.home.due_today", h.DueToday),
		card("lifecycle.home.overdue", h.Overdue),
		card("lifecycle.home.on_time", h.OnTime),
	)
	h.ByProcedure = container.NewVBox()
	h.Chart = widgets.NewBarChart()
	h.Updated = widget.NewLabel("")
	h.Message = widget.NewLabel("")
	h.Reload = widget.NewButtonWithIcon(lang.L("lifecycle.home.reload"), theme.ViewRefreshIcon(), widgets.Act(h.Load))
	h.ExportTracking = widget.NewButtonWithIcon(lang.L("lifecycle.home.export_tracking"), theme.DocumentSaveIcon(),
		widgets.Act(func() { h.save("so-theo-doi-"+h.monthName()+".csv", h.WriteTrackingCSV, h.Message) }))
	h.ExportList = widget.NewButtonWithIcon(lang.L("lifecycle.home.export_list"), theme.DocumentSaveIcon(),
		widgets.Act(func() { h.save("danh-sach-ho-so-"+h.monthName()+".csv", h.WriteListCSV, h.Message) }))
	h.PrintBook = widget.NewButtonWithIcon(lang.L("lifecycle.home.print_book"), theme.DocumentPrintIcon(), widgets.Act(h.printBook))
	h.OpenBookButton = widget.NewButtonWithIcon(lang.L("lifecycle.home.open_book"), theme.ListIcon(), widgets.Act(h.OpenBook))
	h.OpenBookButton.Importance = widget.HighImportance
	h.Votes = container.NewVBox()
	legend := container.NewHBox(
		swatch(widgets.ChartReceived), widget.NewLabel(lang.L("lifecycle.home.chart.received")),
		swatch(widgets.ChartDone), widget.NewLabel(lang.L("lifecycle.home.chart.done")),
		swatch(widgets.ChartOff), widget.NewLabel(lang.L("lifecycle.home.chart.off")),
	)
	title := widget.NewLabelWithStyle(lang.L("lifecycle.home.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewHBox(title, h.Updated, layout.NewSpacer(), h.Reload)
	actions := container.NewHBox(h.OpenBookButton, h.PrintBook, h.ExportTracking, h.ExportList, h.Message)
	chart := container.NewBorder(
		widget.NewLabelWithStyle(lang.L("lifecycle.home.chart"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		legend, nil, nil, h.Chart)
	procs := container.NewBorder(
		widget.NewLabelWithStyle(lang.L("lifecycle.home.by_procedure"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewVBox(widget.NewSeparator(),
			widget.NewLabelWithStyle(lang.L("lifecycle.home.votes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			h.Votes),
		nil, nil, container.NewVScroll(h.ByProcedure))
	h.content = container.NewBorder(container.NewVBox(top, cards), actions, nil, nil,
		container.NewGridWithColumns(2, chart, procs))
	return h
}

// swatch is a small square of a chart colour for the legend.
func swatch(c color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSize(14, 14))
	return container.NewCenter(r)
}

// Content is the screen's canvas object.
func (h *Home) Content() fyne.CanvasObject { return h.content }

func (h *Home) monthName() string { return h.now().In(widgets.Zone).Format("2006-01") }

// month is the current month in Vietnam time, [first day, first of next).
func (h *Home) month() (time.Time, time.Time) {
	t := h.now().In(widgets.Zone)
	from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, widgets.Zone)
	return from, from.AddDate(0, 1, 0)
}

// Load fetches the figures off the UI goroutine and shows them.
func (h *Home) Load() {
	h.tasks.Go(func() {
		f, err := h.reports.Dashboard(context.Background())
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("dashboard", err)
				h.Message.SetText(lang.L("err.load.failed"))
				return
			}
			h.show(f)
		})
	})
}

func setFigure(t *canvas.Text, s string) {
	t.Text = s
	t.Refresh()
}

func (h *Home) show(f dossier.Figures) {
	h.Figures = f
	setFigure(h.ReceivedToday, strconv.Itoa(f.ReceivedToday))
	setFigure(h.ReceivedMonth, strconv.Itoa(f.ReceivedMonth))
	setFigure(h.DueToday, strconv.Itoa(f.DueToday))
	setFigure(h.Overdue, strconv.Itoa(f.Overdue))
	if r := f.OnTimeRate(); r < 0 {
		setFigure(h.OnTime, "—")
	} else {
		setFigure(h.OnTime, fmt.Sprintf("%.1f %%", r*100))
	}
	h.Updated.SetText(widgets.T("lifecycle.home.updated", map[string]any{"At": widgets.DateTime(f.Now)}))
	h.ByProcedure.RemoveAll()
	for k, p := range f.ByProcedure {
		if k == 12 {
			h.ByProcedure.Add(widget.NewLabel(widgets.T("lifecycle.home.more", map[string]any{"N": len(f.ByProcedure) - k})))
			break
		}
		l := widget.NewLabel(widgets.T("lifecycle.home.procedure", map[string]any{
			"Name": p.Name, "Received": p.Received, "Done": p.Done, "OnTime": p.OnTime, "Overdue": p.Overdue}))
		l.Wrapping = fyne.TextWrapWord
		h.ByProcedure.Add(l)
	}
	if len(f.ByProcedure) == 0 {
		h.ByProcedure.Add(widget.NewLabel(lang.L("lifecycle.home.none")))
	}
	h.Chart.SetBars(dayBars(f.Days))
	h.showVotes(f)
}

// voteColors are the bars of the three satisfaction levels.
func voteColors() [3]color.Color {
	return [3]color.Color{widgets.ChartDone, widgets.ChartReceived, widgets.ErrorColor()}
}

// showVotes lists the satisfaction votes of the chart's days by level,
// each with its share and a bar.
func (h *Home) showVotes(f dossier.Figures) {
	h.Votes.RemoveAll()
	total, colors := f.VoteTotal(), voteColors()
	if total == 0 {
		h.Votes.Add(widget.NewLabel(lang.L("lifecycle.home.votes.none")))
		return
	}
	for k, n := range f.Votes {
		share := float64(n) / float64(total)
		l := widget.NewLabel(widgets.T("lifecycle.home.votes.level", map[string]any{
			"Level": lang.L("lifecycle.home.votes." + strconv.Itoa(k+1)), "N": n,
			"Share": fmt.Sprintf("%.0f", share*100)}))
		bar := canvas.NewRectangle(colors[k])
		bar.SetMinSize(fyne.NewSize(float32(4+196*share), 12))
		h.Votes.Add(container.NewBorder(nil, nil, nil, container.NewCenter(bar), l))
	}
	h.Votes.Add(widget.NewLabel(widgets.T("lifecycle.home.votes.total", map[string]any{"N": total})))
}

// WriteTrackingCSV writes this month's tracking book as CSV to w and
// closes it.
func (h *Home) WriteTrackingCSV(w io.WriteCloser) error {
	from, to := h.month()
	err := h.reports.WriteTrackingCSV(context.Background(), w, from, to)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteListCSV writes this month's dossiers as CSV to w and closes it.
func (h *Home) WriteListCSV(w io.WriteCloser) error {
	from, to := h.month()
	err := h.reports.WriteListCSV(context.Background(), w, dossier.Query{ReceivedFrom: from, ReceivedTo: to})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// save asks where to save a file and writes it off the UI goroutine.
func (h *Home) save(name string, write func(io.WriteCloser) error, msg *widget.Label) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		msg.SetText(lang.L("lifecycle.home.exporting"))
		h.tasks.Go(func() {
			err := write(w)
			fyne.Do(func() {
				if err != nil {
					fyne.LogError("export", err)
					msg.SetText(lang.L("lifecycle.err.export"))
					return
				}
				msg.SetText(widgets.T("lifecycle.home.exported", map[string]any{"File": w.URI().Name()}))
			})
		})
	}, h.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// printBook prints this month's tracking book (form 07).
func (h *Home) printBook() {
	from, to := h.month()
	h.printBookRange(from, to, h.Message)
}

// printBookRange prints the tracking book (form 07) of [from, to) off the
// UI goroutine and says on message how it went.
func (h *Home) printBookRange(from, to time.Time, message *widget.Label) {
	message.SetText(lang.L("lifecycle.printing"))
	h.tasks.Go(func() {
		ctx := context.Background()
		pdf, err := h.reports.TrackingBookPDF(ctx, from, to)
		if err == nil {
			err = h.receipts.Print(ctx, pdf)
		}
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("print tracking book", err)
				message.SetText(lang.L("err.print.failed"))
				return
			}
			message.SetText(widgets.T("lifecycle.printed", map[string]any{"Form": "07"}))
		})
	})
}

// addHomeTab appends the leader's home tab when there are reports to
// show.
func (c *Counter) addHomeTab() {
	if c.svc.Reports == nil {
		return
	}
	c.Home = NewHome(c.win, c.svc.Reports, c.svc.Receipts, &c.Tasks, c.opts.Now)
	c.Tabs.Append(container.NewTabItemWithIcon(lang.L("lifecycle.nav.home"), theme.HomeIcon(), c.Home.Content()))
}

// homeTab is the index of the home tab, -1 if none.
func (c *Counter) homeTab() int {
	if c.Home == nil {
		return -1
	}
	return c.tabOf(c.Home.Content())
}

// homeLoggedIn opens the home tab for an account that does not receive
// (the office leader) and keeps it closed to accounts without reports.
func (c *Counter) homeLoggedIn() {
	if c.Home == nil {
		return
	}
	if i, open := c.gateTab(c.Home.Content(), auth.PermReportView, c.Home.Load); open && !c.canReceive() {
		c.Tabs.SelectIndex(i)
	}
}

// ShowHome switches to the leader's home tab, reloading its figures.
func (c *Counter) ShowHome() {
	if i := c.homeTab(); i >= 0 && c.loggedInNow() && c.account.Role.Can(auth.PermReportView) {
		c.Tabs.SelectIndex(i)
		c.Home.Load()
	}
}
