#!/usr/bin/env bash
# Takes the devices screenshots (issue 5) from a real motcua window under
# Xvfb, with real stand-ins for the hardware:
#  - the CCCD card reader is a socat pty pair: the app reads the device end,
#    the script writes a card's QR frame into the other end;
#  - the scanner is a watched scan folder holding three pages (made with
#    ImageMagick and the app's Noto Sans), one of them scanned sideways;
#  - the thermal printer is a socat TCP listener on loopback that records
#    the job bytes (receipts are set to print on it);
#  - SANE's test backend is enabled in a private SANE_CONFIG_DIR so the
#    diagnostics list SANE scanners.
# The clerk reads a card into the reception form, scans a paper, arranges
# the pages in the review (one moved, one turned) and saves; the receipt
# goes to the thermal printer. The technician then opens the devices screen,
# test-reads a card, prints a test slip and test-scans a page with SANE's
# test backend (slowed down, so the scan in progress shows). "motcua doctor" is recorded in
# Vietnamese and English, and the thermal slips are rendered back to PNG by
# the printing tests (app/wire/devices_test.go).
# It builds nothing: build first with
#   go build -tags migrated_fynedo -o /tmp/motcua .
# usage: docs/screenshots/take-devices.sh [BIN] [OUTDIR]
set -euo pipefail
BIN=${1:-/tmp/motcua}
OUT=${2:-docs/screenshots/devices}
for t in Xvfb xdotool import xdpyinfo socat sqlite3 convert go; do
	command -v $t >/dev/null || { echo "take-devices.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils socat sqlite3; Go)" >&2; exit 1; }
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DATA=$(mktemp -d)
APP= XVFB= CARD= PRINTER=
cleanup() {
	for p in $APP $XVFB $CARD $PRINTER; do kill "$p" 2>/dev/null || true; done
	rm -rf "$DATA"
}
trap cleanup EXIT
"$BIN" --data "$DATA" demo --dossiers 30 --seed 7 >/dev/null 2>&1
DB="$DATA/motcua.db"
# a technician account, with the demo clerk's password
sqlite3 "$DB" "INSERT INTO accounts SELECT 'kythuat', 'Lê Văn Kỹ', 'technician', password_hash, 0, NULL, 0, created_at, updated_at FROM accounts WHERE login = 'canbo'"

socat -d -d "pty,link=$DATA/card,raw,echo=0" "pty,link=$DATA/feeder,raw,echo=0" >/dev/null 2>"$DATA/socat.log" & CARD=$!
PORT=$((20000 + RANDOM % 20000))
socat -u "TCP-LISTEN:$PORT,reuseaddr,fork,bind=127.0.0.1" "OPEN:$DATA/thermal.bin,creat,append" >/dev/null 2>&1 & PRINTER=$!
for _ in $(seq 50); do [ -e "$DATA/feeder" ] && break; sleep 0.1; done

# three scanned pages: the declaration, an appendix scanned sideways, the birth certificate
F="$ROOT/assets/fonts/NotoSans-Regular.ttf" B="$ROOT/assets/fonts/NotoSans-Bold.ttf"
mkdir -p "$DATA/scans"
convert -size 1240x1754 xc:white -fill black -font "$B" -pointsize 34 -gravity north \
	-annotate +0+120 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' -pointsize 30 -annotate +0+170 'Độc lập - Tự do - Hạnh phúc' \
	-pointsize 44 -annotate +0+300 'TỜ KHAI ĐĂNG KÝ KHAI SINH' -font "$F" -pointsize 28 -gravity northwest \
	-annotate +120+440 'Kính gửi: UBND phường Ba Đình' -annotate +120+520 'Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hồng Nhung' \
	-annotate +120+580 'Nơi cư trú: Số 12 phố Đội Cấn, phường Ba Đình, Hà Nội' -annotate +120+640 'Giấy tờ tùy thân: CCCD số 001190012345' \
	-annotate +120+700 'Quan hệ với người được khai sinh: Mẹ' -annotate +120+800 'Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:' \
	-annotate +120+860 'Họ, chữ đệm, tên: Trần Minh Khang' -annotate +120+920 'Ngày, tháng, năm sinh: 02/11/2026' \
	-annotate +120+980 'Giới tính: Nam     Dân tộc: Kinh     Quốc tịch: Việt Nam' -annotate +120+1040 'Nơi sinh: Bệnh viện Phụ sản Hà Nội' \
	"$DATA/scans/1.png"
convert -size 1754x1240 xc:white -fill black -font "$F" -pointsize 28 -gravity northwest \
	-annotate +120+200 'Trang phụ lục (quét ngang)' -annotate +120+280 'Ghi chú của bệnh viện về tình trạng sức khỏe của trẻ sơ sinh.' \
	"$DATA/scans/2.png"
