"""Extra › Back-up terugzetten: this register's backups (newest first, from its backup folders),
the chosen one's contents beside the register's own, then a question, then the restore.

The list and both sides of the comparison are read on the window's workers (a backup folder on
a share, a register of thousands of pupils); the restore itself goes through the window
(`DatabaseHost.restore_backup`), which lets go of its database file before the backup
replaces it. A backup of another register is only offered when the officer picks its file by
hand, and then said in so many words before anything happens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text, number_text
from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.rows import Column, RowModel
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.context import DatabaseHost

if TYPE_CHECKING:
    from merlet_desk.store.backup import BackupInfo, BackupSummary
    from merlet_desk.store.backup_contents import RegisterFacts


def _tr(text: str) -> str:
    return QCoreApplication.translate("SafetyMenu", text)  # the menu's context: one for all


class BackupListModel(RowModel["BackupInfo"]):
    """This register's backups, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(_tr("Gemaakt op"), lambda info: info.made_at.strftime("%d-%m-%Y %H:%M")),
                Column(_tr("Soort"), lambda info: info.reason),
                Column(_tr("Map"), lambda info: str(info.path.parent)),
            ],
            parent,
        )


# What the comparison shows, row by row: (table, label); None is the newest decision's day.
COMPARED: tuple[tuple[str | None, str], ...] = (
    ("pupils", "Leerlingen"),
    ("decisions", "Besluiten"),
    (None, "Laatste besluit vastgelegd"),
    ("form_scans", "Gescande formulieren"),
    ("publications", "Publicaties"),
    ("cases", "Incidenten"),
)


def _value(facts: RegisterFacts | None, table: str | None) -> str:
    if facts is None:
        return "…"
    if table is None:
        day = facts.newest_decision
        return day.strftime("%d-%m-%Y") if day else "—"
    count = facts.count(table)
    return "—" if count is None else number_text(count)


