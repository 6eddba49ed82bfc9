package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// Step is one step of a demo dossier's life after reception, at its time.
type Step struct {
	At     time.Time
	Change dossier.Change
}

// Life is a demo dossier as received (status received, first appointment)
// and the steps it went through up to the end Lives was given, in order.
// Vote is the satisfaction vote (1 very satisfied … 3 not satisfied) its
// applicant gave when the result was handed over, 0 for none.
type Life struct {
	Dossier *dossier.Dossier
	Steps   []Step
	Vote    int
	VoteAt  time.Time
}

// Status is the status the steps brought the dossier to.
func (l Life) Status() dossier.Status {
	s := l.Dossier.Status
	for _, st := range l.Steps {
		if next, err := dossier.Next(s, st.Change.Action); err == nil {
			s = next
		}
	}
	return s
}

// DueAt is the appointment in force after the steps (an apology or a
// supplement moves it); zero when no step moved it.
func (l Life) DueAt() time.Time {
	var due time.Time
	for _, st := range l.Steps {
		if !st.Change.NewDue.IsZero() {
			due = st.Change.NewDue
		}
	}
	return due
}

// What the demo's clerks write.
var (
	agencies = []string{"Công chức Tư pháp – Hộ tịch", "Công chức Địa chính – Xây dựng", "Công chức Văn hóa – Xã hội"}
	missing  = []string{"Giấy chứng sinh (bản chính)", "Bản sao giấy chứng nhận kết hôn có chứng thực",
		"Văn bản ủy quyền có chứng thực", "Giấy xác nhận tình trạng hôn nhân", "Sơ đồ vị trí thửa đất"}
	refusals = []string{"Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường",
		"Người yêu cầu không đủ điều kiện theo quy định"}
	delays = []string{"Chờ kết quả xác minh của Công an phường", "Chờ ý kiến của cơ quan chuyên môn cấp trên",
		"Cán bộ thụ lý nghỉ ốm đột xuất"}
)

// Lives makes n dossiers as Dossiers does, each with a realistic history
// up to end: processing starts soon after reception; some are handed to a
// specialist official, some wait for a supplement (the clock paused, the
// appointment recomputed from the working time left), some pay a fee;
// most results are ready by the appointment; of the others half get an
// apology with a new date (form 04) and meet it, half are late; most results are handed
// over, about a third of them with a satisfaction vote; a few dossiers are
// refused or withdrawn. Every step falls in office hours, after the
// previous one and not after end; a step that would come later is not
// taken yet, so recent dossiers are still received or processing and some
// old ones are overdue.
func (g *Generator) Lives(n, perDay int, end time.Time) []Life {
	ds := g.received(n, perDay, end)
	out := make([]Life, len(ds))
	for k, d := range ds {
		out[k] = g.life(d, end)
	}
	return out
}

