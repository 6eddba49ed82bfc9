package wire

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

// NewReports builds the leader's figures and exports over this Env.
func (e *Env) NewReports() *Reports {
	return &Reports{Service: &report.Service{
		Source:        e.Store,
		Calendar:      e.Calendar,
		MinutesPerDay: e.Calendar.Hours().MinutesPerDay(),
		Now:           e.Now,
		Procedures: func(code string, at time.Time) (string, bool) {
			p, ok := e.Catalog.Find(code, at)
			return p.Name, ok
		},
	}, Store: e.Store}
}

// Reports adds the printed tracking book (form 07) to report.Service; it
// implements counter.Reports.
type Reports struct {
	*report.Service
	Store *store.Store
}

// Dashboard is report.Service.Dashboard (named here so the method set is
// explicit).
func (r *Reports) Dashboard(ctx context.Context) (dossier.Figures, error) {
	return r.Service.Dashboard(ctx)
}

// WriteTrackingCSV writes the tracking book of [from, to) as CSV.
func (r *Reports) WriteTrackingCSV(ctx context.Context, w io.Writer, from, to time.Time) error {
	return r.Service.WriteTrackingCSV(ctx, w, from, to)
}

// WriteListCSV writes the dossiers matching q as CSV.
func (r *Reports) WriteListCSV(ctx context.Context, w io.Writer, q dossier.Query) error {
	return r.Service.WriteListCSV(ctx, w, q)
}

// TrackingBookPDF renders form 07 for dossiers received in [from, to).
func (r *Reports) TrackingBookPDF(ctx context.Context, from, to time.Time) ([]byte, error) {
	rows, err := r.Service.TrackingBook(ctx, from, to)
	if err != nil {
		return nil, err
	}
	office, err := officeOf(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if r.Service.Now != nil {
		now = r.Service.Now()
	}
	lines := make([]receipt.TrackingLine, len(rows))
	for k, row := range rows {
		lines[k] = receipt.TrackingLine{Row: row, Timeliness: report.TimelinessName(r.Service.Judge(row, now))}
	}
	return receipt.TrackingBook(receipt.TrackingBookData{Office: office, From: from, To: to, Lines: lines})
}

func officeOf(ctx context.Context, st *store.Store) (receipt.Office, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return receipt.Office{}, err
	}
	return receipt.Office{AgencyName: set.AgencyName, ParentName: set.ParentName, AgencyID: set.AgencyID,
		Address: set.Address, Phone: set.Phone, ReturnPlace: set.ReturnPlace}, nil
}

// Forms renders forms 02, 03, 04 and 06 of a saved dossier from what the
// store recorded; it implements counter.Forms.
type Forms struct {
	Store   *store.Store
	Reports *Reports // judges the control slip's steps with the calendar
}

// NewForms builds the lifecycle forms over this Env.
func (e *Env) NewForms() *Forms { return &Forms{Store: e.Store, Reports: e.NewReports()} }

func (f *Forms) fullName(ctx context.Context, login string) string {
	if a, err := f.Store.Account(ctx, login); err == nil && a.FullName != "" {
		return a.FullName
	}
	return login
}

// FormPDF renders form "02", "03", "04" or "06" of dossier d (the latest
// supplement request, refusal or apology).
func (f *Forms) FormPDF(ctx context.Context, form string, d *dossier.Dossier) ([]byte, error) {
	office, err := officeOf(ctx, f.Store)
	if err != nil {
		return nil, err
	}
	lc, err := f.Store.Lifecycle(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	hist, err := f.Store.History(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	switch form {
	case "02":
		if len(lc.Supplements) == 0 {
			return nil, fmt.Errorf("form 02 of %s: no supplement request", d.Code)
		}
		req := lc.Supplements[len(lc.Supplements)-1]
		return receipt.Supplement(receipt.SupplementData{Dossier: d, Office: office, Request: req,
			ClerkName: f.fullName(ctx, req.Actor)})
	case "03":
		for k := len(hist) - 1; k >= 0; k-- {
			if e := hist[k]; e.Action == string(dossier.ActionRefuse) {
				return receipt.Refusal(receipt.RefusalData{Dossier: d, Office: office, Reason: e.Note, At: e.At,
					SignerName: f.fullName(ctx, e.Actor)})
			}
		}
		return nil, fmt.Errorf("form 03 of %s: not refused", d.Code)
	case "04":
		if len(lc.Apologies) == 0 {
			return nil, fmt.Errorf("form 04 of %s: no apology", d.Code)
		}
		a := lc.Apologies[len(lc.Apologies)-1]
		return receipt.Apology(receipt.ApologyData{Dossier: d, Office: office, Apology: a,
			SignerName: f.fullName(ctx, a.Actor)})
	case "06":
		return receipt.ControlSlip(receipt.ControlSlipData{Dossier: d, Office: office,
			Steps: f.slipSteps(ctx, d, hist, lc, office)})
	}
	return nil, fmt.Errorf("unknown form %q", form)
}

// slipSteps turns the history into the control slip's hand-overs, each
// judged against the appointment in force at the time (an apology moves it).
func (f *Forms) slipSteps(ctx context.Context, d *dossier.Dossier, hist []dossier.Event, lc dossier.Lifecycle, office receipt.Office) []receipt.SlipStep {
	due := d.DueAt
	if len(lc.Apologies) > 0 && !lc.Apologies[0].OldDue.IsZero() {
		due = lc.Apologies[0].OldDue
	}
	apology := 0
	desk := "Bộ phận Một cửa"
	var out []receipt.SlipStep
	for _, e := range hist {
		st := receipt.SlipStep{At: e.At, What: report.ActionName(e.Action), Note: e.Note}
		who := f.fullName(ctx, e.Actor)
		switch dossier.Action(e.Action) {
		case dossier.ActionReceive:
			st.From, st.To = "Người nộp hồ sơ", desk+" ("+who+")"
		case dossier.ActionTransfer:
			st.From, st.To, st.Note = desk+" ("+who+")", e.Note, ""
		case dossier.ActionReturn:
			st.From = desk + " (" + who + ")"
			if lc.Return != nil {
				st.To = lc.Return.FullName
			}
		default:
			st.From = who
		}
		if dossier.Action(e.Action) == dossier.ActionExtend && apology < len(lc.Apologies) {
			due = lc.Apologies[apology].NewDue
			apology++
		}
		row := dossier.TrackingRow{DueAt: due, DoneAt: e.At, Status: dossier.StatusDone}
		st.Timeliness = report.TimelinessName(f.Reports.Service.Judge(row, e.At))
		out = append(out, st)
	}
	return out
}
