package app

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/dossier"
)

// TestRealWindowUnderXvfb builds the real binary, runs it in a real X window
// (Xvfb), logs in and receives a dossier by keystrokes and clicks exactly as
// docs/screenshots/take.sh does for the README, then reads the dossier back
// from the data directory and checks that every screenshot shows something.
func TestRealWindowUnderXvfb(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import", "xdpyinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: apt-get install xvfb xdotool imagemagick x11-utils", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "motcua")
	build := exec.CommandContext(ctx, "go", "build", "-tags", "migrated_fynedo", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data, shots := t.TempDir(), t.TempDir()
	if d := os.Getenv("MOTCUA_KEEP_SHOTS"); d != "" {
		shots = d
	}
	take := exec.CommandContext(ctx, "bash", "../docs/screenshots/take.sh", bin, shots)
	take.Env = append(os.Environ(), "MOTCUA_SHOT_DATA="+data)
	if out, err := take.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(data, "app.log"))
		t.Fatalf("take.sh: %v\n%s\napp log:\n%s", err, out, log)
	}

	env, err := wire.Open(ctx, data, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	page, err := env.Store.List(ctx, dossier.Query{Text: "001190012345"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("the dossier typed in the window: found %d, want 1", len(page.Items))
	}
	d, err := env.Store.Dossier(ctx, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Applicant.FullName != "Nguyễn Thị Hồng Nhung" || d.ProcedureName != "Đăng ký khai sinh" ||
		len(d.Papers) != 3 || d.Applicant.Sex != dossier.SexFemale {
		t.Fatalf("saved dossier: %q %q papers=%d sex=%v", d.Applicant.FullName, d.ProcedureName, len(d.Papers), d.Applicant.Sex)
	}

	for _, name := range []string{"login", "reception", "applicant", "papers", "summary", "receipt-preview", "list"} {
		if n := colours(t, filepath.Join(shots, name+".png")); n < 8 {
			t.Errorf("%s.png has %d colours: the window drew nothing", name, n)
		}
	}
}

// colours counts the distinct colours of a PNG, up to 1000.
func colours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 1000; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// TestReviewWindowUnderXvfb builds motcua and the demo hub, and runs
// docs/screenshots/take-review.sh: review mode in a real X window signed in
// to a real hub on loopback, the queue, a dossier with its scan rendered, a
// decision dialog, the dashboard, and the offline banner once the hub stops.
func TestReviewWindowUnderXvfb(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import", "xdpyinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: apt-get install xvfb xdotool imagemagick x11-utils", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, hubBin := filepath.Join(dir, "motcua"), filepath.Join(dir, "demohub")
	for out, pkg := range map[string]string{bin: "..", hubBin: "../app/ui/review/reviewtest/demohub"} {
		build := exec.CommandContext(ctx, "go", "build", "-tags", "migrated_fynedo", "-o", out, pkg)
		if b, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	shots := t.TempDir()
	if d := os.Getenv("MOTCUA_KEEP_SHOTS"); d != "" {
		shots = d
	}
	take := exec.CommandContext(ctx, "bash", "../docs/screenshots/take-review.sh", bin, hubBin, shots)
	if out, err := take.CombinedOutput(); err != nil {
		t.Fatalf("take-review.sh: %v\n%s", err, out)
	}
	for _, name := range []string{"login", "queue", "dossier-scan", "decision-supplement", "dashboard", "offline"} {
		if n := colours(t, filepath.Join(shots, name+".png")); n < 8 {
			t.Errorf("review %s.png has %d colours: the window drew nothing", name, n)
		}
	}
	if !hasColour(t, filepath.Join(shots, "offline.png"), 0xff, 0xe0, 0x8a) {
		t.Error("offline.png shows no offline banner")
	}
	if hasColour(t, filepath.Join(shots, "queue.png"), 0xff, 0xe0, 0x8a) {
		t.Error("queue.png shows the offline banner while the hub is up")
	}
}

// hasColour tells whether a PNG has a pixel of that colour.
func hasColour(t *testing.T, path string, r, g, b uint8) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if uint8(pr>>8) == r && uint8(pg>>8) == g && uint8(pb>>8) == b {
				return true
			}
		}
	}
	return false
}
