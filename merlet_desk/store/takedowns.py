"""The takedown list (Te verwijderen): active publications that show a pupil who may no longer
appear on that channel, derived from the publications, the pupils in them and each pupil's
status, minus what the officer resolved (taken down, made unrecognisable, kept with a
reason). Never stored; the last list is kept per open database and brought up to date
after that connection's own decisions. No Qt here.
"""

from __future__ import annotations

import json
from bisect import insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from merlet_desk import clock
from merlet_desk.domain import publications as rules
from merlet_desk.domain.consent import NO_RECORD, Status
from merlet_desk.domain.publications import HiddenFaces
from merlet_desk.domain.text import fold
from merlet_desk.store import changes
from merlet_desk.store.engine import dialect
from merlet_desk.store.publications import hidden_faces_later, hidden_faces_of
from merlet_desk.store.pupils import (
    PUPIL_COLUMNS_P,
    Pupil,
    pupil_from_row,
)
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.statuses import pair_statuses_later


@dataclass(frozen=True, slots=True)
class Takedown:
    """A publication that must come down (or be kept with a reason) because of one pupil."""

    publication_id: int
    item_id: int
    item_title: str
    purpose_code: str
    purpose_label: str
    link: str
    published_on: date
    pupil: Pupil
    reason: str
    since: date
    file_name: str = ""  # the file that is out: the one Merlet Desk made, else the original
    faces: HiddenFaces = HiddenFaces()  # which box of that file hid whom

    @property
    def reason_label(self) -> str:
        return rules.TAKEDOWN_REASON_LABELS[self.reason]

    def as_json(self) -> dict[str, Any]:
        """For `merlet-desk takedowns --json`: the pupil by number only (output lands in logs)."""
        return {
            "publication": self.publication_id,
            "item_id": self.item_id,
            "item": self.item_title,
            "channel": self.purpose_code,
            "channel_label": self.purpose_label,
            "link": self.link,
            "file": self.file_name,
            "published_on": self.published_on.isoformat(),
            "pupil": self.pupil.number,
            "reason": self.reason,
            "since": self.since.isoformat(),
            **self.faces.as_json(),
        }


@dataclass(frozen=True)
class PublicationTakedowns:
    """One publication that must come down, with the pupils who cause it (one takedown
    each). The officer acts on the publication; making one pupil unrecognisable or keeping
    it up for one pupil works per takedown."""

    takedowns: tuple[Takedown, ...]

    @property
    def first(self) -> Takedown:
        return self.takedowns[0]

    @property
    def publication_id(self) -> int:
        return self.first.publication_id

    @property
    def item_id(self) -> int:
        return self.first.item_id

    @property
    def item_title(self) -> str:
        return self.first.item_title

    @property
    def purpose_label(self) -> str:
        return self.first.purpose_label

    @property
    def link(self) -> str:
        return self.first.link

    @property
    def file_name(self) -> str:
        """The file that is out: the one Merlet Desk made, else the original."""
        return self.first.file_name

    @property
    def published_on(self) -> date:
        return self.first.published_on

    @property
    def since(self) -> date:
        """Since when it should have come down: the earliest of its pupils."""
        return min(t.since for t in self.takedowns)

    @property
    def pupils(self) -> tuple[Pupil, ...]:
        return tuple(t.pupil for t in self.takedowns)

    @property
    def faces(self) -> HiddenFaces:
        """Which box of the file that is out hid whom (the pupils already unrecognisable)."""
        return self.first.faces


# Who is shown in a publication that is online on :on (not taken down by then), except the
# pupils made unrecognisable in it: the rows the takedown list is made of.
_ACTIVE_LINKS = (
    " FROM publications pb JOIN publication_item_pupils ip ON ip.item_id = pb.item_id"
    " WHERE (pb.taken_down_on IS NULL OR pb.taken_down_on > ?) AND pb.published_on <= ?"
    " AND NOT EXISTS (SELECT 1 FROM publication_unrecognisable u"
    "  WHERE u.publication_id = pb.id AND u.pupil_id = ip.pupil_id)"
)

