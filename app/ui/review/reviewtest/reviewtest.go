// Package reviewtest builds the real parts behind the review screens for
// tests and screenshots: a provincial hub (sync/hub with a SQLite store in a
// folder) served on loopback, reviewer accounts created through the hub's
// store, and commune devices (internal/store) that receive dossiers with
// scanned papers (a PDF made with gopdf and a PNG) and push them to the hub
// with sync/client, exactly as a counter PC does.
package reviewtest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"time"

	"github.com/signintech/gopdf"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
)

// VN is Vietnam's time.
var VN = time.FixedZone("ICT", 7*3600)

// Clock is a settable clock shared by the hub and the devices; once set to
// the zero time it follows the real time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Hub is a real hub on loopback.
type Hub struct {
	Dir    string
	Store  hub.Store
	Server *hub.Server
	HTTP   *httptest.Server
	Clock  *Clock

	mu   sync.Mutex
	down bool
}

// NewHub opens a hub store in dir and serves it on a loopback port. Its
// clock starts at now.
func NewHub(ctx context.Context, dir string, now time.Time) (*Hub, error) {
	st, err := hub.OpenSQLite(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return nil, err
	}
	h := &Hub{Dir: dir, Store: st, Clock: &Clock{t: now}}
	h.Server, err = hub.NewServer(hub.Options{Store: st, Dir: dir, Now: h.Clock.Now, MaxWait: time.Second})
	if err != nil {
		st.Close()
		return nil, err
	}
	h.HTTP = httptest.NewServer(h.Server.Handler())
	return h, nil
}

// URL is the hub's address.
func (h *Hub) URL() string { return h.HTTP.URL }

// Close stops serving and closes the store.
func (h *Hub) Close() {
	h.HTTP.CloseClientConnections()
	h.HTTP.Close()
	h.Store.Close()
}

// Stop makes the hub unreachable: the listener closes, so connections are
// refused as when the province's link is down.
func (h *Hub) Stop() {
	h.HTTP.CloseClientConnections()
	h.HTTP.Close()
}

// AddCommune registers an office at the hub.
func (h *Hub) AddCommune(ctx context.Context, code, name string) error {
	return h.Store.CreateOffice(ctx, hub.Office{Code: code, Name: name, CreatedAt: h.Clock.Now()})
}

// AddReviewer creates a reviewer account scoped to communes.
func (h *Hub) AddReviewer(ctx context.Context, user, password, name, role string, communes ...string) error {
	hash, err := hub.HashPassword(password)
	if err != nil {
		return err
	}
	return h.Store.AddAccount(ctx, hub.Account{Username: user, DisplayName: name, Role: role, Communes: communes,
		CreatedAt: h.Clock.Now()}, hash)
}

// Device is a commune's counter PC enrolled with the hub.
type Device struct {
	Office string
	Store  *store.Store
	Client *client.Client
}

// AddDevice opens a provisioned device store for office in dir and enrols
// it with the hub.
func (h *Hub) AddDevice(ctx context.Context, dir, office, officeName string) (*Device, error) {
	s, err := store.Open(ctx, dir, store.Options{Now: h.Clock.Now})
	if err != nil {
		return nil, err
	}
	if err := s.SaveSettings(ctx, store.Settings{AgencyID: office, AgencyName: officeName, DeviceSlot: 1, Provisioned: true}, "tech"); err != nil {
		s.Close()
		return nil, err
	}
	tok, err := hub.NewToken(ctx, h.Store, office, hub.RoleDevice, h.Clock.Now().Add(time.Hour))
	if err != nil {
		s.Close()
		return nil, err
	}
	if _, err := client.Enrol(ctx, s, h.URL(), tok, "quầy 1", nil); err != nil {
		s.Close()
		return nil, fmt.Errorf("enrol %s: %w", office, err)
	}
	return &Device{Office: office, Store: s, Client: client.New(s, client.Options{Now: h.Clock.Now})}, nil
}

// Close closes the device's store.
func (d *Device) Close() { d.Store.Close() }

// Push sends what the device holds to the hub (dossiers and scans).
func (d *Device) Push(ctx context.Context) error {
	_, err := d.Client.Push(ctx)
	return err
}

// Applicant is who a demo dossier is for.
type Applicant struct {
	Name, IDNumber, Phone, Address string
}

