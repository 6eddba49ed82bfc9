package widgets

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/motcua/motcua/internal/dossier"
)

func TestMain(m *testing.M) {
	if err := SetLanguage("vi"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func TestThousands(t *testing.T) {
	for _, tt := range []struct {
		in   int64
		want string
	}{
		{0, "0"}, {5, "5"}, {999, "999"}, {1000, "1.000"}, {50000, "50.000"}, {1234567, "1.234.567"},
		{-8000, "-8.000"}, {100000000, "100.000.000"},
	} {
		if got := Thousands(tt.in); got != tt.want {
			t.Errorf("Thousands(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	if got := Money(50000); got != "50.000 đồng" {
		t.Errorf("Money(50000) = %q", got)
	}
	if got := Money(0); got != "Miễn phí" {
		t.Errorf("Money(0) = %q", got)
	}
}

func TestDates(t *testing.T) {
	// 10:00 UTC is 17:00 in Vietnam, whatever the PC's zone
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if got := Appointment(at); got != "17:00 thứ Ba, 24/11/2026" {
		t.Errorf("Appointment = %q", got)
	}
	if got := Appointment(time.Date(2026, 11, 23, 17, 0, 0, 0, Zone)); got != "17:00 thứ Hai, 23/11/2026" {
		t.Errorf("Appointment Monday = %q", got)
	}
	if got := DateTime(at); got != "17:00 24/11/2026" {
		t.Errorf("DateTime = %q", got)
	}
	if got := Date(time.Date(1990, 3, 5, 0, 0, 0, 0, time.UTC)); got != "05/03/1990" {
		t.Errorf("Date = %q", got)
	}
	if Date(time.Time{}) != "" || DateTime(time.Time{}) != "" || Appointment(time.Time{}) != "" {
		t.Error("zero time not blank")
	}
	if got := Weekday(time.Sunday); got != "Chủ nhật" {
		t.Errorf("Sunday = %q", got)
	}
}

func TestSetLanguageOverridesTheSystemLocale(t *testing.T) {
	t.Setenv("LANGUAGE", "fr:de")
	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	t.Setenv("LANG", "fr_FR.UTF-8")
	defer SetLanguage("vi")
	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("nav.list"); got != "Danh sách hồ sơ" {
		t.Errorf("vi on a French system: %q", got)
	}
	if got := lang.L("Cancel"); got != "Hủy" {
		t.Errorf("Fyne's Cancel on a French system: %q", got)
	}
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("nav.list"); got != "Dossier list" {
		t.Errorf("en: %q", got)
	}
	if Language() != "en" {
		t.Errorf("Language() = %q", Language())
	}
	if err := SetLanguage("xx"); err == nil {
		t.Error("unknown language accepted")
	}
}

func load(t *testing.T, code string) map[string]any {
	t.Helper()
	var m map[string]any
	data, err := Translations(code)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	return m
}

func TestTranslationsHaveTheSameKeys(t *testing.T) {
	vi, en := load(t, "vi"), load(t, "en")
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("vi.json lacks %q", k)
		}
	}
}

// required lists keys other packages produce: statuses, paper forms and the
// reception's field errors.
func required() []string {
	keys := []string{
		"err.procedure.required", "err.name.required", "err.name.chars", "err.id_number.format",
		"err.id_number.province", "err.id_number.birth_year", "err.id_number.sex", "err.birth_date.format",
		"err.birth_date.future", "err.phone.format", "err.email.format", "err.papers.none", "err.papers.count",
		"err.papers.name", "err.papers.form", "err.sets.min", "err.return_address.required",
		"err.address.required", "err.save.failed", "err.print.failed", "err.login.bad", "err.login.locked",
		"err.login.disabled", "err.not_allowed",
	}
	for _, s := range dossier.Statuses {
		keys = append(keys, s.Key())
	}
	for f := dossier.FormOriginal; f <= dossier.FormCopy; f++ {
		keys = append(keys, f.Key())
	}
	for s := 1; s <= 4; s++ {
		keys = append(keys, "wizard.step."+string(rune('0'+s)))
	}
	for d := 0; d < 7; d++ {
		keys = append(keys, "weekday."+string(rune('0'+d)))
	}
	return keys
}

var keyLiteral = regexp.MustCompile(`"((?:app|nav|status|dialog|login|lock|wizard|reception|sex|return|paperform|preview|list|detail|action|money|datetime|weekday|err|setup|kiosk|devices|lifecycle|report|form|review|tech|sync)\.[a-z0-9_.]*[a-z0-9_])"`)

// TestEveryKeyIsTranslated checks the keys the reception and store produce
// and every key literal in app/ui's Go files.
func TestEveryKeyIsTranslated(t *testing.T) {
	vi := load(t, "vi")
	keys := required()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := vi[k]; !ok {
			t.Errorf("no translation for %q", k)
		}
	}
}
