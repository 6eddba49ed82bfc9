// Package demo makes realistic synthetic dossiers for demonstrations and
// benchmarks: Vietnamese names with their diacritics, consistent ID numbers,
// phone numbers and addresses of a commune, papers taken from the procedure's
// list, appointments computed on the working-day calendar. Nothing it makes
// belongs to a real person; the names are combinations of the commonest
// family, middle and given names.
package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
)

var (
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
		"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương"}
	middlesM = []string{"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân", "Ngọc", "Đình"}
	middlesF = []string{"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Phương", "Hồng", "Bảo", "Diệu"}
	givensM  = []string{"An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long",
		"Minh", "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt"}
	givensF = []string{"Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan",
		"Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Yến"}
	streets = []string{"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt",
		"Quang Trung", "Phan Đình Phùng", "Điện Biên Phủ", "Nguyễn Huệ", "Võ Thị Sáu"}
	hamlets = []string{"Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Ấp Bình Minh", "Tổ dân phố 3"}
	mobile  = []string{"03", "05", "07", "08", "09"}
)

// Calendar computes appointments and places the steps of a dossier's life
// in office hours; internal/calendar implements it.
type Calendar interface {
	AddWorkingDays(from time.Time, n int) time.Time
	AddWorkingHours(from time.Time, hours int) time.Time
	AddWorkingMinutes(from time.Time, n int) time.Time
	WorkingMinutesBetween(a, b time.Time) int
	SameDay(from time.Time) time.Time
	IsWorkingDay(t time.Time) bool
}

// Generator makes dossiers; it is deterministic for a seed.
type Generator struct {
	r        *rand.Rand
	procs    []catalog.Procedure
	cal      Calendar
	commune  string
	clerks   []string
	loc      *time.Location
	Province string // 3-digit birth-registration province code of most applicants
	// Leader is the login that refuses dossiers and signs apologies in the
	// histories Lives makes.
	Leader string
}

// New returns a generator over the procedures in force.
func New(seed uint64, procs []catalog.Procedure, cal Calendar, commune string, clerks []string, loc *time.Location) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), procs: procs, cal: cal,
		commune: commune, clerks: clerks, loc: loc, Province: "001", Leader: "lanhdao"}
}

// Person is a synthetic applicant.
func (g *Generator) Person() dossier.Applicant {
	r := g.r
	female := r.IntN(2) == 0
	var name string
	if female {
		name = pick(r, families) + " " + pick(r, middlesF) + " " + pick(r, givensF)
	} else {
		name = pick(r, families) + " " + pick(r, middlesM) + " " + pick(r, givensM)
	}
	year := 1950 + r.IntN(72)
	birth := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, g.loc)
	g0 := 0 // century/sex digit: 0/1 for the 1900s, 2/3 for the 2000s
	if year >= 2000 {
		g0 = 2
	}
	sex := dossier.SexMale
	if female {
		g0++
		sex = dossier.SexFemale
	}
	id := fmt.Sprintf("%s%d%02d%06d", g.Province, g0, year%100, r.IntN(1000000))
	phone := fmt.Sprintf("%s%08d", pick(r, mobile), r.IntN(100000000))
	var addr string
	if r.IntN(2) == 0 {
		addr = fmt.Sprintf("Số %d %s, %s", 1+r.IntN(300), pick(r, streets), g.commune)
	} else {
		addr = pick(r, hamlets) + ", " + g.commune
	}
	return dossier.Applicant{FullName: name, IDNumber: id, BirthDate: birth, Sex: sex, Address: addr, Phone: phone}
}

// Dossier makes one dossier received at `at` (moved into office hours).
func (g *Generator) Dossier(at time.Time) *dossier.Dossier {
	r := g.r
	p := g.procs[r.IntN(len(g.procs))]
	var papers []dossier.Paper
	for _, ps := range p.Papers {
		if ps.Required || r.IntN(3) == 0 {
			papers = append(papers, dossier.Paper{Name: ps.Name, Form: ps.Form, Count: max(ps.Count, 1), Required: ps.Required})
		}
	}
	if len(papers) == 0 {
		papers = append(papers, dossier.Paper{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1})
	}
	var due time.Time
	switch p.Deadline.Kind {
	case catalog.DeadlineHours:
		due = g.cal.AddWorkingHours(at, p.Deadline.N)
	case catalog.DeadlineSameDay:
		due = g.cal.SameDay(at)
	default:
		due = g.cal.AddWorkingDays(at, p.Deadline.N)
	}
	ret := dossier.ReturnAtCounter
	retAddr := ""
	a := g.Person()
	if r.IntN(10) == 0 {
		ret, retAddr = dossier.ReturnByPost, a.Address
	}
	return &dossier.Dossier{
		ProcedureCode: p.Code, ProcedureName: p.Name, CatalogVersion: p.Version,
		Applicant: a, Papers: papers, Sets: 1, Fee: p.Fee.Compute(1 + r.IntN(5)),
		ProcessingTime: p.Deadline.Text, ReceivedAt: at, DueAt: due,
		Status: dossier.StatusReceived, Channel: dossier.ChannelInPerson,
		ReturnMethod: ret, ReturnAddress: retAddr, ReceivedBy: pick(r, g.clerks),
	}
}

// Dossiers makes n dossiers spread over the working hours of the days before
// end, oldest first, at most perDay a day, each in the status its life (see
// Lives) has brought it to by end: most old ones done or returned, a few
// still open and overdue, recent ones received or processing.
func (g *Generator) Dossiers(n, perDay int, end time.Time) []*dossier.Dossier {
	lives := g.Lives(n, perDay, end)
	out := make([]*dossier.Dossier, len(lives))
	for k, l := range lives {
		l.Dossier.Status = l.Status()
		if !l.DueAt().IsZero() {
			l.Dossier.DueAt = l.DueAt()
		}
		out[k] = l.Dossier
	}
	return out
}

// received makes n dossiers spread over the working hours of the days
// before end, oldest first, at most perDay a day, all just received.
func (g *Generator) received(n, perDay int, end time.Time) []*dossier.Dossier {
	if perDay < 1 {
		perDay = 40
	}
	end = end.In(g.loc)
	days := (n + perDay - 1) / perDay
	// walk back over working days
	var dayList []time.Time
	d := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, g.loc)
	for len(dayList) < days {
		if g.cal.IsWorkingDay(d) {
			dayList = append(dayList, d)
		}
		d = d.AddDate(0, 0, -1)
	}
	out := make([]*dossier.Dossier, 0, n)
	for i := len(dayList) - 1; i >= 0 && len(out) < n; i-- {
		day := dayList[i]
		k := min(perDay, n-len(out))
		// times of the day's receptions, in order, so codes grow with time as
		// at a real counter: mornings 07:00–11:30, afternoons 13:30–17:00
		times := make([]time.Time, k)
		for j := range times {
			mins := 7*60 + g.r.IntN(270)
			if g.r.IntN(2) == 0 {
				mins = 13*60 + 30 + g.r.IntN(210)
			}
			times[j] = day.Add(time.Duration(mins)*time.Minute + time.Duration(g.r.IntN(60))*time.Second)
		}
		slices.SortFunc(times, time.Time.Compare)
		var prev time.Time
		for j, at := range times {
			if at.After(end) { // today: squeeze the rest just before now
				at = end.Add(-time.Duration(k-j) * time.Second)
			}
			if !at.After(prev) {
				at = prev.Add(time.Second)
			}
			prev = at
			out = append(out, g.Dossier(at))
		}
	}
	return out
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }
