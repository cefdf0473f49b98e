"""Property tests (hypothesis) of the consent rules in `domain/consent.py`.

- a withdrawal always wins over an earlier grant;
- in the per-school-year mode a decision never counts again once its school year has ended;
- the status never depends on the order in which decisions were recorded, only their dates;
- no record means no consent, and decisions after the date asked about change nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings, Decision, school_year, status_on

EXAMPLES = 400

births = st.dates(min_value=date(2004, 1, 1), max_value=date(2016, 12, 31))
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2028, 12, 31))
modes = st.builds(
    ConsentSettings,
    validity=st.sampled_from(rules.VALIDITY_MODES),
    school_year_start=st.sampled_from([(8, 1), (9, 1), (7, 15), (2, 29)]),
    pupil_only_from_16=st.booleans(),
)


@st.composite
def decisions(draw, min_size: int = 0, max_size: int = 8, kinds=rules.DECISIONS):
    count = draw(st.integers(min_size, max_size))
    return [
        Decision(
            pupil_number="1001",
            purpose="website",
            decision=draw(st.sampled_from(kinds)),
            given_by=draw(st.sampled_from(rules.GIVERS)),
            giver_name=draw(st.sampled_from(["Joëlle van den Broek", "<b>Jan</b> & Zn", "Şükrü"])),
            received_on=draw(days),
            method=draw(st.sampled_from(rules.METHODS)),
        )
        for _ in range(count)
    ]


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(), days, st.integers(0, 800), st.sampled_from(rules.GIVERS), modes)
def test_a_withdrawal_always_wins_over_an_earlier_grant(
    birth, history, withdrawn_on, days_later, giver, mode
):
    # Whatever came before, a withdrawal dated on or after every earlier decision blocks from
    # its date on, whoever gave it (a "no" is honoured from anyone).
    withdrawn_on = max([withdrawn_on, *(d.received_on for d in history)])
    withdrawal = Decision("1001", "website", rules.WITHDRAWN, giver, "x", withdrawn_on, "email")
    on = withdrawn_on + timedelta(days=days_later)
    status = status_on(birth, [*history, withdrawal], on, mode)
    assert not status.allowed
    assert status.state in (rules.WITHDRAWN, rules.EXPIRED)


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(min_size=1), days, modes)
def test_allowed_only_by_a_decision_of_the_current_school_year(birth, history, on, mode):
    mode = ConsentSettings("school_year", mode.school_year_start, mode.pupil_only_from_16)
    status = status_on(birth, history, on, mode)
    current, latest = school_year(on, mode), status.decision
    if status.allowed:
        assert school_year(latest.received_on, mode) == current
        assert status.valid_until == current[1] >= on
    else:  # no record, a "no", a decision of an earlier year, or a parent's grant at 16+
        assert status.state in rules.BLOCKED_STATES
        assert (
            latest is None
            or latest.decision != rules.GRANTED
            or school_year(latest.received_on, mode) != current
            or (mode.pupil_only_from_16 and latest.given_by != rules.PUPIL)
        )


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(), days, modes, st.integers(0, 400))
def test_a_grant_of_this_school_year_allows_until_its_end(birth, earlier, on, mode, days_back):
    """The other half of the property above, for every example: a grant from whoever may
    give it, in the current school year and after every other decision, allows publication
    until the end of that school year (a parent's grant for a pupil who is 16 by now: only
    while the school does not ask the pupil instead)."""
    mode = ConsentSettings("school_year", mode.school_year_start, mode.pupil_only_from_16)
    start, end = school_year(on, mode)
    granted_on = max(start, on - timedelta(days=days_back))
    earlier = [d for d in earlier if d.received_on < granted_on]
    giver = rules.default_giver(birth, granted_on)
    grant = Decision("1001", "website", rules.GRANTED, giver, "x", granted_on, "paper")
    status = status_on(birth, [*earlier, grant], on, mode)
    assert (status.decision, status.valid_until) == (grant, end)
    if giver == rules.PARENT and rules.decides_own_consent(birth, on):
        expected = rules.ASK_PUPIL if mode.pupil_only_from_16 else rules.ALLOWED_TURNED_16
    else:
        expected = rules.ALLOWED
    assert status.state == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(min_size=1, kinds=(rules.GRANTED,)), st.integers(1, 2000), modes)
def test_a_grant_never_counts_again_after_its_school_year(birth, grants, days_after, mode):
    mode = ConsentSettings("school_year", mode.school_year_start, mode.pupil_only_from_16)
    last = max(d.received_on for d in grants)
    on = school_year(last, mode)[1] + timedelta(days=days_after)
    status = status_on(birth, grants, on, mode)
    assert not status.allowed
    assert status.state in (rules.EXPIRED, rules.NO_RECORD)


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(), days, modes, st.randoms(use_true_random=False))
def test_status_does_not_depend_on_recording_order(birth, history, on, mode, rng):
    shuffled = list(history)
    rng.shuffle(shuffled)
    first, second = status_on(birth, history, on, mode), status_on(birth, shuffled, on, mode)
    assert (first.state, first.valid_until, first.flags) == (
        second.state,
        second.valid_until,
        second.flags,
    )
    if first.decision is not None:  # the same kind of decision of the same date counts
        assert (first.decision.received_on, first.decision.decision) == (
            second.decision.received_on,
            second.decision.decision,
        )


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, decisions(), decisions(min_size=1), days, modes)
def test_decisions_after_the_date_change_nothing(birth, history, later, on, mode):
    later = [
        Decision(
            d.pupil_number,
            d.purpose,
            d.decision,
            d.given_by,
            d.giver_name,
            on + timedelta(days=1 + i),
            d.method,
        )
        for i, d in enumerate(later)
    ]
    assert status_on(birth, history, on, mode) == status_on(birth, [*history, *later], on, mode)


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, days, modes)
def test_no_record_means_no_consent(birth, on, mode):
    status = status_on(birth, [], on, mode)
    assert status.state == rules.NO_RECORD and not status.allowed


@settings(max_examples=EXAMPLES, deadline=None)
@given(births, days, st.sampled_from([rules.REFUSED, rules.WITHDRAWN]), modes)
def test_on_one_date_a_no_wins_over_a_yes(birth, day, no, mode):
    grant = Decision(
        "1001", "website", rules.GRANTED, rules.default_giver(birth, day), "x", day, "paper"
    )
    refusal = Decision("1001", "website", no, rules.PARENT, "x", day, "paper")
    for order in ([grant, refusal], [refusal, grant]):
        assert not status_on(birth, order, day, mode).allowed


@given(births, decisions(), days, modes, days)
def test_a_mark_informed_never_changes_who_may_appear(birth, history, on, mode, told):
    """The mark "informed" only takes the reminder away: allowed or blocked, and why, stay."""
    plain = status_on(birth, history, on, mode)
    marked = status_on(birth, history, on, mode, informed_on=told)
    assert (marked.allowed, marked.reason, marked.decision) == (
        plain.allowed,
        plain.reason,
        plain.decision,
    )
    assert marked.state == plain.state or (plain.state, marked.state) == (
        rules.ALLOWED_TURNED_16,
        rules.ALLOWED,
    )
