#!/usr/bin/env bash
# packaging/build.sh [linux] [windows] [hub] — build motcua's release artifacts
# into dist/ (default: all three), then write dist/SHA256SUMS.
#
#   linux    motcua_<v>_amd64.deb and motcua-<v>-linux-amd64.tar.xz
#   windows  motcua-<v>-windows-amd64.exe (portable) and
#            motcua-<v>-windows-amd64-setup.exe (NSIS installer), both
#            Authenticode-signed with osslsigncode
#   hub      motcua-hub-<v>-linux-{amd64,arm64} (static) and motcua-hub.service
#
# Nothing in the source tree is modified: the version comes from FyneApp.toml
# and git, and is stamped with -ldflags -X (no "fyne package", which bumps
# Build in FyneApp.toml on every run). Debian packages needed: see
# packaging/deps.sh (make package installs them).
#
# Environment:
#   MOTCUA_VERSION            override the version (default <FyneApp Version>+git<n>.<sha>)
#   MOTCUA_SIGN_PKCS12        production code-signing certificate (.p12/.pfx); without it a
#                             throw-away test certificate is generated in dist/signing/
#   MOTCUA_SIGN_PASSWORD_FILE file holding the .p12 password
#   MOTCUA_SIGN_TIMESTAMP     RFC 3161 timestamp server URL (optional; needs network)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$PATH:/usr/local/go/bin"
GO=${GO:-go}
DIST=${DIST:-$ROOT/dist}
TAGS=migrated_fynedo

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux windows hub)

toml() { sed -n "s/^$1 *= *\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}$/\\1/p" FyneApp.toml | head -1; }
APP_VERSION=$(toml Version)
APP_ID=$(toml ID)
if [ -z "${MOTCUA_VERSION:-}" ]; then
	if git rev-parse --git-dir >/dev/null 2>&1; then
		MOTCUA_VERSION="$APP_VERSION+git$(git rev-list --count HEAD).$(git rev-parse --short=8 HEAD)"
	else
		MOTCUA_VERSION="$APP_VERSION"
	fi
fi
V=$MOTCUA_VERSION
LDX="-X github.com/motcua/motcua/app.Version=$V"
say() { printf '\n== %s\n' "$*"; }
need() { # need TOOL DEBIAN-PACKAGE
	command -v "$1" >/dev/null || { echo "packaging: $1 is missing: apt-get install $2" >&2; exit 1; }
}
mkdir -p "$DIST"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

build_linux() {
	need dpkg-deb dpkg
	need xz xz-utils
	say "linux amd64 $V"
	local bin=$WORK/linux/motcua
	CGO_ENABLED=1 GOOS=linux GOARCH=amd64 $GO build -tags $TAGS -trimpath \
		-ldflags "-s -w $LDX" -o "$bin" .
	# The installed tree, shared by the .deb and the .tar.xz.
	local tree=$WORK/tree
	install -D -m 755 "$bin" "$tree/usr/bin/motcua"
	install -D -m 755 packaging/linux/motcua-kiosk-autostart "$tree/usr/sbin/motcua-kiosk-autostart"
	install -D -m 644 packaging/linux/motcua.desktop "$tree/usr/share/applications/$APP_ID.desktop"
	install -D -m 644 packaging/linux/motcua-kiosk.desktop "$tree/usr/share/motcua/motcua-kiosk.desktop"
	install -D -m 644 assets/icon.png "$tree/usr/share/icons/hicolor/512x512/apps/$APP_ID.png"
	install -D -m 644 packaging/linux/70-motcua-serial.rules "$tree/usr/lib/udev/rules.d/70-motcua-serial.rules"
	install -D -m 644 LICENSE "$tree/usr/share/doc/motcua/copyright"
	install -D -m 644 docs/technician.md "$tree/usr/share/doc/motcua/technician.md"

	# .deb
	local deb=$WORK/deb
	cp -a "$tree" "$deb"
	local debv=$V # "+git…" sorts after the FyneApp version it is built from
	mkdir -p "$deb/DEBIAN"
	install -m 755 packaging/linux/postinst packaging/linux/postrm "$deb/DEBIAN/"
	local size
	size=$(du -sk "$deb/usr" | cut -f1)
	cat >"$deb/DEBIAN/control" <<-EOF
	Package: motcua
	Version: $debv
	Architecture: amd64
	Maintainer: motcua <motcua@users.noreply.github.com>
	Installed-Size: $size
	Depends: libc6 (>= 2.34), libgl1, libx11-6, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1
	Recommends: cups-client, sane-utils, fonts-noto-core
	Section: misc
	Priority: optional
	Homepage: https://github.com/motcua/motcua
	Description: one-stop reception counter for commune offices (một cửa)
	 motcua receives administrative dossiers at a commune's one-stop counter:
	 procedures, papers, fees, appointment dates in working days, receipts with a
	 signed QR code. It works offline on a local SQLite store and synchronises
	 with the provincial hub. Includes a udev rule giving the seated user access
	 to USB serial ID-card readers, and motcua-kiosk-autostart for kiosk PCs.
	EOF
	local debfile="$DIST/motcua_${debv}_amd64.deb"
	dpkg-deb --root-owner-group -Zxz --build "$deb" "$debfile" >/dev/null
	echo "$debfile"

	# .tar.xz: the same tree plus an installer script.
	local tname="motcua-$V-linux-amd64"
	mkdir -p "$WORK/tar/$tname"
	cp -a "$tree/usr" "$WORK/tar/$tname/"
	install -m 755 packaging/linux/install.sh "$WORK/tar/$tname/install.sh"
	tar -C "$WORK/tar" --owner=0 --group=0 --sort=name -cJf "$DIST/$tname.tar.xz" "$tname"
	echo "$DIST/$tname.tar.xz"
}

