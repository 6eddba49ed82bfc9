package counter_test

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestZZCapture(t *testing.T) {
	if os.Getenv("CAPTURE") == "" {
		t.Skip()
	}
	_, w, c := open(t)
	save := func(name string) {
		f, _ := os.Create("/tmp/cap_" + name + ".png")
		png.Encode(f, w.Canvas().Capture())
		f.Close()
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
