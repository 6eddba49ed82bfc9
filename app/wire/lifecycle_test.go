package wire_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/reception"
)

func TestEveryLifecycleFormRendersFromWhatTheStoreRecorded(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, calendar.VN)
	env, err := wire.Open(ctx, t.TempDir(), wire.Options{Now: func() time.Time { return now }, Printer: &recordingPrinter{},
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if err := env.Provision(ctx, office); err != nil {
		t.Fatal(err)
	}
	clerk, err := env.Auth.Create(ctx, "canbo", "Nguyễn Thị Hồng Nhung", auth.RoleClerk, "Mat-khau-2026")
	if err != nil {
		t.Fatal(err)
	}
	leader, err := env.Store.Account(ctx, "lanhdao")
	if err != nil {
		t.Fatal(err)
	}
	papers := env.Reception.PapersFor("1.004194")
	for i := range papers {
		papers[i].Count = 1
	}
	receive := func() *dossier.Dossier {
		d, err := env.Reception.Receive(ctx, clerk, reception.Draft{ProcedureCode: "1.004194",
			Applicant: dossier.Applicant{FullName: "Lê Văn Tám", IDNumber: "001085001234", Address: "Ba Đình"},
			Papers:    papers, Sets: 1})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	l := env.Lifecycle
	a := receive()
	if a, err = l.RequestSupplement(ctx, clerk, a.ID, a.Status, dossier.Supplement{Items: []string{"Sổ hộ khẩu"}, Reason: "Thiếu"}); err != nil {
		t.Fatal(err)
	}
	if a, err = l.Apologise(ctx, leader, a.ID, a.Status, a.DueAt.Add(48*time.Hour), "Chờ xác minh", false); err != nil {
		t.Fatal(err)
	}
	if a, err = l.Close(ctx, leader, a.ID, a.Status, dossier.ActionRefuse, "Không đủ điều kiện"); err != nil {
		t.Fatal(err)
	}
	forms := env.NewForms()
	for _, f := range []string{"02", "03", "04", "06"} {
		pdf, err := forms.FormPDF(ctx, f, a)
		if err != nil {
			t.Fatalf("form %s: %v", f, err)
		}
		if n, err := preview.PageCount(pdf); err != nil || n < 1 {
			t.Fatalf("form %s: %d pages, %v", f, n, err)
		}
	}
	b := receive()
	if _, err := forms.FormPDF(ctx, "03", b); err == nil {
		t.Error("a refusal form for a dossier that was not refused")
	}
	reps := env.NewReports()
	f, err := reps.Dashboard(ctx)
	if err != nil || f.ReceivedToday != 2 || len(f.ByProcedure) != 1 || f.ByProcedure[0].Name != "Đăng ký tạm trú" {
		t.Fatalf("dashboard %+v, %v", f, err)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.VN)
	pdf, err := reps.TrackingBookPDF(ctx, from, from.AddDate(0, 1, 0))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("tracking book: %v", err)
	}
}
