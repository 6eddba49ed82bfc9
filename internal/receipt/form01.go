package receipt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
)

// Office is the receiving office as its forms name it.
type Office struct {
	AgencyName string // e.g. "UBND XÃ TÂN PHÚ"; printed upper-case in the header
	ParentName string // e.g. "UBND TỈNH ĐỒNG NAI", or "" for none
	AgencyID   string // electronic id of the agency, e.g. "000.00.06.H56"
	Address    string
	Phone      string
	// ReturnPlace is where results are handed back in person; empty means
	// "Bộ phận Một cửa – <AgencyName>".
	ReturnPlace string
}

// ReceiptData is everything form 01 prints.
type ReceiptData struct {
	Dossier   *dossier.Dossier
	Office    Office
	ClerkName string // full name of the clerk who received the dossier
	// QRPayload is the signed payload (see Sign) of this dossier; it must
	// name the dossier's code and times. Empty prints no QR code, for an
	// office that has no signing key yet.
	QRPayload string
	// TrackingBook is the tracking book's volume (Quyển số); empty means
	// the year of reception, one book a year being the usual practice.
	TrackingBook string
}

// ErrReceiptData is wrapped by Receipt's errors about missing or
// inconsistent input.
var ErrReceiptData = errors.New("receipt data")

// The two copies of form 01 and what each is for.
var receiptCopies = [...]string{
	"Liên 1: Giao người nộp hồ sơ",
	"Liên 2: Lưu tại Bộ phận Một cửa",
}

// Receipt renders form 01, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
// (Circular 03/2025/TT-VPCP, layout of form 01 of Circular 01/2018), as an A4
// PDF holding both copies: each copy starts on a new page and continues on as
// many pages as its list of papers needs.
func Receipt(r ReceiptData) ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	var modules [][]bool
	if r.QRPayload != "" {
		var err error
		if modules, err = qrModules(r.QRPayload); err != nil {
			return nil, fmt.Errorf("receipt %s: %w", r.Dossier.Code, err)
		}
	}
	s, err := newSheet()
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	v := r.values()
	for _, label := range receiptCopies {
		drawForm01(s, v, label, modules)
	}
	if s.err != nil {
		return nil, fmt.Errorf("receipt %s: %w", v.code, s.err)
	}
	pdf, err := s.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", v.code, err)
	}
	return pdf, nil
}

func (r ReceiptData) check() error {
	d := r.Dossier
	if d == nil {
		return fmt.Errorf("%w: no dossier", ErrReceiptData)
	}
	switch {
	case d.Code.IsZero():
		return fmt.Errorf("%w: dossier has no code", ErrReceiptData)
	case d.ReceivedAt.IsZero() || d.DueAt.IsZero():
		return fmt.Errorf("%w: dossier %s has no reception or appointment time", ErrReceiptData, d.Code)
	case strings.TrimSpace(r.Office.AgencyName) == "":
		return fmt.Errorf("%w: office has no agency name", ErrReceiptData)
	}
	if r.QRPayload == "" {
		return nil
	}
	p, err := ParsePayload(r.QRPayload)
	if err != nil {
		return fmt.Errorf("%w: QR payload: %w", ErrReceiptData, err)
	}
	if p.Code != d.Code.String() || unixMinutes(p.ReceivedAt) != unixMinutes(d.ReceivedAt) ||
		unixMinutes(p.DueAt) != unixMinutes(d.DueAt) {
		return fmt.Errorf("%w: QR payload is for %s received %s due %s, not this dossier",
			ErrReceiptData, p.Code, ClockDate(p.ReceivedAt), ClockDate(p.DueAt))
	}
	return nil
}

// form01Values is the form's text, cleaned and formatted.
type form01Values struct {
	parent, agency, agencyName         string
	officeLine                         string
	code, name, id, address, phone     string
	email, procedure, sets, processing string
	received, due, returnPlace, fee    string
	book, trackingNo, clerk            string
	papers                             [][]string
}

const blank = "…………"

func orBlank(s string) string {
	if s = clean(s); s == "" {
		return blank
	}
	return s
}

