package counter_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

func TestTheLeaderOpensTheTrackingBookForAnyDateRange(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 12, 4) // 4 received on 24/10, 8 on 23/11
	addLeader(t, env)
	loginAs(t, c, leaderLogin, leaderPassword)
	test.Tap(c.Home.OpenBookButton)
	c.Wait()
	b := c.Home.Book
	if b == nil {
		t.Fatal("no tracking book")
	}
	// opens on this month
	if b.From.Text != "01/11/2026" || b.To.Text != "30/11/2026" || len(b.Rows) != 8 ||
		b.Count.Text != "8 hồ sơ tiếp nhận từ ngày 01/11/2026 đến ngày 30/11/2026" {
		t.Fatalf("this month: %s–%s, %d rows, %q", b.From.Text, b.To.Text, len(b.Rows), b.Count.Text)
	}
	test.Tap(b.Quick[report.RangeLastMonth])
	c.Wait()
	if b.From.Text != "01/10/2026" || b.To.Text != "31/10/2026" || len(b.Rows) != 4 {
		t.Fatalf("last month: %s–%s, %d rows", b.From.Text, b.To.Text, len(b.Rows))
	}
	if got := b.Cell(0, 7); got != "Quá hạn 20 ngày làm việc" { // due Mon 26/10 17:00; 19 days and a morning since
		t.Errorf("timeliness of an October dossier never processed: %q", got)
	}
	if b.Cell(0, 2) == "" || !strings.HasPrefix(b.Cell(0, 1), "000.00.06.H56-261024-") || b.Cell(0, 6) != "Đã tiếp nhận" {
		t.Errorf("line 1: %q %q %q", b.Cell(0, 1), b.Cell(0, 2), b.Cell(0, 6))
	}

	// bad input is explained and loses nothing
	b.From.SetText("31/02/2026")
	test.Tap(b.Show)
	c.Wait()
	if !strings.Contains(b.Error.Text, "Ngày bắt đầu không hợp lệ") || len(b.Rows) != 4 || b.From.Text != "31/02/2026" {
		t.Fatalf("bad first day: %q, %d rows", b.Error.Text, len(b.Rows))
	}
	b.From.SetText("30/11/2026")
	b.To.SetText("1/11/2026")
	test.Tap(b.Show)
	c.Wait()
	if b.Error.Text != "Ngày kết thúc không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026." {
		t.Fatalf("bad last day: %q", b.Error.Text)
	}
	b.To.SetText("01/11/2026")
	test.Tap(b.Show)
	c.Wait()
	if b.Error.Text != "Ngày kết thúc phải cùng ngày hoặc sau ngày bắt đầu." {
		t.Fatalf("reversed range: %q", b.Error.Text)
	}

	// an arbitrary range across two months
	b.From.SetText("20/10/2026")
	b.To.SetText("23/11/2026")
	test.Tap(b.Show)
	c.Wait()
	if b.Error.Text != "" || len(b.Rows) != 12 || b.Range.FileTag() != "2026-10-20_2026-11-23" {
		t.Fatalf("range: %q, %d rows, %s", b.Error.Text, len(b.Rows), b.Range.FileTag())
	}
	for k := 1; k < len(b.Rows); k++ {
		if b.Rows[k].ReceivedAt.Before(b.Rows[k-1].ReceivedAt) {
			t.Fatalf("lines not in reception order at %d", k)
		}
	}
	test.Tap(b.Quick[report.RangeThisQuarter])
	c.Wait()
	if b.From.Text != "01/10/2026" || b.To.Text != "31/12/2026" || len(b.Rows) != 12 {
		t.Fatalf("this quarter: %s–%s, %d rows", b.From.Text, b.To.Text, len(b.Rows))
	}
	test.Tap(b.Quick[report.RangeThisYear])
	c.Wait()
	if b.From.Text != "01/01/2026" || b.To.Text != "31/12/2026" || len(b.Rows) != 12 {
		t.Fatalf("this year: %s–%s, %d rows", b.From.Text, b.To.Text, len(b.Rows))
	}

	// preview of the printed first page, print, PDF and CSV of the range
	test.Tap(b.Quick[report.RangeLastMonth])
	c.Wait()
	test.Tap(b.PreviewPDF)
	c.Wait()
	if b.Page.Image == nil || b.Page.Image.Bounds().Dx() <= b.Page.Image.Bounds().Dy() ||
		b.Pages.Text != "Sổ từ ngày 01/10/2026 đến ngày 31/10/2026: 1 trang" {
		t.Fatalf("preview: image %v, %q", b.Page.Image != nil, b.Pages.Text)
	}
	test.Tap(b.Print)
	c.Wait()
	files := env.PrintedFiles()
	if len(files) != 1 {
		t.Fatalf("printed %v: %q", files, b.Message.Text)
	}
	if txt := pdfTextOf(t, files[0]); !strings.Contains(txt, "Từ ngày 01/10/2026 đến ngày 31/10/2026") ||
		strings.Count(txt, "000.00.06.H56-261024-") != 4 || strings.Contains(txt, "-261123-") {
		t.Fatalf("printed book:\n%s", txt)
	}
	if b.Message.Text != "Đã gửi mẫu 07 tới máy in." {
		t.Errorf("message %q", b.Message.Text)
	}
	dir := t.TempDir()
	pdfFile, csvFile := filepath.Join(dir, "so.pdf"), filepath.Join(dir, "so.csv")
	for name, write := range map[string]func(f *os.File) error{
		pdfFile: func(f *os.File) error { return b.WritePDF(f) },
		csvFile: func(f *os.File) error { return b.WriteCSV(f) },
	} {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
	}
	if txt := pdfTextOf(t, pdfFile); !strings.Contains(txt, "SỔ THEO DÕI HỒ SƠ") || strings.Count(txt, "-261024-") != 4 {
		t.Fatalf("saved PDF:\n%s", txt)
	}
	csv, _ := os.ReadFile(csvFile)
	if lines := strings.Split(strings.TrimRight(string(csv), "\r\n"), "\r\n"); len(lines) != 5 ||
		!strings.HasPrefix(lines[0], "\ufeffSTT sổ,") || !strings.Contains(lines[1], "-261024-") {
		t.Fatalf("saved CSV:\n%s", csv)
	}
	b.Close()
}

