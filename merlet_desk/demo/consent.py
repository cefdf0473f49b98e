"""Demo data for the consent register: fictional pupils and several school years of decisions.

Pupils are spread over Cuijk, Grave and Mill, with class names that are unique across the
school (Cuijk 1A–2D and havo/vwo 3H–6V; Grave 1E–2G and mavo 3T/4T, 3K/4K; Mill 1M–2N and
3B/4B, 3G/4G), aged 11 to 19, with names as diverse as the school's. Decisions cover every
state: grants, refusals, withdrawals, decisions from past school years (expired), parents'
grants for pupils who have since turned 16, and pupils with nothing recorded.

Deterministic: the same generator state and the same school year give the same data. Dates are
anchored on the start of the current school year, so the demo always looks current; every
random draw is independent of today's date, so the stream the later demo modules share does not
shift with the calendar. Rows go in through `store.demo_data`, with one audit entry for the
whole fill.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from merlet_desk import clock
from merlet_desk.demo import weighted
from merlet_desk.domain import consent as rules
from merlet_desk.domain.people import full_name
from merlet_desk.store import demo_data
from merlet_desk.store.audit import record_change
from merlet_desk.store.consent_settings import SETTING_CHECKED
from merlet_desk.store.purposes import list_purposes
from merlet_desk.store.settings import set_setting
from merlet_desk.store.sqlite_utils_import import Database

# (first names girls, first names boys, surnames as (prefix, last), adult first names)
DUTCH = (
    [
        "Joëlle",
        "Sanne",
        "Lotte",
        "Fleur",
        "Eva",
        "Noor",
        "Anouk",
        "Isa",
        "Femke",
        "Tess",
        "Mila",
        "Roos",
        "Lieke",
        "Floor",
        "Maud",
        "Zoë",
        "Julia",
        "Esmée",
        "Lynn",
        "Britt",
    ],
    [
        "Daan",
        "Sem",
        "Bram",
        "Thijs",
        "Jesse",
        "Luuk",
        "Ruben",
        "Stijn",
        "Teun",
        "Niels",
        "Jens",
        "Sven",
        "Gijs",
        "Koen",
        "Tijn",
        "Mees",
        "Finn",
        "Joep",
        "Lars",
        "Wout",
    ],
    [
        ("van den", "Broek"),
        ("de", "Vries"),
        ("van der", "Heijden"),
        ("", "Jansen"),
        ("van den", "Bosch"),
        ("", "Hendriks"),
        ("", "Verhoeven"),
        ("de", "Boer"),
        ("", "Peters"),
        ("van", "Dijk"),
        ("", "Willems"),
        ("van der", "Linden"),
        ("", "Smits"),
        ("", "Janssen"),
        ("van", "Kessel"),
        ("", "Gerrits"),
        ("de", "Wit"),
        ("van den", "Berg"),
        ("", "Coenen"),
        ("", "Bouwman"),
        ("ten", "Brink"),
        ("van", "Haren"),
        ("", "Kuijpers"),
        ("'t", "Hart"),
    ],
    [
        "Anna",
        "Marieke",
        "Petra",
        "Ingrid",
        "Monique",
        "Jeroen",
        "Marco",
        "Erik",
        "Sandra",
        "Wim",
        "Hanneke",
        "Bas",
    ],
)
TURKISH = (
    ["Elif", "Zeynep", "Ayşe", "Merve", "Büşra", "Esra", "İrem", "Gülşen", "Şeyma", "Özge"],
    ["Berkay", "Emre", "Yiğit", "Burak", "Şükrü", "Oğuz", "Çağrı", "Furkan", "İbrahim", "Ömer"],
    [
        ("", "Öztürk"),
        ("", "Yılmaz"),
        ("", "Kaya"),
        ("", "Demir"),
        ("", "Şahin"),
        ("", "Çelik"),
        ("", "Doğan"),
        ("", "Aydın"),
        ("", "Güneş"),
        ("", "Koç"),
    ],
    ["Ahmet", "Fatma", "Mehmet", "Hatice", "Hüseyin", "Gül", "Mustafa", "Ümran"],
)
MOROCCAN = (
    ["Meryem", "Salma", "Imane", "Nora", "Yasmina", "Khadija", "Hajar", "Soukaina", "Ikram"],
    ["Mohamed", "Ayoub", "Bilal", "Hamza", "Anass", "Yassine", "Soufiane", "Ilias", "Zakaria"],
    [
        ("", "Boujdaini"),
        ("el", "Amrani"),
        ("", "Benali"),
        ("", "Ouali"),
        ("el", "Idrissi"),
        ("", "Bouzid"),
        ("", "Tahiri"),
        ("", "Azzouzi"),
        ("", "Chaouch"),
    ],
    ["Rachid", "Fatima", "Abdelkader", "Naima", "Mustapha", "Latifa"],
)
POLISH = (
    ["Zofia", "Zuzanna", "Małgorzata", "Agnieszka", "Wiktoria", "Łucja", "Natalia", "Maja"],
    ["Jakub", "Mikołaj", "Paweł", "Łukasz", "Wojciech", "Bartłomiej", "Michał", "Kacper"],
    [
        ("", "Łęcka"),
        ("", "Kowalski"),
        ("", "Wiśniewska"),
        ("", "Wójcik"),
        ("", "Zieliński"),
        ("", "Kamińska"),
        ("", "Sęk"),
        ("", "Żak"),
        ("", "Grzegorzewski"),
        ("", "Mądry"),
    ],
    ["Katarzyna", "Tomasz", "Ewa", "Krzysztof", "Joanna", "Grzegorz"],
)
SYRIAN = (
    ["Lina", "Rama", "Hala", "Nour", "Rasha", "Dima", "Aya", "Sham"],
    ["Omar", "Khaled", "Yazan", "Ahmad", "Tarek", "Rami", "Hadi", "Majd"],
    [
        ("al", "Hussein"),
        ("", "Haddad"),
        ("", "Khoury"),
        ("al", "Masri"),
        ("", "Darwish"),
        ("", "Sabbagh"),
        ("", "Kassab"),
        ("al", "Halabi"),
    ],
    ["Samer", "Rania", "Bassam", "Manal", "Walid", "Ghada"],
)
ORIGINS = ((DUTCH, 64), (TURKISH, 10), (MOROCCAN, 9), (POLISH, 9), (SYRIAN, 8))

# location -> (weight, classes per school year)
LOCATIONS = {
    "Cuijk": (
        50,
        {1: "ABCD", 2: "ABCD", 3: ("3H", "3V"), 4: ("4H", "4V"), 5: ("5H", "5V"), 6: ("6V",)},
    ),
    "Grave": (28, {1: "EFG", 2: "EFG", 3: ("3T", "3K"), 4: ("4T", "4K")}),
    "Mill": (22, {1: "MN", 2: "MN", 3: ("3B", "3G"), 4: ("4B", "4G")}),
}

# How likely a returned form says yes, per purpose (press and social media are asked more warily).
YES_RATE = {
    "brochure": 0.9,
    "website": 0.86,
    "social_media": 0.7,
    "newsletter": 0.92,
    "screens": 0.9,
    "yearbook": 0.95,
    "press": 0.6,
}
METHODS = (("paper", 60), ("portal", 25), ("email", 12), ("other", 3))
RECORDERS = ("m.janssen", "s.demir", "l.vandenberg")
FIRST_NUMBER = 230001


def _today() -> date:
    return clock.today()


def _birth_date(rng: random.Random, year_start: date, age_at_start: int) -> date:
    """A birth date so that the pupil is `age_at_start` on the first day of the school year."""
    born_by = year_start.replace(year=year_start.year - age_at_start)
    return born_by - timedelta(days=int(rng.random() * 364))


def _make_pupils(rng: random.Random, count: int, year_start: date) -> list[dict]:
    location_pairs = tuple((name, weight) for name, (weight, _) in LOCATIONS.items())
    pupils = []
    used: set[tuple[str, str, str]] = set()
    for index in range(count):
        location = weighted(rng, location_pairs)
        classes = LOCATIONS[location][1]
        all_classes = [
            (year, f"{year}{option}" if isinstance(options, str) else option)
            for year, options in sorted(classes.items())
            for option in options
        ]
        school_year, class_name = rng.choice(all_classes)
        # Ages 11-19: year 1 starts at 11 or 12; a few have repeated a year.
        age = 11 + (school_year - 1) + weighted(rng, ((0, 55), (1, 38), (2, 7)))
        girls, boys, surnames, adults = weighted(rng, ORIGINS)
        for _attempt in range(5):
            first = rng.choice(girls if rng.random() < 0.5 else boys)
            prefix, last = rng.choice(surnames)
            if (first, prefix, last) not in used:
                break
        used.add((first, prefix, last))
        pupils.append(
            {
                "number": str(FIRST_NUMBER + index),
                "first_name": first,
                "prefix": prefix,
                "last_name": last,
                "birth_date": _birth_date(rng, year_start, age),
                "class_name": class_name,
                "location": location,
                "years_at_school": school_year,
                "parent": full_name(rng.choice(adults), prefix, last),
                "guardian": rng.random() < 0.06,
            }
        )
    return pupils


def _recorded_at(rng: random.Random, received: date, now: datetime) -> str:
    moment = datetime.combine(received, datetime.min.time()) + timedelta(
        days=int(rng.random() * 4), hours=8 + int(rng.random() * 9), minutes=int(rng.random() * 60)
    )
    return min(moment, now).isoformat(timespec="seconds")


def _decisions_for_pupil(
    rng: random.Random, pupil: dict, purposes: list[tuple[int, str]], year_start: date, today: date
) -> list[tuple]:
    """(purpose_id, decision, given_by, giver_name, received_on, method, recorded_by, at)."""
    # clamp recording times to the start of today, so the data does not change within a day
    now = datetime.combine(today, datetime.min.time())
    rows: list[tuple[object, ...]] = []
    profile = rng.random()
    if profile < 0.05:  # nothing ever returned
        return rows
    attitude = 0.35 if profile < 0.12 else 1.0  # a few families refuse most things
    birth = pupil["birth_date"]
    own_name = full_name(pupil["first_name"], pupil["prefix"], pupil["last_name"])
    for years_back in (2, 1, 0):
        returned = rng.random()
        if pupil["years_at_school"] - years_back < 1:
            continue
        start = year_start.replace(year=year_start.year - years_back)
        if years_back == 0:
            span = max(1, min(60, (today - start).days + 1))
            if returned > 0.78:  # not (yet) returned this year: last year's decisions expire
                continue
        else:
            span = 60
            if returned > 0.85:
                continue
        received = start + timedelta(days=int(rng.random() * span))
        if received > today:
            continue
        given_by = rules.default_giver(birth, received, guardian=pupil["guardian"])
        giver = own_name if given_by == rules.PUPIL else pupil["parent"]
        method = weighted(rng, METHODS)
        recorder = rng.choice(RECORDERS)
        at = _recorded_at(rng, received, now)
        for purpose_id, code in purposes:
            draw = rng.random()
            if draw < 0.03:  # left blank on the form
                continue
            kind = rules.GRANTED if draw < YES_RATE.get(code, 0.8) * attitude else rules.REFUSED
            rows.append((purpose_id, kind, given_by, giver, received, method, recorder, at))
            if kind == rules.GRANTED and years_back == 0 and rng.random() < 0.04:
                # withdrawn later this year, by whoever may speak for the pupil then; every
                # draw is made before the date filter so the random stream never depends on it
                later = received + timedelta(days=1 + int(rng.random() * 120))
                by_pupil = rng.random() < 0.3 or rules.decides_own_consent(birth, later)
                recorder_later = rng.choice(RECORDERS)
                at_later = _recorded_at(rng, later, now)
                if later <= today:
                    who = (rules.PUPIL, own_name) if by_pupil else (given_by, pupil["parent"])
                    rows.append(
                        (
                            purpose_id,
                            rules.WITHDRAWN,
                            *who,
                            later,
                            "email",
                            recorder_later,
                            at_later,
                        )
                    )
    return rows


def fill(db: Database, rng: random.Random, pupils: int) -> None:
    """Fill pupils and decisions with fictional data (a new, empty register)."""
    today = _today()
    year_start = rules.school_year(today)[0]
    people = _make_pupils(rng, pupils, year_start)
    ids = demo_data.insert_pupils(
        db,
        [
            (
                p["number"],
                p["first_name"],
                p["prefix"],
                p["last_name"],
                p["birth_date"].isoformat(),
                p["class_name"],
                p["location"],
            )
            for p in people
        ],
    )
    purposes = [(purpose.id, purpose.code) for purpose in list_purposes(db)]
    rows = []
    for pupil in people:
        pupil_id = ids[pupil["number"]]
        for (
            purpose_id,
            kind,
            given_by,
            giver,
            received,
            method,
            recorder,
            at,
        ) in _decisions_for_pupil(rng, pupil, purposes, year_start, today):
            rows.append(
                (
                    pupil_id,
                    purpose_id,
                    kind,
                    given_by,
                    giver,
                    received.isoformat(),
                    method,
                    recorder,
                    at,
                )
            )
    demo_data.insert_decisions(db, rows)
    record_change(db, "create", "demo", "consent", None, {"pupils": pupils, "decisions": len(rows)})
    # A school that has used the register for years has looked at its settings: the start
    # screen's first steps ("Zo begint u") are done.
    set_setting(db, SETTING_CHECKED, True)
