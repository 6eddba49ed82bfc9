package receipt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua/internal/dossier"
)

// Forms 02, 03, 04 and 06 of Circular 01/2018/TT-VPCP (kept by Circular
// 03/2025/TT-VPCP), drawn on the same engine and header as the receipt.
// Each takes the dossier as saved and what the step recorded; none decides
// anything: the timeliness printed on forms 06 and 07 arrives judged.

// ErrFormData is wrapped by the forms' errors about missing input.
var ErrFormData = errors.New("form data")

// SupplementData is form 02, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ".
type SupplementData struct {
	Dossier   *dossier.Dossier
	Office    Office
	Request   dossier.SupplementRequest
	ClerkName string // who signs as the official giving guidance
}

// RefusalData is form 03, "Phiếu từ chối tiếp nhận giải quyết hồ sơ".
type RefusalData struct {
	Dossier    *dossier.Dossier
	Office     Office
	Reason     string
	At         time.Time
	SignerName string
}

// ApologyData is form 04, "Phiếu xin lỗi và hẹn lại ngày trả kết quả".
type ApologyData struct {
	Dossier    *dossier.Dossier
	Office     Office
	Apology    dossier.Apology
	SignerName string // the head of the agency
}

// SlipStep is one line of the control slip (form 06): a hand-over with its
// timeliness already judged ("Đúng hạn", "Quá hạn", …).
type SlipStep struct {
	At         time.Time
	From, To   string // who handed over, who received (agency or official)
	What       string // the step
	Timeliness string
	Note       string
}

// ControlSlipData is form 06, "Phiếu kiểm soát quá trình giải quyết hồ sơ".
type ControlSlipData struct {
	Dossier *dossier.Dossier
	Office  Office
	Steps   []SlipStep
}

func checkDossier(d *dossier.Dossier, o Office) error {
	switch {
	case d == nil:
		return fmt.Errorf("%w: no dossier", ErrFormData)
	case d.Code.IsZero():
		return fmt.Errorf("%w: dossier has no code", ErrFormData)
	case strings.TrimSpace(o.AgencyName) == "":
		return fmt.Errorf("%w: office has no agency name", ErrFormData)
	}
	return nil
}

