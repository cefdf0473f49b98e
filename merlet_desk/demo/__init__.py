"""Fictional demo data for `merlet-desk init --demo`: deterministic for a given size.

Each feature has a module here with `fill(db, rng, pupils)` that fills its own tables. They run
in the order of `DEMO_MODULES`, inside one transaction, sharing one random generator seeded from
the size, so the same `--pupils N` always gives the same database.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Sequence
from typing import TypeVar

from merlet_desk.store.sqlite_utils_import import Database

T = TypeVar("T")

DEMO_MODULES: tuple[str, ...] = (
    "merlet_desk.demo.consent",
    "merlet_desk.demo.cases",
    "merlet_desk.demo.publications",
)

DEFAULT_PUPILS = 600


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    """One item of (item, weight) pairs, drawn with those weights."""
    return rng.choices([item for item, _ in pairs], weights=[w for _, w in pairs])[0]


def fill_demo(db: Database, pupils: int = DEFAULT_PUPILS) -> None:
    """Fill a new database with demo data; the same `pupils` gives the same data."""
    rng = random.Random(f"merlet-demo-{pupils}")
    with db.atomic():
        for name in DEMO_MODULES:
            importlib.import_module(name).fill(db, rng, pupils)
