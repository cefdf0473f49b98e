"""The photos and videos in the publication register: the file's facts (name, size, SHA-256;
the original stays where it is), a thumbnail, the pupils in it, and the publication check
for exactly those pupils. Every write is audited with the pupils named by their number.
No Qt here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from merlet_desk import clock
from merlet_desk.domain import publications as rules
from merlet_desk.domain.people import full_name
from merlet_desk.errors import InputError
from merlet_desk.store.audit import current_user, now_iso, record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.pupils import (
    PUPIL_COLUMNS_P,
    Pupil,
    get_pupil,
    pupil_from_row,
    resolve_pupils,
    sorted_pupils,
)
from merlet_desk.store.purposes import get_purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.statuses import CheckResult, publication_check
from merlet_desk.store.values import clean_text, optional_date, raise_problems

ITEM_KIND = "publication_item"
MAX_THUMBNAIL_BYTES = 512 * 1024


@dataclass(frozen=True)
class FileFacts:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    media_kind: str
    file_name: str
    file_size: int | None
    file_hash: str
    file_path: str
    taken_on: date | None
    location: str
    description: str
    created_by: str
    created_at: str
    updated_at: str
    has_thumbnail: bool

    @property
    def media_label(self) -> str:
        return rules.MEDIA_KIND_LABELS[self.media_kind]


@dataclass(frozen=True, slots=True)
class ItemSummary:
    id: int
    title: str
    media_kind: str
    taken_on: date | None
    location: str
    pupil_count: int
    publication_count: int
    active_channels: tuple[str, ...]
    pupil_names: str


def file_facts(path: Path) -> FileFacts:
    """Name, size and SHA-256 of a file, read in blocks (a video can be gigabytes)."""
    from merlet_desk.sqlite_files import refuse_database_input

    path = Path(path)
    if not path.is_file():
        raise InputError(f"Bestand niet gevonden: {path}")
    refuse_database_input(path)  # the register named as a photo: never read, never unlocked
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"Bestand {path} kan niet gelezen worden: {exc.strerror}") from exc
    return FileFacts(path.name, path.stat().st_size, digest.hexdigest())


_ITEM_COLUMNS = (
    "id, title, media_kind, file_name, file_size, file_hash, file_path, taken_on, location,"
    " description, created_by, created_at, updated_at, thumbnail IS NOT NULL"
)


def _item(row: Sequence[Any]) -> Item:
    return Item(
        id=row[0],
        title=row[1],
        media_kind=row[2],
        file_name=row[3],
        file_size=row[4],
        file_hash=row[5],
        file_path=row[6],
        taken_on=optional_date(row[7]),
        location=row[8],
        description=row[9],
        created_by=row[10],
        created_at=row[11],
        updated_at=row[12],
        has_thumbnail=bool(row[13]),
    )


def _audit_item(item: Item, pupils: Sequence[str] | None = None) -> dict[str, Any]:
    """What the audit log keeps of an item: no thumbnail, pupils by number."""
    value: dict[str, Any] = {
        "title": item.title,
        "media_kind": item.media_kind,
        "file_name": item.file_name,
        "file_size": item.file_size,
        "file_hash": item.file_hash,
        "file_path": item.file_path,
        "taken_on": item.taken_on.isoformat() if item.taken_on else None,
        "location": item.location,
        "description": item.description,
    }
    if pupils is not None:
        value["pupils"] = list(pupils)
    return value


def _item_problems(
    title: str, media_kind: str, taken_on: date | None, thumbnail: bytes | None
) -> list[str]:
    problems = []
    if not title:
        problems.append("Geef het item een titel.")
    if media_kind not in rules.MEDIA_KINDS:
        problems.append(f"Onbekende soort '{media_kind}' (foto of video).")
    if taken_on is not None and taken_on > clock.today():
        problems.append(f"De opnamedatum {taken_on:%d-%m-%Y} ligt in de toekomst.")
    if thumbnail is not None and len(thumbnail) > MAX_THUMBNAIL_BYTES:
        problems.append("Het voorbeeldplaatje is te groot (meer dan 512 kB).")
    return problems


def get_item(db: Database, item_id: int) -> Item:
    row = db.execute(
        f"SELECT {_ITEM_COLUMNS} FROM publication_items WHERE id = ?", [item_id]
    ).fetchone()
    if row is None:
        raise InputError(f"Onbekend item {item_id}")
    return _item(row)


def item_thumbnail(db: Database, item_id: int) -> bytes | None:
    row = db.execute("SELECT thumbnail FROM publication_items WHERE id = ?", [item_id]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def item_pupils(db: Database, item_id: int) -> list[Pupil]:
    """The pupils in an item, in register order (class, then name)."""
    rows = db.execute(
        f"SELECT {PUPIL_COLUMNS_P} FROM publication_item_pupils ip JOIN pupils p ON p.id = ip.pupil_id"
        " WHERE ip.item_id = ?",
        [item_id],
    ).fetchall()
    return sorted_pupils(pupil_from_row(row) for row in rows)


def create_item(
    db: Database,
    title: str,
    *,
    pupil_numbers: Sequence[str] = (),
    media_kind: str | None = None,
    file: FileFacts | None = None,
    file_path: str = "",
    thumbnail: bytes | None = None,
    taken_on: date | None = None,
    location: str = "",
    description: str = "",
) -> Item:
    """Add a photo or video to the register, with the pupils in it."""
    title = clean_text(title)
    media_kind = media_kind or rules.media_kind_for(file.name if file else file_path)
    problems = _item_problems(title, media_kind, taken_on, thumbnail)
    raise_problems(problems)
    pupils = resolve_pupils(db, pupil_numbers)
    at, who = now_iso(), current_user()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO publication_items (title, media_kind, file_name, file_size, file_hash,"
            " file_path, thumbnail, taken_on, location, description, created_by, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                title,
                media_kind,
                file.name if file else "",
                file.size if file else None,
                file.sha256 if file else "",
                str(file_path or ""),
                thumbnail,
                taken_on.isoformat() if taken_on else None,
                clean_text(location),
                (description or "").strip(),
                who,
                at,
                at,
            ],
        )
        item_id = inserted_id(cursor)
        db.conn.executemany(
            "INSERT INTO publication_item_pupils (item_id, pupil_id) VALUES (?, ?)",
            [(item_id, pupil.id) for pupil in pupils],
        )
        item = get_item(db, item_id)
        record_change(
            db, "create", ITEM_KIND, item_id, None, _audit_item(item, [p.number for p in pupils])
        )
    return item


def update_item(
    db: Database,
    item_id: int,
    *,
    title: str,
    taken_on: date | None,
    location: str,
    description: str,
    file: FileFacts | None = None,
    file_path: str | None = None,
    thumbnail: bytes | None = None,
    media_kind: str | None = None,
) -> Item:
    """Change an item's details; `file`, `file_path`, `thumbnail` None keep what is there."""
    old = get_item(db, item_id)
    title = clean_text(title)
    if media_kind is None:
        media_kind = rules.media_kind_for(file.name) if file else old.media_kind
    raise_problems(_item_problems(title, media_kind, taken_on, thumbnail))
    assignments: dict[str, object] = {
        "title": title,
        "media_kind": media_kind,
        "taken_on": taken_on.isoformat() if taken_on else None,
        "location": clean_text(location),
        "description": (description or "").strip(),
    }
    if file is not None:
        assignments.update(file_name=file.name, file_size=file.size, file_hash=file.sha256)
    if file_path is not None:
        assignments["file_path"] = str(file_path)
    if thumbnail is not None:
        assignments["thumbnail"] = thumbnail
    with db.atomic():
        sets = ", ".join(f"{column} = ?" for column in assignments)
        db.execute(
            f"UPDATE publication_items SET {sets}, updated_at = ? WHERE id = ?",
            [*assignments.values(), now_iso(), item_id],
        )
        new = get_item(db, item_id)
        before, after = _audit_item(old), _audit_item(new)
        if before != after or thumbnail is not None:
            changed = {k for k in after if before[k] != after[k]}
            record_change(
                db,
                "update",
                ITEM_KIND,
                item_id,
                {k: before[k] for k in changed},
                {**{k: after[k] for k in changed}, **({"thumbnail": "nieuw"} if thumbnail else {})},
            )
    return new


