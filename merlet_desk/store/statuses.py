"""Statuses derived from the decisions, never stored: a pupil's for each purpose, the whole
register's, those of chosen (pupil, purpose) pairs, and the publication check (who of these
pupils may appear for a purpose on a date). The rules are `domain.consent.status_on`; a
change of a setting changes how decisions are read, never the decisions. The day a pupil who
turned 16 was told (`store.informed`) is read with the decisions, so every screen, report and
command that shows a status shows the same one. No Qt here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings, Decision, Status
from merlet_desk.errors import InputError
from merlet_desk.store.consent_settings import consent_settings, consent_settings_later
from merlet_desk.store.decisions import (
    decisions_by_cell,
    decisions_for,
    latest_decisions_by_cell,
    latest_decisions_by_cell_later,
    latest_decisions_of_pairs_later,
)
from merlet_desk.store.engine import dialect
from merlet_desk.store.informed import standing_mark, standing_marks_later
from merlet_desk.store.pupils import (
    Pupil,
    get_pupil,
    list_pupils_later,
    pupil_filter,
    resolve_pupils_later,
    wanted_numbers,
)
from merlet_desk.store.purposes import Purpose, get_purpose_in, list_purposes, list_purposes_later
from merlet_desk.store.sqlite_utils_import import Database


@dataclass
class CheckResult:
    """The publication check: who may appear for `purpose` on `on`, and who may not."""

    purpose: Purpose
    on: date
    allowed: list[tuple[Pupil, Status]] = field(default_factory=list)
    blocked: list[tuple[Pupil, Status]] = field(default_factory=list)

    @property
    def all_allowed(self) -> bool:
        return not self.blocked

    def as_json(self) -> dict[str, Any]:
        """The shape of `merlet-desk check --json`."""
        return {
            "purpose": self.purpose.code,
            "date": self.on.isoformat(),
            "allowed": [
                {
                    "pupil": pupil.number,
                    "name": pupil.name,
                    "flags": list(status.flags),
                    "informed_on": status.informed_on.isoformat() if status.informed_on else None,
                }
                for pupil, status in self.allowed
            ],
            "blocked": [
                {"pupil": pupil.number, "name": pupil.name, "reason": status.reason}
                for pupil, status in self.blocked
            ],
        }

    def as_text(self) -> str:
        """Plain Dutch text, for the clipboard and the command line."""
        lines = [
            f"Publicatiecheck: {self.purpose.label} ({self.purpose.code}), "
            f"{self.on.strftime('%d-%m-%Y')}",
            "",
            f"Mag erop ({len(self.allowed)}):",
        ]
        for pupil, status in self.allowed:
            flags = "".join(f" [{rules.FLAG_LABELS[flag]}]" for flag in status.flags)
            lines.append(f"  {pupil.number}  {pupil.name} ({pupil.class_name}){flags}")
        if not self.allowed:
            lines.append("  (niemand)")
        lines += ["", f"Mag er niet op ({len(self.blocked)}):"]
        for pupil, status in self.blocked:
            reason = rules.REASON_LABELS[status.reason or rules.NO_RECORD]
            lines.append(f"  {pupil.number}  {pupil.name} ({pupil.class_name}): {reason}")
        if not self.blocked:
            lines.append("  (niemand)")
        return "\n".join(lines)


def _status_from_latest(
    db: Database,
    pupil: Pupil,
    purpose_id: int,
    latest: list[Decision],
    on: date,
    settings: ConsentSettings,
    informed_on: date | None = None,
) -> Status:
    """The status from the latest date's decisions; the full history only when none counts."""
    status = rules.status_on(pupil.birth_date, latest, on, settings, informed_on)
    if status.state == rules.NO_RECORD and latest:
        history = decisions_by_cell(
            db, on, " WHERE d.pupil_id = ? AND d.purpose_id = ?", [pupil.id, purpose_id]
        )
        status = rules.status_on(
            pupil.birth_date, history.get((pupil.id, purpose_id), []), on, settings, informed_on
        )
    return status


def pair_statuses(
    db: Database,
    pairs_sql: str,
    params: Sequence[Any],
    pupils: Mapping[int, Pupil],
    on: date,
) -> dict[tuple[int, int], Status]:
    """The status on `on` of every (pupil id, purpose id) pair selected by `pairs_sql` (a
    SELECT of those two columns, with `params`; every pupil it names must be in `pupils`, by
    id), keyed by the pair. A pair that is not in the result has no decision: NO_RECORD.

    For the takedown list: one index search per pair for its latest date, instead
    of a publication check per purpose over every pupil in a publication. Whether a pupil
    who turned 16 was told changes no verdict (`rules.status_on`), so the marks are not read
    here: a parent's consent kept after 16 shows as `allowed_turned_16` either way.
    """
    return pair_statuses_later(db, pairs_sql, params, on)(pupils)


def pair_statuses_later(
    db: Database, pairs_sql: str, params: Sequence[Any], on: date
) -> Callable[[Mapping[int, Pupil]], dict[tuple[int, int], Status]]:
    """`pair_statuses`, its queries executed now and read when the result is called with the
    pupils (for `dialect.together`)."""
    cells_later = latest_decisions_of_pairs_later(db, pairs_sql, params, on)
    settings_later = consent_settings_later(db)

    def result(pupils: Mapping[int, Pupil]) -> dict[tuple[int, int], Status]:
        cells, settings = cells_later(), settings_later()
        return {
            (pupil_id, purpose_id): _status_from_latest(
                db, pupils[pupil_id], purpose_id, decisions, on, settings
            )
            for (pupil_id, purpose_id), decisions in cells.items()
        }

    return result


