#!/usr/bin/env bash
# Takes the review mode's screenshots from a real motcua window under Xvfb
# (1440×900): a provincial hub on loopback seeded with demo data by
# app/ui/review/reviewtest/demohub (three communes whose counter PCs received
# dossiers over 30 days and pushed them with their scans, some decided), then
# motcua --mode review signed in as the demo reviewer by keystrokes and
# clicks (xdotool): the queue, a dossier with its scanned declaration
# rendered, the supplement dialog, the dashboard, and the offline banner
# once the hub is stopped.
# It builds nothing: build first with
#   go build -tags migrated_fynedo -o /tmp/motcua-review .
#   go build -tags migrated_fynedo -o /tmp/motcua-demohub ./app/ui/review/reviewtest/demohub
# usage: docs/screenshots/take-review.sh [BIN] [DEMOHUB] [OUTDIR]
set -euo pipefail
BIN=${1:-/tmp/motcua-review}
HUBBIN=${2:-/tmp/motcua-demohub}
OUT=${3:-docs/screenshots/review}
for t in Xvfb xdotool import xdpyinfo; do
	command -v $t >/dev/null || { echo "take-review.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils)" >&2; exit 1; }
done
for b in "$BIN" "$HUBBIN"; do
	[ -x "$b" ] || { echo "take-review.sh: $b is not built (see the header of this script)" >&2; exit 1; }
done
mkdir -p "$OUT"
WORK=$(mktemp -d)
HUB= APP= XVFB=
cleanup() {
	[ -n "$APP" ] && kill "$APP" 2>/dev/null || true
	[ -n "$HUB" ] && kill "$HUB" 2>/dev/null || true
	[ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/hub"
"$HUBBIN" "$WORK/hub" >"$WORK/hub.out" 2>"$WORK/hub.err" & HUB=$!
for _ in $(seq 300); do grep -q '^SCAN' "$WORK/hub.out" 2>/dev/null && break; kill -0 "$HUB" 2>/dev/null || break; sleep 0.1; done
grep -q '^SCAN' "$WORK/hub.out" || { echo "take-review.sh: the demo hub did not start:" >&2; cat "$WORK/hub.err" >&2; exit 1; }
URL=$(awk '/^URL/ {print $2}' "$WORK/hub.out")
SCAN=$(awk '/^SCAN/ {print $2}' "$WORK/hub.out")

DISP=:$((190 + RANDOM % 100))
Xvfb "$DISP" -screen 0 1440x900x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
"$BIN" --data "$WORK/data" --mode review --hub "$URL" >"$WORK/app.log" 2>&1 & APP=$!
timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take-review.sh: no window; app log:" >&2; cat "$WORK/app.log" >&2; exit 1; }
sleep 1.5

shot() { xdotool mousemove 0 0; sleep 1; import -window root "$OUT/$1.png"; echo "wrote $OUT/$1.png"; }
tap() { xdotool mousemove "$1" "$2" click 1; sleep 0.4; }
type_() { xdotool type --delay 8 "$1"; }

# Places on the 1440×900 window (see app/ui/review).
USER_ENTRY="780 435" PASS_ENTRY="780 475" SEARCH="539 264" FILTER="809 264" FIRST_ROW="300 343"
TAB_QUEUES="93 66" TAB_DASH="238 66" SUPPLEMENT="539 877" CANCEL="565 675"

shot login
tap $USER_ENTRY; type_ thamdinh
tap $PASS_ENTRY; type_ 'Xem-xet-2026!'; xdotool key Return; sleep 2
shot queue
tap $SEARCH; type_ "$SCAN"; xdotool key Return; sleep 1
tap $FIRST_ROW; sleep 2.5
shot dossier-scan
tap $SUPPLEMENT; sleep 0.5 # what is missing is ticked already
shot decision-supplement
tap $CANCEL; sleep 0.5
tap $TAB_DASH; sleep 2
shot dashboard
kill "$HUB"; wait "$HUB" 2>/dev/null || true; HUB=
tap $TAB_QUEUES; sleep 0.3
tap 93 110 # "Quay lại danh sách" (back to the list)
sleep 0.5
tap $FILTER; sleep 2
shot offline
