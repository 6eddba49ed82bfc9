package textfold

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"precomposed lower", "đăng ký khai sinh", "dang ky khai sinh"},
		{"upper with marks", "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh"},
		{"plain ascii upper", "DANG KY KHAI SINH", "dang ky khai sinh"},
		{"decomposed NFD input", "Nguye\u0302\u0303n Va\u0306n A\u0301nh", "nguyen van anh"},
		{"every tone on ư", "ừứửữự Ừ", "uuuuu u"},
		{"white space collapsed", "  Trần \t Thị\n\nBé  ", "tran thi be"},
		{"digits kept", "Số 12 Lê Lợi", "so 12 le loi"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"đăng ký", "ĐĂNG", "Nguye\u0302\u0303n", "\xff\xfe", "  a  b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, once, twice)
		}
	})
}
