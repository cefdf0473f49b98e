"""The school's letterhead facts, read from `data/letterhead.json` (editable without code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property

from merlet_desk.paths import data_path


@dataclass(frozen=True)
class Location:
    name: str
    street: str
    postcode_city: str
    phone: str


@dataclass(frozen=True)
class Letterhead:
    school: str
    wordmark: str
    postal_address: tuple[str, ...]
    phone: str
    email: str
    iban: str
    bic: str
    locations: tuple[Location, ...]

    @cached_property  # asked for every row of a pupil import
    def location_names(self) -> tuple[str, ...]:
        return tuple(location.name for location in self.locations)


@cache
def load_letterhead() -> Letterhead:
    raw = json.loads(data_path("letterhead.json").read_text(encoding="utf-8"))
    return Letterhead(
        school=raw["school"],
        wordmark=raw["wordmark"],
        postal_address=tuple(raw["postal_address"]),
        phone=raw["phone"],
        email=raw["email"],
        iban=raw["iban"],
        bic=raw["bic"],
        locations=tuple(Location(**loc) for loc in raw["locations"]),
    )


def location_names() -> tuple[str, ...]:
    """Cuijk, Grave, Mill: the school's locations, as the letterhead lists them."""
    return load_letterhead().location_names
