"""The consent rules: from a pupil's decisions to a status on a date. Pure: no Qt, no SQL.

The rules (PRODUCT.md, "Consent"):

- No record means no consent (default deny).
- The latest decision by date received counts; decisions dated after the day asked about are
  ignored. On one date a refusal or withdrawal wins over a grant (and a withdrawal over a
  refusal), so the status never depends on the order in which decisions were entered.
- A grant counts only from a parent/guardian while the pupil is under 16, and only from the
  pupil from 16 (age on the day the grant was received). A refusal or withdrawal counts from
  anyone. A grant from the wrong person is never stored; if one is met anyway it is ignored.
- A parent's grant stays valid when the pupil turns 16, flagged `turned_16` ("inform the
  pupil"). With the setting `pupil_only_from_16` such a grant no longer allows publication:
  the status is `ask_pupil`.
- Once the school has told the pupil (the officer's mark, `store.informed`: the date of the
  latest mark that was not undone), that grant is plain `allowed` again, noted with the day
  the pupil was told (`Status.informed_on`). The mark counts on the days from its own date on,
  and only when that date is on or after the 16th birthday (before it there was nothing to
  tell). A parent's grant only counts when it came in before the 16th birthday, so it always
  came in before such a mark: the mark covers the grant that was flagged, and a parent cannot
  give a newer one. The mark changes no verdict: under `pupil_only_from_16` the pupil told is
  still `ask_pupil` (the pupil's own consent is needed), noted with the day as well; it says
  nothing about a pupil's own decision, a refusal, a withdrawal or an expired grant.
- Validity `school_year` (default): a decision holds for the school year in which it was
  received (start date a setting, 1 August by default); after that it is `expired` ("ask
  again"), which blocks like no consent. Validity `until_withdrawn`: decisions never expire.
  The mode changes how decisions are read, never the decisions.

Age: a pupil born on 29 February turns a year older on 1 March in non-leap years (the birthday
has not yet come on 28 February). This is the plain reading "the date (month, day) has been
reached", and it is the conservative choice: a parent's grant counts one day longer, a pupil's
own grant is accepted one day later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from merlet_desk.domain.dates import format_date

# Decisions
GRANTED = "granted"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
DECISIONS = (GRANTED, REFUSED, WITHDRAWN)

# Who gave it
PARENT = "parent"
GUARDIAN = "guardian"
PUPIL = "pupil"
GIVERS = (PARENT, GUARDIAN, PUPIL)

# How it was received
METHODS = ("paper", "email", "portal", "other")

# Derived states
ALLOWED = "allowed"
ALLOWED_TURNED_16 = "allowed_turned_16"
EXPIRED = "expired"
NO_RECORD = "no_record"
ASK_PUPIL = "ask_pupil"
STATES = (ALLOWED, ALLOWED_TURNED_16, REFUSED, WITHDRAWN, EXPIRED, NO_RECORD, ASK_PUPIL)
# The states that let a pupil appear, and those that block (each is also the reason given).
ALLOWED_STATES = frozenset({ALLOWED, ALLOWED_TURNED_16})
REASONS = (REFUSED, WITHDRAWN, EXPIRED, NO_RECORD, ASK_PUPIL)
BLOCKED_STATES = frozenset(REASONS)

# Flags on an allowed status
TURNED_16 = "turned_16"

# Validity modes
SCHOOL_YEAR = "school_year"
UNTIL_WITHDRAWN = "until_withdrawn"
VALIDITY_MODES = (SCHOOL_YEAR, UNTIL_WITHDRAWN)

ADULT_AGE = 16

# Dutch source texts; the UI translates them.
DECISION_LABELS = {GRANTED: "Toestemming", REFUSED: "Geweigerd", WITHDRAWN: "Ingetrokken"}
GIVER_LABELS = {PARENT: "Ouder", GUARDIAN: "Voogd", PUPIL: "Leerling"}
METHOD_LABELS = {
    "paper": "Papieren formulier",
    "email": "E-mail",
    "portal": "Ouderportaal",
    "other": "Anders",
}
STATE_LABELS = {
    ALLOWED: "Toestemming",
    ALLOWED_TURNED_16: "Toestemming — 16 geworden, leerling informeren",
    REFUSED: "Geweigerd",
    WITHDRAWN: "Ingetrokken",
    EXPIRED: "Verlopen — opnieuw vragen",
    NO_RECORD: "Niets vastgelegd",
    ASK_PUPIL: "Vraag de leerling",
}
# One text symbol per state, distinguishable without colour (greyscale print, colour blindness),
# the same on screen and on paper: ↻ "ask again" for expired, which the screen font
# and the PDF font (DejaVu Sans) both draw.
STATE_SYMBOLS = {
    ALLOWED: "✓",
    ALLOWED_TURNED_16: "✓!",
    REFUSED: "✗",
    WITHDRAWN: "⊘",
    EXPIRED: "↻",
    NO_RECORD: "–",
    ASK_PUPIL: "?",
}
# Why someone may not appear (publication check, CLI).
REASON_LABELS = {
    REFUSED: "geweigerd",
    WITHDRAWN: "toestemming ingetrokken",
    EXPIRED: "verlopen — opnieuw vragen",
    NO_RECORD: "niets vastgelegd (geen toestemming)",
    ASK_PUPIL: "16 of ouder — vraag de leerling zelf",
}
FLAG_LABELS = {TURNED_16: "16 geworden — leerling informeren"}
# A parent's consent for a pupil who turned 16 and was told (%1: the day, 24-11-2026).
INFORMED_LABEL = "Toestemming — 16 geworden, leerling geïnformeerd op %1"

# On one date the more cautious decision wins.
_SAME_DAY_PRIORITY = {WITHDRAWN: 2, REFUSED: 1, GRANTED: 0}


@dataclass(frozen=True, slots=True)  # slots: 140,000 of them at 20,000 pupils
class Decision:
    """One recorded decision (append-only)."""

    pupil_number: str
    purpose: str  # purpose code
    decision: str
    given_by: str
    giver_name: str
    received_on: date
    method: str
    recorded_by: str = ""
    recorded_at: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ConsentSettings:
    validity: str = SCHOOL_YEAR
    school_year_start: tuple[int, int] = (8, 1)  # (month, day)
    pupil_only_from_16: bool = False


@dataclass(frozen=True, slots=True)
class Status:
    """The status of one pupil for one purpose on one date."""

    state: str
    decision: Decision | None
    valid_until: date | None
    # The day the pupil was told about a parent's consent kept after their 16th birthday
    # (`allowed` or `ask_pupil`), else None.
    informed_on: date | None = None

    @property
    def allowed(self) -> bool:
        return self.state in ALLOWED_STATES

    @property
    def reason(self) -> str | None:
        """For a blocked status: refused, withdrawn, expired, no_record or ask_pupil."""
        return None if self.allowed else self.state

    @property
    def flags(self) -> tuple[str, ...]:
        return (TURNED_16,) if self.state == ALLOWED_TURNED_16 else ()

    @property
    def label(self) -> str:
        return self.label_in(lambda text: text)

    def label_in(self, translate: Callable[[str], str]) -> str:
        """The label, its Dutch source text passed through `translate` before the day of a
        pupil told at 16 goes in (the window's translation; the reports keep the Dutch)."""
        if self.state == ALLOWED and self.informed_on is not None:
            return translate(INFORMED_LABEL).replace("%1", format_date(self.informed_on))
        return translate(STATE_LABELS[self.state])

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self.state]


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on `on` (29 February birthdays: 1 March in non-leap years)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def decides_own_consent(birth_date: date, on: date) -> bool:
    """From 16 the pupil gives consent; before that a parent or guardian does."""
    return age_on(birth_date, on) >= ADULT_AGE


