"""Pure rules of the publication register: media kinds, the publishing checklist, and since
when a publication has to come down for a pupil.

A takedown arises on the day a pupil stopped being allowed on a channel: the day the
withdrawal or refusal was received, the first day after the consent's school year (1 August by
default), or the pupil's 16th birthday when the school counts only the pupil's own consent from
16. It never arises before the publication itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import PurePath

from merlet_desk.domain import consent as rules
from merlet_desk.paths import data_path

PHOTO = "photo"
VIDEO = "video"
MEDIA_KINDS = (PHOTO, VIDEO)
MEDIA_KIND_LABELS = {PHOTO: "Foto", VIDEO: "Video"}

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic")
VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".wmv", ".mts", ".3gp")

TAKEDOWN_REASON_LABELS = {
    rules.WITHDRAWN: "Toestemming ingetrokken",
    rules.REFUSED: "Toestemming geweigerd",
    rules.EXPIRED: "Toestemming verlopen (nieuw schooljaar)",
    rules.ASK_PUPIL: "16 geworden — alleen de leerling kan nog toestemming geven",
    rules.NO_RECORD: "Geen toestemming vastgelegd",
}


@dataclass(frozen=True)
class ChecklistItem:
    """One agreement of the policy that applies to publishing, as a question to tick."""

    agreement: int
    text: str


def media_kind_for(file_name: str) -> str:
    """PHOTO or VIDEO, by the file's extension (an unknown extension counts as a photo)."""
    return VIDEO if PurePath(file_name).suffix.lower() in VIDEO_EXTENSIONS else PHOTO


@lru_cache(maxsize=1)
def publish_checklist() -> tuple[ChecklistItem, ...]:
    """Agreements 6, 7, 8, 9 and 12 of the policy, from `data/publish_checklist.json`."""
    raw = json.loads(data_path("publish_checklist.json").read_text(encoding="utf-8"))
    return tuple(ChecklistItem(int(entry["agreement"]), str(entry["text"])) for entry in raw)


def sixteenth_birthday(birth_date: date) -> date:
    """The day a pupil turns 16 (29 February: 1 March in a non-leap year, as `age_on`)."""
    try:
        return birth_date.replace(year=birth_date.year + rules.ADULT_AGE)
    except ValueError:
        return date(birth_date.year + rules.ADULT_AGE, 3, 1)


def blocked_since(status: rules.Status, birth_date: date, published_on: date) -> date:
    """The day a blocked `status` arose for a publication of `published_on`."""
    decision = status.decision
    if status.state == rules.EXPIRED and status.valid_until is not None:
        since = status.valid_until + timedelta(days=1)
    elif status.state in (rules.WITHDRAWN, rules.REFUSED) and decision is not None:
        since = decision.received_on
    elif status.state == rules.ASK_PUPIL:
        since = sixteenth_birthday(birth_date)
        if decision is not None:
            since = max(since, decision.received_on)
    else:
        since = published_on
    return max(since, published_on)