func TestTheHomeScreenShowsTheSatisfactionVotes(t *testing.T) {
	env, _, c := open(t)
	seed(t, env, 2, 0)
	ctx := context.Background()
	for k, r := range []store.Rating{store.RatingVerySatisfied, store.RatingVerySatisfied, store.RatingVerySatisfied,
		store.RatingSatisfied, store.RatingNotSatisfied} {
		if _, err := env.Store.RecordVote(ctx, store.Vote{At: uitest.Start.Add(-time.Duration(k) * 24 * time.Hour),
			Rating: r, Source: "kiosk"}); err != nil {
			t.Fatal(err)
		}
	}
	// 40 days ago: outside the last 30 days
	if _, err := env.Store.RecordVote(ctx, store.Vote{At: uitest.Start.AddDate(0, 0, -40), Rating: store.RatingNotSatisfied, Source: "kiosk"}); err != nil {
		t.Fatal(err)
	}
	addLeader(t, env)
	loginAs(t, c, leaderLogin, leaderPassword)
	c.Wait()
	h := c.Home
	if h.Figures.Votes != [3]int{3, 1, 1} {
		t.Fatalf("votes %v", h.Figures.Votes)
	}
	got := texts(h.Votes)
	for _, want := range []string{"Rất hài lòng: 3 (60 %)", "Hài lòng: 1 (20 %)", "Không hài lòng: 1 (20 %)", "Tổng cộng 5 lượt đánh giá"} {
		if !strings.Contains(got, want) {
			t.Errorf("votes lack %q:\n%s", want, got)
		}
	}
}
