"""Fictional demo data for `merlet-desk init --demo`: deterministic for a given size.

Each feature has a module here with `fill(db, rng, pupils)` that fills its own tables. They run
in the order of `DEMO_MODULES`, inside one transaction, sharing one random generator seeded from
the size, so the same `--pupils N` always gives the same database.
"""

from __future__ import annotations

import importlib
import random

from sqlite_utils import Database

DEMO_MODULES: tuple[str, ...] = (
    "merlet_desk.demo.consent",
    "merlet_desk.demo.cases",
    "merlet_desk.demo.publications",
)

DEFAULT_PUPILS = 600


def fill_demo(db: Database, pupils: int = DEFAULT_PUPILS) -> None:
    """Fill a new database with demo data; the same `pupils` gives the same data."""
    rng = random.Random(f"merlet-demo-{pupils}")
    with db.atomic():
        for name in DEMO_MODULES:
            importlib.import_module(name).fill(db, rng, pupils)
