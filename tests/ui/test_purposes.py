"""Wherever a purpose is chosen it is offered with its examples (issue 15): the officer who
wants to post on Instagram finds the school's social-media accounts without knowing the code."""

from __future__ import annotations

from merlet_desk.demo import fill_demo
from merlet_desk.store import items as item_store
from merlet_desk.store import pupils as store
from merlet_desk.store import purposes as purpose_store
from tests.helpers import open_window, wait_for_register

SOCIAL = "Sociale-media-accounts van de school (Instagram, Facebook, LinkedIn, TikTok en YouTube)"


def offered(combo) -> dict[str, str]:
    return {combo.itemText(i): combo.itemData(i) for i in range(combo.count())}


def test_each_place_that_chooses_a_purpose_shows_its_examples(qtbot, db, db_path):
    from merlet_desk.ui.publications.publish_dialog import PublishDialog

    fill_demo(db, 150)
    window = open_window(qtbot, db, db_path)
    consent = window.show_section("toestemmingen")
    wait_for_register(qtbot, consent)
    check = consent.open_check()
    reports = window.show_section("rapporten")
    publish = PublishDialog(db, item_store.list_items(db)[0].id)
    qtbot.addWidget(publish)
    for name, combo in (
        ("publicatiecheck", check.purpose),
        ("publiceren", publish.channel),
        ("rapport publicatiecheck", reports.check_purpose),
        ("register", consent.filters.status_purpose),
    ):
        assert offered(combo).get(SOCIAL) == "social_media", name
    # Instagram is findable by eye in the open list of the check.
    assert any("Instagram" in text for text in offered(check.purpose))
    check.close()
    # The register's column header and a history dialog name the examples too.
    column = next(
        c
        for c in range(consent.model.columnCount())
        if consent.model.purpose_at(c) is not None
        and consent.model.purpose_at(c).code == "social_media"
    )
    from PySide6.QtCore import Qt

    tip = consent.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Instagram" in tip
    pupil = store.list_pupils(db)[0]
    history = consent.open_history(pupil, purpose_store.get_purpose(db, "social_media"))
    from PySide6.QtWidgets import QLabel

    assert any("Instagram" in label.text() for label in history.findChildren(QLabel))
