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
from merlet_desk.store import consent as store
from merlet_desk.store import publications as pub_store
from merlet_desk.store.audit_query import CSV_HEADER, audit_entries

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # taken_down_on, pupil_only_from_16, in_progress


def shown(db) -> list[tuple[str, ...]]:
    return [entry.row() for entry in audit_entries(db)]


def test_every_field_and_value_of_the_demo_log_is_in_words(db):
    fill_demo(db, 150)
    store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1B", "Cuijk")
    store.record_decision(
        db, "9001", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", date(2026, 11, 1)
    )
    store.save_consent_settings(
        db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN, school_year_start=(8, 15))
    )
    # A publication kept up after a withdrawal, on any day the suite runs (the demo's own
    # depend on where the school year stands).
    publication_id, item_id = db.execute(
        "SELECT pb.id, pb.item_id FROM publications pb"
        " WHERE EXISTS (SELECT 1 FROM publication_item_pupils ip WHERE ip.item_id = pb.item_id)"
        " ORDER BY pb.id LIMIT 1"
    ).fetchone()
    in_it = pub_store.item_pupils(db, item_id)[0]
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
    store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1A", "Cuijk")
    store.save_pupil(db, "9001", "Zofia", "", "Łęcka", "2012-01-02", "1B", "Cuijk")
    change = next(row for row in shown(db) if row[2] == "gewijzigd" and row[3] == "leerling")
    assert change[4:] == ("9001", "klas: 1A", "klas: 1B")