def default_giver(birth_date: date, on: date, *, guardian: bool = False) -> str:
    """Who normally gives consent on that date: the pupil from 16, else a parent (or the
    guardian, for a pupil who has one)."""
    if decides_own_consent(birth_date, on):
        return PUPIL
    return GUARDIAN if guardian else PARENT


def grant_problem(birth_date: date, given_by: str, on: date) -> str | None:
    """Dutch message when a *grant* from `given_by` on `on` is not allowed, else None."""
    if given_by not in GIVERS:
        return f"Onbekende gever '{given_by}' (ouder, voogd of leerling)."
    adult = decides_own_consent(birth_date, on)
    if given_by == PUPIL and not adult:
        return (
            "De leerling was op die datum jonger dan 16: toestemming moet dan van een ouder "
            "of voogd komen."
        )
    if given_by in (PARENT, GUARDIAN) and adult:
        return (
            "De leerling was op die datum 16 of ouder: alleen de leerling zelf kan dan "
            "toestemming geven."
        )
    return None


class PupilLike(Protocol):
    """What the rules read of a pupil (the store's `Pupil` is one)."""

    @property
    def birth_date(self) -> date: ...


class PurposeLike(Protocol):
    """What the rules read of a purpose (the store's `Purpose` is one)."""

    @property
    def label(self) -> str: ...

    @property
    def retired(self) -> bool: ...


