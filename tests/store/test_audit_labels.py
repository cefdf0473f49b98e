"""The audit log in words (issue 15): the screen a privacy officer or an auditor reads shows a
Dutch label for every field and value, never `taken_down_on`, `reason: expired` or "Record"."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from merlet_desk.demo import fill_demo
from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.store import cases as case_store
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.audit_query import CSV_HEADER, audit_entries

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # taken_down_on, pupil_only_from_16, in_progress


def shown(db) -> list[tuple[str, ...]]:
    return [entry.row() for entry in audit_entries(db)]


def test_every_field_and_value_of_the_demo_log_is_in_words(db):
    fill_demo(db, 150)
    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1B", "Cuijk")
    store.record_decision(
        db, "9001", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", date(2026, 11, 1)
    )
    settings_store.save_consent_settings(
        db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN, school_year_start=(8, 15))
    )
    # A publication kept up after a withdrawal, on any day the suite runs (the demo's own
    # depend on where the school year stands).
    publication_id, item_id = db.execute(
        "SELECT pb.id, pb.item_id FROM publications pb"
        " WHERE EXISTS (SELECT 1 FROM publication_item_pupils ip WHERE ip.item_id = pb.item_id)"
        " ORDER BY pb.id LIMIT 1"
    ).fetchone()
    in_it = item_store.item_pupils(db, item_id)[0]
    pub_store.keep_publication(
        db,
        publication_id,
        in_it.number,
        rules.WITHDRAWN,
        date(2026, 11, 2),
        "Oud nieuws & <archief>",
    )
    case = case_store.get_case(db, case_store.list_cases(db)[0].reference)
    case_store.update_case(db, replace(case, summary=case.summary + " (bijgewerkt)"))
    assert CSV_HEADER[4] == "Betreft"
    rows = shown(db)
    codes = sorted({code for row in rows for cell in row[2:] for code in CODE.findall(cell)})
    assert codes == []
    text = "\n".join(" | ".join(row) for row in rows)
    for expected in (
        "offline gehaald op: ",
        "reden: toestemming ingetrokken",
        "stand van de toestemming: ",
        "doel: Website van de school",
        "besluit: geweigerd, gegeven door: ouder",
        "| begin van het schooljaar | 1 augustus | 15 augustus",
        "| geldigheid van een besluit | per schooljaar | tot intrekking",
        "| instellingen van de school gecontroleerd | ",
        "gewijzigde teksten: samenvatting",
        "soort: foto",
    ):
        assert expected in text, expected


def test_a_changed_record_shows_only_what_changed(db):
    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1B", "Cuijk")
    change = next(row for row in shown(db) if row[2] == "gewijzigd" and row[3] == "leerling")
    assert change[4:] == ("Zofia Łęcka (9001)", "klas: 1A", "klas: 1B")


def test_entries_name_the_pupil_and_the_thing_not_a_code_or_an_id(db):
    """ "form_scan", "consent_form" and a decision's row id ("23775") become words and the
    pupil it is about; a publication is its photo and purpose, a step its incident."""
    from merlet_desk.store import paper_forms
    from merlet_desk.store.audit import record_change
    from tests.helpers import add_case

    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    pupil_store.save_pupil(db, "9002", "Berkay", "", "Öztürk", "2012-03-04", "1A", "Cuijk")
    decision = store.record_decision(
        db, "9001", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", date(2026, 11, 1)
    )
    pupils = [pupil_store.get_pupil(db, n) for n in ("9001", "9002")]
    purposes = paper_forms.form_purposes(db, ["website"])
    paper_forms.issue_forms(db, pupils, purposes, date(2026, 11, 2))
    paper_forms.issue_forms(db, pupils[1:], purposes, date(2026, 11, 2))
    # What recording a scanned form writes (store.paper_forms.record_scan).
    record_change(
        db,
        "create",
        "form_scan",
        7,
        None,
        {"form": "F000001", "pupil": "9001", "decisions": [decision.id], "source": "stapel.pdf"},
    )
    item = item_store.create_item(db, "Sportdag 1A", pupil_numbers=["9002"])
    case = add_case(db)
    case_store.add_timeline_entry(db, case.id, case.report_date, "conversation", "Gesprek")

    rows = shown(db)
    about = {(row[2], row[3], row[4]) for row in rows}
    assert ("aangemaakt", "besluit", "Zofia Łęcka (9001)") in about
    assert ("aangemaakt", "gescand formulier", "Zofia Łęcka (9001)") in about
    assert ("aangemaakt", "papieren formulier", "2 leerlingen") in about
    assert ("aangemaakt", "papieren formulier", "Berkay Öztürk (9002)") in about
    assert ("aangemaakt", "foto of video", "Sportdag 1A") in about
    assert ("aangemaakt", "stap van een incident", f"incident {case.reference}") in about
    assert str(decision.id) not in {row[4] for row in rows}
    scan = next(row for row in rows if row[3] == "gescand formulier")
    assert scan[6] == (
        "besluiten: 1, formulier: F000001, leerling: Zofia Łęcka (9001), bron: stapel.pdf"
    )
    forms = next(row for row in rows if row[4] == "2 leerlingen")
    assert "leerlingen: Zofia Łęcka (9001), Berkay Öztürk (9002)" in forms[6]
    assert "afgedrukt op: 02-11-2026" in forms[6]
    photo = next(row for row in rows if row[4] == "Sportdag 1A")
    assert "leerlingen: Berkay Öztürk (9002)" in photo[6]
    codes = sorted({code for row in rows for cell in row[2:] for code in CODE.findall(cell)})
    assert codes == []
    assert item.id


def test_filter_by_pupil_keeps_every_entry_about_them_and_no_other(db):
    from merlet_desk.store import paper_forms
    from merlet_desk.store.audit_query import AuditFilter

    pupil_store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    pupil_store.save_pupil(db, "9002", "Berkay", "", "Öztürk", "2012-03-04", "1A", "Cuijk")
    pupil_store.save_pupil(db, "90011", "Meryem", "", "Boujdaini", "2012-03-04", "1A", "Cuijk")
    store.record_decision(
        db, "9001", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", date(2026, 11, 1)
    )
    store.record_decision(
        db, "90011", "website", rules.REFUSED, rules.PARENT, "F. Boujdaini", date(2026, 11, 1)
    )
    paper_forms.issue_forms(
        db,
        [pupil_store.get_pupil(db, "9001"), pupil_store.get_pupil(db, "9002")],
        paper_forms.form_purposes(db, ["website"]),
        date(2026, 11, 2),
    )
    item_store.create_item(db, "Sportdag 1A", pupil_numbers=["9002", "9001"])
    item_store.create_item(db, "Open dag", pupil_numbers=["9002"])
    entries = audit_entries(db, AuditFilter(pupil="9001"))
    assert sorted((e.kind_label, e.record_display) for e in entries) == [
        ("besluit", "Zofia Łęcka (9001)"),
        ("foto of video", "Sportdag 1A"),
        ("leerling", "Zofia Łęcka (9001)"),
        ("papieren formulier", "2 leerlingen"),
    ]
