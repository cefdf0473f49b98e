#!/usr/bin/env bash
# Builds the wheel (`pip wheel .`, as pipx or a packager would), installs it into a fresh
# virtualenv outside the source tree, and smoke-tests the installed program with
# packaging/check-app.sh (init, --quit-after-show, verify, report policy, a demo database and
# its reports). Also checks that the wheel carries data/ and resources/ inside the package
# and nothing at the top of site-packages. Exits non-zero on any failure (issue 18).
#   bash packaging/test-wheel.sh
# Dependencies come from pip's cache after the first run, so a rerun takes about half a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d -t merlet-wheel.XXXXXX)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "test-wheel: $*" >&2
  exit 1
}

echo "== wheel bouwen"
"$PYTHON" -m pip wheel --quiet --no-deps . -w "$work/dist" >"$work/build.log" 2>&1 ||
  fail "pip wheel . mislukte: $(tail -20 "$work/build.log")"
wheel="$(ls "$work"/dist/merlet_desk-*.whl)"
echo "   $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

contents="$("$PYTHON" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$wheel")"
for path in merlet_desk/data/policy/handreiking-sociale-media-medewerkers.md \
  merlet_desk/data/letterhead.json merlet_desk/data/purposes.json \
  merlet_desk/data/publish_checklist.json merlet_desk/resources/fonts/DejaVuSans.ttf \
  merlet_desk/resources/icons/merlet-desk-256.png; do
  grep -qx "$path" <<<"$contents" || fail "$path ontbreekt in de wheel"
done
if grep -Ev '^(merlet_desk/|merlet_desk-[^/]+\.dist-info/)' <<<"$contents" | grep -q .; then
  fail "de wheel zet iets buiten merlet_desk/ neer: $(grep -Ev '^merlet_desk' <<<"$contents" | head -3)"
fi

echo "== installeren in een nieuwe virtualenv"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" >"$work/install.log" 2>&1 ||
  fail "pip install van de wheel mislukte: $(tail -20 "$work/install.log")"

# Run from outside the source tree, so nothing can come from the checkout.
cd "$work"
location="$("$work/venv/bin/python" -c 'import merlet_desk.paths as p; print(p.app_root())')"
[[ "$location" == "$work/venv/lib/"*"/site-packages/merlet_desk" ]] ||
  fail "het geïnstalleerde programma zoekt data/ in $location, niet in de wheel"
version="$("$work/venv/bin/python" "$repo/packaging/version.py")"
bash "$repo/packaging/check-app.sh" "$work/venv/bin/merlet-desk" "$version"
echo "test-wheel: geslaagd"
