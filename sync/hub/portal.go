package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// The national public service portal's dossier sync fields (the one-stop
// "đồng bộ hồ sơ" format): see docs/protocol.md, "National portal export".

// PortalTimeFormat is the portal's date format (yyyyMMddHHmmss) in
// Asia/Ho_Chi_Minh; a fixed +07:00 zone (Vietnam has no daylight saving
// time), so the export needs no tzdata.
const PortalTimeFormat = "20060102150405"

// PortalTime formats t for the portal; "" for the zero time.
func PortalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vnZone).Format(PortalTimeFormat)
}

// PortalPaper is one paper submitted (TaiLieuNop).
type PortalPaper struct {
	TenTaiLieu string   `json:"TenTaiLieu"`
	SoLuong    int      `json:"SoLuong"`
	BanChinh   int      `json:"LoaiBan"`   // 1 original, 2 certified copy, 3 copy
	DuocSoHoa  int      `json:"DuocSoHoa"` // 1 digitised (scanned), 0 not
	MaTep      []string `json:"MaTep,omitempty"`
}

// PortalFee is one fee (DanhSachLePhi).
type PortalFee struct {
	TenPhiLePhi string `json:"TenPhiLePhi"`
	MucPhi      int64  `json:"MucPhi"` // đồng
}

// PortalStep is one step of the processing (QuaTrinhXuLy).
type PortalStep struct {
	NguoiXuLy    string `json:"NguoiXuLy"`
	ThoiDiemXuLy string `json:"ThoiDiemXuLy"`
	NoiDungXuLy  string `json:"NoiDungXuLy"`
	TrangThai    int    `json:"TrangThai,omitempty"`
}

// PortalDossier is one dossier as the portal takes it.
type PortalDossier struct {
	MaHoSo          string        `json:"MaHoSo"`
	MaTTHC          string        `json:"MaTTHC"`
	TenTTHC         string        `json:"TenTTHC"`
	MaDonVi         string        `json:"MaDonVi"`
	ChuHoSo         string        `json:"ChuHoSo"`
	SoGiayToChuHoSo string        `json:"SoGiayToChuHoSo"`
	DiaChiChuHoSo   string        `json:"DiaChiChuHoSo,omitempty"`
	SoDienThoai     string        `json:"SoDienThoai,omitempty"`
	NgayTiepNhan    string        `json:"NgayTiepNhan"`
	NgayHenTra      string        `json:"NgayHenTra"`
	NgayKetThucXuLy string        `json:"NgayKetThucXuLy,omitempty"`
	TrangThaiHoSo   int           `json:"TrangThaiHoSo"`
	KenhThucHien    int           `json:"KenhThucHien"` // 1 direct, 2 online, 3 postal
	TaiLieuNop      []PortalPaper `json:"TaiLieuNop"`
	DanhSachLePhi   []PortalFee   `json:"DanhSachLePhi"`
	QuaTrinhXuLy    []PortalStep  `json:"QuaTrinhXuLy"`
}

// PortalSource is what the store hands the export for one dossier.
type PortalSource struct {
	Office    string
	Status    int
	DueAt     time.Time
	DoneAt    time.Time
	Payload   json.RawMessage
	Events    []protocol.Event
	Decisions []protocol.Decision
}

// portalActions names the lifecycle's actions for NoiDungXuLy.
var portalActions = map[string]string{
	"receive": "Tiếp nhận hồ sơ", "start": "Bắt đầu xử lý", "transfer": "Chuyển cơ quan giải quyết",
	"supplement": "Yêu cầu bổ sung hồ sơ", "supplemented": "Công dân đã bổ sung hồ sơ", "payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
	"paid": "Đã thực hiện nghĩa vụ tài chính", "result": "Có kết quả giải quyết", "return": "Trả kết quả cho công dân",
	"refuse": "Từ chối giải quyết", "withdraw": "Công dân rút hồ sơ", "stop": "Dừng xử lý", "extend": "Xin lỗi và hẹn lại ngày trả kết quả",
}

