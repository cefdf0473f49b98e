#!/usr/bin/env bash
# Smoke test of a built or installed Merlet Desk, the way IT would check an installation.
#   bash packaging/check-app.sh PROGRAM [EXPECTED_VERSION]
# PROGRAM is dist/merlet-desk/merlet-desk (the bundle, before packaging) or merlet-desk (the
# installed .deb). Runs --version, init, the GUI offscreen with --quit-after-show, verify,
# a backup, PDF reports and the paper forms read back, on databases in a temporary folder. Exits non-zero on the
# first failure.
set -euo pipefail
prog="$1"
expected_version="${2:-}"
work="$(mktemp -d -t merlet-check.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Keep the user's own folders out of it (QSettings, default database, caches).
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset MERLET_DESK_DB MERLET_DESK_READ_ONLY

step() { printf '  %-44s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
fail() {
  echo "FAILED"
  echo "merlet-desk check: $*" >&2
  exit 1
}

echo "Controle van $prog"

step "--version"
version_line="$("$prog" --version)" || fail "--version exited $?"
[[ "$version_line" == "merlet-desk "* ]] || fail "unexpected --version output: $version_line"
if [[ -n "$expected_version" && "$version_line" != "merlet-desk $expected_version" ]]; then
  fail "--version says '$version_line', pyproject.toml says $expected_version"
fi
ok "$version_line"

db="$work/data/merlet-desk.sqlite"
mkdir -p "$work/data"
step "init --db"
"$prog" init --db "$db" >"$work/init.out" || fail "init exited $?: $(cat "$work/init.out")"
[[ -s "$db" ]] || fail "init made no database at $db"
ok

step "--quit-after-show (offscreen)"
QT_QPA_PLATFORM=offscreen "$prog" --db "$db" --quit-after-show 2>"$work/gui.err" ||
  fail "--quit-after-show exited $?: $(cat "$work/gui.err")"
if grep -Eq "Could not (load|find) the Qt platform plugin|Traceback" "$work/gui.err"; then
  fail "GUI start printed: $(cat "$work/gui.err")"
fi
ok

step "verify"
"$prog" verify --db "$db" >"$work/verify.out" 2>&1 || fail "verify exited $?: $(cat "$work/verify.out")"
ok

step "report policy -o beleid.pdf"
"$prog" report policy --db "$db" -o "$work/beleid.pdf" >"$work/report.out" 2>&1 ||
  fail "report policy exited $?: $(cat "$work/report.out")"
[[ "$(head -c 5 "$work/beleid.pdf")" == "%PDF-" ]] || fail "beleid.pdf is not a PDF"
ok "$(stat -c %s "$work/beleid.pdf") bytes"

demo="$work/data/demo.sqlite"
step "init --demo, report consent (Cuijk)"
"$prog" init --db "$demo" --demo --pupils 60 >"$work/demo.out" 2>&1 ||
  fail "init --demo exited $?: $(cat "$work/demo.out")"
"$prog" report consent --db "$demo" --location Cuijk -o "$work/cuijk.pdf" >"$work/consent.out" 2>&1 ||
  fail "report consent exited $?: $(cat "$work/consent.out")"
[[ "$(head -c 5 "$work/cuijk.pdf")" == "%PDF-" ]] || fail "cuijk.pdf is not a PDF"
ok

step "takedowns, report takedowns"
rc=0
"$prog" takedowns --db "$demo" --json >"$work/takedowns.json" 2>"$work/takedowns.err" || rc=$?
[[ $rc -le 1 ]] || fail "takedowns exited $rc: $(cat "$work/takedowns.err")"
grep -q '"open"' "$work/takedowns.json" || fail "takedowns --json printed no list"
"$prog" report takedowns --db "$demo" -o "$work/takedowns.pdf" >"$work/takedowns.out" 2>&1 ||
  fail "report takedowns exited $?: $(cat "$work/takedowns.out")"
[[ "$(head -c 5 "$work/takedowns.pdf")" == "%PDF-" ]] || fail "takedowns.pdf is not a PDF"
ok "exit $rc"

step "report forms, import-scans"
# The paper round needs OpenCV, numpy and zxing-cpp inside the bundle: reading the printed
# (empty, unsigned) forms back must recognise every page and record nothing (exit 1).
"$prog" report forms --db "$demo" --location Mill -o "$work/forms.pdf" >"$work/forms.out" 2>&1 ||
  fail "report forms exited $?: $(cat "$work/forms.out")"
rc=0
"$prog" import-scans "$work/forms.pdf" --db "$demo" --json >"$work/scans.json" 2>"$work/scans.err" ||
  rc=$?
[[ $rc -eq 1 ]] || fail "import-scans exited $rc: $(cat "$work/scans.err")"
pages="$(grep -o '"pages": [0-9]*' "$work/scans.json" | grep -o '[0-9]*$')"
[[ -n "$pages" && "$pages" -gt 0 ]] || fail "import-scans read no pages"
grep -q "\"recognised\": $pages," "$work/scans.json" ||
  fail "import-scans did not recognise every page: $(head -c 300 "$work/scans.json")"
ok "$pages pages read back"

step "backup"
"$prog" backup --db "$demo" >"$work/backup.out" 2>&1 || fail "backup exited $?: $(cat "$work/backup.out")"
ok

step "--quit-after-show on the demo database"
QT_QPA_PLATFORM=offscreen "$prog" --db "$demo" --quit-after-show 2>"$work/gui2.err" ||
  fail "--quit-after-show (demo) exited $?: $(cat "$work/gui2.err")"
ok

echo "Alles in orde."
