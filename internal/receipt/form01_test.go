package receipt_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
)

var vn = time.FixedZone("UTC+7", 7*60*60)

// pagePNG keeps page 1 of the sample receipt for a human to look at:
//
//	go test ./internal/receipt -run QRCode -args -receipt-png=/tmp/receipt_page1.png
var pagePNG = flag.String("receipt-png", "", "write page 1 of the sample receipt, rendered at 150 dpi, to this PNG file")

// testKey is a fixed office key so that failures are reproducible.
func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func testKeys() map[string]ed25519.PublicKey {
	pub := testKey().Public().(ed25519.PublicKey)
	return map[string]ed25519.PublicKey{receipt.KeyID(pub): pub}
}

var birthPapers = []dossier.Paper{
	{Name: "Tờ khai đăng ký khai sinh theo mẫu", Form: dossier.FormOriginal, Count: 1},
	{Name: "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh nơi trẻ em sinh ra cấp", Form: dossier.FormOriginal, Count: 1},
	{Name: "Giấy chứng nhận kết hôn của cha, mẹ trẻ em", Form: dossier.FormCertifiedCopy, Count: 1},
	{Name: "Văn bản ủy quyền được chứng thực theo quy định của pháp luật trong trường hợp ủy quyền thực hiện thủ tục đăng ký khai sinh", Form: dossier.FormOriginal, Count: 1},
	{Name: "Thẻ Căn cước của người đi đăng ký", Form: dossier.FormCopy, Count: 1},
	{Name: "Giấy tờ chứng minh nơi cư trú của cha, mẹ", Form: dossier.FormCopy, Count: 2},
	{Name: "Biên bản xác nhận việc trẻ bị bỏ rơi", Form: dossier.FormCertifiedCopy, Count: 1},
	{Name: "Văn bản thỏa thuận của cha, mẹ về việc lựa chọn quốc tịch cho con", Form: dossier.FormOriginal, Count: 3},
}

func birthDossier(t testing.TB, papers []dossier.Paper) *dossier.Dossier {
	t.Helper()
	code, err := dossier.NewCode("000.00.06.H56", time.Date(2026, 11, 23, 0, 0, 0, 0, vn), 1, 361)
	if err != nil {
		t.Fatal(err)
	}
	return &dossier.Dossier{
		Code:          code,
		ProcedureCode: "1.001193",
		ProcedureName: "Đăng ký khai sinh",
		Applicant: dossier.Applicant{
			FullName: "Nguyễn Thị Phương Thảo",
			IDNumber: "001186012345",
			Address:  "Số nhà 127, ngõ 45 đường Nguyễn Văn Cừ, tổ dân phố Đông Xuyên Thượng, xã Ngọc Thụy Đông Anh, thành phố Hà Nội",
			Phone:    "0912 345 678",
			Email:    "phuongthao.nguyen@example.vn",
		},
		Papers:         papers,
		Sets:           1,
		Fee:            50000,
		ProcessingTime: "03 ngày làm việc",
		ReceivedAt:     time.Date(2026, 11, 23, 8, 35, 0, 0, vn),
		DueAt:          time.Date(2026, 11, 25, 16, 0, 0, 0, vn),
		ReturnMethod:   dossier.ReturnByPost,
		ReturnAddress:  "Thôn Thượng Phúc, xã Tả Thanh Oai, thành phố Hà Nội",
		TrackingNo:     1361,
	}
}

func testOffice() receipt.Office {
	return receipt.Office{
		ParentName: "UBND thành phố Hà Nội",
		AgencyName: "UBND xã Ngọc Thụy Đông Anh",
		AgencyID:   "000.00.06.H56",
		Address:    "Số 1 đường Ngọc Thụy, xã Ngọc Thụy Đông Anh",
		Phone:      "024 3872 1234",
	}
}

// signedReceipt returns the receipt PDF of d and its QR payload.
func signedReceipt(t testing.TB, d *dossier.Dossier) ([]byte, string) {
	t.Helper()
	payload, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, testKey())
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := receipt.Receipt(receipt.ReceiptData{
		Dossier: d, Office: testOffice(), ClerkName: "Trần Văn Hưởng", QRPayload: payload,
	})
	if err != nil {
		t.Fatal(err)
	}
	return pdf, payload
}

