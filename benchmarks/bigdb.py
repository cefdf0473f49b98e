"""The large databases every figure runs against, built once and cached.

Two sizes: one school (2,000 pupils, 100,000 decisions, 5,000 cases) and a school board of
ten schools (20,000 pupils, 1,000,000 decisions, 50,000 cases; issue 18). Each is
`merlet-desk init --demo --pupils N` (which also makes N/2 photos and videos with about 1.2
publications each), then extra years of history written in bulk with `executemany` straight
into the consent and case tables up to the size's decisions and cases. Deterministic (fixed
seed, fixed anchor date). Cached under `benchmarks/.cache/` keyed by the size, the schema
version and a hash of the migrations, the demo fillers and this file, so a rerun reuses it
and a schema change rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from common import CACHE, ROOT, run_checked


@dataclass(frozen=True)
class Size:
    """One benchmark database: how many pupils, decisions and cases it holds."""

    pupils: int
    decisions: int
    cases: int

    @property
    def label(self) -> str:
        return f"{self.pupils:,} pupils"


SCHOOL = Size(pupils=2_000, decisions=100_000, cases=5_000)
BOARD = Size(pupils=20_000, decisions=1_000_000, cases=50_000)
SIZES = (SCHOOL, BOARD)
# History is generated up to this day (never in the future of the demo data); ten school years.
ANCHOR = min(date.today(), date(2026, 11, 20))
FIRST_YEAR = ANCHOR.year - 9
LOCATIONS = ("Cuijk", "Grave", "Mill")


def _fingerprint() -> str:
    from merlet_desk.store.migrations import LATEST_VERSION

    digest = hashlib.sha256()
    package = ROOT / "merlet_desk"
    files = sorted((package / "store" / "migrations").glob("*.py"))
    files += sorted((package / "demo").glob("*.py"))
    files += [Path(__file__).resolve()]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"v{LATEST_VERSION}-{digest.hexdigest()[:12]}"


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name])
    return row.fetchone() is not None


def _sixteenth(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 16)
    except ValueError:  # 29 February: the 16th birthday falls on 1 March
        return date(birth.year + 16, 3, 1)


def _add_pupils(conn: sqlite3.Connection, size: Size) -> int:
    """Only while the demo filler makes no pupils yet: pupils of our own."""
    if conn.execute("SELECT count(*) FROM pupils").fetchone()[0]:
        return 0
    from pupils_csv import pupil_rows

    rows = [
        (
            number,
            first,
            prefix,
            last,
            date(*map(int, reversed(born.split("-")))).isoformat(),
            klas,
            location,
        )
        for number, first, prefix, last, born, klas, location in pupil_rows(size.pupils, 100_000)
    ]
    conn.executemany(
        "INSERT INTO pupils (number, first_name, prefix, last_name, birth_date, class_name,"
        " location) VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    return len(rows)


def _add_decisions(conn: sqlite3.Connection, rng: random.Random, size: Size) -> int:
    """Yearly forms for every pupil and purpose over the years they have been at school, plus
    withdrawals and changes of mind during the year, up to the size's decisions in total."""
    have = conn.execute("SELECT count(*) FROM decisions").fetchone()[0]
    need = size.decisions - have
    if need <= 0:
        return 0
    pupils = conn.execute("SELECT id, birth_date, class_name FROM pupils").fetchall()
    purposes = [r[0] for r in conn.execute("SELECT id FROM purposes WHERE retired = 0")]
    if not pupils or not purposes:
        return 0
    rows: list[tuple] = []
    stamp = f"{ANCHOR.isoformat()}T09:00:00"

    def decision(pupil_id: int, birth: date, purpose_id: int, on: date, kind: str) -> tuple:
        adult = on >= _sixteenth(birth)
        if kind == "granted":
            given_by = "pupil" if adult else rng.choice(("parent", "parent", "guardian"))
        else:
            given_by = rng.choice(("pupil", "parent")) if adult else "parent"
        giver = "leerling" if given_by == "pupil" else rng.choice(("M. de Vries", "A. Öztürk"))
        method = rng.choice(("paper", "paper", "email", "portal"))
        return (pupil_id, purpose_id, kind, given_by, giver, on.isoformat(), method, "bench", stamp)

    # Oldest school year first; a pupil in year N of school has N yearly forms behind them.
    for pupil_id, birth_text, _class_name in pupils:
        birth = date.fromisoformat(birth_text)
        first = max(birth.year + 12, FIRST_YEAR)
        for year in range(first, ANCHOR.year + (1 if ANCHOR.month >= 9 else 0)):
            form_day = date(year, 9, 1) + timedelta(days=rng.randrange(40))
            if form_day > ANCHOR:
                continue
            for purpose_id in purposes:
                kind = "granted" if rng.random() < 0.8 else "refused"
                rows.append(decision(pupil_id, birth, purpose_id, form_day, kind))
    rng.shuffle(rows)
    rows = rows[:need]
    # Changes of mind during the year until the target is reached.
    while len(rows) < need:
        pupil_id, birth_text, _ = rng.choice(pupils)
        birth = date.fromisoformat(birth_text)
        start = max(date(birth.year + 12, 9, 1), date(FIRST_YEAR, 9, 1))
        span = (ANCHOR - start).days
        if span <= 0:
            continue
        on = start + timedelta(days=rng.randrange(span))
        kind = rng.choice(("withdrawn", "granted", "refused"))
        rows.append(decision(pupil_id, birth, rng.choice(purposes), on, kind))
    conn.executemany(
        "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by, giver_name,"
        " received_on, method, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return len(rows)


CASE_SUMMARIES = (
    "Filmpje van docent gedeeld in klassengroep",
    "Dreigbericht via DM aan leerling",
    "Foto van leerling zonder toestemming op Instagram",
    "Screenshot van cijferlijst gedeeld",
    "Medewerker volgt leerlingen op privéaccount",
    "Nepaccount met schoolnaam",
    "Beledigende opmerkingen onder schoolvideo",
)


def _add_cases(conn: sqlite3.Connection, rng: random.Random, size: Size) -> int:
    """Cases over ten years, all locations, categories, platforms and states."""
    have = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    need = size.cases - have
    if need <= 0:
        return 0
    categories = [r[0] for r in conn.execute("SELECT code FROM case_categories")]
    platforms = [r[0] for r in conn.execute("SELECT code FROM case_platforms")]
    counters = dict(conn.execute("SELECT year, last_sequence FROM case_reference_counters"))
    stamp = f"{ANCHOR.isoformat()}T09:00:00"
    span = (ANCHOR - date(FIRST_YEAR, 1, 1)).days
    days = sorted(date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(span)) for _ in range(need))
    cases, people, agreements, timeline = [], [], [], []
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0] + 1
    for offset, incident in enumerate(days):
        case_id = next_id + offset
        sequence = counters.get(incident.year, 0) + 1
        counters[incident.year] = sequence
        reported = min(incident + timedelta(days=rng.randrange(4)), ANCHOR)
        age = (ANCHOR - incident).days
        status = "closed" if age > 60 or rng.random() < 0.5 else rng.choice(("open", "in_progress"))
        closed_on = min(reported + timedelta(days=rng.randrange(1, 30)), ANCHOR)
        parents = rng.random() < 0.6
        police = rng.random() < 0.1
        cases.append(
            (
                case_id,
                f"{incident.year:04d}-{sequence:04d}",
                incident.isoformat(),
                reported.isoformat(),
                rng.choice(LOCATIONS),
                rng.choice(categories),
                rng.choice(platforms),
                rng.choice(CASE_SUMMARIES),
                "Melding via mentor; beeldmateriaal bekeken en vastgelegd.",
                "Gesprek met betrokkenen\nBericht laten verwijderen" if status == "closed" else "",
                int(parents),
                reported.isoformat() if parents else None,
                int(police),
                reported.isoformat() if police else None,
                "",
                "Gesprek met vertrouwenspersoon",
                status,
                closed_on.isoformat() if status == "closed" else None,
                stamp,
                "bench",
                stamp,
                "bench",
            )
        )
        people.append((case_id, 1, "pupil", "Leerling (slachtoffer)", None))
        people.append((case_id, 2, rng.choice(("pupil", "staff", "external")), "Betrokkene", None))
        for agreement in sorted(rng.sample(range(9, 15), rng.randint(1, 2))):
            agreements.append((case_id, agreement))
        timeline.append(
            (case_id, reported.isoformat(), "conversation", "Gesprek gevoerd", "bench", stamp)
        )
        if status == "closed":
            timeline.append((case_id, closed_on.isoformat(), "case_closed", "", "bench", stamp))
    conn.executemany(f"INSERT INTO cases VALUES ({','.join('?' * 22)})", cases)
    conn.executemany(
        "INSERT INTO case_people (case_id, position, role, description, pupil_number)"
        " VALUES (?,?,?,?,?)",
        people,
    )
    conn.executemany("INSERT INTO case_agreements (case_id, agreement) VALUES (?,?)", agreements)
    conn.executemany(
        "INSERT INTO case_timeline (case_id, entry_date, kind, text, author, created_at)"
        " VALUES (?,?,?,?,?,?)",
        timeline,
    )
    conn.executemany(
        "INSERT OR REPLACE INTO case_reference_counters (year, last_sequence) VALUES (?,?)",
        sorted(counters.items()),
    )
    return len(cases)


