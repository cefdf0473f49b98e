"""Publishing an item on a channel: the publication check for exactly the pupils in it, the
pupils made unrecognisable, and the checklist of the policy's publishing agreements.

The "Publiceren" button stays disabled, with a line that says why, until every pupil who may
not appear is unrecognisable and every agreement is ticked. The store's `publish` checks the
same again and logs each unrecognisable pupil.

On the left the photo itself (a video: a frame and its length), where the officer points out
each face to hide and whose it is (`unrecognisable_panel`). A pupil counts as "vervaagd in
Merlet Desk" only when a box linked to that pupil is hidden in the new file, which is then the
publication's file; the row says so and cannot be ticked by hand. A pupil who is not
recognisable in the picture as it is (from behind, cropped) can be ticked instead, with how in
the officer's own words: that is recorded as the officer's statement. A video is made
unrecognisable face by face in every frame, so there every pupil is. A photo that goes out as
it is goes as a copy without metadata unless the officer unticks that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain import consent as rules
from merlet_desk.domain.publications import VIDEO, publish_checklist
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as store
from merlet_desk.store import purposes as purpose_store
from merlet_desk.store.publications import MERLET_METHOD, Publication
from merlet_desk.store.pupils import Pupil
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.statuses import CheckResult
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.columns import ColumnFit
from merlet_desk.ui.common.consent_states import (
    STATE_COLOURS,
    reason_text,
    state_symbol,
    tr_consent,
)
from merlet_desk.ui.common.purposes import fill_purpose_combo
from merlet_desk.ui.common.screen import fit_to_screen
from merlet_desk.ui.common.widgets import DateField, top_level_items
from merlet_desk.ui.publications.unrecognisable_panel import UnrecognisablePanel

PUPIL_ROLE = Qt.ItemDataRole.UserRole
COL_STATE, COL_NAME, COL_CLASS, COL_VERDICT, COL_HIDDEN = range(5)
# The verdict as the table of pupils says it, short enough to read whole on a laptop; the
# full reason (REASON_LABELS) is in the cell's tooltip.
SHORT_REASONS = {
    rules.REFUSED: "geweigerd",
    rules.WITHDRAWN: "ingetrokken",
    rules.EXPIRED: "verlopen",
    rules.NO_RECORD: "niets vastgelegd",
    rules.ASK_PUPIL: "16+: vraag de leerling",
}


def tr_publications(text: str) -> str:
    return QCoreApplication.translate("publications", text)


class PublishDialog(QDialog):
    """Emits `published(Publication)` after the store recorded the publication."""

    published = Signal(object)

    def __init__(
        self,
        db: Database,
        item_id: int,
        parent: QWidget | None = None,
        today: date | None = None,
        open_agreement: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.item = item_store.get_item(db, item_id)
        self.open_agreement = open_agreement
        self.check_result: CheckResult | None = None
        self.publication: Publication | None = None
        self._hidden: dict[str, tuple[QCheckBox, QLineEdit]] = {}
        # What the officer stated per pupil (ticked, how): kept when the check runs again and
        # when a row shows the file's box instead for a while.
        self._statements: dict[str, tuple[bool, str]] = {}
        today = today or clock.today()
        self.setWindowTitle(self.tr("Publiceren: %1").replace("%1", self.item.title))
        self.setMinimumSize(980, 640)
        fit_to_screen(self, 1240, 720)

        heading = QLabel(self.item.title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size:14pt; font-weight:600; color:#1f3a5f;")
        self.channel = QComboBox()
        fill_purpose_combo(self.channel, purpose_store.list_purposes(db))
        self.channel.setAccessibleName(self.tr("Doel"))
        self.on = DateField(today)
        self.on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.on.setAccessibleName(self.tr("Publicatiedatum"))
        self.link = QLineEdit()
        self.link.setPlaceholderText(
            self.tr("https://www.merletcollege.nl/… of: pagina 12 van de schoolgids")
        )
        self.link.setAccessibleName(self.tr("Link of omschrijving"))
        where = QGroupBox(self.tr("1. Waar en wanneer"))
        form = QFormLayout(where)
        form.addRow(self.tr("&Doel:"), self.channel)
        # The date beside the link: one row less above the table of pupils.
        when = QHBoxLayout()
        when.addWidget(self.on)
        link_label = QLabel(self.tr("&Link of omschrijving:"))
        link_label.setBuddy(self.link)
        when.addWidget(link_label)
        when.addWidget(self.link, 1)
        date_label = QLabel(self.tr("&Datum:"))
        date_label.setBuddy(self.on)
        form.addRow(date_label, when)

        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.pupils = QTreeWidget()
        self.pupils.setColumnCount(5)
        self.pupils.setHeaderLabels(
            [
                "",
                self.tr("Leerling"),
                self.tr("Klas"),
                self.tr("Uitslag"),
                self.tr("Onherkenbaar: hoe"),
            ]
        )
        self.pupils.setRootIsDecorated(False)
        self.pupils.setUniformRowHeights(True)
        self.pupils.setAccessibleName(self.tr("Leerlingen in beeld"))
        # This table decides who may appear: each pupil's name and verdict show whole (short
        # verdicts, the full reason in the tooltip) on a school laptop; how a pupil is
        # unrecognisable takes the rest, and the class goes first when room is short.
        self.column_fit = ColumnFit(
            self.pupils,
            stretch=COL_HIDDEN,
            widths={COL_STATE: 30, COL_CLASS: 40},
            hide=(COL_CLASS,),
            contents=(COL_NAME, COL_VERDICT),
            min_stretch=150,
        )
        check_box = QGroupBox(self.tr("2. Mogen zij erop?"))
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.verdict)
        check_layout.addWidget(self.pupils, 1)

        self.agreements: dict[int, QCheckBox] = {}
        agreements_box = QGroupBox(self.tr("3. Afspraken uit het beleid"))
        grid = QGridLayout(agreements_box)
        grid.setVerticalSpacing(4)
        # Across the dialog's width in two columns: their texts read whole in a few lines and
        # leave the height to the table of pupils.
        for index, entry in enumerate(publish_checklist()):
            row, column = index // 2, (index % 2) * 3
            box = QCheckBox(self.tr("Afspraak %1:").replace("%1", str(entry.agreement)))
            box.toggled.connect(self.update_state)
            text = QLabel(tr_publications(entry.text))
            text.setWordWrap(True)
            text.setBuddy(box)
            grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, column + 1, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column + 1, 1)
            if open_agreement is not None:
                link = QLabel(f"<a href='{entry.agreement}'>{self.tr('lees')}</a>")
                link.setObjectName(f"agreementLink{entry.agreement}")
                link.setToolTip(self.tr("Open deze afspraak in het beleid"))
                link.linkActivated.connect(lambda href, show=open_agreement: show(int(href)))
                grid.addWidget(link, row, column + 2, Qt.AlignmentFlag.AlignTop)
            self.agreements[entry.agreement] = box

        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color:#a61b1b; font-weight:600;")
        self.buttons = QDialogButtonBox()
        self.publish_button = QPushButton(self.tr("&Publiceren"))
        self.buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("&Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.buttons)

        self.photo_panel = UnrecognisablePanel(self.item)
        self.photo_panel.made_changed.connect(self._faces_changed)
        self.photo_panel.view.selection_changed.connect(self._faces_changed)
        picture_box = QGroupBox(self.tr("Het beeld"))
        picture_layout = QVBoxLayout(picture_box)
        picture_layout.addWidget(self.photo_panel)
        steps = QWidget()
        steps_layout = QVBoxLayout(steps)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.addWidget(where)
        steps_layout.addWidget(check_box, 1)
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(picture_box)
        columns.addWidget(steps)
        columns.setStretchFactor(0, 2)
        columns.setStretchFactor(1, 3)
        columns.setSizes([400, 600])  # the table of pupils gets the larger part
        columns.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(columns, 1)
        layout.addWidget(agreements_box)
        layout.addLayout(bottom)

        self.channel.currentIndexChanged.connect(self.run_check)
        self.on.dateChanged.connect(self.run_check)
        self.link.textChanged.connect(self.update_state)
        self.run_check()

    # -- input --------------------------------------------------------------------------------

    def set_channel(self, code: str) -> None:
        index = self.channel.findData(code)
        if index < 0:
            raise ValueError(f"unknown channel {code}")
        self.channel.setCurrentIndex(index)

    def set_link(self, text: str) -> None:
        self.link.setText(text)

    def mark_unrecognisable(self, number: str, how: str) -> None:
        """The officer states that this pupil is not recognisable, and how."""
        box, how_field = self._hidden[number]
        how_field.setText(how)
        box.setChecked(True)

    def hidden_by_file(self) -> set[str]:
        """The pupils whose face the file made here hides: those with a box of their own in
        it, or in a video every pupil (every face in every frame)."""
        made = self.photo_panel.made
        if made is None:
            return set()
        if self.item.media_kind == VIDEO:
            return set(self._hidden)
        return {owner for owner in made.owners if owner}

    def by_file_text(self, number: str) -> str:
        """ "vak 2: vervaagd in Merlet Desk": which box of the file hides this pupil (the
        number first: a narrow column cuts the end)."""
        made = self.photo_panel.made
        if made is None:
            return ""
        if self.item.media_kind == VIDEO:
            return self.tr("elk gezicht in elk beeld: %1").replace("%1", MERLET_METHOD)
        places = [str(i) for i, owner in enumerate(made.owners, start=1) if owner == number]
        which = self.tr("vak %1") if len(places) == 1 else self.tr("vakken %1")
        return which.replace("%1", ", ".join(places)) + f": {MERLET_METHOD}"

    def _faces_changed(self) -> None:
        """The faces pointed out or the file changed: each row shows what holds for its pupil
        now."""
        hidden = self.hidden_by_file()
        linked = set(self.photo_panel.linked())
        for number, (box, how) in self._hidden.items():
            by_file = number in hidden
            pointed = number in linked and not by_file
            for widget in (box, how):
                widget.blockSignals(True)
            if by_file or pointed:
                box.setChecked(by_file)
                box.setEnabled(False)
                how.setReadOnly(True)
                how.setEnabled(True)
                how.setText(
                    self.by_file_text(number)
                    if by_file
                    else self.tr("gezicht aangewezen, nog niet gemaakt")
                )
                how.setCursorPosition(0)
                how.setToolTip(how.text())
            else:
                checked, text = self._statements.get(number, (False, ""))
                box.setChecked(checked)
                box.setEnabled(True)
                how.setReadOnly(False)
                how.setEnabled(checked)
                how.setText(text)
                how.setToolTip("")
            for widget in (box, how):
                widget.blockSignals(False)
        for row in top_level_items(self.pupils):
            number = row.data(0, PUPIL_ROLE)
            if number not in self._hidden:  # may appear; a face of theirs may be hidden too
                text = self.by_file_text(number) if number in hidden else ""
                row.setText(COL_HIDDEN, text)
                row.setToolTip(COL_HIDDEN, text)
        self.update_state()

    def _statement_changed(self, number: str) -> None:
        box, how = self._hidden[number]
        if box.isEnabled():  # the officer's own row, not the file's
            self._statements[number] = (box.isChecked(), how.text())
            how.setEnabled(box.isChecked())
        self.update_state()

    def tick_all_agreements(self) -> None:
        for box in self.agreements.values():
            box.setChecked(True)

    # -- check --------------------------------------------------------------------------------

    def run_check(self) -> CheckResult | None:
        """The check for the item's pupils on the chosen channel and date."""
        self.pupils.clear()
        self._hidden.clear()
        code = self.channel.currentData()
        if not code:
            self.check_result = None
            self.verdict.setText(self.tr("Er is geen doel in gebruik."))
            self.update_state()
            return None
        self.check_result = item_store.check_item(self.db, self.item.id, code, self.on.value())
        for pupil, status in self.check_result.blocked:
            short = tr_publications(SHORT_REASONS.get(status.reason or "", ""))
            self._add_row(pupil, status, short or reason_text(status), reason_text(status), True)
        for pupil, status in self.check_result.allowed:
            flags = ", ".join(tr_consent(rules.FLAG_LABELS.get(f, f)) for f in status.flags)
            text = self.tr("mag erop") + (self.tr(" (16 geworden)") if status.flags else "")
            full = self.tr("mag erop") + (f" — {flags}" if flags else "")
            self._add_row(pupil, status, text, full, blocked=False)
        self.column_fit.refit()
        self.photo_panel.set_pupils(
            [(p.number, p.name, p.class_name, True) for p, _s in self.check_result.blocked]
            + [(p.number, p.name, p.class_name, False) for p, _s in self.check_result.allowed]
        )
        self._faces_changed()  # shows the verdict and the state
        return self.check_result

    def _add_row(
        self, pupil: Pupil, status: rules.Status, text: str, full: str, blocked: bool
    ) -> None:
        row = QTreeWidgetItem([state_symbol(status.state), pupil.name, pupil.class_name, text, ""])
        row.setData(0, PUPIL_ROLE, pupil.number)
        fill, ink = STATE_COLOURS[status.state]
        row.setBackground(COL_STATE, QColor(fill))
        row.setForeground(COL_STATE, QColor(ink))
        row.setTextAlignment(COL_STATE, Qt.AlignmentFlag.AlignCenter)
        row.setToolTip(COL_NAME, f"{pupil.name} ({pupil.number})")
        row.setToolTip(COL_VERDICT, full)
        self.pupils.addTopLevelItem(row)
        if not blocked:
            return
        box = QCheckBox()
        box.setAccessibleName(self.tr("Onherkenbaar: %1").replace("%1", pupil.name))
        box.setToolTip(
            self.tr(
                "Vink aan als de leerling op dit beeld niet te herkennen is (van achteren, "
                "weggesneden, elders vervaagd) en schrijf op hoe. Dat wordt vastgelegd als uw "
                "verklaring. Vervagen in Merlet Desk gaat links: wijs het gezicht aan."
            )
        )
        how_field = QLineEdit()
        how_field.setPlaceholderText(self.tr("hoe: van achteren, weggesneden…"))
        how_field.setAccessibleName(self.tr("Hoe onherkenbaar: %1").replace("%1", pupil.name))
        number = pupil.number
        box.toggled.connect(lambda _on, number=number: self._statement_changed(number))
        how_field.textChanged.connect(lambda _text, number=number: self._statement_changed(number))
        cell = QWidget()
        cell_layout = QHBoxLayout(cell)
        cell_layout.setContentsMargins(2, 0, 0, 0)
        cell_layout.setSpacing(4)
        cell_layout.addWidget(box)
        cell_layout.addWidget(how_field, 1)
        self.pupils.setItemWidget(row, COL_HIDDEN, cell)
        self._hidden[pupil.number] = (box, how_field)

    def _show_verdict(self) -> None:
        result = self.check_result
        assert result is not None
        total, blocked = len(result.allowed) + len(result.blocked), len(result.blocked)
        if total == 0:
            text, colour = self.tr("Er staan geen leerlingen in dit item."), "#3c4650"
        elif blocked:
            if total == 1:
                who = self.tr("De leerling")
            else:
                who = count_text(
                    blocked,
                    self.tr("1 van de %2 leerlingen"),
                    self.tr("%1 van de %2 leerlingen"),
                ).replace("%2", number_text(total))
            waiting = self.blocked_numbers()
            if not waiting:  # every one of them made unrecognisable
                text = count_text(
                    blocked,
                    self.tr("%4 mag niet op %3 en is onherkenbaar gemaakt."),
                    self.tr("%4 mogen niet op %3 en zijn onherkenbaar gemaakt."),
                )
                colour = "#8a5300"
            elif len(waiting) < blocked:  # some of them, not all
                names = {p.number: p.name for p, _status in result.blocked}
                text = self.tr("%4 mogen niet op %3. Nog niet onherkenbaar: %5.").replace(
                    "%5", ", ".join(names[number] for number in waiting)
                )
                colour = "#a61b1b"
            else:
                text = count_text(
                    blocked,
                    self.tr(
                        "%4 mag niet op %3. Zet het beeld zo niet online, of maak hem of haar "
                        "onherkenbaar."
                    ),
                    self.tr(
                        "%4 mogen niet op %3. Zet het beeld zo niet online, of maak hen "
                        "onherkenbaar."
                    ),
                )
                colour = "#a61b1b"
            text = text.replace("%4", who)
        else:
            text = count_text(
                total, self.tr("De leerling mag op %3."), self.tr("Alle %1 leerlingen mogen op %3.")
            )
            colour = "#2e7d32"
        text = text.replace("%3", result.purpose.label)
        self.verdict.setText(text)
        self.verdict.setStyleSheet(
            f"font-size:10pt; font-weight:600; color:#ffffff; background:{colour}; padding:4px;"
        )

    def _stated(self) -> dict[str, str]:
        """The pupils the officer ticked themselves, with how (maybe still empty)."""
        return {
            number: how.text().strip()
            for number, (box, how) in self._hidden.items()
            if box.isEnabled() and box.isChecked()
        }

    def blocked_numbers(self) -> list[str]:
        """Pupils who may not appear and are neither hidden by a box of their own in the file
        made here nor stated unrecognisable (with how) by the officer."""
        if self.check_result is None:
            return []
        hidden = self.hidden_by_file()
        stated = {number for number, how in self._stated().items() if how}
        return [
            pupil.number
            for pupil, _status in self.check_result.blocked
            if pupil.number not in hidden and pupil.number not in stated
        ]

    def unrecognisable(self) -> dict[str, str]:
        """Who is unrecognisable, and how: "vervaagd in Merlet Desk" for the pupils hidden by
        a box of their own in the file, else the officer's words."""
        result = {number: MERLET_METHOD for number in sorted(self.hidden_by_file())}
        result.update({number: how for number, how in self._stated().items() if how})
        return result

    def why_not(self) -> str:
        """Why publishing is not possible yet; empty when it is."""
        if self.check_result is None:
            return self.tr("Kies een doel.")
        names = {p.number: p.name for p, _status in self.check_result.blocked}
        unsaid = [number for number, how in self._stated().items() if not how]
        if unsaid:
            return self.tr("Schrijf op hoe %1 onherkenbaar is").replace(
                "%1", names.get(unsaid[0], unsaid[0])
            )
        blocked = self.blocked_numbers()
        linked = set(self.photo_panel.linked())
        if any(number not in linked for number in blocked):
            return count_text(
                len(blocked),
                self.tr("1 leerling mag niet op %2"),
                self.tr("%1 leerlingen mogen niet op %2"),
            ).replace("%2", self.check_result.purpose.label)
        if self.photo_panel.made is None and self.photo_panel.view.chosen_boxes():
            # Faces chosen to hide but no file made: the photo would go out as it is.
            return self.tr("Maak de foto eerst onherkenbaar")
        if not all(box.isChecked() for box in self.agreements.values()):
            return self.tr("Vink alle afspraken aan")
        if not self.link.text().strip():
            return self.tr("Vul de link of een omschrijving in")
        return ""

    def can_publish(self) -> bool:
        return not self.why_not()

    def update_state(self) -> None:
        if self.check_result is not None:
            self._show_verdict()
            # Who still needs a face pointed out: no box and nothing stated.
            self.photo_panel.set_waiting(self.blocked_numbers())
        reason = self.why_not()
        self.publish_button.setEnabled(not reason)
        self.reason.setText(reason)

    # -- publishing ---------------------------------------------------------------------------

    def publish(self) -> Publication | None:
        """Record the publication; None (after a message) when the store refuses."""
        if not self.can_publish() or self.check_result is None:
            return None
        try:
            outgoing = self.photo_panel.outgoing()  # writes the copy without metadata
            publication = store.publish(
                self.db,
                self.item.id,
                self.check_result.purpose.code,
                self.on.value(),
                self.link.text(),
                unrecognisable=self.unrecognisable(),
                checklist=[n for n, box in self.agreements.items() if box.isChecked()],
                outgoing=outgoing,
            )
        except (InputError, OSError) as exc:
            self.photo_panel.discard_clean_copy()
            dialogs.show_error(self, self.tr("Niet gepubliceerd"), str(exc))
            self.run_check()
            return None
        self.photo_panel.published()
        self.publication = publication
        self.published.emit(publication)
        return publication

    def accept(self) -> None:
        if self.publish() is not None:
            super().accept()

    def reject(self) -> None:
        """Cancelled: a file made here was never published, so it goes again."""
        self.photo_panel.discard()
        super().reject()