convert -size 1240x1754 xc:white -fill black -font "$B" -pointsize 40 -gravity north -annotate +0+160 'GIẤY CHỨNG SINH' \
	-font "$F" -pointsize 28 -gravity northwest -annotate +120+300 'Họ và tên mẹ: Nguyễn Thị Hồng Nhung' \
	-annotate +120+360 'Năm sinh: 1990     Dân tộc: Kinh' -annotate +120+420 'Đã sinh con vào lúc: 08 giờ 20 phút, ngày 02/11/2026' \
	-annotate +120+480 'Tại: Bệnh viện Phụ sản Hà Nội' -annotate +120+540 'Giới tính của con: Nam     Cân nặng: 3.200 gam' \
	-annotate +120+600 'Dự định đặt tên con là: Trần Minh Khang' -annotate +700+900 'Người đỡ đẻ' -annotate +680+1100 'Lê Thị Thu Hà' \
	"$DATA/scans/3.png"
touch -d '-3 min' "$DATA/scans/1.png"; touch -d '-2 min' "$DATA/scans/2.png"; touch -d '-1 min' "$DATA/scans/3.png"

sqlite3 "$DB" "INSERT INTO settings (key, value) VALUES ('devices',
	'{\"card_reader\":{\"port\":\"$DATA/card\",\"baud\":9600},\"scanner\":{\"kind\":\"folder\",\"dir\":\"$DATA/scans\",\"dpi\":200},\"thermal\":{\"uri\":\"tcp://127.0.0.1:$PORT\",\"width\":80,\"receipts\":true}}')
	ON CONFLICT (key) DO UPDATE SET value = excluded.value"
mkdir -p "$DATA/sane"; echo test >"$DATA/sane/dll.conf"
# the test backend draws a grid, slowly enough to see the scan in progress
printf 'test-picture grid\nread-delay true\nread-delay-duration 60000\n' >"$DATA/sane/test.conf"

DISP=:$((90 + RANDOM % 100))
Xvfb "$DISP" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
SANE_CONFIG_DIR="$DATA/sane" "$BIN" --data "$DATA" >"$DATA/app.log" 2>&1 & APP=$!
timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take-devices.sh: no window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
sleep 2
shot() { xdotool mousemove 0 0; sleep 1.2; import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.5}"; }
fast() { xdotool type --delay 40 "$1"; }
card() { printf '001190012345|012345678|Nguyễn Thị Hồng Nhung|17051990|Nữ|Số 12 phố Đội Cấn, phường Ba Đình, Hà Nội|01072021\r\n' >"$DATA/feeder"; sleep 1.5; }
login() { click 640 380; xdotool key ctrl+a; fast "$1"; xdotool key Tab; fast motcua-demo-2026; xdotool key Return; sleep "$2"; }

# the clerk: card, scan, review, receipt
login canbo 2
fast "dang ky khai sinh"; sleep 1
click 400 150                              # Đăng ký khai sinh
click 1227 733 1.5                         # Tiếp tục → người nộp
click 177 66 0.8                           # Đọc thẻ
shot 01-card-waiting
card
shot 02-card-read
fast 0912345678
click 1227 733 1.5                         # Tiếp tục → giấy tờ
click 1130 105 2                           # Quét: the first paper
shot 03-scan-review
click 438 415 0.5                          # page 2 (sideways appendix) → later
click 552 455 0.8                          # turn it 90°
shot 04-scan-review-arranged
click 1135 717 1.5                         # Lưu 3 trang
shot 05-paper-scanned
click 1227 733 1.5                         # Tiếp tục → tóm tắt
click 710 437 3                            # Lưu và in giấy tiếp nhận
click 1062 21 3                            # In → the thermal printer
[ -s "$DATA/thermal.bin" ] || { echo "take-devices.sh: the receipt did not reach the thermal printer" >&2; exit 1; }
echo "thermal printer received $(stat -c %s "$DATA/thermal.bin") bytes"
click 1220 777 1.5                         # Đăng xuất

# the technician: the devices screen and its tests
login kythuat 6
shot 06-devices-screen
click 210 139 0.8                          # Đọc thử thẻ
card
shot 07-devices-test-card
click 410 580 2                            # In thử (máy in nhiệt)
shot 08-devices-test-thermal
click 528 222 0.8                          # Loại
click 430 295 0.5                          # Máy quét USB (SANE)
click 528 261; xdotool key ctrl+a; fast test:0
click 237 379 0                            # Quét thử một trang (SANE test backend)
shot 09-devices-test-scan-running
sleep 8
shot 10-devices-test-scan-done
kill "$APP"; wait "$APP" 2>/dev/null || true; APP=

SANE_CONFIG_DIR="$DATA/sane" "$BIN" --data "$DATA" doctor >"$OUT/doctor-vi.txt" 2>/dev/null || true
SANE_CONFIG_DIR="$DATA/sane" "$BIN" --data "$DATA" --lang en doctor >"$OUT/doctor-en.txt" 2>/dev/null || true
sed -i "s#$DATA#DATA#g; s#127.0.0.1:$PORT#127.0.0.1:PORT#g" "$OUT/doctor-vi.txt" "$OUT/doctor-en.txt"
echo "wrote $OUT/doctor-vi.txt $OUT/doctor-en.txt"
# the thermal slips, printed to a loopback listener and a socat pty and rendered back
(cd "$ROOT" && MOTCUA_SHOTS="$OUT" go test -tags migrated_fynedo -count=1 -run 'ThermalSlip|SerialThermal' ./app/wire/ >/dev/null)
echo "wrote $OUT/receipt-thermal-80mm.png $OUT/queue-ticket-80mm.png"