// nationalHeader draws the agency (left) and the national motto (right)
// at the top of the current page, and the place and date line under the
// motto when date is not zero.
func nationalHeader(s *sheet, o Office, date time.Time) {
	w := s.width()
	leftW := w * 0.42
	ly := s.y
	if p := strings.ToUpper(clean(o.ParentName)); p != "" {
		ly = s.block(s.left, ly, leftW, sizeHeader, alignCenter, r(p))
	}
	ly = s.block(s.left, ly, leftW, sizeHeader, alignCenter, b(strings.ToUpper(clean(o.AgencyName))))
	ly = s.block(s.left, ly, leftW, sizeHeader, alignCenter, b("BỘ PHẬN MỘT CỬA"))
	s.line(s.left+leftW/3, ly+2, s.left+leftW*2/3, ly+2, 0.6)
	rx, rw := s.left+leftW, w-leftW
	ry := s.block(rx, s.y, rw, sizeHeader, alignCenter, b("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
	motto := "Độc lập - Tự do - Hạnh phúc"
	ry = s.block(rx, ry, rw, sizeHeader+1, alignCenter, b(motto))
	mw := s.measure(bold, sizeHeader+1, motto)
	s.line(rx+(rw-mw)/2, ry+2, rx+(rw+mw)/2, ry+2, 0.6)
	if !date.IsZero() {
		ry = s.block(rx, ry+6, rw, sizeBody, alignCenter, i(dayLine(date)))
	}
	s.y = max(ly, ry) + 14
}

// dayLine is "ngày 23 tháng 11 năm 2026" in Vietnam time.
func dayLine(t time.Time) string {
	t = t.In(vnZone)
	return fmt.Sprintf("Ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
}

// title draws a form's title and the dossier code under it.
func title(s *sheet, text, code string) {
	s.y = s.block(s.left, s.y, s.width(), sizeTitle, alignCenter, b(text))
	if code != "" {
		s.y = s.block(s.left, s.y+2, s.width(), sizeBody, alignCenter, r("Mã hồ sơ: "), b(code))
	}
	s.y += 10
}

// signature draws one signature block on the right half.
func signature(s *sheet, role, hint, name string) {
	half := s.width() / 2
	s.y += 12
	h := 3*sizeBody*leading + signatureGap
	s.ensure(h)
	x := s.left + half
	y := s.block(x, s.y, half, sizeBody, alignCenter, b(role))
	y = s.block(x, y, half, sizeBody-1, alignCenter, i(hint))
	y = s.block(x, y+signatureGap, half, sizeBody, alignCenter, b(clean(name)))
	s.y = y
}

func finish(s *sheet, what string) ([]byte, error) {
	if s.err != nil {
		return nil, fmt.Errorf("%s: %w", what, s.err)
	}
	pdf, err := s.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return pdf, nil
}

func applicantLines(s *sheet, d *dossier.Dossier) {
	field(s, "Kính gửi: Ông/Bà ", b(orBlank(d.Applicant.FullName)))
	field(s, "Địa chỉ: ", r(orBlank(d.Applicant.Address)))
	fieldPair(s, "Số điện thoại: ", orBlank(d.Applicant.Phone), "Email: ", orBlank(d.Applicant.Email))
}

// Supplement renders form 02.
func Supplement(f SupplementData) ([]byte, error) {
	if err := checkDossier(f.Dossier, f.Office); err != nil {
		return nil, err
	}
	if len(f.Request.Items) == 0 {
		return nil, fmt.Errorf("%w: supplement request without items", ErrFormData)
	}
	d, o := f.Dossier, f.Office
	s, err := newSheet()
	if err != nil {
		return nil, err
	}
	s.newPage()
	nationalHeader(s, o, f.Request.At)
	title(s, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", d.Code.String())
	applicantLines(s, d)
	s.y += 4
	field(s, "Ngày "+d.ReceivedAt.In(vnZone).Format("02/01/2006")+", Bộ phận Một cửa "+clean(o.AgencyName)+
		" đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục: ", b(orBlank(d.ProcedureName)), r("."))
	field(s, "Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
	for k, it := range f.Request.Items {
		s.para(s.left+14, s.width()-14, sizeBody, alignLeft, 14, r(strconv.Itoa(k+1)+". "), r(orBlank(it)))
	}
	field(s, "Lý do: ", r(orBlank(f.Request.Reason)))
	// The processing clock is paused while the dossier waits for the
	// supplement; the appointment is counted again from its arrival.
	due := f.Request.DueBefore
	if due.IsZero() {
		due = d.DueAt
	}
	if !due.IsZero() {
		field(s, "Thời gian bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết. Thời gian trả kết quả đã hẹn (",
			b(ClockDate(due)), r(") sẽ được tính lại theo số thời gian làm việc còn lại kể từ khi nhận đủ hồ sơ bổ sung."))
	}
	if !f.Request.SuppliedAt.IsZero() && !f.Request.DueAfter.IsZero() {
		field(s, "Đã nhận hồ sơ bổ sung lúc ", b(ClockDate(f.Request.SuppliedAt)), r("; thời gian trả kết quả hẹn lại: "),
			b(ClockDate(f.Request.DueAfter)), r("."))
	}
	contact := orBlank(f.Request.Official)
	phone := orBlank(f.Request.Phone)
	field(s, "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với ", b(contact),
		r(", số điện thoại "), b(phone), r(" để được hướng dẫn."))
	signature(s, "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", f.ClerkName)
	return finish(s, "form 02 "+d.Code.String())
}

// Refusal renders form 03.
func Refusal(f RefusalData) ([]byte, error) {
	if err := checkDossier(f.Dossier, f.Office); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.Reason) == "" {
		return nil, fmt.Errorf("%w: refusal without a reason", ErrFormData)
	}
	d, o := f.Dossier, f.Office
	s, err := newSheet()
	if err != nil {
		return nil, err
	}
	s.newPage()
	nationalHeader(s, o, f.At)
	title(s, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", d.Code.String())
	applicantLines(s, d)
	s.y += 4
	field(s, "Bộ phận Một cửa "+clean(o.AgencyName)+" đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục: ",
		b(orBlank(d.ProcedureName)), r(", lúc "+ClockDate(d.ReceivedAt)+"."))
	field(s, "Qua xem xét, Bộ phận Một cửa thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
	s.para(s.left+14, s.width()-14, sizeBody, alignLeft, 0, b(orBlank(f.Reason)))
	field(s, "Xin thông báo để Ông/Bà được biết và thực hiện.")
	signature(s, "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", f.SignerName)
	return finish(s, "form 03 "+d.Code.String())
}

// Apology renders form 04.
func Apology(f ApologyData) ([]byte, error) {
	if err := checkDossier(f.Dossier, f.Office); err != nil {
		return nil, err
	}
	a := f.Apology
	if a.NewDue.IsZero() || strings.TrimSpace(a.Reason) == "" {
		return nil, fmt.Errorf("%w: apology without a new appointment or a reason", ErrFormData)
	}
	d, o := f.Dossier, f.Office
	s, err := newSheet()
	if err != nil {
		return nil, err
	}
	s.newPage()
	nationalHeader(s, o, a.At)
	title(s, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", d.Code.String())
	applicantLines(s, d)
	s.y += 4
	field(s, "Lúc "+ClockDate(d.ReceivedAt)+", Bộ phận Một cửa "+clean(o.AgencyName)+
		" tiếp nhận giải quyết hồ sơ của Ông/Bà, nội dung yêu cầu giải quyết: ", b(orBlank(d.ProcedureName)), r("."))
	field(s, "Thời hạn giải quyết hồ sơ theo quy định: ", b(orBlank(d.ProcessingTime)), r("."))
	old := a.OldDue
	if old.IsZero() {
		old = d.DueAt
	}
	field(s, "Thời gian trả kết quả đã hẹn: ", b(ClockDate(old)), r("."))
	field(s, "Tuy nhiên đến nay, "+clean(o.AgencyName)+" chưa trả kết quả giải quyết hồ sơ của Ông/Bà.")
	field(s, "Lý do: ", r(orBlank(a.Reason)))
	field(s, "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. "+clean(o.AgencyName)+
		" xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: ", b(ClockDate(a.NewDue)), r("."))
	field(s, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.")
	signature(s, "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", f.SignerName)
	return finish(s, "form 04 "+d.Code.String())
}

// ControlSlip renders form 06: the dossier's hand-overs, each with its
// time and timeliness.
func ControlSlip(f ControlSlipData) ([]byte, error) {
	if err := checkDossier(f.Dossier, f.Office); err != nil {
		return nil, err
	}
	d, o := f.Dossier, f.Office
	s, err := newSheet()
	if err != nil {
		return nil, err
	}
	s.newPage()
	s.breakH = sizeSmall*leading + 8
	s.onBreak = func() {
		s.block(s.left, s.y, s.width(), sizeSmall, alignLeft,
			i("Phiếu kiểm soát quá trình giải quyết hồ sơ – Mã hồ sơ: "+d.Code.String()+" (tiếp theo)"))
		s.y += s.breakH
	}
	nationalHeader(s, o, time.Time{})
	title(s, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", d.Code.String())
	field(s, "Kèm theo hồ sơ của: ", b(orBlank(d.Applicant.FullName)))
	field(s, "Nội dung yêu cầu giải quyết: ", b(orBlank(d.ProcedureName)))
	fieldPair(s, "Nhận lúc: ", ClockDate(d.ReceivedAt), "Hẹn trả: ", ClockDate(d.DueAt))
	s.y += 4
	rows := make([][]string, len(f.Steps))
	for k, st := range f.Steps {
		who := "Giao: " + clean(st.From)
		if to := clean(st.To); to != "" {
			who += ". Nhận: " + to
		}
		rows[k] = []string{strconv.Itoa(k + 1), who, clean(st.What), ClockDate(st.At), clean(st.Timeliness), clean(st.Note)}
	}
	s.table([]column{
		{"STT", 26, alignCenter},
		{"Giao / nhận", 110, alignLeft},
		{"Nội dung", 78, alignLeft},
		{"Thời gian", 78, alignLeft},
		{"Kết quả (trước hạn / đúng hạn / quá hạn)", 72, alignCenter},
		{"Ghi chú", 0, alignLeft},
	}, sizeTable-1, rows)
	s.onBreak = nil
	return finish(s, "form 06 "+d.Code.String())
}

// TrackingLine is one dossier of the tracking book with its timeliness
// judged (internal/report).
type TrackingLine struct {
	Row        dossier.TrackingRow
	Timeliness string
}

// TrackingBookData is form 07, "Sổ theo dõi hồ sơ", for a date range.
type TrackingBookData struct {
	Office   Office
	From, To time.Time // dossiers received in [From, To)
	Lines    []TrackingLine
}

// TrackingBook renders form 07 on landscape A4 pages, its table's header
// repeated on every page.
func TrackingBook(f TrackingBookData) ([]byte, error) {
	if strings.TrimSpace(f.Office.AgencyName) == "" {
		return nil, fmt.Errorf("%w: office has no agency name", ErrFormData)
	}
	s, err := newLandscapeSheet()
	if err != nil {
		return nil, err
	}
	period := f.From.In(vnZone).Format("02/01/2006") + " – " + f.To.In(vnZone).Add(-time.Millisecond).Format("02/01/2006")
	s.newPage()
	s.breakH = sizeSmall*leading + 8
	s.onBreak = func() {
		s.block(s.left, s.y, s.width(), sizeSmall, alignLeft, i("Sổ theo dõi hồ sơ "+period+" (tiếp theo)"))
		s.y += s.breakH
	}
	nationalHeader(s, f.Office, time.Time{})
	s.y = s.block(s.left, s.y, s.width(), sizeTitle, alignCenter, b("SỔ THEO DÕI HỒ SƠ"))
	s.y = s.block(s.left, s.y+2, s.width(), sizeBody, alignCenter, i("Từ ngày "+strings.Replace(period, " – ", " đến ngày ", 1)))
	s.y += 8
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(vnZone).Format("15:04 02/01/2006")
	}
	rows := make([][]string, len(f.Lines))
	for k, l := range f.Lines {
		rw := l.Row
		contact := clean(rw.Address)
		if p := clean(rw.Phone); p != "" {
			contact += "; " + p
		}
		rows[k] = []string{strconv.Itoa(rw.TrackingNo), rw.Code, clean(rw.ProcedureName), clean(rw.ApplicantName),
			contact, stamp(rw.ReceivedAt), stamp(rw.DueAt), clean(rw.TransferredTo), stamp(rw.DoneAt),
			stamp(rw.ReturnedAt), clean(l.Timeliness), ""}
	}
	s.table([]column{
		{"STT", 30, alignCenter},
		{"Mã hồ sơ", 112, alignLeft},
		{"Tên thủ tục hành chính", 0, alignLeft},
		{"Tên cá nhân, tổ chức", 76, alignLeft},
		{"Địa chỉ, số điện thoại", 84, alignLeft},
		{"Nhận hồ sơ", 50, alignCenter},
		{"Hẹn trả kết quả", 50, alignCenter},
		{"Chuyển hồ sơ đến cơ quan", 60, alignLeft},
		{"Có kết quả", 50, alignCenter},
		{"Trả kết quả", 50, alignCenter},
		{"Tiến độ", 56, alignCenter},
		{"Ký nhận", 40, alignCenter},
	}, sizeSmall, rows)
	if len(rows) == 0 {
		s.para(s.left, s.width(), sizeBody, alignCenter, 0, i("Không có hồ sơ nào trong thời gian này."))
	}
	s.onBreak = nil
	return finish(s, "form 07")
}

// newLandscapeSheet is newSheet on landscape A4, with 15 mm margins so the
// book's twelve columns fit.
func newLandscapeSheet() (*sheet, error) {
	fc, err := fontContainer()
	if err != nil {
		return nil, err
	}
	pdf := new(gopdf.GoPdf)
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageH, H: pageW}})
	for _, f := range families {
		if err := pdf.AddTTFFontFromFontContainer(f, fc); err != nil {
			return nil, fmt.Errorf("add font %s: %w", f, err)
		}
	}
	pdf.SetTextColor(0, 0, 0)
	m := 15 * mm
	return &sheet{pdf: pdf, left: m, right: pageH - m, top: m, bottom: pageW - m}, nil
}
