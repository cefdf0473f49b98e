"""Cases of the incident log (Incidenten): what a case holds and the rules it must follow.

Pure: no Qt, no SQL. The store saves a `Case`; the GUI and the CLI show it. `validate_case`
returns Dutch messages per field, so the editor can show each next to its field and the store
can refuse the same input with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

AGREEMENT_MIN, AGREEMENT_MAX = 1, 14

STATUS_OPEN, STATUS_IN_PROGRESS, STATUS_CLOSED = "open", "in_progress", "closed"
STATUSES: tuple[str, ...] = (STATUS_OPEN, STATUS_IN_PROGRESS, STATUS_CLOSED)
STATUS_LABELS: dict[str, str] = {
    STATUS_OPEN: "Open",
    STATUS_IN_PROGRESS: "In behandeling",
    STATUS_CLOSED: "Gesloten",
}
# Not a status of a case but a filter on the list: open or in progress (not closed).
STATUS_ACTIVE = "active"
ACTIVE_LABEL = "Lopend (open en in behandeling)"
# An active case whose last step (timeline entry, else the report) is this many days old or
# more asks for attention on the start screen.
QUIET_DAYS = 14

ROLES: tuple[str, ...] = ("staff", "pupil", "parent", "external")
ROLE_LABELS: dict[str, str] = {
    "staff": "Medewerker",
    "pupil": "Leerling",
    "parent": "Ouder/verzorger",
    "external": "Extern",
}

# Codes are stable (CLI, database); labels are what users see and may be edited in the store.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("belittling_video", "Kleineren via video"),
    ("threatening_message", "Bedreigend bericht"),
    ("sexual_intimidation", "Digitale seksuele intimidatie of beschuldiging daarvan"),
    ("images_without_consent", "Beeld gepubliceerd zonder toestemming"),
    ("confidential_information", "Vertrouwelijke informatie gepubliceerd"),
    ("improper_contact", "Ongepast contact tussen medewerker en leerling op sociale media"),
    ("reputation_harm", "Schade aan de naam van de school"),
    ("other", "Overig"),
)

DEFAULT_PLATFORMS: tuple[tuple[str, str], ...] = (
    ("youtube", "YouTube"),
    ("instagram", "Instagram"),
    ("snapchat", "Snapchat"),
    ("tiktok", "TikTok"),
    ("x", "X/Twitter"),
    ("whatsapp", "WhatsApp"),
    ("facebook", "Facebook"),
    ("linkedin", "LinkedIn"),
    ("other", "Overig"),
)

TIMELINE_KINDS: tuple[tuple[str, str], ...] = (
    ("conversation", "Gesprek gevoerd"),
    ("parents_informed", "Ouders geïnformeerd"),
    ("police_informed", "Politie geïnformeerd"),
    ("sanction", "Sanctie opgelegd"),
    ("post_removed", "Bericht verwijderd"),
    ("case_closed", "Incident gesloten"),
    ("other", "Overig"),
)
TIMELINE_KIND_LABELS: dict[str, str] = dict(TIMELINE_KINDS)


def informed_on(
    flag: bool, on: date | None, step_dates: list[date]
) -> tuple[bool, date | None, bool]:
    """Whether and when the parents (or the police) were informed, from the case's field and
    the dates of its timeline steps of that kind: (informed, date, from_timeline). The field
    counts when ticked; else the first such step does, so that a report never says "Nee"
    above a step that says they were."""
    if flag:
        return True, on or min(step_dates, default=None), False
    if step_dates:
        return True, min(step_dates), True
    return False, None, False


REFERENCE_PATTERN = re.compile(r"^(\d{4})-(\d{4,})$")


def format_reference(year: int, sequence: int) -> str:
    """`2026-0007`: the year and the sequence within that year."""
    return f"{year:04d}-{sequence:04d}"


def parse_reference(reference: str) -> tuple[int, int]:
    """(year, sequence) of a reference; ValueError for anything else."""
    match = REFERENCE_PATTERN.match(reference.strip())
    if not match:
        raise ValueError(f"Geen geldig kenmerk: {reference!r} (verwacht bijvoorbeeld 2026-0007).")
    return int(match.group(1)), int(match.group(2))


def parse_user_date(text: str) -> date:
    """A date typed by a user: 24-11-2026 or 2026-11-24. ValueError with a Dutch message."""
    text = text.strip()
    for pattern in (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{1,2})-(\d{1,2})-(\d{4})$"):
        match = re.match(pattern, text)
        if match:
            parts = [int(part) for part in match.groups()]
            year, month, day = parts if pattern.startswith("^(\\d{4})") else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"Geen geldige datum: {text!r} (verwacht dd-mm-jjjj of jjjj-mm-dd).")


@dataclass
class CasePerson:
    """Someone involved, with as little personal data as will do."""

    role: str  # one of ROLES
    description: str  # a name or a description ("leerling 3 havo", "onbekende afzender")
    pupil_number: str | None = None  # link to the pupil register instead of typing it again


@dataclass
class Case:
    """One incident with the measures taken. `reference` is given when the case is first saved."""

    incident_date: date | None = None
    report_date: date | None = None
    location: str = ""
    category: str = ""
    platform: str = ""
    summary: str = ""
    description: str = ""
    people: list[CasePerson] = field(default_factory=list)
    agreements: list[int] = field(default_factory=list)
    measures: str = ""  # measures and sanctions taken, one per line
    parents_informed: bool = False
    parents_informed_on: date | None = None
    police_informed: bool = False
    police_informed_on: date | None = None
    press_contact: str = ""
    victim_care: str = ""
    status: str = STATUS_OPEN
    closed_on: date | None = None
    id: int | None = None
    reference: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None

    def measure_lines(self) -> list[str]:
        return [line.strip() for line in self.measures.splitlines() if line.strip()]


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    case_id: int
    entry_date: date
    kind: str
    text: str
    author: str
    created_at: str

    @property
    def kind_label(self) -> str:
        return TIMELINE_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class EvidenceInfo:
    """An attached file without its bytes (those are fetched on demand)."""

    id: int
    case_id: int
    file_name: str
    mime_type: str
    size: int
    sha256: str
    added_at: str
    added_by: str
    thumbnail: bytes | None = None

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


def validate_case(
    case: Case,
    today: date,
    *,
    locations: tuple[str, ...] | list[str],
    categories: set[str] | list[str] | tuple[str, ...],
    platforms: set[str] | list[str] | tuple[str, ...],
) -> dict[str, str]:
    """Every problem of `case`, as {field name: Dutch message}. Empty when it may be saved.

    `categories` and `platforms` are the codes a case may use (active ones, plus the case's
    own retired code when it is edited).
    """
    problems: dict[str, str] = {}

    def not_future(name: str, value: date | None, what: str) -> None:
        if value is not None and value > today:
            problems[name] = f"{what} ligt in de toekomst; dat kan niet."

    if case.incident_date is None:
        problems["incident_date"] = "Vul de datum van het incident in."
    not_future("incident_date", case.incident_date, "De datum van het incident")
    if case.report_date is None:
        problems["report_date"] = "Vul de datum van de melding in."
    not_future("report_date", case.report_date, "De datum van de melding")
    if (
        "report_date" not in problems
        and case.incident_date
        and case.report_date
        and case.report_date < case.incident_date
    ):
        problems["report_date"] = "De melding kan niet vóór het incident liggen."
    if not case.summary.strip():
        problems["summary"] = "Vat in een zin samen wat er gebeurde."
    if case.location not in locations:
        problems["location"] = (
            "Kies een locatie (" + ", ".join(locations) + ")."
            if not case.location
            else f"Onbekende locatie: {case.location}."
        )
    if case.category not in categories:
        problems["category"] = (
            "Kies een categorie." if not case.category else f"Onbekende categorie: {case.category}."
        )
    if case.platform not in platforms:
        problems["platform"] = (
            "Kies een platform." if not case.platform else f"Onbekend platform: {case.platform}."
        )
    for index, person in enumerate(case.people, start=1):
        if person.role not in ROLES:
            problems["people"] = f"Betrokkene {index}: onbekende rol {person.role!r}."
            break
        if not person.description.strip() and not (person.pupil_number or "").strip():
            problems["people"] = f"Betrokkene {index}: vul een naam of omschrijving in."
            break
    wrong = sorted({n for n in case.agreements if not AGREEMENT_MIN <= n <= AGREEMENT_MAX})
    if wrong:
        problems["agreements"] = (
            f"Afspraak {', '.join(str(n) for n in wrong)} bestaat niet; "
            f"het beleid kent de afspraken {AGREEMENT_MIN} tot en met {AGREEMENT_MAX}."
        )
    for flag, on, name, who in (
        (case.parents_informed, case.parents_informed_on, "parents_informed_on", "de ouders"),
        (case.police_informed, case.police_informed_on, "police_informed_on", "de politie"),
    ):
        if flag and on is None:
            problems[name] = f"Vul in wanneer {who} geïnformeerd zijn."
        elif not flag and on is not None:
            problems[name] = f"Een datum hoort alleen bij ‘ja, {who} zijn geïnformeerd’."
        else:
            not_future(name, on, "Deze datum")
    if case.status not in STATUSES:
        problems["status"] = f"Onbekende status: {case.status!r}."
    if case.status == STATUS_CLOSED:
        if case.closed_on is None:
            problems["closed_on"] = "Een gesloten incident heeft een sluitingsdatum."
        if not case.measure_lines():
            problems["measures"] = "Een gesloten incident noemt minstens één genomen maatregel."
    elif case.closed_on is not None:
        problems["closed_on"] = "Alleen een gesloten incident heeft een sluitingsdatum."
    if "closed_on" not in problems:
        not_future("closed_on", case.closed_on, "De sluitingsdatum")
    if (
        "closed_on" not in problems
        and case.closed_on
        and case.incident_date
        and case.closed_on < case.incident_date
    ):
        problems["closed_on"] = "De sluitingsdatum ligt vóór de datum van het incident."
    return problems


FIELD_LABELS: dict[str, str] = {
    "incident_date": "Datum incident",
    "report_date": "Datum melding",
    "location": "Locatie",
    "category": "Categorie",
    "platform": "Platform",
    "summary": "Samenvatting",
    "description": "Beschrijving",
    "people": "Betrokkenen",
    "agreements": "Afspraken",
    "measures": "Maatregelen en sancties",
    "parents_informed_on": "Ouders geïnformeerd op",
    "police_informed_on": "Politie geïnformeerd op",
    "press_contact": "Perscontact",
    "victim_care": "Zorg voor het slachtoffer",
    "status": "Status",
    "closed_on": "Gesloten op",
}


def problems_as_lines(problems: dict[str, str]) -> list[str]:
    """Field problems as lines for an InputError: "Datum incident: ..."."""
    return [f"{FIELD_LABELS.get(name, name)}: {message}" for name, message in problems.items()]


def _school_year_of(on: date, start: tuple[int, int]) -> tuple[date, date]:
    month, day = start
    first = date(on.year, month, min(day, 28) if month == 2 else day)
    if on < first:
        first = first.replace(year=on.year - 1)
    following = first.replace(year=first.year + 1)
    return first, date.fromordinal(following.toordinal() - 1)


def period_presets(
    today: date, school_year_start: tuple[int, int] = (8, 1)
) -> list[tuple[str, str, date, date]]:
    """Ready-made periods for the list and the overview: (code, Dutch label, from, to)."""
    this_start, this_end = _school_year_of(today, school_year_start)
    last_start, last_end = _school_year_of(
        date.fromordinal(this_start.toordinal() - 1), school_year_start
    )
    month_ago = date.fromordinal(today.toordinal() - 30)
    quarter_ago = date.fromordinal(today.toordinal() - 91)
    return [
        ("last_30_days", "Laatste 30 dagen", month_ago, today),
        ("last_3_months", "Laatste 3 maanden", quarter_ago, today),
        ("this_school_year", f"Schooljaar {this_start.year}-{this_end.year}", this_start, today),
        ("last_school_year", f"Schooljaar {last_start.year}-{last_end.year}", last_start, last_end),
        ("this_year", f"Kalenderjaar {today.year}", date(today.year, 1, 1), today),
        (
            "last_year",
            f"Kalenderjaar {today.year - 1}",
            date(today.year - 1, 1, 1),
            date(today.year - 1, 12, 31),
        ),
    ]