var portalOutcomes = map[string]string{
	protocol.OutcomeProcessing: "Cấp trên: chấp nhận, chuyển xử lý", protocol.OutcomeSupplement: "Cấp trên: yêu cầu bổ sung hồ sơ",
	protocol.OutcomeDone: "Cấp trên: đã có kết quả giải quyết", protocol.OutcomeRefused: "Cấp trên: từ chối giải quyết",
}

// ToPortal converts a dossier to the portal's fields.
func ToPortal(src PortalSource) (PortalDossier, error) {
	var p reviewPayload
	if err := json.Unmarshal(src.Payload, &p); err != nil {
		return PortalDossier{}, fmt.Errorf("dossier payload: %w", err)
	}
	out := PortalDossier{MaHoSo: p.Code, MaTTHC: p.ProcedureCode, TenTTHC: p.ProcedureName, MaDonVi: src.Office,
		ChuHoSo: p.Applicant.FullName, SoGiayToChuHoSo: p.Applicant.IDNumber, DiaChiChuHoSo: p.Applicant.Address,
		SoDienThoai: p.Applicant.Phone, NgayTiepNhan: PortalTime(p.ReceivedAt), NgayHenTra: PortalTime(src.DueAt),
		NgayKetThucXuLy: PortalTime(src.DoneAt), TrangThaiHoSo: statusOr(src.Status, 2), KenhThucHien: p.Channel,
		TaiLieuNop: []PortalPaper{}, DanhSachLePhi: []PortalFee{}, QuaTrinhXuLy: []PortalStep{}}
	if out.KenhThucHien < 1 || out.KenhThucHien > 3 {
		out.KenhThucHien = 1
	}
	if out.NgayHenTra == "" && p.DueAt != nil {
		out.NgayHenTra = PortalTime(*p.DueAt)
	}
	for _, pp := range p.Papers {
		pt := PortalPaper{TenTaiLieu: pp.Name, SoLuong: max(pp.Count, 1), BanChinh: pp.Form, MaTep: pp.Files}
		if len(pp.Files) > 0 {
			pt.DuocSoHoa = 1
		}
		out.TaiLieuNop = append(out.TaiLieuNop, pt)
	}
	if p.Fee > 0 {
		out.DanhSachLePhi = append(out.DanhSachLePhi, PortalFee{TenPhiLePhi: "Lệ phí " + p.ProcedureName, MucPhi: p.Fee})
	}
	type step struct {
		at time.Time
		PortalStep
	}
	steps := []step{{p.ReceivedAt, PortalStep{NguoiXuLy: p.ReceivedBy, NoiDungXuLy: portalActions["receive"], TrangThai: statusOr(p.Status, 2)}}}
	for _, e := range src.Events {
		if e.Seq == 1 {
			continue
		}
		var lp laterPayload
		if json.Unmarshal(e.Payload, &lp) != nil || lp.Action == "" {
			continue
		}
		at := lp.At.Time
		if at.IsZero() {
			at = e.CreatedAt
		}
		text := portalActions[lp.Action]
		if text == "" {
			text = lp.Action
		}
		if n := strings.TrimSpace(lp.Note); n != "" {
			text += ": " + n
		}
		steps = append(steps, step{at, PortalStep{NguoiXuLy: lp.Actor, NoiDungXuLy: text, TrangThai: lp.To}})
	}
	for _, d := range src.Decisions {
		text := portalOutcomes[d.Outcome]
		if len(d.Items) > 0 {
			text += " (" + strings.Join(d.Items, "; ") + ")"
		}
		for _, n := range []string{d.Reason, d.Note} {
			if n = strings.TrimSpace(n); n != "" {
				text += ": " + n
			}
		}
		steps = append(steps, step{d.At, PortalStep{NguoiXuLy: d.DecidedBy, NoiDungXuLy: text, TrangThai: d.Status}})
	}
	for i := 1; i < len(steps); i++ { // insertion sort: stable, few steps
		for j := i; j > 0 && steps[j].at.Before(steps[j-1].at); j-- {
			steps[j], steps[j-1] = steps[j-1], steps[j]
		}
	}
	for _, s := range steps {
		s.ThoiDiemXuLy = PortalTime(s.at)
		out.QuaTrinhXuLy = append(out.QuaTrinhXuLy, s.PortalStep)
	}
	return out, nil
}

