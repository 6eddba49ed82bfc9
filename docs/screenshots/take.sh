#!/usr/bin/env bash
# Takes the README's screenshots from a real motcua window under Xvfb: a demo
# data directory, a clerk logging in, the reception wizard filled by
# keystrokes (Vietnamese text typed as composed characters, as Unikey-style
# tools inject them), the receipt preview after saving.
# usage: docs/screenshots/take.sh [BIN] [OUTDIR]
set -euo pipefail
BIN=${1:-bin/motcua}
OUT=${2:-docs/screenshots}
for t in Xvfb xdotool import xdpyinfo; do
	command -v $t >/dev/null || { echo "take.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils)" >&2; exit 1; }
done
# MOTCUA_SHOT_DATA keeps the data directory (the real-window test reads the
# saved dossier back from it).
DATA=${MOTCUA_SHOT_DATA:-$(mktemp -d)}
DISP=:$((90 + RANDOM % 100))
cleanup() {
	kill "$APP" "$XVFB" 2>/dev/null || true
	[ -n "${MOTCUA_SHOT_DATA:-}" ] || rm -rf "$DATA"
}
trap cleanup EXIT
"$BIN" --data "$DATA" demo --dossiers 150 --seed 7 >/dev/null
Xvfb "$DISP" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
"$BIN" --data "$DATA" >"$DATA/app.log" 2>&1 & APP=$!
timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take.sh: no window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
sleep 2
shot() { sleep 1.5; import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
slow() { xdotool type --delay 150 "$1"; }
fast() { xdotool type --delay 40 "$1"; }

shot login
xdotool mousemove 640 380 click 1
fast canbo; xdotool key Tab; fast motcua-demo-2026; xdotool key Return
sleep 2
fast "dang ky khai sinh"
shot reception
xdotool mousemove 400 150 click 1        # first result: Đăng ký khai sinh
xdotool mousemove 1227 733 click 1       # Tiếp tục
sleep 1
slow "Nguyễn Thị Hồng Nhung"; xdotool key Tab
fast "001190012345"; xdotool key Tab
fast "17/05/1990"
xdotool mousemove 233 378 click 1        # Nữ
xdotool mousemove 990 143 click 1        # Địa chỉ
slow "Số 12 phố Đội Cấn, phường Ba Đình, Hà Nội"; xdotool key Tab
fast "0912345678"
shot applicant
xdotool mousemove 1227 733 click 1       # Tiếp tục → giấy tờ
sleep 1
for y in 104 143 182; do xdotool mousemove 162 $y click 1; done   # the three required papers
shot papers
xdotool mousemove 1227 733 click 1       # Tiếp tục → tóm tắt
shot summary
xdotool mousemove 700 437 click 1        # Lưu và in giấy tiếp nhận
sleep 2
shot receipt-preview
xdotool mousemove 73 125 click 1         # Danh sách hồ sơ
shot list
