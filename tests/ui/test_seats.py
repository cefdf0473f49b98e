"""The window on a register on a PostgreSQL server (`ui/seats.py`): its title, the Extra menu
for a server, another seat's commits in the status bar, and a server that goes away while
the window is open (the reconnect offer, no traceback, nothing kept locally)."""

from __future__ import annotations

import pytest

from merlet_desk.store import open_database
from merlet_desk.store.cases import list_cases
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.common import dialogs
from tests.helpers import add_case, open_window


@pytest.fixture
def shown(monkeypatch):
    seen: list[tuple[str, str, str]] = []
    for kind in ("show_error", "show_info", "show_warning"):
        monkeypatch.setattr(
            dialogs, kind, lambda parent, title, msg, kind=kind: seen.append((kind, title, msg))
        )
    return seen


@pytest.fixture
def server_register(postgres_server):
    url = postgres_server.new_register()
    yield ServerUrl.parse(url)
    postgres_server.drop(url)


@pytest.fixture
def server_window(qtbot):
    """Opens the window on a register on a server; closes it, then its connection."""
    opened = []

    def open_on(target: ServerUrl):
        window = open_window(qtbot, open_database(target), target)
        opened.append(window)
        qtbot.waitUntil(lambda: window.server_watch is not None and window.server_watch.connected)
        return window

    yield open_on
    for window in opened:
        window.close()


def another_seat(target: ServerUrl, summary: str) -> None:
    """Another seat records a case on the same register, and closes."""
    seat = open_database(target)
    try:
        add_case(seat, summary=summary)
    finally:
        seat.close()


def test_the_window_names_the_server_and_leaves_out_what_is_about_a_file(
    server_window, server_register
):
    window = server_window(server_register)
    assert window.windowTitle() == (
        f"Merlet Desk — {server_register.database} op {server_register.host}"
    )
    visible = {key for key, action in window.safety_actions.items() if action.isVisible()}
    # Restore over a file, verify a file, encrypt a file: not here, nor Start's step to encrypt.
    assert visible == {"backup", "audit", "purge"}
    start = window.show_section("start")
    assert start.encrypt_step.isHidden()
    assert start.settings_step.isVisibleTo(start.guide)


def test_backup_from_the_window_is_a_file_that_opens_offline(
    server_window, server_register, tmp_path, shown, monkeypatch
):
    another_seat(server_register, "Foto van <Berkay Öztürk> & vrienden")
    window = server_window(server_register)
    target = tmp_path / "mee naar de open dag.sqlite"
    monkeypatch.setattr(dialogs, "choose_output_path", lambda *args, **kwargs: target)

    window.safety_actions["backup"].trigger()

    assert shown and shown[-1][:2] == ("show_info", "Back-up gemaakt"), shown
    assert str(target) in shown[-1][2]
    offline = open_database(target, read_only=True)
    try:
        assert [case.summary for case in list_cases(offline)] == [
            "Foto van <Berkay Öztürk> & vrienden"
        ]
    finally:
        offline.close()


