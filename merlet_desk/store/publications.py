"""Where an item was published: publishing behind the publication check and the checklist
(with the pupils made unrecognisable, and the file Merlet Desk made for it), taking it down,
and keeping it up for a pupil with a reason. The items themselves are `store.items`; what must
come down is `store.takedowns`.

Every write is audited with `record_change` inside its own transaction, with pupils named by
their number as a JSON string (the retention purge scrubs entries that mention a purged pupil).
No Qt here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk import clock
from merlet_desk.domain import publications as rules
from merlet_desk.domain.consent import Status
from merlet_desk.domain.people import full_name, sort_key
from merlet_desk.domain.publications import (
    HIDDEN_BOXES,
    HIDDEN_EVERY_FACE,
    HIDDEN_STATED,
    Box,
    HiddenFaces,
    HiddenPupil,
)
from merlet_desk.errors import InputError
from merlet_desk.store.audit import current_user, now_iso, record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.engine import dialect
from merlet_desk.store.items import (
    FileFacts,
    Item,
    check_item,
    file_facts,
    get_item,
    item_pupils,
    items_of_pupil,
)
from merlet_desk.store.pupils import (
    Pupil,
    get_pupil,
)
from merlet_desk.store.purposes import get_purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.values import clean_text, optional_date, raise_problems

PUBLICATION_KIND = "publication"

# Files Merlet Desk makes for a publication, and how the register names a face
# hidden here (the same text as merlet_desk.imaging.anonymise.METHOD; no numpy import here).
UNRECOGNISABLE_FILE = "unrecognisable"
CLEAN_COPY_FILE = "clean_copy"
FILE_KINDS = (UNRECOGNISABLE_FILE, CLEAN_COPY_FILE)
FILE_KIND_LABELS = {
    UNRECOGNISABLE_FILE: "onherkenbaar gemaakt, zonder metadata",
    CLEAN_COPY_FILE: "kopie zonder metadata",
}
MERLET_METHOD = "vervaagd in Merlet Desk"


class PublishBlocked(InputError):
    """Publishing refused: these pupils may not appear and were not made unrecognisable."""

    def __init__(self, message: str, blocked: list[tuple[Pupil, Status]]) -> None:
        problems = [
            f"{pupil.name} ({pupil.class_name}, {pupil.number}): "
            f"{rules.TAKEDOWN_REASON_LABELS.get(status.state, status.label)}"
            for pupil, status in blocked
        ]
        super().__init__(message, problems)
        self.blocked = blocked


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class OutgoingFile:
    """A file made for a publication, to record with it (see `publish`). `owners` says whose
    face each of `regions` hides, in the same order: a pupil's number as the officer linked
    it, or "" for a face of nobody named (a passer-by)."""

    path: Path
    kind: str
    style: str = ""
    regions: tuple[Box, ...] = ()
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicationFile:
    """The file that went out with a publication, when Merlet Desk made it."""

    kind: str
    name: str
    size: int
    sha256: str
    path: str
    style: str
    regions: tuple[tuple[int, int, int, int], ...]

    @property
    def kind_label(self) -> str:
        return FILE_KIND_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class Publication:
    id: int
    item_id: int
    purpose_code: str
    purpose_label: str
    published_on: date
    link: str
    published_by: str
    recorded_at: str
    checklist: tuple[int, ...]
    taken_down_on: date | None
    taken_down_by: str
    taken_down_note: str
    unrecognisable: tuple[str, ...]
    file: PublicationFile | None = None
    hidden: tuple[HiddenPupil, ...] = ()  # the unrecognisable pupils: how, and which boxes

    @property
    def active(self) -> bool:
        return self.taken_down_on is None

    @property
    def hidden_faces(self) -> HiddenFaces:
        """Which box of the file that went out hid whom."""
        return HiddenFaces(self.file.regions if self.file else (), self.hidden)

    def hidden_lines(self) -> list[str]:
        return self.hidden_faces.lines()

    def hidden_pupil(self, number: str) -> HiddenPupil | None:
        return next((h for h in self.hidden if h.number == number), None)


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- items


# --------------------------------------------------------------------------- publications


def _publication_select(db: Database) -> str:
    out_file = dialect.json_object(
        db,
        ("kind", "f.kind"),
        ("name", "f.file_name"),
        ("size", "f.file_size"),
        ("sha256", "f.file_hash"),
        ("path", "f.file_path"),
        ("style", "f.style"),
        ("regions", dialect.as_json(db, "f.regions")),
    )
    hidden = dialect.json_array(
        db,
        "p.number",
        "p.first_name",
        "p.prefix",
        "p.last_name",
        "p.class_name",
        "u.how",
        "u.basis",
        dialect.as_json(db, "u.regions"),
    )
    return (
        "SELECT pb.id, pb.item_id, pu.code, pu.label, pb.published_on, pb.link, pb.published_by,"
        " pb.recorded_at, pb.checklist, pb.taken_down_on, pb.taken_down_by, pb.taken_down_note,"
        f" (SELECT {dialect.json_array_agg(db, 'p.number')} FROM publication_unrecognisable u"
        "  JOIN pupils p ON p.id = u.pupil_id WHERE u.publication_id = pb.id),"
        f" (SELECT {out_file}"
        "  FROM publication_files f WHERE f.publication_id = pb.id ORDER BY f.id DESC LIMIT 1),"
        f" (SELECT {dialect.json_array_agg(db, hidden)} FROM publication_unrecognisable u"
        "  JOIN pupils p ON p.id = u.pupil_id WHERE u.publication_id = pb.id)"
        " FROM publications pb JOIN purposes pu ON pu.id = pb.purpose_id"
    )


def _hidden_select(publications_sql: str) -> str:
    """The same per-pupil record for the publications of a list (the takedown list), those
    whose ids `publications_sql` gives."""
    return (
        "SELECT u.publication_id, p.number, p.first_name, p.prefix, p.last_name, p.class_name,"
        " u.how, u.basis, u.regions FROM publication_unrecognisable u"
        " JOIN pupils p ON p.id = u.pupil_id"
        f" WHERE u.publication_id IN {publications_sql}"
    )


def _boxes(raw: str | Sequence[Sequence[int]]) -> tuple[Box, ...]:
    """Boxes from their JSON text (or the list it holds)."""
    boxes = json.loads(raw) if isinstance(raw, str) else raw
    return tuple((int(x), int(y), int(w), int(h)) for x, y, w, h in boxes)


def _hidden_pupil(number: str, first: str, prefix: str, last: str, *rest: Any) -> HiddenPupil:
    class_name, how, basis, regions = rest
    return HiddenPupil(
        number, full_name(first, prefix, last), class_name, how, basis, _boxes(regions)
    )


def _sorted_hidden(rows: Iterable[Sequence[Any]]) -> tuple[HiddenPupil, ...]:
    """The records in register order (by name), each from (number, first, prefix, last,
    class, how, basis, regions)."""
    ordered = sorted(rows, key=lambda row: (sort_key(row[1], row[2], row[3]), row[0]))
    return tuple(_hidden_pupil(*row) for row in ordered)


def hidden_faces_of(db: Database, publication_ids: Iterable[int]) -> dict[int, HiddenFaces]:
    """Which box hid whom, for each of these publications (one query each way)."""
    ids = json.dumps(sorted(set(publication_ids)))
    return hidden_faces_later(db, dialect.json_values(db), [ids])()


def hidden_faces_later(
    db: Database, publications_sql: str, params: Sequence[Any]
) -> Callable[[], dict[int, HiddenFaces]]:
    """`hidden_faces_of` for the publications whose ids `publications_sql` (a SELECT of one
    column, or a parenthesised table) gives with `params`: its queries executed now, in one
    round trip on a server, and read when the result is called (for `dialect.together`)."""
    with dialect.together(db):
        hidden_cursor = db.execute(_hidden_select(publications_sql), params)
        regions_cursor = db.execute(
            "SELECT publication_id, regions FROM publication_files WHERE id IN"
            " (SELECT max(id) FROM publication_files"
            f"  WHERE publication_id IN {publications_sql} GROUP BY publication_id)",
            params,
        )

    def result() -> dict[int, HiddenFaces]:
        rows: dict[int, list[Sequence[Any]]] = defaultdict(list)
        for row in hidden_cursor.fetchall():
            rows[row[0]].append(row[1:])
        regions = {pub_id: _boxes(boxes) for pub_id, boxes in regions_cursor.fetchall()}
        return {
            publication_id: HiddenFaces(
                regions.get(publication_id, ()),
                _sorted_hidden(rows.get(publication_id, ())),
            )
            for publication_id in set(rows) | set(regions)
        }

    return result


def _publication_file(text: str | None) -> PublicationFile | None:
    if not text:
        return None
    raw = json.loads(text)
    return PublicationFile(
        kind=raw["kind"],
        name=raw["name"],
        size=raw["size"],
        sha256=raw["sha256"],
        path=raw["path"],
        style=raw["style"],
        regions=tuple(tuple(box) for box in raw["regions"]),
    )


def _publication(row: Sequence[Any]) -> Publication:
    return Publication(
        id=row[0],
        item_id=row[1],
        purpose_code=row[2],
        purpose_label=row[3],
        published_on=date.fromisoformat(row[4]),
        link=row[5],
        published_by=row[6],
        recorded_at=row[7],
        checklist=tuple(json.loads(row[8] or "[]")),
        taken_down_on=optional_date(row[9]),
        taken_down_by=row[10],
        taken_down_note=row[11],
        unrecognisable=tuple(sorted(json.loads(row[12] or "[]"))),
        file=_publication_file(row[13]),
        hidden=_sorted_hidden(json.loads(row[14] or "[]")),
    )


def get_publication(db: Database, publication_id: int) -> Publication:
    row = db.execute(_publication_select(db) + " WHERE pb.id = ?", [publication_id]).fetchone()
    if row is None:
        raise InputError(f"Onbekende publicatie {publication_id}")
    return _publication(row)


def publications_of_item(db: Database, item_id: int) -> list[Publication]:
    """Where this item went, oldest first."""
    rows = db.execute(
        _publication_select(db) + " WHERE pb.item_id = ? ORDER BY pb.published_on, pb.id", [item_id]
    ).fetchall()
    return [_publication(row) for row in rows]


def publications_of_pupil(db: Database, pupil_number: str) -> list[tuple[Item, Publication]]:
    """Every publication of an item this pupil is in (for the pupil's file, GDPR art. 15)."""
    pupil = get_pupil(db, pupil_number)
    items = {item.id: item for item in items_of_pupil(db, pupil.number)}
    rows = db.execute(
        _publication_select(db) + " JOIN publication_item_pupils ip ON ip.item_id = pb.item_id"
        " WHERE ip.pupil_id = ? ORDER BY pb.published_on, pb.id",
        [pupil.id],
    ).fetchall()
    return [(items[row[1]], _publication(row)) for row in rows]


def _checklist_problem(checklist: Sequence[int]) -> str | None:
    required = [entry.agreement for entry in rules.publish_checklist()]
    missing = [n for n in required if n not in set(checklist)]
    if missing:
        listed = ", ".join(str(n) for n in missing)
        return f"Loop eerst de afspraken na: afspraak {listed} is nog niet aangevinkt."
    return None


def publish(
    db: Database,
    item_id: int,
    purpose: str,
    published_on: date,
    link: str,
    *,
    unrecognisable: Mapping[str, str] | None = None,
    checklist: Sequence[int] = (),
    published_by: str | None = None,
    outgoing: OutgoingFile | None = None,
) -> Publication:
    """Record that an item went out on a channel, after the publication check for its pupils.

    Refused (`PublishBlocked`) while a pupil in it may not appear on that channel on that date,
    unless the pupil is made unrecognisable, which is logged per pupil:

    - by a box of `outgoing` linked to that pupil (`OutgoingFile.owners`, the officer's click):
      recorded "vervaagd in Merlet Desk" with exactly that pupil's boxes;
    - in a video made unrecognisable here (every face in every frame), when listed in
      `unrecognisable` as "vervaagd in Merlet Desk";
    - by the officer's statement in `unrecognisable` (number -> how: from behind, cropped),
      recorded as that statement. "Vervaagd in Merlet Desk" is never taken from a statement:
      a photo's pupil without a box of their own is refused.

    `outgoing` is the file Merlet Desk made for this publication (faces made unrecognisable,
    or a copy without metadata): its name, size and SHA-256 are read from disk and recorded as
    the publication's file, beside the original's facts on the item.
    """
    # One write transaction (BEGIN IMMEDIATE) from the first read to the last write: a
    # withdrawal recorded meanwhile by the CLI or a second window is either already in what
    # the check reads, or waits until this publication is recorded (and then shows up in the
    # takedown list). A blocked pupil is never published.
    with db.atomic():
        item = get_item(db, item_id)
        target = get_purpose(db, purpose)
        if target.retired:
            raise InputError(f"'{target.label}' wordt niet meer gebruikt; kies een ander doel.")
        link = (link or "").strip()
        problems = []
        if not link:
            problems.append("Vul de link of een omschrijving in (waar staat het?).")
        if published_on > clock.today():
            problems.append(f"De publicatiedatum {published_on:%d-%m-%Y} ligt in de toekomst.")
        checklist_problem = _checklist_problem(checklist)
        if checklist_problem:
            problems.append(checklist_problem)
        raise_problems(problems)
        hidden = {clean_text(k): (v or "").strip() for k, v in (unrecognisable or {}).items()}
        pupils = {p.number: p for p in item_pupils(db, item_id)}
        strangers = [number for number in hidden if number not in pupils]
        if strangers:
            raise InputError(f"Leerling {strangers[0]} staat niet op '{item.title}'.")
        blurred_here = [number for number, how in hidden.items() if _is_merlet(how)]
        if blurred_here and (outgoing is None or outgoing.kind != UNRECOGNISABLE_FILE):
            raise InputError(
                f"Leerling {blurred_here[0]} staat als '{MERLET_METHOD}' genoteerd, maar er is "
                "geen onherkenbaar gemaakte foto bij deze publicatie."
            )
        boxes = _boxes_of_pupils(item, outgoing, pupils) if outgoing is not None else {}
        bases = _bases(item, outgoing, hidden, boxes)
        for number in boxes:
            hidden[number] = MERLET_METHOD
        result = check_item(db, item_id, target.code, published_on)
        blocked = [
            (pupil, status) for pupil, status in result.blocked if pupil.number not in hidden
        ]
        if blocked:
            raise PublishBlocked(
                f"'{item.title}' kan niet op {target.label}: {len(blocked)} "
                f"{'leerling mag' if len(blocked) == 1 else 'leerlingen mogen'} er niet op. Maak "
                "hen onherkenbaar of kies een ander beeld.",
                blocked,
            )
        missing_how = [number for number, how in hidden.items() if not how]
        if missing_how:
            raise InputError(f"Schrijf op hoe leerling {missing_how[0]} onherkenbaar is gemaakt.")
        facts = _outgoing_facts(item, outgoing) if outgoing is not None else None
        at, who = now_iso(), published_by or current_user()
        statuses = {pupil.number: status for pupil, status in result.blocked}
        cursor = db.execute(
            "INSERT INTO publications (item_id, purpose_id, published_on, link, published_by,"
            " recorded_at, checklist) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                item_id,
                target.id,
                published_on.isoformat(),
                link,
                who,
                at,
                json.dumps(sorted(set(checklist))),
            ],
        )
        publication_id = inserted_id(cursor)
        record_change(
            db,
            "publish",
            PUBLICATION_KIND,
            publication_id,
            None,
            {
                "item": item_id,
                "title": item.title,
                "channel": target.code,
                "published_on": published_on.isoformat(),
                "link": link,
                "pupils": sorted(pupils),
                "checklist": sorted(set(checklist)),
            },
        )
        if outgoing is not None and facts is not None:
            _insert_file(db, publication_id, item, outgoing, facts, who, at)
        for number, how in hidden.items():
            own = [list(box) for box in boxes.get(number, ())]
            basis = bases[number]
            _insert_unrecognisable(
                db, publication_id, pupils[number], how, who, at, json.dumps(own), basis
            )
            status = statuses.get(number)
            change: dict[str, Any] = {
                "pupil": number,
                "how": how,
                "basis": basis,
                "channel": target.code,
                "status": status.state if status else "allowed",
            }
            if how == MERLET_METHOD:
                change["regions"] = own
            record_change(db, "unrecognisable", PUBLICATION_KIND, publication_id, None, change)
    return get_publication(db, publication_id)


