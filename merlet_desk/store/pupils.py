"""The pupils in the register: finding them by number (leading zeros or not), the register's
order (class, then name), checking a record, saving one or many (imports), and marking who
left. Every change is audited; a pupil who left keeps the history. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from merlet_desk import clock
from merlet_desk.domain.people import (
    birth_date_problem,
    canonical_pupil_number,
    full_name,
    pupil_number_problem,
    sort_key,
)
from merlet_desk.domain.text import MAX_TEXT_LENGTH, fold, text_problem
from merlet_desk.errors import InputError
from merlet_desk.letterhead import load_letterhead
from merlet_desk.store.audit import (
    record_change,
    record_changes,
    record_rows,
)
from merlet_desk.store.engine import dialect
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.values import clean_text, input_date


@dataclass(frozen=True, slots=True)
class Pupil:
    id: int
    number: str
    first_name: str
    prefix: str
    last_name: str
    birth_date: date
    class_name: str
    location: str
    left_on: date | None

    @property
    def name(self) -> str:
        """As a person writes it: "Joëlle van den Broek"."""
        return full_name(self.first_name, self.prefix, self.last_name)

    @property
    def sort_key(self) -> tuple[str, str, str, str, str]:
        return sort_key(self.first_name, self.prefix, self.last_name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "first_name": self.first_name,
            "prefix": self.prefix,
            "last_name": self.last_name,
            "birth_date": self.birth_date.isoformat(),
            "class_name": self.class_name,
            "location": self.location,
            "left_on": self.left_on.isoformat() if self.left_on else None,
        }


PUPIL_COLUMNS = (
    "id, number, first_name, prefix, last_name, birth_date, class_name, location, left_on"
)
# The same columns with the `p.` alias, for joins.
PUPIL_COLUMNS_P = ", ".join(f"p.{column.strip()}" for column in PUPIL_COLUMNS.split(","))


def pupil_from_row(row: Sequence[Any]) -> Pupil:
    return Pupil(
        id=row[0],
        number=row[1],
        first_name=row[2],
        prefix=row[3] or "",
        last_name=row[4],
        birth_date=date.fromisoformat(row[5]),
        class_name=row[6],
        location=row[7],
        left_on=date.fromisoformat(row[8]) if row[8] else None,
    )


def sorted_pupils(pupils: Iterable[Pupil]) -> list[Pupil]:
    return sorted(pupils, key=lambda p: (class_sort_key(p.class_name), p.sort_key, p.number))


def class_sort_key(class_name: str) -> tuple[int, str, str]:
    """The register's class order, also for lists of classes in the GUI: "2B" before "10A"
    (the leading year as a number, then the rest)."""
    digits = ""
    for ch in class_name:
        if not ch.isdigit():
            break
        digits += ch
    return (int(digits) if digits else 10**6, class_name[len(digits) :].casefold(), class_name)


def known_locations() -> tuple[str, ...]:
    """The school's locations, from the letterhead data."""
    return load_letterhead().location_names


@lru_cache(maxsize=256)
def normalise_location(name: str) -> str | None:
    """The canonical spelling of a location ("cuijk" -> "Cuijk"), or None if unknown.

    Cached: an import of 2,000 pupils asks twice per row, for a handful of spellings."""
    wanted = clean_text(name).casefold()
    return next((known for known in known_locations() if known.casefold() == wanted), None)


def find_pupil(db: Database, number: str) -> Pupil | None:
    """The pupil with this number; "00123" also finds 123 (and 123 an older "00123")."""
    return pupils_by_number(db, [clean_text(str(number))]).get(clean_text(str(number)))


def pupils_by_number(db: Database, numbers: Sequence[str]) -> dict[str, Pupil]:
    """The known pupils among these numbers, in one query (a class, or 2,000), not one each.

    A number not found as written is looked up without its leading zeros (the rule of
    `canonical_pupil_number`: Excel drops them), also against numbers stored with zeros.
    """
    return pupils_by_number_later(db, numbers)()


