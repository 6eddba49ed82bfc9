#!/usr/bin/env bash
# Takes the kiosk's screenshots from a real motcua window under Xvfb, every
# screen in landscape (1920×1080) and portrait (1080×1920): a demo data
# directory, the kiosk started with --mode kiosk, taps on the on-screen keypad
# and buttons (xdotool clicks), and receipt QR codes "scanned" the way a
# keyboard-wedge scanner sends them (typed characters, then Enter). The QR
# codes are signed with the demo device's own key (openssl, Ed25519), exactly
# as docs/receipt.md describes; the forged one has its appointment moved by
# one minute with the signature kept. Then the counter's queue page
# (counter-queue-*.png, 1280×800) calls the first number taken, and the
# kiosk shows it to the hall (*-19-number-called.png).
# It builds nothing: build first with
#   go build -tags migrated_fynedo -o /tmp/motcua-kiosk .
# usage: docs/screenshots/take-kiosk.sh [BIN] [OUTDIR]
set -euo pipefail
BIN=${1:-/tmp/motcua-kiosk}
OUT=${2:-docs/screenshots/kiosk}
for t in Xvfb xdotool import xdpyinfo sqlite3 openssl python3 xxd; do
	command -v $t >/dev/null || { echo "take-kiosk.sh: $t missing (apt-get install xvfb xdotool imagemagick x11-utils sqlite3 openssl python3 xxd)" >&2; exit 1; }
