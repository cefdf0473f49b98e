"""The import dialogs: Toestemmingen importeren (a parent portal's export: columns with the
guessed purpose, the first rows as read, the dry run with the publications that must come
down) and the pupils' mapping step; remembered per set of headers; example files."""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl import Workbook

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.imports import import_consents, import_pupils
from merlet_desk.imports.consents import IGNORE, purpose_target
from merlet_desk.store import decisions as store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import takedowns as takedown_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.consent.decision_dialog import DecisionDialog
from merlet_desk.ui.consent.model import STATE_ROLE
from merlet_desk.ui.consent.purposes_dialog import PurposesDialog
from tests.helpers import (
    TODAY,
    add_consent_school,
    all_agreements,
    dry_run_shown,
    dump_tables,
    open_register,
    register_cell,
    settled_today,
    wait_for_register,
)


def export_text(today: date) -> str:
    """A portal export whose answers were last changed the day before `today`."""
    day = f"{today - timedelta(days=1):%d-%m-%Y}"
    return (
        "Leerlingnummer;Roepnaam;Achternaam;Toestemming website;Social media;Foto's intern;"
        "Laatst gewijzigd\n"
        f"1001;Joëlle;Broek;Ja;Nee;Ja;{day}\n"
        f"1003;Zofia;Łęcka;Akkoord;✓;;{day}\n"
        f"1006;Jan;<b>Jan</b> & Zn;Ja;Niet akkoord;misschien;{day}\n"
    )


def export_file(tmp_path, text=None, name="ouderportaal.csv"):
    path = tmp_path / name
    path.write_text(export_text(clock.today()) if text is None else text, encoding="utf-8")
    return path


def open_import(qtbot, db, db_path, monkeypatch, path):
    _, section = open_register(qtbot, db, db_path)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: path)
    section.toolbar.import_consents_action.trigger()
    return section, dry_run_shown(qtbot, section.import_dialog)


