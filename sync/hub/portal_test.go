package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func TestThePortalExportOfAKnownDossierFieldByField(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		now := e.clk.Now() // 2026-11-23 02:00 UTC = 09:00 in Vietnam
		code := officeA + "-261123-0007"
		rec := time.Date(2026, 11, 23, 1, 15, 30, 0, time.UTC)
		due := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		e.push(e.a, dossierEvent(code, "Nguyễn Văn Bình", "001190000009", "1.001193", rec, due, e.storeFile([]byte("%PDF-1.4 x"))))
		e.push(e.a, protocol.Event{UUID: newUUID(), Dossier: code, Seq: 2, Kind: "dossier.status", CreatedAt: now,
			Payload: json.RawMessage(`{"action":"start","from":2,"to":4,"actor":"Lê Thị Cán Bộ","at":"2026-11-23T01:45:00Z","note":"Chuyển xử lý"}`)})
		e.addAccount("tinh", protocol.AccountReviewer, officeA)
		c := e.login("tinh")
		e.clk.Add(30 * time.Minute)
		if _, err := c.Decide(ctx, code, protocol.DecideRequest{Outcome: "done", Result: "Giấy khai sinh"}); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		n, err := hub.ExportPortal(ctx, st, now.Add(-24*time.Hour), now, &out)
		if err != nil || n != 1 {
			t.Fatalf("export: %d %v", n, err)
		}
		var doc struct {
			NgayXuat, TuNgay string
			DanhSachHoSo     []map[string]any
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		if doc.NgayXuat != "20261123090000" || doc.TuNgay != "20261122090000" || len(doc.DanhSachHoSo) != 1 {
			t.Fatalf("document: %+v", doc)
		}
		got := doc.DanhSachHoSo[0]
		want := map[string]any{
			"MaHoSo": code, "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "MaDonVi": officeA,
			"ChuHoSo": "Nguyễn Văn Bình", "SoGiayToChuHoSo": "001190000009", "DiaChiChuHoSo": "Số 1 Trần Phú",
			"NgayTiepNhan": "20261123081530", "NgayHenTra": "20261126160000", "NgayKetThucXuLy": "20261123093000",
			"TrangThaiHoSo": 9.0, "KenhThucHien": 1.0,
			"TaiLieuNop": []any{
				map[string]any{"TenTaiLieu": "Tờ khai đăng ký khai sinh", "SoLuong": 1.0, "LoaiBan": 1.0, "DuocSoHoa": 1.0,
					"MaTep": []any{"8d3e8fa1bc1f7f0f3f1a4b0bd4d5e2b8c1f0f8b61c1a0d3a0a8fb2e8e3f0e7e1"}},
				map[string]any{"TenTaiLieu": "Giấy chứng sinh", "SoLuong": 1.0, "LoaiBan": 1.0, "DuocSoHoa": 0.0},
			},
			"DanhSachLePhi": []any{map[string]any{"TenPhiLePhi": "Lệ phí Đăng ký khai sinh", "MucPhi": 8000.0}},
			"QuaTrinhXuLy": []any{
				map[string]any{"NguoiXuLy": "Lê Thị Cán Bộ", "ThoiDiemXuLy": "20261123081530", "NoiDungXuLy": "Tiếp nhận hồ sơ", "TrangThai": 2.0},
				map[string]any{"NguoiXuLy": "Lê Thị Cán Bộ", "ThoiDiemXuLy": "20261123084500", "NoiDungXuLy": "Bắt đầu xử lý: Chuyển xử lý", "TrangThai": 4.0},
				map[string]any{"NguoiXuLy": "Chuyên viên tinh", "ThoiDiemXuLy": "20261123093000", "NoiDungXuLy": "Cấp trên: đã có kết quả giải quyết", "TrangThai": 9.0},
			},
		}
		// The scan's id is its SHA-256: take it from the dossier.
		sha := got["TaiLieuNop"].([]any)[0].(map[string]any)["MaTep"].([]any)[0]
		want["TaiLieuNop"].([]any)[0].(map[string]any)["MaTep"] = []any{sha}
		for k, w := range want {
			if !reflect.DeepEqual(got[k], w) {
				t.Errorf("%s = %#v, want %#v", k, got[k], w)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok && k != "SoDienThoai" {
				t.Errorf("unexpected field %s = %#v", k, got[k])
			}
		}
		// Nothing changed since later: an empty list, still a valid document.
		out.Reset()
		if n, err := hub.ExportPortal(ctx, st, now.Add(time.Hour), now, &out); err != nil || n != 0 || !json.Valid(out.Bytes()) {
			t.Fatalf("empty export: %d %v %s", n, err, out.String())
		}
	})
}

func TestPortalTimesAreVietnamTimeWithoutTzdata(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC): "20270101000000",
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC):    "20260102100405",
		{}: "",
	} {
		if got := hub.PortalTime(in); got != want {
			t.Errorf("PortalTime(%v) = %q, want %q", in, got, want)
		}
	}
}

// FuzzToPortal feeds arbitrary dossier payloads (seeds in
// testdata/fuzz/FuzzToPortal): conversion never panics, and what it
// accepts either validates or is refused by ValidatePortal with an error.
func FuzzToPortal(f *testing.F) {
	f.Add([]byte(`{"code":"000.00.06.H56-261123-0001","procedure_code":"1.001193","applicant":{"full_name":"A"},"received_at":"2026-11-23T01:00:00Z","status":2,"channel":1}`), 4)
	f.Fuzz(func(t *testing.T, payload []byte, status int) {
		d, err := hub.ToPortal(hub.PortalSource{Office: "X", Status: status, Payload: payload})
		if err != nil {
			return
		}
		if d.TrangThaiHoSo < 1 || d.TrangThaiHoSo > 10 || d.KenhThucHien < 1 || d.KenhThucHien > 3 {
			t.Fatalf("codes out of range: %+v", d)
		}
		if err := hub.ValidatePortal(d); err == nil {
			if len(d.NgayTiepNhan) != 14 || d.MaHoSo == "" {
				t.Fatalf("validated a bad dossier: %+v", d)
			}
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	})
}
