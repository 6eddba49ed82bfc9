package catalog

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// base is a valid one-procedure catalog as a generic value, so that each
// rejection case changes one thing.
func base() map[string]any {
	return map[string]any{
		"format": 1,
		"procedures": []any{map[string]any{
			"code": "1.001193", "version": "2025-07-01", "name": "Đăng ký khai sinh", "field": "Hộ tịch",
			"legal_basis": "Luật Hộ tịch 2014", "effective_from": "2025-07-01",
			"papers":   []any{map[string]any{"name": "Tờ khai", "form": "original", "count": 1, "required": true}},
			"fee":      map[string]any{"amount": 0},
			"deadline": map[string]any{"kind": "same_day", "text": "Trong ngày"},
			"result":   "Giấy khai sinh",
		}},
	}
}

func proc0(m map[string]any) map[string]any { return m["procedures"].([]any)[0].(map[string]any) }

func paper0(m map[string]any) map[string]any {
	return proc0(m)["papers"].([]any)[0].(map[string]any)
}

// second appends an open-ended copy of the first procedure, changed by f.
func second(m map[string]any, f func(p map[string]any)) {
	b, _ := json.Marshal(proc0(m))
	var p map[string]any
	_ = json.Unmarshal(b, &p)
	delete(p, "effective_to")
	f(p)
	m["procedures"] = append(m["procedures"].([]any), p)
}

