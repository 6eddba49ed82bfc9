package wire_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/reception"
)

type recordingPrinter struct{ jobs [][]byte }

func (p *recordingPrinter) PrintPDF(_ context.Context, pdf []byte, copies int, _ string) error {
	for i := 0; i < copies; i++ {
		p.jobs = append(p.jobs, pdf)
	}
	return nil
}

var office = wire.Office{AgencyID: "000.00.06.H56", AgencyName: "UBND phường Ba Đình", Slot: 1,
	AdminLogin: "lanhdao", AdminName: "Trần Văn Lãnh", AdminPassword: "Mat-khau-2026"}

func TestAReceiptFromASavedDossierCarriesAVerifiableQR(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, calendar.VN)
	pr := &recordingPrinter{}
	env, err := wire.Open(ctx, t.TempDir(), wire.Options{Now: func() time.Time { return now }, Printer: pr,
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if ok, _ := env.Provisioned(ctx); ok {
		t.Fatal("a new data directory claims to be provisioned")
	}
	if err := env.Provision(ctx, office); err != nil {
		t.Fatal(err)
	}
	if err := env.Provision(ctx, office); !errors.Is(err, wire.ErrProvisioned) {
		t.Fatalf("second Provision: %v", err)
	}
	clerk, err := env.Auth.Create(ctx, "canbo", "Nguyễn Thị Hồng Nhung", auth.RoleClerk, "Mat-khau-2026")
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Reception.Receive(ctx, clerk, reception.Draft{
		ProcedureCode: "2.000884", // Chứng thực chữ ký
		Applicant: dossier.Applicant{FullName: "Phạm Văn Đức", IDNumber: "079085001234",
			Address: "Thôn Đông, xã Tả Thanh Oai"},
		Papers: []dossier.Paper{{Name: "Giấy tờ cần chứng thực chữ ký", Form: dossier.FormOriginal, Count: 1}},
		Sets:   1,
	})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := env.Receipts.ReceiptPDF(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := env.Receipts.PageCount(pdf); err != nil || n != 2 {
		t.Fatalf("pages = %d (%v), want the two copies", n, err)
	}
	if err := env.Receipts.Print(ctx, pdf); err != nil || len(pr.jobs) != 1 {
		t.Fatalf("print: %v, %d jobs", err, len(pr.jobs))
	}
	// The QR payload the PDF embeds is the one Sign makes for this dossier
	// with this device's key; VerifyKeys must accept it.
	key, err := env.Store.DeviceKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := env.Receipts.VerifyKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := receipt.Verify(payload, keys)
	if err != nil || p.Code != d.Code.String() {
		t.Fatalf("verify: %+v %v", p, err)
	}
	if _, err := env.Receipts.ReceiptPDF(ctx, &dossier.Dossier{}); err == nil {
		t.Fatal("a receipt was made for an unsaved dossier")
	}
}