def pupils_by_number_later(db: Database, numbers: Sequence[str]) -> Callable[[], dict[str, Pupil]]:
    """`pupils_by_number`, its query executed now and its rows read when the result is
    called (for `dialect.together`); the look-up without leading zeros, when a number needs
    it, runs then."""
    cursor = db.execute(
        f"SELECT {PUPIL_COLUMNS} FROM pupils WHERE number IN {dialect.json_values(db, 'text')}",
        [json.dumps(list(numbers))],
    )

    def result() -> dict[str, Pupil]:
        found = {row[1]: pupil_from_row(row) for row in cursor.fetchall()}
        wanted: dict[str, list[str]] = {}
        for number in numbers:
            canonical = canonical_pupil_number(number) if number not in found else None
            if canonical is not None:
                wanted.setdefault(canonical, []).append(number)
        if wanted:
            for row in db.execute(
                f"SELECT {PUPIL_COLUMNS} FROM pupils WHERE coalesce(nullif(ltrim(number, '0'),"
                f" ''), '0') IN {dialect.json_values(db, 'text')} ORDER BY number",
                [json.dumps(list(wanted))],
            ):
                for number in wanted.pop(row[1].lstrip("0") or "0", []):
                    found[number] = pupil_from_row(row)
        return found

    return result


def resolve_pupils(db: Database, pupil_numbers: Sequence[str]) -> list[Pupil]:
    """These pupils in the order given, each once (blank numbers skipped); InputError naming
    every unknown number, before anything is done with the others."""
    return resolve_pupils_later(db, pupil_numbers)()


def wanted_numbers(pupil_numbers: Iterable[object]) -> list[str]:
    """The pupil numbers as `resolve_pupils` looks them up: cleaned, each once, in the order
    given, blanks skipped."""
    return list(dict.fromkeys(clean_text(str(n)) for n in pupil_numbers if clean_text(str(n))))


def resolve_pupils_later(db: Database, pupil_numbers: Sequence[str]) -> Callable[[], list[Pupil]]:
    """`resolve_pupils`, its query executed now and read (and checked) when the result is
    called (for `dialect.together`)."""
    numbers = wanted_numbers(pupil_numbers)
    found_later = pupils_by_number_later(db, numbers) if numbers else dict

    def result() -> list[Pupil]:
        found = found_later()
        unknown = [f"Onbekende leerling {number}" for number in numbers if number not in found]
        if unknown:
            raise InputError(unknown[0], unknown if len(unknown) > 1 else [])
        return [found[number] for number in numbers]

    return result


def get_pupil(db: Database, number: str) -> Pupil:
    pupil = find_pupil(db, number)
    if pupil is None:
        raise InputError(f"Onbekende leerling {number}")
    return pupil


def list_pupils(
    db: Database,
    *,
    location: str | None = None,
    class_name: str | None = None,
    include_left: bool = False,
) -> list[Pupil]:
    """Pupils sorted by class, then last name without prefix, then first name."""
    return list_pupils_later(
        db, location=location, class_name=class_name, include_left=include_left
    )()


def list_pupils_later(
    db: Database,
    *,
    location: str | None = None,
    class_name: str | None = None,
    include_left: bool = False,
) -> Callable[[], list[Pupil]]:
    """`list_pupils`, its query executed now and its rows read when the result is called
    (for `dialect.together`)."""
    where, params = pupil_filter(location, class_name, include_left)
    cursor = db.execute(f"SELECT {PUPIL_COLUMNS} FROM pupils{where}", params)
    return lambda: sorted_pupils(pupil_from_row(row) for row in cursor.fetchall())


def all_pupils(db: Database) -> list[Pupil]:
    """Every pupil, those who left too, in no particular order (for lookups by number: the
    register's sort costs a quarter of a second at 20,000 pupils)."""
    return [pupil_from_row(row) for row in db.execute(f"SELECT {PUPIL_COLUMNS} FROM pupils")]


def count_pupils(db: Database) -> int:
    """How many pupils the register shows (those who have not left): one cheap count."""
    where, params = pupil_filter(None, None, include_left=False)
    return int(db.execute(f"SELECT count(*) FROM pupils{where}", params).fetchone()[0])


def pupil_filter(
    location: str | None, class_name: str | None, include_left: bool, alias: str = ""
) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if location:
        clauses.append(f"{alias}location = ?")
        params.append(location)
    if class_name:
        clauses.append(f"{alias}class_name = ?")
        params.append(class_name)
    if not include_left:
        clauses.append(f"{alias}left_on IS NULL")
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def list_classes(db: Database, location: str | None = None) -> list[str]:
    """Classes with pupils at school (optionally at one location), in school order."""
    sql = "SELECT DISTINCT class_name FROM pupils WHERE left_on IS NULL"
    params: list[Any] = []
    if location:
        sql += " AND location = ?"
        params.append(location)
    return sorted((row[0] for row in db.execute(sql, params)), key=class_sort_key)


