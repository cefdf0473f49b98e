"""The import dialogs of Toestemmingen: a file's columns, what each is read as (a drop-down,
guessed from the names, the purposes' other names and the mapping remembered for these
headers), a preview of the first rows as they will be read, and what the import will change,
before anything is written. One base (`ImportDialog`) for both imports:

- `ConsentImportDialog` (Toestemmingen importeren): a parent portal's export or the long
  format; the dry run's counts, conflicts and the publications that will have to come down;
- `PupilImportDialog`: the mapping step of a pupil export whose columns are not all
  recognised, with the location for a file without one.

"Importeren" backs up the register (the caller's `before_write`), imports, remembers the
mapping for this set of headers, and emits `imported` with the result. The dialog only
collects the choice: reading, checking and writing are `imports.consents` and
`imports.pupils`, as on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError, OutputError
from merlet_desk.imports import consents as consent_import
from merlet_desk.imports import examples
from merlet_desk.imports import pupils as pupil_import
from merlet_desk.imports.tabular import DELIMITER_NAMES, Table, cell
from merlet_desk.store import pupils as store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import cell_text

if TYPE_CHECKING:
    from merlet_desk.ui.common.tasks import Task, TaskGroup

ERROR_STYLE = "color:#a61b1b; background:#fdecec; border:1px solid #e3a3a3; padding:6px;"
SUMMARY_STYLE = "background:#f4f7fa; border:1px solid #cfd8e3; padding:6px;"
SAMPLES = 3  # example values shown per column


def save_example(parent: QWidget, db: Database, kind: str) -> Path | None:
    """Voorbeeldbestand opslaan: the example file of `kind` where the user chooses (never onto
    the register's files); the path written, or None when cancelled or refused."""
    title = QCoreApplication.translate("imports", "Voorbeeldbestand opslaan")
    target = dialogs.choose_output_path(
        parent,
        title,
        examples.FILE_NAMES[kind],
        QCoreApplication.translate("imports", "CSV-bestand (*.csv)"),
        suffix=".csv",
    )
    if target is None:
        return None
    try:
        return examples.write_example(db, kind, target, db_path=dialogs.database_of(parent))
    except OutputError as exc:
        dialogs.show_error(parent, title, str(exc))
        return None


class ImportDialog(QDialog):
    """What both imports share: the columns with a drop-down each, the preview, the summary,
    the name the mapping is remembered as, and the buttons."""

    imported = Signal(object)  # the import's result

    example_kind = examples.PUPILS

    def __init__(
        self,
        db: Database,
        path: Path,
        table: Table,
        before_write: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.path = Path(path)
        self.table = table
        self.before_write = before_write
        self.result: Any = None
        self.combos: list[QComboBox] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(200)  # a big file is read again once the choice settles
        self._refresh_timer.timeout.connect(self.refresh)

        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(
            [self.tr("Kolom in het bestand"), self.tr("Lezen als"), self.tr("Voorbeeld")]
        )
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.columns.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the drop-downs take the focus
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.preview = QTableWidget(0, 0)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_scroll = QScrollArea()
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setWidget(self.summary)
        summary_scroll.setMinimumHeight(90)
        self.mapping_name = QLineEdit()
        self.mapping_name.setPlaceholderText(self.tr("bijv. Magister-export"))
        self.mapping_name.setToolTip(
            self.tr(
                "Onder deze naam onthoudt Merlet Desk welke kolom wat is; een volgend bestand "
                "met dezelfde kolommen wordt dan vanzelf zo gelezen"
            )
        )
        self.example_button = QPushButton(self.tr("&Voorbeeldbestand opslaan…"))
        self.example_button.clicked.connect(self.save_example)
        self.import_button = QPushButton(self.tr("&Importeren"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button = QPushButton(self.tr("Annuleren"))
        self.cancel_button.clicked.connect(self.reject)

        columns_box = QGroupBox(self.tr("Kolommen: wat staat waar?"))
        QVBoxLayout(columns_box).addWidget(self.columns)
        preview_box = QGroupBox(self.tr("Zo worden de eerste rijen gelezen"))
        QVBoxLayout(preview_box).addWidget(self.preview)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(columns_box)
        splitter.addWidget(preview_box)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 520])  # the drop-downs need the room; the preview scrolls
        summary_box = QGroupBox(self.tr("Wat er verandert"))
        QVBoxLayout(summary_box).addWidget(summary_scroll)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("Kolommen onthouden als:")))
        bottom.addWidget(self.mapping_name, 1)
        bottom.addWidget(self.example_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        self.main_layout = QVBoxLayout(self)
        self.main_layout.addWidget(self.file_label)
        self.main_layout.addWidget(splitter, 3)
        self.extra_row = QHBoxLayout()
        self.main_layout.addLayout(self.extra_row)
        self.main_layout.addWidget(summary_box, 2)
        self.main_layout.addLayout(bottom)
        fit_to_screen(self, 1180, 720)

    # -- the columns ------------------------------------------------------------------------

    def targets(self) -> list[tuple[str, str]]:
        """(label, target) of every choice in a column's drop-down."""
        raise NotImplementedError

    def guessed(self) -> dict[str, str]:
        """header -> target as the names and the remembered mapping read the file."""
        raise NotImplementedError

    def fill_columns(self) -> None:
        guessed = self.guessed()
        choices = self.targets()
        self.columns.setRowCount(len(self.table.header))
        self.combos = []
        for row, header in enumerate(self.table.header):
            self.columns.setItem(row, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.setAccessibleName(self.tr("Lezen als: %1").replace("%1", header))
            for label, target in choices:
                combo.addItem(label, target)
            index = combo.findData(guessed.get(header, ""))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(self._refresh_timer.start)
            self.columns.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            samples = []
            for table_row in self.table.rows:
                value = str(cell(table_row, row))
                if value and value not in samples:
                    samples.append(value)
                if len(samples) == SAMPLES:
                    break
            self.columns.setItem(row, 2, QTableWidgetItem(", ".join(samples)))
        self.columns.resizeColumnsToContents()

    def mapping(self) -> dict[str, str]:
        """header -> target as the drop-downs say now."""
        return {
            header: str(combo.currentData() or "")
            for header, combo in zip(self.table.header, self.combos, strict=True)
        }

    def choose(self, header: str, target: str) -> None:
        """Choose what a column is read as (what a click in its drop-down does)."""
        combo = self.combos[self.table.header.index(header)]
        combo.setCurrentIndex(combo.findData(target))
        self._refresh_timer.stop()  # read once, now, not again when the timer fires
        self.refresh()

    # -- preview and summary ----------------------------------------------------------------

    def show_preview(self, headings: list[str], rows: list[list[str]]) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(headings))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(headings)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if value.startswith("⚠"):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()

    def preview_rows(self) -> list[list[str]]:
        """The preview as shown (for tests)."""
        return [
            [cell_text(self.preview, r, c) for c in range(self.preview.columnCount())]
            for r in range(self.preview.rowCount())
        ]

    def show_problem(self, exc: InputError) -> None:
        lines = [exc.message, *exc.problems[:12]]
        if len(exc.problems) > 12:
            lines.append(self.tr("… en nog %1").replace("%1", number_text(len(exc.problems) - 12)))
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText("<br>".join(escape(line) for line in lines))
        self.import_button.setEnabled(False)

    def show_summary(self, html: str) -> None:
        self.summary.setStyleSheet(SUMMARY_STYLE)
        self.summary.setText(html)
        self.import_button.setEnabled(True)

    def summary_text(self) -> str:
        """The summary as the user reads it (plain text)."""
        return QTextDocumentFragment.fromHtml(self.summary.text()).toPlainText()

    def refresh(self) -> None:
        raise NotImplementedError

    def file_text(self) -> str:
        table = self.table
        how = (
            self.tr("blad %1").replace("%1", table.sheet or "")
            if table.encoding is None
            else f"{table.encoding}, {DELIMITER_NAMES.get(table.delimiter or '', '')}"
        )
        return (
            self.tr("<b>%1</b>: %2 (%3).")
            .replace("%1", escape(self.path.name))
            .replace(
                "%2",
                count_text(len(table.rows), self.tr("1 rij"), self.tr("%1 rijen")),
            )
            .replace("%3", escape(how))
        )

    # -- actions ----------------------------------------------------------------------------

    def save_example(self) -> Path | None:
        """Save an example of the file this import reads."""
        return save_example(self, self.db, self.example_kind)

    def write(self) -> Any:
        raise NotImplementedError

    def run_import(self) -> bool:
        """Back up, import and close; the problem shown (and nothing changed) when it fails."""
        self._refresh_timer.stop()
        if not self.before_write():
            return False
        try:
            self.result = self.write()
        except InputError as exc:
            self.show_problem(exc)
            return False
        self.imported.emit(self.result)
        self.accept()
        return True


class ConsentImportDialog(ImportDialog):
    """Toestemmingen importeren: a parent portal's export (or the long format) before it is
    written: which column is which purpose, the first rows as read, and the dry run.

    The dry run reads every row against the register (thousands of rows, a register of
    thousands of pupils), so it runs on a worker with a read-only connection of its own
    (`tasks`: the window's workers, stopped with them; a dialog built without them checks
    at once, in the GUI thread); Importeren waits for the dry run of the columns as they are
    chosen now."""

    example_kind = examples.CONSENTS

    def __init__(
        self,
        db: Database,
        path: Path,
        table: Table,
        before_write: Callable[[], bool],
        parent: QWidget | None = None,
        tasks: TaskGroup | None = None,
    ) -> None:
        super().__init__(db, path, table, before_write, parent)
        self.task_group = tasks
        self.checking: Task[consent_import.ConsentImportResult] | None = None
        self.dry_run: consent_import.ConsentImportResult | None = None
        self.setWindowTitle(self.tr("Toestemmingen importeren"))
        self.long = consent_import.shape_of(table) == consent_import.LONG
        self.example_long = QPushButton(self.tr("Voorbeeld per &besluit…"))
        self.example_long.setToolTip(
            self.tr("Een voorbeeld van het eigen formaat: één rij per besluit")
        )
        self.example_long.clicked.connect(self.save_long_example)
        self.extra_row.addStretch(1)
        self.extra_row.addWidget(self.example_long)
        columns, remembered = consent_import.read_columns(db, table, consent_import.ImportOptions())
        self._guess = {c.header: c.target for c in columns}
        self.mapping_name.setText(remembered or self.path.stem)
        self.fill_columns()
        if self.long:
            for combo in self.combos:
                combo.setEnabled(False)
            self.mapping_name.setEnabled(False)
        self.refresh()

    def targets(self) -> list[tuple[str, str]]:
        if self.long:
            return [
                (self.tr("kolom %1").replace("%1", spec.name), f"column:{spec.key}")
                for spec in consent_import.LONG_COLUMNS
            ] + [("", "")]
        choices = [
            (self.tr("— kies —"), ""),
            (self.tr("Leerlingnummer"), consent_import.NUMBER),
            (self.tr("Laatst gewijzigd (datum)"), consent_import.CHANGED_ON),
            (self.tr("Gegeven door"), consent_import.GIVEN_BY),
            (self.tr("Naam gever"), consent_import.GIVER_NAME),
        ]
        choices += [
            (
                self.tr("Doel: %1").replace("%1", purpose.label),
                consent_import.purpose_target(purpose.code),
            )
            for purpose in purpose_store.list_purposes(self.db)
        ]
        choices += [
            (self.tr("Leerlinggegevens (niet gebruikt)"), consent_import.PUPIL_INFO),
            (self.tr("Overslaan"), consent_import.IGNORE),
        ]
        return choices

    def guessed(self) -> dict[str, str]:
        return dict(self._guess)

    def options(self) -> consent_import.ImportOptions:
        if self.long:
            return consent_import.ImportOptions()
        return consent_import.ImportOptions(
            mapping=self.mapping(), mapping_name=self.mapping_name.text().strip() or None
        )

    def refresh(self) -> None:
        """The preview for the columns as chosen now, and their dry run started on a worker
        (one started for an earlier choice is cancelled: only the newest is shown)."""
        self.file_label.setText(self.file_text())
        columns, _ = consent_import.read_columns(self.db, self.table, self.options())
        self.show_preview(*consent_import.preview(self.db, self.table, columns))
        path, table, options = self.path, self.table, self.options()

        def dry_run(db: Database) -> consent_import.ConsentImportResult:
            return consent_import.import_consents(
                db, path, dry_run=True, options=options, table=table
            )

        self._stop_checking()
        self.dry_run = None
        self.import_button.setEnabled(False)
        self.summary.setStyleSheet(SUMMARY_STYLE)
        self.summary.setText(escape(self.tr("Het bestand wordt nagekeken…")))
        group = self.task_group
        if group is None:  # no window's workers to run it on (a dialog built on its own)
            try:
                self._checked(dry_run(self.db))
            except InputError as exc:
                self.show_problem(exc)
            return
        self.checking = group.read(
            dry_run,
            context=self,
            on_result=self._checked,
            on_error=self._check_failed,
            name="consent-dry-run",
        )

    def _checked(self, result: consent_import.ConsentImportResult) -> None:
        self.checking = None
        self.dry_run = result
        self.show_summary(self.summary_html(result))

    def _check_failed(self, exc: BaseException) -> None:
        self.checking = None
        if not isinstance(exc, InputError):
            raise exc  # to the error hook: a fault, not a file that says what is wrong
        self.show_problem(exc)

    def _stop_checking(self) -> None:
        if self.checking is not None and self.task_group is not None:
            self.task_group.cancel(self.checking)
        self.checking = None

    def done(self, result: int) -> None:
        """Closing stops a dry run still running."""
        self._stop_checking()
        super().done(result)

    def run_import(self) -> bool:
        if self._refresh_timer.isActive():  # a column chosen a moment ago: check that first
            self._refresh_timer.stop()
            self.refresh()
        if self.checking is not None or self.dry_run is None:
            return False  # Importeren waits for the dry run of the columns as chosen now
        return super().run_import()

    def summary_html(self, result: consent_import.ConsentImportResult) -> str:
        counts = [
            count_text(
                result.granted, self.tr("1 nieuwe toestemming"), self.tr("%1 nieuwe toestemmingen")
            ),
            count_text(
                result.refused, self.tr("1 nieuwe weigering"), self.tr("%1 nieuwe weigeringen")
            ),
            count_text(result.withdrawn, self.tr("1 intrekking"), self.tr("%1 intrekkingen")),
            count_text(result.unchanged, self.tr("1 ongewijzigd"), self.tr("%1 ongewijzigd")),
            count_text(len(result.conflicts), self.tr("1 conflict"), self.tr("%1 conflicten")),
            count_text(
                len(result.unknown_pupils),
                self.tr("1 onbekende leerling"),
                self.tr("%1 onbekende leerlingen"),
            ),
        ]
        parts = [f"<b>{escape(' · '.join(counts))}</b>"]
        if result.conflicts:
            parts.append(
                escape(
                    self.tr(
                        "Niet overschreven, want het register heeft een nieuwer besluit (los ze "
                        "daarna op in het register):"
                    )
                )
                + "<br>"
                + "<br>".join(
                    escape(
                        f"• {c.pupil.name} ({c.pupil.number}), {c.purpose.label}: bestand "
                        f"{'ja' if c.answer else 'nee'}, register "
                        f"{self._decision_word(c.current.decision)} "
                        f"van {c.current.received_on:%d-%m-%Y}"
                    )
                    for c in result.conflicts[:20]
                )
            )
        if result.unknown_pupils:
            parts.append(
                escape(self.tr("Niet in het register (importeer eerst de leerlingen): "))
                + escape(", ".join(number for _, number in result.unknown_pupils[:30]))
            )
        if result.takedowns:
            parts.append(
                "<b>"
                + escape(self.tr("Deze publicaties moeten daarna offline (Te verwijderen):"))
                + "</b><br>"
                + "<br>".join(
                    escape(
                        f"• {group.item_title} — {group.purpose_label}, "
                        f"{group.published_on:%d-%m-%Y}: "
                        + ", ".join(pupil.name for pupil in group.pupils)
                    )
                    for group in result.takedowns
                )
            )
        elif result.withdrawn or result.refused:
            parts.append(escape(self.tr("Er hoeft daardoor geen publicatie offline.")))
        if result.mapping_name:
            parts.append(
                escape(self.tr("Kolommen gelezen zoals onthouden als '%1'.")).replace(
                    "%1", escape(result.mapping_name)
                )
            )
        return "<br><br>".join(parts)

    @staticmethod
    def _decision_word(decision: str) -> str:
        from merlet_desk.domain import consent as rules

        return rules.DECISION_LABELS.get(decision, decision).lower()

    def save_long_example(self) -> Path | None:
        self.example_kind = examples.CONSENTS_LONG
        try:
            return self.save_example()
        finally:
            self.example_kind = examples.CONSENTS

    def write(self) -> consent_import.ConsentImportResult:
        return consent_import.import_consents(
            self.db, self.path, options=self.options(), table=self.table
        )


class PupilImportDialog(ImportDialog):
    """The mapping step of a pupil export whose columns are not all recognised (SOMtoday,
    Magister, a spreadsheet of one's own): which column is which, the location when the file
    has none, and the first rows as read."""

    example_kind = examples.PUPILS

    def __init__(
        self,
        db: Database,
        path: Path,
        table: Table,
        before_write: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db, path, table, before_write, parent)
        self.setWindowTitle(self.tr("Leerlingen importeren: kolommen kiezen"))
        self.location = QComboBox()
        self.location.addItem(self.tr("— kies de locatie —"), "")
        for name in store.known_locations():
            self.location.addItem(name, name)
        self.location.currentIndexChanged.connect(self._refresh_timer.start)
        self.location_label = QLabel(self.tr("Locatie van alle leerlingen in dit bestand:"))
        self.extra_row.addWidget(self.location_label)
        self.extra_row.addWidget(self.location)
        self.extra_row.addStretch(1)
        self.mapping_name.setText(self.path.stem)
        self.fill_columns()
        self.refresh()

    def targets(self) -> list[tuple[str, str]]:
        return [(self.tr("— niet gebruiken —"), "")] + [
            (spec.name[:1].upper() + spec.name[1:], spec.key) for spec in pupil_import.COLUMNS
        ]

    def guessed(self) -> dict[str, str]:
        return pupil_import.column_keys(self.db, self.table)

    def chosen_location(self) -> str | None:
        if "location" in self.mapping().values():
            return None
        return str(self.location.currentData() or "") or None

    def refresh(self) -> None:
        self.file_label.setText(self.file_text())
        has_location = "location" in self.mapping().values()
        self.location.setEnabled(not has_location)
        self.location_label.setEnabled(not has_location)
        self.show_preview(*pupil_import.preview(self.table, self.mapping(), self.chosen_location()))
        try:
            result = pupil_import.import_pupils(
                self.db,
                self.path,
                self.chosen_location(),
                dry_run=True,
                mapping=self.mapping(),
                table=self.table,
            )
        except InputError as exc:
            self.show_problem(exc)
            return
        self.show_summary(escape(result.summary()))

    def write(self) -> pupil_import.PupilImportResult:
        return pupil_import.import_pupils(
            self.db,
            self.path,
            self.chosen_location(),
            mapping=self.mapping(),
            table=self.table,
            mapping_name=self.mapping_name.text().strip() or None,
        )
