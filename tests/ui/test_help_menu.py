"""Help › Logbestand openen: IT finds the log from the program itself (issue 19, part 3)."""

from __future__ import annotations

import logging

from merlet_desk import logs
from merlet_desk.ui.common import dialogs
from tests.helpers import open_window


def help_action(window, text: str):
    [action] = [a for a in window.help_menu.actions() if a.text().replace("&", "") == text]
    return action


def test_the_log_opens_in_the_systems_viewer(qtbot, db, db_path, monkeypatch):
    path = logs.setup()
    logging.getLogger("merlet_desk.ui").warning("Back-up mislukt")
    opened = []
    monkeypatch.setattr(dialogs, "open_external", lambda p: opened.append(p) or True)
    window = open_window(qtbot, db, db_path)
    help_action(window, "Logbestand openen").trigger()
    assert opened == [path]
    assert "WARNING merlet_desk.ui: Back-up mislukt" in path.read_text(encoding="utf-8")


def test_before_anything_was_logged_it_says_where_the_log_will_be(qtbot, db, db_path, monkeypatch):
    logs.setup()
    told, opened = [], []
    monkeypatch.setattr(dialogs, "open_external", lambda p: opened.append(p) or True)
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: told.append(text))
    window = open_window(qtbot, db, db_path)
    help_action(window, "Logbestand openen").trigger()
    assert opened == []
    assert told == [
        "Er is nog niets gelogd: er zijn geen waarschuwingen of fouten geweest.\n\n"
        f"Het logbestand komt hier: {logs.log_path()}"
    ]
