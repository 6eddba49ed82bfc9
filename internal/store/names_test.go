package store

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// A small generator of realistic Vietnamese applicants, weighted roughly as
// family names are in the population (Nguyễn ≈ 38 %).
var (
	familyNames = []struct {
		name   string
		weight int
	}{
		{"Nguyễn", 38}, {"Trần", 11}, {"Lê", 9}, {"Phạm", 7}, {"Hoàng", 5}, {"Huỳnh", 5}, {"Phan", 4},
		{"Vũ", 4}, {"Võ", 4}, {"Đặng", 2}, {"Bùi", 2}, {"Đỗ", 2}, {"Hồ", 2}, {"Ngô", 1}, {"Dương", 1},
		{"Lý", 1}, {"Đinh", 1}, {"Trương", 1},
	}
	maleMiddle   = []string{"Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Công", "Xuân", "Ngọc"}
	femaleMiddle = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"}
	maleGiven    = []string{"An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khang",
		"Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Trung", "Tuấn", "Việt"}
	femaleGiven = []string{"An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
		"Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Tuyết", "Uyên", "Vân", "Yến"}
	procedures = []struct{ code, name string }{
		{"1.001193", "Đăng ký khai sinh"},
		{"1.000894", "Đăng ký kết hôn"},
		{"2.000635", "Chứng thực bản sao từ bản chính"},
		{"1.004227", "Đăng ký thường trú"},
		{"1.001022", "Cấp bản sao trích lục hộ tịch"},
	}
	paperNames  = []string{"Tờ khai", "Giấy chứng sinh", "Căn cước công dân", "Giấy xác nhận nơi cư trú", "Giấy ủy quyền"}
	totalFamily = func() int {
		n := 0
		for _, f := range familyNames {
			n += f.weight
		}
		return n
	}()
)

// fakePerson returns a random applicant.
func fakePerson(r *rand.Rand) dossier.Applicant {
	k := r.IntN(totalFamily)
	family := familyNames[0].name
	for _, f := range familyNames {
		if k < f.weight {
			family = f.name
			break
		}
		k -= f.weight
	}
	sex := dossier.Sex(1 + r.IntN(2))
	middle, given := maleMiddle, maleGiven
	if sex == dossier.SexFemale {
		middle, given = femaleMiddle, femaleGiven
	}
	birth := time.Date(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	return dossier.Applicant{
		FullName:  family + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))],
		IDNumber:  fmt.Sprintf("%03d%d%02d%06d", 1+r.IntN(96), int(sex)-1, birth.Year()%100, r.IntN(1000000)),
		BirthDate: birth,
		Sex:       sex,
		Address:   fmt.Sprintf("Thôn %d, xã Tân Phú", 1+r.IntN(12)),
		Phone:     fmt.Sprintf("09%08d", r.IntN(100000000)),
	}
}

// fakeDossier returns a random dossier received at at with papers papers.
func fakeDossier(r *rand.Rand, at time.Time, papers int) *dossier.Dossier {
	p := procedures[r.IntN(len(procedures))]
	d := &dossier.Dossier{
		ProcedureCode:  p.code,
		ProcedureName:  p.name,
		CatalogVersion: "2025.07",
		Applicant:      fakePerson(r),
		Sets:           1,
		ProcessingTime: "3 ngày làm việc",
		ReceivedAt:     at,
		DueAt:          at.Add(time.Duration(1+r.IntN(10)) * 24 * time.Hour),
		Status:         dossier.StatusReceived,
		Channel:        dossier.ChannelInPerson,
		ReturnMethod:   dossier.ReturnAtCounter,
	}
	for i := range papers {
		d.Papers = append(d.Papers, dossier.Paper{
			Name: paperNames[i%len(paperNames)], Form: dossier.PaperForm(1 + r.IntN(3)), Count: 1, Required: i < 2,
		})
	}
	return d
}