# Up to this many pupils (a decision, a form with a few), the takedowns of those pupils are
# read with plans the server keeps (`dialect.planned_once`).
FEW_PUPILS = 20

# Where a database stood when a list was computed: the day asked about, `PRAGMA data_version`
# (moves when another connection commits) and the connection's own `total_changes`.
Stamp = tuple[date, int, int]


@dataclass
class TakedownCache:
    """The last takedown list computed for one open database, with where the database stood
    when it was. Each connection holds its own (`takedown_cache`): a new connection starts with
    nothing kept, and a closed and dropped one takes its list along."""

    stamp: Stamp | None = None
    takedowns: list[Takedown] = field(default_factory=list)

    def keep(self, stamp: Stamp, takedowns: list[Takedown]) -> None:
        """Keep `takedowns` (sorted, as computed) as the list of the database at `stamp`."""
        self.stamp, self.takedowns = stamp, takedowns

    def clear(self) -> None:
        """Forget the list: the next `open_takedowns` computes it in full."""
        self.stamp, self.takedowns = None, []

    def up_to_date(self, db: Database, on: date) -> list[Takedown] | None:
        """The list kept for `db` on `on`, with the pupils of this connection's own reported
        decisions computed again; None when it must be computed in full (nothing kept, another
        day, another connection's commit, a write the store cannot vouch for)."""
        if self.stamp is None:
            return None
        kept_on, kept_version, kept_total = self.stamp
        total = db.conn.total_changes
        if kept_on != on:
            return None
        pupils = changes.pupils_changed_between(db, kept_total, total)
        if pupils is None:
            return None
        if not pupils:
            return self.takedowns if dialect.data_version(db) == kept_version else None
        computed = _compute_open_takedowns(db, on, pupils)
        # Another connection's commit is looked for after the pupils' reads, not before: one
        # that came before them moved the number by now (on a server, their answer brought
        # its notice, so the look needs no round trip of its own), and the whole list is
        # computed again; one after them is found next time, the list kept being from before.
        version = dialect.data_version(db, after_reads=True)
        if version != kept_version:
            return None
        takedowns = [t for t in self.takedowns if t.pupil.id not in pupils]
        for takedown in computed:
            # Into its place: sorting the whole list again cost 15 ms at 20,000 pupils, for
            # the one pupil a decision changed.
            insort(takedowns, takedown, key=_takedown_order)
        self.keep((on, version, total), takedowns)
        return self.takedowns


_CACHE_ATTRIBUTE = "merlet_desk_takedowns"


def takedown_cache(db: Database) -> TakedownCache:
    """The takedown list kept for this open database. The connection object holds it, so it
    is keyed by the connection and lives as long as it does; no module keeps lists."""
    cache = vars(db).get(_CACHE_ATTRIBUTE)
    if not isinstance(cache, TakedownCache):
        cache = TakedownCache()
        setattr(db, _CACHE_ATTRIBUTE, cache)
    return cache


def _change_stamp(db: Database) -> tuple[int, int]:
    """Changes to the file since the last look: `PRAGMA data_version` moves when another
    connection commits, `total_changes` when this one writes."""
    return dialect.data_version(db), db.conn.total_changes


def open_takedowns(db: Database, on: date | None = None) -> list[Takedown]:
    """Active publications showing a pupil who is not allowed on that channel on `on`.

    For a past `on`, a publication taken down after that day still counts as open on it. A
    decision to keep a publication holds for its takedown whatever the day.

    The window recounts this on every navigation; the list is derived from the whole register
    (0.6 s with 20,000 pupils and a million decisions), so it is kept per open database
    (`TakedownCache`). After this connection's own consent decisions (reported through
    `store.changes`) only those pupils' takedowns are computed again; after any other write, a
    commit by another connection, or for another day, the whole list is.
    """
    on = on or clock.today()
    cache = takedown_cache(db)
    kept = cache.up_to_date(db, on)
    if kept is not None:
        return list(kept)
    stamp = takedown_stamp(db, on)  # before reading: a commit meanwhile is seen next time
    takedowns = _compute_open_takedowns(db, on)
    cache.keep(stamp, takedowns)
    return list(takedowns)


