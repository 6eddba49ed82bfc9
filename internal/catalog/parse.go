package catalog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

// Limits on a catalog file. Catalogs arrive from the hub, so Parse treats
// them as outside data.
const (
	MaxSize       = 4 << 20 // bytes of JSON
	MaxProcedures = 5000    // versions in one catalog
	MaxPapers     = 100     // papers of one procedure
	MaxPaperCount = 100     // copies of one paper
	MaxFee        = 1_000_000_000
	MaxDays       = 365
	MaxHours      = 720
	maxShortText  = 64   // codes, versions, units
	maxText       = 2000 // runes of any other text
)

// Format is the format number Parse reads and Marshal writes.
const Format = 1

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid catalog")

// vn is Vietnam's time zone: effective dates are Vietnamese calendar days.
var vn = time.FixedZone("ICT", 7*60*60)

const dateLayout = "2006-01-02"

func dayAfter(t time.Time) time.Time { return t.In(vn).AddDate(0, 0, 1) }

// The JSON form. Field names are documented in docs/catalog.md.
type fileJSON struct {
	Format     int        `json:"format"`
	Published  string     `json:"published,omitempty"`
	Source     string     `json:"source,omitempty"`
	Procedures []procJSON `json:"procedures"`
}

type procJSON struct {
	Code          string      `json:"code"`
	CodeNote      string      `json:"code_note,omitempty"`
	Version       string      `json:"version"`
	Name          string      `json:"name"`
	Field         string      `json:"field"`
	LegalBasis    string      `json:"legal_basis"`
	EffectiveFrom string      `json:"effective_from"`
	EffectiveTo   string      `json:"effective_to,omitempty"`
	Papers        []paperJSON `json:"papers"`
	Fee           *Fee        `json:"fee"`
	Deadline      *Deadline   `json:"deadline"`
	Result        string      `json:"result"`
}

type paperJSON struct {
	Name     string `json:"name"`
	Form     string `json:"form"`
	Count    int    `json:"count"`
	Required bool   `json:"required"`
	Note     string `json:"note,omitempty"`
}

var formNames = map[dossier.PaperForm]string{
	dossier.FormOriginal:      "original",
	dossier.FormCertifiedCopy: "certified_copy",
	dossier.FormCopy:          "copy",
}

// Parse reads and validates a catalog. It rejects unknown fields, missing
// required fields, unknown paper forms, negative fees, unknown deadline kinds,
// duplicate versions, versions of one code whose periods overlap, text that
// is not NFC or holds control characters, and anything over the size limits.
func Parse(data []byte) (*Catalog, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalid, len(data), MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f fileJSON
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the catalog object", ErrInvalid)
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%w: format %d, want %d", ErrInvalid, f.Format, Format)
	}
	c := &Catalog{byCode: map[string][]int{}}
	if f.Published != "" {
		t, err := parseDate(f.Published)
		if err != nil {
			return nil, fmt.Errorf("%w: published: %v", ErrInvalid, err)
		}
		c.published = t
	}
	src, err := text(f.Source, false, maxText)
	if err != nil {
		return nil, fmt.Errorf("%w: source: %v", ErrInvalid, err)
	}
	c.source = src
	switch n := len(f.Procedures); {
	case n == 0:
		return nil, fmt.Errorf("%w: no procedures", ErrInvalid)
	case n > MaxProcedures:
		return nil, fmt.Errorf("%w: %d procedures, more than %d", ErrInvalid, n, MaxProcedures)
	}
	for i, pj := range f.Procedures {
		p, err := convert(pj)
		if err != nil {
			return nil, fmt.Errorf("%w: procedures[%d] (%.40q %.40q): %v", ErrInvalid, i, pj.Code, pj.Version, err)
		}
		var end time.Time
		if !p.EffectiveTo.IsZero() {
			end = dayAfter(p.EffectiveTo)
		}
		c.entries = append(c.entries, entry{
			p:    p,
			end:  end,
			name: textfold.Fold(p.Name),
			sort: textfold.Fold(p.Field) + "\x00" + textfold.Fold(p.Name),
		})
	}
	slices.SortFunc(c.entries, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.sort, b.sort), strings.Compare(a.p.Field, b.p.Field),
			strings.Compare(a.p.Name, b.p.Name), strings.Compare(a.p.Code, b.p.Code),
			a.p.EffectiveFrom.Compare(b.p.EffectiveFrom))
	})
	for i := range c.entries {
		code := c.entries[i].p.Code
		c.byCode[code] = append(c.byCode[code], i)
	}
	for _, code := range slices.Sorted(maps.Keys(c.byCode)) {
		idx := c.byCode[code]
		slices.SortFunc(idx, func(a, b int) int {
			return c.entries[a].p.EffectiveFrom.Compare(c.entries[b].p.EffectiveFrom)
		})
		seen := map[string]bool{}
		for k, i := range idx {
			p := &c.entries[i].p
			if seen[p.Version] {
				return nil, fmt.Errorf("%w: %s: version %s appears twice", ErrInvalid, code, p.Version)
			}
			seen[p.Version] = true
			if k == 0 {
				continue
			}
			prev := &c.entries[idx[k-1]].p
			if prev.EffectiveTo.IsZero() || !prev.EffectiveTo.Before(p.EffectiveFrom) {
				return nil, fmt.Errorf("%w: %s: versions %s and %s overlap", ErrInvalid, code, prev.Version, p.Version)
			}
		}
	}
	return c, nil
}

