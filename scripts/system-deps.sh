#!/usr/bin/env bash
# Installs the Debian libraries Qt needs, but only those that are missing, so that
# `make` on a machine that already has them never calls apt-get.
# Usage: system-deps.sh [--display] [PACKAGE ...]  (extra packages, e.g. for building the .deb)
set -euo pipefail
needed=(libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3)
for arg in "$@"; do
  if [ "$arg" = "--display" ]; then
    # A real window (xcb platform) needs a few more.
    needed+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0)
  else
    needed+=("$arg")
  fi
done
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installeren van systeempakketten: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