def register_statuses(
    db: Database,
    on: date,
    *,
    location: str | None = None,
    class_name: str | None = None,
    include_left: bool = False,
) -> list[tuple[Pupil, dict[str, Status]]]:
    """Every pupil (in register order) with its status for every active purpose code."""
    pupils_where, params = pupil_filter(location, class_name, include_left, alias="p.")
    where = pupils_where + (" AND " if pupils_where else " WHERE ") + "pu.retired = 0"
    with dialect.together(db):  # one round trip on a server
        settings_later = consent_settings_later(db)
        pupils_later = list_pupils_later(
            db, location=location, class_name=class_name, include_left=include_left
        )
        purposes_later = list_purposes_later(db)
        cells_later = latest_decisions_by_cell_later(db, on, where, params)
        told_later = standing_marks_later(db, pupils_where, params)
    settings, pupils = settings_later(), pupils_later()
    purposes, cells, told = purposes_later(), cells_later(), told_later()
    no_record = rules.Status(rules.NO_RECORD, None, None)
    result = []
    for pupil in pupils:
        statuses = {}
        informed_on = told.get(pupil.id)
        for purpose in purposes:
            decisions = cells.get((pupil.id, purpose.id))
            statuses[purpose.code] = (
                _status_from_latest(db, pupil, purpose.id, decisions, on, settings, informed_on)
                if decisions
                else no_record
            )
        result.append((pupil, statuses))
    return result


def status_of(db: Database, pupil_number: str, purpose: str, on: date) -> Status:
    """One pupil's status for one purpose on `on`."""
    pupil = get_pupil(db, pupil_number)
    return rules.status_on(
        pupil.birth_date,
        decisions_for(db, pupil_number, purpose),
        on,
        consent_settings(db),
        standing_mark(db, pupil),
    )


def pupil_statuses(
    db: Database, pupil: Pupil, on: date, purposes: Iterable[str] | None = None
) -> dict[str, Status]:
    """One pupil's status on `on` for each of these purpose codes (default: every active
    purpose), in that order: what the register row, the form entry and the decision dialog
    show for the pupil. One query for all of the pupil's decisions."""
    codes = [p.code for p in list_purposes(db)] if purposes is None else list(purposes)
    settings = consent_settings(db)
    informed_on = standing_mark(db, pupil)
    by_purpose: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions_for(db, pupil.number):
        by_purpose[decision.purpose].append(decision)
    return {
        code: rules.status_on(pupil.birth_date, by_purpose.get(code, []), on, settings, informed_on)
        for code in codes
    }


def publication_check(
    db: Database, purpose: str, pupil_numbers: Sequence[str], on: date
) -> CheckResult:
    """Who of these pupils may appear for `purpose` on `on` (in the order given).

    One round trip on a server: the purposes, the pupils, the settings, the decisions and the
    marks of who was told at 16 are asked at once, as statements planned once per connection
    for any class (`dialect.planned_once`: planning them took as long as running them). The
    decisions and marks are asked by the purpose's code and the pupils' numbers as given,
    which is what they are almost always; when the purpose was named by its label or a pupil
    found without leading zeros, they are asked again by id."""
    numbers = wanted_numbers(pupil_numbers)
    pairs = (
        "SELECT p.id, pu.id FROM pupils p CROSS JOIN purposes pu"
        f" WHERE pu.code = ? AND p.number IN {dialect.json_values(db, 'text')}"
    )
    with dialect.planned_once(db):
        purposes_later = list_purposes_later(db, include_retired=True)
        pupils_later = resolve_pupils_later(db, numbers)
        settings_later = consent_settings_later(db)
        cells_later = latest_decisions_of_pairs_later(db, pairs, [purpose, json.dumps(numbers)], on)
        told_later = standing_marks_later(
            db, f" WHERE p.number IN {dialect.json_values(db, 'text')}", [json.dumps(numbers)]
        )
    target = get_purpose_in(purposes_later(), purpose)
    pupils = pupils_later()
    if not pupils:
        raise InputError("Kies minstens één leerling.")
    settings = settings_later()
    cells, told = cells_later(), told_later()
    asked = set(numbers)
    if target.code != purpose or any(pupil.number not in asked for pupil in pupils):
        placeholders = ",".join("?" * len(pupils))
        ids = [p.id for p in pupils]
        cells = latest_decisions_by_cell(
            db, on, f" WHERE pu.id = ? AND p.id IN ({placeholders})", [target.id, *ids]
        )
        told = standing_marks_later(db, f" WHERE p.id IN ({placeholders})", ids)()
    result = CheckResult(purpose=target, on=on)
    for pupil in pupils:
        status = _status_from_latest(
            db,
            pupil,
            target.id,
            cells.get((pupil.id, target.id), []),
            on,
            settings,
            told.get(pupil.id),
        )
        (result.allowed if status.allowed else result.blocked).append((pupil, status))
    return result