def set_item_pupils(db: Database, item_id: int, pupil_numbers: Sequence[str]) -> None:
    """Make exactly these pupils the ones in the item (a class photo minus the absent)."""
    get_item(db, item_id)
    wanted = resolve_pupils(db, pupil_numbers)
    current = {p.id: p for p in item_pupils(db, item_id)}
    wanted_ids = {p.id for p in wanted}
    added = [p for p in wanted if p.id not in current]
    removed = [p for p in current.values() if p.id not in wanted_ids]
    if not added and not removed:
        return
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO publication_item_pupils (item_id, pupil_id) VALUES (?, ?)",
            [(item_id, p.id) for p in added],
        )
        db.conn.executemany(
            "DELETE FROM publication_item_pupils WHERE item_id = ? AND pupil_id = ?",
            [(item_id, p.id) for p in removed],
        )
        record_change(
            db,
            "pupils",
            ITEM_KIND,
            item_id,
            {"removed": [p.number for p in removed]} if removed else None,
            {"added": [p.number for p in added]} if added else None,
        )


def delete_item(db: Database, item_id: int) -> None:
    """Remove an item that was never published (a published one is part of the record)."""
    item = get_item(db, item_id)
    count = db.execute("SELECT count(*) FROM publications WHERE item_id = ?", [item_id]).fetchone()
    if count[0]:
        raise InputError(
            f"'{item.title}' is gepubliceerd en blijft in het register; markeer de publicaties "
            "als verwijderd in plaats daarvan."
        )
    numbers = [p.number for p in item_pupils(db, item_id)]
    with db.atomic():
        db.execute("DELETE FROM publication_item_pupils WHERE item_id = ?", [item_id])
        db.execute("DELETE FROM publication_items WHERE id = ?", [item_id])
        record_change(db, "delete", ITEM_KIND, item_id, _audit_item(item, numbers), None)