def _takedown_order(t: Takedown) -> tuple[Any, ...]:
    # Pupils by folded last name only (titles and names repeat, and `fold` is cached); the
    # full name sort key cost a fifth of the time.
    # The publication last: a total order, so a pupil's takedowns computed again land where a
    # whole new computation puts them.
    return (
        t.since,
        fold(t.item_title),
        t.purpose_code,
        fold(t.pupil.last_name),
        t.pupil.number,
        t.publication_id,
    )


def takedowns_after(
    db: Database, on: date, statuses: Mapping[tuple[int, int], Status]
) -> list[Takedown]:
    """The takedowns that would open on `on` if the cells (pupil id, purpose id) of
    `statuses` had those statuses, and are not open now: what a consent import would put in
    Te verwijderen, found before it writes anything (its dry run). The same computation as
    the list itself, for those pupils only."""
    if not statuses:
        return []
    pupil_ids = {pupil_id for pupil_id, _ in statuses}
    open_now = {(t.publication_id, t.pupil.id) for t in _compute_open_takedowns(db, on, pupil_ids)}
    return [
        takedown
        for takedown in _compute_open_takedowns(db, on, pupil_ids, statuses)
        if (takedown.publication_id, takedown.pupil.id) not in open_now
    ]


def _compute_open_takedowns(
    db: Database,
    on: date,
    pupil_ids: Iterable[int] | None = None,
    statuses_instead: Mapping[tuple[int, int], Status] | None = None,
) -> list[Takedown]:
    """The open takedowns on `on`, sorted; of the pupils `pupil_ids` only, when given; with
    the cells of `statuses_instead` read as having those statuses."""
    links = _ACTIVE_LINKS
    params: list[Any] = [on.isoformat()] * 2
    ids = sorted(pupil_ids) if pupil_ids is not None else None
    if ids is not None:
        links += f" AND ip.pupil_id IN {dialect.json_values(db)}"
        params.append(json.dumps(ids))
    kept_sql = "SELECT publication_id, pupil_id, reason, since FROM publication_kept"
    kept_params: list[Any] = []
    if ids is not None:
        kept_sql += f" WHERE pupil_id IN {dialect.json_values(db)}"
        kept_params.append(params[-1])
    # The publications, the statuses of their pupils and the kept ones are asked at once: one
    # round trip on a server, where this list (after each decision) was seven. For the few
    # pupils of a decision the server plans these reads once per connection: planning them
    # again took ten times as long as running them. A plan for any few pupils does not fit a
    # whole import's pupils, nor the whole list, which are planned for what they ask.
    few = ids is not None and len(ids) <= FEW_PUPILS
    with dialect.planned_once(db) if few else dialect.together(db):
        rows_cursor = db.execute(
            "SELECT pb.id, pb.item_id, i.title, pu.code, pu.label, pb.link, pb.published_on,"
            f" {PUPIL_COLUMNS_P}, pb.purpose_id,"
            # The file that went out: the cleaned copy when Merlet Desk made one.
            " coalesce((SELECT f.file_name FROM publication_files f"
            "  WHERE f.publication_id = pb.id ORDER BY f.id DESC LIMIT 1), i.file_name)"
            + links.replace(
                " WHERE",
                " JOIN purposes pu ON pu.id = pb.purpose_id"
                " JOIN publication_items i ON i.id = pb.item_id"
                " JOIN pupils p ON p.id = ip.pupil_id WHERE",
                1,
            ),
            params,
        )
        statuses_later = pair_statuses_later(
            db, "SELECT DISTINCT ip.pupil_id, pb.purpose_id" + links, params, on
        )
        kept_cursor = db.execute(kept_sql, kept_params)
        # For a few pupils (after a decision), the hidden faces of all their publications
        # come along; for the whole list, only those of the open ones are asked, after it.
        faces_later = (
            hidden_faces_later(db, f"(SELECT pb.id{links})", params) if ids is not None else None
        )
    rows = rows_cursor.fetchall()
    kept = {(row[0], row[1], row[2], row[3]) for row in kept_cursor.fetchall()}
    if not rows:
        return []
    pupils: dict[int, Pupil] = {}
    for row in rows:
        if row[7] not in pupils:
            pupils[row[7]] = pupil_from_row(row[7:16])
    statuses = statuses_later(pupils)
    if statuses_instead:
        statuses.update(statuses_instead)
    no_record = Status(NO_RECORD, None, None)
    open_rows = []
    for row in rows:
        status = statuses.get((row[7], row[16]), no_record)
        if status.allowed:
            continue
        pupil = pupils[row[7]]
        published_on = date.fromisoformat(row[6])
        since = rules.blocked_since(status, pupil.birth_date, published_on)
        reason = status.state
        if (row[0], pupil.id, reason, since.isoformat()) in kept:
            continue
        open_rows.append((row, pupil, published_on, reason, since))
    # Which box hid whom, read once for the publications that are open (few of them).
    if faces_later is not None:
        faces = faces_later()
    elif open_rows:
        faces = hidden_faces_of(db, {row[0] for row, *_rest in open_rows})
    else:
        faces = {}
    nothing_hidden = HiddenFaces()
    takedowns = [
        Takedown(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            published_on,
            pupil,
            reason,
            since,
            file_name=row[17] or "",
            faces=faces.get(row[0], nothing_hidden),
        )
        for row, pupil, published_on, reason, since in open_rows
    ]
    takedowns.sort(key=_takedown_order)
    return takedowns


