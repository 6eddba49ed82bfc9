// Command demohub serves a provincial hub on loopback seeded with demo data
// for the review screens' screenshots (docs/screenshots/take-review.sh):
// three communes whose counter PCs received dossiers over the last 30 days
// and pushed them with their scans, some decided by a reviewer, and the
// account "thamdinh" (password Xem-xet-2026!) scoped to the three.
// It prints "URL <hub address>" and "SCAN <code of a dossier with scans>"
// on stdout, then serves until interrupted.
//
// usage: demohub DIR
package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/motcua/motcua/app/ui/review/reviewtest"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/protocol"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: demohub DIR")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "demohub:", err)
		os.Exit(1)
	}
}

var communes = [][2]string{
	{"000.00.06.H56", "UBND phường Ba Đình"},
	{"000.00.07.H56", "UBND xã Tân Phú"},
	{"000.00.08.H56", "UBND xã Phú Lộc"},
}

var (
	family = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"}
	middle = []string{"Thị", "Văn", "Minh", "Thu", "Hoàng", "Ngọc", "Đức"}
	given  = []string{"An", "Bình", "Cường", "Dung", "Hạnh", "Khánh", "Lan", "Nhung", "Phúc", "Quân", "Thảo", "Yến"}
)

func run(ctx context.Context, dir string) error {
	now := time.Now().In(reviewtest.VN)
	h, err := reviewtest.NewHub(ctx, dir, now)
	if err != nil {
		return err
	}
	defer h.Close()
	var codes []string
	for _, c := range communes {
		if err := h.AddCommune(ctx, c[0], c[1]); err != nil {
			return err
		}
		codes = append(codes, c[0])
	}
	if err := h.AddReviewer(ctx, "thamdinh", "Xem-xet-2026!", "Lê Thẩm Định", protocol.AccountReviewer, codes...); err != nil {
		return err
	}
	cal := calendar.New(calendar.DefaultHours())
	r := rand.New(rand.NewPCG(7, 9))
	day0 := time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, reviewtest.VN).AddDate(0, 0, -29)
	var scan string
	type rec struct {
		code string
		at   time.Time
	}
	var received []rec
	for i, c := range communes {
		dev, err := h.AddDevice(ctx, filepath.Join(dir, fmt.Sprintf("device-%d", i)), c[0], c[1])
		if err != nil {
			return err
		}
		for d := 0; d < 30; d++ {
			day := day0.AddDate(0, 0, d)
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			for k := range 1 + r.IntN(3) {
				at := day.Add(time.Duration(30+k*70+r.IntN(50)) * time.Minute)
				if at.After(now) {
					continue
				}
				h.Clock.Set(at)
				a := reviewtest.Applicant{
					Name:     family[r.IntN(len(family))] + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))],
					IDNumber: fmt.Sprintf("0011%08d", r.IntN(1e8)), Phone: fmt.Sprintf("09%08d", r.IntN(1e8)),
					Address: fmt.Sprintf("Số %d, %s", 1+r.IntN(90), c[1][5:]),
				}
				withScans := i == 0 && d >= 27
				code, err := h.Receive(ctx, dev, a, cal.AddWorkingDays(at, 3), withScans, withScans && k == 0)
				if err != nil {
					return err
				}
				if withScans && k == 0 {
					scan = code
				}
				if r.IntN(3) > 0 { // two in three applicants vote at the kiosk
					rating := store.RatingVerySatisfied
					if n := r.IntN(10); n >= 9 {
						rating = store.RatingNotSatisfied
					} else if n >= 6 {
						rating = store.RatingSatisfied
					}
					if _, err := dev.Store.RecordVote(ctx, store.Vote{At: at.Add(10 * time.Minute), Rating: rating,
						DossierCode: code, Source: "kiosk"}); err != nil {
						return err
					}
				}
				received = append(received, rec{code, at})
			}
		}
		h.Clock.Set(time.Time{}) // real time again: push now
		if err := dev.Push(ctx); err != nil {
			return fmt.Errorf("push %s: %w", c[0], err)
		}
		dev.Close()
	}
	// A reviewer decides on most of the older dossiers, through the API.
	rc := &protocol.ReviewClient{HubURL: h.URL()}
	if _, err := rc.Login(ctx, "thamdinh", "Xem-xet-2026!"); err != nil {
		return err
	}
	for _, x := range received {
		age := now.Sub(x.at)
		var outs []protocol.DecideRequest
		switch {
		case age > 8*24*time.Hour && r.IntN(10) < 8:
			outs = []protocol.DecideRequest{{Outcome: protocol.OutcomeProcessing}, {Outcome: protocol.OutcomeDone, Result: "Đã cấp"}}
		case age > 3*24*time.Hour && r.IntN(10) < 3:
			outs = []protocol.DecideRequest{{Outcome: protocol.OutcomeSupplement, Items: []string{"Giấy chứng sinh"},
				Reason: "Bổ sung bản chính", Note: "Bổ sung bản chính"}}
		case age > 2*24*time.Hour && r.IntN(10) < 4:
			outs = []protocol.DecideRequest{{Outcome: protocol.OutcomeProcessing}}
		}
		for j, o := range outs {
			// decided a few working hours or days after reception
			at := cal.AddWorkingDays(x.at, j+r.IntN(4)).Add(-time.Duration(r.IntN(120)) * time.Minute)
			if lo := x.at.Add(time.Duration(j+1) * time.Hour); at.Before(lo) {
				at = lo
			}
			if hi := now.Add(-time.Minute); at.After(hi) {
				at = hi
			}
			h.Clock.Set(at)
			if _, err := rc.Decide(ctx, x.code, o); err != nil {
				return fmt.Errorf("decide %s: %w", x.code, err)
			}
		}
	}
	h.Clock.Set(time.Time{})
	fmt.Printf("URL %s\nSCAN %s\n", h.URL(), scan)
	<-ctx.Done()
	return nil
}
