"""The window open and the command line writing at the same time: nothing is lost, every
process sees every committed row, and the file stays whole.

The window is a real process that opens the register exactly as `run_gui` does (lock, deferred
integrity check on a worker connection, the Start counts on another, the daily backup; see
`tests.helpers.processes.WINDOW`) and keeps it open throughout. The writers are real
`merlet-desk` processes: `import-consents`, `import-scans --confirm-certain`, `import-pupils`,
`backup` and `purge`; the window itself records decisions and marks pupils as left.

Every order of two steps is covered: the steps run along an Euler circuit of the complete
directed graph on the six kinds of step, so each ordered pair (a, b) of different kinds occurs
exactly once as "a, then straight away b" (31 steps, 30 pairs). After each step the window's
own connection, a fresh worker connection of the window, and a fresh connection in another
process must all see exactly the rows committed so far; at the end the window closes, and
`verify`, `PRAGMA integrity_check` and the row counts must agree.
"""

from __future__ import annotations

import shutil
import time
from datetime import date, datetime

import pytest

from merlet_desk import clock
from merlet_desk.domain import paper_form as layout
from merlet_desk.store import open_database
from merlet_desk.store import pupils as store
from tests.helpers import issue_forms, scan_form, sqlite
from tests.helpers.processes import HEADER, READER, Child, run_cli, start_window

MOMENT = datetime(2026, 9, 20, 9, 0)
KINDS = ("window", "consents", "scans", "pupils", "backup", "purge")
STAYERS = [
    ("1001", "Joëlle", "van den", "Broek"),
    ("1002", "Berkay", "", "Öztürk"),
    ("1003", "Zofia", "", "Łęcka"),
    ("1004", "Meryem", "", "Boujdaini"),
    ("1005", "Anna <&>", "de", "Vries"),
    ("1006", "Sem", "", "Jansen"),
    ("1007", "Lotte", "", "Bakker"),
    ("1008", "Daan", "", "Visser"),
    ("1009", "Noor", "", "Smit"),
    ("1010", "Finn", "", "Meijer"),
]
LEAVERS = [f"300{i}" for i in range(8)]  # 3000 has left already; the window marks the others
SCAN_ANSWERS = [layout.JA, layout.NEE, layout.JA]  # three purposes, each certain


def euler_circuit(kinds: tuple[str, ...]) -> list[str]:
    """A walk that uses every ordered pair of different kinds exactly once (Hierholzer)."""
    unused = {kind: [other for other in kinds if other != kind] for kind in kinds}
    stack, walk = [kinds[0]], []
    while stack:
        here = stack[-1]
        if unused[here]:
            stack.append(unused[here].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_covers_every_ordered_pair():
    walk = euler_circuit(KINDS)
    pairs = list(zip(walk, walk[1:], strict=False))
    assert len(walk) == 31 and len(set(pairs)) == len(pairs) == 30
    assert all(a != b for a, b in pairs)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A closed register with pupils, one of them left long ago, five printed forms and a
    filled-in "scan" of each."""
    folder = tmp_path_factory.mktemp("sjabloon")
    path = folder / "merlet.sqlite"
    with clock.fixed(MOMENT):
        db = open_database(path)
        for number, first, prefix, last in STAYERS:
            store.save_pupil(db, number, first, prefix, last, "2013-05-01", "1A", "Cuijk")
        for number in LEAVERS:
            store.save_pupil(db, number, "Ruben", "", f"Weg {number}", "2012-03-04", "2B", "Grave")
        store.mark_pupils_left(db, [LEAVERS[0]], "2020-01-01")
        numbers = [number for number, *_ in STAYERS[:5]]
        _forms, pdf = issue_forms(db, numbers, folder)
        db.close()
    scans = [scan_form(folder / f"scan-{n}.jpg", pdf, n, SCAN_ANSWERS) for n in range(len(numbers))]
    return path, scans


class Register:
    """What must be in the register after the steps so far."""

    def __init__(self) -> None:
        self.pupils = len(STAYERS) + len(LEAVERS)
        self.decisions = 0
        self.form_scans = 0
        self.left = 1  # marked as left and not yet purged

    def expected(self) -> dict[str, int]:
        return {"pupils": self.pupils, "decisions": self.decisions, "form_scans": self.form_scans}


def counts_of_backup(path) -> dict[str, int]:
    conn = sqlite.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("pupils", "decisions", "form_scans")
        }
    finally:
        conn.close()


def test_the_window_and_command_line_writers_in_every_order(template, tmp_path, monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, MOMENT.isoformat())
    source, scans = template
    path = tmp_path / "merlet.sqlite"
    shutil.copy(source, path)
    register = Register()
    walk = euler_circuit(KINDS)
    occurrence = dict.fromkeys(KINDS, 0)
    started = time.monotonic()
    window = start_window(path)
    reader = Child(READER, path)
    try:
        for step, kind in enumerate(walk):
            n = occurrence[kind]
            occurrence[kind] += 1
            if kind == "window":
                assert window.ask("decide", STAYERS[n][0], date(2026, 9, 1 + n)) == {}
                assert window.ask("leave", LEAVERS[1 + n]) == {}
                register.decisions += 1
                register.left += 1
            else:
                if kind == "consents":
                    data = tmp_path / f"besluiten-{n}.csv"
                    data.write_text(
                        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum\n"
                        f"{STAYERS[5 + n][0]};yearbook;ja;ouder;Ola Łęcka & <Zn>;2026-08-{10 + n}\n",
                        encoding="utf-8",
                    )
                    args = ["import-consents", data]
                    register.decisions += 1
                elif kind == "scans":
                    args = ["import-scans", scans[n], "--confirm-certain"]
                    register.decisions += len(SCAN_ANSWERS)
                    register.form_scans += 1
                elif kind == "pupils":
                    data = tmp_path / f"leerlingen-{n}.csv"
                    data.write_text(
                        HEADER + f"200{n};Şükrü;;Yılmaz {n};01-05-2013;1B;Cuijk\n",
                        encoding="utf-8",
                    )
                    args = ["import-pupils", data]
                    register.pupils += 1
                elif kind == "backup":
                    args = ["backup"]
                else:
                    args = ["purge"]
                    register.pupils -= register.left
                    register.left = 0
                result = run_cli(*args, "--db", path)
                assert result.returncode == 0, (step, kind, result.stdout, result.stderr)
                if kind == "backup":
                    made = result.stdout.strip().removeprefix("Back-up gemaakt: ")
                    assert counts_of_backup(made) == register.expected(), (step, kind)
            seen = window.ask("rows")
            elsewhere = reader.ask("rows")
            for who, rows in (("window", seen["own"]), ("worker", seen["worker"])):
                assert rows == elsewhere, (step, kind, who, rows, elsewhere)
            audit = elsewhere.pop("audit_log")
            assert elsewhere == register.expected(), (step, kind, walk[: step + 1])
            assert audit > 0
        assert window.ask("close") == {}
    finally:
        window.stop()
        reader.stop()
    elapsed = time.monotonic() - started

    result = run_cli("verify", "--db", path)
    assert result.returncode == 0, result.stdout + result.stderr
    conn = sqlite.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        final = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("pupils", "decisions", "form_scans")
        }
    finally:
        conn.close()
    assert final == register.expected()
    print(f"\nwindow + command line: {len(walk)} steps in {elapsed:.1f} s, {final}")
