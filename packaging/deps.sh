#!/usr/bin/env bash
# packaging/deps.sh — install the Debian 12 packages "make package" needs
# (only the missing ones; sudo when not root). wine64 runs the Windows
# artifacts in make package-test (/usr/lib/wine/wine64: Debian ships no
# /usr/bin/wine64 without the wine package).
set -euo pipefail
PKGS="gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev
libxxf86vm-dev dpkg xz-utils gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis osslsigncode openssl
wine64 xvfb xauth git sqlite3"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	echo "packaging: installing$missing"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
fi
