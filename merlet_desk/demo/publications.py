"""Demo data for the publication register: photos and videos of school events, where they went,
and a takedown list with something on it.

About one item per two pupils (at least 150), taken over the last two school years at the
school's three locations, each showing 1 to 25 pupils (mostly of one class), with a small
generated thumbnail (a PNG written here with zlib and struct). Items are published on one to
three channels through `store.publications.publish`, so every publication passed the
publication check on its date: a pupil without consent is left out of the picture or, now and
then, made unrecognisable. Afterwards a few parents withdraw consent for a published pupil, and
most of what the new school year's expiries put on the takedown list is resolved (taken down,
or kept with a reason), so that the list shows a handful to a few dozen open publications.

Runs inside the demo's transaction and draws only from the shared generator; deterministic for
a given size and day.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections import defaultdict
from datetime import date, timedelta

from merlet_desk.demo import weighted
from merlet_desk.domain import consent as rules
from merlet_desk.domain import publications as pub_rules
from merlet_desk.domain.people import full_name
from merlet_desk.domain.text import slug
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import demo_data
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as status_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.sqlite_utils_import import Database

MIN_ITEMS = 150
THUMBNAIL_VARIANTS = 20
RECORDERS = ("m.janssen", "s.demir", "l.vandenberg")
CHECKLIST = tuple(entry.agreement for entry in pub_rules.publish_checklist())
PRINTED = ("yearbook", "brochure", "press", "newsletter")

# (title, "class" | "location" | "year", photo share, weight)
EVENTS: tuple[tuple[str, str, float, int], ...] = (
    ("Sportdag {year}", "year", 0.8, 8),
    ("Klassenfoto {klas}", "class", 1.0, 6),
    ("Open dag {location}", "location", 0.7, 5),
    ("Musical <Grease> & repetitie", "location", 0.6, 2),
    ("Schoolreis {klas} naar de Efteling", "class", 0.85, 4),
    ("Excursie Rijksmuseum {klas}", "class", 0.9, 3),
    ("Kerstgala {location}", "location", 0.75, 3),
    ("Projectweek techniek {year}", "year", 0.8, 4),
    ("Werkweek Ardennen {klas}", "class", 0.8, 3),
    ("Kennismakingsmiddag {year}", "year", 0.6, 2),
    ("Debatwedstrijd {location}", "location", 0.7, 2),
    ("Voorleeswedstrijd {klas}", "class", 0.8, 2),
    ("Buitenles biologie {klas}", "class", 0.9, 3),
    ("Koningsspelen {location}", "location", 0.8, 2),
    ("Science fair {year}", "year", 0.85, 2),
    ("Gastles politie {klas}", "class", 0.9, 2),
    ("Kunstexpositie {location}", "location", 0.9, 2),
    ("Schaaktoernooi {location}", "location", 0.9, 1),
    ("Toneelavond {year}", "year", 0.6, 2),
    ("Carnaval op het plein {location}", "location", 0.7, 2),
    ("Lentemarkt {location}", "location", 0.85, 1),
    ("Gymles turnen {klas}", "class", 0.8, 2),
    ("Studiereis Berlijn {year}", "year", 0.8, 1),
    ("Eerste schooldag {klas}", "class", 0.9, 2),
)
# The month(s) of events that have one, by the first word of the title.
SEASONS = {
    "Kerstgala": (12,),
    "Carnaval": (2,),
    "Koningsspelen": (4,),
    "Open": (1, 2, 3),
    "Eerste": (9,),
    "Kennismakingsmiddag": (9, 10),
    "Lentemarkt": (3, 4, 5),
    "Sportdag": (9, 10, 4, 5, 6),
    "Werkweek": (9, 10, 5, 6),
}
YEAR_NAMES = {
    "H": "havo",
    "V": "vwo",
    "T": "mavo",
    "K": "kader",
    "B": "basis",
    "G": "gemengd",
}
CHANNELS = (
    ("website", 34),
    ("social_media", 30),
    ("newsletter", 14),
    ("screens", 10),
    ("yearbook", 6),
    ("brochure", 4),
    ("press", 2),
)
HOW = ("gezicht vervaagd", "uitgesneden", "van achteren in beeld", "onscherp gemaakt")
KEEP_NOTES = {
    "yearbook": "Gedrukt jaarboek kan niet worden teruggehaald",
    "brochure": "Gedrukte schoolgids is al uitgedeeld; wordt niet herdrukt",
    "press": "Stuk in de krant; de school kan het niet verwijderen",
    "newsletter": "Nieuwsbrief is al verstuurd en kan niet worden teruggehaald",
}
TAKE_DOWN_NOTES = {
    "website": "Foto van de website gehaald",
    "social_media": "Bericht verwijderd van Instagram",
    "screens": "Van de beeldschermen gehaald",
}
PARENTS = ("Anna", "Petra", "Marco", "Erik", "Sandra", "Fatma", "Rachid", "Ewa", "Samer")
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def _today() -> date:
    """The consent demo's day, so both fillers agree on "today" (tests fix it there)."""
    from merlet_desk.demo import consent as demo_consent

    return demo_consent._today()


