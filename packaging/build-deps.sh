#!/usr/bin/env bash
# Debian libraries the bundle's Qt plugins link to (xcb for X11, wayland for Wayland sessions).
# They must be on the machine that builds the .deb, so that packaging/deb_depends.py can find
# each one and name its package in Depends. Installs only the missing ones (the same pattern as
# scripts/system-deps.sh), so on a prepared machine `make deb` never calls apt-get.
set -euo pipefail
needed=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libcups2
  dpkg-dev desktop-file-utils
)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installeren van bouwpakketten: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
