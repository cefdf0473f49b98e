"""Pupils and purposes in the consent section: the pupil dialog, the purposes dialog, imports
from a file and the PDF exports."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from merlet_desk.domain import consent as rules
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.consent.model import STATE_ROLE
from merlet_desk.ui.consent.pupil_dialog import PupilDialog
from merlet_desk.ui.consent.purposes_dialog import PurposesDialog
from merlet_desk.ui.consent.settings_dialog import ConsentSettingsDialog
from tests.helpers import (
    TODAY,
    add_consent_school,
    dry_run_shown,
    open_register,
    pdf_text,
    register_cell,
    shown_dialog,
    shown_numbers,
    wait_for_register,
)


def headers(section) -> list[str]:
    return [
        section.proxy.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ").replace("- ", "-")
        for c in range(section.proxy.columnCount())
    ]


def test_add_and_edit_a_pupil_by_hand(qtbot, db, db_path, monkeypatch):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.toolbar.add_pupil_action.trigger()
    dialog = shown_dialog(section, PupilDialog)
    # Nothing filled in that could be saved unseen: no birth date, class or location.
    assert dialog.birth_date.text() == ""
    assert dialog.class_name.currentText() == "" and dialog.location.currentIndex() == -1
    assert dialog.save() is False  # empty form
    for problem in (
        "Vul het leerlingnummer in.",
        "Vul de geboortedatum in.",
        "Kies of typ de klas.",
        "Kies de locatie.",
    ):
        assert problem in dialog.error.text()
    dialog.number.setText("2001")
    dialog.first_name.setText("Noor")
    dialog.prefix.setText("de")
    dialog.last_name.setText("Vries")
    dialog.birth_date.setText("17-05-2013")
    assert [dialog.class_name.itemText(i) for i in range(dialog.class_name.count())] == [
        "1A",
        "2C",
        "4B",
        "5H",
    ]
    dialog.class_name.setEditText("1a")  # a known class, typed in lower case
    dialog.location.setCurrentText("Cuijk")
    assert dialog.save() is True
    assert pupil_store.get_pupil(db, "2001").class_name == "1A"
    assert pupil_store.get_pupil(db, "2001").birth_date == date(2013, 5, 17)
    wait_for_register(qtbot, section)
    assert section.model.rowCount() == 7
    section.filters.search.setText("noor")
    assert shown_numbers(section) == ["2001"]

    # Edit: select the row, then "Gekozen leerling bewerken…"; the number cannot change.
    section.table.setCurrentIndex(section.proxy.index(0, 1))
    section.toolbar.edit_pupil_action.trigger()
    dialog = shown_dialog(section, PupilDialog)
    assert dialog.pupil.number == "2001" and dialog.number.isReadOnly()
    assert dialog.birth_date.text() == "17-05-2013"
    # A class the register does not know is added only after a yes.
    asked = []
    answer = iter([False, True])
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text) or next(answer)
    )
    dialog.class_name.setEditText("2Z")
    assert dialog.save() is False
    assert asked == ["Klas 2Z staat nog niet in het register. Als nieuwe klas toevoegen?"]
    assert pupil_store.get_pupil(db, "2001").class_name == "1A"
    assert dialog.save() is True
    assert pupil_store.get_pupil(db, "2001").class_name == "2Z"
    wait_for_register(qtbot, section)
    assert section.proxy.index(0, 2).data() == "2Z"


def test_manage_purposes_rename_add_retire(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.toolbar.purposes_action.trigger()
    dialog = shown_dialog(section, PurposesDialog)
    dialog.list.setCurrentRow([p.code for p in dialog.purposes].index("website"))
    dialog.label.setText("Website en intranet")
    assert dialog.rename() is True
    wait_for_register(qtbot, section)
    assert "Website en intranet" in headers(section)
    dialog.new_code.setText("open_dag")
    dialog.new_label.setText("Open dag")
    assert dialog.add() is True
    wait_for_register(qtbot, section)
    assert headers(section)[-1] == "Open dag"
    dialog.list.setCurrentRow([p.code for p in dialog.purposes].index("press"))
    assert dialog.toggle_retired() is True
    wait_for_register(qtbot, section)
    assert "Pers en externe media" not in headers(section)
    assert "buiten gebruik" in dialog.list.currentItem().text()
    # History stays: website decisions still show under the new name.
    assert register_cell(section, "1003", "website").data(STATE_ROLE) == rules.REFUSED
    # A duplicate code is refused with a message, nothing added.
    dialog.new_code.setText("open_dag")
    dialog.new_label.setText("Nog een open dag")
    assert dialog.add() is False
    assert dialog.error.isVisible() and dialog.error.text()


def write(path, text: str, encoding: str = "utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_import_pupils_then_mark_absent_as_left(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    source = write(
        tmp_path / "leerlingen.csv",
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
        "1001;Joëlle;van den;Broek;{born};2A;Cuijk\n"
        "1003;Zofia;;Łęcka;{born2};1A;Cuijk\n"
        "3001;Meryem;;El Amrani;01-02-2013;1A;Cuijk\n".format(
            born=pupil_store.get_pupil(db, "1001").birth_date.strftime("%d-%m-%Y"),
            born2=pupil_store.get_pupil(db, "1003").birth_date.strftime("%d-%m-%Y"),
        ),
    )
    shown, asked = [], []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: source)
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text) or True
    )
    section.toolbar.import_pupils_action.trigger()
    assert shown == ["Import gelukt: 1 toegevoegd, 1 bijgewerkt (klas 1), 1 ongewijzigd."]
    # Only Cuijk is in the file, so only Cuijk's missing pupil (1006) is offered as left.
    assert asked and asked[0].startswith("1 leerling van Cuijk staat in het register")
    assert pupil_store.get_pupil(db, "1006").left_on == TODAY
    wait_for_register(qtbot, section)
    assert "1006" not in shown_numbers(section)
    assert "3001" in shown_numbers(section)
    assert pupil_store.get_pupil(db, "1001").class_name == "2A"


def test_import_with_bad_rows_shows_every_problem_and_changes_nothing(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    source = write(
        tmp_path / "fout.csv",
        "leerlingnummer,roepnaam,achternaam,geboortedatum,klas,locatie\n"
        "4001,Şükrü,Kaya,31-02-2012,1A,Cuijk\n"
        "4002,Berkay,Demir,01-01-2012,1A,Utrecht\n",
    )
    problems = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: source)
    monkeypatch.setattr(
        dialogs, "show_problems", lambda parent, title, message, items: problems.append(items)
    )
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    section.import_pupils()
    assert len(problems) == 1
    text = "\n".join(problems[0])
    assert "rij 2" in text and "rij 3" in text
    assert section.model.rowCount() == 6
    assert pupil_store.find_pupil(db, "4001") is None


def test_import_without_location_column_asks_for_the_location(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    source = write(
        tmp_path / "grave.csv",
        "stamnr\troepnaam\tachternaam\tgeboortedatum\tstamklas\n5001\tRoos\tJanssen\t2012-04-03\t1E\n",
        encoding="cp1252",
    )
    asked = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: source)
    monkeypatch.setattr(
        dialogs, "choose_item", lambda parent, title, label, items: asked.append(items) or "Grave"
    )
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    section.import_pupils()
    assert asked == [["Cuijk", "Grave", "Mill"]]
    assert pupil_store.get_pupil(db, "5001").location == "Grave"
    assert pupil_store.get_pupil(db, "1002").left_on is None  # declined: nobody marked as left


def test_import_consents_updates_the_grid(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    day = TODAY.strftime("%d-%m-%Y")
    source = write(
        tmp_path / "toestemmingen.csv",
        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum;wijze\n"
        f"1001;website;ja;ouder;M. van den Broek;{day};papier\n"
        f"1001;Jaarboek;nee;ouder;M. van den Broek;{day};email\n",
    )
    shown = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: source)
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    section.toolbar.import_consents_action.trigger()
    assert shown == []  # the dialog shows what the file changes before anything is written
    dry_run_shown(qtbot, section.import_dialog)
    assert "2 nieuwe toestemmingen" not in section.import_dialog.summary_text()
    assert "1 nieuwe toestemming · 1 nieuwe weigering" in section.import_dialog.summary_text()
    section.import_dialog.import_button.click()
    assert shown == ["Import gelukt: 2 besluiten vastgelegd, 0 stonden er al."]
    wait_for_register(qtbot, section)
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.ALLOWED
    assert register_cell(section, "1001", "yearbook").data(STATE_ROLE) == rules.REFUSED


def test_pdf_exports_from_register_check_and_history(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    targets = iter([tmp_path / "overzicht.pdf", tmp_path / "check.pdf", tmp_path / "dossier.pdf"])
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: next(targets))
    monkeypatch.setattr(dialogs, "choose_item", lambda *a: "Cuijk")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a: errors.append(a))

    section.filters.class_filter.setCurrentIndex(section.filters.class_filter.findData("1A"))
    assert section.export_overview() == tmp_path / "overzicht.pdf"

    check = section.open_check()
    check.set_purpose("website")
    check.add_class("1A")
    assert check.export_pdf() == tmp_path / "check.pdf"

    history = section.open_history(
        pupil_store.get_pupil(db, "1003"), purpose_store.get_purpose(db, "website")
    )
    assert history.export_pupil_file() == tmp_path / "dossier.pdf"
    assert errors == []
    for name in ("overzicht.pdf", "check.pdf", "dossier.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")


def test_settings_change_how_decisions_are_read_never_the_decisions(qtbot, db, db_path):
    add_consent_school(db)
    settings_store.save_consent_settings(db, rules.ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    store.record_decision(
        db, "1002", "website", rules.GRANTED, rules.PARENT, "H. Öztürk", TODAY - timedelta(30)
    )
    _, section = open_register(qtbot, db, db_path)
    assert register_cell(section, "1002", "website").data(STATE_ROLE) == rules.ALLOWED_TURNED_16
    section.toolbar.settings_action.trigger()
    dialog = shown_dialog(section, ConsentSettingsDialog)
    assert dialog.until_withdrawn.isChecked()
    assert (dialog.start_day.value(), dialog.start_month.currentText()) == (1, "augustus")
    dialog.pupil_only.setChecked(True)
    before = store.decisions_for(db, "1002")
    assert dialog.save() is True
    assert settings_store.consent_settings(db).pupil_only_from_16 is True
    wait_for_register(qtbot, section)
    assert register_cell(section, "1002", "website").data(STATE_ROLE) == rules.ASK_PUPIL
    assert store.decisions_for(db, "1002") == before


def test_register_overview_offers_all_locations(qtbot, db, db_path, tmp_path, monkeypatch):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    offered = []
    monkeypatch.setattr(
        dialogs,
        "choose_item",
        lambda parent, title, label, items: offered.append(items) or "Alle locaties",
    )
    asked = []
    target = tmp_path / "alle.pdf"
    monkeypatch.setattr(
        dialogs,
        "choose_save_path",
        lambda parent, title, name, *a, **k: asked.append(name) or target,
    )
    assert section.export_overview() == target
    assert offered == [["Cuijk", "Grave", "Mill", "Alle locaties"]]
    assert asked[0].startswith("toestemmingen-alle-locaties-")
    text = pdf_text(target)
    assert "Per locatie: leerlingen en wie in beeld mag" in text and "Berkay Öztürk" in text
