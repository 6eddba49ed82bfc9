package catalog

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

const defaultPath = "../../assets/catalog/default.json"

func loadDefault(t testing.TB) *Catalog {
	t.Helper()
	data, err := os.ReadFile(defaultPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatalf("default catalog: %v", err)
	}
	return c
}

func date(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, vn)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTheDefaultCatalogParsesAndCoversTheCommonProcedures(t *testing.T) {
	c := loadDefault(t)
	now := time.Now()
	inForce := c.InForce(now)
	if len(inForce) < 15 {
		t.Fatalf("%d procedures in force now, want at least 15", len(inForce))
	}
	codes := map[string]bool{}
	versions := map[string]int{}
	for _, p := range c.All() {
		codes[p.Code] = true
		versions[p.Code]++
	}
	if len(codes) < 18 {
		t.Fatalf("%d procedure codes, want at least 18", len(codes))
	}
	multi := 0
	for _, n := range versions {
		if n > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Fatal("no procedure has more than one version")
	}
	// Every procedure the brief names must be findable by its name.
	for _, name := range []string{
		"Đăng ký khai sinh", "Đăng ký khai tử", "Đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân",
		"Đăng ký nhận cha, mẹ, con", "Đăng ký giám hộ", "thay đổi, cải chính", "trích lục",
		"Đăng ký lại khai sinh", "Chứng thực bản sao từ bản chính", "Chứng thực chữ ký",
		"Chứng thực hợp đồng, giao dịch", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng",
		"Đăng ký thường trú", "Đăng ký tạm trú", "Khai báo tạm vắng", "Xác nhận thông tin về cư trú",
	} {
		if got := c.Search(name, now); len(got) == 0 {
			t.Errorf("no procedure in force matches %q", name)
		}
	}
	for _, p := range inForce {
		if p.Folded != textfold.Fold(p.Code+" "+p.Name+" "+p.Field) {
			t.Errorf("%s: Folded %q not filled from code, name and field", p.Code, p.Folded)
		}
		if p.Deadline.Kind == DeadlineSameDay && (p.Field != "Hộ tịch" && p.Field != "Chứng thực") {
			t.Errorf("%s %s: same-day deadline outside civil status and certification", p.Code, p.Name)
		}
	}
}