done
mkdir -p "$OUT"
DATA=$(mktemp -d)
APP= XVFB=
cleanup() {
	[ -n "$APP" ] && kill "$APP" 2>/dev/null || true
	[ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null || true
	rm -rf "$DATA"
}
trap cleanup EXIT
PIN=246810
"$BIN" --data "$DATA" demo --dossiers 150 --seed 7 >/dev/null
DB="$DATA/motcua.db"

# A dossier whose result is ready (status 9), its code and the last 4 digits
# of the applicant's ID number.
IFS='|' read -r CODE IDNUM RECV DUE < <(sqlite3 "$DB" \
	"SELECT code, id_number, received_at, due_at FROM dossiers WHERE status = 9 ORDER BY id DESC LIMIT 1")
LAST4=${IDNUM: -4}
SHORT=$(echo "$CODE" | sed -E 's/^.*-([0-9]{6})-([0-9]{4})$/\1\2/')

# The receipt QR payload, signed with the device key (docs/receipt.md).
# The demo device signs no receipt before its first one, so its key may not
# exist yet: give it one (what Store.DeviceKey would create on first use).
SEED=$(sqlite3 "$DB" "SELECT value FROM settings WHERE key = 'device_ed25519_seed'")
if [ -z "$SEED" ]; then
	SEED=$(openssl rand -base64 32)
	sqlite3 "$DB" "INSERT INTO settings (key, value) VALUES ('device_ed25519_seed', '$SEED')"
fi
KEY="$DATA/key.pem"
{ printf '302e020100300506032b657004220420'; echo "$SEED" | base64 -d | xxd -p -c 64; } | xxd -r -p |
	openssl pkey -inform DER -out "$KEY"
KEYID=$(openssl pkey -in "$KEY" -pubout -outform DER | tail -c 32 | sha256sum | cut -c1-8)
b36() { python3 -c "import sys
n=int(sys.argv[1])//60000; d='0123456789abcdefghijklmnopqrstuvwxyz'; s=''
while n: s=d[n%36]+s; n//=36
print(s or '0')" "$1"; }
sign() { # body → body.signature
	printf '%s' "$1" > "$DATA/body"
	printf '%s.%s' "$1" "$(openssl pkeyutl -sign -inkey "$KEY" -rawin -in "$DATA/body" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
}
QR=$(sign "MC1.$CODE.$(b36 "$RECV").$(b36 "$DUE").$KEYID")
FORGED="MC1.$CODE.$(b36 "$RECV").$(b36 $((DUE + 60000))).$KEYID.${QR##*.}"

start() { # W H IDLE
	printf '%s\n' "$PIN" | "$BIN" --data "$DATA" kiosk-pin --orientation "$ORIENT" --idle "$3" >/dev/null
	DISP=:$((90 + RANDOM % 100))
	Xvfb "$DISP" -screen 0 "$1x$2x24" >/dev/null 2>&1 & XVFB=$!
	export DISPLAY=$DISP
	for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
	"$BIN" --data "$DATA" --mode kiosk >"$DATA/app.log" 2>&1 & APP=$!
	timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take-kiosk.sh: no window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
	sleep 2
}
stop() { kill "$APP" "$XVFB" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP= XVFB=; }
shot() { xdotool mousemove 0 0; sleep 1.2; import -window root "$OUT/$ORIENT-$1.png"; echo "wrote $OUT/$ORIENT-$1.png"; }
tap() { xdotool mousemove "$1" "$2" click 1; sleep 0.4; }
# scan sends text as a keyboard-wedge scanner does
scan() { xdotool type --delay 5 "$1"; xdotool key Return; sleep 0.8; }

# Button centres (from the layout at each screen size; see app/ui/kiosk).
declare -A L=(
	[lookup]="323 452" [verify]="958 452" [procedures]="1592 452" [ticket]="323 801" [rate]="958 801" [tech]="1824 1030"
	[back]="482 1033" [home]="1434 1033" [submit]="1434 547" [psubmit]="1434 547" [clear]="1116 446"
	[k0]="1434 446" [k1]="1116 153" [k2]="1434 153" [k3]="1751 153" [k4]="1116 251" [k5]="1434 251"
	[k6]="1751 251" [k7]="1116 349" [k8]="1434 349" [k9]="1751 349"
	[rate_dossier]="958 945" [rate1]="323 629" [proc0]="958 319" [field1]="720 231" [service0]="482 511"
)
declare -A P=(
	[lookup]="538 427" [verify]="538 726" [procedures]="538 1026" [ticket]="538 1325" [rate]="538 1625" [tech]="984 1850"
	[back]="272 1873" [home]="804 1873" [submit]="538 911" [psubmit]="538 870" [clear]="183 810"
	[k0]="538 810" [k1]="183 517" [k2]="538 517" [k3]="892 517" [k4]="183 615" [k5]="538 615"
	[k6]="892 615" [k7]="183 712" [k8]="538 712" [k9]="892 712"
	[rate_dossier]="538 1785" [rate1]="538 534" [proc0]="551 391" [field1]="804 231" [service0]="538 537"
)
b() { local xy; if [ "$ORIENT" = landscape ]; then xy=${L[$1]}; else xy=${P[$1]}; fi; tap $xy; }
keys() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do b "k${s:i:1}"; done; }
pinkeys() { # the PIN screen's keypad sits 41 px higher in portrait (its hint is one line shorter)
	local s=$1 i xy x y
	for ((i = 0; i < ${#s}; i++)); do
		if [ "$ORIENT" = landscape ]; then xy=${L[k${s:i:1}]}; else xy=${P[k${s:i:1}]}; fi
		read -r x y <<<"$xy"; [ "$ORIENT" = portrait ] && y=$((y - 41)); tap "$x" "$y"
	done
}

for ORIENT in landscape portrait; do
	if [ "$ORIENT" = landscape ]; then W=1920 H=1080; else W=1080 H=1920; fi
	# Wrong confirmation tries survive a restart (migration 0008): the
	# landscape run locked $CODE; each orientation starts from a kiosk with
	# no wrong tries, as at its first start.
	sqlite3 "$DB" "DELETE FROM kiosk_tries; DELETE FROM kiosk_failures"
	start $W $H 600
	shot 01-home
	b lookup; keys "${SHORT:0:6}"; shot 02-lookup-code
	b home; scan "$CODE"; keys "${LAST4:0:2}"; shot 03-lookup-confirm
	b clear; keys 9999; b submit; shot 04-lookup-wrong-digits
	keys "$LAST4"; b submit; shot 05-lookup-result
	b rate_dossier; shot 06-rate-dossier
	b rate1; shot 07-rate-thanks
	b home; b verify; shot 08-verify-scan
	scan "$QR"; shot 09-verify-genuine
	b home; b verify; scan "$FORGED"; shot 10-verify-forged
	b home; b procedures; shot 11-procedures
	b field1; b proc0; shot 12-procedure
	b home; b ticket; shot 13-ticket-services
	b service0; sleep 1; shot 14-ticket
	b home; b tech; pinkeys 1234; shot 15-technician-pin
	b clear; for _ in 1 2 3; do pinkeys 111111; b psubmit; done; shot 16-technician-pin-locked
	b home; scan "$CODE"; for _ in 1 2 3; do keys 0000; b submit; done; shot 17-three-wrong-tries
	stop
	start $W $H 3 # the screen saver comes after twice the idle time
	sleep 8
	shot 18-screen-saver
	stop
done

# The counter's queue page (1280×800): the numbers taken above (A001 in
# landscape, A002 in portrait) wait; the clerk calls the next one. Then the
# kiosk tells the hall in both orientations.
ORIENT=counter
DISP=:$((90 + RANDOM % 100))
Xvfb "$DISP" -screen 0 1280x800x24 >/dev/null 2>&1 & XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
"$BIN" --data "$DATA" >"$DATA/app.log" 2>&1 & APP=$!
timeout 60 xdotool search --sync --name motcua >/dev/null || { echo "take-kiosk.sh: no counter window; app log:" >&2; cat "$DATA/app.log" >&2; exit 1; }
sleep 2
xdotool mousemove 640 380 click 1
xdotool type --delay 40 canbo; xdotool key Tab; xdotool type --delay 40 motcua-demo-2026; xdotool key Return
sleep 2
xdotool key ctrl+g; sleep 1 # Hàng chờ (its tab moves as tabs are added)
shot queue-1-waiting
tap 300 303 # Gọi số tiếp theo
shot queue-2-called
stop
for ORIENT in landscape portrait; do
	if [ "$ORIENT" = landscape ]; then W=1920 H=1080; else W=1080 H=1920; fi
	start $W $H 600
	shot 19-number-called
	stop
done
