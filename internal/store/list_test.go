package store

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

// searchFixture receives a few named applicants and returns the store and
// their codes by name.
func searchFixture(t *testing.T) (*Store, map[string]string) {
	t.Helper()
	ctx := context.Background()
	s := openTest(t, t.TempDir(), 1, time.Now)
	people := []dossier.Applicant{
		{FullName: "Nguyễn Văn An", IDNumber: "001090012345", Phone: "0912 345 678"},
		{FullName: "Nguyễn Văn Anh", IDNumber: "001090099999", Phone: "0987.654.321"},
		{FullName: "Nguyễn Thị Bình", IDNumber: "036185000111", Phone: "0901000111"},
		{FullName: "Đặng Thị Hoa", IDNumber: "079301234567", Phone: "0355 111 222"},
		{FullName: "Trần Văn Dang", IDNumber: "079099887766", Phone: "0355 999 000"},
		{FullName: "Lê Đức Thắng", IDNumber: "040087654321", Phone: "+84 912 000 333"},
	}
	codes := map[string]string{}
	r := rand.New(rand.NewPCG(5, 5))
	for i, a := range people {
		d := fakeDossier(r, vnTime(2026, 11, 23, 8, i), 1)
		d.Applicant = a
		if err := s.Receive(ctx, d, "clerk"); err != nil {
			t.Fatal(err)
		}
		codes[a.FullName] = d.Code.String()
	}
	return s, codes
}