func TestSearchFindsKhaiSinhFirstHoweverItIsTyped(t *testing.T) {
	c := loadDefault(t)
	now := time.Now()
	for _, q := range []string{
		"đăng ký khai sinh",
		"DANG KY KHAI SINH",
		"dang ky khai sinh",
		"Đăng Ký Khai Sinh",
		"ĐĂNG KÝ KHAI SINH",
		"  dang   ky\tkhai sinh ",
		"Đa\u0306ng ky\u0301 khai sinh", // NFD: base letters followed by combining marks
	} {
		t.Run(q, func(t *testing.T) {
			got := c.Search(q, now)
			if len(got) == 0 {
				t.Fatalf("Search(%q) found nothing", q)
			}
			if got[0].Name != "Đăng ký khai sinh" {
				t.Fatalf("Search(%q) first = %q, want Đăng ký khai sinh", q, got[0].Name)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	c := loadDefault(t)
	now := time.Now()
	t.Run("an empty query lists everything in force", func(t *testing.T) {
		if got, want := names(c.Search("  ", now)), names(c.InForce(now)); !slices.Equal(got, want) {
			t.Fatalf("Search(\"\") = %v, want InForce %v", got, want)
		}
	})
	t.Run("a code finds its procedure first", func(t *testing.T) {
		got := c.Search("1.004222", now)
		if len(got) == 0 || got[0].Code != "1.004222" {
			t.Fatalf("Search(code) = %v", names(got))
		}
	})
	t.Run("every word must match", func(t *testing.T) {
		for _, p := range c.Search("khai sinh lai", now) {
			for _, w := range []string{"khai", "sinh", "lai"} {
				if !strings.Contains(p.Folded, w) {
					t.Errorf("%q matched without %q", p.Name, w)
				}
			}
		}
		if got := c.Search("khai sinh lai", now); len(got) == 0 {
			t.Fatal("Đăng ký lại khai sinh not found by words out of order")
		}
	})
	t.Run("khai tử does not match khai sinh", func(t *testing.T) {
		for _, p := range c.Search("khai sinh", now) {
			if strings.Contains(p.Folded, "khai tu") && !strings.Contains(p.Folded, "khai sinh") {
				t.Errorf("%q matched khai sinh", p.Name)
			}
		}
	})
	t.Run("the field matches too", func(t *testing.T) {
		got := c.Search("chung thuc", now)
		if len(got) == 0 {
			t.Fatal("nothing in Chứng thực")
		}
		for _, p := range got {
			if p.Field != "Chứng thực" && !strings.Contains(textfold.Fold(p.Name), "chung thuc") {
				t.Errorf("%q (%s) matched chung thuc", p.Name, p.Field)
			}
		}
	})
	t.Run("nonsense finds nothing", func(t *testing.T) {
		if got := c.Search("xyzzy", now); len(got) != 0 {
			t.Fatalf("Search(xyzzy) = %v", names(got))
		}
	})
	t.Run("a version not yet in force is not found", func(t *testing.T) {
		if got := c.Search("khai sinh", date("2020-01-01 00:00")); len(got) != 0 {
			t.Fatalf("found %v in 2020", names(got))
		}
	})
}

func TestSearchRanksCodeThenExactThenPrefixThenPhraseThenWords(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format": 1, "procedures": [`)
	for i, n := range []struct{ code, name, field string }{
		{"1.000001", "Sinh con và khai báo", "A"},
		{"1.000002", "Đăng ký lại khai sinh", "A"},
		{"1.000003", "Khai sinh kết hợp", "B"},
		{"1.000004", "Khai sinh", "C"},
		{"1.000005", "Cấp bản sao Giấy khai sinh", "A"},
		{"1.000006", "Khai tử", "A"},
	} {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"code": "` + n.code + `", "version": "1", "name": "` + n.name + `", "field": "` + n.field +
			`", "legal_basis": "x", "effective_from": "2025-01-01", "papers": [{"name": "p", "form": "original", "count": 1}],
			"fee": {"amount": 0}, "deadline": {"kind": "days", "n": 1, "text": "1"}, "result": "r"}`)
	}
	b.WriteString("]}")
	c, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	now := date("2025-06-01 08:00")
	got := names(c.Search("KHAI SINH", now))
	want := []string{
		"1.000004 1 Khai sinh",                  // the name itself
		"1.000003 1 Khai sinh kết hợp",          // starts with the query
		"1.000005 1 Cấp bản sao Giấy khai sinh", // the phrase, field A before field A: by name
		"1.000002 1 Đăng ký lại khai sinh",
		"1.000001 1 Sinh con và khai báo", // both words, not as a phrase
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Search(KHAI SINH) =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := names(c.Search("1.000006", now)); len(got) != 1 || got[0] != "1.000006 1 Khai tử" {
		t.Fatalf("Search(code) = %v", got)
	}
}

func names(ps []Procedure) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code + " " + p.Version + " " + p.Name
	}
	return out
}

func TestInForceIsSortedByFieldThenName(t *testing.T) {
	c := loadDefault(t)
	got := c.InForce(time.Now())
	if !slices.IsSortedFunc(got, func(a, b Procedure) int {
		return strings.Compare(textfold.Fold(a.Field)+"\x00"+textfold.Fold(a.Name),
			textfold.Fold(b.Field)+"\x00"+textfold.Fold(b.Name))
	}) {
		t.Fatalf("InForce not sorted: %v", names(got))
	}
	fields := c.Fields(time.Now())
	want := []string{}
	for _, p := range got {
		if !slices.Contains(want, p.Field) {
			want = append(want, p.Field)
		}
	}
	if !slices.Equal(fields, want) {
		t.Fatalf("Fields = %v, want %v", fields, want)
	}
}

// versioned is a small catalog with one procedure in three versions.
const versioned = `{"format": 1, "procedures": [
 {"code": "9.000001", "version": "v1", "name": "Thủ tục thử", "field": "Thử", "legal_basis": "Luật A",
  "effective_from": "2024-01-01", "effective_to": "2024-12-31",
  "papers": [{"name": "Tờ khai", "form": "original", "count": 1, "required": true}],
  "fee": {"amount": 10000}, "deadline": {"kind": "days", "n": 3, "text": "03 ngày làm việc"}, "result": "Kết quả"},
 {"code": "9.000001", "version": "v2", "name": "Thủ tục thử", "field": "Thử", "legal_basis": "Luật B",
  "effective_from": "2025-01-01", "effective_to": "2025-06-30",
  "papers": [{"name": "Tờ khai", "form": "original", "count": 1, "required": true}],
  "fee": {"amount": 20000}, "deadline": {"kind": "days", "n": 3, "text": "03 ngày làm việc"}, "result": "Kết quả"},
 {"code": "9.000001", "version": "v3", "name": "Thủ tục thử mới", "field": "Thử", "legal_basis": "Luật C",
  "effective_from": "2025-07-01",
  "papers": [{"name": "Tờ khai", "form": "original", "count": 1, "required": true}],
  "fee": {"amount": 0}, "deadline": {"kind": "same_day", "text": "Trong ngày"}, "result": "Kết quả"}
]}`

func TestFindPicksTheVersionInForce(t *testing.T) {
	c, err := Parse([]byte(versioned))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		want string // "" = none in force
	}{
		{"before the first version", date("2023-12-31 23:59"), ""},
		{"the first day of v1", date("2024-01-01 00:00"), "v1"},
		{"the last minute of v1's last day", date("2024-12-31 23:59"), "v1"},
		{"the gap between v1 and v2", date("2024-12-31 23:59").Add(2 * time.Minute), "v2"},
		{"the middle of v2", date("2025-03-15 10:00"), "v2"},
		{"v2's last day in the afternoon", date("2025-06-30 16:00"), "v2"},
		{"midnight in Vietnam starts v3 though UTC is still on June 30", time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC), "v3"},
		{"an hour earlier in UTC is still v2", time.Date(2025, 6, 30, 16, 0, 0, 0, time.UTC), "v2"},
		{"far in the future", date("2040-01-01 00:00"), "v3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := c.Find("9.000001", tt.at)
			if ok != (tt.want != "") || p.Version != tt.want {
				t.Fatalf("Find at %v = %q, %v; want %q", tt.at, p.Version, ok, tt.want)
			}
			if ok && !p.InForce(tt.at) {
				t.Fatalf("Procedure.InForce disagrees with Find at %v", tt.at)
			}
			if n := len(c.InForce(tt.at)); n != map[bool]int{true: 1, false: 0}[tt.want != ""] {
				t.Fatalf("InForce at %v has %d procedures", tt.at, n)
			}
		})
	}
}