def class_numbers(db: Database, class_name: str, location: str | None = None) -> list[str]:
    """Pupil numbers of a class (pupils at school), in register order."""
    return [
        pupil.number
        for pupil in list_pupils(db, location=location, class_name=clean_text(class_name))
    ]


def search_pupils(
    db: Database, text: str, limit: int = 20, include_left: bool = False
) -> list[Pupil]:
    """Type-ahead: pupils whose number starts with, or whose name contains, `text` (folded as
    every search box folds: "ozturk" finds Öztürk)."""
    needle = fold(clean_text(text))
    if not needle:
        return []
    matches = []
    for pupil in list_pupils(db, include_left=include_left):
        if pupil.number.startswith(needle) or needle in fold(pupil.name):
            matches.append(pupil)
    matches.sort(key=lambda p: (not p.number.startswith(needle), p.sort_key))
    return matches[:limit]


def _plainly_valid(
    number: str, first_name: str, prefix: str, last_name: str, class_name: str, location: str
) -> bool:
    """True when `pupil_problems` finds nothing in these fields: a valid number, printable
    names of a sane length, the required ones not blank, a known location. The usual record is
    answered by this one expression instead of a loop per field (an import of 2,000 pupils
    asks for every row); anything else takes the full check, which says what is
    wrong."""
    texts = (first_name, prefix, last_name, class_name, location)
    return (
        canonical_pupil_number(number) is not None
        and "".join(texts).isprintable()
        and max(map(len, texts)) <= MAX_TEXT_LENGTH
        and bool(first_name.strip() and last_name.strip() and class_name.strip())
        and normalise_location(location) is not None
    )


def pupil_problems(
    number: str,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    class_name: str,
    location: str,
    today: date | None = None,
    prefix: str = "",
) -> list[tuple[str, str]]:
    """(field, Dutch problem) for a pupil record; shared by save_pupil and the importer.

    The number follows `PUPIL_NUMBER_RULE`; names, prefix and class hold no control characters
    and at most `MAX_TEXT_LENGTH` characters; the birth date is plausible for a pupil.
    """
    today = today or clock.today()
    if _plainly_valid(number, first_name, prefix, last_name, class_name, location) and (
        birth_date is None or birth_date_problem(birth_date, today) is None
    ):
        return []  # the usual record, answered without building a problem per field
    problems = []
    clean_number = clean_text(number)
    if not clean_number:
        problems.append(("number", "leerlingnummer ontbreekt"))
    else:
        problem = pupil_number_problem(clean_number)
        if problem:
            problems.append(("number", problem))
    for key, value, label in (
        ("first_name", first_name, "voornaam"),
        ("prefix", prefix, "tussenvoegsel"),
        ("last_name", last_name, "achternaam"),
        ("class_name", class_name, "klas"),
        ("location", location, "locatie"),
    ):
        problem = text_problem(value or "")
        if problem:
            problems.append((key, f"{label} {problem}"))
        elif key != "prefix" and not (value or "").strip():  # blank, as clean_text would leave it
            problems.append((key, f"{label} ontbreekt"))
    if birth_date is not None:
        problem = birth_date_problem(birth_date, today)
        if problem:
            problems.append(("birth_date", problem))
    if location.strip() and not text_problem(location) and normalise_location(location) is None:
        problems.append(
            (
                "location",
                f"onbekende locatie '{location}' (bekend: {', '.join(known_locations())})",
            )
        )
    return problems


_PUPIL_FIELDS = (
    "number",
    "first_name",
    "prefix",
    "last_name",
    "birth_date",
    "class_name",
    "location",
    "left_on",
)


# Positional parameters: binding 2,000 dicts by name took a third longer than tuples.
_INSERT_PUPIL = f"INSERT INTO pupils ({', '.join(_PUPIL_FIELDS)}) VALUES ({', '.join('?' * 8)})"


_pupil_values = itemgetter(*_PUPIL_FIELDS)


_UPDATE_PUPIL = (
    "UPDATE pupils SET first_name = :first_name, prefix = :prefix, last_name = :last_name,"
    " birth_date = :birth_date, class_name = :class_name, location = :location,"
    " left_on = :left_on WHERE number = :number"
)


