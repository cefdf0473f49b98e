#!/usr/bin/env bash
# Builds dist/merlet-desk_<version>_<arch>.deb from the bundle in dist/merlet-desk/ (make bundle).
#   /opt/merlet-desk/                        the bundle (executable merlet-desk + _internal/)
#   /usr/bin/merlet-desk                     launcher script
#   /usr/share/applications/merlet-desk.desktop
#   /usr/share/icons/hicolor/{64x64,256x256,scalable}/apps/merlet-desk.{png,svg}
# Depends is computed from the bundle (packaging/deb_depends.py); Version comes from
# pyproject.toml (packaging/version.py). No maintainer scripts: the icon cache and the desktop
# database are refreshed by the dpkg triggers of hicolor-icon-theme and desktop-file-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
bundle=dist/merlet-desk
[[ -x "$bundle/merlet-desk" ]] || { echo "build-deb: $bundle/merlet-desk ontbreekt; eerst make bundle" >&2; exit 1; }

version="$($PYTHON packaging/version.py --deb)"
arch="$(dpkg --print-architecture)"
out="dist/merlet-desk_${version}_${arch}.deb"
depends="$($PYTHON packaging/deb_depends.py "$bundle")"
[[ -n "$depends" ]] || { echo "build-deb: geen Depends berekend" >&2; exit 1; }

root=build/deb/merlet-desk
rm -rf build/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/64x64/apps" "$root/usr/share/icons/hicolor/256x256/apps" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/merlet-desk"
cp -a "$bundle" "$root/opt/merlet-desk"

# A script rather than a symlink: the program then sees /opt/merlet-desk/merlet-desk as its
# executable and finds an optional /opt/merlet-desk/merlet-desk.ini (database, read_only).
cat >"$root/usr/bin/merlet-desk" <<'LAUNCHER'
#!/bin/sh
exec /opt/merlet-desk/merlet-desk "$@"
LAUNCHER
chmod 0755 "$root/usr/bin/merlet-desk"

cat >"$root/usr/share/applications/merlet-desk.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Version=1.0
Name=Merlet Desk
GenericName=Beleid en toestemmingen
Comment=Social-mediabeleid, toestemmingsregister en incidentenlog van Merlet College
Exec=/usr/bin/merlet-desk
Icon=merlet-desk
Terminal=false
Categories=Office;
Keywords=beleid;toestemming;AVG;incident;rapport;
StartupNotify=true
DESKTOP

install -m 0644 resources/icons/merlet-desk-64.png "$root/usr/share/icons/hicolor/64x64/apps/merlet-desk.png"
install -m 0644 resources/icons/merlet-desk-256.png "$root/usr/share/icons/hicolor/256x256/apps/merlet-desk.png"
install -m 0644 resources/icons/merlet-desk.svg "$root/usr/share/icons/hicolor/scalable/apps/merlet-desk.svg"
cat >"$root/usr/share/doc/merlet-desk/copyright" <<'COPYRIGHT'
Merlet Desk, Merlet College. Proprietary; for use within Merlet College only.
Bundled third-party software (Python, Qt/PySide6 under LGPLv3, reportlab, sqlite-utils,
pypdfium2, and others) keeps its own licence; see /opt/merlet-desk/_internal.
COPYRIGHT

# Files are root-owned in the package (--root-owner-group); make the modes sane as well.
find "$root" -type d -exec chmod 0755 {} +
find "$root/opt" -type f -perm /u+x -exec chmod 0755 {} +
find "$root/opt" -type f ! -perm /u+x -exec chmod 0644 {} +

installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<CONTROL
Package: merlet-desk
Version: $version
Architecture: $arch
Maintainer: ICT Merlet College <info@merletcollege.nl>
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: $depends
Homepage: https://www.merletcollege.nl/
Description: social-media policy, consent register and incident log
 Merlet Desk is the offline desktop program of the communications office of
 Merlet College: the social-media policy, the register of consent for photos
 and videos of pupils, the log of digital incidents and letterhead PDF
 reports, all in one local SQLite file. Installed under /opt/merlet-desk.
CONTROL

(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
  xargs -0 md5sum >DEBIAN/md5sums)

mkdir -p dist
rm -f dist/merlet-desk_*_"$arch".deb
dpkg-deb --build --root-owner-group -Zxz -z6 "$root" "$out" >/dev/null
echo "Gebouwd: $out ($(du -h "$out" | cut -f1); geïnstalleerd $((installed_kb / 1024)) MB)"
echo "Depends: $depends"
