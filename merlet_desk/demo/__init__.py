"""Fictional demo data for `merlet-desk init --demo`: deterministic for a given size.

Each feature adds a step to `DEMO_STEPS`: a function `(db, rng, pupils)` that fills its own
tables. They run in order inside one transaction, with one random generator seeded from the size.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlite_utils import Database

DemoStep = Callable[[Database, random.Random, int], None]

DEMO_STEPS: list[DemoStep] = []

DEFAULT_PUPILS = 600


def fill_demo(db: Database, pupils: int = DEFAULT_PUPILS) -> None:
    """Fill a new database with demo data; the same `pupils` gives the same data."""
    rng = random.Random(f"merlet-demo-{pupils}")
    with db.atomic():
        for step in DEMO_STEPS:
            step(db, rng, pupils)
