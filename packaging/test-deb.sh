#!/usr/bin/env bash
# Installs dist/merlet-desk_*.deb on this machine with apt (so Depends are resolved), checks
# the installed program, then purges the package and checks that nothing of it is left
# except the user's data. Needs root (or sudo). Exits non-zero on any failure.
#   make deb && bash packaging/test-deb.sh [--fresh-root]
# --fresh-root: afterwards the same in a minimal Debian made with debootstrap (nothing but
# the base system), which shows that Depends names every library the bundle needs. If
# debootstrap itself cannot fetch the base system (no network), that stage is skipped with a
# warning; any failure after that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh_root=0
[[ "${1:-}" == "--fresh-root" ]] && fresh_root=1
PYTHON="${PYTHON:-python3}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

arch="$(dpkg --print-architecture)"
version="$($PYTHON packaging/version.py --deb)"
deb="dist/merlet-desk_${version}_${arch}.deb"
[[ -f "$deb" ]] || { echo "test-deb: $deb ontbreekt; eerst make deb" >&2; exit 1; }

work="$(mktemp -d -t merlet-deb.XXXXXX)"
installed=0
cleanup() {
  local code=$?
  # Never leave a half-tested package behind on the machine.
  if [[ $installed -eq 1 ]]; then
    $SUDO rm -f /opt/merlet-desk/merlet-desk.ini
    $SUDO apt-get remove --purge -y -qq merlet-desk >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  [[ $code -eq 0 ]] && echo "test-deb: geslaagd" || echo "test-deb: MISLUKT (exit $code)" >&2
}
trap cleanup EXIT

fail() {
  echo "test-deb: $*" >&2
  exit 1
}

echo "== pakket: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
contents="$(dpkg-deb --contents "$deb")"
for path in ./opt/merlet-desk/merlet-desk ./usr/bin/merlet-desk \
  ./usr/share/applications/merlet-desk.desktop \
  ./usr/share/icons/hicolor/256x256/apps/merlet-desk.png \
  ./usr/share/icons/hicolor/scalable/apps/merlet-desk.svg; do
  grep -q " $path\$" <<<"$contents" || fail "$path ontbreekt in het pakket"
done
if grep -v ' root/root ' <<<"$contents" | grep -q .; then
  fail "bestanden in het pakket zijn niet van root/root"
fi

if dpkg-query -W -f='${Status}' merlet-desk 2>/dev/null | grep -q "install ok installed"; then
  echo "== een eerdere merlet-desk wordt eerst verwijderd"
  $SUDO apt-get remove --purge -y -qq merlet-desk >/dev/null
fi

echo "== installeren met apt-get (Depends worden opgelost)"
installed=1
if ! $SUDO apt-get install -y -qq --no-install-recommends "./$deb" >"$work/apt.log" 2>&1; then
  # A fresh machine may not have package lists yet: fetch them once and try again.
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "./$deb" >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get install faalde"; }
fi
dpkg-query -W -f='${Status} ${Version}\n' merlet-desk | grep -q "install ok installed $version" ||
  fail "merlet-desk $version is niet geïnstalleerd"
[[ "$(command -v merlet-desk)" == /usr/bin/merlet-desk ]] || fail "merlet-desk staat niet in /usr/bin"

echo "== bibliotheken van de geïnstalleerde bundel"
LD_LIBRARY_PATH=/opt/merlet-desk/_internal:/opt/merlet-desk/_internal/PySide6/Qt/lib \
  find /opt/merlet-desk -type f \( -name '*.so*' -o -name merlet-desk \) -exec ldd {} + \
  2>/dev/null | grep "not found" | sort -u >"$work/notfound" || true
[[ -s "$work/notfound" ]] && { cat "$work/notfound" >&2; fail "ontbrekende bibliotheken"; }
echo "  geen ontbrekende bibliotheken"

if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/merlet-desk.desktop
fi

echo "== het geïnstalleerde programma"
bash packaging/check-app.sh merlet-desk "$($PYTHON packaging/version.py)"

echo "== merlet-desk.ini naast het programma (zoals de Windows-installer die schrijft)"
userdata="$work/gebruikersdata"
mkdir -p "$userdata"
printf '[merlet-desk]\ndatabase = %s/uit-ini.sqlite\nread_only = 0\n' "$userdata" |
  $SUDO tee /opt/merlet-desk/merlet-desk.ini >/dev/null
(unset MERLET_DESK_DB; HOME="$work" merlet-desk init) | tee "$work/ini.out"
grep -q "$userdata/uit-ini.sqlite" "$work/ini.out" || fail "init gebruikte de database uit de ini niet"
[[ -s "$userdata/uit-ini.sqlite" ]] || fail "geen database op het pad uit de ini"
$SUDO rm -f /opt/merlet-desk/merlet-desk.ini

echo "== verwijderen (apt-get remove --purge)"
$SUDO apt-get remove --purge -y -qq merlet-desk >/dev/null
installed=0
dpkg-query -W -f='${Status}' merlet-desk 2>/dev/null | grep -q "install ok installed" &&
  fail "merlet-desk staat nog als geïnstalleerd"
left=()
for path in /opt/merlet-desk /usr/bin/merlet-desk /usr/share/applications/merlet-desk.desktop \
  /usr/share/doc/merlet-desk /usr/share/icons/hicolor/*/apps/merlet-desk.*; do
  [[ -e "$path" || -L "$path" ]] && left+=("$path")
done
[[ ${#left[@]} -eq 0 ]] || fail "na verwijderen nog aanwezig: ${left[*]}"
echo "  niets achtergebleven onder /opt, /usr/bin, /usr/share"
[[ -s "$userdata/uit-ini.sqlite" ]] || fail "de gegevens van de gebruiker zijn mee verwijderd"
echo "  gebruikersgegevens blijven staan"

[[ $fresh_root -eq 1 ]] || exit 0

echo "== schone root: minimale Debian (debootstrap --variant=minbase)"
suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"
if ! command -v debootstrap >/dev/null; then
  $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } ||
    { echo "WAARSCHUWING: debootstrap niet te installeren; test in schone root overgeslagen" >&2; exit 0; }
fi
root="$work/root"
if ! $SUDO debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -5 "$work/debootstrap.log" >&2
  echo "WAARSCHUWING: debootstrap kon geen basissysteem ophalen; test in schone root overgeslagen" >&2
  exit 0
fi
$SUDO cp "$deb" packaging/check-app.sh "$root/tmp/"
in_root() { $SUDO chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >"$work/apt-root.log" 2>&1 ||
  { cat "$work/apt-root.log" >&2; fail "apt-get install in de schone root faalde"; }
echo "  geïnstalleerd met: $(grep -c '^Setting up' "$work/apt-root.log") pakketten"
in_root bash /tmp/check-app.sh merlet-desk "$($PYTHON packaging/version.py)"
in_root apt-get remove --purge -y -qq merlet-desk >"$work/purge-root.log" 2>&1 ||
  { cat "$work/purge-root.log" >&2; fail "verwijderen in de schone root faalde"; }
for path in /opt/merlet-desk /usr/bin/merlet-desk /usr/share/applications/merlet-desk.desktop \
  /usr/share/doc/merlet-desk; do
  [[ -e "$root$path" ]] && fail "na verwijderen in de schone root nog aanwezig: $path"
done
compgen -G "$root/usr/share/icons/hicolor/*/apps/merlet-desk.*" >/dev/null &&
  fail "iconen bleven achter in de schone root"
echo "  schone root: installeren, gebruiken en verwijderen in orde"
