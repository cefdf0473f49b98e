"""Demo data for publications. (Run by demo.fill_demo in DEMO_MODULES order.)"""

from __future__ import annotations

import random

from sqlite_utils import Database


def fill(db: Database, rng: random.Random, pupils: int) -> None:
    """Fill this feature's tables with fictional data."""