func convert(pj procJSON) (Procedure, error) {
	var p Procedure
	var err error
	if p.Code, err = ident(pj.Code); err != nil {
		return p, fmt.Errorf("code: %v", err)
	}
	if p.Version, err = ident(pj.Version); err != nil {
		return p, fmt.Errorf("version: %v", err)
	}
	for _, t := range []struct {
		name     string
		in       string
		out      *string
		required bool
	}{
		{"code_note", pj.CodeNote, &p.CodeNote, false},
		{"name", pj.Name, &p.Name, true},
		{"field", pj.Field, &p.Field, true},
		{"legal_basis", pj.LegalBasis, &p.LegalBasis, true},
		{"result", pj.Result, &p.Result, true},
	} {
		if *t.out, err = text(t.in, t.required, maxText); err != nil {
			return p, fmt.Errorf("%s: %v", t.name, err)
		}
	}
	if p.EffectiveFrom, err = parseDate(pj.EffectiveFrom); err != nil {
		return p, fmt.Errorf("effective_from: %v", err)
	}
	if pj.EffectiveTo != "" {
		if p.EffectiveTo, err = parseDate(pj.EffectiveTo); err != nil {
			return p, fmt.Errorf("effective_to: %v", err)
		}
		if p.EffectiveTo.Before(p.EffectiveFrom) {
			return p, fmt.Errorf("effective_to %s is before effective_from %s", pj.EffectiveTo, pj.EffectiveFrom)
		}
	}
	if len(pj.Papers) == 0 {
		return p, errors.New("papers: none listed")
	}
	if len(pj.Papers) > MaxPapers {
		return p, fmt.Errorf("papers: %d, more than %d", len(pj.Papers), MaxPapers)
	}
	for i, pp := range pj.Papers {
		ps, err := convertPaper(pp)
		if err != nil {
			return p, fmt.Errorf("papers[%d]: %v", i, err)
		}
		p.Papers = append(p.Papers, ps)
	}
	if pj.Fee == nil {
		return p, errors.New("fee: missing (write {\"amount\": 0} for a free procedure)")
	}
	if p.Fee, err = checkFee(*pj.Fee); err != nil {
		return p, fmt.Errorf("fee: %v", err)
	}
	if pj.Deadline == nil {
		return p, errors.New("deadline: missing")
	}
	if p.Deadline, err = checkDeadline(*pj.Deadline); err != nil {
		return p, fmt.Errorf("deadline: %v", err)
	}
	p.Folded = textfold.Fold(p.Code + " " + p.Name + " " + p.Field)
	return p, nil
}

func convertPaper(pp paperJSON) (PaperSpec, error) {
	var ps PaperSpec
	var err error
	if ps.Name, err = text(pp.Name, true, maxText); err != nil {
		return ps, fmt.Errorf("name: %v", err)
	}
	if ps.Note, err = text(pp.Note, false, maxText); err != nil {
		return ps, fmt.Errorf("note: %v", err)
	}
	for f, name := range formNames {
		if pp.Form == name {
			ps.Form = f
		}
	}
	if !ps.Form.Valid() {
		return ps, fmt.Errorf("form %q: want original, certified_copy or copy", pp.Form)
	}
	if pp.Count < 1 || pp.Count > MaxPaperCount {
		return ps, fmt.Errorf("count %d: want 1 to %d", pp.Count, MaxPaperCount)
	}
	ps.Count, ps.Required = pp.Count, pp.Required
	return ps, nil
}