func TestTheGapBetweenVersionsHasNoVersion(t *testing.T) {
	c, err := Parse([]byte(strings.Replace(versioned, `"effective_from": "2025-01-01"`, `"effective_from": "2025-02-01"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Find("9.000001", date("2025-01-15 09:00")); ok {
		t.Fatalf("found %s in the gap", p.Version)
	}
}

func TestVersionReturnsOldRulesForOldDossiers(t *testing.T) {
	c, err := Parse([]byte(versioned))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.Version("9.000001", "v1")
	if !ok || p.Fee.Amount != 10000 || p.LegalBasis != "Luật A" {
		t.Fatalf("Version v1 = %+v, %v", p, ok)
	}
	if _, ok := c.Version("9.000001", "v9"); ok {
		t.Fatal("unknown version found")
	}
	if _, ok := c.Version("9.999999", "v1"); ok {
		t.Fatal("unknown code found")
	}
	if _, ok := c.Find("9.999999", time.Now()); ok {
		t.Fatal("unknown code found by Find")
	}
	// The default catalog's two versions of permanent residence.
	d := loadDefault(t)
	old, ok1 := d.Find("1.004222", date("2024-06-01 09:00"))
	cur, ok2 := d.Find("1.004222", time.Now())
	if !ok1 || !ok2 || old.Version == cur.Version || !strings.Contains(old.LegalBasis, "62/2021") {
		t.Fatalf("permanent residence versions: %q / %q", old.Version, cur.Version)
	}
}

func TestReturnedProceduresAreCopies(t *testing.T) {
	c := loadDefault(t)
	now := time.Now()
	p, _ := c.Find("1.001193", now)
	p.Papers[0].Name = "changed"
	p.Papers = append(p.Papers, PaperSpec{Name: "extra"})
	q, _ := c.Find("1.001193", now)
	if q.Papers[0].Name == "changed" || len(q.Papers) == len(p.Papers) {
		t.Fatal("modifying a returned procedure changed the catalog")
	}
}

func TestFeeCompute(t *testing.T) {
	copyFee := Fee{Amount: 2000, Unit: "trang", TierFrom: 3, TierAmount: 1000, Max: 200000}
	tests := []struct {
		name  string
		fee   Fee
		units int
		want  int64
	}{
		{"a per-dossier fee ignores units", Fee{Amount: 50000}, 7, 50000},
		{"a free procedure costs nothing", Fee{}, 3, 0},
		{"a per-copy fee multiplies", Fee{Amount: 8000, Unit: "bản"}, 3, 24000},
		{"zero units count as one", Fee{Amount: 8000, Unit: "bản"}, 0, 8000},
		{"negative units count as one", Fee{Amount: 8000, Unit: "bản"}, -5, 8000},
		{"a one-page copy", copyFee, 1, 2000},
		{"a two-page copy", copyFee, 2, 4000},
		{"the third page costs the lower price", copyFee, 3, 5000},
		{"a ten-page copy", copyFee, 10, 12000},
		{"a 198-page copy reaches the cap exactly", copyFee, 198, 200000},
		{"a 199-page copy is capped", copyFee, 199, 200000},
		{"a huge count is capped without overflow", copyFee, 1 << 40, 200000},
		{"a huge uncapped count saturates instead of overflowing",
			Fee{Amount: 1 << 62, Unit: "trang"}, 1000, 1<<63 - 1},
		{"a cap applies without tiers", Fee{Amount: 1000, Unit: "trang", Max: 5000}, 9, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fee.Compute(tt.units); got != tt.want {
				t.Fatalf("%+v.Compute(%d) = %d, want %d", tt.fee, tt.units, got, tt.want)
			}
		})
	}
}

func TestTheDefaultCertificationFeeFollowsCircular226(t *testing.T) {
	c := loadDefault(t)
	p, ok := c.Find("2.000815", time.Now())
	if !ok {
		t.Fatal("no copy certification procedure")
	}
	for pages, want := range map[int]int64{1: 2000, 2: 4000, 3: 5000, 250: 200000} {
		if got := p.Fee.Compute(pages); got != want {
			t.Errorf("%d pages: %d VND, want %d", pages, got, want)
		}
	}
}

func TestMarshalRoundTrips(t *testing.T) {
	c := loadDefault(t)
	b, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatalf("Marshal output does not parse: %v", err)
	}
	if !reflect.DeepEqual(normal(c.All()), normal(back.All())) {
		t.Fatal("round trip changed the procedures")
	}
	if !back.Published().Equal(c.Published()) || back.Source() != c.Source() {
		t.Fatal("round trip changed the header")
	}
	b2, err := Marshal(back)
	if err != nil || string(b2) != string(b) {
		t.Fatal("Marshal is not stable")
	}
	j, err := json.Marshal(c)
	if err != nil || !json.Valid(j) {
		t.Fatalf("json.Marshal(catalog): %v", err)
	}
	if again, err := Parse(j); err != nil || again.Len() != c.Len() {
		t.Fatalf("compact form does not parse back: %v", err)
	}
}

// normal makes times comparable with DeepEqual (same instant, one location).
func normal(ps []Procedure) []Procedure {
	for i := range ps {
		ps[i].EffectiveFrom = ps[i].EffectiveFrom.UTC()
		ps[i].EffectiveTo = ps[i].EffectiveTo.UTC()
	}
	return ps
}

func TestPaperFormsMapToDossierForms(t *testing.T) {
	c := loadDefault(t)
	seen := map[dossier.PaperForm]bool{}
	for _, p := range c.All() {
		for _, ps := range p.Papers {
			if !ps.Form.Valid() || ps.Count < 1 {
				t.Errorf("%s: paper %q has form %d count %d", p.Code, ps.Name, ps.Form, ps.Count)
			}
			seen[ps.Form] = true
		}
	}
	for _, f := range []dossier.PaperForm{dossier.FormOriginal, dossier.FormCertifiedCopy, dossier.FormCopy} {
		if !seen[f] {
			t.Errorf("no paper of form %d in the default catalog", f)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	c := loadDefault(b)
	now := time.Now()
	for _, q := range []string{"dang ky khai sinh", "Chứng thực", "1.004222", ""} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				c.Search(q, now)
			}
		})
	}
}
