package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/png" // decodes the ticket's QR code
	"time"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/store"
)

// Kiosk builds the citizen kiosk's directory over this device's store, its
// catalog and its trusted receipt keys, with the kiosk's settings.
func (e *Env) Kiosk(ctx context.Context) (*kiosk.Service, store.KioskSettings, error) {
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return nil, store.KioskSettings{}, err
	}
	ks, err := e.Store.KioskSettings(ctx)
	if err != nil {
		return nil, store.KioskSettings{}, err
	}
	hours := calendar.DefaultHours()
	if set.OfficeHours != "" {
		if h, err := calendar.ParseHours(set.OfficeHours); err == nil {
			hours = h
		}
	}
	svc := &kiosk.Service{
		Records: KioskRecords{Store: e.Store},
		Catalog: e.Catalog,
		Keys:    e.Receipts.VerifyKeys,
		OfficeInfo: kiosk.Office{
			AgencyID: set.AgencyID, Name: set.AgencyName, ParentName: set.ParentName, Address: set.Address,
			Phone: set.Phone, Hours: hours.String(), ReturnPlace: set.ReturnPlace,
		},
		QueueServices: ks.Services,
		Now:           e.Now,
	}
	return svc, ks, nil
}

// KioskRecords adapts the store to kiosk.Records.
type KioskRecords struct{ Store *store.Store }

var _ kiosk.Records = KioskRecords{}

// Dossier reads a dossier by its code.
func (r KioskRecords) Dossier(ctx context.Context, code string) (*dossier.Dossier, error) {
	d, err := r.Store.DossierByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, kiosk.ErrNotFound
	}
	return d, err
}

// TakeTicket issues a queue number and counts who waits before it.
func (r KioskRecords) TakeTicket(ctx context.Context, service string) (int, time.Time, int, error) {
	t, err := r.Store.TakeTicket(ctx, service)
	if err != nil {
		return 0, time.Time{}, 0, err
	}
	n, err := r.Store.WaitingTickets(ctx, service)
	if err != nil {
		n = 1 // the number is issued; only the count is unknown
	}
	return t.Number, t.TakenAt, max(n-1, 0), nil
}

// RecordVote stores a kiosk vote.
func (r KioskRecords) RecordVote(ctx context.Context, rt kiosk.Rating, code string) error {
	_, err := r.Store.RecordVote(ctx, store.Vote{Rating: store.Rating(rt), DossierCode: code, Source: "kiosk"})
	return err
}

// PDFTicketPrinter prints a queue ticket as a small PDF (80 mm wide, the
// width of a receipt roll) on a system printer: the fallback when no ESC/POS
// thermal printer is configured.
type PDFTicketPrinter struct {
	Printer Printer
}

var _ kiosk.TicketPrinter = PDFTicketPrinter{}

// PrintTicket renders and prints the ticket.
func (p PDFTicketPrinter) PrintTicket(ctx context.Context, o kiosk.Office, t kiosk.Ticket) error {
	if p.Printer == nil {
		return kiosk.ErrNoPrinter
	}
	pdf, err := TicketPDF(o, t)
	if err != nil {
		return err
	}
	if err := p.Printer.PrintPDF(ctx, pdf, 1, "motcua-ticket"); err != nil {
		return fmt.Errorf("%w: %v", kiosk.ErrNoPrinter, err)
	}
	return nil
}

var vn = time.FixedZone("ICT", 7*3600)

