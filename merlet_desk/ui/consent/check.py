"""Publication check: "Mag deze foto online?" — a purpose, the pupils in the photo (a class or
pupils picked by type-ahead) and a date give who may appear and who may not, with the reason.

The verdicts come from `store.statuses.publication_check`, the same function the CLI `check`
uses; the dialog only collects the input and shows the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store import statuses as store
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.purposes import Purpose
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.statuses import CheckResult
from merlet_desk.ui.common.consent_states import (
    STATE_COLOURS,
    reason_text,
    state_symbol,
    tr_consent,
)
from merlet_desk.ui.common.purposes import fill_purpose_combo
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, PupilPicker, top_level_items

PUPIL_ROLE = Qt.ItemDataRole.UserRole


def result_text(result: CheckResult) -> str:
    """The verdict as plain text, for the clipboard (an e-mail, a chat message)."""
    lines = [
        tr_consent("Mag deze foto online? — %1 — %2")
        .replace("%1", result.purpose.label)
        .replace("%2", format_date(result.on)),
        "",
        tr_consent("Mag in beeld (%1):").replace("%1", number_text(len(result.allowed))),
    ]
    for pupil, status in result.allowed:
        line = f"  ✓ {pupil.name} ({pupil.number}, {pupil.class_name})"
        if status.flags:
            flags = ", ".join(tr_consent(rules.FLAG_LABELS.get(f, f)) for f in status.flags)
            line += f" — {flags}"
        lines.append(line)
    if not result.allowed:
        lines.append(tr_consent("  niemand"))
    lines += [
        "",
        tr_consent("Mag NIET in beeld (%1):").replace("%1", number_text(len(result.blocked))),
    ]
    for pupil, status in result.blocked:
        lines.append(
            f"  ✗ {pupil.name} ({pupil.number}, {pupil.class_name}) — {reason_text(status)}"
        )
    if not result.blocked:
        lines.append(tr_consent("  niemand"))
    return "\n".join(lines) + "\n"


class PublicationCheckDialog(QDialog):
    """Pick a purpose, add pupils (a whole class, or one by one), pick a date: the two lists
    update at once."""

    checked = Signal(object)  # CheckResult

    def __init__(
        self,
        db: Database,
        pupils: list[Pupil] | None = None,
        purpose_code: str | None = None,
        parent: QWidget | None = None,
        open_history: Callable[[Pupil, Purpose], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.open_history = open_history
        self.check_result: CheckResult | None = None
        self.setWindowTitle(self.tr("Mag deze foto online?"))
        fit_to_screen(self, 1100, 700)

        intro = QLabel(
            self.tr(
                "Kies waar de foto of video komt, wie erop staan en wanneer hij gepubliceerd "
                "wordt. Rechts ziet u meteen wie in beeld mag en wie niet, met de reden."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color:#3c4650; font-size:10.5pt;")

        self.purpose = QComboBox()
        fill_purpose_combo(self.purpose, purpose_store.list_purposes(self.db))
        if purpose_code:
            index = self.purpose.findData(purpose_code)
            if index >= 0:
                self.purpose.setCurrentIndex(index)
        self.purpose.currentIndexChanged.connect(self.run_check)
        self.on = DateField(clock.today())
        self.on.dateChanged.connect(self.run_check)

        all_pupils = pupils if pupils is not None else pupil_store.list_pupils(self.db)
        self.picker = PupilPicker(all_pupils)
        self.picker.setPlaceholderText(self.tr("Typ naam of nummer en kies (Enter)…"))
        self.picker.picked.connect(self.add_pupil)
        self.class_combo = QComboBox()
        self.class_combo.addItem(self.tr("— kies een klas —"), "")
        for class_name in pupil_store.list_classes(self.db):
            self.class_combo.addItem(class_name, class_name)
        self.add_class_button = QPushButton(self.tr("Hele klas toevoegen"))
        self.add_class_button.clicked.connect(self.add_selected_class)

        self.chosen = QListWidget()
        self.chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.chosen.setAccessibleName(self.tr("Leerlingen op de foto"))
        self.remove_button = QPushButton(self.tr("Verwijder gekozen"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setToolTip(self.tr("Haal de gekozen leerlingen van de lijst (Delete)"))
        self.chosen.installEventFilter(self)
        self.clear_button = QPushButton(self.tr("Lijst leegmaken"))
        self.clear_button.clicked.connect(self.clear_pupils)

        input_box = QGroupBox(self.tr("1. Wat wordt er gepubliceerd?"))
        form = QFormLayout(input_box)
        form.addRow(self.tr("&Doel:"), self.purpose)
        form.addRow(self.tr("Publicatiedatum:"), self.on)
        pupils_box = QGroupBox(self.tr("2. Wie staan erop?"))
        pupils_layout = QVBoxLayout(pupils_box)
        pupils_layout.addWidget(self.picker)
        class_row = QHBoxLayout()
        class_row.addWidget(self.class_combo, 1)
        class_row.addWidget(self.add_class_button)
        pupils_layout.addLayout(class_row)
        self.chosen_count = QLabel()
        self.chosen_count.setStyleSheet("color:#3c4650;")
        pupils_layout.addWidget(self.chosen_count)
        pupils_layout.addWidget(self.chosen, 1)
        chosen_buttons = QHBoxLayout()
        chosen_buttons.addWidget(self.remove_button)
        chosen_buttons.addWidget(self.clear_button)
        chosen_buttons.addStretch(1)
        pupils_layout.addLayout(chosen_buttons)
        left = QVBoxLayout()
        left.addWidget(input_box)
        left.addWidget(pupils_box, 1)

        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.allowed_title = QLabel()
        self.allowed_title.setStyleSheet("font-weight:600; color:#1d5e22; font-size:11pt;")
        self.allowed_list = self._result_tree(self.tr("Let op"))
        self.allowed_list.setAccessibleName(self.tr("Mag in beeld"))
        self.blocked_title = QLabel()
        self.blocked_title.setStyleSheet("font-weight:600; color:#a61b1b; font-size:11pt;")
        self.blocked_list = self._result_tree(self.tr("Reden"))
        for tree in (self.allowed_list, self.blocked_list):
            tree.itemDoubleClicked.connect(self._open_history)
            tree.setToolTip(self.tr("Dubbelklik: geschiedenis van deze leerling voor dit doel"))
        self.blocked_list.setAccessibleName(self.tr("Mag niet in beeld"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#a61b1b;")
        self.error.hide()

        self.copy_button = QPushButton(self.tr("Kopieer als tekst"))
        self.copy_button.setToolTip(
            self.tr("Zet de uitslag op het klembord, om te plakken in een mail")
        )
        self.copy_button.clicked.connect(self.copy_result)
        self.export_button = QPushButton(self.tr("Exporteren als PDF…"))
        self.export_button.setToolTip(
            self.tr("De uitslag op briefpapier, met een regel voor de handtekening")
        )
        self.export_button.clicked.connect(self.export_pdf)
        self.close_button = QPushButton(self.tr("Sluiten"))
        self.close_button.clicked.connect(self.reject)
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.export_button)
        self.button_row.addWidget(self.copy_button)
        self.button_row.addWidget(self.close_button)

        result_box = QGroupBox(self.tr("3. Uitslag"))
        right = QVBoxLayout(result_box)
        self.result_layout = right
        right.addWidget(self.verdict)
        right.addWidget(self.blocked_title)
        right.addWidget(self.blocked_list, 1)
        right.addWidget(self.allowed_title)
        right.addWidget(self.allowed_list, 1)
        right.addWidget(self.error)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(result_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addLayout(self.button_row)
        self.run_check()

    def _result_tree(self, last_header: str) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(4)
        tree.setHeaderLabels(["", self.tr("Leerling"), self.tr("Klas"), last_header])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setColumnWidth(0, 34)
        tree.setColumnWidth(1, 250)
        tree.setColumnWidth(2, 50)
        tree.header().setStretchLastSection(True)
        return tree

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Delete or Backspace in the list of pupils removes the chosen ones."""
        if (
            watched is self.chosen
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove_selected()
            return True
        # Not super().eventFilter(): QDialog's only returns False, and with PySide6 6.12 on
        # Python 3.11 each call that hands a bool back from C++ drops a reference to it.
        return False

    def _open_history(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """The pupil's history for the checked purpose (to record a consent that came in)."""
        if self.check_result is None or self.open_history is None:
            return
        pupil = pupil_store.get_pupil(self.db, item.data(0, PUPIL_ROLE))
        dialog = self.open_history(pupil, self.check_result.purpose)
        if dialog is not None:
            dialog.recorded.connect(lambda _number: self.run_check())

    # -- input --------------------------------------------------------------------------------

    def pupil_numbers(self) -> list[str]:
        return [self.chosen.item(i).data(PUPIL_ROLE) for i in range(self.chosen.count())]

    def add_pupil(self, pupil: Pupil) -> None:
        if pupil.number not in self.pupil_numbers():
            item = QListWidgetItem(f"{pupil.name} ({pupil.number}, {pupil.class_name})")
            item.setData(PUPIL_ROLE, pupil.number)
            self.chosen.addItem(item)
        self.picker.clear()
        self.run_check()

    def add_numbers(self, numbers: list[str]) -> None:
        known = {p.number: p for p in pupil_store.list_pupils(self.db, include_left=True)}
        present = set(self.pupil_numbers())
        for number in numbers:
            pupil = known.get(number)
            if pupil is not None and number not in present:
                item = QListWidgetItem(f"{pupil.name} ({pupil.number}, {pupil.class_name})")
                item.setData(PUPIL_ROLE, pupil.number)
                self.chosen.addItem(item)
                present.add(number)
        self.run_check()

    def add_class(self, class_name: str) -> None:
        self.add_numbers(pupil_store.class_numbers(self.db, class_name))

    def add_selected_class(self) -> None:
        class_name = self.class_combo.currentData()
        if class_name:
            self.add_class(class_name)

    def remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self.run_check()

    def clear_pupils(self) -> None:
        self.chosen.clear()
        self.run_check()

    def set_purpose(self, code: str) -> None:
        index = self.purpose.findData(code)
        if index >= 0:
            self.purpose.setCurrentIndex(index)

    # -- result -------------------------------------------------------------------------------

    def run_check(self) -> CheckResult | None:
        code = self.purpose.currentData()
        numbers = self.pupil_numbers()
        self.chosen_count.setText(
            count_text(
                len(numbers),
                self.tr("Op de foto: 1 leerling"),
                self.tr("Op de foto: %1 leerlingen"),
            )
        )
        self.allowed_list.clear()
        self.blocked_list.clear()
        self.error.hide()
        if not code or not numbers:
            self.check_result = None
            self.verdict.setText(
                self.tr("Voeg de leerlingen toe die op de foto staan.")
                if code
                else self.tr("Er is geen doel in gebruik.")
            )
            self.verdict.setStyleSheet("font-size:12pt; color:#3c4650; padding:8px;")
            self.allowed_title.setText(self.tr("Mag in beeld"))
            self.blocked_title.setText(self.tr("Mag niet in beeld"))
            self._share_height(0, 0)
            self.copy_button.setEnabled(False)
            self.export_button.setEnabled(False)
            return None
        try:
            result = store.publication_check(self.db, code, numbers, self.on.value())
        except InputError as exc:
            self.check_result = None
            self.error.setText(str(exc))
            self.error.show()
            self.copy_button.setEnabled(False)
            self.export_button.setEnabled(False)
            return None
        self.check_result = result
        self._show(result)
        self.copy_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.checked.emit(result)
        return result

    def _add_result(self, tree: QTreeWidget, pupil: Pupil, status: rules.Status, note: str) -> None:
        item = QTreeWidgetItem(
            [state_symbol(status.state), f"{pupil.name} ({pupil.number})", pupil.class_name, note]
        )
        item.setData(0, PUPIL_ROLE, pupil.number)
        fill, ink = STATE_COLOURS[status.state]
        item.setBackground(0, QColor(fill))
        item.setForeground(0, QColor(ink))
        item.setTextAlignment(0, Qt.AlignmentFlag.AlignCenter)
        item.setToolTip(1, pupil.name)
        item.setToolTip(3, note)
        tree.addTopLevelItem(item)

    def _show(self, result: CheckResult) -> None:
        for pupil, status in result.allowed:
            flags = ", ".join(tr_consent(rules.FLAG_LABELS.get(f, f)) for f in status.flags)
            self._add_result(self.allowed_list, pupil, status, flags)
        for pupil, status in result.blocked:
            self._add_result(self.blocked_list, pupil, status, reason_text(status))
        self.allowed_title.setText(
            self.tr("✓ Mag in beeld (%1)").replace("%1", number_text(len(result.allowed)))
            if result.allowed
            else self.tr("✓ Mag in beeld: niemand")
        )
        self.blocked_title.setText(
            self.tr("✗ Mag NIET in beeld (%1)").replace("%1", number_text(len(result.blocked)))
            if result.blocked
            else self.tr("✗ Mag NIET in beeld: niemand")
        )
        self._share_height(len(result.blocked), len(result.allowed))
        total = len(result.blocked) + len(result.allowed)
        if result.blocked:
            text = count_text(
                len(result.blocked),
                self.tr(
                    "Nee, niet zo: 1 van de %2 leerlingen mag niet in beeld. Haal die eruit of "
                    "maak hem of haar onherkenbaar."
                ),
                self.tr(
                    "Nee, niet zo: %1 van de %2 leerlingen mogen niet in beeld. Haal ze eruit of "
                    "maak ze onherkenbaar."
                ),
            ).replace("%2", number_text(total))
            if total == 1:
                text = self.tr(
                    "Nee, niet zo: deze leerling mag niet in beeld. Haal hem of haar eruit of "
                    "maak hem of haar onherkenbaar."
                )
            self.verdict.setText(text)
            self.verdict.setStyleSheet(
                "font-size:12pt; font-weight:600; color:#ffffff; background:#a61b1b; padding:8px;"
            )
        else:
            self.verdict.setText(
                count_text(
                    total,
                    self.tr("Ja: de leerling mag in beeld."),
                    self.tr("Ja: alle %1 leerlingen mogen in beeld."),
                )
            )
            self.verdict.setStyleSheet(
                "font-size:12pt; font-weight:600; color:#ffffff; background:#2e7d32; padding:8px;"
            )

    def _share_height(self, blocked: int, allowed: int) -> None:
        """The result lists use the dialog's height: an empty list folds to its title, the
        others share the room by their number of rows."""
        for tree, rows in ((self.blocked_list, blocked), (self.allowed_list, allowed)):
            tree.setVisible(rows > 0 or blocked + allowed == 0)
            self.result_layout.setStretchFactor(tree, max(rows, 1))

    @staticmethod
    def _rows(tree: QTreeWidget) -> list[tuple[str, str]]:
        return [(item.data(0, PUPIL_ROLE), item.text(3)) for item in top_level_items(tree)]

    def allowed_rows(self) -> list[tuple[str, str]]:
        """(pupil number, flags text) as shown in "Mag in beeld"."""
        return self._rows(self.allowed_list)

    def blocked_rows(self) -> list[tuple[str, str]]:
        """(pupil number, reason) as shown in "Mag niet in beeld"."""
        return self._rows(self.blocked_list)

    def result_text(self) -> str:
        return result_text(self.check_result) if self.check_result is not None else ""

    def copy_result(self) -> None:
        if self.check_result is not None:
            QGuiApplication.clipboard().setText(self.result_text())

    def export_pdf(self) -> Path | None:
        """The check as a letterhead PDF (the same report as `merlet-desk report check`)."""
        from merlet_desk.reports.publication_check import build_publication_check
        from merlet_desk.ui.common import export

        if self.check_result is None:
            return None
        db, code, numbers, on = (
            self.db,
            self.check_result.purpose.code,
            self.pupil_numbers(),
            self.check_result.on,
        )
        return export.export_report(
            self,
            self.tr("Publicatiecheck"),
            f"publicatiecheck-{code}-{on.isoformat()}.pdf",
            lambda db, path: build_publication_check(db, path, purpose=code, pupils=numbers, on=on),
            db,
        )
