"""Consents from the parent portal (Magister, SOMtoday): the words a portal export writes for
yes and no, and how the portal's current state becomes decisions. Pure: no Qt, no SQL.

The export holds the portal's *current* state; the register holds the *history*. For one
pupil and one purpose (`sync`):

- an empty cell was not answered: nothing is recorded, and nothing is withdrawn;
- an answer equal to the decision that counts now, and still valid on the answer's date,
  records nothing, so the same file imported every morning is silent (who ticked it is not
  compared: the portal does not say, the age rule only guesses it);
- any other answer is a new decision on the answer's date: *ja* a grant, *nee* a withdrawal
  after a grant and a refusal otherwise, given by a parent while the pupil is under 16 on that
  date and by the pupil from 16 (`consent.default_giver`);
- unless that new decision would not count, because the register holds a decision dated
  after the answer (a paper form received later), or one of the same date that wins (a
  refusal over a grant): that is a conflict, left to a person, and nothing is recorded.

So after an import every answer that is not a conflict is what the register says, and
importing the same file again records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from merlet_desk.domain import consent as rules
from merlet_desk.domain.text import fold

# The answers a portal export writes, as `answer_key` reads them.
YES_WORDS = ("ja", "j", "akkoord", "toestemming", "wel toestemming", "✓", "✔", "1", "true")
NO_WORDS = ("nee", "n", "niet akkoord", "geen toestemming", "✗", "✘", "0", "false")
# Dutch Excel writes its TRUE and FALSE as WAAR and ONWAAR in a CSV; English "yes" and "no"
# come from exports set to English.
_MORE_YES = ("waar", "yes", "y")
_MORE_NO = ("onwaar", "no")
ANSWER_HINT = (
    "ja, nee, j, n, akkoord, niet akkoord, toestemming, geen toestemming, ✓, ✗, 1, 0, true, "
    "false; leeg = niet beantwoord"
)

# Outcomes of `sync`.
UNCHANGED = "unchanged"
NEW = "new"
CONFLICT = "conflict"

# The id a decision not yet stored gets when it is compared with stored ones: entered last.
_NOT_YET_STORED = 2**62


def answer_key(text: str) -> str:
    """Case, accents, hyphens and spacing do not count: "Niet-akkoord" is "niet akkoord"."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


_ANSWERS = {
    **{answer_key(word): True for word in (*YES_WORDS, *_MORE_YES)},
    **{answer_key(word): False for word in (*NO_WORDS, *_MORE_NO)},
}


@lru_cache(maxsize=1024)
def read_answer(text: str) -> bool | None:
    """True for yes, False for no, None for an empty cell (not answered); ValueError with a
    Dutch message for anything else. Cached: a file of 20,000 pupils has a handful of words."""
    key = answer_key(text)
    if not key:
        return None
    try:
        return _ANSWERS[key]
    except KeyError:
        raise ValueError(f"onbekende waarde '{text}' ({ANSWER_HINT})") from None


def answer_text(answer: bool | None) -> str:
    """How an answer is shown: "ja", "nee", or "—" (not answered)."""
    return "—" if answer is None else ("ja" if answer else "nee")


def answer_of(decision: rules.Decision | None) -> bool | None:
    """The portal answer a decision stands for: a grant is yes, a refusal or withdrawal no."""
    if decision is None:
        return None
    return decision.decision == rules.GRANTED


@dataclass(frozen=True, slots=True)
class Sync:
    """What one answer does to one pupil's register for one purpose."""

    outcome: str  # UNCHANGED, NEW or CONFLICT
    current: rules.Decision | None  # the decision that counts now (None: nothing recorded)
    decision: str | None = None  # for NEW and CONFLICT: granted, refused or withdrawn
    given_by: str | None = None


def new_decision_kind(answer: bool, current: rules.Decision | None) -> str:
    """Yes is a grant; no is a withdrawal after a grant and a refusal otherwise."""
    if answer:
        return rules.GRANTED
    return rules.WITHDRAWN if answer_of(current) else rules.REFUSED


def sync(
    birth_date: date,
    decisions: Sequence[rules.Decision],
    answer: bool,
    answered_on: date,
    today: date,
    settings: rules.ConsentSettings,
    *,
    given_by: str | None = None,
) -> Sync:
    """The outcome of the portal's `answer` (given on `answered_on`) for a register holding
    `decisions` for this pupil and purpose (its whole history, or at least every decision of
    the latest date); `given_by` when the file says who, else the age rule decides."""
    current = rules.current_decision(birth_date, decisions, today)
    if answer_of(current) == answer and current is not None:
        # An answer of a later school year renews an expired decision (validity per year).
        if rules.status_on(birth_date, [current], answered_on, settings).state != rules.EXPIRED:
            return Sync(UNCHANGED, current)
    kind = new_decision_kind(answer, current)
    giver = given_by or rules.default_giver(birth_date, answered_on)
    candidate = rules.Decision(
        pupil_number="",
        purpose="",
        decision=kind,
        given_by=giver,
        giver_name="",
        received_on=answered_on,
        method="portal",
        id=_NOT_YET_STORED,
    )
    after = rules.current_decision(birth_date, [*decisions, candidate], today)
    outcome = NEW if after is candidate else CONFLICT
    return Sync(outcome, current, kind, giver)