// TicketPDF draws a queue ticket: office, service, the number in large
// type, the time taken, the people waiting before it and a QR code.
func TicketPDF(o kiosk.Office, t kiosk.Ticket) ([]byte, error) {
	const w, h, margin = 226.8, 340.0, 12.0 // 80 mm × 120 mm in points
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: w, H: h}, Unit: gopdf.UnitPT})
	pdf.AddPage()
	if err := pdf.AddTTFFontData("noto", assets.MustRead("fonts/NotoSans-Regular.ttf")); err != nil {
		return nil, fmt.Errorf("ticket: %w", err)
	}
	if err := pdf.AddTTFFontData("noto-bold", assets.MustRead("fonts/NotoSans-Bold.ttf")); err != nil {
		return nil, fmt.Errorf("ticket: %w", err)
	}
	y := margin
	line := func(font string, size float64, text string) error {
		if err := pdf.SetFont(font, "", size); err != nil {
			return err
		}
		lines, err := pdf.SplitTextWithWordWrap(text, w-2*margin)
		if err != nil {
			return err
		}
		for _, l := range lines {
			tw, _ := pdf.MeasureTextWidth(l)
			pdf.SetXY((w-tw)/2, y)
			if err := pdf.Text(l); err != nil {
				return err
			}
			y += size * 1.3
		}
		return nil
	}
	taken := t.TakenAt.In(vn)
	steps := []struct {
		font string
		size float64
		text string
	}{
		{"noto-bold", 10, o.Name},
		{"noto", 9, "BỘ PHẬN MỘT CỬA – PHIẾU SỐ THỨ TỰ"},
		{"noto", 10, t.Service},
		{"noto-bold", 44, t.Label},
		{"noto", 9, taken.Format("15:04 02/01/2006")},
		{"noto", 9, fmt.Sprintf("Số người chờ trước bạn: %d", t.Waiting)},
	}
	for i, s := range steps {
		if i == 3 {
			y += 40
		}
		if err := line(s.font, s.size, s.text); err != nil {
			return nil, fmt.Errorf("ticket: %w", err)
		}
		if i == 3 {
			y += 4
		}
	}
	if t.QR != "" {
		png, err := receipt.QRPNG(t.QR, 240)
		if err != nil {
			return nil, fmt.Errorf("ticket: %w", err)
		}
		img, _, err := image.Decode(bytes.NewReader(png))
		if err != nil {
			return nil, fmt.Errorf("ticket: %w", err)
		}
		const side = 90.0
		if err := pdf.ImageFrom(img, (w-side)/2, y+4, &gopdf.Rect{W: side, H: side}); err != nil {
			return nil, fmt.Errorf("ticket: %w", err)
		}
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("ticket: %w", err)
	}
	return buf.Bytes(), nil
}

// TicketPrinter returns the kiosk's ticket printer: the ESC/POS thermal
// printer at ks.TicketPrinter when one is set, else a PDF ticket on the
// system printer (the Env's printer).
func (e *Env) TicketPrinter(ks store.KioskSettings) (kiosk.TicketPrinter, error) {
	if ks.TicketPrinter == "" {
		return PDFTicketPrinter{Printer: e.Receipts.Printer}, nil
	}
	open, err := escpos.ParseURI(ks.TicketPrinter)
	if err != nil {
		return nil, err
	}
	return ESCPOSTicketPrinter{Printer: &escpos.Printer{Open: open, Fonts: escpos.Fonts{
		Regular: assets.MustRead("fonts/NotoSans-Regular.ttf"), Bold: assets.MustRead("fonts/NotoSans-Bold.ttf"),
	}}}, nil
}

// ESCPOSTicketPrinter prints queue tickets on an ESC/POS thermal printer.
type ESCPOSTicketPrinter struct {
	Printer *escpos.Printer
}

var _ kiosk.TicketPrinter = ESCPOSTicketPrinter{}

// PrintTicket prints the ticket; any failure is kiosk.ErrNoPrinter.
func (p ESCPOSTicketPrinter) PrintTicket(ctx context.Context, o kiosk.Office, t kiosk.Ticket) error {
	if err := p.Printer.PrintTicket(ctx, TicketSlip(o, t)); err != nil {
		return fmt.Errorf("%w: %v", kiosk.ErrNoPrinter, err)
	}
	return nil
}

// TicketSlip lays a queue ticket out for a thermal printer.
func TicketSlip(o kiosk.Office, t kiosk.Ticket) escpos.Ticket {
	c := escpos.AlignCenter
	return escpos.Ticket{
		Lines: []escpos.Line{
			{Text: o.Name, Size: 11, Bold: true, Align: c},
			{Text: "BỘ PHẬN MỘT CỬA – PHIẾU SỐ THỨ TỰ", Align: c},
			{Text: t.Service, Size: 11, Align: c},
			{Text: t.Label, Size: 48, Bold: true, Align: c},
			{Text: t.TakenAt.In(vn).Format("15:04 02/01/2006"), Align: c},
			{Text: fmt.Sprintf("Số người chờ trước bạn: %d", t.Waiting), Align: c},
		},
		QR:     t.QR,
		Footer: []escpos.Line{{Text: "Xin chờ gọi số. Cảm ơn ông/bà!", Align: c}},
	}
}