def list_items(db: Database) -> list[ItemSummary]:
    """Every item with counts, newest first (by date taken, then by when it was added)."""
    names: dict[int, list[str]] = defaultdict(list)
    for item_id, first, prefix, last in db.execute(
        "SELECT ip.item_id, p.first_name, p.prefix, p.last_name FROM publication_item_pupils ip"
        " JOIN pupils p ON p.id = ip.pupil_id"
    ):
        names[item_id].append(full_name(first, prefix, last))
    channels: dict[int, list[str]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    for item_id, label, active in db.execute(
        "SELECT pb.item_id, pu.label, pb.taken_down_on IS NULL FROM publications pb"
        " JOIN purposes pu ON pu.id = pb.purpose_id ORDER BY pu.position, pb.published_on"
    ):
        totals[item_id] += 1
        if active and label not in channels[item_id]:
            channels[item_id].append(label)
    rows = db.execute(
        "SELECT id, title, media_kind, taken_on, location FROM publication_items"
        " ORDER BY coalesce(taken_on, '') DESC, id DESC"
    ).fetchall()
    return [
        ItemSummary(
            id=row[0],
            title=row[1],
            media_kind=row[2],
            taken_on=optional_date(row[3]),
            location=row[4],
            pupil_count=len(names[row[0]]),
            publication_count=totals[row[0]],
            active_channels=tuple(channels[row[0]]),
            pupil_names=", ".join(sorted(names[row[0]])),
        )
        for row in rows
    ]


def check_item(db: Database, item_id: int, purpose: str, on: date) -> CheckResult:
    """The publication check for exactly the pupils in this item."""
    numbers = [p.number for p in item_pupils(db, item_id)]
    if not numbers:
        return CheckResult(purpose=get_purpose(db, purpose), on=on)
    return publication_check(db, purpose, numbers, on)


def items_of_pupil(db: Database, pupil_number: str) -> list[Item]:
    """Every item the pupil appears in, newest first (published or not)."""
    pupil = get_pupil(db, pupil_number)
    rows = db.execute(
        f"SELECT {_ITEM_COLUMNS} FROM publication_items WHERE id IN"
        " (SELECT item_id FROM publication_item_pupils WHERE pupil_id = ?)"
        " ORDER BY coalesce(taken_on, '') DESC, id DESC",
        [pupil.id],
    ).fetchall()
    return [_item(row) for row in rows]