def open_takedowns_of_pupil(
    db: Database, pupil_number: str, on: date | None = None
) -> list[Takedown]:
    """The open takedowns caused by one pupil (shown right after recording a withdrawal)."""
    return [t for t in open_takedowns(db, on) if t.pupil.number == pupil_number]


def group_by_publication(takedowns: Iterable[Takedown]) -> list[PublicationTakedowns]:
    """The takedowns per publication, in the order the publications first occur (the store's
    order: the longest waiting first); each keeps its pupils in the order given."""
    groups: dict[int, list[Takedown]] = {}
    for takedown in takedowns:
        groups.setdefault(takedown.publication_id, []).append(takedown)
    return [PublicationTakedowns(tuple(group)) for group in groups.values()]


def open_takedown_count(db: Database, on: date | None = None) -> int:
    """How many publications must come down (or be kept with a reason), for the navigation:
    the officer takes down publications, not publication × pupil pairs."""
    return publication_count(open_takedowns(db, on))


def publication_count(takedowns: Iterable[Takedown]) -> int:
    """How many publications these takedowns are of."""
    return len({t.publication_id for t in takedowns})


def takedown_stamp(db: Database, on: date) -> Stamp:
    """Where `db` stands now, for `adopt_open_takedowns`: the day, and its changes so far."""
    return (on, *_change_stamp(db))


def adopt_open_takedowns(db: Database, stamp: Stamp, takedowns: Sequence[Takedown]) -> bool:
    """Keep a list that `open_takedowns` on another connection (a worker thread's) computed
    for the file of `db` as `db`'s own, if `db` is still where `stamp` says it was when the
    work began: nothing committed by anyone since. Then `open_takedowns(db, on)` needs no
    computation (the window counts the badge on a worker and the takedown list shows on the
    GUI thread).
    False when something changed: the list is then computed when asked for."""
    on, version, total = stamp
    if _change_stamp(db) != (version, total):
        return False
    takedown_cache(db).keep((on, version, total), list(takedowns))  # sorted, as computed
    return True


def kept_open_takedowns(db: Database, on: date) -> list[Takedown] | None:
    """The list kept for `db`, brought up to date after its own consent decisions (cheap);
    None when it would have to be computed in full (nothing kept, another day, another
    program's write)."""
    kept = takedown_cache(db).up_to_date(db, on)
    return None if kept is None else list(kept)
