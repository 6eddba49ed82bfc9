package catalog

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

// Procedure is one version of an administrative procedure.
type Procedure struct {
	Code       string // mã thủ tục hành chính, e.g. "1.001193"
	CodeNote   string // why the code is not (or not yet) the national one; empty when it is
	Version    string // e.g. "2025-07-01"; (Code, Version) is unique
	Name       string
	Field      string // lĩnh vực: "Hộ tịch", "Chứng thực", "Cư trú", …
	LegalBasis string
	// EffectiveFrom is the first day the version applies (00:00 in Vietnam);
	// EffectiveTo the last day it applies, zero when open-ended.
	EffectiveFrom time.Time
	EffectiveTo   time.Time
	Papers        []PaperSpec
	Fee           Fee
	Deadline      Deadline
	Result        string // what the citizen receives, e.g. "Giấy khai sinh"
	// Folded is textfold.Fold(Code+" "+Name+" "+Field), filled by Parse.
	Folded string `json:"-"`
}

// InForce reports whether the version applies at the instant at.
func (p Procedure) InForce(at time.Time) bool {
	if at.Before(p.EffectiveFrom) {
		return false
	}
	return p.EffectiveTo.IsZero() || at.Before(dayAfter(p.EffectiveTo))
}

// PaperSpec is one paper a procedure asks for.
type PaperSpec struct {
	Name     string
	Form     dossier.PaperForm // the form the office asks for
	Count    int               // copies of this paper in one set
	Required bool              // false: only in the cases the Note describes
	Note     string
}

// Fee is what the office collects for one item of a procedure.
//
// With Unit empty the fee is per dossier. Otherwise Amount is the price of
// one unit ("trang", "bản", …): from unit number TierFrom on (when TierFrom
// > 1) each unit costs TierAmount instead, and the total for one item (one
// copy, one document) is capped by Max when Max > 0. The certification of a
// copy, for instance, is 2,000 VND a page, 1,000 VND a page from the third
// page, at most 200,000 VND a copy (Circular 226/2016/TT-BTC):
// {Amount: 2000, Unit: "trang", TierFrom: 3, TierAmount: 1000, Max: 200000}.
type Fee struct {
	Amount     int64  `json:"amount"` // VND
	Unit       string `json:"unit,omitempty"`
	TierFrom   int    `json:"tier_from,omitempty"`
	TierAmount int64  `json:"tier_amount,omitempty"`
	Max        int64  `json:"max,omitempty"`  // 0 = no cap
	Note       string `json:"note,omitempty"` // exemptions, who sets the amount, …
}

// MaxUnits bounds the units Compute multiplies, so that no input overflows.
const MaxUnits = 1_000_000

// Compute returns the fee of one item of units units (pages, copies, …).
// Units below 1 count as 1; a per-dossier fee ignores units. The caller
// multiplies by the number of items (for example, copies of a document).
func (f Fee) Compute(units int) int64 {
	if f.Unit == "" {
		return f.Amount
	}
	units = min(max(units, 1), MaxUnits)
	var total int64
	if f.TierFrom > 1 && units >= f.TierFrom {
		first := int64(f.TierFrom - 1)
		total = satAdd(satMul(f.Amount, first), satMul(f.TierAmount, int64(units)-first))
	} else {
		total = satMul(f.Amount, int64(units))
	}
	if f.Max > 0 && total > f.Max {
		total = f.Max
	}
	return total
}

func satMul(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return max(a, 0) * max(b, 0)
	}
	if a > maxInt64/b {
		return maxInt64
	}
	return a * b
}

func satAdd(a, b int64) int64 {
	if a > maxInt64-b {
		return maxInt64
	}
	return a + b
}

const maxInt64 = 1<<63 - 1

// DeadlineKind is how a statutory processing time is counted.
type DeadlineKind string

const (
	// DeadlineDays counts N working days.
	DeadlineDays DeadlineKind = "days"
	// DeadlineHours counts N working hours.
	DeadlineHours DeadlineKind = "hours"
	// DeadlineSameDay is "within the day of receipt, the next working day if
	// received after 15:00"; N is 0.
	DeadlineSameDay DeadlineKind = "same_day"
)

