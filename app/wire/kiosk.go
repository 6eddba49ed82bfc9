package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/png" // decodes the ticket's QR code
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/drivers/serialport"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
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
		Tries:         KioskRecords{Store: e.Store},
	}
	svc.Queue = &kiosk.Queue{Records: KioskRecords{Store: e.Store}, Services: svc.Services}
	svc.LinkState = e.KioskLink
	return svc, ks, nil
}

// KioskLink reads the device's link to the hub from the store, where the
// sync client records it (in this process or the counter's).
func (e *Env) KioskLink(ctx context.Context) (kiosk.LinkStatus, error) {
	st, err := client.Read(ctx, e.Store)
	return kiosk.LinkStatus{Enrolled: st.Enrolled, Online: st.Online, LastSuccess: st.LastSuccess}, err
}

// CounterQueue is the queue as this device's counter calls it: the
// counter's number is the device's slot ("Quầy 1" for slot 1).
func (e *Env) CounterQueue(ctx context.Context) (kiosk.CounterQueue, error) {
	svc, _, err := e.Kiosk(ctx)
	if err != nil {
		return kiosk.CounterQueue{}, err
	}
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return kiosk.CounterQueue{}, err
	}
	n := set.DeviceSlot
	if n <= 0 {
		n = 1
	}
	return kiosk.CounterQueue{Queue: svc.Queue, Counter: strconv.Itoa(n)}, nil
}

// KioskRecords adapts the store to kiosk.Records.
type KioskRecords struct{ Store *store.Store }

var (
	_ kiosk.Records      = KioskRecords{}
	_ kiosk.TryLog       = KioskRecords{}
	_ kiosk.QueueRecords = KioskRecords{}
)

func queued(t store.Ticket) kiosk.QueuedTicket {
	return kiosk.QueuedTicket{ID: t.ID, Service: t.Service, Number: t.Number, TakenAt: t.TakenAt,
		CalledAt: t.CalledAt, CalledBy: t.CalledBy}
}

// QueueToday reads today's tickets.
func (r KioskRecords) QueueToday(ctx context.Context) ([]kiosk.QueuedTicket, error) {
	ts, err := r.Store.TicketsToday(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]kiosk.QueuedTicket, len(ts))
	for i, t := range ts {
		out[i] = queued(t)
	}
	return out, nil
}

// CallNext calls the next waiting ticket.
func (r KioskRecords) CallNext(ctx context.Context, service, counter string) (kiosk.QueuedTicket, error) {
	t, err := r.Store.CallNextTicket(ctx, service, counter)
	if errors.Is(err, store.ErrNotFound) {
		return kiosk.QueuedTicket{}, kiosk.ErrQueueEmpty
	}
	return queued(t), err
}

// Recall calls a ticket again.
func (r KioskRecords) Recall(ctx context.Context, id int64, counter string) (kiosk.QueuedTicket, error) {
	t, err := r.Store.RecallTicket(ctx, id, counter)
	return queued(t), err
}

// LoadTries reads the kiosk's wrong-confirmation counters.
func (r KioskRecords) LoadTries(ctx context.Context, since time.Time) (map[string]kiosk.TryState, []time.Time, error) {
	tries, fails, err := r.Store.KioskTries(ctx, since)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]kiosk.TryState, len(tries))
	for _, t := range tries {
		out[t.Code] = kiosk.TryState{Fails: t.Fails, Until: t.LockedUntil, Last: t.LastAt}
	}
	return out, fails, nil
}

// SaveFailure stores a wrong confirmation.
func (r KioskRecords) SaveFailure(ctx context.Context, code string, st kiosk.TryState, at, forget time.Time) error {
	return r.Store.RecordKioskFailure(ctx, store.KioskTry{Code: code, Fails: st.Fails, LockedUntil: st.Until, LastAt: st.Last}, at, forget)
}

// ClearTries forgets a code's counter.
func (r KioskRecords) ClearTries(ctx context.Context, code string) error {
	return r.Store.ClearKioskTry(ctx, code)
}

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

// maxScanLine is the longest line a QR scanner may send; longer lines are
// dropped whole, never cut into something that parses.
const maxScanLine = 512

// ParseScannerPort reads the kiosk's serial QR scanner setting:
// "/dev/ttyACM0", "COM3", or either with "?baud=N" (default 9600).
func ParseScannerPort(s string) (serialport.Config, error) {
	name, query, _ := strings.Cut(strings.TrimSpace(s), "?")
	if name == "" {
		return serialport.Config{}, fmt.Errorf("qr scanner %q: no port", s)
	}
	cfg := serialport.DefaultConfig(name)
	if query != "" {
		v, err := url.ParseQuery(query)
		if err != nil {
			return serialport.Config{}, fmt.Errorf("qr scanner %q: %w", s, err)
		}
		for k := range v {
			if k != "baud" {
				return serialport.Config{}, fmt.Errorf("qr scanner %q: unknown option %q", s, k)
			}
		}
		if b := v.Get("baud"); b != "" {
			n, err := strconv.Atoi(b)
			if err != nil || n <= 0 || n > 4_000_000 {
				return serialport.Config{}, fmt.Errorf("qr scanner %q: baud %q", s, b)
			}
			cfg.Baud = n
		}
	}
	return cfg, nil
}

// ReadScanner reads a serial QR scanner until ctx ends: every code arrives
// as a line ended by CR, LF or both, and each non-empty line goes to scanned
// (kiosk.ScanInput). When the port cannot be opened or the scanner is
// unplugged it logs why and tries again every retry, so plugging the
// scanner back in needs no restart.
func ReadScanner(ctx context.Context, cfg serialport.Config, scanned func(string), log *slog.Logger, retry time.Duration) {
	lost := false
	for ctx.Err() == nil {
		p, err := serialport.Open(cfg)
		if err == nil {
			if lost {
				log.Info("qr scanner back", "port", cfg.Name)
				lost = false
			}
			err = scanLines(ctx, p, scanned)
			p.Close()
		}
		if ctx.Err() != nil {
			return
		}
		if !lost {
			log.Warn("qr scanner unavailable; retrying", "port", cfg.Name, "err", err)
			lost = true
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// scanLines splits what r sends into lines until ctx ends or r fails
// (serialport.ErrTimeout only gives ctx a look).
func scanLines(ctx context.Context, r io.Reader, scanned func(string)) error {
	buf := make([]byte, 256)
	line := make([]byte, 0, maxScanLine)
	overflow := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c == '\r' || c == '\n' {
				if !overflow && len(bytes.TrimSpace(line)) > 0 {
					scanned(string(line))
				}
				line, overflow = line[:0], false
				continue
			}
			if len(line) == maxScanLine {
				overflow = true
				continue
			}
			line = append(line, c)
		}
		if errors.Is(err, serialport.ErrTimeout) {
			continue
		}
		if err != nil {
			return err
		}
	}
}
