"""The Incidenten section as an officer uses it: list, filters, editor, timeline, evidence."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from merlet_desk.demo import cases as demo
from merlet_desk.domain.cases import CasePerson
from merlet_desk.domain.dates import format_date
from merlet_desk.store import cases as store
from merlet_desk.store import open_database
from merlet_desk.ui.cases.list_model import CaseListModel, CaseSortProxy
from merlet_desk.ui.common import dialogs
from tests.helpers import TODAY, add_case, fail_on_dialogs, open_section, press_key, type_text


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch):
    fail_on_dialogs(
        monkeypatch, "show_error", "show_info", "show_warning", "ask_yes_no", "show_image"
    )


def test_create_a_case_through_the_editor_and_find_it_in_the_list(qtbot, db, db_path):
    window, section = open_section(qtbot, db, db_path, "incidenten")
    qtbot.mouseClick(section.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = section.editor
    assert section.currentWidget() is editor
    assert editor.title.text() == "Nieuw incident"

    incident = TODAY - timedelta(days=3)
    editor.incident_date.clear()
    qtbot.keyClicks(editor.incident_date, format_date(incident))
    qtbot.keyClicks(editor.summary, "Dreigend bericht aan Meryem Boujdaini")
    editor.category.setCurrentIndex(editor.category.findText("Bedreigend bericht"))
    qtbot.keyClicks(editor.description, "Bericht met <b>Jan</b> & Zn in de klassenapp.")
    editor.location.setCurrentIndex(editor.location.findText("Mill"))
    qtbot.mouseClick(editor.people.add_button, Qt.MouseButton.LeftButton)
    editor.people.table.item(0, 1).setText("Zofia Łęcka")
    editor.platform.setCurrentIndex(editor.platform.findText("WhatsApp"))
    # Each agreement says what it is about, not only its number.
    assert editor.agreements.boxes[9].text() == "9 Privacy en toestemming"
    assert editor.agreements.boxes[13].text() == "13 Veilig digitaal klimaat"
    editor.agreements.boxes[9].setChecked(True)
    editor.agreements.boxes[13].setChecked(True)
    qtbot.keyClicks(editor.measures, "Gesprek met de mentor")
    editor.parents_informed.setChecked(True)
    assert editor.parents_informed_on.value() == TODAY

    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    reference = saved.args[0]
    assert reference == f"{TODAY.year}-0001"
    assert editor.title.text() == f"Incident {reference}"
    assert editor.message.text() == f"Opgeslagen als {reference}."

    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    assert section.currentWidget() is section.list_view
    view = section.list_view
    assert view.visible_references() == [reference]
    row = [view.proxy.index(0, c).data() for c in range(view.proxy.columnCount())]
    assert row[:7] == [
        reference,
        format_date(incident),
        "Mill",
        "Bedreigend bericht",
        "WhatsApp",
        "Open",
        "Dreigend bericht aan Meryem Boujdaini",
    ]
    assert view.count_labels["open"].text() == "Open: 1"
    saved_case = store.get_case(db, reference)
    assert saved_case.people == [CasePerson("pupil", "Zofia Łęcka")]
    assert saved_case.agreements == [9, 13]
    assert saved_case.description == "Bericht met <b>Jan</b> & Zn in de klassenapp."


def test_validation_messages_appear_next_to_the_fields(qtbot, db, db_path):
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.new_case()
    editor = section.editor
    editor.incident_date.setText(format_date(TODAY + timedelta(days=2)))
    editor.status.setCurrentIndex(editor.status.findData("closed"))
    editor.closed_on.clear()
    assert editor.save() is False
    assert editor.problem_text("incident_date") == (
        "De datum van het incident ligt in de toekomst; dat kan niet."
    )
    assert editor.problem_text("closed_on") == "Een gesloten incident heeft een sluitingsdatum."
    assert editor.problem_text("measures") == (
        "Een gesloten incident noemt minstens één genomen maatregel."
    )
    assert editor.problem_text("summary") == "Vat in een zin samen wat er gebeurde."
    assert editor.problem_text("location").startswith("Kies een locatie")
    assert editor.problem_text("description") == ""
    assert "Niet opgeslagen" in editor.message.text()
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0

    editor.report_date.setText("31-02-2026")
    editor.save()
    assert "Geen geldige datum" in editor.problem_text("report_date")


def test_a_policy_link_opens_that_agreement_in_beleid(qtbot, db, db_path):
    case = add_case(db, agreements=[9, 12])
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    links = section.editor.agreements.links.text()
    assert 'href="9"' in links and 'href="12"' in links
    section.editor.agreements.links.linkActivated.emit("12")
    assert window.current_section_key() == "beleid"
    policy_view = window.section_widgets["beleid"]
    assert policy_view.current_section().number == 12
    assert "Afspraak 12" in policy_view.current_text() or "12" in policy_view.current_text()


def test_list_model_passes_the_model_tester(qtmodeltester, db):
    demo.fill(db, random.Random(5), 150)
    model = CaseListModel()
    model.set_rows(store.list_cases(db))
    assert model.rowCount() > 20
    qtmodeltester.check(model)
    proxy = CaseSortProxy()
    proxy.setSourceModel(model)
    proxy.sort(5, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    statuses = [proxy.case_row(r).status for r in range(proxy.rowCount())]
    assert statuses == sorted(statuses, key=["open", "in_progress", "closed"].index)


def test_filters_and_sorting_in_the_list(qtbot, db, db_path):
    add_case(db, summary="Eerste", location="Cuijk", platform="instagram")
    add_case(
        db,
        summary="Tweede",
        location="Mill",
        status="closed",
        closed_on=TODAY - timedelta(days=1),
        measures="Bericht verwijderd",
    )
    third = add_case(
        db,
        summary="Derde",
        location="Mill",
        incident_date=TODAY - timedelta(days=400),
        report_date=TODAY - timedelta(days=400),
    )
    store.add_timeline_entry(db, third.id, TODAY, "conversation", "Gesprek met Berkay Öztürk")
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view

    def summaries():
        return [view.proxy.case_row(r).summary for r in range(view.proxy.rowCount())]

    assert summaries() == ["Tweede", "Eerste", "Derde"]  # newest incident first
    view.location.setCurrentIndex(view.location.findText("Mill"))
    assert sorted(summaries()) == ["Derde", "Tweede"]
    assert view.count_labels["closed"].text() == "Gesloten: 1"
    qtbot.mouseClick(view.count_labels["closed"], Qt.MouseButton.LeftButton)
    assert summaries() == ["Tweede"]
    view.clear_filters()
    view.text.setText("öztürk")  # QTest cannot type non-ASCII keys
    qtbot.waitUntil(lambda: summaries() == ["Derde"], timeout=2000)
    assert view.proxy.index(0, 7).data().endswith("Gesprek gevoerd: Gesprek met Berkay Öztürk")
    view.clear_filters()
    view.date_from.setText(format_date(TODAY - timedelta(days=30)))
    qtbot.waitUntil(lambda: sorted(summaries()) == ["Eerste", "Tweede"], timeout=2000)
    view.clear_filters()
    view.platform.setCurrentIndex(view.platform.findText("Instagram"))
    assert summaries() == ["Eerste"]
    view.clear_filters()
    view.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)  # summary
    assert summaries() == ["Derde", "Eerste", "Tweede"]


def test_timeline_and_evidence_in_the_editor(qtbot, db, db_path, tmp_path, monkeypatch):
    from PIL import Image

    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    timeline = section.editor.timeline
    timeline.kind.setCurrentIndex(timeline.kind.findData("post_removed"))
    qtbot.keyClicks(timeline.text, "TikTok heeft de video verwijderd")
    qtbot.keyClick(timeline.text, Qt.Key.Key_Return)
    assert timeline.entries_shown() == [
        (format_date(TODAY), "Bericht verwijderd", "TikTok heeft de video verwijderd")
    ]
    assert section.list_view.model.case_row(0).latest_entry.endswith("verwijderd")

    image = tmp_path / "schermafbeelding.png"
    Image.new("RGB", (640, 360), (30, 60, 200)).save(image)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: image)
    evidence = section.editor.evidence
    assert evidence.choose_and_add()
    assert evidence.file_names() == ["schermafbeelding.png"]
    assert not evidence.list.item(0).icon().isNull()
    shown = {}
    monkeypatch.setattr(
        dialogs, "show_image", lambda parent, title, data: shown.update(t=title, d=data)
    )
    evidence.open_current()
    assert shown == {"t": "schermafbeelding.png", "d": image.read_bytes()}
    copy = tmp_path / "kopie.png"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: copy)
    assert evidence.save_copy()
    assert copy.read_bytes() == image.read_bytes()

    big = tmp_path / "video.mp4"
    with big.open("wb") as handle:
        handle.truncate(store.MAX_EVIDENCE_BYTES + 1)
    errors = []
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *a, **k: big)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    assert not evidence.choose_and_add()
    assert "video.mp4 is 25.0 MB; een bewijsstuk mag hoogstens 25 MB zijn." in errors[0]
    assert evidence.file_names() == ["schermafbeelding.png"]


def test_a_step_parents_informed_ticks_the_field_and_the_pdf_says_the_same(
    qtbot, db, db_path, tmp_path, monkeypatch
):
    """Field and timeline tell one story, in one word: the step "Ouders geïnformeerd" ticks
    "Ouders geïnformeerd, op" with its date, and the PDF says "Ja" with the screen's Stap and
    Toelichting, never "Nee" above that step."""
    from tests.helpers import pdf_text

    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    editor = section.editor
    assert not editor.parents_informed.isChecked()
    timeline = editor.timeline
    headers = [timeline.tree.headerItem().text(i) for i in range(4)]
    assert headers == ["Datum", "Stap", "Toelichting", "Door"]
    timeline.entry_date.set_date(TODAY - timedelta(days=2))
    timeline.kind.setCurrentIndex(timeline.kind.findData("parents_informed"))
    qtbot.keyClicks(timeline.text, "Moeder gebeld")
    qtbot.keyClick(timeline.text, Qt.Key.Key_Return)
    assert editor.parents_informed.isChecked()
    assert editor.parents_informed_on.value() == TODAY - timedelta(days=2)
    assert not editor.police_informed.isChecked()
    assert editor.save()
    assert store.get_case(db, case.reference).parents_informed_on == TODAY - timedelta(days=2)

    target = tmp_path / "incident.pdf"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a, **k: target)
    editor.export_button.click()
    text = pdf_text(target)
    day = format_date(TODAY - timedelta(days=2))
    assert f"Ouders geïnformeerd Ja, op {day}" in text
    assert "Politie geïnformeerd Nee" in text
    assert "Datum Stap Toelichting Door" in text and f"{day} Ouders geïnformeerd Moeder" in text
    assert "Soort" not in text.split("Tijdlijn")[1].split("Bewijsstukken")[0]
    assert "Notitie" not in text


def test_delete_asks_first_and_keeps_the_reference_used(qtbot, db, db_path, monkeypatch):
    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    questions = []
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text: questions.append(text) or False
    )
    assert not section.editor.delete()
    assert case.reference in questions[0]
    assert section.list_view.visible_references() == [case.reference]
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: True)
    assert section.editor.delete()
    assert section.currentWidget() is section.list_view
    assert section.list_view.visible_references() == []
    assert add_case(db).reference.endswith("-0002")


def test_read_only_hides_every_edit(qtbot, db, db_path):
    case = add_case(db)
    db.close()
    ro = open_database(db_path, read_only=True)
    try:
        window, section = open_section(qtbot, ro, db_path, "incidenten", read_only=True)
        assert not section.list_view.new_button.isVisible()
        section.new_case()
        assert section.currentWidget() is section.list_view
        section.open_case(case.reference)
        editor = section.editor
        assert not editor.save_button.isVisible() and not editor.delete_button.isVisible()
        assert editor.summary.isReadOnly() and editor.description.isReadOnly()
        assert not editor.location.isEnabled() and not editor.agreements.boxes[3].isEnabled()
        assert not editor.people.add_button.isVisible()
        assert not editor.timeline.add_row.isVisible()
        assert not editor.evidence.add_button.isVisible()
        assert editor.save() is False
        editor.agreements.links.linkActivated.emit("3")  # reading the policy still works
        assert window.current_section_key() == "beleid"
    finally:
        ro.close()


def test_pupil_number_shows_the_register_name(qtbot, db, db_path):
    window, section = open_section(qtbot, db, db_path, "incidenten")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # typed keys reach the window with the focus
    section.new_case()
    people = section.editor.people
    people.lookup_pupil = lambda number: "Joëlle van den Broek (2B)" if number == "4711" else None
    people.add_empty_row()
    people.table.item(0, 2).setText("4711")
    assert people.table.item(0, 3).text() == "Joëlle van den Broek (2B)"
    people.table.item(0, 2).setText("9999")
    assert people.table.item(0, 3).text() == "niet gevonden"
    assert people.people() == [CasePerson("pupil", "", "9999")]


def test_five_thousand_cases_load_and_filter(qtbot, db, db_path):
    # How long the filter takes is measured by `make bench` (figure 8c), not asserted here.
    demo.fill(db, random.Random(7), 2000)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view
    assert view.model.rowCount() == 5000
    view.location.setCurrentIndex(view.location.findText("Cuijk"))
    in_cuijk = db.execute("SELECT count(*) FROM cases WHERE location = 'Cuijk'").fetchone()[0]
    assert 0 < in_cuijk < 5000
    assert view.model.rowCount() == in_cuijk


def test_tab_order_follows_how_an_officer_learns_about_an_incident(qtbot, db, db_path):
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.new_case()
    editor = section.editor
    wanted = [
        editor.incident_date,
        editor.report_date,
        editor.summary,
        editor.category,
        editor.description,
        editor.location,
        editor.people.table,
        editor.platform,
        editor.agreements.boxes[1],
        editor.measures,
        editor.parents_informed,
        editor.status,
    ]
    order = []
    widget = editor.incident_date
    for _ in range(1000):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(editor):
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is editor.incident_date:
            break
    positions = [next(i for i, w in enumerate(order) if w is want) for want in wanted]
    assert positions == sorted(positions)
    assert editor.summary.text() == "" and editor.report_date.value() == TODAY


def test_categories_and_platforms_are_editable_lists(qtbot, db, db_path):
    old = add_case(db, platform="tiktok")
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view
    view.edit_lists()
    dialog = view.lists_dialog
    qtbot.addWidget(dialog)
    categories = dialog.categories
    categories.start_new()
    categories.label.setText("Persoonsgegevens online gezet (doxing)")
    assert categories.save()
    assert categories.current_entry().code == "persoonsgegevens_online_gezet_doxing"
    platforms = dialog.platforms
    platforms.list.setCurrentRow(
        next(i for i in range(platforms.list.count()) if platforms.list.item(i).text() == "TikTok")
    )
    platforms.toggle_retired()
    assert platforms.list.currentItem().text() == "TikTok (niet meer in gebruik)"
    platforms.start_new()
    platforms.label.setText("")
    assert not platforms.save()
    assert "Omschrijving: vul een omschrijving in." in platforms.error.text()
    dialog.reject()
    assert view.category.findText("Persoonsgegevens online gezet (doxing)") > 0
    assert view.platform.findText("TikTok") > 0  # still a filter: old cases have it

    section.new_case()
    assert section.editor.platform.findText("TikTok") < 0
    assert section.editor.category.findText("Persoonsgegevens online gezet (doxing)") > 0
    section.open_case(old.reference)
    assert section.editor.platform.currentText() == "TikTok"


def test_a_pupil_is_linked_from_the_register_by_type_ahead(qtbot, db, db_path):
    from merlet_desk.store.pupils import save_pupil

    save_pupil(db, "4711", "Joëlle", "van den", "Broek", date(2011, 5, 4), "2B", "Cuijk")
    save_pupil(db, "4712", "Berkay", None, "Öztürk", date(2010, 1, 9), "3A", "Grave")
    window, section = open_section(qtbot, db, db_path, "incidenten")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # typed keys reach the window with the focus
    section.new_case()
    people = section.editor.people
    people.add_empty_row()
    index = people.table.model().index(0, 2)
    people.table.setCurrentIndex(index)
    people.table.edit(index)
    editor = people.table.indexWidget(index) or people.table.focusWidget()
    qtbot.keyClicks(editor, "ozturk")  # accents ignored, as in every search box
    assert editor.shown_choices() == ["4712 — Berkay Öztürk (3A, Grave)"]
    editor.clear()
    editor.setFocus()
    type_text(editor, "broek")
    assert editor.shown_choices() == ["4711 — Joëlle van den Broek (2B, Cuijk)"]
    press_key(editor, Qt.Key.Key_Return)  # picks the suggestion: the number, edit done
    assert people.table.item(0, 2).text() == "4711"
    assert people.table.item(0, 3).text() == "Joëlle van den Broek (2B)"
    assert people.people() == [CasePerson("pupil", "", "4711")]


def test_evidence_by_paste_and_drop(qtbot, db, db_path, tmp_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QImage

    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    evidence = section.editor.evidence
    shot = QImage(320, 200, QImage.Format.Format_RGB32)
    shot.fill(QColor("#3366cc"))
    QGuiApplication.clipboard().setImage(shot)
    assert evidence.paste()
    [pasted] = store.list_evidence(db, case.id)
    assert pasted.file_name.startswith("schermafbeelding-") and pasted.mime_type == "image/png"
    assert QImage.fromData(store.evidence_bytes(db, pasted.id)).size() == shot.size()

    note = tmp_path / "verslag <b>Jan & Zn.txt"
    note.write_text("Verslag van het gesprek", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    evidence.dropEvent(drop)
    assert evidence.file_names()[-1] == "verslag <b>Jan & Zn.txt"
    assert store.evidence_bytes(db, store.list_evidence(db, case.id)[-1].id) == note.read_bytes()

    QGuiApplication.clipboard().setText("alleen tekst")
    told = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: told.append(text))
    assert not evidence.paste()
    assert told == ["Het klembord bevat geen afbeelding of bestand om toe te voegen."]
    assert len(store.list_evidence(db, case.id)) == 2


def test_user_text_is_never_rendered_as_markup(qtbot, db, db_path):
    add_case(db, summary="Post met <b>Jan</b> & Zn")
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view
    assert view.proxy.index(0, 6).data() == "Post met <b>Jan</b> & Zn"
    tooltip = view.proxy.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Jan&lt;/b&gt; &amp; Zn" in tooltip
    section.new_case()
    section.editor.incident_date.setText("<b>gisteren</b>")
    section.editor.save()
    error = section.editor.fields["incident_date"].error
    assert error.textFormat() == Qt.TextFormat.PlainText
    assert "'<b>gisteren</b>'" in error.text()


def test_period_presets_fill_the_dates_and_filter(qtbot, db, db_path):
    add_case(db, summary="Recent")
    add_case(
        db,
        summary="Oud",
        incident_date=TODAY - timedelta(days=200),
        report_date=TODAY - timedelta(days=200),
    )
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view
    index = next(
        i
        for i in range(view.period.count())
        if (view.period.itemData(i) or ("",))[0] == "last_30_days"
    )
    view.period.setCurrentIndex(index)
    assert view.date_from.value() == TODAY - timedelta(days=30)
    assert view.date_to.value() == TODAY
    assert [view.proxy.case_row(r).summary for r in range(view.proxy.rowCount())] == ["Recent"]
    view.date_from.clear()
    view.date_from.textEdited.emit("")
    assert view.period.currentIndex() == 0
    view.clear_filters()
    assert view.proxy.rowCount() == 2


def test_unsaved_changes_are_known_to_the_section(qtbot, db, db_path, monkeypatch):
    case = add_case(db)
    window, section = open_section(qtbot, db, db_path, "incidenten")
    section.open_case(case.reference)
    assert not section.has_unsaved_changes()
    section.editor.summary.setText("Aangepaste samenvatting")
    assert section.has_unsaved_changes()
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: False)
    assert not section.editor.request_close()
    assert section.currentWidget() is section.editor
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a: True)
    assert section.editor.request_close()
    assert section.currentWidget() is section.list_view
    assert store.get_case(db, case.reference).summary == "Filmpje over een docent"


def test_a_case_opens_by_double_click_or_enter(qtbot, db, db_path):
    older = add_case(db, summary="Filmpje over Berkay Öztürk")
    newer = add_case(db, summary="Dreigende app aan Zofia Łęcka", location="Mill")
    window, section = open_section(qtbot, db, db_path, "incidenten")
    view = section.list_view
    opened = []
    view.openRequested.connect(opened.append)
    row = [view.proxy.case_row(r).reference for r in range(view.proxy.rowCount())].index(
        older.reference
    )
    rect = view.table.visualRect(view.proxy.index(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [older.reference]  # once, not once per signal
    assert section.currentWidget() is section.editor
    assert section.editor.summary.text() == "Filmpje over Berkay Öztürk"

    section.show_list()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    row = [view.proxy.case_row(r).reference for r in range(view.proxy.rowCount())].index(
        newer.reference
    )
    view.table.setCurrentIndex(view.proxy.index(row, 1))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [older.reference, newer.reference]
    assert section.editor.summary.text() == "Dreigende app aan Zofia Łęcka"
