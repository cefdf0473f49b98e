"""Pure rules of the publication register: media kinds, the publishing checklist, and since
when a publication has to come down for a pupil.

A takedown arises on the day a pupil stopped being allowed on a channel: the day the
withdrawal or refusal was received, the first day after the consent's school year (1 August by
default), or the pupil's 16th birthday when the school counts only the pupil's own consent from
16. It never arises before the publication itself.

Which box hid whom: a pupil counts as made unrecognisable in Merlet Desk only through a box
that the officer linked to that pupil (by a click: nothing here recognises anyone) and that
was hidden in the file that went out. `HiddenPupil` is one such record, with its basis; the
texts of the takedown list, its report and the pupil's file come from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


Box = tuple[int, int, int, int]  # x, y, width, height in the original's pixels

# How the register knows a pupil is unrecognisable in a publication (the `basis` column):
HIDDEN_BOXES = "boxes"  # the pupil's own boxes, linked by the officer, hidden in Merlet Desk
HIDDEN_EVERY_FACE = "every_face"  # a video: every face in every frame hidden in Merlet Desk
HIDDEN_STATED = "stated"  # the officer's statement (from behind, cropped, blurred elsewhere)
HIDDEN_UNLINKED = "unlinked"  # hidden in Merlet Desk before boxes were linked per pupil
HIDDEN_BASES = (HIDDEN_BOXES, HIDDEN_EVERY_FACE, HIDDEN_STATED, HIDDEN_UNLINKED)
NOT_PER_PUPIL = "vervaagd (niet per leerling vastgelegd)"
HIDDEN_BASIS_LABELS = {
    HIDDEN_BOXES: "eigen vak, vervaagd in Merlet Desk",
    HIDDEN_EVERY_FACE: "elk gezicht in elk beeld, vervaagd in Merlet Desk",
    HIDDEN_STATED: "verklaring van de medewerker",
    HIDDEN_UNLINKED: "niet per leerling vastgelegd",
}


@dataclass(frozen=True)
class HiddenPupil:
    """A pupil made unrecognisable in one publication: how (as recorded), on what basis, and
    the boxes of the file that hid them (their own ones; for an old record, all of them)."""

    number: str
    name: str
    class_name: str
    how: str
    basis: str
    regions: tuple[Box, ...] = ()

    @property
    def who(self) -> str:
        """ "Zofia Łęcka (2A, 1003)"."""
        return f"{self.name} ({self.class_name}, {self.number})"

    def label(self, file_regions: Sequence[Box]) -> str:
        """What was done for this pupil, with the boxes numbered as in the file's list."""
        if self.basis == HIDDEN_BOXES:
            return f"vervaagd in Merlet Desk: {boxes_text(self.regions, file_regions)}"
        if self.basis == HIDDEN_EVERY_FACE:
            return "vervaagd in Merlet Desk: elk gezicht in elk beeld"
        if self.basis == HIDDEN_UNLINKED:
            return NOT_PER_PUPIL
        return f"volgens de medewerker: {self.how}"


def box_text(box: Box) -> str:
    """ "x 170, y 50, 110 × 140"."""
    x, y, w, h = box
    return f"x {x}, y {y}, {w} × {h}"


def boxes_text(boxes: Sequence[Box], file_regions: Sequence[Box]) -> str:
    """ "vak 2 (x 170, y 50, 110 × 140)", numbered by their place among `file_regions`."""
    parts = []
    for box in boxes:
        number = file_regions.index(box) + 1 if box in file_regions else None
        parts.append(f"vak {number} ({box_text(box)})" if number else f"vak ({box_text(box)})")
    return ", ".join(parts)


def hidden_lines(
    file_regions: Sequence[Box], hidden: Sequence[HiddenPupil], *, names: bool = True
) -> list[str]:
    """Which box hid whom, one line per box of the file and then one per pupil made
    unrecognisable otherwise: "vak 1 (x 170, y 50, 110 × 140): Zofia Łęcka (2A, 1003)", a box
    nobody was linked to, the pupils of an old record that did not link boxes per pupil, and
    what the officer stated. Without `names`, pupils by number only and not the officer's
    own words (output that may land in a log)."""

    def who(h: HiddenPupil) -> str:
        return h.who if names else f"leerling {h.number}"

    linked = [h for h in hidden if h.basis == HIDDEN_BOXES]
    unlinked = [h for h in hidden if h.basis == HIDDEN_UNLINKED]
    lines = []
    for number, box in enumerate(file_regions, start=1):
        owners = [who(h) for h in linked if box in h.regions]
        if owners:
            whom = ", ".join(owners)
        else:
            whom = "niet per leerling vastgelegd" if unlinked else "geen leerling gekoppeld"
        lines.append(f"vak {number} ({box_text(box)}): {whom}")
    if unlinked:
        lines.append(f"{NOT_PER_PUPIL}: " + ", ".join(who(h) for h in unlinked))
    every_face = [who(h) for h in hidden if h.basis == HIDDEN_EVERY_FACE]
    if every_face:
        lines.append("elk gezicht in elk beeld vervaagd: " + ", ".join(every_face))
    for h in hidden:
        if h.basis == HIDDEN_STATED:
            said = f" ({h.how})" if names else ""
            lines.append(f"volgens de medewerker onherkenbaar{said}: {who(h)}")
    return lines


@dataclass(frozen=True)
class HiddenFaces:
    """Which box of the file that went out with a publication hid whom: the file's boxes in
    order, and the pupils recorded as unrecognisable in it."""

    regions: tuple[Box, ...] = ()
    pupils: tuple[HiddenPupil, ...] = ()

    def lines(self, *, names: bool = True) -> list[str]:
        return hidden_lines(self.regions, self.pupils, names=names)

    def as_json(self) -> dict[str, object]:
        """For `takedowns --json`: pupils by number only, and no free text (the officer's
        words of how may name someone)."""
        return {
            "file_boxes": [list(box) for box in self.regions],
            "hidden": [
                {
                    "pupil": h.number,
                    "basis": h.basis,
                    "boxes": [list(box) for box in h.regions],
                }
                for h in self.pupils
            ],
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
