package citizen

import (
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Errors of ID number checks.
var (
	ErrIDFormat    = errors.New("ID number must be 12 digits")
	ErrIDProvince  = errors.New("ID number has an unknown province code")
	ErrIDBirthYear = errors.New("ID number does not match the year of birth")
	ErrIDSex       = errors.New("ID number does not match the sex")
)

// IDLen is the length of a personal ID number.
const IDLen = 12

// IDInfo is what a personal ID number tells about its holder.
type IDInfo struct {
	Province     string // 3-digit code of the province of birth registration
	ProvinceName string
	Sex          dossier.Sex
	BirthYear    int
}

// ParseID decodes a personal ID number. Surrounding white space is ignored;
// anything else that is not a digit is an error.
func ParseID(id string) (IDInfo, error) {
	id = strings.TrimSpace(id)
	if len(id) != IDLen || !digits(id) {
		return IDInfo{}, ErrIDFormat
	}
	name, ok := provinces[id[:3]]
	if !ok {
		return IDInfo{}, ErrIDProvince
	}
	g := int(id[3] - '0')
	// Circular 07/2016/TT-BCA, art. 7: 0/1 for the 20th century (1900-1999),
	// 2/3 for the 21st, 4/5 for the 22nd, 6/7 for the 23rd and 8/9 for the
	// 24th (2300-2399); the even digit is male, the odd one female.
	century := 1900 + 100*(g/2)
	sex := dossier.SexMale
	if g%2 == 1 {
		sex = dossier.SexFemale
	}
	year := century + int(id[4]-'0')*10 + int(id[5]-'0')
	return IDInfo{Province: id[:3], ProvinceName: name, Sex: sex, BirthYear: year}, nil
}

// ValidateID checks an ID number and its consistency with the holder's date of
// birth and sex. A zero birth skips the year check; SexUnknown skips the sex
// check. The birth year is compared as written on the card, so pass the date
// of birth in any location: only its year is used.
func ValidateID(id string, birth time.Time, sex dossier.Sex) error {
	info, err := ParseID(id)
	if err != nil {
		return err
	}
	if !birth.IsZero() && birth.Year() != info.BirthYear {
		return ErrIDBirthYear
	}
	if sex != dossier.SexUnknown && sex != info.Sex {
		return ErrIDSex
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