func checkFee(f Fee) (Fee, error) {
	var err error
	if f.Unit, err = text(f.Unit, false, maxShortText); err != nil {
		return f, fmt.Errorf("unit: %v", err)
	}
	if f.Note, err = text(f.Note, false, maxText); err != nil {
		return f, fmt.Errorf("note: %v", err)
	}
	switch {
	case f.Amount < 0 || f.TierAmount < 0 || f.Max < 0:
		return f, errors.New("negative amount")
	case f.Amount > MaxFee || f.TierAmount > MaxFee || f.Max > MaxFee:
		return f, fmt.Errorf("amount over %d", MaxFee)
	case f.Unit == "" && (f.Max != 0 || f.TierFrom != 0 || f.TierAmount != 0):
		return f, errors.New("max and tiers need a unit")
	case f.TierFrom < 0 || f.TierFrom == 1 || f.TierFrom > MaxUnits:
		return f, fmt.Errorf("tier_from %d: want 0 (no tier) or 2 to %d", f.TierFrom, MaxUnits)
	case f.TierFrom == 0 && f.TierAmount != 0:
		return f, errors.New("tier_amount without tier_from")
	case f.Max != 0 && f.Max < f.Amount:
		return f, errors.New("max below the price of one unit")
	}
	return f, nil
}

func checkDeadline(d Deadline) (Deadline, error) {
	var err error
	if d.Text, err = text(d.Text, true, maxText); err != nil {
		return d, fmt.Errorf("text: %v", err)
	}
	switch d.Kind {
	case DeadlineDays:
		if d.N < 1 || d.N > MaxDays {
			return d, fmt.Errorf("%d days: want 1 to %d", d.N, MaxDays)
		}
	case DeadlineHours:
		if d.N < 1 || d.N > MaxHours {
			return d, fmt.Errorf("%d hours: want 1 to %d", d.N, MaxHours)
		}
	case DeadlineSameDay:
		if d.N != 0 {
			return d, errors.New("same_day takes no n")
		}
	default:
		return d, fmt.Errorf("kind %q: want days, hours or same_day", d.Kind)
	}
	return d, nil
}

// ident checks a code or version: 1 to 64 characters of ASCII letters,
// digits, '.', '-' and '_'.
func ident(s string) (string, error) {
	if s == "" {
		return "", errors.New("required")
	}
	if len(s) > maxShortText {
		return "", fmt.Errorf("longer than %d characters", maxShortText)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_') {
			return "", fmt.Errorf("%q: only letters, digits, '.', '-' and '_'", s)
		}
	}
	return s, nil
}

// text trims s and checks it is valid UTF-8 in NFC without control
// characters. Vietnamese written in NFC has no combining marks, so a
// combining mark means decomposed text that would display and sort wrongly.
func text(s string, required bool, maxRunes int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", errors.New("required")
		}
		return "", nil
	}
	if !utf8.ValidString(s) {
		return "", errors.New("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return "", fmt.Errorf("%d characters, more than %d", n, maxRunes)
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "", fmt.Errorf("control character %U", r)
		case unicode.Is(unicode.Mn, r):
			return "", fmt.Errorf("combining mark %U: write text in NFC (precomposed)", r)
		}
	}
	return s, nil
}

func parseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout, s, vn)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vn).Format(dateLayout)
}

// Marshal writes c in the JSON form Parse reads, indented, procedures sorted
// by code and effective date, so the hub can ship catalogs and a diff of two
// catalogs is readable.
func Marshal(c *Catalog) ([]byte, error) {
	f := fileJSON{Format: Format, Published: formatDate(c.published), Source: c.source}
	for _, p := range c.All() {
		pj := procJSON{
			Code: p.Code, CodeNote: p.CodeNote, Version: p.Version, Name: p.Name, Field: p.Field,
			LegalBasis: p.LegalBasis, EffectiveFrom: formatDate(p.EffectiveFrom),
			EffectiveTo: formatDate(p.EffectiveTo), Result: p.Result,
		}
		fee, dl := p.Fee, p.Deadline
		pj.Fee, pj.Deadline = &fee, &dl
		for _, ps := range p.Papers {
			pj.Papers = append(pj.Papers, paperJSON{Name: ps.Name, Form: formNames[ps.Form],
				Count: ps.Count, Required: ps.Required, Note: ps.Note})
		}
		f.Procedures = append(f.Procedures, pj)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("marshal catalog: %w", err)
	}
	return b.Bytes(), nil
}

// MarshalJSON makes a *Catalog encode as its file form.
func (c *Catalog) MarshalJSON() ([]byte, error) {
	b, err := Marshal(c)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