// Receive records a birth registration dossier at the device at the hub's
// current time; with scans its declaration is a 2-page PDF and the parents'
// ID card a PNG, and with missing its required marriage certificate is
// missing. It returns the dossier's code.
func (h *Hub) Receive(ctx context.Context, dev *Device, a Applicant, due time.Time, scans, missing bool) (string, error) {
	d := &dossier.Dossier{ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
		Applicant: dossier.Applicant{FullName: a.Name, IDNumber: a.IDNumber, Phone: a.Phone, Address: a.Address},
		Sets:      1, ProcessingTime: "1 ngày làm việc", DueAt: due, Status: dossier.StatusReceived,
		Papers: []dossier.Paper{
			{Name: "Tờ khai đăng ký khai sinh", Form: dossier.FormOriginal, Count: 1, Required: true},
			{Name: "Giấy chứng sinh", Form: dossier.FormOriginal, Count: 1, Required: true},
			{Name: "Căn cước của cha/mẹ", Form: dossier.FormCopy, Count: 1},
		}}
	if missing {
		d.Papers[1].Count = 0
	}
	if scans {
		pdf, err := DeclarationPDF(a.Name)
		if err != nil {
			return "", err
		}
		sha, _, err := dev.Store.PutFile(ctx, bytes.NewReader(pdf))
		if err != nil {
			return "", err
		}
		d.Papers[0].Files = []string{sha}
		sha, _, err = dev.Store.PutFile(ctx, bytes.NewReader(CardPNG()))
		if err != nil {
			return "", err
		}
		d.Papers[2].Files = []string{sha}
	}
	if err := dev.Store.Receive(ctx, d, "canbo"); err != nil {
		return "", err
	}
	return d.Code.String(), nil
}

// DeclarationPDF is a two-page declaration (tờ khai) for name, in
// Vietnamese, as a commune scans it.
func DeclarationPDF(name string) ([]byte, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontData("noto", assets.MustRead("fonts/NotoSans-Regular.ttf")); err != nil {
		return nil, err
	}
	if err := pdf.AddTTFFontData("notob", assets.MustRead("fonts/NotoSans-Bold.ttf")); err != nil {
		return nil, err
	}
	line := func(font string, size float64, x, y float64, s string) {
		pdf.SetFont(font, "", size)
		pdf.SetXY(x, y)
		pdf.Text(s)
	}
	pdf.AddPage()
	line("notob", 12, 150, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	line("notob", 11, 205, 78, "Độc lập - Tự do - Hạnh phúc")
	line("notob", 16, 160, 130, "TỜ KHAI ĐĂNG KÝ KHAI SINH")
	line("noto", 11, 60, 170, "Kính gửi: Ủy ban nhân dân phường Ba Đình")
	line("noto", 11, 60, 200, "Họ, chữ đệm, tên người yêu cầu: "+name)
	line("noto", 11, 60, 225, "Nơi cư trú: Số 1 Phố Huế, phường Ba Đình, thành phố Hà Nội")
	line("noto", 11, 60, 250, "Quan hệ với người được khai sinh: Mẹ")
	line("noto", 11, 60, 275, "Đề nghị cơ quan đăng ký khai sinh cho người có tên dưới đây:")
	line("noto", 11, 60, 300, "Họ, chữ đệm, tên: Nguyễn Minh Khang        Giới tính: Nam")
	line("noto", 11, 60, 325, "Ngày, tháng, năm sinh: 02/11/2026")
	line("noto", 11, 60, 350, "Nơi sinh: Bệnh viện Phụ sản Hà Nội")
	pdf.SetLineWidth(0.8)
	pdf.Line(50, 370, 545, 370)
	line("noto", 10, 60, 395, "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật.")
	line("noto", 11, 360, 450, "Người yêu cầu")
	line("noto", 9, 355, 465, "(Ký, ghi rõ họ, chữ đệm, tên)")
	line("noto", 11, 350, 520, name)
	pdf.AddPage()
	line("notob", 14, 200, 80, "PHẦN GHI CỦA CƠ QUAN")
	line("noto", 11, 60, 120, "Ngày tiếp nhận: 23/11/2026        Người tiếp nhận: Trần Thị Bình")
	line("noto", 11, 60, 145, "Số định danh cá nhân của người được khai sinh: (chưa cấp)")
	pdf.Line(50, 170, 545, 170)
	return pdf.GetBytesPdfReturnErr()
}

// CardPNG is a scanned ID card: a photo-like picture of a card.
func CardPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 856, 540))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{0xf3, 0xf1, 0xea, 0xff}}, image.Point{}, draw.Src)
	card := image.Rect(28, 28, 828, 512)
	draw.Draw(img, card, &image.Uniform{color.RGBA{0xd8, 0xe8, 0xf5, 0xff}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(28, 28, 828, 110), &image.Uniform{color.RGBA{0xb0, 0x2a, 0x2a, 0xff}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(60, 150, 260, 400), &image.Uniform{color.RGBA{0x9a, 0xa5, 0xb1, 0xff}}, image.Point{}, draw.Src)
	for i, w := range []int{420, 360, 480, 300, 400} {
		y := 160 + i*48
		draw.Draw(img, image.Rect(300, y, 300+w, y+18), &image.Uniform{color.RGBA{0x33, 0x3a, 0x44, 0xff}}, image.Point{}, draw.Src)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
