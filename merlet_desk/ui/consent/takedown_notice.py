"""The line shown after a consent decision when it puts publications on the takedown list.

Recording a withdrawal is the moment the officer must hear that photos of the child are out
there (agreement 9); the list itself is under Publicaties › Te verwijderen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton

from merlet_desk import sqlite_driver
from merlet_desk.domain.text import number_text
from merlet_desk.store.sqlite_utils_import import Database


def takedown_notice(db: Database, pupil_number: str, pupil_name: str) -> str:
    """ "" when nothing has to come down, else one Dutch sentence with the count."""
    from merlet_desk.store.takedowns import open_takedowns_of_pupil

    try:
        count = len(open_takedowns_of_pupil(db, pupil_number))
    except sqlite_driver.Error:
        return ""
    if not count:
        return ""
    if count == 1:
        text = QCoreApplication.translate(
            "takedowns",
            "Let op: %2 staat op 1 publicatie die nu verwijderd moet worden "
            "(Publicaties › Te verwijderen).",
        )
    else:
        text = QCoreApplication.translate(
            "takedowns",
            "Let op: %2 staat op %1 publicaties die nu verwijderd moeten worden "
            "(Publicaties › Te verwijderen).",
        ).replace("%1", number_text(count))
    return text.replace("%2", pupil_name)


def takedowns_button() -> QPushButton:
    """ "Naar Te verwijderen", hidden until a notice says something must come down: the list
    the notice names, one click away."""
    button = QPushButton(QCoreApplication.translate("takedowns", "Naar Te verwijderen"))
    button.setAutoDefault(False)
    button.setToolTip(
        QCoreApplication.translate(
            "takedowns", "Sluit dit venster en open Publicaties › Te verwijderen"
        )
    )
    button.hide()
    return button