def _is_merlet(how: str) -> bool:
    """Whether `how` claims the face was hidden here ("vervaagd in Merlet Desk")."""
    return how.strip().casefold() == MERLET_METHOD.casefold()


def _boxes_of_pupils(
    item: Item, outgoing: OutgoingFile, pupils: Mapping[str, Pupil]
) -> dict[str, tuple[Box, ...]]:
    """Each pupil's own boxes in the file: the regions the officer linked to them."""
    if not outgoing.owners:
        return {}
    if len(outgoing.owners) != len(outgoing.regions):
        vakken = "1 vak" if len(outgoing.regions) == 1 else f"{len(outgoing.regions)} vakken"
        links = len(outgoing.owners)
        raise InputError(
            f"Het bestand heeft {vakken} en {links} koppeling{'' if links == 1 else 'en'} aan "
            "een leerling: bij elk vak hoort één leerling, of niemand."
        )
    boxes: dict[str, list[Box]] = defaultdict(list)
    for box, owner in zip(outgoing.regions, outgoing.owners, strict=True):
        owner = clean_text(owner)
        if not owner:
            continue  # a face of nobody named
        if owner not in pupils:
            raise InputError(f"Leerling {owner} staat niet op '{item.title}'.")
        boxes[owner].append(_boxes([box])[0])  # a list from JSON compares as a tuple
    return {number: tuple(own) for number, own in boxes.items()}


