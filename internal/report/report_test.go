package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

var clerk = auth.Account{Login: "canbo", FullName: "Trần Thị Nhung", Role: auth.RoleClerk}

func vn(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, calendar.VN)
	if err != nil {
		panic(err)
	}
	return t
}

type env struct {
	now   time.Time
	store *store.Store
	rec   *reception.Service
	life  *reception.Lifecycle
	rep   *report.Service
}

// newEnv builds the real parts on a temp dir with a clock the test moves.
func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{now: now}
	clock := func() time.Time { return e.now }
	st, err := store.Open(ctx, t.TempDir(), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SaveSettings(ctx, store.Settings{AgencyID: "000.00.06.H56", AgencyName: "UBND xã Tân Phú",
		DeviceSlot: 1, Provisioned: true}, "test"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../assets/catalog/default.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(calendar.DefaultHours())
	e.store = st
	e.rec = &reception.Service{Repo: st, Catalog: cat, Calendar: cal, Now: clock}
	e.life = &reception.Lifecycle{Repo: st, Calendar: cal, Now: clock}
	e.rep = &report.Service{Source: st, Calendar: cal, Now: clock, MinutesPerDay: cal.Hours().MinutesPerDay(),
		Procedures: func(code string, at time.Time) (string, bool) {
			p, ok := cat.Find(code, at)
			return p.Name, ok
		}}
	return e
}

func (e *env) receive(t *testing.T, code string) *dossier.Dossier {
	t.Helper()
	d, err := e.rec.Receive(context.Background(), clerk, reception.Draft{
		ProcedureCode: code,
		Applicant: dossier.Applicant{FullName: "Lê Văn Tám", IDNumber: "001085001234", Address: "Ấp 1, xã Tân Phú",
			Phone: "0912345678"},
		Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1}},
		Sets:   1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (e *env) step(t *testing.T, d *dossier.Dossier, a dossier.Action) *dossier.Dossier {
	t.Helper()
	d, err := e.life.Step(context.Background(), clerk, d.ID, d.Status, a, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// seed: on Mon 2/11 three dossiers (two birth, one residence), one done in
// time; on Wed 18/11 one residence done late; today Mon 23/11 one received.
func seed(t *testing.T) *env {
	e := newEnv(t, vn("2026-11-02T09:00"))
	a := e.receive(t, "1.001193")                                          // birth, due the same day 17:00
	b := e.receive(t, "1.001193")                                          // birth
	c := e.receive(t, "1.004194")                                          // temporary residence, 3 working days: due 05/11 09:00
	a = e.step(t, e.step(t, a, dossier.ActionStart), dossier.ActionResult) // done at 09:00, on time
	_ = b
	e.now = vn("2026-11-18T10:00")
	e.step(t, e.step(t, c, dossier.ActionStart), dossier.ActionResult) // late by 9 working days
	e.now = vn("2026-11-23T08:30")
	e.receive(t, "1.001193")
	_ = a
	return e
}

func TestDashboardCountsTodayTheMonthDueOverdueAndTheOnTimeRate(t *testing.T) {
	e := seed(t)
	f, err := e.rep.Dashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"received today", f.ReceivedToday, 1},
		{"received this month", f.ReceivedMonth, 4},
		{"due today (the birth dossier received this morning)", f.DueToday, 1},
		{"overdue (the birth dossier of 2/11 never processed)", f.Overdue, 1},
		{"results this month", f.DoneMonth, 2},
		{"of which on time", f.OnTimeMonth, 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if r := f.OnTimeRate(); r != 0.5 {
		t.Errorf("on-time rate %v", r)
	}
	if len(f.ByProcedure) != 2 || f.ByProcedure[0].Code != "1.001193" || f.ByProcedure[0].Received != 3 ||
		f.ByProcedure[0].Name != "Đăng ký khai sinh" || f.ByProcedure[0].Overdue != 1 || f.ByProcedure[1].Done != 1 {
		t.Errorf("by procedure %+v", f.ByProcedure)
	}
	if len(f.Days) != report.ChartDays {
		t.Fatalf("%d days", len(f.Days))
	}
	last := f.Days[len(f.Days)-1]
	if !last.Day.Equal(vn("2026-11-23T00:00")) || last.Received != 1 || !last.Working {
		t.Errorf("today %+v", last)
	}
	var nov2, nov18, nov22 dossier.DayCount
	for _, d := range f.Days {
		switch d.Day.Day() {
		case 2:
			nov2 = d
		case 18:
			nov18 = d
		case 22:
			nov22 = d
		}
	}
	if nov2.Received != 3 || nov2.Done != 1 || nov18.Done != 1 || nov22.Working {
		t.Errorf("2/11 %+v, 18/11 %+v, Sunday 22/11 %+v", nov2, nov18, nov22)
	}
}

func TestDashboardCountsTheSatisfactionVotesOfTheLast30Days(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, vn("2026-11-23T09:00"))
	votes := []struct {
		at     string
		rating store.Rating
	}{
		{"2026-10-20T09:00", store.RatingNotSatisfied},  // 34 days ago: outside the chart
		{"2026-10-25T09:00", store.RatingVerySatisfied}, // the chart's first day
		{"2026-11-20T10:00", store.RatingVerySatisfied},
		{"2026-11-21T10:00", store.RatingSatisfied},
		{"2026-11-23T08:00", store.RatingNotSatisfied},
		{"2026-11-23T08:30", store.RatingVerySatisfied},
	}
	for _, v := range votes {
		if _, err := e.store.RecordVote(ctx, store.Vote{At: vn(v.at), Rating: v.rating, Source: "kiosk"}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := e.rep.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Votes != [3]int{3, 1, 1} || f.VoteTotal() != 5 {
		t.Fatalf("votes %v (total %d), want [3 1 1]", f.Votes, f.VoteTotal())
	}
}

func TestJudgeCountsEarlyAndLateInWorkingDays(t *testing.T) {
	e := newEnv(t, vn("2026-11-23T09:00"))
	due := vn("2026-11-25T17:00") // Wednesday
	tests := []struct {
		name string
		row  dossier.TrackingRow
		want string
	}{
		{"a result two working days early", dossier.TrackingRow{DueAt: due, DoneAt: vn("2026-11-23T17:00"), Status: dossier.StatusDone}, "Sớm hạn 2 ngày làm việc"},
		{"a result the same afternoon is on time", dossier.TrackingRow{DueAt: due, DoneAt: vn("2026-11-25T14:00"), Status: dossier.StatusDone}, "Đúng hạn"},
		{"a result on Monday after a Wednesday appointment is 3 working days late", dossier.TrackingRow{DueAt: due, DoneAt: vn("2026-11-30T17:00"), Status: dossier.StatusReturned}, "Trễ hạn 3 ngày làm việc"},
		{"an open dossier before its appointment is pending", dossier.TrackingRow{DueAt: due, Status: dossier.StatusProcessing}, "Đang giải quyết"},
		{"a refused dossier is closed", dossier.TrackingRow{DueAt: vn("2026-11-20T17:00"), Status: dossier.StatusRefused}, "Đã đóng"},
		{"an open dossier past its appointment is overdue", dossier.TrackingRow{DueAt: vn("2026-11-19T17:00"), Status: dossier.StatusReceived}, "Quá hạn 2 ngày làm việc"},
		{"a dossier waiting for a supplement past its appointment is paused, not overdue", dossier.TrackingRow{DueAt: vn("2026-11-19T17:00"), Status: dossier.StatusSupplement}, "Tạm dừng, chờ bổ sung"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.TimelinessName(e.rep.Judge(tt.row, e.now)); got != tt.want {
				t.Fatalf("%q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrackingCSVStartsWithABOMAndHoldsOneLinePerDossierReceived(t *testing.T) {
	e := seed(t)
	var buf bytes.Buffer
	from, to := report.Month(e.now)
	if err := e.rep.WriteTrackingCSV(context.Background(), &buf, from, to); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatal("no UTF-8 BOM")
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Error("no CRLF line ends")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][0] != "STT sổ" || recs[1][3] != "Đăng ký khai sinh" || recs[1][13] != "Đúng hạn" {
		t.Fatalf("csv:\n%s", buf.String())
	}
	if recs[3][13] != "Trễ hạn 10 ngày làm việc" || recs[2][13] != "Quá hạn 15 ngày làm việc" {
		t.Errorf("timeliness: %q, %q", recs[3][13], recs[2][13])
	}
}

func TestListCSVHoldsEveryDossier(t *testing.T) {
	e := newEnv(t, vn("2026-11-23T09:00"))
	for range 3 {
		e.receive(t, "1.001193")
	}
	var buf bytes.Buffer
	if err := e.rep.WriteListCSV(context.Background(), &buf, dossier.Query{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[1][5] != "Đã tiếp nhận" {
		t.Fatalf("csv: %q", recs)
	}
}
