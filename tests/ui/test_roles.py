"""The window follows the seat's role on a register on a server (`ui/roles.py`): a reader's
window is read-only and says so in its title, and what a role may not use is absent, not
merely disabled. The server refuses it regardless (tests/store/test_server_roles.py)."""

from __future__ import annotations

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.server_url import ServerUrl
from tests.helpers import open_window
from tests.helpers.roles import as_seat, fill, new_seat


@pytest.fixture
def register(postgres_server):
    url = postgres_server.new_register()
    cases = fill(url)
    yield url, cases
    postgres_server.drop(url)


@pytest.fixture
def seat_window(qtbot, postgres_server, register):
    """seat_window(roles, locations) -> the window of a new seat of those roles."""
    url, _ = register
    opened = []

    def open_as(roles, locations=()):
        target = ServerUrl.parse(as_seat(postgres_server, url, new_seat(url, roles, locations)))
        window = open_window(qtbot, open_database(target), target)
        opened.append(window)
        qtbot.waitUntil(lambda: window.server_watch is not None and window.server_watch.connected)
        return window

    yield open_as
    for window in opened:
        window.close()


def _shown_sections(window) -> list[str]:
    return [
        window.navigation.item(row).text()
        for row in range(window.navigation.count())
        if not window.navigation.item(row).isHidden()
    ]


def _go_menu(window) -> list[str]:
    return [a.text() for a in window.go_menu.actions() if a.isVisible() and a.text()]


def _extra_menu(window) -> set[str]:
    return {key for key, action in window.safety_actions.items() if action.isVisible()}


def test_a_readers_window_is_read_only_for_its_location_and_has_no_cases(seat_window):
    window = seat_window(("reader",), ("Grave",))
    assert window.windowTitle().endswith(" — Alleen lezen — locatie Grave")
    assert window.read_only
    assert _shown_sections(window) == [
        "Start",
        "Beleid",
        "Toestemmingen",
        "Publicaties",
        "Rapporten",
    ]
    assert "Incidenten" not in _go_menu(window)
    assert "&Mag deze foto online?…" in _go_menu(window)
    assert _extra_menu(window) == {"audit"}  # the purge and a whole backup are IT's


def test_the_start_counts_say_the_seats_scope(qtbot, seat_window):
    window = seat_window(("reader",), ("Grave",))
    start = window.show_section("start")
    # Both counts arrive on workers, in either order: the consent counts (the heading's scope)
    # and the quick ones (the cards a reader has).
    qtbot.waitUntil(lambda: "leerlingen" in start.heading.text() and start.cases_card.isHidden())
    assert start.heading.text().endswith(" · Grave: 2 leerlingen")
    assert start.cases_card.isHidden()  # no case log for a reader, not even a count
    assert not start.takedown_card.isHidden()
    officer = seat_window(("officer",))
    start = officer.show_section("start")
    qtbot.waitUntil(lambda: not start.consent_card.isHidden())
    qtbot.wait(200)
    assert "leerlingen" not in start.heading.text()  # every location: no scope to say


def test_an_incidents_window_has_the_case_log_of_its_locations_only(seat_window, register):
    _, cases = register
    window = seat_window(("incidents",), ("Grave", "Mill"))
    assert window.windowTitle().endswith(" — locaties Grave, Mill")
    assert not window.read_only
    assert _shown_sections(window) == ["Start", "Beleid", "Incidenten", "Rapporten"]
    assert "&Mag deze foto online?…" not in _go_menu(window)
    section = window.show_section("incidenten")
    model = section.list_view.model
    references = {model.index(row, 0).data() for row in range(model.rowCount())}
    assert references == {cases["Grave"]}


def test_an_officers_window_has_no_case_log_unless_it_also_holds_incidents(seat_window):
    officer = seat_window(("officer",))
    assert "Incidenten" not in _shown_sections(officer)
    assert not officer.read_only and "Alleen lezen" not in officer.windowTitle()
    both = seat_window(("officer", "incidents"), ("Cuijk",))
    assert "Incidenten" in _shown_sections(both) and "Toestemmingen" in _shown_sections(both)


def test_a_stale_window_after_a_role_change_gets_one_dutch_line_and_changes_nothing(
    qtbot, seat_window, register, postgres_server, monkeypatch, capsys
):
    import sys

    from merlet_desk.store.errors import NoPermissionError
    from merlet_desk.ui import error_hook
    from merlet_desk.ui.common import dialogs
    from tests.helpers import add_case
    from tests.helpers.roles import owner_dump

    url, cases = register
    window = seat_window(("incidents",), ("Grave",))
    section = window.show_section("incidenten")
    section.open_case(cases["Grave"])
    # IT moves this login to Cuijk while its window is open.
    login = window.db_path.user
    postgres_server.sql(
        "UPDATE merlet_desk_seats SET locations = '{Cuijk}' WHERE login = %s",
        postgres_server.name_of(url),
        [login],
    )
    before = owner_dump(url)

    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        dialogs,
        "show_error",
        lambda parent, title, message: shown.append(("error", title, message)),
    )
    assert section.editor.save() is False  # the Grave case is out of its reach now
    assert shown[-1][1] == "Incident niet opgeslagen"
    assert shown[-1][2] == f"Incident {cases['Grave']} bestaat niet."

    said: list[tuple[str, str]] = []
    previous = sys.excepthook
    error_hook.install(lambda title, message: said.append((title, message)))
    try:
        with pytest.raises(NoPermissionError) as refused:
            add_case(window.db, summary="Nieuw incident in Grave")  # what a new case's save does
        sys.excepthook(NoPermissionError, refused.value, refused.value.__traceback__)
    finally:
        sys.excepthook = previous
    [(title, message)] = said
    assert title == "Niet toegestaan"
    assert message.startswith(str(refused.value)) and "buiten de eigen locaties" in message
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.strip()] == [f"merlet-desk: {refused.value}"]
    assert owner_dump(url) == before
