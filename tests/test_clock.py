"""The one clock: nothing in the program reads the date except through merlet_desk.clock."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from merlet_desk import clock

PACKAGE = Path(__file__).resolve().parents[1] / "merlet_desk"
FORBIDDEN = re.compile(
    r"\b(?:date\.today|datetime\.now|datetime\.today|datetime\.utcnow)\s*\("
    # Qt's static clocks, also when called on an instance (`edit.date().currentDate()`).
    r"|\.(?:currentDate|currentDateTime|currentDateTimeUtc|currentTime)\s*\("
)


def _code_lines(path: Path):
    in_docstring = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        quotes = stripped.count('"""')
        if in_docstring or stripped.startswith('"""'):
            if quotes == 1:
                in_docstring = not in_docstring
            continue
        yield number, line.split("#", 1)[0]


def test_no_module_reads_the_date_but_the_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "clock.py" and path.parent == PACKAGE:
            continue
        for number, code in _code_lines(path):
            if FORBIDDEN.search(code):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {code.strip()}")
    assert offenders == [], "use merlet_desk.clock instead:\n" + "\n".join(offenders)


def test_the_scan_would_catch_a_direct_call(tmp_path):
    # The check above is only worth something if its pattern finds the calls it forbids.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from datetime import date\nx = date.today()\n# date.today() in a comment is fine\n"
        "y = QDate.currentDate()\nz = edit.date().currentDate()\nw = d.today_str()\n"
    )
    found = [n for n, code in _code_lines(sample) if FORBIDDEN.search(code)]
    assert found == [2, 4, 5]


def test_fixed_clock_stands_still_and_is_released():
    with clock.fixed(datetime(2027, 7, 31, 23, 59, 59)):
        assert clock.today() == date(2027, 7, 31)
        assert clock.now() == datetime(2027, 7, 31, 23, 59, 59)
        with clock.fixed(date(2028, 2, 29)):
            assert clock.now() == datetime(2028, 2, 29, 0, 0, 0)
        assert clock.today() == date(2027, 7, 31)


def test_environment_fixes_the_clock_of_a_child_process(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2029-05-01T08:15:00")
    out = subprocess.run(
        [sys.executable, "-c", "from merlet_desk import clock; print(clock.now().isoformat())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "2029-05-01T08:15:00"


def test_a_bad_environment_value_says_what_is_wrong(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "morgen")
    clock.release()
    with pytest.raises(ValueError, match="MERLET_DESK_NOW='morgen'"):
        clock.now()