func (g *Generator) life(d *dossier.Dossier, end time.Time) Life {
	r, cal := g.r, g.cal
	l := Life{Dossier: d}
	status, t, due := d.Status, d.ReceivedAt, d.DueAt
	clerk := d.ReceivedBy
	work := func(from time.Time, minutes int) time.Time { return cal.AddWorkingMinutes(from, max(minutes, 1)) }
	// add takes a step at `at` unless that is after end; it reports
	// whether the step was taken.
	add := func(at time.Time, actor string, ch dossier.Change) bool {
		if at.After(end) || !at.After(t) {
			return false
		}
		next, err := dossier.Next(status, ch.Action)
		if err != nil {
			panic(fmt.Sprintf("demo: %s from %d: %v", ch.Action, status, err))
		}
		ch.From, ch.Actor = status, actor
		l.Steps = append(l.Steps, Step{At: at, Change: ch})
		status, t = next, at
		if !ch.NewDue.IsZero() {
			due = ch.NewDue
		}
		return true
	}

	switch fate := r.IntN(100); {
	case fate < 3:
		add(work(t, 10+r.IntN(120)), g.Leader, dossier.Change{Action: dossier.ActionRefuse, Note: pick(r, refusals)})
		return l
	case fate < 5:
		add(work(t, 60+r.IntN(900)), clerk, dossier.Change{Action: dossier.ActionWithdraw,
			Note: "Công dân xin rút hồ sơ"})
		return l
	}
	if !add(work(t, 5+r.IntN(90)), clerk, dossier.Change{Action: dossier.ActionStart,
		Note: "Hồ sơ đủ, chuyển xử lý"}) {
		return l
	}
	if r.IntN(100) < 20 {
		if !add(work(t, 5+r.IntN(60)), clerk, dossier.Change{Action: dossier.ActionTransfer, Agency: pick(r, agencies)}) {
			return l
		}
	}
	if r.IntN(100) < 10 {
		asked := work(t, 20+r.IntN(180))
		item := pick(r, missing)
		if !add(asked, clerk, dossier.Change{Action: dossier.ActionSupplement, Note: "Hồ sơ còn thiếu " + item,
			Supplement: &dossier.Supplement{Items: []string{item}, Reason: "Hồ sơ còn thiếu " + item,
				Official: clerk, Phone: "0243823" + fmt.Sprintf("%04d", r.IntN(10000))}}) {
			return l
		}
		// the clock is paused until the papers arrive, one to four working
		// days later; then the working time that was left counts again
		left := cal.WorkingMinutesBetween(asked, due)
		back := work(asked, 480*(1+r.IntN(3))+r.IntN(480))
		ch := dossier.Change{Action: dossier.ActionSupplemented, Note: "Đã nhận " + item, Remaining: max(left, 0)}
		if left > 0 {
			ch.NewDue = work(back, left)
		}
		if !add(back, clerk, ch) {
			return l
		}
	}
	if d.Fee > 0 && r.IntN(100) < 30 {
		if !add(work(t, 10+r.IntN(120)), clerk, dossier.Change{Action: dossier.ActionRequestFee,
			Note: fmt.Sprintf("Lệ phí %d đồng", d.Fee)}) {
			return l
		}
		if !add(work(t, 10+r.IntN(480)), clerk, dossier.Change{Action: dossier.ActionPaid,
			Note: fmt.Sprintf("Đã thu %d đồng, biên lai số %07d", d.Fee, 1+r.IntN(9999999))}) {
			return l
		}
	}
	var done time.Time
	switch total := cal.WorkingMinutesBetween(t, due); {
	case total > 0 && r.IntN(100) < 86: // on time, most of them
		done = work(t, 1+r.IntN(total))
	case total > 60 && r.IntN(2) == 0: // late: an apology before the appointment, the new date met
		newDue := cal.AddWorkingDays(due, 1+r.IntN(3))
		if !add(work(t, r.IntN(total-30)), g.Leader, dossier.Change{Action: dossier.ActionExtend,
			NewDue: newDue, Note: pick(r, delays)}) {
			return l
		}
		done = work(t, 1+r.IntN(max(cal.WorkingMinutesBetween(t, newDue), 1)))
	default: // late by up to three working days
		done = work(maxTime(t, due), 30+r.IntN(3*480))
	}
	if !add(done, clerk, dossier.Change{Action: dossier.ActionResult, Note: "Đã có kết quả giải quyết"}) {
		return l
	}
	if r.IntN(100) < 85 {
		c := dossier.Collector{FullName: d.Applicant.FullName, IDNumber: d.Applicant.IDNumber,
			Items: "Kết quả giải quyết (bản chính)"}
		if r.IntN(8) == 0 {
			p := g.Person()
			c = dossier.Collector{FullName: p.FullName, IDNumber: p.IDNumber, Authorised: true,
				Items: "Kết quả giải quyết (bản chính), văn bản ủy quyền"}
		}
		at := work(t, 10+r.IntN(2*480))
		if add(at, clerk, dossier.Change{Action: dossier.ActionReturn, Collector: &c}) && r.IntN(3) == 0 {
			l.VoteAt = at.Add(time.Duration(1+r.IntN(5)) * time.Minute)
			switch v := r.IntN(100); {
			case v < 68:
				l.Vote = 1
			case v < 92:
				l.Vote = 2
			default:
				l.Vote = 3
			}
		}
	}
	return l
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Seeder is where Seed records the lives; *store.Store implements it.
type Seeder interface {
	BulkReceive(ctx context.Context, ds []*dossier.Dossier, actor string) error
	BulkApply(ctx context.Context, steps []store.BulkStep) error
	RecordVote(ctx context.Context, v store.Vote) (store.Vote, error)
}

// Seed records lives in st: the dossiers as received (in batches of
// batch), then every step of every life in the order of their times, then
// the satisfaction votes. It returns the number of steps and votes.
func Seed(ctx context.Context, st Seeder, lives []Life, actor string, batch int) (steps, votes int, err error) {
	if batch < 1 {
		batch = 5000
	}
	ds := make([]*dossier.Dossier, len(lives))
	for k := range lives {
		ds[k] = lives[k].Dossier
	}
	for i := 0; i < len(ds); i += batch {
		if err := st.BulkReceive(ctx, ds[i:min(i+batch, len(ds))], actor); err != nil {
			return 0, 0, err
		}
	}
	var all []store.BulkStep
	for _, l := range lives {
		for _, s := range l.Steps {
			all = append(all, store.BulkStep{ID: l.Dossier.ID, At: s.At, Change: s.Change})
		}
	}
	// stable: the steps of one dossier keep their order at equal times
	slices.SortStableFunc(all, func(a, b store.BulkStep) int { return a.At.Compare(b.At) })
	for i := 0; i < len(all); i += batch {
		if err := st.BulkApply(ctx, all[i:min(i+batch, len(all))]); err != nil {
			return 0, 0, err
		}
	}
	for _, l := range lives {
		if l.Vote == 0 {
			continue
		}
		source := "counter"
		if votes%2 == 0 {
			source = "kiosk"
		}
		if _, err := st.RecordVote(ctx, store.Vote{At: l.VoteAt, Rating: store.Rating(l.Vote),
			DossierCode: l.Dossier.Code.String(), Source: source}); err != nil {
			return 0, 0, err
		}
		votes++
	}
	return len(all), votes, nil
}