def _bases(
    item: Item,
    outgoing: OutgoingFile | None,
    hidden: Mapping[str, str],
    boxes: Mapping[str, tuple[Box, ...]],
) -> dict[str, str]:
    """On what ground each pupil counts as unrecognisable (`domain.publications.HIDDEN_*`):
    their own boxes, every face of a video made here, or the officer's statement. A pupil said
    to be "vervaagd in Merlet Desk" in a photo with no box of their own is refused."""
    every_face = (
        outgoing is not None
        and outgoing.kind == UNRECOGNISABLE_FILE
        and item.media_kind == rules.VIDEO
        and not outgoing.regions
    )
    bases = {number: HIDDEN_BOXES for number in boxes}
    for number, how in hidden.items():
        if number in boxes:
            if how and not _is_merlet(how):
                raise InputError(
                    f"Leerling {number} heeft een vak in de foto dat Merlet Desk onherkenbaar "
                    f"maakt; '{how}' kan daar niet ook bij."
                )
        elif _is_merlet(how):
            if not every_face:
                raise InputError(
                    f"Leerling {number} staat als '{MERLET_METHOD}' genoteerd, maar geen vak "
                    "in de foto is aan die leerling gekoppeld. Wijs het gezicht van de "
                    "leerling aan en maak de foto opnieuw onherkenbaar."
                )
            bases[number] = HIDDEN_EVERY_FACE
        else:
            bases[number] = HIDDEN_STATED
    return bases


