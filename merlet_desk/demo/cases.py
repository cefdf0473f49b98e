"""Demo data for the case log: fictional, non-identifying incidents over several years.

About 450 cases for the default 600 pupils and about 5,000 for 2,000 pupils (the size grows
with the square of the school, so a large demo database tests the list at scale). Written
through `store.demo_data` in the caller's transaction; references run per year of the report
date, and the counters are set so the next saved case continues after the demo ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from merlet_desk import clock
from merlet_desk.domain.cases import DEFAULT_CATEGORIES, DEFAULT_PLATFORMS, format_reference
from merlet_desk.letterhead import location_names
from merlet_desk.store import demo_data
from merlet_desk.store.pupils import all_pupils
from merlet_desk.store.sqlite_utils_import import Database

LATEST_DAY = date(2026, 11, 20)
YEARS = 4
MAX_CASES = 20_000

AGREEMENTS = {
    "belittling_video": [3, 9, 13],
    "threatening_message": [3, 13],
    "sexual_intimidation": [3, 13, 14],
    "images_without_consent": [9],
    "confidential_information": [8],
    "improper_contact": [10, 11],
    "reputation_harm": [6, 12],
    "other": [13],
}

PLATFORMS = {
    "belittling_video": ["youtube", "tiktok", "instagram", "snapchat"],
    "threatening_message": ["whatsapp", "snapchat", "instagram"],
    "sexual_intimidation": ["snapchat", "instagram", "whatsapp"],
    "images_without_consent": ["instagram", "facebook", "tiktok"],
    "confidential_information": ["facebook", "linkedin", "x", "whatsapp"],
    "improper_contact": ["instagram", "whatsapp", "snapchat", "facebook"],
    "reputation_harm": ["x", "facebook", "tiktok", "linkedin"],
    "other": [code for code, _label in DEFAULT_PLATFORMS],
}

SUMMARIES = {
    "belittling_video": [
        "Video waarin een docent belachelijk wordt gemaakt",
        "Filmpje van een leerling in de gymzaal rondgestuurd",
        "Bewerkte video van een les gedeeld",
    ],
    "threatening_message": [
        "Dreigend bericht aan een leerling in de klassenapp",
        "Anoniem dreigbericht aan een medewerker",
        "Bedreiging na een ruzie op het schoolplein",
    ],
    "sexual_intimidation": [
        "Ongewenste berichten met seksuele toespelingen",
        "Beschuldiging van digitale intimidatie door een leerling",
        "Doorgestuurde afbeelding zonder toestemming",
    ],
    "images_without_consent": [
        "Foto van een excursie zonder toestemming geplaatst",
        "Klassenfoto op een privéaccount gedeeld",
        "Video van de schoolmusical online gezet",
    ],
    "confidential_information": [
        "Cijferlijst in een groepsapp gedeeld",
        "Vertrouwelijke notulen op sociale media",
        "Schermafbeelding van het leerlingvolgsysteem gedeeld",
    ],
    "improper_contact": [
        "Medewerker volgt leerlingen met privéaccount",
        "Privéberichten tussen medewerker en leerling",
        "Medewerker in discussie met een ouder op Facebook",
    ],
    "reputation_harm": [
        "Negatieve berichten over de school na open dag",
        "Nepaccount met het logo van de school",
        "Ouder plaatst beschuldigingen over de schoolleiding",
    ],
    "other": [
        "Gehackt account van een sectie",
        "Phishingbericht uit naam van de administratie",
        "Spam in de reacties onder een schoolbericht",
    ],
}

DESCRIPTIONS = [
    "Gemeld door de mentor. Het bericht is via een schermafbeelding vastgelegd & bewaard.",
    "Een leerling uit de bovenbouw meldde dit bij de teamleider; meerdere klasgenoten zagen het.",
    "De melding kwam via een ouder binnen. Reacties onder het bericht: <10, maar het werd vaak "
    "gedeeld.",
    "Het account is inmiddels op privé gezet. Er is contact geweest met de betrokkenen & hun "
    "mentoren.",
    "Volgens de melder begon het na een conflict in de les. Tekst van het bericht: "
    '"jij bent de volgende <3".',
    "De sectie heeft het gesignaleerd tijdens een controle van de schoolkanalen.",
]

MEASURES = [
    "Gesprek met betrokkene(n) en mentor",
    "Bericht laten verwijderen",
    "Ouders uitgenodigd voor een gesprek",
    "Schorsing van één dag",
    "Melding bij het platform gedaan",
    "Waarschuwing & afspraak over gedrag vastgelegd",
    "Les over digitaal burgerschap in de klas",
    "Gesprek met de leidinggevende (medewerker)",
]

PEOPLE = {
    "pupil": ["leerling 2 havo", "leerling 4 vwo", "leerling onderbouw", "leerling 3 vmbo-t"],
    "staff": ["docent", "mentor", "onderwijsassistent", "medewerker administratie"],
    "parent": ["ouder van een leerling", "verzorger"],
    "external": ["onbekende afzender", "oud-leerling", "anoniem account"],
}

TIMELINE_TEXTS = {
    "conversation": ["Gesprek met de melder.", "Gesprek met de betrokken leerling & mentor."],
    "parents_informed": ["Ouders telefonisch geïnformeerd.", "Ouders per e-mail geïnformeerd."],
    "police_informed": ["Wijkagent op de hoogte gebracht.", "Aangifte besproken met de politie."],
    "sanction": ["Sanctie opgelegd volgens het leerlingenstatuut.", "Schriftelijke waarschuwing."],
    "post_removed": ["Bericht is verwijderd.", "Platform heeft de video offline gehaald."],
    "other": ["Teamleider geïnformeerd.", "Nazorg afgesproken met de vertrouwenspersoon."],
}


ACTIVE_DAYS = 60  # a demo incident older than this is closed


def case_count(pupils: int) -> int:
    """About 450 cases for 600 pupils, about 5,000 for 2,000."""
    return max(20, min(MAX_CASES, round(pupils * pupils / 800)))


def _pupil_numbers(db: Database) -> list[str]:
    return sorted(pupil.number for pupil in all_pupils(db))[:5000]


def fill(db: Database, rng: random.Random, pupils: int) -> None:
    """Fill the case tables with fictional cases, people, agreements and timelines."""
    count = case_count(pupils)
    latest = min(LATEST_DAY, clock.today())
    first = date(latest.year - YEARS + 1, 1, 1)
    span = (latest - first).days
    locations = location_names()
    categories = [code for code, _label in DEFAULT_CATEGORIES]
    numbers = _pupil_numbers(db)
    start_id = demo_data.next_case_id(db)

    drafts = []
    for _ in range(count):
        incident = first + timedelta(days=rng.randrange(span + 1))
        report = min(latest, incident + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 5])))
        drafts.append((report, incident))
    drafts.sort()

    sequences = demo_data.case_reference_counters(db)
    cases: list[tuple[object, ...]] = []
    people: list[tuple[object, ...]] = []
    agreements: list[tuple[object, ...]] = []
    timeline: list[tuple[object, ...]] = []
    stamp = f"{latest.isoformat()}T12:00:00"
    for offset, (report, incident) in enumerate(drafts):
        case_id = start_id + offset
        sequences[report.year] = sequences.get(report.year, 0) + 1
        reference = format_reference(report.year, sequences[report.year])
        category = rng.choice(categories)
        platform = rng.choice(PLATFORMS[category])
        age = (latest - incident).days
        # A school that keeps up: what happened more than two months ago is done, last
        # month's incidents are mostly in hand, and only the last weeks' are still open
        # (hundreds of open incidents from years back made Start look alarming).
        if age > ACTIVE_DAYS:
            status = "closed"
        elif age > 30:
            status = rng.choices(["closed", "in_progress"], [80, 20])[0]
        elif age > 14:
            status = rng.choices(["closed", "in_progress", "open"], [50, 40, 10])[0]
        else:
            status = rng.choices(["closed", "in_progress", "open"], [20, 40, 40])[0]
        end = min(latest, incident + timedelta(days=rng.randint(2, 40)))
        closed_on = end if status == "closed" else None
        measures = (
            "\n".join(rng.sample(MEASURES, rng.randint(1, 3)))
            if status == "closed" or rng.random() < 0.5
            else ""
        )
        parents = rng.random() < 0.55
        police = category in ("threatening_message", "sexual_intimidation") and rng.random() < 0.4
        parents_on = min(end, report + timedelta(days=rng.randint(0, 3))) if parents else None
        police_on = min(end, report + timedelta(days=rng.randint(0, 5))) if police else None
        cases.append(
            (
                case_id,
                reference,
                incident.isoformat(),
                report.isoformat(),
                rng.choice(locations),
                category,
                platform,
                rng.choice(SUMMARIES[category]),
                rng.choice(DESCRIPTIONS),
                measures,
                int(parents),
                parents_on.isoformat() if parents_on else None,
                int(police),
                police_on.isoformat() if police_on else None,
                "Persvraag doorverwezen naar de woordvoerder." if rng.random() < 0.05 else "",
                "Gesprek met de vertrouwenspersoon aangeboden." if rng.random() < 0.6 else "",
                status,
                closed_on.isoformat() if closed_on else None,
                stamp,
                "demo",
                stamp,
                "demo",
            )
        )
        for position in range(1, rng.randint(1, 3) + 1):
            role = rng.choices(["pupil", "staff", "parent", "external"], [50, 25, 15, 10])[0]
            number = (
                rng.choice(numbers) if role == "pupil" and numbers and rng.random() < 0.5 else None
            )
            people.append((case_id, position, role, rng.choice(PEOPLE[role]), number))
        chosen = set(AGREEMENTS[category])
        if rng.random() < 0.3:
            chosen.add(rng.choice([4, 6, 12, 13, 14]))
        agreements.extend((case_id, number) for number in sorted(chosen))
        kinds = ["conversation"]
        if parents:
            kinds.append("parents_informed")
        if police:
            kinds.append("police_informed")
        kinds += rng.sample(["sanction", "post_removed", "other"], rng.randint(0, 2))
        first_step = max(report, incident)
        days = sorted(
            rng.randint(0, max(0, (end - first_step).days)) for _kind in kinds
        )  # steps in the order they happen: a conversation first, a sanction later
        for kind, day in zip(kinds, days, strict=True):
            when = min(first_step + timedelta(days=day), end)
            timeline.append((case_id, when.isoformat(), kind, rng.choice(TIMELINE_TEXTS[kind])))
        if closed_on:
            timeline.append((case_id, closed_on.isoformat(), "case_closed", "Incident afgerond."))

    with db.atomic():  # a savepoint inside fill_demo's transaction; one commit when alone
        demo_data.insert_cases(db, cases, people, agreements, timeline, stamp, sequences)