func TestSearch(t *testing.T) {
	s, codes := searchFixture(t)
	tests := []struct {
		name string
		text string
		want []string // names found, any order
	}{
		{"a folded name prefix finds every accented spelling", "nguyen van", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
		{"each word is a prefix", "nguy v an", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
		{"accents and case typed by the clerk do not matter", "NGUYỄN thị", []string{"Nguyễn Thị Bình"}},
		{"d finds đ", "dang", []string{"Đặng Thị Hoa", "Trần Văn Dang"}},
		{"đ finds d", "đang", []string{"Đặng Thị Hoa", "Trần Văn Dang"}},
		{"words match in any order", "an nguyen", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
		{"every word must match", "nguyen hoa", nil},
		{"an ID number prefix", "0010900", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
		{"a whole ID number", "079301234567", []string{"Đặng Thị Hoa"}},
		{"a phone typed without separators finds one stored with spaces", "0912345678", []string{"Nguyễn Văn An"}},
		{"a phone prefix finds one stored with dots", "0987", []string{"Nguyễn Văn Anh"}},
		{"a phone with country code", "84912", []string{"Lê Đức Thắng"}},
		{"a whole dossier code", codes["Lê Đức Thắng"], []string{"Lê Đức Thắng"}},
		{"a dossier code in lower case", strings.ToLower(codes["Đặng Thị Hoa"]), []string{"Đặng Thị Hoa"}},
		{"the last part of a dossier code", codes["Trần Văn Dang"][len(codes["Trần Văn Dang"])-4:], []string{"Trần Văn Dang"}},
		{"a name no one has", "pham", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.List(context.Background(), dossier.Query{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range page.Items {
				got = append(got, it.ApplicantName)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("search %q found %q, want %q", tt.text, got, want)
			}
			n, err := s.Count(context.Background(), dossier.Query{Text: tt.text})
			if err != nil || n != len(want) {
				t.Fatalf("Count(%q) = %d, %v; want %d", tt.text, n, err, len(want))
			}
		})
	}
}

// matchCases are texts a user may type that look like FTS5 syntax.
var matchCases = []string{
	`"`, `""`, `nguyen"`, `"nguyen van"`, `nguyen OR tran`, `AND`, `NOT nguyen`, `nguyen NEAR(van an)`,
	`NEAR(`, `*`, `nguyen*`, `-nguyen`, `^nguyen`, `name_folded:an`, `code:`, `{code name_folded}: an`,
	`(nguyen`, `)`, `'`, `an'`, `+`, `\`, `%`, `_`, "\x00", "a\x00b", `"*"*`, `:`, `.`, `..`, `0912.345.678`,
	`a" OR "b`, `""*`, `   `, "\u0301", "\uFEFF", "🙂", "an 🙂", "ǅ", "Ⅻ", "٣", "\u200b",
}

func TestSearchTextThatLooksLikeQuerySyntaxIsSearchedAsText(t *testing.T) {
	s, _ := searchFixture(t)
	for _, text := range matchCases {
		if _, err := s.List(context.Background(), dossier.Query{Text: text}); err != nil {
			t.Errorf("List(Text: %q) = %v", text, err)
		}
		if _, err := s.Count(context.Background(), dossier.Query{Text: text}); err != nil {
			t.Errorf("Count(Text: %q) = %v", text, err)
		}
	}
	// A quoted operator is text: "OR" finds nobody instead of everybody.
	if page, _ := s.List(context.Background(), dossier.Query{Text: "nguyen OR tran"}); len(page.Items) != 0 {
		t.Errorf("OR acted as an operator: %d rows", len(page.Items))
	}
}

func FuzzBuildMatch(f *testing.F) {
	for _, c := range matchCases {
		f.Add(c)
	}
	s, err := Open(context.Background(), f.TempDir(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, text string) {
		m := buildMatch(text)
		// Structure: only "…"* groups separated by single spaces.
		for _, g := range splitGroups(m) {
			if !strings.HasPrefix(g, `"`) || !strings.HasSuffix(g, `"*`) || strings.Contains(strings.ReplaceAll(g[1:len(g)-2], `""`, ``), `"`) {
				t.Fatalf("buildMatch(%q) = %q: group %q is not a quoted prefix", text, m, g)
			}
		}
		if m == "" {
			return
		}
		var n int
		if err := s.r.QueryRow(`SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH ?`, m).Scan(&n); err != nil {
			t.Fatalf("buildMatch(%q) = %q: FTS5 rejects it: %v", text, m, err)
		}
	})
}

// splitGroups splits a built MATCH string at the spaces between groups.
func splitGroups(m string) []string {
	var groups []string
	in := false
	start := 0
	for i := 0; i < len(m); i++ {
		switch {
		case m[i] == '"':
			in = !in
		case m[i] == ' ' && !in:
			groups = append(groups, m[start:i])
			start = i + 1
		}
	}
	if m != "" {
		groups = append(groups, m[start:])
	}
	return groups
}

// listFixture receives n dossiers with random statuses, due dates and
// receipt times (many sharing the same instant) and returns them.
func listFixture(t *testing.T, n int) (*Store, []*dossier.Dossier) {
	t.Helper()
	s := openTest(t, t.TempDir(), 1, time.Now)
	r := rand.New(rand.NewPCG(8, 8))
	start := vnTime(2026, 11, 1, 7, 0)
	var ds []*dossier.Dossier
	for range n {
		at := start.Add(time.Duration(r.IntN(20*24)) * time.Hour) // many share an hour
		d := fakeDossier(r, at, 1)
		d.Status = dossier.Statuses[r.IntN(len(dossier.Statuses))]
		d.DueAt = at.Add(time.Duration(r.IntN(15*24)) * time.Hour)
		if r.IntN(10) == 0 {
			d.DueAt = time.Time{}
		}
		ds = append(ds, d)
	}
	if err := s.BulkReceive(context.Background(), ds, "seed"); err != nil {
		t.Fatal(err)
	}
	return s, ds
}

func TestKeysetPagingReturnsEachRowOnceNewestFirst(t *testing.T) {
	ctx := context.Background()
	s, ds := listFixture(t, 700)
	for _, q := range []dossier.Query{
		{Limit: 17},
		{Limit: 50, Statuses: []dossier.Status{dossier.StatusReceived, dossier.StatusProcessing}},
		{Limit: 9, Text: "nguyen"},
	} {
		seen := map[int64]bool{}
		var prev *dossier.Summary
		pages := 0
		for {
			page, err := s.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for i, it := range page.Items {
				if seen[it.ID] {
					t.Fatalf("query %+v: dossier %d returned twice", q, it.ID)
				}
				seen[it.ID] = true
				if prev != nil && (it.ReceivedAt.After(prev.ReceivedAt) || it.ReceivedAt.Equal(prev.ReceivedAt) && it.ID > prev.ID) {
					t.Fatalf("query %+v: row %d out of order", q, it.ID)
				}
				prev = &page.Items[i]
			}
			if page.Next == nil {
				break
			}
			if len(page.Items) != q.Limit {
				t.Fatalf("a page before the last has %d rows, want %d", len(page.Items), q.Limit)
			}
			q.After = page.Next
		}
		q.After = nil
		want := 0
		for _, d := range ds {
			if matches(d, q, time.Time{}) {
				want++
			}
		}
		if len(seen) != want || want == 0 {
			t.Fatalf("query %+v: %d rows over %d pages, want %d", q, len(seen), pages, want)
		}
	}
}

// matches is the reference implementation of a Query filter, for tests.
func matches(d *dossier.Dossier, q dossier.Query, now time.Time) bool {
	if q.Text != "" {
		for _, w := range strings.Fields(textfold.Fold(q.Text)) {
			found := false
			for _, tok := range strings.Fields(textfold.Fold(d.Applicant.FullName)) {
				found = found || strings.HasPrefix(tok, w)
			}
			if !found {
				return false
			}
		}
	}
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, d.Status) {
		return false
	}
	if !q.ReceivedFrom.IsZero() && d.ReceivedAt.Before(q.ReceivedFrom) {
		return false
	}
	if !q.ReceivedTo.IsZero() && !d.ReceivedAt.Before(q.ReceivedTo) {
		return false
	}
	if !q.DueBefore.IsZero() && !(d.Status.Open() && !d.DueAt.IsZero() && d.DueAt.Before(q.DueBefore)) {
		return false
	}
	if q.Overdue && !d.Overdue(now) {
		return false
	}
	return true
}