def _outgoing_facts(item: Item, outgoing: OutgoingFile) -> FileFacts:
    """Check the file made for a publication and read its name, size and SHA-256."""
    if outgoing.kind not in FILE_KINDS:
        raise InputError(f"Onbekende soort bestand '{outgoing.kind}'.")
    video = item.media_kind == rules.VIDEO
    if video and outgoing.kind != UNRECOGNISABLE_FILE:
        raise InputError("Een kopie zonder metadata kan alleen van een foto.")
    # A video is made unrecognisable face by face in every frame: no fixed regions.
    if outgoing.kind == UNRECOGNISABLE_FILE and not outgoing.regions and not video:
        raise InputError("Kies minstens één gezicht of vak om onherkenbaar te maken.")
    if any(len(box) != 4 or box[2] <= 0 or box[3] <= 0 for box in outgoing.regions):
        raise InputError("Een vak heeft geen breedte of hoogte.")
    facts = file_facts(Path(outgoing.path))
    original = Path(item.file_path) if item.file_path else None
    if facts.sha256 == item.file_hash or (
        original is not None and original.resolve() == Path(outgoing.path).resolve()
    ):
        raise InputError(
            f"{facts.name} is het origineel; vastgelegd wordt alleen een nieuw bestand."
        )
    return facts


