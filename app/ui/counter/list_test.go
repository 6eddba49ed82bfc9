package counter_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

var seedNames = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Đặng Văn Đức", "Võ Thị Hoa"}

// seed receives n dossiers through the real reception service; the first
// `old` of them 30 days before the Env's start, so they are overdue now.
func seed(t *testing.T, env *uitest.Env, n, old int) {
	t.Helper()
	ctx := context.Background()
	papers := env.Reception.PapersFor("1.001193")
	for i := range papers {
		papers[i].Count = 1
	}
	for i := 0; i < n; i++ {
		at := uitest.Start.Add(time.Duration(i) * time.Minute)
		if i < old {
			at = uitest.Start.AddDate(0, 0, -30).Add(time.Duration(i) * time.Minute)
		}
		env.Clock.Set(at)
		_, err := env.Reception.Receive(ctx, env.Clerk, reception.Draft{
			ProcedureCode: "1.001193",
			Applicant: dossier.Applicant{FullName: seedNames[i%len(seedNames)], Address: "Xã Tân Phú", IDNumber: fmt.Sprintf("001190%06d", i),
				Phone: fmt.Sprintf("0912%06d", i)},
			Papers: papers, Sets: 1,
		})
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	env.Clock.Set(uitest.Start.Add(3 * time.Hour))
}

func TestDossierList(t *testing.T) {
	env, w, c := open(t)
	seed(t, env, 120, 20)
	login(t, c)
	c.ShowList()
	l := c.List
	c.Wait()

	// first page only, then pages as the list scrolls
	if n := len(l.Items()); n != 50 || !l.HasMore() {
		t.Fatalf("first load: %d rows, more=%v", n, l.HasMore())
	}
	if l.Total.Text != "120 hồ sơ" {
		t.Errorf("total %q", l.Total.Text)
	}
	for want := 100; want <= 120; want += 20 {
		l.List.ScrollToBottom()
		c.Wait()
		if n := len(l.Items()); n != want {
			t.Fatalf("after scrolling: %d rows, want %d", n, want)
		}
	}
	if l.HasMore() {
		t.Error("more pages after 120 rows")
	}
	seen := map[int64]bool{}
	for _, it := range l.Items() {
		if seen[it.ID] {
			t.Fatalf("row %d listed twice", it.ID)
		}
		seen[it.ID] = true
	}

	// search without diacritics, debounced
	var pending func()
	l.AfterFunc = func(d time.Duration, f func()) func() bool { pending = f; return func() bool { return true } }
	test.Type(l.Search, "dang van duc")
	if pending == nil {
		t.Fatal("typing did not schedule a search")
	}
	pending()
	c.Wait()
	if n := len(l.Items()); n != 20 {
		t.Fatalf("'dang van duc' found %d rows, want 20", n)
	}
	for _, it := range l.Items() {
		if it.ApplicantName != "Đặng Văn Đức" {
			t.Fatalf("search found %q", it.ApplicantName)
		}
	}
	// Enter searches at once
	l.Search.SetText("")
	test.Type(l.Search, "vo thi hoa")
	enter(l.Search)
	c.Wait()
	if n := len(l.Items()); n != 20 || l.Items()[0].ApplicantName != "Võ Thị Hoa" {
		t.Fatalf("'vo thi hoa' found %d rows", n)
	}
	l.Search.SetText("")
	enter(l.Search)
	c.Wait()

	// overdue filter
	test.Tap(l.Overdue)
	c.Wait()
	if n := len(l.Items()); n != 20 {
		t.Fatalf("overdue filter: %d rows, want 20", n)
	}
	now := env.Clock.Now()
	for _, it := range l.Items() {
		if !it.Overdue(now) {
			t.Fatalf("row %s is not overdue", it.Code)
		}
	}
	if m := test.RenderToMarkup(w.Canvas()); !strings.Contains(m, "QUÁ HẠN") || !strings.Contains(m, `color="error"`) {
		t.Error("overdue rows are not marked in red")
	}
	test.Tap(l.Overdue)
	c.Wait()

	// today: the 100 received on the Env's day, not the 20 of a month ago
	test.Tap(l.Today)
	c.Wait()
	if n := len(l.Items()); n != 50 || l.Total.Text != "100 hồ sơ" {
		t.Fatalf("today filter: %d rows, total %q; want a first page of 50 of 100", n, l.Total.Text)
	}
	test.Tap(l.Today)
	c.Wait()

	// status filter
	l.Status.SetSelected("Đã trả kết quả")
	c.Wait()
	if n := len(l.Items()); n != 0 {
		t.Fatalf("status filter 'returned': %d rows", n)
	}
	l.Status.SetSelected("Đã tiếp nhận")
	c.Wait()
	if n := len(l.Items()); n != 50 {
		t.Fatalf("status filter 'received': %d rows", n)
	}

	// open a row: the detail view, then reprint
	l.List.Select(0)
	c.Wait()
	if c.Detail == nil || c.Detail.Dossier() == nil {
		t.Fatal("detail not opened")
	}
	d := c.Detail.Dossier()
	if d.ID != l.Items()[0].ID || !strings.Contains(c.Detail.Title.Text, d.Code.String()) {
		t.Fatalf("detail shows %s", c.Detail.Title.Text)
	}
	if len(c.Detail.Papers.Objects) != len(d.Papers) || len(c.Detail.History.Objects) == 0 {
		t.Errorf("detail papers %d (want %d), history %d", len(c.Detail.Papers.Objects), len(d.Papers), len(c.Detail.History.Objects))
	}
	test.Tap(c.Detail.Reprint)
	c.Wait()
	test.Tap(c.Detail.Back)
	if c.Detail != nil || !showing(w, l.Content()) {
		t.Fatal("back did not return to the list")
	}
}