// pdfText extracts the text of pdf with poppler's pdftotext, white space
// collapsed to single spaces.
func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is required for the receipt tests: install the Debian package poppler-utils (%v)", err)
	}
	in := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(append(args, "-enc", "UTF-8"), in, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestReceiptPrintsEveryFieldInVietnamese(t *testing.T) {
	d := birthDossier(t, birthPapers)
	pdf, _ := signedReceipt(t, d)
	layout := pdfText(t, pdf, "-layout")
	flow := pdfText(t, pdf)
	for _, want := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"UBND THÀNH PHỐ HÀ NỘI",
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Mã hồ sơ: 000.00.06.H56-261123-1361",
		"Tiếp nhận hồ sơ của: Nguyễn Thị Phương Thảo",
		"Số định danh cá nhân: 001186012345",
		"Số điện thoại: 0912 345 678",
		"Email: phuongthao.nguyen@example.vn",
		"Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
		"2. Số lượng hồ sơ: 01 bộ",
		"3. Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc",
		"4. Thời gian nhận hồ sơ: 08 giờ 35 phút, ngày 23/11/2026",
		"5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 25/11/2026",
		"6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích, theo địa chỉ: Thôn Thượng Phúc, xã Tả Thanh Oai, thành phố Hà Nội",
		"7. Phí, lệ phí: 50.000 đồng",
		"Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 1361",
		"NGƯỜI NỘP HỒ SƠ",
		"NGƯỜI TIẾP NHẬN HỒ SƠ",
		"(Ký và ghi rõ họ tên)",
		"Trần Văn Hưởng",
		"Liên 1: Giao người nộp hồ sơ",
		"Liên 2: Lưu tại Bộ phận Một cửa",
	} {
		if !strings.Contains(layout, want) {
			t.Errorf("pdftotext -layout lacks %q", want)
		}
	}
	// Wrapped text is whole in reading order.
	for _, want := range []string{
		"Địa chỉ: " + d.Applicant.Address,
	} {
		if !strings.Contains(flow, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	for _, p := range d.Papers {
		if !strings.Contains(flow, p.Name) {
			t.Errorf("paper %q is missing from the text", p.Name)
		}
	}
	if n := strings.Count(layout, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"); n != 2 {
		t.Errorf("the form is printed %d times, want 2 copies", n)
	}
	if n, err := preview.PageCount(pdf); err != nil || n != 2 {
		t.Errorf("PageCount = %d, %v; want 2 pages, one a copy", n, err)
	}
}

// decodeQR finds and decodes the QR code in img.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		t.Fatalf("no QR code decoded: %v", err)
	}
	return res.GetText()
}

