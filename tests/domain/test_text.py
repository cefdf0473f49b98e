"""Counts as readers see them: one number format and correct singular or plural (issue 15)."""

from __future__ import annotations

from merlet_desk.domain.text import count_text, number_text


def test_numbers_have_a_dot_for_thousands():
    assert [number_text(n) for n in (0, 7, 999, 1000, 2000, 7724, 1234567)] == [
        "0",
        "7",
        "999",
        "1.000",
        "2.000",
        "7.724",
        "1.234.567",
    ]


def test_one_is_singular_and_everything_else_plural():
    one, many = "1 leerling mag niet in beeld", "%1 leerlingen mogen niet in beeld"
    assert count_text(1, one, many) == "1 leerling mag niet in beeld"
    assert count_text(0, one, many) == "0 leerlingen mogen niet in beeld"
    assert count_text(2000, one, many) == "2.000 leerlingen mogen niet in beeld"


def test_the_number_may_stand_anywhere_in_either_form():
    assert count_text(1, "Op de foto: %1 leerling", "Op de foto: %1 leerlingen") == (
        "Op de foto: 1 leerling"
    )
    assert count_text(3, "één pagina", "%1 pagina's") == "3 pagina's"
