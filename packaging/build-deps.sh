#!/usr/bin/env bash
# Debian libraries the bundle's Qt plugins link to (xcb for X11, wayland for Wayland sessions).
# They must be on the machine that builds the .deb, so that packaging/deb_depends.py can find
# each one and name its package in Depends. scripts/system-deps.sh installs only the missing
# ones, so on a prepared machine `make deb` never calls apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/system-deps.sh --display \
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libcups2 \
  dpkg-dev desktop-file-utils
