"""How the store reads the values callers hand it."""

from __future__ import annotations

from datetime import date

import pytest

from merlet_desk.errors import InputError
from merlet_desk.store.values import clean_text, input_date, optional_date, raise_problems


def test_text_is_squeezed_and_dates_are_read_or_refused_in_dutch():
    assert clean_text("  Joëlle \t van den\nBroek ") == "Joëlle van den Broek"
    assert clean_text(None) == ""
    assert input_date("2026-11-24") == input_date(date(2026, 11, 24)) == date(2026, 11, 24)
    with pytest.raises(InputError, match="Onmogelijke geboortedatum: '31-02-2012'"):
        input_date("31-02-2012", "geboortedatum")
    assert optional_date("") is None and optional_date("2026-08-01") == date(2026, 8, 1)


def test_problems_become_one_input_error_listing_them_all():
    raise_problems([])
    with pytest.raises(InputError) as info:
        raise_problems(["Geef het item een titel.", "Onbekende soort 'gif' (foto of video)."])
    assert str(info.value).startswith("Geef het item een titel.")
    assert info.value.problems == [
        "Geef het item een titel.",
        "Onbekende soort 'gif' (foto of video).",
    ]
