"""The register loads on a worker thread, at every size, at first and on every reload.

At 20,000 pupils the register takes about two seconds to read, at 2,000 a fifth of that: one
path serves both. The first time the section shows itself at once, says the register is
loading, holds back the controls that work on rows, and fills the table when the worker is
done. A reload (a pupil, a purpose, an import, a date) keeps the rows and the chosen cell shown
until the new rows replace them.
"""

from __future__ import annotations

import threading

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import statuses as store
from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import tasks
from merlet_desk.ui.consent.model import STATE_ROLE
from tests.helpers import (
    TODAY,
    add_consent_school,
    born_aged,
    deliveries_settled,
    open_register,
    register_cell,
    shown_numbers,
    wait_for_register,
)

WAIT_MS = 20_000


class HeldReader:
    """The worker reads the register, then waits until the test lets it deliver (`go`);
    `hold()` again holds the next read."""

    def __init__(self) -> None:
        self.read, self.go = threading.Event(), threading.Event()

    def hold(self) -> None:
        self.read.clear()
        self.go.clear()


@pytest.fixture
def held_reader(monkeypatch):
    held = HeldReader()
    original = store.register_statuses

    def read_then_wait(*args, **kwargs):
        rows = original(*args, **kwargs)
        held.read.set()
        for _ in range(WAIT_MS // 10):  # short waits: a Python loop that checks for a stop
            if held.go.wait(0.01) or tasks.stop_requested():
                break
        return rows

    monkeypatch.setattr(store, "register_statuses", read_then_wait)
    yield held
    held.go.set()


def test_the_register_says_it_is_loading_then_shows_every_pupil(qtbot, db, db_path, held_reader):
    read, go = held_reader.read, held_reader.go
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path, wait=False)
    assert section.loading
    # The worker starts once the section has been painted (it would compete for Python's
    # lock with the paint), not while the section is built and shown.
    assert section._loader is None and not read.is_set()
    assert section.filters.count_label.text() == "laden…"
    assert "Het register wordt geladen" in section.table_or_empty.message.text()
    assert not section.table.isEnabled() and not section.filters.search.isEnabled()
    assert (
        not section.toolbar.export_button.isEnabled()
        and not section.toolbar.pupils_button.isEnabled()
    )
    assert section.filters.on_field.isEnabled()  # another date simply starts another load
    # The publication check (its button, or from Publicaties) knows every pupil already.
    assert section.toolbar.check_button.isEnabled()
    check = section.open_check(["1003"])
    assert check.pupil_numbers() == ["1003"]
    assert [p.number for p in check.picker.matches("ozturk")] == ["1002"]
    check.close()

    qtbot.waitUntil(read.is_set, timeout=WAIT_MS)
    go.set()
    qtbot.waitUntil(lambda: not section.loading, timeout=WAIT_MS)
    expected = {pupil.number for pupil, _ in store.register_statuses(db, TODAY)}
    shown = shown_numbers(section)
    assert set(shown) == expected and len(shown) == len(expected) == 6
    assert section.filters.count_label.text() == "6 leerlingen"
    assert section.table_or_empty.currentWidget() is section.table
    assert section.table.isEnabled() and section.filters.search.isEnabled()
    names = [section.proxy.index(r, 1).data() for r in range(section.proxy.rowCount())]
    assert "Jan <b>Jan</b> & Zn" in names and any("Öztürk" in n for n in names)
    section.filters.search.setText("lecka")
    assert shown_numbers(section) == ["1003"]


def test_a_decision_recorded_while_the_register_loads_is_shown(qtbot, db, db_path, held_reader):
    """The worker has read the register; then a decision is recorded (from a reminder list,
    say). The row it delivers for that pupil is stale, and must not win."""
    read, go = held_reader.read, held_reader.go
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path, wait=False)
    qtbot.waitUntil(read.is_set, timeout=WAIT_MS)
    decision_store.record_decision(
        db, "1001", "website", rules.GRANTED, rules.PARENT, "Joëlle's ouder", TODAY.isoformat()
    )
    section.refresh_pupil("1001")  # what the decision dialog calls
    go.set()
    qtbot.waitUntil(lambda: not section.loading, timeout=WAIT_MS)
    assert register_cell(section, "1001", "website").data(STATE_ROLE) == rules.ALLOWED