def decision_problem(
    pupil: PupilLike,
    purpose: PurposeLike,
    decision: str,
    given_by: str,
    received_on: date,
    method: str,
    today: date,
) -> list[tuple[str, str]]:
    """(field, Dutch problem) for a decision; shared by the store's `record_decision` and the
    consent importer."""
    birth_date = pupil.birth_date
    problems = []
    if purpose.retired:
        problems.append(("purpose", f"het doel '{purpose.label}' is vervallen"))
    if decision not in DECISIONS:
        problems.append(("decision", f"onbekend besluit '{decision}' (ja, nee of ingetrokken)"))
    if given_by not in GIVERS:
        problems.append(("given_by", f"onbekende gever '{given_by}' (ouder, voogd of leerling)"))
    if method not in METHODS:
        problems.append(("method", f"onbekende wijze '{method}'"))
    if received_on > today:
        problems.append(
            ("received_on", f"de datum {received_on.strftime('%d-%m-%Y')} ligt in de toekomst")
        )
    elif received_on < birth_date:
        problems.append(
            (
                "received_on",
                f"de datum {received_on.strftime('%d-%m-%Y')} ligt vóór de geboortedatum",
            )
        )
    if decision == GRANTED and given_by in GIVERS:
        problem = grant_problem(birth_date, given_by, received_on)
        if problem:
            problems.append(("given_by", problem))
    return problems


def _safe_date(year: int, month: int, day: int) -> date:
    """A date, with 29 February moved to 1 March in a non-leap year."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, 3, 1)


def school_year(on: date, settings: ConsentSettings | None = None) -> tuple[date, date]:
    """The school year holding `on`: (first day, last day inclusive)."""
    month, day = (settings or ConsentSettings()).school_year_start
    start = _safe_date(on.year, month, day)
    if on < start:
        start = _safe_date(on.year - 1, month, day)
    next_start = _safe_date(start.year + 1, month, day)
    return start, date.fromordinal(next_start.toordinal() - 1)


def school_year_label(on: date, settings: ConsentSettings | None = None) -> str:
    """ "2026-2027" for a date in that school year."""
    start, end = school_year(on, settings)
    return f"{start.year}-{end.year}"


def _counts(decision: Decision, birth_date: date) -> bool:
    if decision.decision != GRANTED:
        return True
    return grant_problem(birth_date, decision.given_by, decision.received_on) is None


def current_decision(birth_date: date, decisions: Sequence[Decision], on: date) -> Decision | None:
    """The decision that counts on `on`: the latest by date; on one date the most cautious.

    Among equally cautious decisions of one date the last one given wins (highest id, else the
    last in the sequence); that choice only changes which giver is shown, never the state.
    """
    best: Decision | None = None
    best_key: tuple[date, int, int, int] | None = None
    for index, decision in enumerate(decisions):
        if decision.received_on > on or not _counts(decision, birth_date):
            continue
        key = (
            decision.received_on,
            _SAME_DAY_PRIORITY.get(decision.decision, 0),
            decision.id if decision.id is not None else -1,
            index,
        )
        if best_key is None or key > best_key:
            best, best_key = decision, key
    return best


def status_on(
    birth_date: date,
    decisions: Sequence[Decision],
    on: date,
    settings: ConsentSettings | None = None,
    informed_on: date | None = None,
) -> Status:
    """The status of one pupil for one purpose on `on`, from that purpose's decisions;
    `informed_on`: the day the pupil was told that they turned 16 (the standing mark), if any."""
    settings = settings or ConsentSettings()
    decision = current_decision(birth_date, decisions, on)
    if decision is None:
        return Status(NO_RECORD, None, None)
    valid_until = None
    if settings.validity == SCHOOL_YEAR:
        valid_until = school_year(decision.received_on, settings)[1]
        if on > valid_until:
            return Status(EXPIRED, decision, valid_until)
    if decision.decision == WITHDRAWN:
        return Status(WITHDRAWN, decision, valid_until)
    if decision.decision == REFUSED:
        return Status(REFUSED, decision, valid_until)
    if decision.given_by != PUPIL and age_on(birth_date, on) >= ADULT_AGE:
        told = (
            informed_on
            if informed_on is not None
            and informed_on <= on
            and age_on(birth_date, informed_on) >= ADULT_AGE
            else None
        )
        if settings.pupil_only_from_16:
            return Status(ASK_PUPIL, decision, valid_until, told)
        if told is not None:
            return Status(ALLOWED, decision, valid_until, told)
        return Status(ALLOWED_TURNED_16, decision, valid_until)
    return Status(ALLOWED, decision, valid_until)
