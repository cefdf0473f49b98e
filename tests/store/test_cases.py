"""Case log store: references, validation, filters, counts, timeline, evidence, audit."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest

from merlet_desk.domain.cases import Case
from merlet_desk.errors import InputError
from merlet_desk.store import cases as store
from merlet_desk.store import open_database
from tests.helpers import report_case

TODAY = date(2026, 11, 24)


def make_case(**overrides) -> Case:
    """The report case as it is first logged: no measures, parents not informed, no care yet."""
    first_report = dict(
        description="Een leerling kreeg via WhatsApp een bedreigend bericht: <b>Jan</b> & Zn.",
        agreements=[9, 12],
        measures="",
        parents_informed=False,
        parents_informed_on=None,
        victim_care="",
    )
    return report_case(**(first_report | overrides))


def audit_rows(db, kind="case"):
    return [
        dict(zip(["action", "record_id", "old", "new"], r, strict=True))
        for r in db.execute(
            "SELECT action, record_id, old_value, new_value FROM audit_log"
            " WHERE record_kind = ? ORDER BY id",
            [kind],
        )
    ]


# -- references -------------------------------------------------------------------------------


def test_references_count_per_year_of_the_report_date(db):
    first = store.create_case(db, make_case(), today=TODAY)
    second = store.create_case(db, make_case(), today=TODAY)
    older = store.create_case(
        db,
        make_case(incident_date=date(2025, 3, 1), report_date=date(2025, 3, 2)),
        today=TODAY,
    )
    third = store.create_case(db, make_case(), today=TODAY)
    assert [first.reference, second.reference, third.reference] == [
        "2026-0001",
        "2026-0002",
        "2026-0003",
    ]
    assert older.reference == "2025-0001"


def test_a_deleted_reference_is_never_reused(db):
    store.create_case(db, make_case(), today=TODAY)
    second = store.create_case(db, make_case(), today=TODAY)
    store.delete_case(db, second.reference)
    with pytest.raises(InputError):
        store.get_case(db, second.reference)
    assert store.create_case(db, make_case(), today=TODAY).reference == "2026-0003"


def test_two_cases_saved_in_the_same_second_get_different_references(db, monkeypatch):
    monkeypatch.setattr(store, "now_iso", lambda: "2026-11-24T10:00:00")
    a = store.create_case(db, make_case(), today=TODAY)
    b = store.create_case(db, make_case(), today=TODAY)
    assert a.created_at == b.created_at
    assert a.reference != b.reference


def test_two_connections_saving_at_once_get_different_references(db, db_target):
    barrier = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def save():
        conn = open_database(db_target)  # each thread its own connection, as each process has
        try:
            barrier.wait()
            for _ in range(10):
                results.append(store.create_case(conn, make_case(), today=TODAY).reference)
        except BaseException as exc:  # noqa: BLE001 - reported below, from the main thread
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 40 and len(set(results)) == 40
    assert sorted(results) == [f"2026-{n:04d}" for n in range(1, 41)]


# -- validation -------------------------------------------------------------------------------


def problems_of(db, case):
    with pytest.raises(InputError) as info:
        store.create_case(db, case, today=TODAY)
    return "\n".join(info.value.problems)


def test_closed_case_needs_closing_date_and_a_measure(db):
    text = problems_of(db, make_case(status="closed"))
    assert "Gesloten op: Een gesloten incident heeft een sluitingsdatum." in text
    assert (
        "Maatregelen en sancties: Een gesloten incident noemt minstens één genomen maatregel."
        in text
    )
    saved = store.create_case(
        db,
        make_case(status="closed", closed_on=date(2026, 11, 20), measures="Gesprek met ouders"),
        today=TODAY,
    )
    assert saved.status == "closed"


def test_no_date_in_the_future(db):
    text = problems_of(
        db,
        make_case(incident_date=TODAY + timedelta(days=1), report_date=TODAY + timedelta(days=1)),
    )
    assert "Datum incident: De datum van het incident ligt in de toekomst" in text
    assert "Datum melding: De datum van de melding ligt in de toekomst" in text


def test_report_not_before_incident_and_agreements_within_range(db):
    text = problems_of(db, make_case(report_date=date(2026, 11, 1), agreements=[0, 9, 15]))
    assert "Datum melding: De melding kan niet vóór het incident liggen." in text
    assert "Afspraak 0, 15 bestaat niet" in text


def test_unknown_location_category_platform_and_missing_summary(db):
    text = problems_of(
        db, make_case(location="Nijmegen", category="spam", platform="myspace", summary=" ")
    )
    assert "Locatie: Onbekende locatie: Nijmegen." in text
    assert "Categorie: Onbekende categorie: spam." in text
    assert "Platform: Onbekend platform: myspace." in text
    assert "Samenvatting:" in text
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM case_reference_counters").fetchone()[0] == 0


def test_informed_needs_a_date(db):
    text = problems_of(db, make_case(parents_informed=True, police_informed=True))
    assert "Ouders geïnformeerd op: Vul in wanneer de ouders geïnformeerd zijn." in text
    assert "Politie geïnformeerd op: Vul in wanneer de politie geïnformeerd zijn." in text


# -- round trip, update, delete ---------------------------------------------------------------


def test_round_trip_keeps_every_field(db):
    case = make_case(
        measures="Bericht verwijderd\nGesprek met Şükrü Yılmaz",
        parents_informed=True,
        parents_informed_on=date(2026, 11, 4),
        police_informed=True,
        police_informed_on=date(2026, 11, 5),
        press_contact="Geen",
        victim_care="Gesprek met mentor; Zofia Łęcka volgt op",
        status="in_progress",
    )
    saved = store.create_case(db, case, today=TODAY)
    loaded = store.get_case(db, saved.reference)
    for name in (
        "incident_date report_date location category platform summary description people"
        " agreements measures parents_informed parents_informed_on police_informed"
        " police_informed_on press_contact victim_care status closed_on"
    ).split():
        assert getattr(loaded, name) == getattr(case, name), name


def test_update_changes_fields_and_audits_without_text(db):
    saved = store.create_case(db, make_case(), today=TODAY)
    saved.summary = "Nieuwe samenvatting Meryem Boujdaini"
    saved.status = "in_progress"
    saved.agreements = [13]
    store.update_case(db, saved, today=TODAY)
    loaded = store.get_case(db, saved.reference)
    assert loaded.summary == "Nieuwe samenvatting Meryem Boujdaini"
    assert loaded.agreements == [13]
    rows = audit_rows(db)
    assert [r["action"] for r in rows] == ["create", "update"]
    new = json.loads(rows[1]["new"])
    assert new["status"] == "in_progress" and new["changed_text_fields"] == ["summary"]
    assert "Meryem" not in rows[1]["new"] and "Öztürk" not in rows[0]["new"]


def test_delete_audit_holds_reference_and_counts_only(db):
    saved = store.create_case(db, make_case(), today=TODAY)
    store.add_timeline_entry(db, saved.id, date(2026, 11, 5), "conversation", "Gesprek met Jan")
    store.add_evidence(db, saved.id, "bericht.txt", b"Dreigement van Berkay")
    store.delete_case(db, saved.reference)
    delete = audit_rows(db)[-1]
    assert delete["action"] == "delete" and delete["record_id"] == saved.reference
    assert json.loads(delete["old"]) == {
        "reference": saved.reference,
        "people": 2,
        "agreements": 2,
        "timeline": 1,
        "evidence": 1,
    }
    assert delete["new"] is None
    everything = " ".join(
        str(v) for row in db.execute("SELECT old_value, new_value FROM audit_log") for v in row
    )
    for secret in ("Öztürk", "Joëlle", "Dreigend", "Gesprek met Jan", "Berkay", "bericht.txt"):
        assert secret not in everything
    for table in ("case_people", "case_agreements", "case_timeline", "case_evidence"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


# -- filters ----------------------------------------------------------------------------------


@pytest.fixture
def filled(db):
    specs = [
        ("Cuijk", "open", "threatening_message", "whatsapp", date(2026, 1, 10), "Dreigement"),
        ("Grave", "in_progress", "belittling_video", "tiktok", date(2026, 3, 5), "Filmpje"),
        ("Mill", "closed", "belittling_video", "youtube", date(2025, 6, 1), "Video docent"),
        ("Cuijk", "closed", "images_without_consent", "instagram", date(2026, 3, 20), "Foto"),
        ("Grave", "open", "threatening_message", "whatsapp", date(2025, 11, 11), "Appje ÖZTÜRK"),
    ]
    refs = {}
    for location, status, category, platform, when, summary in specs:
        closed = (
            dict(closed_on=when + timedelta(days=3), measures="Gesprek")
            if status == "closed"
            else {}
        )
        case = store.create_case(
            db,
            make_case(
                location=location,
                status=status,
                category=category,
                platform=platform,
                incident_date=when,
                report_date=when,
                summary=summary,
                description=f"Omschrijving {summary}",
                **closed,
            ),
            today=TODAY,
        )
        refs[summary] = case
    store.add_timeline_entry(
        db, refs["Foto"].id, date(2026, 3, 22), "post_removed", "Instagram verwijderde de post"
    )
    return refs


def summaries(db, **kwargs):
    return sorted(row.summary for row in store.list_cases(db, store.CaseFilter(**kwargs)))


def test_each_filter_alone(filled, db):
    assert len(summaries(db)) == 5
    assert summaries(db, location="Cuijk") == ["Dreigement", "Foto"]
    assert summaries(db, status="closed") == ["Foto", "Video docent"]
    assert summaries(db, category="belittling_video") == ["Filmpje", "Video docent"]
    assert summaries(db, platform="whatsapp") == ["Appje ÖZTÜRK", "Dreigement"]
    assert summaries(db, date_from=date(2026, 3, 1)) == ["Filmpje", "Foto"]
    assert summaries(db, date_to=date(2025, 12, 31)) == ["Appje ÖZTÜRK", "Video docent"]
    assert summaries(db, text="öztürk") == ["Appje ÖZTÜRK"]  # case-insensitive beyond ASCII
    assert summaries(db, text="omschrijving video") == ["Video docent"]  # description, all words
    assert summaries(db, text="verwijderde") == ["Foto"]  # timeline text


def test_filters_combined(filled, db):
    assert summaries(db, location="Grave", status="open") == ["Appje ÖZTÜRK"]
    assert summaries(
        db, category="belittling_video", date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    ) == ["Filmpje"]
    assert summaries(db, location="Cuijk", platform="instagram", text="post") == ["Foto"]
    assert summaries(db, location="Mill", status="open") == []


def test_list_row_shows_latest_timeline_entry_and_agreements(filled, db):
    row = store.list_cases(db, store.CaseFilter(text="Foto"))[0]
    assert row.latest_entry == "22-03-2026 Bericht verwijderd: Instagram verwijderde de post"
    assert row.agreements == (9, 12)
    assert row.category_label == "Beeld gepubliceerd zonder toestemming"


def test_counts_per_status_category_and_month(filled, db):
    assert store.count_by_status(db) == {"open": 2, "in_progress": 1, "closed": 2}
    assert store.count_by_status(db, store.CaseFilter(location="Grave", status="open")) == {
        "open": 1,
        "in_progress": 1,
        "closed": 0,
    }
    assert store.count_by_category_and_month(db, "Cuijk", date(2026, 1, 1), date(2026, 12, 31)) == [
        ("2026-01", "threatening_message", 1),
        ("2026-03", "images_without_consent", 1),
    ]
    by_category = store.count_by_category(db, None, date(2026, 1, 1), date(2026, 12, 31))
    assert by_category["belittling_video"] == 1 and by_category["other"] == 0
    assert store.count_by_month(db) == {"2025-06": 1, "2025-11": 1, "2026-01": 1, "2026-03": 2}


# -- timeline and evidence --------------------------------------------------------------------


def test_timeline_entries_in_date_order_with_author(db):
    case = store.create_case(db, make_case(), today=TODAY)
    store.add_timeline_entry(
        db, case.id, date(2026, 11, 6), "sanction", "Schorsing", author="mw. X"
    )
    store.add_timeline_entry(db, case.id, date(2026, 11, 4), "parents_informed")
    entries = store.list_timeline(db, case.id)
    assert [e.kind_label for e in entries] == ["Ouders geïnformeerd", "Sanctie opgelegd"]
    assert entries[1].author == "mw. X"
    with pytest.raises(InputError, match="De stap is niet toegevoegd"):
        store.add_timeline_entry(db, case.id, date(2999, 1, 1), "nonsense")


def test_evidence_round_trip_and_thumbnail(db, tmp_path):
    from PIL import Image

    case = store.create_case(db, make_case(), today=TODAY)
    image_path = tmp_path / "schermafbeelding.png"
    Image.new("RGB", (800, 400), (200, 30, 30)).save(image_path)
    binary = bytes(range(256)) * 1000
    info = store.add_evidence_file(db, case.id, image_path)
    other = store.add_evidence(db, case.id, "export.bin", binary)
    assert store.evidence_bytes(db, info.id) == image_path.read_bytes()
    assert store.evidence_bytes(db, other.id) == binary
    listed = store.list_evidence(db, case.id)
    assert [e.file_name for e in listed] == ["schermafbeelding.png", "export.bin"]
    assert listed[0].is_image and listed[0].thumbnail.startswith(b"\x89PNG")
    with Image.open(__import__("io").BytesIO(listed[0].thumbnail)) as thumb:
        assert max(thumb.size) <= store.THUMBNAIL_SIZE
    assert listed[1].thumbnail is None and listed[1].mime_type == "application/octet-stream"
    store.delete_evidence(db, other.id)
    assert [e.id for e in store.list_evidence(db, case.id)] == [info.id]


def test_evidence_size_limit(db, tmp_path, monkeypatch):
    case = store.create_case(db, make_case(), today=TODAY)
    exact = b"x" * store.MAX_EVIDENCE_BYTES
    assert store.add_evidence(db, case.id, "precies.bin", exact).size == store.MAX_EVIDENCE_BYTES
    with pytest.raises(InputError) as info:
        store.add_evidence(db, case.id, "video.mp4", exact + b"x")
    assert "video.mp4 is 25.0 MB; een bewijsstuk mag hoogstens 25 MB zijn." in str(info.value)
    big = tmp_path / "groot.mov"
    with big.open("wb") as handle:
        handle.truncate(store.MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(InputError, match="hoogstens 25 MB"):
        store.add_evidence_file(db, case.id, big)
    assert len(store.list_evidence(db, case.id)) == 1


# -- editable lists ---------------------------------------------------------------------------


def test_retired_category_keeps_its_cases_but_is_not_offered(db):
    case = store.create_case(db, make_case(category="reputation_harm"), today=TODAY)
    store.retire_category(db, "reputation_harm")
    assert [e.retired for e in store.list_categories(db) if e.code == "reputation_harm"] == [True]
    case.summary = "Bijgewerkt"
    store.update_case(db, case, today=TODAY)  # keeps its retired category
    assert store.get_case(db, case.reference).category == "reputation_harm"
    with pytest.raises(InputError, match="Onbekende categorie"):
        store.create_case(db, make_case(category="reputation_harm"), today=TODAY)
    store.save_category(db, "doxing", "Persoonsgegevens online gezet")
    store.save_platform(db, "discord", "Discord")
    store.save_platform(db, "x", "X")
    assert store.platform_labels(db)["x"] == "X"
    assert store.create_case(
        db, make_case(category="doxing", platform="discord"), today=TODAY
    ).reference
    with pytest.raises(InputError):
        store.save_category(db, "Met Spatie", "")


def test_free_text_takes_percent_and_underscore_literally(db):
    store.create_case(db, make_case(summary="Bericht met 100% zekerheid"), today=TODAY)
    store.create_case(db, make_case(summary="Bericht met 100 procent"), today=TODAY)
    store.create_case(db, make_case(summary="account_naam gelekt"), today=TODAY)
    assert summaries(db, text="100%") == ["Bericht met 100% zekerheid"]
    assert summaries(db, text="100_p") == []  # LIKE would match "100 p"
    assert summaries(db, text="account_naam") == ["account_naam gelekt"]


def test_saving_an_unchanged_case_writes_nothing(db):
    saved = store.create_case(db, make_case(), today=TODAY)
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    again = store.get_case(db, saved.reference)
    store.update_case(db, again, today=TODAY)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