def test_columns_preview_and_dry_run_before_anything_is_written(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    today = settled_today(monkeypatch)
    add_consent_school(db)
    item = item_store.create_item(db, "Kerstgala & <band>", pupil_numbers=["1006"])
    pub.publish(db, item.id, "social_media", today, "instagram", checklist=all_agreements())
    before = dump_tables(db)
    section, dialog = open_import(qtbot, db, db_path, monkeypatch, export_file(tmp_path))
    targets = dict(zip(dialog.table.header, (c.currentData() for c in dialog.combos), strict=True))
    assert targets["Toestemming website"] == purpose_target("website")  # by its other name
    assert targets["Social media"] == purpose_target("social_media")
    assert targets["Foto's intern"] == ""  # nobody says what it is
    assert "onbekende kolommen 'Foto's intern'" in dialog.summary_text()
    assert not dialog.import_button.isEnabled()

    dialog.choose("Foto's intern", purpose_target("screens"))
    dry_run_shown(qtbot, dialog)
    assert "onbekende waarde 'misschien'" in dialog.summary_text()  # row 4, as it is read
    assert dialog.preview_rows()[2][-2] == "⚠ misschien"
    dialog.choose("Foto's intern", IGNORE)
    dry_run_shown(qtbot, dialog)
    assert dialog.import_button.isEnabled()
    assert dialog.preview_rows()[0] == [
        "2",
        "1001 Joëlle van den Broek",
        "ja",
        "nee",
        f"{today - timedelta(days=1):%d-%m-%Y}",
    ]
    summary = dialog.summary_text()
    # 1003's website (refused today) and 1006's social media (granted today) are newer than
    # the file's answers of yesterday: conflicts; 1006's website: granted already, unchanged
    assert (
        "2 nieuwe toestemmingen · 1 nieuwe weigering · 0 intrekkingen · 1 ongewijzigd · "
        "2 conflicten · 0 onbekende leerlingen"
    ) in summary
    assert "Jan <b>Jan</b> & Zn (1006), Sociale-media-accounts van de school: bestand nee" in (
        summary
    )
    assert dump_tables(db) == before  # nothing written yet

    shown = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    dialog.import_button.click()
    assert shown == [
        "Import gelukt: 3 besluiten vastgelegd, 1 stond er al. 2 antwoorden zijn niet "
        "overgenomen: het register heeft een nieuwer besluit. Kijk ze na in het register."
    ]
    wait_for_register(qtbot, section)
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.ALLOWED
    assert register_cell(section, "1001", "social_media").data(STATE_ROLE) == rules.REFUSED


def test_the_dry_run_names_the_publications_that_must_come_down(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    today = settled_today(monkeypatch)
    add_consent_school(db)
    for number in ("1001", "1003"):
        store.record_decision(
            db, number, "social_media", rules.GRANTED, rules.PARENT, "Ouder", today - timedelta(5)
        )
    item = item_store.create_item(db, "Sportdag & <estafette>", pupil_numbers=["1001", "1003"])
    pub.publish(
        db, item.id, "social_media", today - timedelta(4), "insta", checklist=all_agreements()
    )
    text = f"Stamnr;Social media;Laatst gewijzigd\n1001;Nee;{today:%d-%m-%Y}\n"
    _, dialog = open_import(qtbot, db, db_path, monkeypatch, export_file(tmp_path, text))
    summary = dialog.summary_text()
    assert "1 intrekking" in summary
    assert "Deze publicaties moeten daarna offline (Te verwijderen):" in summary
    assert "Sportdag & <estafette> — Sociale-media-accounts van de school" in summary
    assert "Joëlle van den Broek" in summary and "Łęcka" not in summary
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    dialog.import_button.click()
    assert [t.pupil.number for t in takedown_store.open_takedowns(db)] == ["1001"]


def test_the_mapping_is_remembered_so_next_weeks_file_maps_itself(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    add_consent_school(db)
    _, dialog = open_import(qtbot, db, db_path, monkeypatch, export_file(tmp_path))
    dialog.choose("Foto's intern", IGNORE)
    dry_run_shown(qtbot, dialog)
    dialog.mapping_name.setText("Magister-export")
    text = export_text(TODAY).replace(";misschien;", ";;")
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    dialog.run_import()
    path = export_file(tmp_path, text, name="volgende-week.csv")
    _, again = open_import(qtbot, db, db_path, monkeypatch, path)
    index = again.table.header.index("Foto's intern")
    assert again.combos[index].currentData() == IGNORE
    assert again.import_button.isEnabled()
    assert "Kolommen gelezen zoals onthouden als 'Magister-export'" in again.summary_text()
    assert again.mapping_name.text() == "Magister-export"


def test_the_history_says_via_het_ouderportaal_import(qtbot, db, db_path, tmp_path):
    add_consent_school(db)
    import_consents(db, export_file(tmp_path, "Stamnr;Website\n1001;Ja\n"))
    pupil = pupil_store.get_pupil(db, "1001")
    dialog = DecisionDialog(db, pupil, purpose_store.get_purpose(db, "website"))
    qtbot.addWidget(dialog)
    assert dialog.history_rows()[-1][4] == "via het ouderportaal (import)"
    store.record_decision(db, "1001", "website", rules.REFUSED, rules.PARENT, "A", TODAY)
    dialog.refresh()
    assert dialog.history_rows()[-1][4] == "Papieren formulier"


def test_purposes_get_their_other_names_in_doelen(qtbot, db):
    dialog = PurposesDialog(db)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow([p.code for p in dialog.purposes].index("screens"))
    assert "Narrowcasting" in dialog.aliases.text()  # from data/purposes.json
    dialog.aliases.setText("Foto's intern; Narrowcasting ;  ")
    assert dialog.save_aliases()
    assert purpose_store.get_purpose(db, "screens").aliases == ("Foto's intern", "Narrowcasting")
    assert purpose_store.find_purpose(db, "FOTO'S INTERN").code == "screens"
    dialog.aliases.setText("Social media")
    assert not dialog.save_aliases()
    assert "al een naam van het doel 'Sociale-media-accounts van de school'" in (
        dialog.error.text()
    )


def test_somtoday_pupil_export_imports_as_it_comes(qtbot, db, db_path, tmp_path, monkeypatch):
    """…,voorvoegsel,achternaam,geboortedatum,stamgroep: no "kolom klas ontbreekt"; without a
    location column the location is asked after the columns were found."""
    _, section = open_register(qtbot, db, db_path)
    path = tmp_path / "somtoday.csv"
    path.write_text(
        "Leerlingnummer,Roepnaam,Voorvoegsel,Achternaam,Geboortedatum,Stamgroep\n"
        "5001,Joëlle,van den,Broek,01-02-2013,1A\n"
        "5002,Berkay,,Öztürk,03-04-2012,2B\n",
        encoding="utf-8",
    )
    asked, shown = [], []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: path)
    monkeypatch.setattr(
        dialogs, "choose_item", lambda p, t, label, items: asked.append(label) or "Mill"
    )
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(dialogs, "show_problems", lambda *a: asked.append(a))
    section.import_pupils()
    assert asked == [
        "Dit bestand heeft geen kolom locatie. Van welke locatie zijn deze leerlingen?"
    ]
    assert shown == ["Import gelukt: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd."]
    joelle = pupil_store.get_pupil(db, "5001")
    assert (joelle.prefix, joelle.class_name, joelle.location) == ("van den", "1A", "Mill")


def test_a_windows_1252_export_warns_and_keeps_the_registers_name(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """Re-importing "Łęcka" from a Windows-1252 file: the officer reads that the file lost
    letters and that the register keeps the name, and what the update changed."""
    header = "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
    first = tmp_path / "leerlingen.csv"
    first.write_text(header + "1003;Zofia;;Łęcka;03-02-2011;2B;Grave\n", encoding="utf-8")
    import_pupils(db, first)
    _, section = open_register(qtbot, db, db_path)
    path = tmp_path / "leerlingen-ansi.csv"
    path.write_bytes(
        (
            header + "1003;Zofia;;Lecka;03-02-2011;3B;Grave\n1004;Joëlle;van den;Broek;"
            "01-05-2012;1A;Cuijk\n"
        ).encode("cp1252")
    )
    shown = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: path)
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    section.import_pupils()
    assert shown == [
        "Import gelukt: 1 toegevoegd, 1 bijgewerkt (klas 1), 0 ongewijzigd.\n\n"
        "Let op: in dit bestand (Windows-1252) ontbreken letters als ę, ł en ş; 1 naam is "
        "daarom niet overgenomen en blijft zoals in het register (Zofia Łęcka). Sla de export "
        "op als CSV (UTF-8) of .xlsx."
    ]
    zofia = pupil_store.get_pupil(db, "1003")
    assert (zofia.name, zofia.class_name) == ("Zofia Łęcka", "3B")


def test_unknown_pupil_columns_open_the_mapping_step(qtbot, db, db_path, tmp_path, monkeypatch):
    _, section = open_register(qtbot, db, db_path)
    path = tmp_path / "eigen.csv"
    header = "Nummer;Voornaam;Familienaam;Geboren;Groep;Vestiging"
    path.write_text(
        f"{header}\n6001;Zofia;Łęcka;29-02-2012;1B;Grave\n6002;Meryem;Boujdaini;01-09-2011;2A;Grave\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: path)
    monkeypatch.setattr(
        dialogs, "show_problems", lambda *a: (_ for _ in ()).throw(AssertionError(a))
    )
    section.import_pupils()
    dialog = section.import_dialog
    assert "kolom leerlingnummer: kolom ontbreekt" in dialog.summary_text()
    assert dialog.preview_rows()[0][1] == "⚠ —"
    for header_text, key in (
        ("Nummer", "number"),
        ("Familienaam", "last_name"),
        ("Geboren", "birth_date"),
        ("Groep", "class_name"),
    ):
        dialog.choose(header_text, key)
    assert dialog.preview_rows()[0] == ["2", "6001", "Zofia Łęcka", "29-02-2012", "1B", "Grave"]
    assert "2 leerlingen gelezen; 2 toegevoegd" in dialog.summary_text()
    shown = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    dialog.import_button.click()
    assert shown == ["Import gelukt: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd."]
    assert pupil_store.get_pupil(db, "6001").name == "Zofia Łęcka"
    # next time the same headers need no mapping step
    path.write_text(f"{header}\n6003;Jan;de Wit;01-01-2012;1B;Grave\n", encoding="utf-8")
    result = import_pupils(db, path)
    assert (result.added, result.unchanged) == (1, 0)


def test_a_workbook_with_several_sheets_asks_which(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    workbook = Workbook()
    workbook.active.title = "Uitleg"
    workbook.active.append(["Dit is de export van het ouderportaal"])
    sheet = workbook.create_sheet("Export")
    sheet.append(["Leerlingnummer", "Website"])
    sheet.append([1001, "Ja"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    asked = []
    monkeypatch.setattr(
        dialogs, "choose_item", lambda p, t, label, items: asked.append(items) or "Export"
    )
    _, dialog = open_import(qtbot, db, db_path, monkeypatch, path)
    assert asked == [["Uitleg", "Export"]]
    assert dialog.table.sheet == "Export"
    assert "1 nieuwe toestemming" in dialog.summary_text()


def test_example_files_import_back(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    _, dialog = open_import(qtbot, db, db_path, monkeypatch, export_file(tmp_path))
    targets = iter([tmp_path / "portaal-voorbeeld", tmp_path / "besluit-voorbeeld.csv"])
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: next(targets))
    wide = dialog.save_example()
    long = dialog.save_long_example()
    assert wide == tmp_path / "portaal-voorbeeld.csv"
    assert wide.read_bytes().startswith(b"\xef\xbb\xbfLeerlingnummer;Roepnaam;Achternaam;")
    # The pupils of the examples, then their consents in both shapes, import without a problem.
    monkeypatch.setattr(
        dialogs, "choose_item", lambda *a: "Leerlingen (export uit Magister of SOMtoday)"
    )
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: tmp_path / "leerlingen.csv")
    section = dialog.parent()
    pupils = section.save_example_file()
    assert import_pupils(db, pupils).added == 4
    assert import_consents(db, wide, dry_run=True).added == 24  # 4 × 7, 4 left empty
    assert import_consents(db, long, dry_run=True).added == 3


def test_one_problem_is_not_repeated_under_details(qtbot):
    box = dialogs.problems_box(None, "Leerlingen importeren", "niet geïmporteerd", ["één regel"])
    qtbot.addWidget(box)
    assert box.detailedText() == ""
    many = [f"rij {n}: fout" for n in range(2, 40)]
    longer = dialogs.problems_box(None, "Leerlingen importeren", "niet geïmporteerd", many)
    qtbot.addWidget(longer)
    assert longer.detailedText().count("\n") == len(many) - 1


def test_the_dry_run_runs_on_a_worker_and_only_the_newest_choice_is_shown(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """A big portal export is checked off the GUI thread: the dialog opens at once, says it
    is checking, lets nothing be imported meanwhile, and a newer choice of columns replaces
    the check of the older one."""
    import threading

    from merlet_desk.imports import consents as consent_import

    settled_today(monkeypatch)
    add_consent_school(db)
    before = dump_tables(db)
    real = consent_import.import_consents
    gate = threading.Event()
    threads = []

    def slow(db, path, *, dry_run=False, **options):
        if dry_run:
            threads.append(threading.current_thread())
            assert gate.wait(20)
        return real(db, path, dry_run=dry_run, **options)

    monkeypatch.setattr(consent_import, "import_consents", slow)
    _, section = open_register(qtbot, db, db_path)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: export_file(tmp_path))
    section.toolbar.import_consents_action.trigger()  # returns while the file is still being checked
    dialog = section.import_dialog
    assert dialog.checking is not None
    assert dialog.summary_text() == "Het bestand wordt nagekeken…"
    assert not dialog.import_button.isEnabled()
    assert dialog.run_import() is False
    dialog.choose("Foto's intern", IGNORE)  # a newer choice: the first check is cancelled
    assert not dialog.import_button.isEnabled()
    gate.set()
    dry_run_shown(qtbot, dialog)
    # The first check may be cancelled before its worker reached it; every check that ran,
    # ran on a worker.
    assert threads and threading.main_thread() not in threads
    assert "onbekende kolommen" not in dialog.summary_text()  # the older choice's check
    assert "2 nieuwe toestemmingen" in dialog.summary_text()
    assert dialog.import_button.isEnabled()
    assert dump_tables(db) == before  # the checks wrote nothing


def test_closing_the_import_dialog_while_it_checks_is_safe(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    import threading

    from merlet_desk.imports import consents as consent_import

    add_consent_school(db)
    real = consent_import.import_consents
    gate = threading.Event()

    def slow(db, path, *, dry_run=False, **options):
        gate.wait(20)
        return real(db, path, dry_run=dry_run, **options)

    monkeypatch.setattr(consent_import, "import_consents", slow)
    _, section = open_register(qtbot, db, db_path)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: export_file(tmp_path))
    section.toolbar.import_consents_action.trigger()
    dialog = section.import_dialog
    task = dialog.checking
    dialog.reject()
    assert dialog.checking is None and task.cancelled
    gate.set()
    assert task.wait(20)
    qtbot.wait(50)  # a delivery, had there been one, would have run by now
    assert section.context.tasks.running == []
