"""What a read stack records: the rules printed on the form and the rules of the register.

- "Geen kruisje betekent geen toestemming": an empty row on a signed form is recorded as no
  consent (refused), so an earlier grant no longer counts.
- Two copies of one form in one stack that read differently: neither is recorded without a
  person; the person records one, the other is then a duplicate.
- A form recorded meanwhile by another window or command is a duplicate, per page, and the
  run goes on (the window's path: `record_certain` and `record_page` on its own connection).
"""

from __future__ import annotations

import pytest

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain import paper_form as layout
from merlet_desk.imports import scans
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import open_database
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store import statuses as store
from tests.helpers import PAPER_RECEIVED, PAPER_TODAY, paper_school
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed(PAPER_TODAY):
        yield


def state(db, number, purpose):
    return store.status_of(db, number, purpose, PAPER_TODAY.date()).state


def test_an_empty_row_on_a_signed_form_is_no_consent(db, tmp_path):
    paper_school(db)
    decision_store.record_decision(
        db, "1001", "website", rules.GRANTED, rules.PARENT, "Anna van den Broek", "2026-09-05"
    )
    assert state(db, "1001", "website") == rules.ALLOWED
    _, pdf = issue(db, ["1001"], tmp_path)
    path = scan_to(tmp_path / "leeg.png", pdf, 0, [layout.LEEG, layout.JA, layout.NEE])
    [page] = scans.read_stack(db, [path])
    assert page.certain and page.outcomes[0] == layout.LEEG

    assert scans.record_certain(db, [page]) == (1, 3)
    assert state(db, "1001", "website") == rules.REFUSED
    latest = decision_store.decisions_for(db, "1001", "website")[-1]
    assert (latest.decision, latest.method, latest.received_on) == (
        rules.REFUSED,
        "paper",
        PAPER_RECEIVED,
    )
    assert [line for line in scans.describe(page) if "Website" in line] == [
        "    Website van de school: leeg (geen toestemming) 1,00"
    ]


def test_two_copies_of_one_form_that_differ_both_go_to_a_person(db, tmp_path):
    paper_school(db)
    _, pdf = issue(db, ["1001", "1003"], tmp_path)
    ja = scan_to(tmp_path / "ja.png", pdf, 0, [layout.JA, layout.JA, layout.JA])
    zofia = scan_to(tmp_path / "zofia.png", pdf, 1, [layout.NEE, layout.NEE, layout.JA])
    nee = scan_to(tmp_path / "nee.png", pdf, 0, [layout.JA, layout.NEE, layout.JA], seed=8)
    pages = scans.read_stack(db, [ja, zofia, nee])
    first, other, second = pages
    assert first.reading.certain and second.reading.certain  # each copy reads clearly
    assert not first.certain and not second.certain
    assert "pagina 3" in first.message and "pagina 1" in second.message
    assert "Sociale-media-accounts van de school" in first.message

    assert scans.record_certain(db, pages) == (1, 3)  # only Zofia's form
    assert other.scan_id is not None and first.scan_id is None and second.scan_id is None
    assert decision_store.decisions_for(db, "1001") == []

    # A person looks at both and records the one that holds the parent's choice.
    scans.record_page(db, second)
    assert state(db, "1001", "social_media") == rules.REFUSED
    with pytest.raises(Exception, match="al eerder verwerkt"):
        scans.record_page(db, first)
    assert first.status == forms_store.FORM_DUPLICATE
    assert len(decision_store.decisions_for(db, "1001")) == 3


def test_two_identical_copies_record_once(db, tmp_path):
    paper_school(db)
    _, pdf = issue(db, ["1001"], tmp_path)
    one = scan_to(tmp_path / "a.png", pdf, 0, [layout.JA, layout.NEE, layout.JA])
    two = scan_to(tmp_path / "b.png", pdf, 0, [layout.JA, layout.NEE, layout.JA], seed=9)
    first, second = scans.read_stack(db, [one, two])
    assert first.certain and second.status == scans.IN_BATCH
    assert scans.record_certain(db, [first, second]) == (1, 3)


def test_a_form_recorded_meanwhile_elsewhere_is_a_duplicate_and_the_run_goes_on(
    db, db_path, tmp_path
):
    """The window read the stack; meanwhile a scheduled import-scans recorded one of its forms.
    "Alle zekere formulieren vastleggen" then reports that page and records the rest."""
    paper_school(db)
    _, pdf = issue(db, ["1001", "1002", "1003"], tmp_path)
    paths = [
        scan_to(tmp_path / f"{i}.png", pdf, i, [layout.JA, layout.NEE, layout.JA]) for i in range(3)
    ]
    window_pages = scans.read_stack(db, paths)
    assert all(page.certain for page in window_pages)

    other = open_database(db_path)  # the command line, its own connection
    try:
        [theirs] = scans.read_stack(other, [paths[1]])
        scans.record_page(other, theirs)
    finally:
        other.close()

    assert scans.record_certain(db, window_pages) == (2, 6)
    first, second, third = window_pages
    assert first.scan_id is not None and third.scan_id is not None
    assert second.scan_id is None and second.status == forms_store.FORM_DUPLICATE
    assert "al eerder verwerkt" in second.message
    assert second.as_json()["status"] == "duplicate"
    assert db.execute("SELECT count(*) FROM form_scans").fetchone()[0] == 3
    assert len(decision_store.decisions_for(db, "1002")) == 3

    # And a page a person accepts (Enter) that was recorded meanwhile says so, nothing raised
    # past the dialog's message.
    with pytest.raises(Exception, match="al eerder verwerkt"):
        scans.record_page(db, second)


def test_a_form_recorded_by_another_process_just_before_the_write_is_a_duplicate(
    db, db_path, tmp_path
):
    """The narrow race: the other process commits the same form right before this connection
    starts its write transaction. Before, the UNIQUE constraint on form_scans.form_id escaped
    to the window's error hook (and made the command line exit 2 without its report)."""
    paper_school(db)
    _, pdf = issue(db, ["1001", "1003"], tmp_path)
    paths = [
        scan_to(tmp_path / f"{i}.png", pdf, i, [layout.NEE, layout.NEE, layout.JA])
        for i in range(2)
    ]
    pages = scans.read_stack(db, paths)
    other = open_database(db_path)
    [theirs] = scans.read_stack(other, [paths[0]])
    real_atomic = db.atomic
    raced = []

    def atomic_after_the_other_wrote():
        if not raced:  # the first write transaction of this connection
            raced.append(scans.record_page(other, theirs))
        return real_atomic()

    db.atomic = atomic_after_the_other_wrote
    try:
        assert scans.record_certain(db, pages) == (1, 3)
    finally:
        del db.atomic
        other.close()
    assert raced and pages[0].status == forms_store.FORM_DUPLICATE and pages[0].error is None
    assert pages[1].scan_id is not None
    assert db.execute("SELECT count(*) FROM form_scans").fetchone()[0] == 2
    assert len(decision_store.decisions_for(db, "1001")) == 3