# A new pupil's record as its audit entry holds it (`Pupil.as_dict`, keys sorted as
# `record_change` sorts them), made by the database from the inserted rows.
_PUPIL_JSON_KEYS = (
    "birth_date",
    "class_name",
    "first_name",
    "last_name",
    "left_on",
    "location",
    "number",
    "prefix",
)


def write_pupils(
    db: Database,
    new: Sequence[dict[str, Any]],
    changed: Sequence[tuple[Pupil, dict[str, Any]]],
) -> None:
    """Insert `new` pupil records and apply `changed` (old pupil, new record) ones, each with
    its audit entry, in one transaction: what `save_pupil` does for one pupil, in bulk.

    A new pupil's entry holds the whole record; a change holds the changed fields, old and
    new, which is what the art. 15 file shows. The entries of the new pupils are written by
    one INSERT … SELECT with the JSON made by the database: building 2,000 JSON documents in Python
    and inserting them was as long as the import itself.
    """
    with db.atomic():
        last_id = db.execute("SELECT coalesce(max(id), 0) FROM pupils").fetchone()[0]
        db.conn.executemany(_INSERT_PUPIL, map(_pupil_values, new))
        db.conn.executemany(_UPDATE_PUPIL, [values for _, values in changed])
        if new:
            pupil_json = dialect.json_object(db, *((key, key) for key in _PUPIL_JSON_KEYS))
            record_rows(
                db,
                "create",
                "pupil",
                f"SELECT number, NULL, {pupil_json} FROM pupils WHERE id > ? ORDER BY id",
                [last_id],
            )
        entries = []
        for old, values in changed:
            before = old.as_dict()
            keys = [key for key in values if before.get(key) != values[key]]
            entries.append(
                (
                    "update",
                    "pupil",
                    values["number"],
                    {key: before[key] for key in keys},
                    {key: values[key] for key in keys},
                )
            )
        record_changes(db, entries)


def save_pupil(
    db: Database,
    number: str,
    first_name: str,
    prefix: str | None,
    last_name: str,
    birth_date: date | str,
    class_name: str,
    location: str,
    left_on: date | str | None = None,
) -> Pupil:
    """Insert a pupil, or update the pupil with this number (audited; no change, no entry)."""
    birth = input_date(birth_date, "geboortedatum")
    left = input_date(left_on, "datum van vertrek") if left_on else None
    problems = pupil_problems(
        number, first_name, last_name, birth, class_name, location, prefix=prefix or ""
    )
    if problems:
        raise InputError("De leerling is niet opgeslagen.", [text for _, text in problems])
    number = canonical_pupil_number(clean_text(number)) or clean_text(number)
    values = {
        "number": number,
        "first_name": clean_text(first_name),
        "prefix": clean_text(prefix),
        "last_name": clean_text(last_name),
        "birth_date": birth.isoformat(),
        "class_name": clean_text(class_name),
        "location": normalise_location(location),
        "left_on": left.isoformat() if left else None,
    }
    with db.atomic():
        old = find_pupil(db, number)
        if old is not None:
            number = values["number"] = old.number  # a number stored with leading zeros keeps them
        if old is None:
            write_pupils(db, [values], [])
        elif old.as_dict() != values:
            write_pupils(db, [], [(old, values)])
    return get_pupil(db, number)


def mark_pupils_left(
    db: Database, numbers: Iterable[str], left_on: date | str | None = None
) -> int:
    """Mark pupils as left school on `left_on` (default today). Returns how many changed.

    The GUI calls this after the user confirmed the `absent_numbers` of a pupil import.
    Unknown numbers are an InputError; pupils already marked as left are left alone.
    """
    left = input_date(left_on, "datum van vertrek") if left_on else clock.today()
    numbers = list(dict.fromkeys(clean_text(str(n)) for n in numbers))
    pupils = [find_pupil(db, number) for number in numbers]
    unknown = [number for number, pupil in zip(numbers, pupils, strict=True) if pupil is None]
    if unknown:
        raise InputError(
            "Niemand is als vertrokken gemarkeerd.", [f"Onbekende leerling {n}" for n in unknown]
        )
    changed = 0
    with db.atomic():
        for pupil in pupils:
            assert pupil is not None
            if pupil.left_on is not None:
                continue
            db.execute("UPDATE pupils SET left_on = ? WHERE id = ?", [left.isoformat(), pupil.id])
            record_change(
                db,
                "update",
                "pupil",
                pupil.number,
                {"left_on": None},
                {"left_on": left.isoformat()},
            )
            changed += 1
    return changed
