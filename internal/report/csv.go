package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// bom is the UTF-8 byte-order mark: without it Excel reads a CSV file in
// the system's code page and garbles Vietnamese letters.
const bom = "\ufeff"

// statusNames are the statuses as the exports print them (Vietnamese, as
// the national portal names them).
var statusNames = map[dossier.Status]string{
	dossier.StatusSubmitted: "Nộp trực tuyến", dossier.StatusReceived: "Đã tiếp nhận",
	dossier.StatusRefused: "Từ chối", dossier.StatusProcessing: "Đang xử lý",
	dossier.StatusSupplement: "Yêu cầu bổ sung", dossier.StatusPayment: "Yêu cầu thanh toán",
	dossier.StatusWithdrawn: "Công dân rút hồ sơ", dossier.StatusStopped: "Dừng xử lý",
	dossier.StatusDone: "Đã có kết quả", dossier.StatusReturned: "Đã trả kết quả",
}

// StatusName is the Vietnamese name of a status.
func StatusName(s dossier.Status) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return strconv.Itoa(int(s))
}

// TimelinessName is the Vietnamese text of a judgement, with its days.
func TimelinessName(t Timeliness, days int) string {
	switch t {
	case Early:
		return fmt.Sprintf("Sớm hạn %d ngày làm việc", days)
	case OnTime:
		return "Đúng hạn"
	case Late:
		return fmt.Sprintf("Trễ hạn %d ngày làm việc", days)
	case Overdue:
		return fmt.Sprintf("Quá hạn %d ngày làm việc", days)
	case Closed:
		return "Đã đóng"
	case Paused:
		return "Tạm dừng, chờ bổ sung"
	}
	return "Đang giải quyết"
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vn).Format("02/01/2006 15:04")
}

// formulaSafe keeps a spreadsheet from running a cell typed by a citizen
// or a clerk as a formula (CSV injection): a leading =, +, - or @ is
// quoted with an apostrophe.
func formulaSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// TrackingHeader is the header line of the tracking-book CSV.
var TrackingHeader = []string{"STT sổ", "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Người nộp", "Số định danh",
	"Điện thoại", "Địa chỉ", "Tiếp nhận lúc", "Hẹn trả", "Có kết quả lúc", "Trả kết quả lúc", "Trạng thái",
	"Tiến độ", "Cán bộ tiếp nhận", "Số giấy tờ", "Số giấy tờ số hóa", "Số lần xin lỗi", "Chuyển đến"}

// WriteTrackingCSV writes the tracking book of [from, to) as CSV (UTF-8
// with BOM, comma separated, CRLF line ends as Excel expects).
func (s *Service) WriteTrackingCSV(ctx context.Context, w io.Writer, from, to time.Time) error {
	now := s.now()
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	if err := cw.Write(TrackingHeader); err != nil {
		return err
	}
	err := s.Source.TrackingBook(ctx, from, to, func(r dossier.TrackingRow) error {
		t, n := s.Judge(r, now)
		return cw.Write([]string{
			strconv.Itoa(r.TrackingNo), r.Code, r.ProcedureCode, formulaSafe(r.ProcedureName),
			formulaSafe(r.ApplicantName), formulaSafe(r.IDNumber), formulaSafe(r.Phone), formulaSafe(r.Address),
			stamp(r.ReceivedAt), stamp(r.DueAt), stamp(r.DoneAt), stamp(r.ReturnedAt), StatusName(r.Status),
			TimelinessName(t, n), r.ReceivedBy, strconv.Itoa(r.Papers), strconv.Itoa(r.Digitised),
			strconv.Itoa(r.Apologies), formulaSafe(r.TransferredTo),
		})
	})
	if err != nil {
		return fmt.Errorf("tracking csv: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// ListHeader is the header line of the dossier-list CSV.
var ListHeader = []string{"Mã hồ sơ", "Thủ tục", "Người nộp", "Số định danh", "Điện thoại", "Trạng thái",
	"Tiếp nhận lúc", "Hẹn trả", "Quá hạn"}

// WriteListCSV writes every dossier matching q (all pages, newest first)
// as CSV (UTF-8 with BOM).
func (s *Service) WriteListCSV(ctx context.Context, w io.Writer, q dossier.Query) error {
	now := s.now()
	if q.Now.IsZero() {
		q.Now = now
	}
	q.Limit, q.After = 500, nil
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	if err := cw.Write(ListHeader); err != nil {
		return err
	}
	for {
		page, err := s.Source.List(ctx, q)
		if err != nil {
			return fmt.Errorf("list csv: %w", err)
		}
		for _, r := range page.Items {
			over := ""
			if r.Overdue(now) {
				over = "x"
			}
			if err := cw.Write([]string{r.Code, formulaSafe(r.ProcedureName), formulaSafe(r.ApplicantName),
				formulaSafe(r.IDNumber), formulaSafe(r.Phone), StatusName(r.Status), stamp(r.ReceivedAt),
				stamp(r.DueAt), over}); err != nil {
				return err
			}
		}
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	cw.Flush()
	return cw.Error()
}

// actionNames are the steps as printed forms name them.
var actionNames = map[dossier.Action]string{
	dossier.ActionReceive: "Tiếp nhận", dossier.ActionStart: "Bắt đầu xử lý", dossier.ActionTransfer: "Chuyển xử lý",
	dossier.ActionSupplement: "Yêu cầu bổ sung", dossier.ActionSupplemented: "Đã bổ sung",
	dossier.ActionRequestFee: "Yêu cầu thanh toán", dossier.ActionPaid: "Đã thanh toán",
	dossier.ActionResult: "Có kết quả", dossier.ActionReturn: "Trả kết quả", dossier.ActionRefuse: "Từ chối",
	dossier.ActionWithdraw: "Rút hồ sơ", dossier.ActionStop: "Dừng xử lý", dossier.ActionExtend: "Xin lỗi, hẹn lại",
}

// ActionName is the Vietnamese name of a history action.
func ActionName(a string) string {
	if n, ok := actionNames[dossier.Action(a)]; ok {
		return n
	}
	return a
}
