package receipt_test

import (
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
)

// formsPNG keeps page 1 of each sample form for a human to look at:
//
//	go test ./internal/receipt -run Forms -args -forms-png=/tmp/forms
var formsPNG = flag.String("forms-png", "", "write page 1 of each sample form, rendered at 100 dpi, into this directory")

func sampleForms(t *testing.T) map[string][]byte {
	t.Helper()
	d := birthDossier(t, birthPapers[:3])
	o := testOffice()
	at := time.Date(2026, 11, 24, 10, 5, 0, 0, vn)
	out := map[string][]byte{}
	var err error
	if out["02"], err = receipt.Supplement(receipt.SupplementData{Dossier: d, Office: o, ClerkName: "Trần Văn Hưởng",
		Request: dossier.SupplementRequest{At: at, Supplement: dossier.Supplement{
			Items:  []string{"Giấy chứng sinh (bản chính)", "Bản sao Giấy chứng nhận kết hôn của cha, mẹ có chứng thực"},
			Reason: "Hồ sơ thiếu giấy chứng sinh; giấy kết hôn là bản photo không chứng thực", Official: "Trần Văn Hưởng",
			Phone: "0912345678"}}}); err != nil {
		t.Fatal(err)
	}
	if out["03"], err = receipt.Refusal(receipt.RefusalData{Dossier: d, Office: o, At: at, SignerName: "Lê Thị Lan",
		Reason: "Việc khai sinh thuộc thẩm quyền của UBND xã nơi cư trú của người mẹ"}); err != nil {
		t.Fatal(err)
	}
	if out["04"], err = receipt.Apology(receipt.ApologyData{Dossier: d, Office: o, SignerName: "Nguyễn Văn Chủ",
		Apology: dossier.Apology{At: at, OldDue: d.DueAt, NewDue: time.Date(2026, 11, 30, 16, 0, 0, 0, vn),
			Reason: "Chờ kết quả xác minh của Công an xã"}}); err != nil {
		t.Fatal(err)
	}
	if out["06"], err = receipt.ControlSlip(receipt.ControlSlipData{Dossier: d, Office: o, Steps: []receipt.SlipStep{
		{At: d.ReceivedAt, From: "Người nộp", To: "Bộ phận Một cửa (Trần Văn Hưởng)", What: "Tiếp nhận", Timeliness: "Đúng hạn"},
		{At: at, From: "Bộ phận Một cửa", To: "Công chức Tư pháp – Hộ tịch", What: "Chuyển xử lý", Timeliness: "Đúng hạn"},
		{At: at.Add(50 * time.Hour), From: "Công chức Tư pháp – Hộ tịch", To: "Bộ phận Một cửa", What: "Có kết quả", Timeliness: "Quá hạn", Note: "Trễ 1 ngày làm việc"},
	}}); err != nil {
		t.Fatal(err)
	}
	row := dossier.TrackingRow{TrackingNo: 1361, Code: d.Code.String(), ProcedureName: d.ProcedureName,
		ApplicantName: d.Applicant.FullName, Address: "Thôn Thượng Phúc", Phone: "0912345678",
		ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, DoneAt: at, ReturnedAt: at.Add(2 * time.Hour), TransferredTo: "Công chức Tư pháp"}
	var lines []receipt.TrackingLine
	for k := range 40 {
		r := row
		r.TrackingNo += k
		lines = append(lines, receipt.TrackingLine{Row: r, Timeliness: "Đúng hạn"})
	}
	if out["07"], err = receipt.TrackingBook(receipt.TrackingBookData{Office: o, Lines: lines,
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, vn), To: time.Date(2026, 12, 1, 0, 0, 0, 0, vn)}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFormsPrintTheirTitleTheDossierAndWhatTheStepRecorded(t *testing.T) {
	forms := sampleForms(t)
	want := map[string][]string{
		"02": {"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mã hồ sơ: 000.00.06.H56-261123-1361",
			"Kính gửi: Ông/Bà Nguyễn Thị Phương Thảo", "1. Giấy chứng sinh (bản chính)",
			"2. Bản sao Giấy chứng nhận kết hôn của cha, mẹ có chứng thực", "Lý do: Hồ sơ thiếu giấy chứng sinh",
			"liên hệ với Trần Văn Hưởng, số điện thoại 0912345678", "NGƯỜI HƯỚNG DẪN", "Ngày 24 tháng 11 năm 2026",
			"UBND XÃ NGỌC THỤY ĐÔNG ANH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"không tính vào thời hạn giải quyết", "(16 giờ 00 phút, ngày 25/11/2026)",
			"tính lại theo số thời gian làm việc còn lại"},
		"03": {"PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Đăng ký khai sinh",
			"Việc khai sinh thuộc thẩm quyền của UBND xã nơi cư trú của người mẹ", "08 giờ 35 phút, ngày 23/11/2026",
			"NGƯỜI TIẾP NHẬN HỒ SƠ", "Lê Thị Lan"},
		"04": {"PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Thời gian trả kết quả đã hẹn: 16 giờ 00 phút, ngày 25/11/2026",
			"Lý do: Chờ kết quả xác minh của Công an xã", "vào: 16 giờ 00 phút, ngày 30/11/2026", "THỦ TRƯỞNG CƠ QUAN",
			"Thời hạn giải quyết hồ sơ theo quy định: 03 ngày làm việc"},
		"06": {"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Kèm theo hồ sơ của: Nguyễn Thị Phương Thảo",
			"Chuyển xử lý", "Quá hạn", "Trễ 1 ngày làm việc", "Hộ tịch"},
		"07": {"SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/11/2026 đến ngày 30/11/2026", "1361", "1400",
			"000.00.06.H56-261123-1361", "(tiếp theo)"},
	}
	for form, texts := range want {
		t.Run("form "+form, func(t *testing.T) {
			text := pdfText(t, forms[form])
			for _, w := range texts {
				if !strings.Contains(text, w) {
					t.Errorf("form %s lacks %q in:\n%s", form, w, text)
				}
			}
		})
	}
}

func TestFormsRenderAndTheTrackingBookIsLandscape(t *testing.T) {
	for form, pdf := range sampleForms(t) {
		img, err := preview.RenderPage(pdf, 0, 100)
		if err != nil {
			t.Fatalf("form %s: %v", form, err)
		}
		b := img.Bounds()
		if landscape := b.Dx() > b.Dy(); landscape != (form == "07") {
			t.Errorf("form %s: %dx%d", form, b.Dx(), b.Dy())
		}
		if *formsPNG == "" {
			continue
		}
		if err := os.MkdirAll(*formsPNG, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(*formsPNG, fmt.Sprintf("form%s.png", form)))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

func TestFormsRefuseMissingData(t *testing.T) {
	d := birthDossier(t, birthPapers[:1])
	o := testOffice()
	tests := []struct {
		name string
		err  error
	}{
		{"a supplement request without items", func() error {
			_, err := receipt.Supplement(receipt.SupplementData{Dossier: d, Office: o})
			return err
		}()},
		{"a refusal without a reason", func() error {
			_, err := receipt.Refusal(receipt.RefusalData{Dossier: d, Office: o})
			return err
		}()},
		{"an apology without a new date", func() error {
			_, err := receipt.Apology(receipt.ApologyData{Dossier: d, Office: o, Apology: dossier.Apology{Reason: "x"}})
			return err
		}()},
		{"a control slip without an office", func() error {
			_, err := receipt.ControlSlip(receipt.ControlSlipData{Dossier: d})
			return err
		}()},
		{"a tracking book without an office", func() error {
			_, err := receipt.TrackingBook(receipt.TrackingBookData{})
			return err
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, receipt.ErrFormData) {
				t.Fatalf("err = %v", tt.err)
			}
		})
	}
}
