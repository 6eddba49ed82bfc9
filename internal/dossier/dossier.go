package dossier

import (
	"errors"
	"time"
)

// Status is a dossier's state, numbered as the national public service portal
// numbers them (TrangThaiHoSo).
type Status int

const (
	StatusSubmitted  Status = 1  // nộp trực tuyến, not yet received
	StatusReceived   Status = 2  // đã tiếp nhận
	StatusRefused    Status = 3  // từ chối
	StatusProcessing Status = 4  // đang xử lý
	StatusSupplement Status = 5  // yêu cầu bổ sung
	StatusPayment    Status = 6  // yêu cầu thanh toán
	StatusWithdrawn  Status = 7  // công dân rút hồ sơ
	StatusStopped    Status = 8  // dừng xử lý
	StatusDone       Status = 9  // đã có kết quả
	StatusReturned   Status = 10 // đã trả kết quả
)

// Statuses lists every status in portal order.
var Statuses = []Status{StatusSubmitted, StatusReceived, StatusRefused, StatusProcessing,
	StatusSupplement, StatusPayment, StatusWithdrawn, StatusStopped, StatusDone, StatusReturned}

// Valid reports whether s is one of the portal's codes.
func (s Status) Valid() bool { return s >= StatusSubmitted && s <= StatusReturned }

// Key is the translation key of the status name ("status.2", …).
func (s Status) Key() string { return "status." + itoa(int(s)) }

// Open reports whether the dossier still waits for the office to act, so that
// its appointment can become overdue. A dossier waiting for a supplement
// (status 5) is not open: its processing clock is paused until the citizen
// brings the papers, and the appointment is then moved by the time it
// waited (see Paused).
func (s Status) Open() bool {
	switch s {
	case StatusReceived, StatusProcessing, StatusPayment:
		return true
	}
	return false
}

// Paused reports whether the dossier's processing clock is stopped: it
// waits for the citizen's supplement and cannot become overdue meanwhile.
func (s Status) Paused() bool { return s == StatusSupplement }

// Channel is how the dossier was submitted (KenhThucHien).
type Channel int

const (
	ChannelInPerson Channel = 1
	ChannelOnline   Channel = 2
	ChannelPostal   Channel = 3
)

// ReturnMethod is where the citizen gets the result.
type ReturnMethod int

const (
	ReturnAtCounter ReturnMethod = 1
	ReturnByPost    ReturnMethod = 2
)

// PaperForm is the kind of a paper handed in.
type PaperForm int

const (
	FormOriginal      PaperForm = 1 // bản chính
	FormCertifiedCopy PaperForm = 2 // bản sao chứng thực
	FormCopy          PaperForm = 3 // bản sao / bản photo
)

// Valid reports whether f is a known form.
func (f PaperForm) Valid() bool { return f >= FormOriginal && f <= FormCopy }

// Key is the translation key of the form's name.
func (f PaperForm) Key() string { return "paperform." + itoa(int(f)) }

// Sex of an applicant, as printed on the ID card.
type Sex int

const (
	SexUnknown Sex = 0
	SexMale    Sex = 1
	SexFemale  Sex = 2
)

// Applicant is the person who submits the dossier (chủ hồ sơ).
type Applicant struct {
	FullName  string
	IDNumber  string // 12-digit personal ID number
	BirthDate time.Time
	Sex       Sex
	Address   string
	Phone     string
	Email     string
}

// Paper is one paper of the dossier as handed in at the counter.
type Paper struct {
	Name     string
	Form     PaperForm
	Count    int  // number of copies of this paper
	Required bool // listed as required by the procedure
	// Files are the SHA-256 (hex) of the scans attached to this paper, if any;
	// a paper with a file is counted as digitised.
	Files []string
}

// Dossier is one dossier as the office holds it.
type Dossier struct {
	ID             int64
	Code           Code
	ProcedureCode  string // mã thủ tục hành chính
	ProcedureName  string
	CatalogVersion string // version of the procedure's rules it was received under
	Applicant      Applicant
	Papers         []Paper
	Sets           int   // number of sets of papers (số bộ hồ sơ)
	Fee            int64 // VND
	ProcessingTime string
	ReceivedAt     time.Time
	DueAt          time.Time
	Status         Status
	Channel        Channel
	ReturnMethod   ReturnMethod
	ReturnAddress  string // postal address when ReturnByPost
	ReceivedBy     string // login of the clerk
	TrackingNo     int    // number in the office's tracking book (sổ theo dõi)
	Note           string
	UpdatedAt      time.Time
}

// Overdue reports whether the dossier is still open past its appointment.
func (d *Dossier) Overdue(now time.Time) bool {
	return d.Status.Open() && !d.DueAt.IsZero() && now.After(d.DueAt)
}

// Digitised reports how many papers have at least one scanned file.
func (d *Dossier) Digitised() int {
	n := 0
	for _, p := range d.Papers {
		if len(p.Files) > 0 {
			n++
		}
	}
	return n
}

// Field errors: each names the input that is wrong, so a screen can show a
// translated message beside it.
var (
	ErrNameRequired     = errors.New("applicant name required")
	ErrNoPapers         = errors.New("no papers")
	ErrPaperName        = errors.New("paper without a name")
	ErrPaperCount       = errors.New("paper count must be at least 1")
	ErrPaperForm        = errors.New("unknown paper form")
	ErrSets             = errors.New("number of sets must be at least 1")
	ErrProcedure        = errors.New("procedure required")
	ErrPhone            = errors.New("phone number is not valid")
	ErrEmail            = errors.New("email is not valid")
	ErrReturnAddress    = errors.New("postal return needs an address")
	ErrStatusTransition = errors.New("status transition not allowed")
)

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