// Deadline is a procedure's statutory processing time.
type Deadline struct {
	Kind DeadlineKind `json:"kind"`
	N    int          `json:"n,omitempty"`
	Text string       `json:"text"` // the statutory wording, printed on the receipt
}

// Catalog is a parsed, validated set of procedure versions. It is immutable
// and safe for concurrent use.
type Catalog struct {
	published time.Time
	source    string
	entries   []entry          // sorted by field, name, code, effective date
	byCode    map[string][]int // code -> indexes into entries, by effective date
}

type entry struct {
	p    Procedure
	end  time.Time // first instant after the version, zero when open-ended
	name string    // folded name
	sort string    // folded field + "\x00" + folded name, the listing order
}

func (e *entry) inForce(at time.Time) bool {
	return !at.Before(e.p.EffectiveFrom) && (e.end.IsZero() || at.Before(e.end))
}

// proc returns a copy of the procedure that the caller may modify.
func (e *entry) proc() Procedure {
	p := e.p
	p.Papers = slices.Clone(p.Papers)
	return p
}

// Published is the publication date the catalog file declares (zero if none).
func (c *Catalog) Published() time.Time { return c.published }

// Source is the free-text origin the catalog file declares.
func (c *Catalog) Source() string { return c.source }

// Len is the number of procedure versions, in force or not.
func (c *Catalog) Len() int { return len(c.entries) }

// All returns every version of every procedure, sorted by code then
// effective date, for stores that keep the whole history.
func (c *Catalog) All() []Procedure {
	out := make([]Procedure, 0, len(c.entries))
	for i := range c.entries {
		out = append(out, c.entries[i].proc())
	}
	slices.SortFunc(out, func(a, b Procedure) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), a.EffectiveFrom.Compare(b.EffectiveFrom))
	})
	return out
}

// InForce returns the versions in force at at, sorted by field then name
// (compared without diacritics, so "Đăng ký" sorts with "Dang ky").
func (c *Catalog) InForce(at time.Time) []Procedure {
	var out []Procedure
	for i := range c.entries {
		if c.entries[i].inForce(at) {
			out = append(out, c.entries[i].proc())
		}
	}
	return out
}

// Find returns the version of code in force at at.
func (c *Catalog) Find(code string, at time.Time) (Procedure, bool) {
	for _, i := range c.byCode[code] {
		if c.entries[i].inForce(at) {
			return c.entries[i].proc(), true
		}
	}
	return Procedure{}, false
}

// Version returns one version of a procedure, in force or not: the rules a
// dossier was received under.
func (c *Catalog) Version(code, version string) (Procedure, bool) {
	for _, i := range c.byCode[code] {
		if c.entries[i].p.Version == version {
			return c.entries[i].proc(), true
		}
	}
	return Procedure{}, false
}

// Fields returns the distinct fields of the versions in force at at, in
// listing order.
func (c *Catalog) Fields(at time.Time) []string {
	var out []string
	for i := range c.entries {
		p := &c.entries[i].p
		if c.entries[i].inForce(at) && (len(out) == 0 || out[len(out)-1] != p.Field) {
			out = append(out, p.Field)
		}
	}
	return out
}

// Search returns the versions in force at at whose code, name or field
// contain every word of query, compared without case or diacritics, so
// "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH" and decomposed input all match
// "Đăng ký khai sinh". An empty query returns InForce(at).
//
// Results are ranked: the code itself, then a name equal to the query, then
// names starting with it, then names containing it as a phrase, then the
// rest; listing order within each rank.
func (c *Catalog) Search(query string, at time.Time) []Procedure {
	q := textfold.Fold(query)
	if q == "" {
		return c.InForce(at)
	}
	words := strings.Fields(q)
	type hit struct {
		i, rank int
	}
	var hits []hit
	for i := range c.entries {
		e := &c.entries[i]
		if !e.inForce(at) || !containsAll(e.p.Folded, words) {
			continue
		}
		rank := 4
		switch {
		case strings.ToLower(e.p.Code) == q:
			rank = 0
		case e.name == q:
			rank = 1
		case strings.HasPrefix(e.name, q):
			rank = 2
		case strings.Contains(e.name, q):
			rank = 3
		}
		hits = append(hits, hit{i, rank})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.rank - b.rank })
	out := make([]Procedure, len(hits))
	for k, h := range hits {
		out[k] = c.entries[h.i].proc()
	}
	return out
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