func TestReceiptQRCodeDecodesToTheSignedPayloadAt150DPI(t *testing.T) {
	d := birthDossier(t, birthPapers)
	pdf, payload := signedReceipt(t, d)
	for page := range 2 {
		img, err := preview.RenderPage(pdf, page, 150)
		if err != nil {
			t.Fatal(err)
		}
		if page == 0 && *pagePNG != "" {
			writePNG(t, *pagePNG, img)
		}
		got := decodeQR(t, img)
		if got != payload {
			t.Fatalf("page %d QR = %q, want %q", page+1, got, payload)
		}
		p, err := receipt.Verify(got, testKeys())
		if err != nil {
			t.Fatalf("Verify(scanned QR): %v", err)
		}
		if p.Code != d.Code.String() || !p.DueAt.Equal(d.DueAt) || !p.ReceivedAt.Equal(d.ReceivedAt) {
			t.Fatalf("scanned payload %+v does not match the dossier", p)
		}
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReceiptWithFortyPapersFlowsOntoMorePages(t *testing.T) {
	papers := make([]dossier.Paper, 40)
	for k := range papers {
		papers[k] = dossier.Paper{
			Name:  fmt.Sprintf("Giấy tờ kèm theo số %02d về quyền sử dụng đất", k+1),
			Form:  dossier.PaperForm(k%3 + 1),
			Count: k%4 + 1,
		}
	}
	d := birthDossier(t, papers)
	pdf, payload := signedReceipt(t, d)
	n, err := preview.PageCount(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 || n%2 != 0 {
		t.Fatalf("40 papers take %d pages, want an even number of at least 4 (two copies)", n)
	}
	text := pdfText(t, pdf, "-layout")
	for _, p := range papers {
		if c := strings.Count(text, p.Name); c != 2 {
			t.Errorf("paper %q printed %d times, want once in each copy", p.Name, c)
		}
	}
	for _, want := range []string{"Liên 1 – Trang 1/", "Liên 2 – Trang 1/", "(tiếp theo)", "NGƯỜI TIẾP NHẬN HỒ SƠ"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// The second copy starts on a page of its own, with its own QR code.
	img, err := preview.RenderPage(pdf, n/2, 150)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, img); got != payload {
		t.Fatalf("QR on the first page of copy 2 = %q", got)
	}
}

func TestReceiptRejectsIncompleteOrMismatchedData(t *testing.T) {
	d := birthDossier(t, birthPapers)
	other := *d
	other.DueAt = d.DueAt.Add(24 * time.Hour)
	otherPayload, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: other.ReceivedAt, DueAt: other.DueAt}, testKey())
	if err != nil {
		t.Fatal(err)
	}
	noCode := *d
	noCode.Code = dossier.Code{}
	noDue := *d
	noDue.DueAt = time.Time{}
	for _, tt := range []struct {
		name string
		data receipt.ReceiptData
	}{
		{"no dossier", receipt.ReceiptData{Office: testOffice()}},
		{"dossier without a code", receipt.ReceiptData{Dossier: &noCode, Office: testOffice()}},
		{"dossier without an appointment", receipt.ReceiptData{Dossier: &noDue, Office: testOffice()}},
		{"office without a name", receipt.ReceiptData{Dossier: d}},
		{"QR payload that is not a payload", receipt.ReceiptData{Dossier: d, Office: testOffice(), QRPayload: "hello"}},
		{"QR payload promising another date", receipt.ReceiptData{Dossier: d, Office: testOffice(), QRPayload: otherPayload}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := receipt.Receipt(tt.data)
			if !errors.Is(err, receipt.ErrReceiptData) {
				t.Fatalf("Receipt error = %v, want ErrReceiptData", err)
			}
		})
	}
}

func TestReceiptsCanBeDrawnConcurrently(t *testing.T) {
	d := birthDossier(t, birthPapers)
	want, _ := signedReceipt(t, d)
	got := make([][]byte, 4)
	var wg sync.WaitGroup
	for k := range got {
		wg.Go(func() {
			pdf, err := receipt.Receipt(receipt.ReceiptData{Dossier: d, Office: testOffice(), ClerkName: "Trần Văn Hưởng",
				QRPayload: mustSign(t, receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, testKey())})
			if err != nil {
				t.Error(err)
			}
			got[k] = pdf
		})
	}
	wg.Wait()
	for k, pdf := range got {
		if n, err := preview.PageCount(pdf); err != nil || n != 2 {
			t.Fatalf("receipt %d drawn concurrently has %d pages, %v", k, n, err)
		}
		if !bytes.Equal(pdf, want) {
			t.Errorf("receipt %d drawn concurrently differs from the one drawn alone", k)
		}
	}
}

// word is a word pdftotext found, with its box in points from the page's
// top-left corner.
type word struct {
	page                   int
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	pageRE = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordRE = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// pdfWords returns every word of pdf with its box, via pdftotext -bbox.
func pdfWords(t *testing.T, pdf []byte) []word {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is required for the receipt tests: install the Debian package poppler-utils (%v)", err)
	}
	in := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []word
	page := -1
	for _, line := range strings.Split(string(out), "\n") {
		if pageRE.MatchString(line) {
			page++
			continue
		}
		m := wordRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := word{page: page, text: m[5]}
		for k, p := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
			if *p, err = strconv.ParseFloat(m[k+1], 64); err != nil {
				t.Fatal(err)
			}
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		t.Fatal("pdftotext found no words")
	}
	return words
}