func (r ReceiptData) values() form01Values {
	d, o := r.Dossier, r.Office
	v := form01Values{
		parent:     strings.ToUpper(clean(o.ParentName)),
		agency:     strings.ToUpper(clean(o.AgencyName)),
		agencyName: clean(o.AgencyName),
		code:       d.Code.String(),
		name:       orBlank(d.Applicant.FullName),
		id:         orBlank(d.Applicant.IDNumber),
		address:    orBlank(d.Applicant.Address),
		phone:      orBlank(d.Applicant.Phone),
		email:      orBlank(d.Applicant.Email),
		procedure:  orBlank(d.ProcedureName),
		sets:       fmt.Sprintf("%02d bộ", max(d.Sets, 1)),
		processing: orBlank(d.ProcessingTime),
		received:   ClockDate(d.ReceivedAt),
		due:        ClockDate(d.DueAt),
		fee:        Money(d.Fee),
		book:       clean(r.TrackingBook),
		trackingNo: blank,
		clerk:      clean(r.ClerkName),
	}
	var contact []string
	if a := clean(o.Address); a != "" {
		contact = append(contact, "địa chỉ: "+a)
	}
	if p := clean(o.Phone); p != "" {
		contact = append(contact, "điện thoại: "+p)
	}
	if len(contact) > 0 {
		v.officeLine = "(" + strings.Join(contact, "; ") + ")"
	}
	if v.book == "" {
		v.book = strconv.Itoa(d.ReceivedAt.In(vnZone).Year())
	}
	if d.TrackingNo > 0 {
		v.trackingNo = strconv.Itoa(d.TrackingNo)
	}
	switch d.ReturnMethod {
	case dossier.ReturnByPost:
		v.returnPlace = "Qua dịch vụ bưu chính công ích, theo địa chỉ: " + orBlank(d.ReturnAddress)
	default:
		if v.returnPlace = clean(o.ReturnPlace); v.returnPlace == "" {
			v.returnPlace = "Bộ phận Một cửa – " + v.agencyName
		}
	}
	for k, p := range d.Papers {
		v.papers = append(v.papers, []string{
			strconv.Itoa(k + 1), orBlank(p.Name), paperFormName(p.Form), strconv.Itoa(p.Count),
		})
	}
	return v
}

// Sizes of form 01's type, in points.
const (
	sizeBody     = 11
	sizeHeader   = 11
	sizeTitle    = 13.5
	sizeTable    = 10
	sizeSmall    = 8
	qrSide       = 25 * mm
	signatureGap = 56 // room for a handwritten signature
)

