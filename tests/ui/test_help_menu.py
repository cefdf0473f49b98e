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


def test_the_guide_opens_at_the_section_shown_and_covers_every_section(qtbot, db, db_path):
    """Help › Handleiding (F1): the README's tasks in Dutch, one topic per section and Extra,
    opened at the section the officer is in."""
    from merlet_desk.ui.common.guide import GuideDialog
    from tests.helpers import shown_dialog

    window = open_window(qtbot, db, db_path)
    window.show_section("toestemmingen")
    action = help_action(window, "Handleiding")
    assert action.shortcut().toString() == "F1"
    action.trigger()
    guide = shown_dialog(window, GuideDialog)
    titles = [guide.list.item(i).text() for i in range(guide.list.count())]
    navigation = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Handleiding Merlet Desk", *navigation, "Extra"]
    assert guide.list.currentItem().text() == "Toestemmingen"
    assert "Leerlingen importeren" in guide.shown_text()
    guide.list.setCurrentRow(titles.index("Publicaties"))
    assert "Mogen zij erop?" in guide.shown_text()
    # One form of address, as everywhere: "u".
    import re

    for row in range(len(titles)):
        guide.list.setCurrentRow(row)
        assert not re.search(r"(?<!\w)(je|jij|jouw)(?!\w)", guide.shown_text(), re.I)
