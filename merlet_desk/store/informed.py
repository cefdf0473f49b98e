"""Pupils who turned 16 and were told so: the marks the officer records (migration m0013).

A parent's consent stays valid when the pupil turns 16; the school tells the pupil that they
may withdraw it or decide themselves. Until the officer records that, the pupil is on the
"16 geworden" list. A mark says on which date the pupil was told; a mistaken mark is undone by
a new entry, so every mark stays in the pupil's history (the table is append-only). Every
entry is audited under the pupil (kind "pupil"), so the pupil's audit trail, the art. 15 file
and the retention purge treat it like the pupil's other data. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.publications import sixteenth_birthday
from merlet_desk.errors import InputError
from merlet_desk.store.audit import current_user, now_iso, record_changes
from merlet_desk.store.pupils import Pupil, get_pupil
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.values import clean_text, input_date

INFORMED, UNDONE = "informed", "undone"
# The audit log's actions for the two kinds of entry (store.audit_query gives them words).
AUDIT_ACTIONS = {INFORMED: "informed", UNDONE: "informed_undone"}


@dataclass(frozen=True)
class InformedMark:
    """One entry of a pupil's marks: told on `on` (INFORMED), or a mistaken mark undone on
    `on` (UNDONE)."""

    pupil_number: str
    kind: str
    on: date
    note: str
    recorded_by: str
    recorded_at: str

    @property
    def text(self) -> str:
        """In words, as the history and the art. 15 file show it."""
        if self.kind == INFORMED:
            return f"Leerling geïnformeerd (16 geworden) op {format_date(self.on)}"
        return f"Markering 'geïnformeerd' ongedaan gemaakt op {format_date(self.on)}"


_SELECT = (
    "SELECT p.number, i.kind, i.on_date, i.note, i.recorded_by, i.recorded_at"
    " FROM pupils_informed i JOIN pupils p ON p.id = i.pupil_id"
)


def _mark(row: Sequence[object]) -> InformedMark:
    return InformedMark(
        str(row[0]),
        str(row[1]),
        date.fromisoformat(str(row[2])),
        str(row[3]),
        str(row[4]),
        str(row[5]),
    )


def informed_marks(db: Database, pupil_number: str) -> list[InformedMark]:
    """Every mark of the pupil, oldest first (undone ones too)."""
    pupil = get_pupil(db, pupil_number)
    rows = db.execute(f"{_SELECT} WHERE i.pupil_id = ? ORDER BY i.id", [pupil.id]).fetchall()
    return [_mark(row) for row in rows]


def standing_marks_later(
    db: Database, where: str = "", params: Sequence[Any] = ()
) -> Callable[[], dict[int, date]]:
    """{pupil id: the day they were told} for the pupils `p` that `where` (on that alias)
    selects whose latest mark stands (not undone): what the statuses read
    (`rules.status_on`'s `informed_on`). Its query executed now and its rows read when the
    result is called (for `dialect.together`): one index search per mark."""
    cursor = db.execute(
        "SELECT i.pupil_id, i.on_date FROM pupils_informed i JOIN pupils p ON p.id = i.pupil_id"
        + where
        + (" AND " if where else " WHERE ")
        + "i.kind = 'informed' AND i.id ="
        " (SELECT max(j.id) FROM pupils_informed j WHERE j.pupil_id = i.pupil_id)",
        list(params),
    )

    def result() -> dict[int, date]:
        return {int(row[0]): date.fromisoformat(str(row[1])) for row in cursor.fetchall()}

    return result


def standing_marks_of(db: Database, pupil_ids: Sequence[int]) -> dict[int, date]:
    """`standing_marks_later` for these pupils, read at once (a stack of forms)."""
    from merlet_desk.store.engine import dialect

    where = f" WHERE p.id IN {dialect.json_values(db)}"
    return standing_marks_later(db, where, [json.dumps(list(pupil_ids))])()


def standing_mark(db: Database, pupil: Pupil) -> date | None:
    """The day this pupil was told, when their latest mark stands, else None."""
    return standing_marks_later(db, " WHERE p.id = ?", [pupil.id])().get(pupil.id)


def _pupils(db: Database, numbers: Sequence[str]) -> list[Pupil]:
    if not numbers:
        raise InputError("Kies eerst een of meer leerlingen.")
    return [get_pupil(db, number) for number in dict.fromkeys(numbers)]


def mark_informed(
    db: Database, pupil_numbers: Sequence[str], on: date | str, note: str = ""
) -> list[InformedMark]:
    """Record that these pupils were told on `on` (all or nothing; audited per pupil).

    InputError when `on` lies in the future, or before a pupil's 16th birthday (then there was
    nothing to tell yet)."""
    told = input_date(on, "datum waarop de leerling is geïnformeerd")
    pupils = _pupils(db, pupil_numbers)
    if told > clock.today():
        raise InputError(
            f"De datum {format_date(told)} ligt in de toekomst: vul de dag in waarop de "
            "leerling is geïnformeerd."
        )
    young = [p for p in pupils if told < sixteenth_birthday(p.birth_date)]
    if young:
        names = ", ".join(f"{p.name} ({p.number})" for p in young)
        raise InputError(
            f"Op {format_date(told)} was {names} nog geen 16: er was toen nog niets te "
            "vertellen. Er is niets vastgelegd."
        )
    return _append(db, pupils, INFORMED, told, clean_text(note))


def undo_informed(db: Database, pupil_numbers: Sequence[str], note: str = "") -> list[InformedMark]:
    """Undo a mistaken mark of these pupils (a new entry; the mark stays in the history).
    InputError for a pupil without a standing mark."""
    pupils = _pupils(db, pupil_numbers)
    standing = standing_marks_of(db, [p.id for p in pupils])
    missing = [p for p in pupils if p.id not in standing]
    if missing:
        names = ", ".join(f"{p.name} ({p.number})" for p in missing)
        raise InputError(
            f"{names} staat niet als geïnformeerd vastgelegd: er is niets ongedaan te maken."
        )
    return _append(db, pupils, UNDONE, clock.today(), clean_text(note))


def _append(
    db: Database, pupils: list[Pupil], kind: str, on: date, note: str
) -> list[InformedMark]:
    who, at = current_user(), now_iso()
    marks = [InformedMark(p.number, kind, on, note, who, at) for p in pupils]
    with db.atomic():
        for pupil in pupils:
            db.execute(
                "INSERT INTO pupils_informed (pupil_id, kind, on_date, note, recorded_by,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [pupil.id, kind, on.isoformat(), note, who, at],
            )
        record_changes(
            db,
            [
                (
                    AUDIT_ACTIONS[kind],
                    "pupil",
                    mark.pupil_number,
                    None,
                    {"informed_on": on.isoformat(), **({"note": note} if note else {})},
                )
                for mark in marks
            ],
        )
    return marks