# --------------------------------------------------------------------------- thumbnails


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """A truecolour PNG from raw RGB rows (each `width * 3` bytes); pure Python."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def thumbnail(rng: random.Random, people: int, width: int = 160, height: int = 120) -> bytes:
    """A little scene: a sky gradient, a ground, and one coloured figure per pupil (up to 12)."""
    sky = (rng.randint(90, 150), rng.randint(150, 200), rng.randint(200, 250))
    ground = rng.choice(((96, 150, 72), (170, 140, 100), (120, 120, 130), (200, 180, 140)))
    horizon = rng.randint(height // 2, height * 2 // 3)
    figures = []
    shown = max(1, min(people, 12))
    slot = width // (shown + 1)
    for index in range(shown):
        colour = (rng.randint(40, 230), rng.randint(40, 230), rng.randint(40, 230))
        x = slot * (index + 1) - 5 + rng.randint(-3, 3)
        top = horizon - rng.randint(22, 34)
        figures.append((max(0, x), min(width, x + 10), top, colour))
    top_of_figures = min(top for _, _, top, _ in figures)
    ground_row = bytes(ground) * width
    rows = []
    for y in range(height):
        if y < horizon:
            shade = y * 60 // max(1, horizon)
            plain = bytes(max(0, c - shade) for c in sky) * width
        else:
            plain = ground_row
        if not top_of_figures <= y < horizon + 6:
            rows.append(plain)
            continue
        row = bytearray(plain)
        for left, right, top, colour in figures:
            if top <= y:
                head = y < top + 7
                paint = (236, 200, 170) if head else colour
                lo, hi = (left + 2, right - 2) if head else (left, right)
                row[lo * 3 : hi * 3] = bytes(paint) * (hi - lo)
        rows.append(bytes(row))
    return png(width, height, rows)


def _thumbnail(cache: dict[tuple[int, int], bytes], variant: int, people: int) -> bytes:
    """One of a few hundred scenes (variant × number of figures), each drawn once."""
    key = (variant, min(people, 12))
    if key not in cache:
        cache[key] = thumbnail(random.Random(f"thumbnail-{key}"), key[1])
    return cache[key]


# --------------------------------------------------------------------------- pieces


def _year_label(class_name: str) -> str:
    """ "3H" -> "3 havo", "1A" -> "klas 1"."""
    year = class_name[:1]
    stream = YEAR_NAMES.get(class_name[1:2].upper()) if len(class_name) == 2 else None
    if year.isdigit() and int(year) >= 3 and stream:
        return f"{year} {stream}"
    return f"klas {year}"


def _link(rng: random.Random, code: str, title: str, on: date, location: str) -> str:
    school_year = f"{on.year - 1}-{on.year}" if on.month < 8 else f"{on.year}-{on.year + 1}"
    path = slug(title)
    if code == "website":
        if rng.random() < 0.15:
            return f"https://www.merletcollege.nl/nieuws?id={rng.randint(1000, 9999)}&foto=1"
        return f"https://www.merletcollege.nl/nieuws/{on:%Y/%m}/{path}"
    if code == "social_media":
        post = "".join(
            rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789_-")
            for _ in range(11)
        )
        return f"https://www.instagram.com/p/{post}/"
    if code == "newsletter":
        return f"Nieuwsbrief {MONTHS[on.month - 1]} {on.year}, pagina {rng.randint(1, 6)}"
    if code == "screens":
        return f"Beeldschermen aula {location}, week {on.isocalendar()[1]}"
    if code == "yearbook":
        return f"Jaarboek {school_year}, pagina {rng.randint(4, 120)}"
    if code == "brochure":
        return f"Schoolgids {school_year}, pagina {rng.randint(2, 40)}"
    return f"De Gelderlander, {on:%d-%m-%Y}"


def _published_on(rng: random.Random, code: str, taken_on: date, today: date) -> date | None:
    if code == "yearbook":  # the yearbook of the school year, printed in June
        year = taken_on.year if taken_on.month < 8 else taken_on.year + 1
        day = date(year, 6, 15)
        return day if taken_on <= day <= today else None
    if code == "brochure":  # next school guide, in September
        day = date(taken_on.year if taken_on.month < 8 else taken_on.year + 1, 9, 1)
        return day if day <= today else None
    day = taken_on + timedelta(days=int(rng.random() * 15))
    return min(day, today)


def _pupils_by_class(db: Database) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The numbers of the pupils at school per class, and the classes per location, each in
    the order the pupils were added."""
    by_class: dict[str, list[str]] = defaultdict(list)
    classes_at: dict[str, list[str]] = defaultdict(list)
    at_school = [pupil for pupil in pupil_store.all_pupils(db) if pupil.left_on is None]
    for pupil in sorted(at_school, key=lambda pupil: pupil.id):
        if pupil.class_name not in by_class:
            classes_at[pupil.location].append(pupil.class_name)
        by_class[pupil.class_name].append(pupil.number)
    return by_class, classes_at


