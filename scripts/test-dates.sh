#!/usr/bin/env bash
# Runs the date-sensitive tests (marker `dates`, set by tests/conftest.py on every test of a
# module that uses the test clock or builds dates) with the program's clock fixed at the dates
# where date logic breaks (issue 19): the school-year edge, a leap day, New Year's Eve one
# second before midnight, the 16th birthday of the fixtures' pupil born 1 May 2013, and five
# years from today. The rest of the suite reads no date; `make test` runs it once.
# Usage: scripts/test-dates.sh [PYTEST ARGS...]   (uses .venv/bin/pytest)
set -euo pipefail
cd "$(dirname "$0")/.."
five_years=$(.venv/bin/python -c 'from datetime import date; t = date.today(); print(t.replace(year=t.year + 5) if (t.month, t.day) != (2, 29) else t.replace(year=t.year + 5, day=28))')
dates=(
  "2027-07-31T12:00:00"
  "2027-08-01T00:00:00"
  "2028-02-29T12:00:00"
  "2026-12-31T23:59:59"
  "2029-05-01T09:00:00"
  "${five_years}T10:00:00"
)
failed=()
for moment in "${dates[@]}"; do
  echo "== tests with the clock at $moment"
  if ! MERLET_TEST_NOW="$moment" QT_QPA_PLATFORM=offscreen .venv/bin/pytest -q -p no:cacheprovider -m dates "$@"; then
    failed+=("$moment")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "Tests failed with the clock at: ${failed[*]}" >&2
  exit 1
fi
echo "Tests pass at every fixed date: ${dates[*]}"
