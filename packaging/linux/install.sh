#!/bin/sh
# Install motcua from this .tar.xz into /usr/local (or PREFIX), for machines
# where the .deb cannot be used. Run as root: sudo ./install.sh
# Uninstall: sudo ./install.sh --uninstall
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-/usr/local}
files="bin/motcua sbin/motcua-kiosk-autostart share/applications/vn.motcua.app.desktop
share/motcua/motcua-kiosk.desktop share/icons/hicolor/512x512/apps/vn.motcua.app.png
share/doc/motcua/copyright share/doc/motcua/technician.md"
if [ "${1:-}" = --uninstall ]; then
	for f in $files; do rm -f "$PREFIX/$f"; done
	rm -f /etc/udev/rules.d/70-motcua-serial.rules
	echo "motcua removed from $PREFIX (data folders in users' ~/.local/share/motcua are kept)"
	exit 0
fi
for f in $files; do
	install -D -m "$( [ -x "usr/$f" ] && echo 755 || echo 644)" "usr/$f" "$PREFIX/$f"
done
install -D -m 644 usr/lib/udev/rules.d/70-motcua-serial.rules /etc/udev/rules.d/70-motcua-serial.rules
if command -v udevadm >/dev/null 2>&1 && [ -d /run/udev ]; then
	udevadm control --reload-rules || true
	udevadm trigger --subsystem-match=tty --action=change || true
fi
echo "motcua installed in $PREFIX; start it from the Office menu or run: motcua"
