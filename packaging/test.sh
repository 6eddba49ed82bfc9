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
# Takes minutes (cgo cross build): not part of "go test ./...".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
for t in dpkg dpkg-deb osslsigncode x86_64-w64-mingw32-objdump makensis; do
	command -v "$t" >/dev/null || { echo "package-test: $t missing: run packaging/deps.sh" >&2; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
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
echo "package-test: all checks passed"