def _insert_file(
    db: Database,
    publication_id: int,
    item: Item,
    outgoing: OutgoingFile,
    facts: FileFacts,
    who: str,
    at: str,
) -> None:
    regions = [list(box) for box in outgoing.regions]
    db.execute(
        "INSERT INTO publication_files (publication_id, kind, file_name, file_size, file_hash,"
        " file_path, source_hash, style, regions, recorded_by, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            publication_id,
            outgoing.kind,
            facts.name,
            facts.size,
            facts.sha256,
            str(outgoing.path),
            item.file_hash,
            outgoing.style,
            json.dumps(regions),
            who,
            at,
        ],
    )
    record_change(
        db,
        "file",
        PUBLICATION_KIND,
        publication_id,
        None,
        {
            "kind": outgoing.kind,
            "file_name": facts.name,
            "file_size": facts.size,
            "file_hash": facts.sha256,
            "file_path": str(outgoing.path),
            "source_hash": item.file_hash,
            "style": outgoing.style,
            "regions": regions,
            **({"owners": [owner or None for owner in outgoing.owners]} if outgoing.owners else {}),
        },
    )


def _insert_unrecognisable(
    db: Database,
    publication_id: int,
    pupil: Pupil,
    how: str,
    who: str,
    at: str,
    regions: str = "[]",
    basis: str = HIDDEN_STATED,
) -> None:
    db.execute(
        "INSERT INTO publication_unrecognisable"
        " (publication_id, pupil_id, how, recorded_by, recorded_at, regions, basis)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (publication_id, pupil_id) DO UPDATE SET"
        " how = excluded.how, recorded_by = excluded.recorded_by,"
        " recorded_at = excluded.recorded_at, regions = excluded.regions, basis = excluded.basis",
        [publication_id, pupil.id, how, who, at, regions, basis],
    )