def _split_classes(conn: sqlite3.Connection, schools: int) -> None:
    """A board's pupils sit in classes of a school's size, not in the demo's classes grown
    tenfold: each demo class becomes one class per school ("3V" -> "3V-1" … "3V-10")."""
    conn.execute("UPDATE pupils SET class_name = class_name || '-' || (1 + id % ?)", [schools])


def extend(path: Path, size: Size) -> dict[str, int]:
    """Add the extra history to a demo database (in one transaction)."""
    rng = random.Random("merlet-bench-history")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        added = {"decisions": 0, "cases": 0}
        if size.pupils > SCHOOL.pupils:
            _split_classes(conn, size.pupils // SCHOOL.pupils)
        if _has_table(conn, "pupils"):
            added["pupils"] = _add_pupils(conn, size)
        if _has_table(conn, "decisions"):
            added["decisions"] = _add_decisions(conn, rng, size)
        if _has_table(conn, "cases"):
            added["cases"] = _add_cases(conn, rng, size)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return added


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("pupils", "decisions", "cases", "publication_items", "publications"):
            if _has_table(conn, table):
                out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out
    finally:
        conn.close()


def large_database(size: Size = SCHOOL) -> Path:
    """The path of the database of this size, building it when the cache has none for this
    schema (about 15 s for a school, under 2 minutes for a board)."""
    path = _cached_path(size)
    if path.exists():
        return path
    started = time.perf_counter()
    stem = f"large-{size.pupils}"
    for old in [*CACHE.glob(f"{stem}-*.sqlite*"), *CACHE.glob("large-v*.sqlite*")]:
        old.unlink()  # an older schema (large-v* is the name before there were two sizes)
    building = path.with_name(path.name + ".building")
    for leftover in CACHE.glob(building.name + "*"):
        leftover.unlink()
    run_checked(
        [
            sys.executable,
            "-m",
            "merlet_desk",
            "init",
            "--db",
            str(building),
            "--demo",
            "--pupils",
            str(size.pupils),
        ]
    )
    extend(building, size)
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    shutil.move(building, path)
    _build_record(path).write_text(
        json.dumps({"seconds": round(time.perf_counter() - started, 1)}), encoding="utf-8"
    )
    return path


def _cached_path(size: Size) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / f"large-{size.pupils}-{_fingerprint()}.sqlite"


def _build_record(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def build_seconds(size: Size) -> float | None:
    """How long the cached database of this size took to build (None if not recorded)."""
    try:
        record = json.loads(_build_record(_cached_path(size)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("seconds")