build_windows() {
	need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
	need x86_64-w64-mingw32-windres binutils-mingw-w64-x86-64
	need makensis nsis
	need osslsigncode osslsigncode
	need openssl openssl
	say "windows amd64 $V"
	local w=$WORK/windows
	mkdir -p "$w"
	# Icon and manifest as a COFF resource object handed to the linker (a
	# .syso would have to be written into the source tree).
	$GO run ./packaging/icon -ico "$w/motcua.ico"
	local nv=${APP_VERSION//./,}
	sed -e "s|@ICON@|$w/motcua.ico|; s|@MANIFEST@|$ROOT/packaging/windows/motcua.exe.manifest|" \
		-e "s|@VERSION@|$V|g; s|@NUMVERSION@|$nv,0|g" packaging/windows/motcua.rc >"$w/motcua.rc"
	x86_64-w64-mingw32-windres -O coff -i "$w/motcua.rc" -o "$w/rsrc.o"
	# go-fitz's bundled MuPDF for Windows was built with a compiler that
	# emits fortify (__*_chk) calls and MSVC's __intrinsic_setjmpex: Debian's
	# mingw-w64 has neither by those names, so link the static stack-protector
	# library (-l:libssp.a provides __memcpy_chk & co.) and alias
	# __intrinsic_setjmpex to mingw's _setjmpex. -H windowsgui: no console.
	local ext="$w/rsrc.o -l:libssp.a -Wl,--defsym,__intrinsic_setjmpex=_setjmpex"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
		$GO build -tags $TAGS -trimpath \
		-ldflags "-H windowsgui -s -w $LDX -linkmode external -extldflags '$ext'" \
		-o "$w/motcua.exe" .
	local exe="$DIST/motcua-$V-windows-amd64.exe"
	bash packaging/windows/sign.sh "$w/motcua.exe" "$exe" "$DIST/signing"
	echo "$exe"

	# Installer: NSIS, per machine, Windows 10 or later (Go 1.26 needs it).
	cp "$w/motcua.exe" "$w/motcua-unsigned.exe"
	cp "$exe" "$w/motcua.exe"
	cp LICENSE "$w/LICENSE.txt"
	makensis -V2 -DVERSION="$V" -DNUMVERSION="$APP_VERSION.0" -DSRC="$w" -DICON="$w/motcua.ico" \
		-DOUT="$w/motcua-installer.exe" packaging/windows/installer.nsi
	local setup="$DIST/motcua-$V-windows-amd64-setup.exe"
	bash packaging/windows/sign.sh "$w/motcua-installer.exe" "$setup" "$DIST/signing"
	echo "$setup"
}

build_hub() {
	say "hub $V"
	if ! ls sync/cmd/motcua-hub/*.go >/dev/null 2>&1; then
		echo "packaging: sync/cmd/motcua-hub has no Go files yet: hub binaries skipped" >&2
		return 0
	fi
	for arch in amd64 arm64; do
		CGO_ENABLED=0 GOOS=linux GOARCH=$arch $GO build -trimpath -ldflags "-s -w -X main.version=$V" \
			-o "$DIST/motcua-hub-$V-linux-$arch" ./sync/cmd/motcua-hub
		echo "$DIST/motcua-hub-$V-linux-$arch"
	done
	install -m 644 packaging/hub/motcua-hub.service "$DIST/motcua-hub.service"
	echo "$DIST/motcua-hub.service"
}

for t in "${targets[@]}"; do
	case $t in
	linux) build_linux ;;
	windows) build_windows ;;
	hub) build_hub ;;
	*) echo "packaging: unknown target $t (linux, windows, hub)" >&2; exit 2 ;;
	esac
done

say "checksums"
(cd "$DIST" && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name '*.pem' -printf '%P\n' | sort |
	xargs -r sha256sum >SHA256SUMS && cat SHA256SUMS)
