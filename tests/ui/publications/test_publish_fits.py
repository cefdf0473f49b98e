"""Publiceren at laptop size: the table "Mogen zij erop?" decides who may appear, so for a
class photo of 30 pupils it shows many rows at once, and each pupil's name and verdict whole,
without scrolling sideways, in the dialog as it opens maximised on a 1024×700 and a 1366×768
screen with a taskbar (1024×660 and 1366×728 left, minus the window frame)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import pupils as pupil_store
from tests.helpers import TODAY, born_aged, cut_widgets, open_publish_dialog, settled_today
from tests.helpers.photos import class_photo

NAMES = (
    ("Joëlle", "van den", "Broek"),
    ("Berkay", "", "Öztürk"),
    ("Zofia", "", "Łęcka"),
    ("Meryem", "", "Boujdaini"),
    ("Yasmina", "el", "Amrani-Bouzidi"),
    ("Daan", "de", "Vries"),
)
# The room a 1024×700 and a 1366×768 screen leave for windows beside a 40 px taskbar.
ROOMS = ((1024, 660), (1366, 728))


@pytest.fixture
def class_item(db, tmp_path, monkeypatch):
    """A class photo of 30 pupils of 2A: refused, nothing recorded, granted, and 16-year-olds
    with only their parent's yes (of 40 days ago, in this school year)."""
    today = settled_today(monkeypatch, days=41)
    birthday_ago = 30 - (today - TODAY).days  # days before TODAY: 30 days before `today`
    numbers = []
    for index in range(30):
        number = str(3000 + index)
        first, prefix, last = NAMES[index % len(NAMES)]
        age = 16 if index % 7 == 3 else 13
        pupil_store.save_pupil(
            db,
            number,
            first,
            prefix,
            f"{last} {index}",
            born_aged(age, birthday_ago),
            "2A",
            "Cuijk",
        )
        numbers.append(number)
        if age == 16:  # a parent's yes from before the 16th birthday
            decision_store.record_decision(
                db,
                number,
                "social_media",
                rules.GRANTED,
                rules.PARENT,
                "Ouder",
                today - timedelta(days=40),
            )
            continue
        if index % 5 == 0:
            decision_store.record_decision(
                db, number, "social_media", rules.REFUSED, rules.PARENT, "Ouder <&>", today
            )
        elif index % 5 != 1:
            decision_store.record_decision(
                db, number, "social_media", rules.GRANTED, rules.PARENT, "Ouder", today
            )
    photo = class_photo(tmp_path / "Klassenfoto 2A.jpg")
    return item_store.create_item(
        db,
        "Klassenfoto 2A <Cuijk> & mentor",
        pupil_numbers=numbers,
        file=item_store.file_facts(photo),
        file_path=str(photo),
    )


@pytest.mark.parametrize("room", ROOMS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_verdict_of_a_class_photo_reads_whole_without_scrolling_sideways(
    qtbot, db, class_item, room, monkeypatch
):
    from PySide6.QtCore import QCoreApplication, QRect

    from merlet_desk.ui.common import screen
    from merlet_desk.ui.publications.publish_dialog import COL_NAME, COL_VERDICT

    # The dialog sizes itself to its screen's room (fit_to_screen), as it opens for a user.
    monkeypatch.setattr(screen, "available_area", lambda widget=None: QRect(0, 0, *room))
    dialog = open_publish_dialog(
        qtbot, db, class_item.id, "social_media", "https://www.merletcollege.nl/2a"
    )
    qtbot.waitExposed(dialog)
    QCoreApplication.processEvents()  # the layout requests of the first show
    width, height = room
    assert dialog.width() <= width - screen.FRAME_WIDTH
    assert dialog.height() <= height - screen.FRAME_HEIGHT
    table = dialog.pupils
    assert table.topLevelItemCount() == 30
    assert table.horizontalScrollBar().maximum() == 0
    viewport = table.viewport().rect()
    metrics = table.fontMetrics()
    verdicts = set()
    for index in range(table.topLevelItemCount()):
        row = table.topLevelItem(index)
        for column in (COL_NAME, COL_VERDICT):
            index_ = table.indexFromItem(row, column)
            place = table.visualRect(index_)
            assert not table.isColumnHidden(column)
            assert place.left() >= 0 and place.right() <= viewport.right()
            # What the cell needs to draw its text whole (the delegate's own measure).
            need = max(
                table.sizeHintForIndex(index_).width(), metrics.horizontalAdvance(row.text(column))
            )
            assert table.columnWidth(column) >= need, row.text(column)
        verdicts.add(row.text(COL_VERDICT))
    assert {"geweigerd", "niets vastgelegd", "mag erop"} <= verdicts
    assert verdicts & {"16+: vraag de leerling", "mag erop (16 geworden)"}
    # The full reason stays in the tooltip.
    nothing_recorded = next(
        table.topLevelItem(i)
        for i in range(30)
        if table.topLevelItem(i).text(COL_VERDICT) == "niets vastgelegd"
    )
    assert nothing_recorded.toolTip(COL_VERDICT) == "niets vastgelegd (geen toestemming)"
    rows_seen = viewport.height() // table.visualItemRect(table.topLevelItem(0)).height()
    assert rows_seen >= 8  # a third of a class at once, the rest a scroll down
    assert cut_widgets(dialog) == []