def take_down(db: Database, publication_id: int, on: date, note: str = "") -> Publication:
    """Record that a publication was taken down (removed from the site, the screens, …)."""
    old = get_publication(db, publication_id)
    if not old.active:
        raise InputError(
            f"Deze publicatie is al op {old.taken_down_on:%d-%m-%Y} als verwijderd gemarkeerd."
        )
    if on < old.published_on:
        raise InputError(
            f"De datum van verwijderen ({on:%d-%m-%Y}) ligt voor de publicatiedatum "
            f"({old.published_on:%d-%m-%Y})."
        )
    if on > clock.today():
        raise InputError(f"De datum van verwijderen {on:%d-%m-%Y} ligt in de toekomst.")
    note = (note or "").strip()
    with db.atomic():
        db.execute(
            "UPDATE publications SET taken_down_on = ?, taken_down_by = ?, taken_down_note = ?"
            " WHERE id = ?",
            [on.isoformat(), current_user(), note, publication_id],
        )
        record_change(
            db,
            "take_down",
            PUBLICATION_KIND,
            publication_id,
            {"taken_down_on": None},
            {"taken_down_on": on.isoformat(), "note": note},
        )
    return get_publication(db, publication_id)


def mark_unrecognisable(db: Database, publication_id: int, pupil_number: str, how: str) -> None:
    """Record that a pupil was made unrecognisable in a publication after it went out: the
    officer's statement of how (Merlet Desk did not hide anything for it)."""
    publication = get_publication(db, publication_id)
    pupil = get_pupil(db, pupil_number)
    if pupil.id not in {p.id for p in item_pupils(db, publication.item_id)}:
        raise InputError(f"{pupil.name} staat niet op dit item.")
    how = (how or "").strip()
    if not how:
        raise InputError("Schrijf op hoe de leerling onherkenbaar is gemaakt.")
    if _is_merlet(how):
        raise InputError(
            f"'{MERLET_METHOD}' is alleen voor wat Merlet Desk zelf heeft vervaagd; schrijf op "
            "hoe de leerling onherkenbaar is gemaakt."
        )
    with db.atomic():
        _insert_unrecognisable(db, publication_id, pupil, how, current_user(), now_iso())
        record_change(
            db,
            "unrecognisable",
            PUBLICATION_KIND,
            publication_id,
            None,
            {
                "pupil": pupil.number,
                "how": how,
                "basis": HIDDEN_STATED,
                "channel": publication.purpose_code,
            },
        )


