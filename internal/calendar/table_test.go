package calendar

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// exampleTable is testdata/table-2026-example.json, a fixture shaped like an
// official table: its Tết block (14–22/2/2026, weekends included) is the
// announced one; the swap of Friday 2/1 for Saturday 10/1 is invented so
// that the tests have a swapped working Saturday.
func exampleTable(t testing.TB) YearTable {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "table-2026-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ParseYearTable(data)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

var tableCases = []struct {
	name string
	in   string
	ok   bool
}{
	{"the example from the design", `{"year":2026,"holidays":[{"date":"2026-02-16","name":"Tết Nguyên Đán"}],"working_days":["2026-01-03"]}`, true},
	{"no working days", `{"year":2027,"holidays":[{"date":"2027-01-01","name":"Tết Dương lịch"}]}`, true},
	{"holidays out of order come back sorted", `{"year":2026,"holidays":[{"date":"2026-09-02","name":"Quốc khánh"},{"date":"2026-01-01","name":"Tết Dương lịch"}]}`, true},
	{"a weekend day may be listed as a holiday", `{"year":2026,"holidays":[{"date":"2026-02-14","name":"Tết Nguyên Đán"}]}`, true},
	{"surrounding white space", " \n{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-01\",\"name\":\"x\"}]}\n ", true},
	{"no year", `{"holidays":[{"date":"2026-01-01","name":"x"}]}`, false},
	{"year out of range", `{"year":1800,"holidays":[{"date":"1800-01-01","name":"x"}]}`, false},
	{"year as a string", `{"year":"2026","holidays":[{"date":"2026-01-01","name":"x"}]}`, false},
	{"no holidays", `{"year":2026,"holidays":[]}`, false},
	{"date of another year", `{"year":2026,"holidays":[{"date":"2027-01-01","name":"x"}]}`, false},
	{"date without leading zeros", `{"year":2026,"holidays":[{"date":"2026-1-1","name":"x"}]}`, false},
	{"no such day", `{"year":2026,"holidays":[{"date":"2026-02-30","name":"x"}]}`, false},
	{"date with a time", `{"year":2026,"holidays":[{"date":"2026-01-01T00:00:00Z","name":"x"}]}`, false},
	{"same holiday twice", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"},{"date":"2026-01-01","name":"y"}]}`, false},
	{"empty name", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"  "}]}`, false},
	{"control character in name", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"a\u0007b"}]}`, false},
	{"working day on a weekday", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}],"working_days":["2026-01-05"]}`, false},
	{"working day that is also a holiday", `{"year":2026,"holidays":[{"date":"2026-02-14","name":"x"}],"working_days":["2026-02-14"]}`, false},
	{"same working day twice", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}],"working_days":["2026-01-03","2026-01-03"]}`, false},
	{"unknown field", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}],"extra":1}`, false},
	{"unknown holiday field", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x","paid":true}]}`, false},
	{"trailing data", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}]}{}`, false},
	{"not an object", `[2026]`, false},
	{"null", `null`, false},
	{"empty", ``, false},
}

func TestParseYearTableAcceptsOnlyWellFormedTables(t *testing.T) {
	for _, tt := range tableCases {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseYearTable([]byte(tt.in))
			if tt.ok != (err == nil) {
				t.Fatalf("ParseYearTable(%s) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrTable) {
					t.Fatalf("error %v does not wrap ErrTable", err)
				}
				return
			}
			checkTableRoundTrip(t, tab)
		})
	}
}

func TestParseYearTableRefusesTablesOverTheSizeLimits(t *testing.T) {
	var hs, wds []string
	for d := Date(2026, 1, 1); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if weekend(d) {
			wds = append(wds, `"`+d.Format(dateLayout)+`"`)
		} else {
			hs = append(hs, `{"date":"`+d.Format(dateLayout)+`","name":"x"}`)
		}
	}
	for _, tt := range []struct{ name, in string }{
		{"every weekday a holiday", `{"year":2026,"holidays":[` + strings.Join(hs, ",") + `]}`},
		{"every weekend day worked", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}],"working_days":[` + strings.Join(wds, ",") + `]}`},
		{"a name of 201 bytes", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"` + strings.Repeat("x", 201) + `"}]}`},
		{"more than 64 KiB", `{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"}]}` + strings.Repeat(" ", 64<<10)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseYearTable([]byte(tt.in)); !errors.Is(err, ErrTable) {
				t.Fatalf("error = %v, want ErrTable", err)
			}
		})
	}
}

