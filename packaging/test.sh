#!/usr/bin/env bash
# packaging/test.sh — the package test (make package-test): builds every
# artifact with packaging/build.sh into a temporary dist, then checks them:
#   - the .deb installs with "dpkg --root" into a fresh root, lists its files,
#     and the installed /usr/bin/motcua --version prints the stamped version;
#     it also unpacks with dpkg -x; it removes cleanly
#   - the .tar.xz holds the same binary
#   - the portable exe and the installer are PE files whose Authenticode
#     signatures verify with osslsigncode against the build's test certificate
#   - SHA256SUMS matches every artifact
#   - under Debian's wine64: the portable exe prints its version; the NSIS
#     installer refuses Windows 7 (wine's default) without hanging, and on
#     Windows 10 installs silently (/S) and the installed exe runs
#     (wine 8.0 lacks bcryptprimitives.dll, which Go programs need: the test
#     prefix gets packaging/wine/bcryptprimitives.c, see there)
#   - upgrade: the binary of an older commit (schema 1, git archive of
#     $UPGRADE_FROM) makes demo data; the new binary opens it: a pre-upgrade
#     backup is written first, the migrations run, every dossier is still there
#     (same rows before and after), and the migrated data restores and checks
# Takes minutes (cgo cross build): not part of "go test ./...".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
WINE=${WINE:-/usr/lib/wine/wine64}
[ -x "$WINE" ] || { echo "package-test: $WINE missing: run packaging/deps.sh (Debian package wine64)" >&2; exit 1; }
for t in dpkg dpkg-deb osslsigncode x86_64-w64-mingw32-objdump x86_64-w64-mingw32-gcc makensis git xvfb-run sqlite3; do
	command -v "$t" >/dev/null || { echo "package-test: $t missing: run packaging/deps.sh" >&2; exit 1; }
