package review

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// DashboardView shows the figures per commune and overall for a period, a
// chart over time, and exports them as CSV.
type DashboardView struct {
	s       *Screen
	content fyne.CanvasObject
	loaded  bool

	Commune    *widget.Select
	From, To   *widgets.Entry
	Show       *widget.Button
	Export     *widget.Button
	Message    *widget.Label
	Table      *widget.Table
	Chart      *widgets.BarChart
	ChartTitle *widget.Label
	Saved      *widget.Label
	D          Dashboard
	Exported   string // the last CSV written
}

// dashColumns are the table's columns.
var dashColumns = []string{"review.dash.commune", "review.dash.received", "review.dash.done", "review.dash.on_time",
	"review.dash.late", "review.dash.overdue", "review.dash.avg_days", "review.dash.votes", "review.dash.digitised"}

func newDashboardView(s *Screen) *DashboardView {
	v := &DashboardView{s: s}
	communes := []string{lang.L("review.filter.all_communes")}
	for _, c := range s.session.Communes {
		communes = append(communes, communeLabel(c))
	}
	v.Commune = widget.NewSelect(communes, nil)
	v.Commune.SetSelectedIndex(0)
	today := s.opt.Now().In(widgets.Zone)
	v.From, v.To = widgets.NewEntry(), widgets.NewEntry()
	v.From.SetText(today.AddDate(0, 0, -29).Format("02/01/2006"))
	v.To.SetText(today.Format("02/01/2006"))
	v.Show = widget.NewButtonWithIcon(lang.L("review.dash.show"), theme.ViewRefreshIcon(), v.Load)
	v.Show.Importance = widget.HighImportance
	v.Export = widget.NewButtonWithIcon(lang.L("review.dash.export"), theme.DocumentSaveIcon(), v.chooseCSV)
	v.Message = widgets.NewErrorLabel()
	v.Saved = widget.NewLabel("")
	v.Saved.Importance = widget.SuccessImportance
	v.Table = widget.NewTable(v.size, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, v.cell)
	v.Table.ShowHeaderRow = true
	v.Table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(dashColumns) {
			o.(*widget.Label).SetText(lang.L(dashColumns[id.Col]))
		}
	}
	for c, w := range []float32{300, 110, 130, 100, 90, 130, 140, 190, 90} {
		v.Table.SetColumnWidth(c, w)
	}
	v.Chart = widgets.NewBarChart()
	legend := container.NewHBox(swatch(widgets.ChartReceived), widget.NewLabel(lang.L("review.dash.received")),
		swatch(widgets.ChartDone), widget.NewLabel(lang.L("review.dash.done")))
	filters := container.NewHBox(widget.NewLabel(lang.L("review.filter.commune")), container.NewGridWrap(fyne.NewSize(260, 38), v.Commune),
		widget.NewLabel(lang.L("review.filter.from")), container.NewGridWrap(fyne.NewSize(140, 38), v.From),
		widget.NewLabel(lang.L("review.filter.to")), container.NewGridWrap(fyne.NewSize(140, 38), v.To), v.Show, v.Export)
	v.ChartTitle = widget.NewLabelWithStyle(lang.L("review.dash.chart"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	chart := container.NewBorder(container.NewHBox(v.ChartTitle, legend), nil, nil, nil, v.Chart)
	split := container.NewVSplit(v.Table, chart)
	split.Offset = 0.55
	v.content = container.NewBorder(container.NewVBox(filters, v.Message, v.Saved), nil, nil, nil, split)
	return v
}

func swatch(c color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSize(14, 14))
	return container.NewCenter(r)
}

func (v *DashboardView) size() (int, int) { return len(v.D.Offices) + 1, len(dashColumns) }

// rowStats is row i of the table: the communes, then the total.
func (v *DashboardView) rowStats(i int) (Stats, bool) {
	if i < len(v.D.Offices) {
		return v.D.Offices[i], false
	}
	return v.D.Total, true
}

