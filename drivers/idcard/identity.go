package idcard

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

// Origin says where an identity was read from.
type Origin string

const (
	OriginQR  Origin = "qr"
	OriginMRZ Origin = "mrz"
)

// Date is a civil date as printed on a card (no time of day, no zone).
type Date struct {
	Year, Month, Day int
}

// IsZero reports whether the date is absent.
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as YYYY-MM-DD ("" when absent).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time is the date at midnight UTC (the zero time when absent).
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

func makeDate(y, m, d int) (Date, bool) {
	if y < 1800 || y > 2399 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return Date{}, false // 31/02 and the like
	}
	return Date{y, m, d}, true
}

// Identity is what one card read tells about its holder.
type Identity struct {
	IDNumber    string // 12-digit personal ID number
	OldIDNumber string // 9-digit CMND (or earlier 12-digit number), QR only
	FullName    string // NFC; upper case without diacritics when read from the MRZ
	BirthDate   Date
	Sex         dossier.Sex
	Address     string // QR only
	IssueDate   Date   // QR only
	ExpiryDate  Date   // MRZ only
	// DocumentNumber and Nationality come from the MRZ.
	DocumentNumber string
	Nationality    string
	Source         Origin
}

// Applicant is the identity as the reception form takes it.
func (id Identity) Applicant() dossier.Applicant {
	return dossier.Applicant{
		FullName:  id.FullName,
		IDNumber:  id.IDNumber,
		BirthDate: id.BirthDate.Time(),
		Sex:       id.Sex,
		Address:   id.Address,
	}
}

// record is the JSON contract of "motcua idcard parse".
type record struct {
	IDNumber    string `json:"id_number,omitempty"`
	OldIDNumber string `json:"old_id_number,omitempty"`
	FullName    string `json:"full_name,omitempty"`
	BirthDate   string `json:"birth_date,omitempty"`
	Sex         string `json:"sex,omitempty"`
	Address     string `json:"address,omitempty"`
	IssueDate   string `json:"issue_date,omitempty"`
	ExpiryDate  string `json:"expiry_date,omitempty"`
	Source      string `json:"source,omitempty"`
}

// MarshalJSON writes the identity with the field names of the CLI contract:
// id_number, old_id_number, full_name, birth_date (YYYY-MM-DD), sex
// ("male"|"female"), address, issue_date, expiry_date, source ("qr"|"mrz");
// absent fields are omitted.
func (id Identity) MarshalJSON() ([]byte, error) {
	r := record{
		IDNumber: id.IDNumber, OldIDNumber: id.OldIDNumber, FullName: id.FullName,
		BirthDate: id.BirthDate.String(), Address: id.Address,
		IssueDate: id.IssueDate.String(), ExpiryDate: id.ExpiryDate.String(), Source: string(id.Source),
	}
	switch id.Sex {
	case dossier.SexMale:
		r.Sex = "male"
	case dossier.SexFemale:
		r.Sex = "female"
	}
	return json.Marshal(r)
}

// Parse reads either a CCCD QR string or an MRZ (three lines of 30, or the
// 90 characters run together) and returns the identity it holds.
func Parse(s string) (Identity, error) {
	s = clean(s)
	if strings.Contains(s, "|") {
		return ParseQR(s)
	}
	if s == "" {
		return Identity{}, ErrEmpty
	}
	return ParseMRZ(s)
}

// LooksLikeCard reports cheaply whether s has the shape of a card read (a
// QR string with 6+ fields whose first is 12 digits, or 90 MRZ characters),
// without validating it.
func LooksLikeCard(s string) bool {
	s = clean(s)
	if i := strings.IndexByte(s, '|'); i >= 0 {
		return strings.Count(s, "|") >= 5 && isDigits(strings.TrimSpace(s[:i]), 12)
	}
	lines := mrzLines(s)
	return lines != nil
}

// Mismatch is a difference between two reads of the same card.
type Mismatch struct{ Field string }

func (m *Mismatch) Error() string { return "QR and MRZ differ in " + m.Field }

// CrossCheck compares a QR read and an MRZ read of the same card: ID number,
// date of birth, sex and name (folded: the MRZ has no diacritics). It returns
// a *Mismatch naming the first field that differs.
func CrossCheck(qr, mrz Identity) error {
	switch {
	case qr.IDNumber != mrz.IDNumber:
		return &Mismatch{"id_number"}
	case qr.BirthDate != mrz.BirthDate:
		return &Mismatch{"birth_date"}
	case qr.Sex != mrz.Sex && mrz.Sex != dossier.SexUnknown:
		return &Mismatch{"sex"}
	case mrzName(qr.FullName) != mrzName(mrz.FullName):
		return &Mismatch{"full_name"}
	}
	return nil
}

// Merge combines a QR read and an MRZ read of one card after CrossCheck: the
// QR's name with diacritics and address, the MRZ's expiry and document number.
func Merge(qr, mrz Identity) (Identity, error) {
	if err := CrossCheck(qr, mrz); err != nil {
		return Identity{}, err
	}
	out := qr
	out.ExpiryDate = mrz.ExpiryDate
	out.DocumentNumber = mrz.DocumentNumber
	out.Nationality = mrz.Nationality
	return out, nil
}

// mrzName folds a name the way the MRZ writes it: no diacritics, đ → d,
// letters only, single spaces.
func mrzName(s string) string {
	f := textfold.Fold(s)
	var b strings.Builder
	for _, r := range f {
		if r >= 'a' && r <= 'z' || r == ' ' {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Errors of card parsing. They never hold the value read.
var (
	ErrEmpty = errors.New("empty card data")
)

// FieldError says which field of a card read is not valid.
type FieldError struct {
	Source Origin
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Source, e.Field, e.Reason)
}

func isDigits(s string, n int) bool {
	if n >= 0 && len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// clean removes a byte order mark, NULs, and leading/trailing CR, LF and
// spaces that readers add around a frame.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\ufeff", "")
	s = strings.ReplaceAll(s, "\x00", "")
	return strings.Trim(s, " \t\r\n\x02\x03")
}