def _choose_pupils(
    rng: random.Random, scope: str, klas: str, by_class: dict, classes_at: dict, location: str
) -> list[str]:
    own = list(by_class[klas])
    if scope == "class":
        count = min(len(own), 25)
    else:
        count = min(len(own), int(rng.triangular(1, 25, 6)))
    chosen = rng.sample(own, count)
    if scope != "class" and count < 20 and rng.random() < 0.3:  # a few from another class
        others = [c for c in classes_at[location] if c != klas]
        if others:
            other = list(by_class[rng.choice(others)])
            chosen += rng.sample(other, min(len(other), rng.randint(1, 4)))
    return chosen


def _taken_on(rng: random.Random, title: str, first: date, today: date) -> date:
    draw = rng.random()
    day = first + timedelta(days=int(draw * ((today - first).days + 1)))
    months = SEASONS.get(title.split()[0])
    if months:  # a Christmas gala in December: pick one of its months in the period
        starts = [
            date(year, month, 1)
            for year in range(first.year, today.year + 1)
            for month in months
            if first <= date(year, month, 1) <= today
        ]
        if starts:
            start = starts[int(draw * len(starts))]
            day = min(today, start + timedelta(days=int(draw * 997) % 20))
    if (day.month == 7 and day.day > 10) or day.month == 8:  # summer holiday: move out
        before = date(day.year, 7, 10) - timedelta(days=day.toordinal() % 40)
        after = date(day.year, 9, 1) + timedelta(days=day.toordinal() % 20)
        day = before if before >= first else min(after, today)
    if day.weekday() >= 5:  # school events on weekdays
        day -= timedelta(days=day.weekday() - 4)
    return max(day, first)


# --------------------------------------------------------------------------- fill