def replace_file(
    db: Database,
    publication_id: int,
    outgoing: OutgoingFile,
    *,
    every_face: Sequence[str] = (),
) -> Publication:
    """After a publication went out, a new file in which pupils are made unrecognisable (in
    Merlet Desk, from the original): from now on the publication refers to it. The earlier
    file stays in the history (`publication_files` is append-only; the newest row is out).

    Each pupil linked to a box of `outgoing` (`OutgoingFile.owners`) counts as unrecognisable
    through those boxes, as in `publish`; for a video (every face in every frame) the pupils
    `every_face`. A pupil hidden by boxes in the file that is out now must have a box in the
    new one too, or the new file would show them again."""
    with db.atomic():
        publication = get_publication(db, publication_id)
        if not publication.active:
            raise InputError(
                f"Deze publicatie is al op {publication.taken_down_on:%d-%m-%Y} als verwijderd "
                "gemarkeerd; er gaat geen nieuw bestand meer uit."
            )
        if outgoing.kind != UNRECOGNISABLE_FILE:
            raise InputError("Alleen een onherkenbaar gemaakt bestand vervangt het bestand.")
        item = get_item(db, publication.item_id)
        pupils = {p.number: p for p in item_pupils(db, item.id)}
        facts = _outgoing_facts(item, outgoing)
        boxes = _boxes_of_pupils(item, outgoing, pupils)
        whole = item.media_kind == rules.VIDEO and not outgoing.regions
        hidden = {number: HIDDEN_BOXES for number in boxes}
        for number in every_face:
            if not whole:
                raise InputError(
                    f"Leerling {number} heeft geen vak in de foto: wijs het gezicht aan."
                )
            if number not in pupils:
                raise InputError(f"Leerling {number} staat niet op '{item.title}'.")
            hidden.setdefault(number, HIDDEN_EVERY_FACE)
        if not hidden:
            raise InputError(
                "Geen vak is aan een leerling gekoppeld: kies bij „Gezicht van” de leerling "
                "en klik op het gezicht."
            )
        shown_again = [
            h.name
            for h in publication.hidden
            if h.basis == HIDDEN_BOXES and h.number not in hidden and not whole
        ]
        if shown_again:
            raise InputError(
                f"{', '.join(shown_again)} was onherkenbaar in het bestand dat nu online staat; "
                "wijs ook dat gezicht aan, anders is het in het nieuwe bestand weer te zien."
            )
        at, who = now_iso(), current_user()
        _insert_file(db, publication_id, item, outgoing, facts, who, at)
        for number, basis in hidden.items():
            own = [list(box) for box in boxes.get(number, ())]
            _insert_unrecognisable(
                db, publication_id, pupils[number], MERLET_METHOD, who, at, json.dumps(own), basis
            )
            record_change(
                db,
                "unrecognisable",
                PUBLICATION_KIND,
                publication_id,
                None,
                {
                    "pupil": number,
                    "how": MERLET_METHOD,
                    "basis": basis,
                    "channel": publication.purpose_code,
                    **({"regions": own} if own else {}),
                },
            )
    return get_publication(db, publication_id)


def keep_publication(
    db: Database, publication_id: int, pupil_number: str, reason: str, since: date, note: str
) -> None:
    """Leave a publication up despite this takedown, with the reason why."""
    get_publication(db, publication_id)
    pupil = get_pupil(db, pupil_number)
    note = (note or "").strip()
    if not note:
        raise InputError("Geef aan waarom de publicatie blijft staan.")
    if reason not in rules.TAKEDOWN_REASON_LABELS:
        raise InputError(f"Onbekende reden '{reason}'.")
    with db.atomic():
        db.execute(
            "INSERT INTO publication_kept (publication_id, pupil_id, reason, since,"
            " note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (publication_id, pupil_id, reason, since) DO UPDATE SET"
            " note = excluded.note, decided_by = excluded.decided_by,"
            " decided_at = excluded.decided_at",
            [publication_id, pupil.id, reason, since.isoformat(), note, current_user(), now_iso()],
        )
        record_change(
            db,
            "keep",
            PUBLICATION_KIND,
            publication_id,
            None,
            {"pupil": pupil.number, "reason": reason, "since": since.isoformat(), "note": note},
        )


# --------------------------------------------------------------------------- takedowns
