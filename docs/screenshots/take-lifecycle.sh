#!/usr/bin/env bash
# Takes the lifecycle screenshots (issue 4) from a real motcua window under
# Xvfb: a demo data directory; the clerk `canbo` opens a dossier, starts its
# processing and requests a supplement (dialog typed by keystrokes), so the
# detail shows its history and the paused processing clock; then the leader
# `lanhdao` logs in and lands on the home screen (figures, by procedure, the
# 30-day chart, satisfaction votes) and opens the tracking book for a date
# range (its lines, then the preview of its printed first page).
# usage: docs/screenshots/take-lifecycle.sh [BIN] [OUTDIR]
set -euo pipefail
BIN=${1:-bin/motcua}
OUT=${2:-docs/screenshots/lifecycle}
for t in Xvfb xdotool import xdpyinfo; do
	command -v $t >/dev/null || { echo "take-lifecycle.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils)" >&2; exit 1; }
done
mkdir -p "$OUT"
DATA=${MOTCUA_SHOT_DATA:-$(mktemp -d)}
DISP=:$((90 + RANDOM % 100))
cleanup() {
	kill "${APP:-}" "$XVFB" 2>/dev/null || true
	[ -n "${MOTCUA_SHOT_DATA:-}" ] || rm -rf "$DATA"
}
trap cleanup EXIT
"$BIN" --data "$DATA" demo --dossiers 300 --seed 7 >/dev/null
Xvfb "$DISP" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
start() {
	"$BIN" --data "$DATA" >>"$DATA/app.log" 2>&1 & APP=$!
	timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take-lifecycle.sh: no window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
	sleep 2
}
shot() { sleep 1.5; import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
# xdotool remaps a spare keycode for each letter with a diacritic; on a
# loaded machine a short delay lets the app read a keycode already remapped
# for the next letter and drop one: check the shots for missing letters
slow() { xdotool type --delay 400 "$1"; }
fast() { xdotool type --delay 40 "$1"; }
login() {
	xdotool mousemove 640 380 click 1
	xdotool key ctrl+a BackSpace             # the login field keeps the last login
	fast "$1"; xdotool key Tab; fast motcua-demo-2026; xdotool key Return
	sleep 2
}

start
login canbo
xdotool mousemove 65 125 click 1         # Danh sách hồ sơ
sleep 1.5
xdotool mousemove 500 100 click 1        # the newest dossier
sleep 1.5
xdotool mousemove 197 62 click 1         # Bắt đầu xử lý
sleep 1
xdotool mousemove 676 376 click 1        # Ghi chú
slow "Hồ sơ đủ, chuyển công chức Tư pháp – Hộ tịch"
xdotool mousemove 887 474 click 1        # Xác nhận
sleep 1.5
xdotool mousemove 344 62 click 1         # Yêu cầu bổ sung
sleep 1
xdotool mousemove 718 298 click 1        # Giấy tờ cần bổ sung
slow "Giấy chứng sinh (bản chính)"; xdotool key Return
slow "Bản sao Giấy chứng nhận kết hôn của cha, mẹ"
xdotool mousemove 718 375 click 1        # Lý do
slow "Hồ sơ thiếu giấy chứng sinh bản chính"
xdotool mousemove 718 473 click 1        # Điện thoại liên hệ
fast "0912345678"
shot supplement-dialog
xdotool mousemove 887 551 click 1        # Xác nhận
sleep 1.5
xdotool mousemove 700 500
for _ in $(seq 20); do xdotool click 5; done   # scroll to the history
shot detail-history
xdotool mousemove 1220 778 click 1       # Đăng xuất
sleep 1.5
login lanhdao
sleep 1
shot leader-home
xdotool mousemove 195 733 click 1        # Sổ theo dõi…
sleep 2
shot tracking-book
xdotool mousemove 195 721 click 1        # Xem trước bản in
sleep 3
shot tracking-book-page