func encode(m map[string]any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

var parseCases = []struct {
	name string
	data func() []byte
	want string // "" = accepted; otherwise a piece of the error message
}{
	{"the base catalog is accepted", func() []byte { return encode(base()) }, ""},
	{"two versions one after the other are accepted", func() []byte {
		m := base()
		proc0(m)["effective_to"] = "2025-12-31"
		second(m, func(p map[string]any) { p["version"] = "2026-01-01"; p["effective_from"] = "2026-01-01" })
		return encode(m)
	}, ""},
	{"a per-page fee with tier and cap is accepted", func() []byte {
		m := base()
		proc0(m)["fee"] = map[string]any{"amount": 2000, "unit": "trang", "tier_from": 3, "tier_amount": 1000, "max": 200000}
		return encode(m)
	}, ""},
	{"not JSON", func() []byte { return []byte("định dạng sai") }, "invalid character"},
	{"empty input", func() []byte { return nil }, "EOF"},
	{"a JSON array", func() []byte { return []byte(`[]`) }, "cannot unmarshal"},
	{"data after the object", func() []byte { return append(encode(base()), []byte(` {}`)...) }, "data after"},
	{"an unknown top-level field", func() []byte { m := base(); m["extra"] = 1; return encode(m) }, "unknown field"},
	{"an unknown procedure field", func() []byte { m := base(); proc0(m)["fees"] = 1; return encode(m) }, "unknown field"},
	{"an unknown paper field", func() []byte { m := base(); paper0(m)["copies"] = 2; return encode(m) }, "unknown field"},
	{"format 2", func() []byte { m := base(); m["format"] = 2; return encode(m) }, "format 2"},
	{"no format", func() []byte { m := base(); delete(m, "format"); return encode(m) }, "format 0"},
	{"no procedures", func() []byte { m := base(); m["procedures"] = []any{}; return encode(m) }, "no procedures"},
	{"a bad published date", func() []byte { m := base(); m["published"] = "20/11/2025"; return encode(m) }, "published"},
	{"a missing code", func() []byte { m := base(); delete(proc0(m), "code"); return encode(m) }, "code: required"},
	{"a code with a space", func() []byte { m := base(); proc0(m)["code"] = "1 001193"; return encode(m) }, "code:"},
	{"a code too long", func() []byte { m := base(); proc0(m)["code"] = strings.Repeat("1", 65); return encode(m) }, "code:"},
	{"a missing version", func() []byte { m := base(); delete(proc0(m), "version"); return encode(m) }, "version: required"},
	{"a missing name", func() []byte { m := base(); proc0(m)["name"] = "  "; return encode(m) }, "name: required"},
	{"a decomposed (NFD) name", func() []byte { m := base(); proc0(m)["name"] = "Đa\u0306ng ky\u0301 khai sinh"; return encode(m) }, "NFC"},
	{"a name with a control character", func() []byte { m := base(); proc0(m)["name"] = "Đăng ký\u0007"; return encode(m) }, "control"},
	{"a name too long", func() []byte { m := base(); proc0(m)["name"] = strings.Repeat("ă", 2001); return encode(m) }, "more than"},
	{"a missing field", func() []byte { m := base(); delete(proc0(m), "field"); return encode(m) }, "field: required"},
	{"a missing legal basis", func() []byte { m := base(); delete(proc0(m), "legal_basis"); return encode(m) }, "legal_basis: required"},
	{"a missing result", func() []byte { m := base(); delete(proc0(m), "result"); return encode(m) }, "result: required"},
	{"a date in the wrong layout", func() []byte { m := base(); proc0(m)["effective_from"] = "01/07/2025"; return encode(m) }, "effective_from"},
	{"a missing effective date", func() []byte { m := base(); delete(proc0(m), "effective_from"); return encode(m) }, "effective_from"},
	{"an end before the start", func() []byte { m := base(); proc0(m)["effective_to"] = "2025-06-30"; return encode(m) }, "before effective_from"},
	{"no papers", func() []byte { m := base(); proc0(m)["papers"] = []any{}; return encode(m) }, "papers"},
	{"too many papers", func() []byte {
		m := base()
		ps := []any{}
		for range MaxPapers + 1 {
			ps = append(ps, map[string]any{"name": "x", "form": "copy", "count": 1})
		}
		proc0(m)["papers"] = ps
		return encode(m)
	}, "papers: 101"},
	{"an unknown paper form", func() []byte { m := base(); paper0(m)["form"] = "photo"; return encode(m) }, "form \"photo\""},
	{"a numeric paper form", func() []byte { m := base(); paper0(m)["form"] = 1; return encode(m) }, "cannot unmarshal"},
	{"a paper count of zero", func() []byte { m := base(); paper0(m)["count"] = 0; return encode(m) }, "count 0"},
	{"a paper without a name", func() []byte { m := base(); paper0(m)["name"] = ""; return encode(m) }, "papers[0]: name"},
	{"a missing fee", func() []byte { m := base(); delete(proc0(m), "fee"); return encode(m) }, "fee: missing"},
	{"a negative fee", func() []byte { m := base(); proc0(m)["fee"] = map[string]any{"amount": -1}; return encode(m) }, "negative"},
	{"a fee as a string", func() []byte { m := base(); proc0(m)["fee"] = map[string]any{"amount": "2000"}; return encode(m) }, "cannot unmarshal"},
	{"a fractional fee", func() []byte { m := base(); proc0(m)["fee"] = map[string]any{"amount": 1.5}; return encode(m) }, "cannot unmarshal"},
	{"an absurd fee", func() []byte { m := base(); proc0(m)["fee"] = map[string]any{"amount": 2e9}; return encode(m) }, "amount over"},
	{"a cap without a unit", func() []byte { m := base(); proc0(m)["fee"] = map[string]any{"amount": 1, "max": 5}; return encode(m) }, "need a unit"},
	{"a tier from the first unit", func() []byte {
		m := base()
		proc0(m)["fee"] = map[string]any{"amount": 1, "unit": "trang", "tier_from": 1, "tier_amount": 1}
		return encode(m)
	}, "tier_from 1"},
	{"a tier amount without a tier", func() []byte {
		m := base()
		proc0(m)["fee"] = map[string]any{"amount": 1, "unit": "trang", "tier_amount": 1}
		return encode(m)
	}, "tier_amount"},
	{"a cap below one unit", func() []byte {
		m := base()
		proc0(m)["fee"] = map[string]any{"amount": 5000, "unit": "trang", "max": 1000}
		return encode(m)
	}, "max below"},
	{"a missing deadline", func() []byte { m := base(); delete(proc0(m), "deadline"); return encode(m) }, "deadline: missing"},
	{"an unknown deadline kind", func() []byte {
		m := base()
		proc0(m)["deadline"] = map[string]any{"kind": "weeks", "n": 1, "text": "1 tuần"}
		return encode(m)
	}, "kind \"weeks\""},
	{"zero days", func() []byte {
		m := base()
		proc0(m)["deadline"] = map[string]any{"kind": "days", "n": 0, "text": "0 ngày"}
		return encode(m)
	}, "0 days"},
	{"too many hours", func() []byte {
		m := base()
		proc0(m)["deadline"] = map[string]any{"kind": "hours", "n": 721, "text": "721 giờ"}
		return encode(m)
	}, "721 hours"},
	{"same day with a count", func() []byte {
		m := base()
		proc0(m)["deadline"] = map[string]any{"kind": "same_day", "n": 2, "text": "x"}
		return encode(m)
	}, "same_day takes no n"},
	{"a deadline without wording", func() []byte {
		m := base()
		proc0(m)["deadline"] = map[string]any{"kind": "days", "n": 3}
		return encode(m)
	}, "text: required"},
	{"an open-ended version followed by another", func() []byte {
		m := base()
		second(m, func(p map[string]any) { p["version"] = "2026-01-01"; p["effective_from"] = "2026-01-01" })
		return encode(m)
	}, "overlap"},
	{"two closed versions sharing a day", func() []byte {
		m := base()
		proc0(m)["effective_to"] = "2026-01-01"
		second(m, func(p map[string]any) { p["version"] = "2026-01-01"; p["effective_from"] = "2026-01-01" })
		return encode(m)
	}, "overlap"},
	{"the same version twice", func() []byte {
		m := base()
		proc0(m)["effective_to"] = "2025-12-31"
		second(m, func(p map[string]any) { p["effective_from"] = "2026-01-01" })
		return encode(m)
	}, "appears twice"},
}

func TestParseAcceptsAndRejects(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.data())
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if c.Len() == 0 {
					t.Fatal("accepted an empty catalog")
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse accepted it, want an error about %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestParseRejectsOversizedInput(t *testing.T) {
	data := append(encode(base()), make([]byte, MaxSize)...)
	for i := len(data) - MaxSize; i < len(data); i++ {
		data[i] = ' '
	}
	if _, err := Parse(data); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("Parse(%d bytes) = %v", len(data), err)
	}
}

func TestParseErrorsNameTheProcedure(t *testing.T) {
	m := base()
	paper0(m)["form"] = "photo"
	_, err := Parse(encode(m))
	if err == nil || !strings.Contains(err.Error(), `procedures[0] ("1.001193" "2025-07-01")`) {
		t.Fatalf("error %v does not say which procedure", err)
	}
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(defaultPath); err == nil {
		f.Add(b)
	}
	for _, tt := range parseCases {
		f.Add(tt.data())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		out, err := Marshal(c)
		if err != nil {
			t.Fatalf("Marshal of a parsed catalog: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normal(c.All()), normal(back.All())) {
			t.Fatal("round trip changed the procedures")
		}
		for _, p := range c.All() {
			if q, ok := c.Version(p.Code, p.Version); !ok || q.Name != p.Name {
				t.Fatalf("Version(%s, %s) lost", p.Code, p.Version)
			}
			if q, ok := c.Find(p.Code, p.EffectiveFrom); !ok || q.Version != p.Version {
				t.Fatalf("Find(%s) on its first day = %q, want %q", p.Code, q.Version, p.Version)
			}
		}
	})
}