done
T=$(mktemp -d)
cleanup() {
	local rc=$?
	[ -z "${WINEPREFIX:-}" ] || "$(dirname "$WINE")/wineserver" -k 2>/dev/null || true
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
export DIST=${DIST:-$T/dist}
[ -n "${SKIP_BUILD:-}" ] || bash packaging/build.sh linux windows hub
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
ok() { echo "package-test: ok: $*"; }

deb=$(ls "$DIST"/motcua_*_amd64.deb)
ver=$(dpkg-deb -f "$deb" Version)
# 1. dpkg --root into a fresh root (scripts run chrootless with DPKG_ROOT set:
#    our postinst touches nothing on the host then).
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/log"
touch "$R/var/lib/dpkg/status"
dpkg --root="$R" --log=/dev/null --force-depends --force-script-chrootless --force-not-root -i "$deb" >/dev/null
for f in usr/bin/motcua usr/share/applications/vn.motcua.app.desktop usr/share/icons/hicolor/512x512/apps/vn.motcua.app.png \
	usr/lib/udev/rules.d/70-motcua-serial.rules usr/sbin/motcua-kiosk-autostart; do
	[ -e "$R/$f" ] || fail "$f not installed"
done
got=$("$R/usr/bin/motcua" --version)
[ "$got" = "motcua $ver" ] || fail "installed motcua --version says '$got', want 'motcua $ver'"
ok "dpkg --root install; $got"
dpkg --root="$R" --log=/dev/null --force-script-chrootless --force-not-root -r motcua >/dev/null
[ ! -e "$R/usr/bin/motcua" ] || fail "dpkg -r left /usr/bin/motcua"
ok "dpkg --root remove"
# 2. dpkg -x
X=$T/x
dpkg -x "$deb" "$X"
[ "$("$X/usr/bin/motcua" --version)" = "motcua $ver" ] || fail "dpkg -x binary"
ok "dpkg -x"
# 2b. a PC without OpenGL 2.1 (Mesa told to offer 2.0) gets a plain message, not a crash
command -v xvfb-run >/dev/null || fail "xvfb-run missing: apt-get install xvfb xauth"
set +e
msg=$(MESA_GL_VERSION_OVERRIDE=2.0 LIBGL_ALWAYS_SOFTWARE=1 timeout 60 xvfb-run -a "$X/usr/bin/motcua" --data "$T/gl" 2>&1)
rc=$?
set -e
[ $rc = 1 ] && grep -q "OpenGL 2.1" <<<"$msg" || fail "no-OpenGL start: exit $rc: $msg"
ok "no OpenGL 2.1: exit 1 with a plain message"
# 3. the tarball
tar -C "$T" -xJf "$DIST"/motcua-*-linux-amd64.tar.xz
cmp "$T"/motcua-*-linux-amd64/usr/bin/motcua "$X/usr/bin/motcua" || fail "tar.xz and .deb binaries differ"
ok "tar.xz"
# 4. Windows: PE and signatures
for exe in "$DIST"/motcua-*-windows-amd64.exe "$DIST"/motcua-*-windows-amd64-setup.exe; do
	hdr=$(x86_64-w64-mingw32-objdump -f "$exe")
	grep -q 'file format pei-' <<<"$hdr" || fail "$exe is not a PE file"
	osslsigncode verify -CAfile "$DIST/signing/test-cert.pem" -in "$exe" >"$T/verify.txt" 2>&1 ||
		{ cat "$T/verify.txt"; fail "signature of $exe"; }
	grep -q "Signature verification: ok" "$T/verify.txt" || fail "signature of $exe"
	ok "$(basename "$exe"): PE, signature verifies"
done
pe=$(x86_64-w64-mingw32-objdump -p "$DIST"/motcua-*-windows-amd64.exe)
grep -q 'Subsystem.*Windows GUI' <<<"$pe" || fail "the exe is not a GUI (no console) program"
ok "exe subsystem: Windows GUI"
# 5. checksums
(cd "$DIST" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS"
ok "SHA256SUMS"
# 6. Windows artifacts under wine (a fresh WINEPREFIX; xvfb for wine's own windows)
export WINEPREFIX=$T/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
exe=$(ls "$DIST"/motcua-*-windows-amd64.exe)
setup=$(ls "$DIST"/motcua-*-windows-amd64-setup.exe)
xvfb-run -a "$WINE" wineboot --init >"$T/wineboot.txt" 2>&1 || { cat "$T/wineboot.txt"; fail "wineboot"; }
# Debian 12's wine 8.0 lacks bcryptprimitives.dll, which every Go >= 1.22
# Windows program loads at start (ProcessPrng): give this throw-away prefix
# the one-function stand-in of packaging/wine/bcryptprimitives.c.
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	packaging/wine/bcryptprimitives.c -ladvapi32 -Wl,--kill-at || fail "build the wine bcryptprimitives.dll stand-in"
got=$(xvfb-run -a "$WINE" "$exe" --version 2>"$T/wine-err.txt" | tr -d '\r') || { cat "$T/wine-err.txt"; fail "motcua.exe --version under wine"; }
[ "$got" = "motcua $ver" ] || { cat "$T/wine-err.txt"; fail "motcua.exe --version under wine says '$got', want 'motcua $ver'"; }
ok "wine: $(basename "$exe") --version: $got"
WINESERVER=$(dirname "$WINE")/wineserver
# setup.exe /S in one X session, waiting for every wine process to end
# (bounded: an installer waiting on a message box must fail the test, not hang it)
install() {
	local rc=0
	timeout 300 xvfb-run -a sh -c '"$0" "$1" /S; rc=$?; "$2" -w; exit $rc' "$WINE" "$setup" "$WINESERVER" >"$T/nsis.txt" 2>&1 || rc=$?
	[ $rc != 124 ] || { "$WINESERVER" -k || true; fail "the silent installer hung (a message box without /SD?)"; }
	return $rc
}
find_inst() { find "$WINEPREFIX/drive_c" -iname motcua.exe -ipath '*program files*' | head -1; }
# wine 8 reports Windows 7 by default: the installer must refuse it
install && fail "the installer ran on Windows 7 (wine's default version) without refusing"
[ -z "$(find_inst)" ] || fail "the installer refused Windows 7 but left files"
ok "wine (Windows 7): the installer refuses, installs nothing"
"$WINE" winecfg -v win10 >/dev/null 2>&1
"$WINESERVER" -w
install || { cat "$T/nsis.txt"; fail "silent NSIS install under wine (Windows 10)"; }
inst=$(find_inst)
[ -n "$inst" ] || { cat "$T/nsis.txt"; fail "the silent install left no motcua.exe under Program Files"; }
got=$(xvfb-run -a "$WINE" "$inst" --version 2>/dev/null | tr -d '\r')
[ "$got" = "motcua $ver" ] || fail "installed motcua.exe --version under wine says '$got'"
for f in uninstall.exe; do
	[ -e "$(dirname "$inst")/$f" ] || fail "the silent install left no $f"
done
ok "wine (Windows 10): silent NSIS install into ${inst#"$WINEPREFIX"/}; installed exe runs"
# 7. Upgrade from an older binary: schema 1 (before lifecycle, sync, backups).
UPGRADE_FROM=${UPGRADE_FROM:-2ed61bd}
O=$T/old
mkdir -p "$O/src"
git archive "$UPGRADE_FROM" | tar -x -C "$O/src"
(cd "$O/src" && CGO_ENABLED=1 go build -tags migrated_fynedo -o "$O/motcua-old" .) || fail "build of $UPGRADE_FROM"
D=$T/upgrade-data
"$O/motcua-old" --data "$D" demo --dossiers 25 >"$T/old-demo.txt" 2>&1 || { cat "$T/old-demo.txt"; fail "old demo"; }
old_schema=$(sqlite3 "$D/motcua.db" 'SELECT max(version) FROM schema_migrations')
[ "$old_schema" -lt "$(ls internal/store/migrations/*.sql | wc -l)" ] || fail "the old binary's schema ($old_schema) is not older"
sqlite3 "$D/motcua.db" 'SELECT code, name, id_number, phone, procedure_code, received_at, status FROM dossiers ORDER BY code' >"$T/old-dossiers.txt"
NEW="$X/usr/bin/motcua"
"$NEW" --data "$D" backup "$T/after-upgrade.tar.gz" >"$T/new-backup.txt" 2>&1 || { cat "$T/new-backup.txt"; fail "new binary on old data"; }
pre=$(ls "$D"/backups/motcua-v*-pre-upgrade.tar.gz 2>/dev/null | head -1)
[ -n "$pre" ] || fail "no pre-upgrade backup in $D/backups"
"$NEW" --data "$D" backup --check "$pre" >"$T/pre.txt" 2>&1 || { cat "$T/pre.txt"; fail "pre-upgrade backup does not verify"; }
grep -q "schema 1\b" "$T/pre.txt" || { cat "$T/pre.txt"; fail "pre-upgrade backup is not of schema 1"; }
grep -q "25 dossiers" "$T/pre.txt" || { cat "$T/pre.txt"; fail "pre-upgrade backup lacks the 25 dossiers"; }
"$NEW" --data "$D" backup --check "$T/after-upgrade.tar.gz" >"$T/post.txt" 2>&1 || { cat "$T/post.txt"; fail "post-upgrade backup"; }
want_schema=$(ls internal/store/migrations/*.sql | sed -n 's#.*/0*\([0-9]*\)_.*#\1#p' | sort -n | tail -1)
grep -q "schema $want_schema\b" "$T/post.txt" || { cat "$T/post.txt"; fail "migrated store is not at schema $want_schema"; }
grep -q "25 dossiers" "$T/post.txt" || { cat "$T/post.txt"; fail "dossiers lost in the upgrade"; }
"$NEW" --data "$T/restored" restore "$T/after-upgrade.tar.gz" >"$T/restore.txt" 2>&1 || { cat "$T/restore.txt"; fail "restore of the upgraded data"; }
grep -q "25 dossiers, .* audit chain of [0-9]* records verifies" "$T/restore.txt" || { cat "$T/restore.txt"; fail "upgraded data does not check"; }
sqlite3 "$D/motcua.db" 'SELECT code, name, id_number, phone, procedure_code, received_at, status FROM dossiers ORDER BY code' >"$T/new-dossiers.txt"
cmp -s "$T/old-dossiers.txt" "$T/new-dossiers.txt" || { diff "$T/old-dossiers.txt" "$T/new-dossiers.txt" | head; fail "dossiers changed in the upgrade"; }
ok "upgrade from $UPGRADE_FROM (schema ${old_schema}): pre-upgrade backup $(basename "$pre") verifies; schema $want_schema, the same 25 dossiers, audit chain verifies"
echo "package-test: all checks passed"
