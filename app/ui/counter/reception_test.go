package counter_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/counter/wizard"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
)

const (
	applicantName = "Nguyễn Thị Hồng Nhung"
	goodID        = "001190123456" // Hà Nội, 20th century female, born 1990
	badID         = "0011901234"   // 10 digits
)

func TestReceptionWalkthrough(t *testing.T) {
	env, w, c := open(t)
	login(t, c)
	r := c.Reception
	ctx := context.Background()

	// Step 1: the search ignores diacritics.
	test.Type(r.Search, "dang ky khai sinh")
	pick := -1
	for i, p := range r.Results() {
		if p.Name == "Đăng ký khai sinh" {
			pick = i
		}
	}
	if pick < 0 {
		t.Fatalf("'Đăng ký khai sinh' not among %d results", len(r.Results()))
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepProcedure || r.Fields["procedure"].ErrorText() != "Chưa chọn thủ tục hành chính." {
		t.Fatalf("Next without a procedure: step %d, error %q", r.Wizard.Step, r.Fields["procedure"].ErrorText())
	}
	r.Procedures.Select(pick)
	if !strings.Contains(r.Chosen.Text, "Đăng ký khai sinh") {
		t.Fatalf("chosen label %q", r.Chosen.Text)
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepApplicant {
		t.Fatalf("step %d after choosing the procedure", r.Wizard.Step)
	}
	if r.Focused() != r.Name {
		t.Errorf("the name entry should have the focus on step 2")
	}

	// Step 2, with a wrong ID number first.
	test.Type(r.Name, applicantName)
	test.Type(r.IDNumber, badID)
	test.Type(r.BirthDate, "05/03/1990")
	r.Sex.SetSelected("Nữ")
	test.Type(r.Address, "Thôn Đông, xã Tân Phú, tỉnh Đồng Nai")
	test.Type(r.Phone, "0912 345 678")
	test.Type(r.Email, "nhung@example.vn")
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepApplicant {
		t.Fatal("a wrong ID number was accepted")
	}
	if got := r.Fields["id_number"].ErrorText(); got != "Số định danh cá nhân phải gồm đúng 12 chữ số." {
		t.Fatalf("ID error label %q", got)
	}
	if !showing(w, r.Fields["id_number"].Error) {
		t.Fatal("the ID error label is not visible")
	}
	if r.Focused() != r.IDNumber {
		t.Error("the bad ID number should have the focus")
	}
	r.IDNumber.SetText("")
	test.Type(r.IDNumber, goodID)
	if got := r.Fields["id_number"].ErrorText(); got != "" {
		t.Fatalf("error %q stays after the ID was fixed", got)
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepPapers {
		t.Fatalf("step %d, errors %v", r.Wizard.Step, r.Wizard.Errors())
	}

	// Step 3: nothing ticked is refused; tick two papers, add one.
	test.Tap(r.Next)
	if got := r.Fields["papers"].ErrorText(); got != "Chưa đánh dấu giấy tờ nào công dân nộp." {
		t.Fatalf("papers error %q", got)
	}
	if len(r.PaperRows) < 2 {
		t.Fatalf("%d paper rows", len(r.PaperRows))
	}
	test.Tap(r.PaperRows[0].Check)
	test.Tap(r.PaperRows[1].Check)
	r.PaperRows[1].Form.SetSelected("Bản sao chứng thực")
	test.Type(r.ExtraName, "Giấy ủy quyền")
	test.Tap(r.AddPaper)
	if r.Fields["papers"].ErrorText() != "" {
		t.Fatalf("papers error stays: %q", r.Fields["papers"].ErrorText())
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepSummary {
		t.Fatalf("step %d, errors %v", r.Wizard.Step, r.Wizard.Errors())
	}

	// Step 4: fee and appointment as the service quotes them now.
	q, err := env.Reception.Quote(r.Wizard.Current())
	if err != nil {
		t.Fatal(err)
	}
	if want := "Lệ phí: " + widgets.Money(q.Fee); r.Fee.Text != want {
		t.Errorf("fee %q, want %q", r.Fee.Text, want)
	}
	if want := "Hẹn trả kết quả: " + widgets.Appointment(q.DueAt); r.Due.Text != want {
		t.Errorf("appointment %q, want %q", r.Due.Text, want)
	}
	if !strings.Contains(r.Due.Text, "thứ Hai") && !strings.Contains(r.Due.Text, "thứ ") {
		t.Errorf("appointment without a Vietnamese weekday: %q", r.Due.Text)
	}
	// the quote follows the clock: after 15:00 a same-day procedure moves on
	env.Clock.Set(time.Date(2026, 11, 23, 16, 0, 0, 0, widgets.Zone))
	test.Type(r.Note, "Nộp thay mẹ")
	q2, _ := env.Reception.Quote(r.Wizard.Current())
	if want := "Hẹn trả kết quả: " + widgets.Appointment(q2.DueAt); r.Due.Text != want {
		t.Errorf("appointment not recomputed: %q, want %q", r.Due.Text, want)
	}
	env.Clock.Set(time.Date(2026, 11, 23, 9, 30, 0, 0, widgets.Zone))

	// Save with an error: by post without an address.
	r.ReturnMethod.SetSelected("Qua dịch vụ bưu chính công ích")
	test.Tap(r.Save)
	if got := r.Fields["return_address"].ErrorText(); got != "Nhận kết quả qua bưu chính cần có địa chỉ nhận." {
		t.Fatalf("return address error %q", got)
	}
	if r.Focused() != r.ReturnAddress {
		t.Error("the missing address should have the focus")
	}
	test.Type(r.ReturnAddress, "Thôn Đông, xã Tân Phú")
	test.Tap(r.Save)
	c.Wait()
	if r.Wizard.Saved == nil {
		t.Fatalf("not saved; errors %v", r.Wizard.Errors())
	}

	// The preview shows the receipt, both copies.
	if c.Preview == nil || !showing(w, c.Preview.Content()) {
		t.Fatal("receipt preview not shown")
	}
	if n := c.Preview.PageCount(); n < 2 {
		t.Fatalf("preview has %d pages, want both copies", n)
	}

	// The dossier as saved, read back through the Dossiers interface.
	page, err := c.Services().Dossiers.List(ctx, dossier.Query{Text: "hong nhung"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("search saved dossier: %v, %d items", err, len(page.Items))
	}
	d, err := c.Services().Dossiers.Dossier(ctx, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Applicant
	if a.FullName != applicantName || a.IDNumber != goodID || a.Sex != dossier.SexFemale ||
		a.BirthDate.Format("02/01/2006") != "05/03/1990" || a.Email != "nhung@example.vn" ||
		!strings.Contains(a.Address, "Thôn Đông") {
		t.Errorf("applicant saved as %+v", a)
	}
	if !strings.HasPrefix(d.Code.String(), "000.00.06.H56-261123-1") {
		t.Errorf("code %q", d.Code)
	}
	if d.ProcedureName != "Đăng ký khai sinh" || d.ReturnMethod != dossier.ReturnByPost || d.Note != "Nộp thay mẹ" {
		t.Errorf("dossier %+v", d)
	}
	if len(d.Papers) != 3 || d.Papers[1].Form != dossier.FormCertifiedCopy || d.Papers[2].Name != "Giấy ủy quyền" {
		t.Errorf("papers %+v", d.Papers)
	}
	if d.Code.String() != r.Wizard.Saved.Code.String() {
		t.Errorf("preview for %s, store has %s", r.Wizard.Saved.Code, d.Code)
	}

	// Print: first without a printer, then with one.
	env.PrintErr = errors.New("no printer")
	test.Tap(c.Preview.Print)
	c.Wait()
	if c.Preview.Status.Text != "Không in được giấy tiếp nhận. Kiểm tra máy in (đã bật, có giấy, đã kết nối) rồi bấm In lại." {
		t.Errorf("print failure status %q", c.Preview.Status.Text)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("no error dialog after a failed print")
	}
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	env.PrintErr = nil
	test.Tap(c.Preview.Print)
	c.Wait()
	files := env.PrintedFiles()
	if len(files) != 1 {
		t.Fatalf("printed %d files", len(files))
	}
	if b, _ := os.ReadFile(files[0]); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Error("printed file is not a PDF")
	}

	// New reception: an empty wizard on step 1.
	test.Tap(c.Preview.New)
	if c.Preview != nil || r.Wizard.Step != wizard.StepProcedure || r.Name.Text != "" || r.Wizard.Saved != nil {
		t.Fatal("new reception did not start empty")
	}
	if !showing(w, r.Content()) {
		t.Fatal("wizard not shown after 'Tiếp nhận hồ sơ mới'")
	}
}

func TestBackKeepsWhatWasTyped(t *testing.T) {
	_, _, c := open(t)
	login(t, c)
	r := c.Reception
	test.Type(r.Search, "khai sinh")
	r.Procedures.Select(0)
	test.Tap(r.Next)
	test.Type(r.Name, applicantName)
	test.Tap(r.Back)
	if r.Wizard.Step != wizard.StepProcedure || !r.Back.Disabled() {
		t.Fatalf("step %d after Back", r.Wizard.Step)
	}
	test.Tap(r.Next)
	if r.Name.Text != applicantName || r.Wizard.Draft.Applicant.FullName != applicantName {
		t.Fatal("name lost after Back and Next")
	}
}

func TestFillApplicantFromIDCard(t *testing.T) {
	_, _, c := open(t)
	login(t, c)
	r := c.Reception
	test.Type(r.Search, "dang ky khai sinh")
	r.Procedures.Select(0)
	test.Tap(r.Next)
	r.FillApplicant(dossier.Applicant{FullName: applicantName, IDNumber: goodID,
		BirthDate: time.Date(1990, 3, 5, 0, 0, 0, 0, time.UTC), Sex: dossier.SexFemale, Address: "Xã Tân Phú"})
	a := r.Wizard.Current().Applicant
	if a.FullName != applicantName || a.IDNumber != goodID || a.Sex != dossier.SexFemale || a.BirthDate.Year() != 1990 || r.BirthDate.Text != "05/03/1990" {
		t.Fatalf("filled %+v", a)
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepPapers {
		t.Fatalf("filled applicant refused: %v", r.Wizard.Errors())
	}
}
