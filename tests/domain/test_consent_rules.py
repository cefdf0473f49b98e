"""The consent rules of PRODUCT.md, table-driven over their edges (pure domain, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from merlet_desk.domain import consent as c
from merlet_desk.domain.consent import ConsentSettings, Decision
from merlet_desk.domain.people import full_name, sort_key

BIRTH = date(2010, 3, 15)  # 16 on 15-03-2026
# Born on 29 February: 16 is a multiple of 4, so the 16th birthday always falls in a leap year
# (until 2100); the 1 March rule shows at the other birthdays.
LEAP = date(2008, 2, 29)

DEFAULT = ConsentSettings()
UNTIL = ConsentSettings(validity=c.UNTIL_WITHDRAWN)
STRICT = ConsentSettings(pupil_only_from_16=True)
SEPT = ConsentSettings(school_year_start=(9, 1))


def d(kind, giver, on, id=None, name="Anna van den Broek"):
    return Decision("1001", "website", kind, giver, name, on, "paper", id=id)


G, R, W = c.GRANTED, c.REFUSED, c.WITHDRAWN
P, GU, PU = c.PARENT, c.GUARDIAN, c.PUPIL


# ------------------------------------------------------------------ age


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (BIRTH, date(2026, 3, 14), 15),  # the day before the 16th birthday
        (BIRTH, date(2026, 3, 15), 16),  # the 16th birthday itself
        (BIRTH, date(2026, 3, 16), 16),
        (BIRTH, date(2010, 3, 15), 0),
        # 29 February: the birthday counts from 1 March in a non-leap year
        (LEAP, date(2023, 2, 28), 14),
        (LEAP, date(2023, 3, 1), 15),
        (LEAP, date(2024, 2, 28), 15),
        (LEAP, date(2024, 2, 29), 16),  # leap year: on the day itself
        (date(2009, 2, 28), date(2025, 2, 28), 16),
        (LEAP, date(2025, 2, 28), 16),
    ],
)
def test_age_on(birth, on, age):
    assert c.age_on(birth, on) == age


def test_29_february_turns_16_on_1_march_in_a_non_leap_year():
    born = date(2012, 2, 29)  # 16 in 2028, a leap year
    assert c.age_on(born, date(2028, 2, 28)) == 15
    assert c.age_on(born, date(2028, 2, 29)) == 16
    born = LEAP  # 17 in 2025, a non-leap year
    assert c.age_on(born, date(2025, 2, 28)) == 16
    assert c.age_on(born, date(2025, 3, 1)) == 17
    born_2009 = date(2009, 3, 1)
    assert c.age_on(born_2009, date(2025, 2, 28)) == 15


# ------------------------------------------------------------------ who may grant


@pytest.mark.parametrize(
    ("giver", "on", "allowed"),
    [
        (P, date(2026, 3, 14), True),  # 15: parent yes
        (GU, date(2026, 3, 14), True),
        (PU, date(2026, 3, 14), False),  # 15: pupil no
        (P, date(2026, 3, 15), False),  # 16th birthday: parent no
        (GU, date(2026, 3, 15), False),
        (PU, date(2026, 3, 15), True),  # 16th birthday: pupil yes
    ],
)
def test_grant_problem_around_the_16th_birthday(giver, on, allowed):
    problem = c.grant_problem(BIRTH, giver, on)
    assert (problem is None) is allowed
    if not allowed:
        assert "16" in problem


def test_grant_problem_29_february():
    born = LEAP
    # 2024 is a leap year: 16 on 29-02-2024
    assert c.grant_problem(born, PU, date(2024, 2, 28)) is not None
    assert c.grant_problem(born, PU, date(2024, 2, 29)) is None


@pytest.mark.parametrize(
    ("on", "guardian", "giver"),
    [
        (date(2026, 3, 14), False, P),  # the day before the 16th birthday: a parent
        (date(2026, 3, 14), True, GU),
        (date(2026, 3, 15), False, PU),  # the 16th birthday: the pupil
        (date(2026, 3, 15), True, PU),
    ],
)
def test_default_giver_is_whoever_may_grant_that_day(on, guardian, giver):
    assert c.default_giver(BIRTH, on, guardian=guardian) == giver
    assert c.grant_problem(BIRTH, giver, on) is None


def test_the_ui_and_the_demo_ask_the_domain_who_decides():
    """Who may give consent at which age is written once, in domain/consent.py: no other
    module compares an age with ADULT_AGE (the dialogs and both demos used to)."""
    from pathlib import Path

    root = Path(c.__file__).parents[1]
    copies = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.parent.name != "domain" and ">= rules.ADULT_AGE" in path.read_text("utf-8")
    ]
    assert copies == []


# ------------------------------------------------------------------ school year


@pytest.mark.parametrize(
    ("on", "settings", "start", "end"),
    [
        (date(2026, 7, 31), DEFAULT, date(2025, 8, 1), date(2026, 7, 31)),
        (date(2026, 8, 1), DEFAULT, date(2026, 8, 1), date(2027, 7, 31)),
        (date(2026, 1, 1), DEFAULT, date(2025, 8, 1), date(2026, 7, 31)),
        (date(2026, 8, 31), SEPT, date(2025, 9, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), SEPT, date(2026, 9, 1), date(2027, 8, 31)),
    ],
)
def test_school_year(on, settings, start, end):
    assert c.school_year(on, settings) == (start, end)


# ------------------------------------------------------------------ status table

# (name, birth, decisions, on, settings, expected state, expected flags)
CASES = [
    ("nothing recorded", BIRTH, [], date(2025, 9, 1), DEFAULT, c.NO_RECORD),
    ("parent grant", BIRTH, [d(G, P, date(2025, 9, 1))], date(2025, 10, 1), DEFAULT, c.ALLOWED),
    ("guardian grant", BIRTH, [d(G, GU, date(2025, 9, 1))], date(2025, 10, 1), DEFAULT, c.ALLOWED),
    ("refusal", BIRTH, [d(R, P, date(2025, 9, 1))], date(2025, 10, 1), DEFAULT, c.REFUSED),
    (
        "decision after the date is ignored",
        BIRTH,
        [d(G, P, date(2025, 9, 2))],
        date(2025, 9, 1),
        DEFAULT,
        c.NO_RECORD,
    ),
    (
        "grant counts on the day it was received",
        BIRTH,
        [d(G, P, date(2025, 9, 1))],
        date(2025, 9, 1),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "withdrawal acts at once",
        BIRTH,
        [d(G, P, date(2025, 9, 1)), d(W, P, date(2025, 11, 3))],
        date(2025, 11, 3),
        DEFAULT,
        c.WITHDRAWN,
    ),
    (
        "the day before the withdrawal still allowed",
        BIRTH,
        [d(G, P, date(2025, 9, 1)), d(W, P, date(2025, 11, 3))],
        date(2025, 11, 2),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "a later grant after a refusal wins",
        BIRTH,
        [d(R, P, date(2025, 9, 1)), d(G, P, date(2025, 10, 1))],
        date(2025, 10, 1),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "latest by date, not by entry order",
        BIRTH,
        [d(G, P, date(2025, 10, 1), id=1), d(R, P, date(2025, 9, 1), id=2)],
        date(2025, 10, 5),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "grant then withdrawal on one day",
        BIRTH,
        [d(G, P, date(2025, 9, 1), id=1), d(W, P, date(2025, 9, 1), id=2)],
        date(2025, 9, 1),
        DEFAULT,
        c.WITHDRAWN,
    ),
    (
        "withdrawal then grant on one day",
        BIRTH,
        [d(W, P, date(2025, 9, 1), id=1), d(G, P, date(2025, 9, 1), id=2)],
        date(2025, 9, 1),
        DEFAULT,
        c.WITHDRAWN,
    ),
    (
        "grant then refusal on one day",
        BIRTH,
        [d(G, P, date(2025, 9, 1), id=1), d(R, GU, date(2025, 9, 1), id=2)],
        date(2025, 9, 1),
        DEFAULT,
        c.REFUSED,
    ),
    (
        "refusal then grant on one day",
        BIRTH,
        [d(R, GU, date(2025, 9, 1), id=1), d(G, P, date(2025, 9, 1), id=2)],
        date(2025, 9, 1),
        DEFAULT,
        c.REFUSED,
    ),
    (
        "refusal by the pupil under 16 counts",
        BIRTH,
        [d(G, P, date(2025, 9, 1)), d(R, PU, date(2025, 9, 5))],
        date(2025, 9, 5),
        DEFAULT,
        c.REFUSED,
    ),
    (
        "withdrawal by a parent of a 16-year-old counts",
        BIRTH,
        [d(G, PU, date(2026, 4, 1)), d(W, P, date(2026, 5, 1))],
        date(2026, 5, 1),
        DEFAULT,
        c.WITHDRAWN,
    ),
    (
        "a grant by a pupil under 16 is ignored",
        BIRTH,
        [d(G, PU, date(2025, 9, 1))],
        date(2025, 9, 1),
        DEFAULT,
        c.NO_RECORD,
    ),
    (
        "a grant by a parent of a 16-year-old is ignored",
        BIRTH,
        [d(R, P, date(2025, 9, 1)), d(G, P, date(2026, 3, 15))],
        date(2026, 3, 20),
        DEFAULT,
        c.REFUSED,
    ),
    (
        "the pupil's own grant on the 16th birthday",
        BIRTH,
        [d(G, PU, date(2026, 3, 15))],
        date(2026, 3, 15),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "parent grant the day before the 16th birthday",
        BIRTH,
        [d(G, P, date(2025, 9, 1))],
        date(2026, 3, 14),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "parent grant on the 16th birthday: flagged",
        BIRTH,
        [d(G, P, date(2025, 9, 1))],
        date(2026, 3, 15),
        DEFAULT,
        c.ALLOWED_TURNED_16,
    ),
    (
        "parent grant on the 16th birthday, pupil-only setting: ask the pupil",
        BIRTH,
        [d(G, P, date(2025, 9, 1))],
        date(2026, 3, 15),
        STRICT,
        c.ASK_PUPIL,
    ),
    (
        "pupil-only setting, the day before the 16th birthday",
        BIRTH,
        [d(G, P, date(2025, 9, 1))],
        date(2026, 3, 14),
        STRICT,
        c.ALLOWED,
    ),
    (
        "pupil-only setting, the pupil's own grant",
        BIRTH,
        [d(G, P, date(2025, 9, 1)), d(G, PU, date(2026, 4, 1))],
        date(2026, 4, 1),
        STRICT,
        c.ALLOWED,
    ),
    (
        "31 July: still this school year",
        BIRTH,
        [d(G, P, date(2024, 8, 1))],
        date(2025, 7, 31),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "1 August: expired",
        BIRTH,
        [d(G, P, date(2024, 8, 1))],
        date(2025, 8, 1),
        DEFAULT,
        c.EXPIRED,
    ),
    (
        "grant on 31 July expires the next day",
        BIRTH,
        [d(G, P, date(2025, 7, 31))],
        date(2025, 8, 1),
        DEFAULT,
        c.EXPIRED,
    ),
    (
        "school year from 1 September: 31 August still valid",
        BIRTH,
        [d(G, P, date(2024, 9, 1))],
        date(2025, 8, 31),
        SEPT,
        c.ALLOWED,
    ),
    (
        "school year from 1 September: expired on 1 September",
        BIRTH,
        [d(G, P, date(2024, 9, 1))],
        date(2025, 9, 1),
        SEPT,
        c.EXPIRED,
    ),
    (
        "school year from 1 September: a grant of 15 August belongs to the year before",
        BIRTH,
        [d(G, P, date(2024, 8, 15))],
        date(2024, 9, 1),
        SEPT,
        c.EXPIRED,
    ),
    (
        "until withdrawn: years later still valid",
        BIRTH,
        [d(G, P, date(2022, 9, 1))],
        date(2025, 9, 1),
        UNTIL,
        c.ALLOWED,
    ),
    (
        "until withdrawn: parent grant of a pupil now 16",
        BIRTH,
        [d(G, P, date(2022, 9, 1))],
        date(2026, 9, 1),
        UNTIL,
        c.ALLOWED_TURNED_16,
    ),
    (
        "until withdrawn + pupil-only",
        BIRTH,
        [d(G, P, date(2022, 9, 1))],
        date(2026, 9, 1),
        ConsentSettings(validity=c.UNTIL_WITHDRAWN, pupil_only_from_16=True),
        c.ASK_PUPIL,
    ),
    (
        "an old refusal expires too (ask again)",
        BIRTH,
        [d(R, P, date(2023, 9, 1))],
        date(2024, 9, 1),
        DEFAULT,
        c.EXPIRED,
    ),
    (
        "until withdrawn: an old refusal stays",
        BIRTH,
        [d(R, P, date(2023, 9, 1))],
        date(2025, 9, 1),
        UNTIL,
        c.REFUSED,
    ),
    (
        "born 29 February: parent grant still plain on 28 February of the 16th year",
        LEAP,
        [d(G, P, date(2023, 9, 1))],
        date(2024, 2, 28),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "born 29 February: flagged on 29 February of a leap year",
        LEAP,
        [d(G, P, date(2023, 9, 1))],
        date(2024, 2, 29),
        DEFAULT,
        c.ALLOWED_TURNED_16,
    ),
    (
        "born 29 February 2012: not yet 16 on 28 February 2028",
        date(2012, 2, 29),
        [d(G, P, date(2027, 9, 1))],
        date(2028, 2, 28),
        DEFAULT,
        c.ALLOWED,
    ),
    (
        "born 29 February: a pupil's own grant at 14 is ignored",
        LEAP,
        [d(G, PU, date(2023, 2, 28))],
        date(2023, 3, 1),
        DEFAULT,
        c.NO_RECORD,
    ),
]


@pytest.mark.parametrize(
    ("birth", "decisions", "on", "settings", "state"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_on(birth, decisions, on, settings, state):
    status = c.status_on(birth, decisions, on, settings)
    assert status.state == state
    assert status.allowed is (state in (c.ALLOWED, c.ALLOWED_TURNED_16))
    assert status.reason == (None if status.allowed else state)
    assert status.flags == ((c.TURNED_16,) if state == c.ALLOWED_TURNED_16 else ())
    if state == c.NO_RECORD:
        assert status.decision is None


# ------------------------------------------------------------------ told that they turned 16

PARENT_GRANT = [d(G, P, date(2025, 9, 1))]  # BIRTH is 16 on 15-03-2026


@pytest.mark.parametrize(
    ("told", "on", "settings", "state", "informed_on"),
    [
        # Told after the 16th birthday: plain consent, with the day the pupil was told.
        (date(2026, 3, 20), date(2026, 4, 1), DEFAULT, c.ALLOWED, date(2026, 3, 20)),
        # Told on the birthday itself, asked that day.
        (date(2026, 3, 15), date(2026, 3, 15), DEFAULT, c.ALLOWED, date(2026, 3, 15)),
        # Asked about a day before the pupil was told: still to tell on that day.
        (date(2026, 3, 20), date(2026, 3, 19), DEFAULT, c.ALLOWED_TURNED_16, None),
        # A mark from before the 16th birthday told nothing: it does not count.
        (date(2026, 3, 14), date(2026, 4, 1), DEFAULT, c.ALLOWED_TURNED_16, None),
        # Pupil-only from 16: being told does not make the parent's consent count again.
        (date(2026, 3, 20), date(2026, 4, 1), STRICT, c.ASK_PUPIL, date(2026, 3, 20)),
        # The parent's consent has expired with its school year: nothing to note.
        (date(2026, 3, 20), date(2026, 8, 1), DEFAULT, c.EXPIRED, None),
        (date(2026, 3, 20), date(2027, 8, 1), UNTIL, c.ALLOWED, date(2026, 3, 20)),
    ],
)
def test_a_pupil_told_after_turning_16(told, on, settings, state, informed_on):
    status = c.status_on(BIRTH, PARENT_GRANT, on, settings, informed_on=told)
    assert (status.state, status.informed_on) == (state, informed_on)
    if state == c.ALLOWED:
        assert status.allowed and status.flags == () and status.symbol == "✓"
        assert status.label == (
            f"Toestemming — 16 geworden, leerling geïnformeerd op {told.strftime('%d-%m-%Y')}"
        )
    elif state == c.ALLOWED_TURNED_16:
        assert status.label == "Toestemming — 16 geworden, leerling informeren"


def test_a_translated_label_keeps_the_day_the_pupil_was_told():
    """The window translates the Dutch source text first and puts the day in after, so a
    translation can place the day where its language wants it."""
    english = {
        c.INFORMED_LABEL: "Consent — turned 16, pupil told on %1",
        c.STATE_LABELS[c.ALLOWED_TURNED_16]: "Consent — turned 16, tell the pupil",
    }
    told = c.status_on(BIRTH, PARENT_GRANT, date(2026, 4, 1), DEFAULT, date(2026, 3, 20))
    not_told = c.status_on(BIRTH, PARENT_GRANT, date(2026, 4, 1), DEFAULT)
    assert told.label_in(english.__getitem__) == "Consent — turned 16, pupil told on 20-03-2026"
    assert not_told.label_in(english.__getitem__) == "Consent — turned 16, tell the pupil"


@pytest.mark.parametrize(
    "history",
    [
        [d(G, PU, date(2026, 3, 16))],  # the pupil's own consent
        [*PARENT_GRANT, d(R, PU, date(2026, 3, 16))],  # the pupil refused
        [*PARENT_GRANT, d(W, P, date(2026, 3, 16))],  # the parent withdrew
    ],
)
def test_a_mark_says_nothing_about_a_decision_that_is_not_a_parents_consent(history):
    status = c.status_on(BIRTH, history, date(2026, 4, 1), DEFAULT, informed_on=date(2026, 3, 20))
    plain = c.status_on(BIRTH, history, date(2026, 4, 1), DEFAULT)
    assert status == plain and status.informed_on is None
    assert status.label == c.STATE_LABELS[status.state]


@pytest.mark.parametrize(
    "kinds",
    [(G, W), (W, G), (G, R), (R, G), (G, R, W), (W, R, G), (R, W), (W, R)],
)
def test_same_day_status_never_depends_on_entry_order(kinds):
    on = date(2025, 9, 1)
    forward = [d(kind, P, on, id=i) for i, kind in enumerate(kinds)]
    backward = [d(kind, P, on, id=i) for i, kind in enumerate(reversed(kinds))]
    states = {c.status_on(BIRTH, ds, on, DEFAULT).state for ds in (forward, backward)}
    assert len(states) == 1
    assert states != {c.ALLOWED}
    # without ids, the sequence order is the entry order
    no_ids = [d(kind, P, on) for kind in kinds]
    assert c.status_on(BIRTH, no_ids, on, DEFAULT).state in states


def test_valid_until_per_mode():
    grant = [d(G, P, date(2025, 9, 1))]
    assert c.status_on(BIRTH, grant, date(2025, 10, 1), DEFAULT).valid_until == date(2026, 7, 31)
    assert c.status_on(BIRTH, grant, date(2025, 10, 1), SEPT).valid_until == date(2026, 8, 31)
    assert c.status_on(BIRTH, grant, date(2025, 10, 1), UNTIL).valid_until is None


def test_every_state_has_a_label_and_a_distinct_symbol():
    assert c.STATES == (
        c.ALLOWED,
        c.ALLOWED_TURNED_16,
        c.REFUSED,
        c.WITHDRAWN,
        c.EXPIRED,
        c.NO_RECORD,
        c.ASK_PUPIL,
    )
    assert set(c.STATE_LABELS) == set(c.STATES)
    assert len(set(c.STATE_SYMBOLS.values())) == len(c.STATES)
    assert set(c.REASON_LABELS) == {"refused", "withdrawn", "expired", "no_record", "ask_pupil"}
    # Every state either allows or blocks, never both; a blocking state is its own reason.
    assert c.ALLOWED_STATES | c.BLOCKED_STATES == set(c.STATES)
    assert not c.ALLOWED_STATES & c.BLOCKED_STATES
    assert c.BLOCKED_STATES == set(c.REASON_LABELS)
    for state in c.STATES:
        status = c.Status(state, None, None)
        assert status.allowed is (state in c.ALLOWED_STATES)
        assert status.reason == (None if status.allowed else state)


@pytest.mark.parametrize(
    ("first", "prefix", "last", "expected"),
    [
        ("Joëlle", "van den", "Broek", "Joëlle van den Broek"),
        ("Berkay", "", "Öztürk", "Berkay Öztürk"),
        ("Zofia", None, "Łęcka", "Zofia Łęcka"),
        (" Meryem ", "", " Boujdaini", "Meryem Boujdaini"),
        ("Şükrü", "", "Yılmaz", "Şükrü Yılmaz"),
    ],
)
def test_full_name(first, prefix, last, expected):
    assert full_name(first, prefix, last) == expected


def test_sort_key_ignores_the_prefix_and_accents():
    names = [
        ("Şükrü", "", "Yılmaz"),
        ("Joëlle", "van den", "Broek"),
        ("Berkay", "", "Öztürk"),
        ("Zofia", "", "Łęcka"),
        ("Meryem", "", "Boujdaini"),
        ("Anna", "de", "Boer"),
    ]
    ordered = [full_name(*n) for n in sorted(names, key=lambda n: sort_key(*n))]
    assert ordered == [
        "Anna de Boer",
        "Meryem Boujdaini",
        "Joëlle van den Broek",
        "Zofia Łęcka",
        "Berkay Öztürk",
        "Şükrü Yılmaz",
    ]


@given(
    entries=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from([G, R, W]), st.sampled_from([P, GU, PU])),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
    on_offset=st.integers(0, 8),
    strict=st.booleans(),
)
def test_status_never_depends_on_entry_order(entries, data, on_offset, strict):
    """Any permutation of the same decisions, entered in any order, gives the same state."""
    born = date(2010, 3, 17)  # turns 16 inside the window: both givers matter
    start = date(2026, 3, 12)
    settings = ConsentSettings(pupil_only_from_16=strict)
    on = start + timedelta(days=on_offset)

    def entered(order):
        return [
            d(kind, giver, start + timedelta(days=day), id=i)
            for i, (day, kind, giver) in enumerate(order)
        ]

    shuffled = data.draw(st.permutations(entries))
    first = c.status_on(born, entered(entries), on, settings)
    second = c.status_on(born, entered(shuffled), on, settings)
    assert first.state == second.state
    assert first.valid_until == second.valid_until
    if first.decision is not None:
        assert first.decision.received_on == second.decision.received_on


@dataclass(frozen=True)
class _Pupil:
    birth_date: date = BIRTH


@dataclass(frozen=True)
class _Purpose:
    label: str = "Website"
    retired: bool = False


def _problems(retired=False, decision=G, given_by=c.PARENT, received_on=None, method="paper"):
    received_on = received_on or date(2025, 9, 1)
    return c.decision_problem(
        _Pupil(),
        _Purpose(retired=retired),
        decision,
        given_by,
        received_on,
        method,
        date(2025, 9, 2),
    )


def test_decision_problem_accepts_a_plain_decision_and_names_each_field_otherwise():
    assert _problems() == []
    assert _problems(retired=True) == [("purpose", "het doel 'Website' is vervallen")]
    assert [key for key, _ in _problems(decision="misschien", method="fax")] == [
        "decision",
        "method",
    ]
    assert _problems(received_on=date(2025, 9, 3)) == [
        ("received_on", "de datum 03-09-2025 ligt in de toekomst")
    ]
    assert _problems(received_on=date(2009, 1, 1)) == [
        ("received_on", "de datum 01-01-2009 ligt vóór de geboortedatum")
    ]
    # A grant from the pupil before 16 is refused; a refusal from anyone counts.
    [(key, message)] = _problems(given_by=c.PUPIL)
    assert key == "given_by" and "jonger dan 16" in message
    assert _problems(given_by=c.PUPIL, decision=R) == []