func TestYearTableJSONRoundTripsTheExampleFile(t *testing.T) {
	tab := exampleTable(t)
	if len(tab.Holidays) != 17 || len(tab.WorkingDays) != 1 {
		t.Fatalf("example table has %d holidays and %d working days", len(tab.Holidays), len(tab.WorkingDays))
	}
	checkTableRoundTrip(t, tab)
	out, err := json.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), `{"year":2026,"holidays":[{"date":"2026-01-01","name":"Tết Dương lịch"},`) ||
		!strings.HasSuffix(string(out), `],"working_days":["2026-01-10"]}`) {
		t.Fatalf("MarshalJSON = %s", out)
	}
}

func TestYearTableUnmarshalsInsideAnotherDocument(t *testing.T) {
	var doc struct {
		Table YearTable `json:"table"`
	}
	in := `{"table":{"year":2026,"holidays":[{"date":"2026-01-01","name":"Tết Dương lịch"}]}}`
	if err := json.Unmarshal([]byte(in), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Table.Year != 2026 || len(doc.Table.Holidays) != 1 || !doc.Table.Holidays[0].Date.Equal(Date(2026, 1, 1)) {
		t.Fatalf("got %+v", doc.Table)
	}
	bad := `{"table":{"year":2026,"holidays":[{"date":"2026-01-01","name":"x"},{"date":"2026-01-01","name":"x"}]}}`
	if err := json.Unmarshal([]byte(bad), &doc); !errors.Is(err, ErrTable) {
		t.Fatalf("duplicate date inside a document: error = %v", err)
	}
}

func TestMarshalJSONWritesDatesInVietnam(t *testing.T) {
	// 17:00 UTC on 31/12/2025 is already 1/1/2026 in Hanoi.
	tab := YearTable{Year: 2026, Holidays: []Holiday{{Date: time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), Name: "Tết Dương lịch"}}}
	out, err := tab.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"year":2026,"holidays":[{"date":"2026-01-01","name":"Tết Dương lịch"}],"working_days":[]}`
	if string(out) != want {
		t.Fatalf("MarshalJSON = %s, want %s", out, want)
	}
}

// checkTableRoundTrip marshals tab, parses it back and compares.
func checkTableRoundTrip(t *testing.T, tab YearTable) {
	t.Helper()
	out, err := tab.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	back, err := ParseYearTable(out)
	if err != nil {
		t.Fatalf("ParseYearTable(MarshalJSON) = %v for %s", err, out)
	}
	again, err := back.MarshalJSON()
	if err != nil || string(again) != string(out) {
		t.Fatalf("round trip changed\n%s\nto\n%s (%v)", out, again, err)
	}
	for i := 1; i < len(back.Holidays); i++ {
		if !back.Holidays[i-1].Date.Before(back.Holidays[i].Date) {
			t.Fatalf("holidays not sorted: %s", out)
		}
	}
}

func FuzzParseYearTable(f *testing.F) {
	for _, tt := range tableCases {
		f.Add(tt.in)
	}
	if data, err := os.ReadFile(filepath.Join("testdata", "table-2026-example.json")); err == nil {
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ParseYearTable([]byte(s))
		if err != nil {
			if !errors.Is(err, ErrTable) {
				t.Fatalf("error %v does not wrap ErrTable", err)
			}
			return
		}
		if len(tab.Holidays) == 0 || len(tab.Holidays) > maxTableHolidays {
			t.Fatalf("accepted %d holidays", len(tab.Holidays))
		}
		for _, d := range tab.WorkingDays {
			if !weekend(d) || d.Year() != tab.Year {
				t.Fatalf("accepted working day %s", d)
			}
		}
		checkTableRoundTrip(t, tab)
	})
}