func TestListFilters(t *testing.T) {
	ctx := context.Background()
	s, ds := listFixture(t, 600)
	now := vnTime(2026, 11, 12, 10, 0)
	tests := []struct {
		name string
		q    dossier.Query
	}{
		{"by one status", dossier.Query{Statuses: []dossier.Status{dossier.StatusDone}}},
		{"by several statuses", dossier.Query{Statuses: []dossier.Status{dossier.StatusRefused, dossier.StatusWithdrawn}}},
		{"overdue at a given instant", dossier.Query{Overdue: true, Now: now}},
		{"due within two days of now", dossier.Query{DueBefore: now.Add(48 * time.Hour)}},
		{"received on one day", dossier.Query{ReceivedFrom: vnTime(2026, 11, 5, 0, 0), ReceivedTo: vnTime(2026, 11, 6, 0, 0)}},
		{"received since a day", dossier.Query{ReceivedFrom: vnTime(2026, 11, 18, 0, 0)}},
		{"overdue and in a status", dossier.Query{Overdue: true, Now: now, Statuses: []dossier.Status{dossier.StatusProcessing}}},
		{"text and date range", dossier.Query{Text: "thi", ReceivedTo: vnTime(2026, 11, 10, 0, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []int64
			for _, d := range ds {
				if matches(d, tt.q, now) {
					want = append(want, d.ID)
				}
			}
			if len(want) == 0 {
				t.Fatal("the fixture has no row for this filter: the test would prove nothing")
			}
			q := tt.q
			q.Limit = 500
			var got []int64
			for {
				page, err := s.List(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range page.Items {
					got = append(got, it.ID)
				}
				if page.Next == nil {
					break
				}
				q.After = page.Next
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("List returned %d rows, want %d", len(got), len(want))
			}
			if n, err := s.Count(ctx, tt.q); err != nil || n != len(want) {
				t.Fatalf("Count = %d, %v; want %d", n, err, len(want))
			}
		})
	}
}

func TestTextSearchByIndexByWalkAndAutomaticallyFindTheSameRows(t *testing.T) {
	ctx := context.Background()
	s, ds := listFixture(t, 800)
	texts := []string{"nguyen", "nguyen van", "thi", "an", "dang", "đặng thị", "le duc", "van a", "tr", "h",
		ds[3].Code.String(), ds[10].Code.String()[len(ds[10].Code.String())-11:], ds[5].Applicant.IDNumber[:6],
		ds[7].Applicant.Phone, ds[9].Applicant.Phone[:5], "0", "00", "261", `nguyen "van"`, "xyz"}
	for _, text := range texts {
		var results [3][]int64
		for i, path := range []int{pathIndex, pathWalk, pathAuto} {
			s.searchPath = path
			q := dossier.Query{Text: text, Limit: 37}
			for {
				page, err := s.List(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range page.Items {
					results[i] = append(results[i], it.ID)
				}
				if page.Next == nil {
					break
				}
				q.After = page.Next
			}
		}
		if !slices.Equal(results[0], results[1]) || !slices.Equal(results[0], results[2]) {
			t.Errorf("search %q: the index found %d rows, the walk %d, the automatic choice %d",
				text, len(results[0]), len(results[1]), len(results[2]))
		}
		if len(results[0]) == 0 && text != "xyz" {
			t.Errorf("search %q found nothing: the comparison proves nothing", text)
		}
	}
	s.searchPath = pathAuto
}

func TestListsAndBadgesUseIndexes(t *testing.T) {
	s, _ := listFixture(t, 300)
	if _, err := s.w.Exec(`ANALYZE`); err != nil { // as PRAGMA optimize at Close would
		t.Fatal(err)
	}
	now := vnTime(2026, 11, 12, 10, 0)
	tests := []struct {
		name  string
		count bool
		q     dossier.Query
		want  string // index the plan must use
	}{
		{"the newest-first list walks the received index", false, dossier.Query{}, "dossiers_received"},
		{"the next page seeks in the received index", false, dossier.Query{After: &dossier.Cursor{ReceivedAt: now, ID: 100}}, "dossiers_received"},
		{"today's count is a range of the received index", true, dossier.Query{ReceivedFrom: vnTime(2026, 11, 12, 0, 0), ReceivedTo: vnTime(2026, 11, 13, 0, 0)}, "dossiers_received"},
		{"the overdue count is a range of the status and due index", true, dossier.Query{Overdue: true, Now: now}, "dossiers_status_due"},
		{"a status count uses the status and due index", true, dossier.Query{Statuses: []dossier.Status{dossier.StatusDone}}, "dossiers_status_due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := s.filters(tt.q)
			where, args := f.where, f.args
			if tt.q.After != nil {
				where = append(where, `(d.received_at, d.id) < (?, ?)`)
				args = append(args, tt.q.After.ReceivedAt.UnixMilli(), tt.q.After.ID)
			}
			query := plainListSQL(where)
			args = append(args, 51)
			if tt.count {
				query = `SELECT count(*) FROM dossiers d` + whereClause(where)
			}
			plan, err := queryPlan(s.r, query, args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, tt.want) || strings.Contains(plan, "SCAN d\n") || strings.HasSuffix(plan, "SCAN d") {
				t.Fatalf("plan does not use %s:\n%s", tt.want, plan)
			}
			// The outer query sorts the page's rows; the walk itself must not sort.
			if !tt.count && strings.Count(plan, "TEMP B-TREE") > 1 {
				t.Fatalf("plan sorts instead of walking the index:\n%s", plan)
			}
		})
	}
}

func TestCountUpToStopsAtItsLimit(t *testing.T) {
	ctx := context.Background()
	s, ds := listFixture(t, 300)
	name := textfold.Fold(ds[0].Applicant.FullName)
	tests := []struct {
		name string
		q    dossier.Query
	}{
		{"every dossier", dossier.Query{}},
		{"by one status", dossier.Query{Statuses: []dossier.Status{dossier.StatusDone}}},
		{"by a name", dossier.Query{Text: name}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exact, err := s.Count(ctx, tt.q)
			if err != nil || exact == 0 {
				t.Fatalf("Count = %d, %v", exact, err)
			}
			for _, limit := range []int{1, exact - 1, exact, exact + 5} {
				if limit < 1 {
					continue
				}
				n, more, err := s.CountUpTo(ctx, tt.q, limit)
				if err != nil {
					t.Fatal(err)
				}
				if wantMore := exact > limit; more != wantMore || n != min(exact, limit) {
					t.Errorf("CountUpTo(limit %d) = %d, %v; exact count %d", limit, n, more, exact)
				}
			}
		})
	}
}