func (v *DashboardView) cell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if !v.loaded {
		l.SetText("")
		return
	}
	st, total := v.rowStats(id.Row)
	l.TextStyle.Bold = total
	l.SetText(CellText(st, id.Col, total))
}

// CellText is the text of column col of a statistics row.
func CellText(st Stats, col int, total bool) string {
	switch col {
	case 0:
		if total {
			return lang.L("review.dash.total")
		}
		return communeLabel(Commune{Code: st.Office, Name: st.Name})
	case 1:
		return widgets.Thousands(int64(st.Received))
	case 2:
		return widgets.Thousands(int64(st.Done))
	case 3:
		return widgets.Thousands(int64(st.OnTime))
	case 4:
		return widgets.Thousands(int64(st.Late))
	case 5:
		return widgets.Thousands(int64(st.OverdueNow))
	case 6:
		return strings.Replace(strconv.FormatFloat(st.AvgDays, 'f', 1, 64), ".", ",", 1)
	case 7:
		return fmt.Sprintf("%d / %d / %d", st.Votes[0], st.Votes[1], st.Votes[2])
	case 8:
		return strconv.Itoa(int(st.Digitised*100+0.5)) + "%"
	}
	return ""
}

func (v *DashboardView) query() (DashQuery, string) {
	var q DashQuery
	if i := v.Commune.SelectedIndex(); i > 0 && i-1 < len(v.s.session.Communes) {
		q.Office = v.s.session.Communes[i-1].Code
	}
	var err error
	if q.From, err = ParseDay(v.From.Text); err != nil {
		return q, lang.L("review.filter.err.from")
	}
	if q.To, err = ParseDay(v.To.Text); err != nil {
		return q, lang.L("review.filter.err.to")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, lang.L("review.filter.err.range")
	}
	return q, ""
}

// Load fetches the dashboard for the period and commune chosen.
func (v *DashboardView) Load() {
	q, bad := v.query()
	if bad != "" {
		say(v.Message, bad)
		return
	}
	say(v.Message, lang.L("review.loading"))
	svc := v.s.svc
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		d, err := svc.Dashboard(ctx, q)
		fyne.Do(func() {
			if err != nil {
				msg := v.s.errText(err)
				if errors.Is(err, ErrUnreachable) {
					msg = lang.L("review.dash.offline")
				}
				say(v.Message, msg)
				v.s.expired(err)
				return
			}
			say(v.Message, "")
			v.D, v.loaded = d, true
			v.Table.Refresh()
			v.Chart.SetBars(pointBars(d.Series))
			if d.Weekly {
				v.ChartTitle.SetText(lang.L("review.dash.chart_weekly"))
			} else {
				v.ChartTitle.SetText(lang.L("review.dash.chart"))
			}
		})
	})
}

// chooseCSV asks where to save the CSV, then exports.
func (v *DashboardView) chooseCSV() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		v.ExportCSV(path)
	}, v.s.win)
	d.SetFileName("thong-ke-" + v.s.opt.Now().In(widgets.Zone).Format("20060102") + ".csv")
	d.Show()
}

// ExportCSV writes the hub's CSV of the dashboard shown to path.
func (v *DashboardView) ExportCSV(path string) {
	q, bad := v.query()
	if bad != "" {
		say(v.Message, bad)
		return
	}
	svc := v.s.svc
	say(v.Message, lang.L("review.loading"))
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		b, err := svc.DashboardCSV(ctx, q)
		var werr error
		if err == nil {
			werr = os.WriteFile(path, b, 0o644)
		}
		fyne.Do(func() {
			switch {
			case err != nil:
				say(v.Message, v.s.errText(err))
			case werr != nil:
				v.s.opt.Log.Warn("review: write CSV", "err", werr)
				say(v.Message, widgets.T("review.dash.write_failed", map[string]any{"Path": path}))
			default:
				say(v.Message, "")
				say(v.Saved, widgets.T("review.dash.exported", map[string]any{"Path": path}))
				v.Exported = path
			}
		})
	})
}
