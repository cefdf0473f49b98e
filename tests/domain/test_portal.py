"""The parent portal's answers and the sync rule (`domain/portal.py`): the words a portal
writes, and what one answer does to one pupil's register for one purpose."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain import portal
from merlet_desk.domain.consent import ConsentSettings, Decision

YEARLY = ConsentSettings()
FOREVER = ConsentSettings(validity=rules.UNTIL_WITHDRAWN)
BORN = date(2012, 3, 1)  # 14 in the school year 2026-2027
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    "text",
    ["Ja", "ja", "J", "AKKOORD", "Toestemming", "✓", "✔", "1", "true", "TRUE", " ja ", "WAAR"],
)
def test_yes_words(text):
    assert portal.read_answer(text) is True


@pytest.mark.parametrize(
    "text",
    ["Nee", "N", "Niet akkoord", "niet-akkoord", "NIET  AKKOORD", "Geen toestemming", "✗", "0"],
)
def test_no_words(text):
    assert portal.read_answer(text) is False


@pytest.mark.parametrize("text", ["false", "FALSE", "onwaar", "géén toestemming"])
def test_no_words_case_and_accents(text):
    assert portal.read_answer(text) is False


@pytest.mark.parametrize("text", ["", "  "])
def test_empty_is_not_answered(text):
    assert portal.read_answer(text) is None


def test_an_unknown_value_is_refused_with_the_value_and_the_words():
    with pytest.raises(ValueError, match="onbekende waarde 'misschien' \\(ja, nee, j, n"):
        portal.read_answer("misschien")


def decision(kind, on, given_by=rules.PARENT, method="paper", id_=1):
    return Decision("1001", "website", kind, given_by, "Anna", on, method, id=id_)


def test_no_history_yes_is_a_grant_and_no_a_refusal():
    yes = portal.sync(BORN, [], True, TODAY, TODAY, YEARLY)
    no = portal.sync(BORN, [], False, TODAY, TODAY, YEARLY)
    assert (yes.outcome, yes.decision, yes.given_by) == (portal.NEW, rules.GRANTED, rules.PARENT)
    assert (no.outcome, no.decision) == (portal.NEW, rules.REFUSED)


def test_equal_to_the_current_decision_records_nothing():
    history = [decision(rules.GRANTED, date(2026, 9, 1))]
    assert portal.sync(BORN, history, True, TODAY, TODAY, YEARLY).outcome == portal.UNCHANGED
    refused = [decision(rules.REFUSED, date(2026, 9, 1))]
    assert portal.sync(BORN, refused, False, TODAY, TODAY, YEARLY).outcome == portal.UNCHANGED
    withdrawn = [*history, decision(rules.WITHDRAWN, date(2026, 10, 1), id_=2)]
    assert portal.sync(BORN, withdrawn, False, TODAY, TODAY, YEARLY).outcome == portal.UNCHANGED


def test_no_after_yes_is_a_withdrawal_and_yes_after_no_a_grant():
    granted = [decision(rules.GRANTED, date(2026, 9, 1))]
    withdrawal = portal.sync(BORN, granted, False, TODAY, TODAY, YEARLY)
    assert (withdrawal.outcome, withdrawal.decision) == (portal.NEW, rules.WITHDRAWN)
    refused = [decision(rules.REFUSED, date(2026, 9, 1))]
    grant = portal.sync(BORN, refused, True, TODAY, TODAY, YEARLY)
    assert (grant.outcome, grant.decision) == (portal.NEW, rules.GRANTED)


def test_a_paper_decision_newer_than_the_file_is_a_conflict():
    paper = [decision(rules.REFUSED, date(2026, 11, 20))]
    result = portal.sync(BORN, paper, True, date(2026, 11, 1), TODAY, YEARLY)
    assert result.outcome == portal.CONFLICT
    assert result.current == paper[0]


def test_a_refusal_of_the_same_day_wins_over_the_portals_yes():
    paper = [decision(rules.REFUSED, TODAY)]
    assert portal.sync(BORN, paper, True, TODAY, TODAY, YEARLY).outcome == portal.CONFLICT
    granted = [decision(rules.GRANTED, TODAY)]
    same_day_no = portal.sync(BORN, granted, False, TODAY, TODAY, YEARLY)
    assert (same_day_no.outcome, same_day_no.decision) == (portal.NEW, rules.WITHDRAWN)


def test_the_giver_follows_the_age_on_the_answers_date():
    sixteen = date(2010, 11, 10)  # 16 on 10 November 2026
    before = portal.sync(sixteen, [], True, date(2026, 11, 9), TODAY, YEARLY)
    after = portal.sync(sixteen, [], True, date(2026, 11, 10), TODAY, YEARLY)
    assert (before.given_by, after.given_by) == (rules.PARENT, rules.PUPIL)


def test_who_ticked_is_not_compared():
    """The portal does not say who ticked; a parent's yes that still counts is left alone."""
    sixteen = date(2010, 9, 10)
    parent = [decision(rules.GRANTED, date(2026, 9, 1))]
    assert portal.sync(sixteen, parent, True, TODAY, TODAY, FOREVER).outcome == portal.UNCHANGED


def test_a_yes_of_a_new_school_year_renews_an_expired_yes():
    last_year = [decision(rules.GRANTED, date(2025, 9, 1))]
    renewed = portal.sync(BORN, last_year, True, date(2026, 9, 3), TODAY, YEARLY)
    assert (renewed.outcome, renewed.decision) == (portal.NEW, rules.GRANTED)
    # The same answer dated in last year's school year is what the register already has.
    old = portal.sync(BORN, last_year, True, date(2025, 9, 1), TODAY, YEARLY)
    assert old.outcome == portal.UNCHANGED
    assert portal.sync(BORN, last_year, True, TODAY, TODAY, FOREVER).outcome == portal.UNCHANGED
