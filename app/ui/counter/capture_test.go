package counter_test

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestCapture writes PNG screenshots of every screen to the directory named
// by $CAPTURE, for a human to look at: CAPTURE=/tmp/shots go test -run Capture.
// The test canvas does not re-lay-out containers whose content grew (the
// desktop driver does), so a shown error line may overlap in the pictures.
func TestCapture(t *testing.T) {
	dir := os.Getenv("CAPTURE")
	if dir == "" {
		t.Skip("CAPTURE not set")
	}
	_, w, c := open(t)
	save := func(name string) {
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	save("login")
	login(t, c)
	r := c.Reception
	test.Type(r.Search, "dang ky khai sinh")
	r.Procedures.Select(1)
	save("step1")
	test.Tap(r.Next)
	test.Type(r.Name, applicantName)
	test.Type(r.IDNumber, badID)
	test.Tap(r.Next)
	save("step2")
	r.IDNumber.SetText(goodID)
	test.Type(r.Address, "Xã Tân Phú")
	test.Tap(r.Next)
	test.Tap(r.PaperRows[0].Check)
	test.Type(r.ExtraName, "Giấy ủy quyền")
	test.Tap(r.AddPaper)
	save("step3")
	test.Tap(r.Next)
	save("step4")
	test.Tap(r.Save)
	c.Wait()
	save("preview")
	c.ShowList()
	c.Wait()
	save("list")
}
