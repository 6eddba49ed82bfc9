package counter_test

import (
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/counter/wizard"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/serialport"
)

// cardQR is a synthetic CCCD QR (valid ID number, invented person).
const cardQR = "001088012345|123456789|Nguyễn Văn An|01011988|Nam|Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội|15082021"

// openWithDevices builds a counter window whose services include devices.
func openWithDevices(t *testing.T, dev *counter.Devices) (*uitest.Env, fyne.Window, *counter.Counter) {
	t.Helper()
	test.NewTempApp(t)
	env := uitest.NewEnv(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	svc := env.Services()
	svc.Devices = dev
	c := counter.New(w, svc, counter.Options{Now: env.Clock.Now})
	c.Tasks.Inline = true
	w.SetContent(c.Content())
	login(t, c)
	return env, w, c
}

// toApplicantStep chooses "Đăng ký khai sinh" and moves to step 2.
func toApplicantStep(t *testing.T, r *counter.ReceptionScreen) {
	t.Helper()
	test.Type(r.Search, "dang ky khai sinh")
	for i, p := range r.Results() {
		if p.Name == "Đăng ký khai sinh" {
			r.Procedures.Select(i)
		}
	}
	test.Tap(r.Next)
	if r.Wizard.Step != wizard.StepApplicant {
		t.Fatalf("step %d, want the applicant step", r.Wizard.Step)
	}
}

// keyClock advances by step at every reading: key presses step apart.
type keyClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *keyClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func pressEnter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func assertFilledFromCard(t *testing.T, r *counter.ReceptionScreen) {
	t.Helper()
	got := []string{r.Name.Text, r.IDNumber.Text, r.BirthDate.Text, r.Sex.Selected, r.Address.Text}
	want := []string{"Nguyễn Văn An", "001088012345", "01/01/1988", "Nam", "Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("applicant fields %q, want %q", got, want)
	}
	if a := r.Wizard.Draft.Applicant; a.FullName != "Nguyễn Văn An" || a.IDNumber != "001088012345" {
		t.Fatalf("draft applicant %+v", a)
	}
	if r.Wizard.Step != wizard.StepApplicant {
		t.Fatalf("the card's Enter moved the wizard to step %d", r.Wizard.Step)
	}
}

func TestReceptionKeyboardWedge(t *testing.T) {
	t.Run("a wedge scanner's fast burst in the name field fills the applicant instead of the text", func(t *testing.T) {
		_, _, c := openWithDevices(t, nil)
		r := c.Reception
		toApplicantStep(t, r)
		r.SetWedgeClock((&keyClock{t: uitest.Start, step: 4 * time.Millisecond}).Now)
		test.Type(r.Name, cardQR)
		pressEnter(r.Name)
		assertFilledFromCard(t, r)
		if r.CardStatus().Text != "Đã điền thông tin từ thẻ CCCD. Kiểm tra lại và bổ sung số điện thoại." {
			t.Fatalf("status %q", r.CardStatus().Text)
		}
	})
	t.Run("a wedge burst in the phone field leaves the phone as it was", func(t *testing.T) {
		_, _, c := openWithDevices(t, nil)
		r := c.Reception
		toApplicantStep(t, r)
		clock := &keyClock{t: uitest.Start, step: 300 * time.Millisecond}
		r.SetWedgeClock(clock.Now)
		test.Type(r.Phone, "0912")
		clock.step = 3 * time.Millisecond
		test.Type(r.Phone, cardQR)
		pressEnter(r.Phone)
		assertFilledFromCard(t, r)
		if r.Phone.Text != "0912" {
			t.Fatalf("phone %q", r.Phone.Text)
		}
	})
	t.Run("slow typing ending with Enter keeps its meaning: go to the next step", func(t *testing.T) {
		_, _, c := openWithDevices(t, nil)
		r := c.Reception
		toApplicantStep(t, r)
		r.SetWedgeClock((&keyClock{t: uitest.Start, step: 150 * time.Millisecond}).Now)
		test.Type(r.Name, "Nguyễn Văn An")
		test.Type(r.IDNumber, "001088012345")
		test.Type(r.BirthDate, "01/01/1988")
		r.Sex.SetSelected("Nam")
		test.Type(r.Address, "Hà Nội")
		pressEnter(r.Address)
		if r.Wizard.Step != wizard.StepPapers {
			t.Fatalf("step %d after Enter, want the papers step", r.Wizard.Step)
		}
	})
	t.Run("a misread card says which field is wrong and keeps the fields", func(t *testing.T) {
		_, _, c := openWithDevices(t, nil)
		r := c.Reception
		toApplicantStep(t, r)
		r.SetWedgeClock((&keyClock{t: uitest.Start, step: 4 * time.Millisecond}).Now)
		test.Type(r.Name, strings.Replace(cardQR, "|Nam|", "|Nữ|", 1))
		pressEnter(r.Name)
		if r.Name.Text != "" || r.CardStatus().Text != "Không đọc được thẻ: số định danh không hợp lệ. Đọc lại hoặc nhập tay." {
			t.Fatalf("name %q, status %q", r.Name.Text, r.CardStatus().Text)
		}
	})
}

// TestReceptionReadCardFromASerialReader presses "Đọc thẻ" with a real
// serial reader on a socat pty pair.
func TestReceptionReadCardFromASerialReader(t *testing.T) {
	pty := devicetest.NewPtyPair(t)
	ctx := devicetest.Ctx(t)
	connected := make(chan struct{}, 4)
	reader := &idcard.SerialReader{
		Open: idcard.SerialOpener(serialport.Config{Name: pty.Device, Baud: 115200}),
		OnState: func(s idcard.State, _ error) {
			if s == idcard.Connected {
				connected <- struct{}{}
			}
		},
	}
	go func() { _ = reader.Serve(ctx) }()
	<-connected

	_, w, c := openWithDevices(t, &counter.Devices{Cards: reader})
	r := c.Reception
	toApplicantStep(t, r)
	if !r.ReadCardButton().Visible() {
		t.Fatal("the Đọc thẻ button is hidden although a reader is configured")
	}
	pty.Write([]byte(cardQR + "\r\n"))
	test.Tap(r.ReadCardButton())
	c.Wait()
	assertFilledFromCard(t, r)
	if r.ReadCardButton().Text != "Đọc thẻ" {
		t.Fatalf("button %q after the read", r.ReadCardButton().Text)
	}
	if shot := os.Getenv("MOTCUA_RECEPTION_SHOT"); shot != "" { // ad-hoc test-driver capture; docs/screenshots/devices comes from take-devices.sh
		f, err := os.Create(shot)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, w.Canvas().Capture())
		f.Close()
	}
}

func TestReceptionWithoutReaderHidesReadCard(t *testing.T) {
	_, _, c := openWithDevices(t, nil)
	if c.Reception.ReadCardButton().Visible() {
		t.Fatal("Đọc thẻ shown without a card reader")
	}
}
