package counter_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/app/ui/counter"
)

func TestTheLinkIndicatorSaysTheLinkStateInPlainWords(t *testing.T) {
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	tests := []struct {
		name string
		st   counter.LinkState
		want string
	}{
		{"a device not enrolled says it is not linked", counter.LinkState{}, "Chưa kết nối liên thông với tỉnh"},
		{"an online device with nothing waiting says all is sent", counter.LinkState{Enrolled: true, Online: true, LastSuccess: now.Add(-time.Minute)},
			"Liên thông: đã kết nối · đã gửi hết · gửi được lúc 09:59"},
		{"an offline device says what waits and why", counter.LinkState{Enrolled: true, Pending: 3, PendingBytes: 1536 << 10, LastSuccess: now.Add(-26 * time.Hour), Error: "offline"},
			"Liên thông: mất kết nối · chờ gửi 3 bản ghi (1.5 MB) · gửi được lúc 08:00 22/11 · không kết nối được máy chủ tỉnh"},
		{"a Wi-Fi login page is named as such", counter.LinkState{Enrolled: true, Pending: 1, PendingBytes: 900, Error: "portal"},
			"Liên thông: mất kết nối · chờ gửi 1 bản ghi (900 B) · chưa gửi được lần nào · mạng đang chặn (trang đăng nhập Wi-Fi?)"},
		{"refused records and unapplied decisions are shown", counter.LinkState{Enrolled: true, Online: true, Refused: 2, Problems: 1, LastSuccess: now},
			"Liên thông: đã kết nối · đã gửi hết · gửi được lúc 10:00 · 2 bản ghi bị tỉnh từ chối, báo kỹ thuật viên · 1 cập nhật từ tỉnh hoặc quầy khác chưa áp dụng được, báo kỹ thuật viên"},
		{"a revoked device says so plainly and still counts what waits", counter.LinkState{Enrolled: true, Pending: 2, PendingBytes: 2048, LastSuccess: now, Error: "revoked"},
			"Thiết bị đã bị thu hồi trên máy chủ tỉnh, báo kỹ thuật viên để đăng ký lại; dữ liệu trên máy vẫn giữ nguyên · chờ gửi 2 bản ghi (2 KB) · gửi được lúc 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := counter.LinkText(tt.st, now); got != tt.want {
				t.Fatalf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