func TestReceiptTextNeverOverlapsOrLeavesThePrintableArea(t *testing.T) {
	long := birthDossier(t, birthPapers)
	long.Applicant.FullName = strings.Repeat("Công Tằng Tôn Nữ Hoàng Phương ", 4) + "Thảo"
	long.Applicant.Address = strings.Repeat("Thôn Thượng Phúc, xã Tả Thanh Oai, huyện Thanh Trì, ", 8) + "thành phố Hà Nội"
	long.Applicant.Email = strings.Repeat("rat.dai.", 12) + "@example.vn"
	long.ProcedureName = strings.Repeat("Đăng ký khai sinh kết hợp đăng ký thường trú và cấp thẻ bảo hiểm y tế, ", 3)
	long.Papers = append(slices.Clone(birthPapers), dossier.Paper{
		Name: strings.Repeat("Giấy tờ chứng minh quan hệ nhân thân rất dài ", 60) + strings.Repeat("X", 200),
		Form: dossier.FormCopy, Count: 1,
	})
	forty := birthDossier(t, nil)
	for k := range 40 {
		forty.Papers = append(forty.Papers, dossier.Paper{Name: fmt.Sprintf("Giấy tờ số %d", k+1), Form: dossier.FormCopy, Count: 1})
	}
	const (
		left, right = 30 * 72 / 25.4, 595.28 - 15*72/25.4
		top, bottom = 20 * 72 / 25.4, 841.89 - 20*72/25.4
	)
	for _, tt := range []struct {
		name string
		d    *dossier.Dossier
	}{
		{"eight papers", birthDossier(t, birthPapers)},
		{"forty papers", forty},
		{"every field far too long", long},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pdf, _ := signedReceipt(t, tt.d)
			words := pdfWords(t, pdf)
			for _, w := range words {
				footer := w.yMin >= bottom+2 && w.yMax <= 841.89-5*72/25.4
				if w.xMin < left-1 || w.xMax > right+1 || w.yMin < top-1 || (w.yMax > bottom+1 && !footer) {
					t.Errorf("page %d: %q at (%.1f,%.1f)-(%.1f,%.1f) leaves the printable area", w.page+1, w.text, w.xMin, w.yMin, w.xMax, w.yMax)
				}
			}
			for a := range words {
				for c := a + 1; c < len(words); c++ {
					if p, q := words[a], words[c]; p.page == q.page && overlap(p, q) {
						t.Errorf("page %d: %q and %q overlap", p.page+1, p.text, q.text)
					}
				}
			}
		})
	}
}

// overlap reports whether two word boxes cover each other by more than the
// quarter of a line that adjacent lines' ascenders and descenders share.
func overlap(p, q word) bool {
	dx := min(p.xMax, q.xMax) - max(p.xMin, q.xMin)
	dy := min(p.yMax, q.yMax) - max(p.yMin, q.yMin)
	return dx > 0.5 && dy > 0.25*min(p.yMax-p.yMin, q.yMax-q.yMin)
}

func TestReceiptWithoutASigningKeyPrintsNoQRCode(t *testing.T) {
	pdf, err := receipt.Receipt(receipt.ReceiptData{Dossier: birthDossier(t, birthPapers), Office: testOffice(), ClerkName: "Trần Văn Hưởng"})
	if err != nil {
		t.Fatal(err)
	}
	img, err := preview.RenderPage(pdf, 0, 150)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := qrcode.NewQRCodeReader().Decode(bmp, nil); err == nil {
		t.Fatalf("found a QR code %q on a receipt without payload", res.GetText())
	}
	if text := pdfText(t, pdf, "-layout"); !strings.Contains(text, "Mã hồ sơ: 000.00.06.H56-261123-1361") || strings.Contains(text, "Quét mã") {
		t.Fatal("a receipt without QR code must still print the dossier code and no scanning hint")
	}
}
