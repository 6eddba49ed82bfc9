#!/usr/bin/env bash
# Screenshots of the technician's screen ("Sao lưu & cấu hình") from a real
# motcua window under Xvfb: demo data, the leader logs in (the leader and the
# technician may run backups), opens the tab, backs up now, selects the new
# backup and verifies it, then starts a restore (first question shown).
# usage: docs/screenshots/technician/take.sh [BIN] [OUTDIR]
set -euo pipefail
BIN=${1:-bin/motcua}
OUT=${2:-docs/screenshots/technician}
for t in Xvfb xdotool import xdpyinfo; do
	command -v $t >/dev/null || { echo "take.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils)" >&2; exit 1; }
done
DATA=$(mktemp -d)
USB=$(mktemp -d)
DISP=:$((90 + RANDOM % 100))
cleanup() { kill "$APP" "$XVFB" 2>/dev/null || true; rm -rf "$DATA" "$DATA".restore* "$DATA".before-restore-* "$USB"; }
trap cleanup EXIT
"$BIN" --data "$DATA" demo --dossiers 60 --seed 7 >/dev/null
"$BIN" --data "$DATA" backup settings --dir "$USB" --at 12:30 --keep 30 >/dev/null
Xvfb "$DISP" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
"$BIN" --data "$DATA" >"$DATA/app.log" 2>&1 & APP=$!
timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take.sh: no window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
sleep 2
shot() { sleep 1.5; import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
fast() { xdotool type --delay 40 "$1"; }
xdotool mousemove 640 380 click 1
fast lanhdao; xdotool key Tab; fast motcua-demo-2026; xdotool key Return
sleep 2
xdotool mousemove "${TAB_X:-70}" "${TAB_Y:-370}" click 1   # Sao lưu & cấu hình
sleep 1
shot technician-tab
xdotool mousemove "${BACKUP_X:-212}" "${BACKUP_Y:-119}" click 1   # Sao lưu ngay
sleep 4
xdotool mousemove "${ROW_X:-400}" "${ROW_Y:-215}" click 1         # the new backup
xdotool mousemove "${VERIFY_X:-410}" "${VERIFY_Y:-164}" click 1   # Kiểm tra
sleep 3
shot technician-backup-verified
xdotool mousemove "${RESTORE_X:-525}" "${RESTORE_Y:-164}" click 1 # Khôi phục…
shot technician-restore-confirm
xdotool mousemove "${CONT_X:-690}" "${CONT_Y:-494}" click 1       # Tiếp tục
shot technician-restore-confirm2
xdotool mousemove "${DO_X:-690}" "${DO_Y:-494}" click 1           # Khôi phục
sleep 4
shot technician-restored