class ComparisonModel(RowModel[tuple[str | None, str]]):
    """The register now and the chosen backup, side by side: a row per line of COMPARED."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column("", lambda line: _tr(line[1])),
                Column(_tr("Nu in dit register"), lambda line: _value(self.now, line[0])),
                Column(_tr("In de back-up"), lambda line: _value(self.then, line[0])),
            ],
            parent,
        )
        self.now: RegisterFacts | None = None
        self.then: RegisterFacts | None = None
        self.set_rows(COMPARED)

    def set_facts(self, now: RegisterFacts | None, then: RegisterFacts | None) -> None:
        self.now, self.then = now, then
        self.set_rows(COMPARED)

    def text(self) -> str:
        """The comparison as lines of text, for the question before the restore."""
        return "\n".join(
            f"{_tr(label)}: {_value(self.now, table)} → {_value(self.then, table)}"
            for table, label in COMPARED
        )


class RestoreDialog(QDialog):
    """Choose one of this register's backups, see it beside the register, restore it."""

    def __init__(self, host: DatabaseHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not isinstance(host.db_path, Path):  # the action is hidden for a server register
            raise ValueError("a register on a server is restored by IT, not over a file")
        self.host = host
        self.db_file: Path = host.db_path
        self.setWindowTitle(_tr("Back-up terugzetten"))
        fit_to_screen(self, 720, 560)
        self.chosen: Path | None = None
        self.summary: BackupSummary | None = None  # the chosen backup, once read and usable
        self.other_register = False
        self.restored: Any = None  # the store's RestoreResult, once restored

        self.intro = QLabel(_tr("Back-ups van dit register worden gezocht…"))
        self.intro.setWordWrap(True)
        self.list_model = BackupListModel(self)
        self.list = QTableView()
        self.list.setModel(self.list_model)
        self.list.setAccessibleName(_tr("Back-ups van dit register"))
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.other_file = QPushButton(_tr("&Ander bestand kiezen…"))
        self.other_file.clicked.connect(self.choose_file)

        self.comparison = ComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.comparison)
        self.table.setAccessibleName(_tr("Register en back-up naast elkaar"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)

        self.restore_button = QPushButton(_tr("&Terugzetten…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.confirm_and_restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(_tr("Annuleren"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.other_file, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(buttons)

        self.host.tasks.read(self._read_register, context=self, on_result=self._register_read)

    # -- reading (workers) --------------------------------------------------------------------

    def _read_register(self, db: Any) -> tuple[RegisterFacts, list[BackupInfo]]:
        """On a worker: what the register holds, and its backups (each opened once to read
        whose register it is)."""
        from merlet_desk.store.backup import register_backups
        from merlet_desk.store.backup_contents import register_facts

        facts = register_facts(db.conn)
        return facts, register_backups(self.db_file, identity=facts.identity)

    def _register_read(self, read: tuple[RegisterFacts, list[BackupInfo]]) -> None:
        facts, backups = read
        self.comparison.set_facts(facts, None)
        self.table.resizeColumnsToContents()
        self.list_model.set_rows(backups)
        self.list.resizeColumnsToContents()
        if backups:
            found = count_text(
                len(backups),
                _tr("1 back-up van dit register gevonden."),
                _tr("%1 back-ups van dit register gevonden (nieuwste bovenaan)."),
            ) + _tr(" Kies er een om te zien wat erin staat, of kies zelf een bestand.")
        else:
            from merlet_desk.store.backup import backup_folder

            found = _tr(
                "In %1 staat nog geen back-up van dit register. Kies zelf een bestand (een "
                "back-up op een andere schijf)."
            ).replace("%1", str(backup_folder(self.db_file)))
        self.intro.setText(found)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the label may need a line more now, not only at the next turn
        if backups:
            self.list.selectRow(0)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.choose(self.list_model.row_at(current.row()).path)

    def choose_file(self) -> None:
        from merlet_desk.store.backup import backup_folder

        path = dialogs.choose_open_path(
            self,
            _tr("Back-up terugzetten"),
            _tr("Merlet Desk-back-up (*.sqlite);;Alle bestanden (*)"),
            kind="backup",
            folder=backup_folder(self.db_file),
        )
        if path is not None:
            self.list.clearSelection()
            self.choose(path)

    def choose(self, path: Path) -> None:
        """Read `path` on a worker (its check and contents), then show it beside the register."""
        self.chosen, self.summary = path, None
        self.restore_button.setEnabled(False)
        self.comparison.set_facts(self.comparison.now, None)
        self.verdict.setText(_tr("De back-up wordt gecontroleerd…"))
        self.host.tasks.submit(
            lambda _progress, _cancelled: _read_backup(path),
            context=self,
            on_result=self._backup_read,
            on_error=self._backup_failed,
            name="backup-summary",
        )

    def _backup_read(self, summary: BackupSummary) -> None:
        if summary.path != self.chosen:
            return  # another one was chosen meanwhile
        now, then = self.comparison.now, summary.facts
        self.comparison.set_facts(now, then)
        self.table.resizeColumnsToContents()
        checked = summary.verify
        if checked is None or not checked.ok or then is None:
            self.verdict.setText(checked.summary() if checked else str(summary.path))
            return
        same = now.identity.same_register(then.identity) if now is not None else None
        self.other_register = same is False
        lines = [
            _tr("Back-up van %1, schemaversie %2.")
            .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
            .replace("%2", str(summary.schema_version))
        ]
        if self.other_register:
            lines.append(
                _tr(
                    "Let op: dit is een back-up van een ander register. Terugzetten vervangt "
                    "dit register door dat andere."
                )
            )
        elif now is not None and _fewer(now, then):
            lines.append(
                _tr(
                    "De back-up bevat minder dan het register nu: wat daarna is vastgelegd, "
                    "staat er niet in."
                )
            )
        self.verdict.setText("\n".join(lines))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.summary = summary
        self.restore_button.setEnabled(not self.host.read_only)

    def _backup_failed(self, exc: BaseException) -> None:
        self.verdict.setText(str(exc) if isinstance(exc, StoreError) else repr(exc))

    # -- restoring ----------------------------------------------------------------------------

    def confirm_and_restore(self) -> bool:
        summary = self.summary
        if summary is None:
            return False
        title = _tr("Back-up terugzetten")
        question = (
            _tr("De back-up van %1 terugzetten?").replace(
                "%1", summary.made_at.strftime("%d-%m-%Y %H:%M")
            )
            + "\n\n"
            + self.comparison.text()
            + "\n\n"
            + (_tr("Dit is een back-up van een ander register.\n\n") if self.other_register else "")
            + _tr(
                "Het huidige bestand wordt eerst als back-up bewaard en daarna vervangen door "
                "deze back-up."
            )
        )
        if not dialogs.ask_yes_no(self, title, question):
            return False
        try:
            result = self.host.restore_backup(summary.path, other_register=self.other_register)
        except StoreError as exc:
            dialogs.show_error(self, title, str(exc))
            return False
        if result is None:  # the officer kept unsaved edits
            return False
        self.restored = result
        dialogs.show_info(
            self,
            title,
            _tr("De back-up van %1 is teruggezet. De vorige database is bewaard als:\n%2")
            .replace("%1", summary.made_at.strftime("%d-%m-%Y %H:%M"))
            .replace("%2", str(result.previous)),
        )
        self.accept()
        return True


def _read_backup(path: Path) -> BackupSummary:
    from merlet_desk.store.backup import backup_summary

    return backup_summary(path)


def _fewer(now: RegisterFacts, then: RegisterFacts) -> bool:
    for table, _label in COMPARED:
        if table is None:
            continue
        ours, theirs = now.count(table), then.count(table)
        if ours is not None and theirs is not None and theirs < ours:
            return True
    return False