class _Consents:
    """Every decision in memory, to predict the publication check cheaply: the demo asks it a
    few thousand times. The store's `publish` still checks every publication itself."""

    def __init__(self, db: Database) -> None:
        self.settings = settings_store.consent_settings(db)
        self.births = {pupil.number: pupil.birth_date for pupil in pupil_store.all_pupils(db)}
        self.cells: dict[tuple[str, str], list[rules.Decision]] = defaultdict(list)
        for decision in demo_data.all_decisions(db):
            self.cells[(decision.pupil_number, decision.purpose)].append(decision)

    def blocked(self, code: str, numbers: list[str], on: date) -> list[str]:
        """Who of `numbers` may not appear on `code` on `on`."""
        return [
            number
            for number in numbers
            if not rules.status_on(
                self.births[number], self.cells.get((number, code), ()), on, self.settings
            ).allowed
        ]


def _publish(
    db: Database,
    rng: random.Random,
    consents: _Consents,
    item: item_store.Item,
    numbers: list[str],
    code: str,
    on: date,
    location: str,
    hidden: dict[str, str],
) -> store.Publication | None:
    """Publish through the store after checking first (a refused publish costs twice): a pupil
    blocked there is sometimes made unrecognisable, otherwise the channel is skipped. `hidden`
    holds who was already made unrecognisable in this item."""
    link = _link(rng, code, item.title, on, location)
    who = rng.choice(RECORDERS)
    draw = rng.random()
    blocked = consents.blocked(code, numbers, on)
    fresh = [number for number in blocked if number not in hidden]
    if fresh and (len(fresh) > 2 or draw < 0.6):
        return None
    for number in fresh:
        hidden[number] = rng.choice(HOW)
    mask = {number: hidden[number] for number in blocked}
    try:
        return store.publish(
            db, item.id, code, on, link, unrecognisable=mask, checklist=CHECKLIST, published_by=who
        )
    except store.PublishBlocked:  # the prediction missed something: leave this channel out
        return None


def _withdraw(
    db: Database, rng: random.Random, publications: list[store.Publication], today: date, want: int
) -> set[int]:
    """Parents (or pupils of 16 and over) withdraw consent for a pupil in a published item."""
    year_start = rules.school_year(today)[0]
    candidates = [
        p
        for p in publications
        if p.purpose_code in ("website", "social_media")
        and p.active
        and year_start <= p.published_on < today - timedelta(days=2)
    ]
    rng.shuffle(candidates)
    withdrawn: set[int] = set()
    done: set[tuple[str, str]] = set()
    for publication in candidates:
        if len(withdrawn) >= want:
            break
        pupils = [
            p
            for p in item_store.item_pupils(db, publication.item_id)
            if p.number not in publication.unrecognisable
        ]
        if not pupils:
            continue
        pupil = rng.choice(pupils)
        if (pupil.number, publication.purpose_code) in done:
            continue
        status = status_store.status_of(
            db, pupil.number, publication.purpose_code, publication.published_on
        )
        if not status.allowed:
            continue
        # After every publication that shows the pupil on this channel: a withdrawal never
        # makes an earlier publication look as if it went out without consent.
        last = max(
            other.published_on
            for _item, other in store.publications_of_pupil(db, pupil.number)
            if other.purpose_code == publication.purpose_code
        )
        after = max(publication.published_on, last)
        span = (today - after).days - 1
        if span < 1:
            continue
        received = after + timedelta(days=1 + int(rng.random() * span))
        given_by = rules.default_giver(pupil.birth_date, received)
        giver = (
            ""
            if given_by == rules.PUPIL
            else full_name(rng.choice(PARENTS), pupil.prefix, pupil.last_name)
        )
        decision_store.record_decision(
            db,
            pupil.number,
            publication.purpose_code,
            rules.WITHDRAWN,
            given_by,
            giver,
            received,
            "email",
            recorded_by=rng.choice(RECORDERS),
            recorded_at=f"{received.isoformat()}T{8 + int(rng.random() * 9):02d}:{int(rng.random() * 60):02d}:00",
        )
        done.add((pupil.number, publication.purpose_code))
        withdrawn.add(publication.id)
    return withdrawn


