"""A deterministic 2,000-row pupil export, as a school administration system writes it."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "klas",
    "locatie",
]
FIRST = [
    "Joëlle",
    "Berkay",
    "Zofia",
    "Meryem",
    "Şükrü",
    "Daan",
    "Sanne",
    "Noah",
    "Lotte",
    "Yasmina",
    "Omar",
    "Liam",
    "Fenna",
    "Rania",
    "Kacper",
    "Elif",
    "Hamza",
    "Julia",
    "Maud",
    "Thijs",
    "Nour",
    "Aylin",
    "Bram",
    "Wiktoria",
    "Sem",
    "Ilse",
    "Ahmad",
    "Lina",
]
LAST = [
    ("van den", "Broek"),
    ("", "Öztürk"),
    ("", "Łęcka"),
    ("", "Boujdaini"),
    ("", "Yılmaz"),
    ("de", "Vries"),
    ("", "Jansen"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "El Amrani"),
    ("", "Kowalski"),
    ("", "Al-Hassan"),
    ("van der", "Heijden"),
    ("", "Hendriks"),
    ("", "Demir"),
    ("", "Nowak"),
    ("", "Verhoeven"),
    ("de", "Groot"),
    ("", "Aydın"),
    ("", "Haddad"),
    ("van", "Hout"),
    ("", "Willems"),
    ("", "Kaya"),
    ("", "Zieliński"),
]
LOCATIONS = ["Cuijk", "Grave", "Mill"]


def pupil_rows(count: int = 2000, first_number: int = 900_000) -> list[list[str]]:
    """Rows without header: number, first name, prefix, last name, birth date, class, location."""
    rng = random.Random(f"bench-pupils-{count}")
    rows = []
    for index in range(count):
        year = rng.randint(1, 6)
        born = date(2026 - 11 - year, 1, 1) + timedelta(days=rng.randrange(365))
        prefix, last = rng.choice(LAST)
        location = LOCATIONS[index % 3]
        klas = f"{year}{'HVA'[rng.randrange(3)]}{rng.randint(1, 3)}"
        rows.append(
            [
                str(first_number + index),
                rng.choice(FIRST),
                prefix,
                last,
                born.strftime("%d-%m-%Y"),
                klas,
                location,
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path
