"""Pure case rules: references, dates typed by users, validation, period presets."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.domain.cases import (
    Case,
    CasePerson,
    format_reference,
    parse_reference,
    parse_user_date,
    period_presets,
    validate_case,
)

TODAY = date(2026, 11, 24)
KNOWN = dict(locations=("Cuijk", "Grave", "Mill"), categories={"other"}, platforms={"other"})


def valid(**overrides) -> Case:
    values = dict(
        incident_date=date(2026, 11, 1),
        report_date=date(2026, 11, 2),
        location="Mill",
        category="other",
        platform="other",
        summary="Iets gebeurd",
    )
    values.update(overrides)
    return Case(**values)


def test_reference_format_and_parse():
    assert format_reference(2026, 7) == "2026-0007"
    assert format_reference(2026, 12345) == "2026-12345"
    assert parse_reference(" 2026-0007 ") == (2026, 7)
    with pytest.raises(ValueError, match="Geen geldig kenmerk"):
        parse_reference("26-7")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-11-2026", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("1-2-2026", date(2026, 2, 1)),
    ],
)
def test_user_dates(text, expected):
    assert parse_user_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "2026/11/24", "morgen", ""])
def test_bad_user_dates(text):
    with pytest.raises(ValueError, match="Geen geldige datum"):
        parse_user_date(text)


def test_a_valid_case_has_no_problems():
    assert validate_case(valid(), TODAY, **KNOWN) == {}
    assert validate_case(valid(incident_date=TODAY, report_date=TODAY), TODAY, **KNOWN) == {}


def test_each_rule_names_its_field():
    problems = validate_case(
        valid(
            incident_date=None,
            report_date=None,
            summary="",
            people=[CasePerson("teacher", "x")],
            agreements=[15],
            status="closed",
            parents_informed=False,
            parents_informed_on=date(2026, 11, 3),
        ),
        TODAY,
        **KNOWN,
    )
    assert set(problems) == {
        "incident_date",
        "report_date",
        "summary",
        "people",
        "agreements",
        "closed_on",
        "measures",
        "parents_informed_on",
    }
    assert problems["people"] == "Betrokkene 1: onbekende rol 'teacher'."
    assert problems["parents_informed_on"].startswith("Een datum hoort alleen bij")


def test_open_case_with_closing_date_and_person_without_description():
    problems = validate_case(
        valid(closed_on=date(2026, 11, 5), people=[CasePerson("pupil", " ")]), TODAY, **KNOWN
    )
    assert problems == {
        "closed_on": "Alleen een gesloten incident heeft een sluitingsdatum.",
        "people": "Betrokkene 1: vul een naam of omschrijving in.",
    }
    assert validate_case(valid(people=[CasePerson("pupil", "", "4711")]), TODAY, **KNOWN) == {}


def test_period_presets_follow_the_school_year():
    presets = {code: (label, start, end) for code, label, start, end in period_presets(TODAY)}
    assert presets["this_school_year"] == ("Schooljaar 2026-2027", date(2026, 8, 1), TODAY)
    assert presets["last_school_year"] == (
        "Schooljaar 2025-2026",
        date(2025, 8, 1),
        date(2026, 7, 31),
    )
    assert presets["last_year"][1:] == (date(2025, 1, 1), date(2025, 12, 31))
    spring = {c: (s, e) for c, _l, s, e in period_presets(date(2026, 3, 1), (9, 1))}
    assert spring["this_school_year"] == (date(2025, 9, 1), date(2026, 3, 1))