def test_closing_the_window_while_the_register_loads(qtbot, db, db_path, held_reader):
    read, go = held_reader.read, held_reader.go
    add_consent_school(db)
    window, section = open_register(qtbot, db, db_path, wait=False)
    qtbot.waitUntil(read.is_set, timeout=WAIT_MS)
    task = section._loader
    assert task is not None
    window.close()  # stops the worker; nothing is delivered to a closed window
    assert task.done and task.cancelled
    go.set()
    deliveries_settled(qtbot)
    assert section.model.total() == 0


def test_a_register_that_cannot_be_read_says_so_and_can_try_again(qtbot, db, db_path, monkeypatch):
    add_consent_school(db)
    original = store.register_statuses

    def broken(*args, **kwargs):
        raise StoreError("de schijf gaf een leesfout")

    monkeypatch.setattr(store, "register_statuses", broken)
    _, section = open_register(qtbot, db, db_path)
    message = section.table_or_empty.message.text()
    assert message == "Het register kon niet geladen worden: de schijf gaf een leesfout"
    [again] = section.table_or_empty.buttons
    assert again.text() == "Opnieuw proberen"

    monkeypatch.setattr(store, "register_statuses", original)
    again.click()
    qtbot.waitUntil(lambda: section.model.total() == 6, timeout=WAIT_MS)
    assert (
        section.filters.count_label.text() == "6 leerlingen" and section.filters.search.isEnabled()
    )


def test_a_reload_keeps_the_rows_and_the_chosen_cell_until_the_new_rows_arrive(
    qtbot, db, db_path, held_reader
):
    """A new pupil reloads the register: meanwhile the table still shows every pupil, with
    the cell the officer chose, and nothing is held back; then the new pupil is there and the
    same cell is still chosen."""
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path, wait=False)
    held_reader.go.set()
    wait_for_register(qtbot, section)
    before = shown_numbers(section)
    section.table.setCurrentIndex(register_cell(section, "1003", "website"))
    assert section.selected_pupil().number == "1003"

    held_reader.hold()
    pupil_store.save_pupil(db, "1010", "Meryem", "", "El Amrani", born_aged(12, 7), "1A", "Cuijk")
    section.reload()
    assert held_reader.read.wait(WAIT_MS / 1000)
    assert section.loading
    assert shown_numbers(section) == before
    assert section.table_or_empty.currentWidget() is section.table
    assert section.table.isEnabled() and section.filters.search.isEnabled()
    assert section.toolbar.export_button.isEnabled()
    assert section.selected_pupil().number == "1003"
    # A reload that takes a while says so beside the rows.
    qtbot.waitUntil(lambda: section.filters.count_label.text() == "bijwerken…", timeout=WAIT_MS)

    held_reader.go.set()
    wait_for_register(qtbot, section)
    assert shown_numbers(section) == sorted([*before, "1010"])
    assert section.filters.count_label.text() == "7 leerlingen"
    current = section.table.currentIndex()
    assert section.selected_pupil().number == "1003"
    assert current == register_cell(section, "1003", "website")


def test_a_reload_after_the_chosen_pupil_is_filtered_out_chooses_nothing(qtbot, db, db_path):
    add_consent_school(db)
    _, section = open_register(qtbot, db, db_path)
    section.table.setCurrentIndex(register_cell(section, "1003", "website"))
    section.filters.search.setText("ozturk")
    section.reload()
    wait_for_register(qtbot, section)
    assert shown_numbers(section) == ["1002"]
    assert section.selected_pupil() is None


def test_a_window_that_reopens_on_the_register_shows_it_loading_first(qtbot, db, db_path):
    """The window reopens on the section the officer left. Opening on Toestemmingen, the
    register loads on a worker, so the window is painted first (figure 1d of `make bench`)."""
    from PySide6.QtCore import QSettings

    from merlet_desk.ui.main_window import MainWindow

    add_consent_school(db)
    QSettings().setValue("main_window/section", "toestemmingen")
    window = MainWindow(None, db_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(db, read_only=False)
    section = window.section("toestemmingen")
    assert window.stack.currentWidget() is section
    assert section.loading and section.filters.count_label.text() == "laden…"
    qtbot.waitUntil(lambda: not section.loading, timeout=WAIT_MS)
    assert len(shown_numbers(section)) == 6
    assert section.filters.count_label.text() == "6 leerlingen"
    section.reload()  # after a change: the rows stay until the new ones are read
    assert section.loading and len(shown_numbers(section)) == 6
    wait_for_register(qtbot, section)
    assert len(shown_numbers(section)) == 6
    window.close()
