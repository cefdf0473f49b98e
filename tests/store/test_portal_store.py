"""What the portal import keeps in the store: the purposes' other names, the column mappings
remembered per set of headers, and the takedowns an import would open."""

from __future__ import annotations

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import Status
from merlet_desk.errors import InputError
from merlet_desk.store import decisions as store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.store.import_mappings import headers_key, remember_mapping, remembered_mapping
from tests.helpers import TODAY, add_consent_school, all_agreements


def test_a_new_database_has_the_default_other_names(db):
    assert "Social media" in purpose_store.get_purpose(db, "social_media").aliases
    assert purpose_store.find_purpose(db, "nieuwsbrief / OUDERAPP").code == "newsletter"
    assert purpose_store.find_purpose(db, "Social-Media").code == "social_media"


def test_other_names_are_cleaned_unique_and_audited(db):
    purpose = purpose_store.set_purpose_aliases(
        db, "press", [" Krant ", "krant", "", "Lokale omroep"]
    )
    assert purpose.aliases == ("Krant", "Lokale omroep")
    entry = db.execute(
        "SELECT old_value, new_value FROM audit_log WHERE record_kind = 'purpose'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert '"Lokale omroep"' in entry[1]
    with pytest.raises(InputError, match="'Website' is al een naam van het doel"):
        purpose_store.set_purpose_aliases(db, "press", ["Website"])
    with pytest.raises(InputError, match="stuurteken"):
        purpose_store.set_purpose_aliases(db, "press", ["Krant\x07"])
    assert purpose_store.get_purpose(db, "press").aliases == ("Krant", "Lokale omroep")
    # a label another purpose uses as other name is taken
    with pytest.raises(InputError, match="Er is al een doel met de naam of code 'Krant'"):
        purpose_store.add_purpose(db, "krant_online", "Krant")


def test_a_mapping_is_remembered_per_set_of_headers(db):
    headers = ["Leerlingnummer", "Social media", "Foto's intern"]
    remember_mapping(db, "consents", headers, {"Foto's intern": "purpose:screens"}, "Magister")
    again = remembered_mapping(db, "consents", ["FOTO'S INTERN", "leerlingnummer", "Social Media"])
    assert again is not None and again.mapping == {"Foto's intern": "purpose:screens"}
    assert remembered_mapping(db, "pupils", headers) is None
    assert remembered_mapping(db, "consents", [*headers, "Opmerking"]) is None
    count = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    remember_mapping(db, "consents", headers, {"Foto's intern": "purpose:screens"}, "Magister")
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count  # no change
    assert headers_key(["B", "a", "b"]) == '["a", "b"]'


def test_takedowns_after_names_only_what_would_newly_open(db):
    add_consent_school(db)
    store.record_decision(db, "1001", "website", rules.GRANTED, rules.PARENT, "M. Broek", TODAY)
    item = item_store.create_item(db, "Open dag", pupil_numbers=["1001", "1005"])
    pub.publish(db, item.id, "website", TODAY, "site", checklist=all_agreements())
    website = purpose_store.get_purpose(db, "website").id
    joelle, sukru = pupil_store.get_pupil(db, "1001"), pupil_store.get_pupil(db, "1005")
    withdrawn = Status(rules.WITHDRAWN, None, None)
    found = takedown_store.takedowns_after(db, TODAY, {(joelle.id, website): withdrawn})
    assert [(t.publication_id, t.pupil.number, t.reason) for t in found] == [
        (pub.publications_of_item(db, item.id)[0].id, "1001", rules.WITHDRAWN)
    ]
    assert takedown_store.open_takedowns(db) == []  # nothing was written
    assert takedown_store.takedowns_after(db, TODAY, {}) == []
    allowed = Status(rules.ALLOWED, None, None)
    assert takedown_store.takedowns_after(db, TODAY, {(sukru.id, website): allowed}) == []