def _resolve(
    db: Database, rng: random.Random, today: date, keep_open: set[int], open_target: int
) -> None:
    """Take down or keep (with a reason) most takedowns, leaving about `open_target`
    publications open, the ones in `keep_open` (fresh withdrawals) among them."""
    by_publication: dict[int, list[takedown_store.Takedown]] = defaultdict(list)
    for takedown in takedown_store.open_takedowns(db, today):
        by_publication[takedown.publication_id].append(takedown)
    others = sorted(set(by_publication) - keep_open)
    rng.shuffle(others)
    leave = keep_open | set(others[: max(0, open_target - len(keep_open & set(by_publication)))])
    for publication_id in sorted(by_publication):
        if publication_id in leave:
            continue
        takedowns = by_publication[publication_id]
        code = takedowns[0].purpose_code
        if code in KEEP_NOTES:
            for takedown in takedowns:
                store.keep_publication(
                    db,
                    publication_id,
                    takedown.pupil.number,
                    takedown.reason,
                    takedown.since,
                    KEEP_NOTES[code],
                )
        else:
            since = max(t.since for t in takedowns)
            on = min(today, since + timedelta(days=int(rng.random() * 10)))
            store.take_down(db, publication_id, on, TAKE_DOWN_NOTES.get(code, ""))


def fill(db: Database, rng: random.Random, pupils: int) -> None:
    """Fill items, the pupils in them and their publications (after the consent demo)."""
    today = _today()
    year_start = rules.school_year(today)[0]
    first_day = year_start.replace(year=year_start.year - 1)  # two school years back
    by_class, classes_at = _pupils_by_class(db)
    if not by_class:
        return
    locations = [loc for loc in pupil_store.known_locations() if classes_at.get(loc)]
    channel_pairs = CHANNELS
    consents = _Consents(db)
    thumbnails: dict[tuple[int, int], bytes] = {}
    publications: list[store.Publication] = []
    for index in range(max(MIN_ITEMS, pupils // 2)):
        template, scope, photo_share, _weight = weighted(
            rng, tuple((event, event[3]) for event in EVENTS)
        )
        location = rng.choice(locations)
        klas = rng.choice(classes_at[location])
        title = template.format(klas=klas, location=location, year=_year_label(klas))
        numbers = _choose_pupils(rng, scope, klas, by_class, classes_at, location)
        taken_on = _taken_on(rng, title, first_day, today)
        channels = list(
            dict.fromkeys(weighted(rng, channel_pairs) for _ in range(1 + int(rng.random() * 3)))
        )
        # The photographer leaves out who may not appear on the first channel.
        blocked = set(consents.blocked(channels[0], numbers, taken_on))
        hidden: dict[str, str] = {}
        for number in sorted(blocked):
            if rng.random() < 0.06:
                hidden[number] = rng.choice(HOW)
        numbers = [n for n in numbers if n not in blocked or n in hidden] or numbers[:1]
        is_photo = rng.random() < photo_share
        extension = ".jpg" if is_photo else ".mp4"
        file_name = f"{slug(title)}-{index % 100:02d}{extension}"
        size = (
            rng.randint(1_200_000, 6_500_000) if is_photo else rng.randint(15_000_000, 420_000_000)
        )
        item = item_store.create_item(
            db,
            title,
            pupil_numbers=numbers,
            media_kind=pub_rules.PHOTO if is_photo else pub_rules.VIDEO,
            file=item_store.FileFacts(
                file_name, size, hashlib.sha256(f"{title}#{index}".encode()).hexdigest()
            ),
            file_path=f"\\\\merlet-fs\\beeldbank\\{taken_on.year}\\{file_name}",
            thumbnail=_thumbnail(thumbnails, rng.randrange(THUMBNAIL_VARIANTS), len(numbers)),
            taken_on=taken_on,
            location=location,
            description="",
        )
        for code in channels:
            on = _published_on(rng, code, taken_on, today)
            if on is None:
                continue
            publication = _publish(db, rng, consents, item, numbers, code, on, location, hidden)
            if publication is not None:
                publications.append(publication)
    open_target = max(10, min(30, pupils // 60))
    withdrawn = _withdraw(db, rng, publications, today, max(4, open_target // 3))
    _resolve(db, rng, today, withdrawn, open_target)