// drawForm01 lays out one copy of the receipt, starting on a new page.
func drawForm01(s *sheet, v form01Values, copyLabel string, qr [][]bool) {
	first := s.pageNo() + 1
	s.newPage()
	s.breakH = sizeSmall*leading + 8
	s.onBreak = func() {
		s.block(s.left, s.y, s.width(), sizeSmall, alignLeft,
			i("Giấy tiếp nhận hồ sơ và hẹn trả kết quả – Mã hồ sơ: "+v.code+" – "+copyLabel+" (tiếp theo)"))
		s.line(s.left, s.y+sizeSmall*leading+2, s.right, s.y+sizeSmall*leading+2, 0.3)
		s.y += s.breakH
	}
	w := s.width()

	// National header (right) and agency (left).
	leftW := w * 0.42
	ly := s.y
	if v.parent != "" {
		ly = s.block(s.left, ly, leftW, sizeHeader, alignCenter, r(v.parent))
	}
	ly = s.block(s.left, ly, leftW, sizeHeader, alignCenter, b(v.agency))
	s.line(s.left+leftW/3, ly+2, s.left+leftW*2/3, ly+2, 0.6)
	rx, rw := s.left+leftW, w-leftW
	ry := s.block(rx, s.y, rw, sizeHeader, alignCenter, b("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
	motto := "Độc lập - Tự do - Hạnh phúc"
	ry = s.block(rx, ry, rw, sizeHeader+1, alignCenter, b(motto))
	mw := s.measure(bold, sizeHeader+1, motto)
	s.line(rx+(rw-mw)/2, ry+2, rx+(rw+mw)/2, ry+2, 0.6)
	s.y = max(ly, ry) + 16

	// Title, code and copy beside the QR code.
	top := s.y
	tw := w
	if qr != nil {
		tw = w - qrSide - 14
		s.qr(s.right-qrSide, top, qrSide, qr)
		s.block(s.right-qrSide-10, top+qrSide+3, qrSide+20, sizeSmall-1, alignCenter, i("Quét mã để tra cứu"))
	}
	ty := s.block(s.left, top+4, tw, sizeTitle, alignCenter, b("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))
	ty = s.block(s.left, ty+2, tw, sizeBody+1, alignCenter, r("Mã hồ sơ: "), b(v.code))
	ty = s.block(s.left, ty, tw, sizeBody, alignCenter, i("("+copyLabel+")"))
	s.y = ty + 8
	if qr != nil {
		s.y = max(s.y, top+qrSide+3+(sizeSmall-1)*leading+6)
	}

	// Who received what from whom.
	office := []span{r("Bộ phận Một cửa "), b(v.agencyName)}
	if v.officeLine != "" {
		office = append(office, r(" "+v.officeLine))
	}
	s.para(s.left, w, sizeBody, alignLeft, 0, office...)
	field(s, "Tiếp nhận hồ sơ của: ", b(v.name))
	field(s, "Số định danh cá nhân: ", r(v.id))
	field(s, "Địa chỉ: ", r(v.address))
	fieldPair(s, "Số điện thoại: ", v.phone, "Email: ", v.email)
	field(s, "Nội dung yêu cầu giải quyết: ", b(v.procedure))

	field(s, "1. Thành phần hồ sơ nộp gồm:")
	s.y += 2
	s.table([]column{
		{"STT", 30, alignCenter},
		{"Tên giấy tờ", 0, alignLeft},
		{"Hình thức", 112, alignCenter},
		{"Số lượng", 52, alignCenter},
	}, sizeTable, v.papers)
	s.y += 4
	field(s, "2. Số lượng hồ sơ: ", b(v.sets))
	field(s, "3. Thời gian giải quyết hồ sơ theo quy định: ", b(v.processing))
	field(s, "4. Thời gian nhận hồ sơ: ", b(v.received))
	field(s, "5. Thời gian trả kết quả giải quyết hồ sơ: ", b(v.due))
	field(s, "6. Đăng ký nhận kết quả tại: ", r(v.returnPlace))
	field(s, "7. Phí, lệ phí: ", b(v.fee))
	s.y += 2
	s.para(s.left, w, sizeBody, alignLeft, 0,
		i("Vào Sổ theo dõi hồ sơ, Quyển số: "+v.book+", Số thứ tự: "+v.trackingNo))

	signatures(s, v)
	pageNumbers(s, first, copyLabel)
	s.onBreak = nil
}

// field is a line of the form: a regular label and its value, wrapping back
// to the margin as typed Vietnamese forms do.
func field(s *sheet, label string, value ...span) {
	s.para(s.left, s.width(), sizeBody, alignLeft, 0, append([]span{r(label)}, value...)...)
}

// fieldPair puts two short fields side by side, each wrapping in its half.
func fieldPair(s *sheet, l1, v1, l2, v2 string) {
	half := s.width() / 2
	a := []span{r(l1), r(v1)}
	c := []span{r(l2), r(v2)}
	h := max(s.blockHeight(half-6, sizeBody, a...), s.blockHeight(half, sizeBody, c...))
	s.ensure(h)
	s.block(s.left, s.y, half-6, sizeBody, alignLeft, a...)
	s.block(s.left+half, s.y, half, sizeBody, alignLeft, c...)
	s.y += h
}

// signatures draws the two signature blocks, moving them whole to a new page
// if they do not fit.
func signatures(s *sheet, v form01Values) {
	half := s.width() / 2
	col := func(title, name string) [][]span {
		return [][]span{{b(title)}, {i("(Ký và ghi rõ họ tên)")}, {b(name)}}
	}
	cols := [2][][]span{
		col("NGƯỜI NỘP HỒ SƠ", v.name),
		col("NGƯỜI TIẾP NHẬN HỒ SƠ", v.clerk),
	}
	height := func(c [][]span) float64 {
		return s.blockHeight(half, sizeBody, c[0]...) + s.blockHeight(half, sizeBody-1, c[1]...) +
			signatureGap + s.blockHeight(half, sizeBody, c[2]...)
	}
	s.y += 12
	s.ensure(max(height(cols[0]), height(cols[1])))
	bottom := s.y
	for k, c := range cols {
		x := s.left + float64(k)*half
		y := s.block(x, s.y, half, sizeBody, alignCenter, c[0]...)
		y = s.block(x, y, half, sizeBody-1, alignCenter, c[1]...)
		y = s.block(x, y+signatureGap, half, sizeBody, alignCenter, c[2]...)
		bottom = max(bottom, y)
	}
	s.y = bottom
}

// pageNumbers writes "<copy> – Trang k/n" at the foot of every page of a
// copy that took more than one page.
func pageNumbers(s *sheet, first int, copyLabel string) {
	last := s.pageNo()
	if last == first || s.err != nil {
		return
	}
	label, _, _ := strings.Cut(copyLabel, ":")
	for p := first; p <= last; p++ {
		s.fail(s.pdf.SetPage(p))
		s.block(s.left, s.bottom+6, s.width(), sizeSmall, alignCenter,
			i(fmt.Sprintf("%s – Trang %d/%d", label, p-first+1, last-first+1)))
	}
}
