"""The retention purge dialog (Extra > Leerlingen opschonen): who will be purged and what
happens, a question, then the purge (all or nothing). Loaded when the dialog opens, not with
the menu (the menu is built before the window's first paint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.rows import Column, RowModel
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.context import DatabaseHost

if TYPE_CHECKING:
    from merlet_desk.store.retention import Candidate

_Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)  # the menu's context: one for both


# -- retention purge dialog -------------------------------------------------------------------

PURGE_HEADER = ("Leerlingnummer", "Naam", "Klas", "Locatie", "Vertrokken", "Besluiten")


class CandidateModel(RowModel["Candidate"]):
    def __init__(self, candidates: list[Candidate], parent: QWidget | None = None) -> None:
        values: tuple[Callable[[Candidate], str], ...] = (
            lambda c: c.number,
            lambda c: c.name,
            lambda c: c.class_name,
            lambda c: c.location,
            lambda c: c.left_on.strftime("%d-%m-%Y"),
            lambda c: str(c.decisions),
        )
        header = [_tr(title) for title in PURGE_HEADER]
        super().__init__(
            [Column(title, value) for title, value in zip(header, values, strict=True)], parent
        )
        self.set_rows(candidates)


class PurgeDialog(QDialog):
    """Shows who will be purged and what happens, asks, then purges (all or nothing)."""

    def __init__(self, host: DatabaseHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setWindowTitle(_tr("Leerlingen opschonen"))
        fit_to_screen(self, 760, 480)
        self.model = CandidateModel([], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.years = QSpinBox()
        self.years.setRange(1, 20)
        self.years.setSuffix(_tr(" jaar na vertrek"))
        from merlet_desk.store.retention import (
            DEFAULT_YEARS,
            RetentionSettingError,
            retention_years,
        )

        try:
            self.years.setValue(retention_years(host.db))
        except RetentionSettingError:  # `refresh` says what is wrong; choosing a value fixes it
            self.years.blockSignals(True)
            self.years.setValue(DEFAULT_YEARS)
            self.years.blockSignals(False)
        self.years.setEnabled(not host.read_only)
        self.years.setAccessibleName(_tr("Bewaartermijn"))
        self.years.valueChanged.connect(self.change_years)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.purge_button = QPushButton(_tr("Opschonen"))
        self.purge_button.clicked.connect(self.confirm_and_purge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_tr("Bewaartermijn"), self.years)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def change_years(self, years: int) -> None:
        """The retention period is a setting of the register (audited), not of this dialog."""
        from merlet_desk.store.retention import set_retention_years

        set_retention_years(self.host.db, int(years))
        self.refresh()

    def refresh(self) -> None:
        from merlet_desk.store.retention import (
            RetentionSettingError,
            purge_candidates,
            retention_years,
        )

        try:
            self.candidates = purge_candidates(self.host.db)
        except RetentionSettingError as exc:  # a stored value that cannot be right: say so
            self.candidates = []
            self.model.set_rows([])
            self.explanation.setText(str(exc))
            self.purge_button.setEnabled(False)
            return
        self.model.set_rows(self.candidates)
        self.table.resizeColumnsToContents()
        years = retention_years(self.host.db)
        if self.candidates:
            text = count_text(
                len(self.candidates),
                _tr("1 leerling is langer dan %2 jaar geleden van school gegaan."),
                _tr("%1 leerlingen zijn langer dan %2 jaar geleden van school gegaan."),
            ) + _tr(
                " Opschonen verwijdert de persoonsgegevens en toestemmingsbesluiten. In "
                "incidenten blijft een anonieme verwijzing staan; in het auditlog blijft alleen "
                "staan dat er iets is vastgelegd, en één regel met aantallen. Dit kan niet "
                "ongedaan gemaakt worden (behalve met een oudere back-up)."
            )
        else:
            text = _tr("Er zijn geen leerlingen die langer dan %2 jaar geleden vertrokken zijn.")
        self.explanation.setText(text.replace("%2", str(years)))
        self.purge_button.setEnabled(bool(self.candidates) and not self.host.read_only)

    def confirm_and_purge(self) -> bool:
        title = _tr("Leerlingen opschonen")
        question = count_text(
            len(self.candidates),
            _tr("1 leerling definitief verwijderen?"),
            _tr("%1 leerlingen definitief verwijderen?"),
        )
        if not dialogs.ask_yes_no(self, title, question):
            return False
        from merlet_desk.store.retention import describe_purge, purge

        try:
            counts = purge(self.host.db, [c.pupil_id for c in self.candidates])
        except Exception as exc:  # the transaction rolled back; say why
            log.error("Opschonen mislukt; niets verwijderd", exc_info=True)
            dialogs.show_error(
                self, title, _tr("Er is niets verwijderd: %1").replace("%1", str(exc))
            )
            return False
        dialogs.show_info(
            self,
            title,
            describe_purge(counts),
        )
        self.host.switch_database(self.host.db_path)  # reload every section
        self.accept()
        return True