def test_another_seats_commit_refreshes_the_window_and_says_so(
    qtbot, server_window, server_register
):
    window = server_window(server_register)
    cases = window.show_section("incidenten")
    assert cases.list_view.model.rowCount() == 0

    another_seat(server_register, "Zofia Łęcka op Instagram")

    qtbot.waitUntil(lambda: "andere werkplek" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == "Bijgewerkt: wijzigingen van een andere werkplek"
    assert cases.list_view.model.rowCount() == 1


def test_a_window_whose_server_goes_away_offers_to_connect_again(
    qtbot, server_window, own_postgres_server, shown, capfd
):
    if not own_postgres_server.running():
        own_postgres_server.start()
    target = ServerUrl.parse(own_postgres_server.new_register())
    window = server_window(target)
    watch = window.server_watch
    assert watch is not None

    own_postgres_server.kill()

    # The listening connection hears it at once, with nobody touching the window.
    qtbot.waitUntil(lambda: watch.bar.isVisible(), timeout=10_000)
    assert watch.bar.label.text().startswith("De server is niet bereikbaar")
    assert watch.bar.button.text() == "&Opnieuw verbinden"
    assert "Traceback" not in capfd.readouterr().err

    assert watch.reconnect() is False  # still gone: the bar stays
    assert watch.bar.isVisible()

    own_postgres_server.start()
    assert watch.reconnect() is True
    assert not watch.bar.isVisible()
    assert window.statusBar().currentMessage() == "Weer verbonden met de server."
    add_case(window.db, summary="Na de storing")  # the window's own connection works again
    assert [case.summary for case in list_cases(window.db)] == ["Na de storing"]
    assert shown == []  # the bar said it; no dialog


def fill_register(target: ServerUrl) -> None:
    """One of everything a section lists, recorded by another seat."""
    from merlet_desk.domain.publications import publish_checklist
    from merlet_desk.store import decisions, items, publications, pupils
    from tests.helpers import TODAY, born_aged

    seat = open_database(target)
    try:
        pupils.save_pupil(seat, "1001", "Joëlle", "van den", "Broek", born_aged(12), "2A", "Grave")
        decisions.record_decision(
            seat, "1001", "website", "granted", "parent", "<b>Jan</b> & Zn", TODAY.isoformat()
        )
        item = items.create_item(seat, "Sportdag <2A> & co", pupil_numbers=["1001"])
        publications.publish(
            seat,
            item.id,
            "website",
            TODAY,
            "https://merletcollege.nl/sportdag",
            checklist=[entry.agreement for entry in publish_checklist()],
        )
        add_case(seat, summary="Berkay Öztürk op TikTok")
    finally:
        seat.close()


def _shown_rows(key: str, section) -> int | None:
    """What a section lists, where it lists one thing per row."""
    if key == "toestemmingen":
        return section.proxy.rowCount()
    if key == "publicaties":
        return section.items_tab.proxy.rowCount()
    if key == "incidenten":
        return section.list_view.model.rowCount()
    return None


@pytest.mark.parametrize(
    "key", ["start", "beleid", "toestemmingen", "publicaties", "incidenten", "rapporten"]
)
def test_every_section_works_on_a_register_on_a_server(qtbot, server_window, server_register, key):
    fill_register(server_register)
    window = server_window(server_register)
    section = window.show_section(key)
    qtbot.waitUntil(lambda: not window.tasks.running, timeout=20_000)
    qtbot.wait(50)  # results delivered to the GUI thread
    if key in ("toestemmingen", "publicaties", "incidenten"):
        qtbot.waitUntil(lambda: _shown_rows(key, section) == 1, timeout=10_000)
    if key == "start":
        assert "niet gelezen" not in section.heading.text()
    assert window.server_watch is not None and window.server_watch.connected
    assert not section.grab().isNull()


def test_the_window_asks_a_password_libpq_has_not_and_keeps_it(
    postgres_server, memory_key_store, monkeypatch
):
    from merlet_desk.store.engine import passwords
    from merlet_desk.ui.opening import open_server
    from tests.helpers.postgres import PASSWORD

    url = postgres_server.password_register()
    target = ServerUrl.parse(url)
    asked: list[str] = []
    typed = iter(["verkeerd <&>", PASSWORD])

    def ask_password(parent, title, label):
        asked.append(label)
        return next(typed)

    monkeypatch.setattr(dialogs, "ask_password", ask_password)
    monkeypatch.setattr(passwords, "_typed", {})  # nothing typed earlier in this process
    try:
        opened = open_server(target, read_only=False)
        assert opened is not None
        opened.db.close()
        assert asked[0].startswith("Wachtwoord van anna voor ")
        assert asked[1].startswith("Het wachtwoord klopt niet. Probeer het opnieuw.")
        assert passwords.stored(target) == PASSWORD  # kept in the key store
        assert memory_key_store.get_password(passwords.SERVICE, str(target)) == PASSWORD
        assert url.find(PASSWORD) == -1 and PASSWORD not in str(target)

        monkeypatch.setattr(passwords, "_typed", {})
        again = open_server(target, read_only=False)  # the next start: no question
        assert again is not None and len(asked) == 2
        again.db.close()
    finally:
        postgres_server.drop(url)