// ValidatePortal checks a converted dossier against the portal's rules:
// required fields, date format and status codes.
func ValidatePortal(d PortalDossier) error {
	var bad []string
	if d.MaHoSo == "" || d.MaTTHC == "" || d.ChuHoSo == "" {
		bad = append(bad, "MaHoSo, MaTTHC and ChuHoSo are required")
	}
	for name, v := range map[string]string{"NgayTiepNhan": d.NgayTiepNhan, "NgayHenTra": d.NgayHenTra, "NgayKetThucXuLy": d.NgayKetThucXuLy} {
		if v == "" && name != "NgayTiepNhan" {
			continue
		}
		if _, err := time.ParseInLocation(PortalTimeFormat, v, vnZone); err != nil || len(v) != 14 {
			bad = append(bad, name+" is not yyyyMMddHHmmss: "+strconv.Quote(v))
		}
	}
	if d.TrangThaiHoSo < 1 || d.TrangThaiHoSo > 10 {
		bad = append(bad, "TrangThaiHoSo not in 1–10")
	}
	if d.KenhThucHien < 1 || d.KenhThucHien > 3 {
		bad = append(bad, "KenhThucHien not in 1–3")
	}
	for _, s := range d.QuaTrinhXuLy {
		if len(s.ThoiDiemXuLy) != 14 {
			bad = append(bad, "ThoiDiemXuLy is not yyyyMMddHHmmss")
			break
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("dossier %s: %s", d.MaHoSo, strings.Join(bad, "; "))
	}
	return nil
}

// ExportPortal writes the dossiers changed since t as a JSON document
// {"NgayXuat": …, "DanhSachHoSo": [...]} for the national portal. It
// returns how many dossiers it wrote.
func ExportPortal(ctx context.Context, st Store, since, now time.Time, w io.Writer) (int, error) {
	if _, err := fmt.Fprintf(w, "{\"NgayXuat\":%q,\"TuNgay\":%q,\"DanhSachHoSo\":[", PortalTime(now), PortalTime(since)); err != nil {
		return 0, err
	}
	n := 0
	err := st.PortalDossiers(ctx, since, func(src PortalSource) error {
		d, err := ToPortal(src)
		if err != nil {
			return err
		}
		if err := ValidatePortal(d); err != nil {
			return err
		}
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if n > 0 {
			if _, err := io.WriteString(w, ",\n"); err != nil {
				return err
			}
		} else {
			io.WriteString(w, "\n")
		}
		n++
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return n, err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return n, err
}

func (s *sqlStore) PortalDossiers(ctx context.Context, since time.Time, fn func(PortalSource) error) error {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT d.code FROM dossiers d WHERE d.updated_at >= ? ORDER BY d.updated_at, d.code`), ms(since))
	if err != nil {
		return err
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range codes {
		det, err := s.Dossier(ctx, c)
		if err != nil {
			return err
		}
		src := PortalSource{Office: det.Office, Status: det.Status, DueAt: det.DueAt, Payload: det.Payload, Events: det.Events}
		var due, done *int64
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT due_at, done_at FROM review_dossiers WHERE code = ?`), c).Scan(&due, &done); err == nil {
			if due != nil {
				src.DueAt = time.UnixMilli(*due).UTC()
			}
			if done != nil {
				src.DoneAt = time.UnixMilli(*done).UTC()
			}
		}
		if src.Decisions, err = s.reviewDecisions(ctx, c); err != nil {
			return err
		}
		if err := fn(src); err != nil {
			return err
		}
	}
	return nil
}
