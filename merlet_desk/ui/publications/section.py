"""The Publicaties section: the register of photos and videos (which pupils are in them, where
they went) and the list of publications that have to come down.

Tab "Beeldmateriaal": a filter line, the table of items and, on the right, the chosen item with
its thumbnail, file, pupils and publications. Tab "Te verwijderen": `ui.publications.takedown_list`, whose
open count is shown in the tab title and passed on through `takedowns_changed`.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from merlet_desk import clock
from merlet_desk.domain.dates import format_date
from merlet_desk.domain.publications import VIDEO
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as store
from merlet_desk.store.items import Item
from merlet_desk.store.publications import Publication
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.columns import MiddleElided
from merlet_desk.ui.common.empty_state import EmptyState
from merlet_desk.ui.common.flow_layout import FlowLayout
from merlet_desk.ui.common.media import pixmap_from_bytes, size_text
from merlet_desk.ui.common.photo_view import PhotoView
from merlet_desk.ui.common.widgets import top_level_items
from merlet_desk.ui.context import NothingUnsaved, SectionContext
from merlet_desk.ui.publications.items_model import ItemsModel, ItemsProxy, kind_label
from merlet_desk.ui.publications.takedown_list import TakedownList

PUBLICATION_ROLE = Qt.ItemDataRole.UserRole
THUMB_WIDTH, THUMB_HEIGHT = 240, 180
CHECK_STYLE = "QPushButton { background:#f2a900; color:#1a1a1a; font-weight:600; }"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


class ItemDetail(QWidget):
    """The chosen item: thumbnail, file facts, pupils, publications (and taking one down)."""

    changed = Signal()

    def __init__(self, db: Database, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.read_only = read_only
        self.item: Item | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size:13pt; font-weight:600; color:#1f3a5f;")
        self.thumbnail = QLabel()
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setFixedSize(THUMB_WIDTH, THUMB_HEIGHT)
        self.thumbnail.setStyleSheet("background:#f6f8fa; border:1px solid #d5dbe1; color:#5a6b80;")
        # The photo itself (a video: a frame and its length); the stored thumbnail when the
        # file is not where the register says.
        self.photo = PhotoView()
        self.photo.setMinimumSize(THUMB_WIDTH, THUMB_HEIGHT)
        self.photo.setMaximumHeight(320)
        self.picture = QStackedWidget()
        self.picture.addWidget(self.thumbnail)
        self.picture.addWidget(self.photo)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_warning = QLabel()
        self.path_warning.setWordWrap(True)
        self.path_warning.setStyleSheet("color:#a61b1b; font-weight:600;")
        self.pupils_title = QLabel()
        self.pupils_title.setStyleSheet("font-weight:600; color:#1f3a5f;")
        self.pupils = QListWidget()
        self.pupils.setAccessibleName(self.tr("Leerlingen in beeld"))
        self.pupils.setMinimumHeight(60)
        self.pupils.setMaximumHeight(110)
        self.publications_title = QLabel(self.tr("Gepubliceerd"))
        self.publications_title.setStyleSheet("font-weight:600; color:#1f3a5f;")
        self.publications = QTreeWidget()
        self.publications.setColumnCount(5)
        self.publications.setHeaderLabels(
            [
                self.tr("Doel"),
                self.tr("Datum"),
                self.tr("Link of omschrijving"),
                self.tr("Door"),
                self.tr("Verwijderd op"),
            ]
        )
        self.publications.setRootIsDecorated(False)
        self.publications.setAccessibleName(self.tr("Publicaties van dit item"))
        self.publications.setMinimumHeight(110)
        for column, width in enumerate((150, 85, 170, 80)):
            self.publications.setColumnWidth(column, width)
        self.link_delegate = MiddleElided(self.publications)  # a long link: start and end
        self.publications.setItemDelegateForColumn(2, self.link_delegate)
        self.publications.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.open_button = QPushButton(self.tr("Bestand &openen"))
        self.open_button.setToolTip(self.tr("Het origineel openen in de fotoviewer of videospeler"))
        self.open_button.clicked.connect(self.open_file)
        self.take_down_button = QPushButton(self.tr("Markeer als ve&rwijderd…"))
        self.take_down_button.clicked.connect(self.take_down_current)
        self.take_down_button.setVisible(not read_only)
        self.empty = QLabel(self.tr("Kies links een foto of video."))
        self.empty.setStyleSheet("color:#5a6b80; font-size:11pt;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.picture, 1)
        body.addWidget(self.facts)
        body.addWidget(self.path_warning)
        body.addWidget(self.pupils_title)
        body.addWidget(self.pupils)
        body.addWidget(self.publications_title)
        body.addWidget(self.publications, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.take_down_button)
        body.addLayout(buttons)
        # On a low window the chosen item scrolls instead of squeezing its parts over each
        # other.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.scroll_area, 1)
        self.show_item(None)

    def show_item(self, item_id: int | None) -> None:
        self.item = item_store.get_item(self.db, item_id) if item_id is not None else None
        self.empty.setVisible(self.item is None)
        self.scroll_area.setVisible(self.item is not None)
        if self.item is None:
            return
        item = self.item
        self.title.setText(item.title)
        pixmap = pixmap_from_bytes(item_store.item_thumbnail(self.db, item.id))
        if pixmap is None:
            self.thumbnail.clear()
            self.thumbnail.setText(self.tr("Geen voorbeeld"))
        else:
            self.thumbnail.setPixmap(
                pixmap.scaled(
                    THUMB_WIDTH - 4,
                    THUMB_HEIGHT - 4,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        if item.file_path and Path(item.file_path).is_file():
            self.picture.setCurrentWidget(self.photo)
            self.photo.load(item.file_path, video=item.media_kind == VIDEO, detect=False)
        else:
            self.picture.setCurrentWidget(self.thumbnail)
            self.photo.load(None)
        self._show_facts(item)
        pupils = item_store.item_pupils(self.db, item.id)
        self.pupils_title.setText(self.tr("In beeld (%1)").replace("%1", number_text(len(pupils))))
        self.pupils.clear()
        for pupil in pupils:
            self.pupils.addItem(f"{pupil.name} ({pupil.class_name})")
        self._show_publications(store.publications_of_item(self.db, item.id))

    def _show_facts(self, item: Item) -> None:
        lines = [kind_label(item.media_kind)]
        if item.taken_on or item.location:
            lines[0] += " — " + ", ".join(
                part for part in (format_date(item.taken_on), item.location) if part
            )
        if item.file_name:
            lines.append(
                f"<b>{_escape(item.file_name)}</b>, {size_text(item.file_size)}, "
                + self.tr("controlegetal %1…").replace("%1", item.file_hash[:12])
            )
        if item.file_path:
            lines.append(f"<span style='color:#5a6b80'>{_escape(item.file_path)}</span>")
        if item.description:
            lines.append(_escape(item.description).replace("\n", "<br>"))
        self.facts.setText("<br>".join(lines))
        self.facts.setToolTip(item.file_hash)
        missing = bool(item.file_path) and not Path(item.file_path).is_file()
        self.path_warning.setText(
            self.tr("Het bestand is op deze plek niet (meer) te vinden.") if missing else ""
        )
        self.path_warning.setVisible(missing)
        self.open_button.setEnabled(bool(item.file_path) and not missing)

    def open_file(self) -> bool:
        """Open the original (it stays outside the database) in the system's viewer."""
        if self.item is None or not self.item.file_path:
            return False
        path = Path(self.item.file_path)
        if not path.is_file():
            dialogs.show_error(
                self,
                self.tr("Bestand &openen"),
                self.tr("Het bestand is op deze plek niet (meer) te vinden: %1").replace(
                    "%1", str(path)
                ),
            )
            return False
        return dialogs.open_external(path)

    def _show_publications(self, publications: list[Publication]) -> None:
        self.publications.clear()
        self.publications_title.setText(
            self.tr("Gepubliceerd (%1)").replace("%1", number_text(len(publications)))
        )
        for publication in publications:
            row = QTreeWidgetItem(
                [
                    publication.purpose_label,
                    format_date(publication.published_on),
                    publication.link,
                    publication.published_by,
                    format_date(publication.taken_down_on),
                ]
            )
            row.setData(0, PUBLICATION_ROLE, publication.id)
            tip = publication.link
            if publication.file is not None:
                tip += "\n" + self.tr("Bestand: %1 (%2)").replace(
                    "%1", publication.file.name
                ).replace("%2", publication.file.kind_label)
            hidden = publication.hidden_lines()  # which box of the file hid whom
            if hidden:
                tip += "\n" + self.tr("Onherkenbaar gemaakt:") + "\n" + "\n".join(hidden)
            if publication.taken_down_note:
                tip += "\n" + publication.taken_down_note
            for column in range(5):
                row.setToolTip(column, tip)
            if not publication.active:
                for column in range(5):
                    row.setForeground(column, Qt.GlobalColor.gray)
            self.publications.addTopLevelItem(row)
        self._update_buttons()

    def current_publication(self) -> Publication | None:
        row = self.publications.currentItem()
        if row is None:
            return None
        return store.get_publication(self.db, row.data(0, PUBLICATION_ROLE))

    def select_publication(self, publication_id: int) -> bool:
        for row in top_level_items(self.publications):
            if row.data(0, PUBLICATION_ROLE) == publication_id:
                self.publications.setCurrentItem(row)
                return True
        return False

    def _update_buttons(self) -> None:
        publication = self.current_publication()
        self.take_down_button.setEnabled(
            not self.read_only and publication is not None and publication.active
        )

    def take_down_current(self) -> Publication | None:
        """Ask for the date and a note, then mark the chosen publication as taken down."""
        publication = self.current_publication()
        if self.read_only or publication is None or not publication.active:
            return None
        answer = dialogs.ask_date_and_note(
            self,
            self.tr("Markeer als verwijderd"),
            self.tr("Verwijderd op:"),
            clock.today(),
            self.tr("Toelichting:"),
        )
        if answer is None:
            return None
        on, note = answer
        try:
            done = store.take_down(self.db, publication.id, on, note)
        except InputError as exc:
            dialogs.show_error(self, self.tr("Niet gemarkeerd"), str(exc))
            return None
        self.show_item(publication.item_id)
        self.changed.emit()
        return done


class ItemsTab(QWidget):
    """Filter line, table of items and the detail pane, with the edit buttons."""

    changed = Signal()  # an item or publication changed: the takedown list may too

    def __init__(self, context: SectionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.db: Database = context.db
        self.read_only = context.read_only

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Zoek op titel, leerling of locatie"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(self.tr("Zoeken"))
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet("color:#5a6b80;")
        self.new_button = QPushButton(self.tr("&Nieuw item…"))
        self.new_button.clicked.connect(self.new_item)
        self.edit_button = QPushButton(self.tr("Be&werken…"))
        self.edit_button.clicked.connect(self.edit_item)
        self.publish_button = QPushButton(self.tr("&Publiceren…"))
        self.publish_button.clicked.connect(self.publish_item)
        self.delete_button = QPushButton(self.tr("&Verwijderen"))
        self.delete_button.clicked.connect(self.delete_item)
        self.check_button = QPushButton(self.tr("&Mag deze foto online?…"))
        self.check_button.setToolTip(
            self.tr(
                "De publicatiecheck, met de leerlingen van het gekozen item al op de foto (Ctrl+M)"
            )
        )
        self.check_button.setStyleSheet(CHECK_STYLE)
        self.check_button.clicked.connect(self.open_check)
        self.edit_buttons = (
            self.new_button,
            self.edit_button,
            self.publish_button,
            self.delete_button,
        )
        for button in self.edit_buttons:
            button.setVisible(not self.read_only)
        self.filter.setMinimumWidth(220)
        self.filter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        top = FlowLayout()
        top.addWidget(self.filter)
        top.addWidget(self.shown_label)
        for button in (self.check_button, *self.edit_buttons):
            top.addWidget(button)

        self.model = ItemsModel(self)
        self.proxy = ItemsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAccessibleName(self.tr("Beeldmateriaal"))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((190, 55, 90, 70, 80)):
            # never narrower than the title and its sort arrow ("Leerlin▲")
            head.resizeSection(column, max(width, head.sectionSizeHint(column)))
        head.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_item())

        self.detail = ItemDetail(self.db, self.read_only)
        self.detail.changed.connect(self._detail_changed)
        self.detail.setMinimumWidth(340)
        splitter = QSplitter()
        self.table_or_empty = EmptyState(self.table)
        splitter.addWidget(self.table_or_empty)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.filter.textChanged.connect(self._filter_changed)
        self.refresh()

    # -- list ---------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the items; keep (or move to) the selected one."""
        keep = select_id if select_id is not None else self.current_item_id()
        self.model.set_rows(item_store.list_items(self.db))
        self._update_shown()
        if keep is None or not self.select_item(keep):
            self.detail.show_item(None)
            self._update_buttons()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_shown()

    def _update_shown(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (
            count_text(total, self.tr("1 item"), self.tr("%1 items"))
            if shown == total
            else self.tr("%1 van %2 items")
            .replace("%1", number_text(shown))
            .replace("%2", number_text(total))
        )
        self.shown_label.setText(text)
        if not total:
            self.table_or_empty.sync(
                0,
                self.tr(
                    "Nog geen foto's of video's in het register. Leg met een nieuw item vast wie "
                    "op een foto of video staat; daarna publiceert u het, na de check."
                ),
                [] if self.read_only else [(self.tr("Nieuw item…"), self.new_item)],
            )
        else:
            self.table_or_empty.sync(
                shown,
                self.tr("Geen foto's of video's bij deze zoekopdracht."),
                [(self.tr("Zoekopdracht wissen"), self.filter.clear)],
            )

    def current_item_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.item(rows[0].row()).id if rows else None

    def select_item(self, item_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.item(row).id == item_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def visible_titles(self) -> list[str]:
        return [self.proxy.item(row).title for row in range(self.proxy.rowCount())]

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.detail.show_item(self.current_item_id())
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_item_id()
        for button in (self.edit_button, self.publish_button):
            button.setEnabled(not self.read_only and chosen is not None)
        summary = None
        if chosen is not None:
            summary = self.model.item(self.model.row_of(chosen))
        self.delete_button.setEnabled(
            not self.read_only and summary is not None and summary.publication_count == 0
        )
        self.delete_button.setToolTip(
            self.tr("Een gepubliceerd item blijft in het register.")
            if summary is not None and summary.publication_count
            else ""
        )

    def _detail_changed(self) -> None:
        self.refresh()
        self.changed.emit()

    # -- actions ------------------------------------------------------------------------------

    def open_check(self) -> QWidget:
        """The publication check for the chosen item's pupils (or an empty one)."""
        item_id = self.current_item_id()
        numbers = [p.number for p in item_store.item_pupils(self.db, item_id)] if item_id else []
        return self.context.open_check(numbers)

    def new_item(self) -> QWidget | None:
        return self._open_item_dialog(None)

    def edit_item(self) -> QWidget | None:
        item_id = self.current_item_id()
        return self._open_item_dialog(item_id) if item_id is not None else None

    def _open_item_dialog(self, item_id: int | None) -> QWidget | None:
        from merlet_desk.ui.publications.item_dialog import ItemDialog

        if self.read_only:
            return None
        dialog = ItemDialog(self.db, item_id, self)
        dialog.saved.connect(lambda item: self._item_saved(item.id))
        dialog.open()
        return dialog

    def _item_saved(self, item_id: int) -> None:
        self.refresh(select_id=item_id)
        self.changed.emit()

    def publish_item(self) -> QWidget | None:
        from merlet_desk.ui.publications.publish_dialog import PublishDialog

        item_id = self.current_item_id()
        if self.read_only or item_id is None:
            return None
        dialog = PublishDialog(self.db, item_id, self, open_agreement=self.context.open_agreement)
        dialog.published.connect(lambda publication: self._published(publication))
        dialog.open()
        return dialog

    def _published(self, publication: Publication) -> None:
        self.refresh(select_id=publication.item_id)
        self.detail.select_publication(publication.id)
        self.changed.emit()

    def delete_item(self) -> bool:
        item_id = self.current_item_id()
        if self.read_only or item_id is None:
            return False
        item = item_store.get_item(self.db, item_id)
        if not dialogs.ask_yes_no(
            self,
            self.tr("Item verwijderen"),
            self.tr("'%1' uit het register verwijderen? Het bestand zelf blijft staan.").replace(
                "%1", item.title
            ),
        ):
            return False
        try:
            item_store.delete_item(self.db, item_id)
        except InputError as exc:
            dialogs.show_error(self, self.tr("Niet verwijderd"), str(exc))
            return False
        self.refresh()
        self.changed.emit()
        return True


class PublicationsSection(QWidget, NothingUnsaved):
    """Two tabs: the items, and the takedown list with its open count in the title."""

    takedowns_changed = Signal(int)

    def __init__(self, context: SectionContext) -> None:
        super().__init__()
        self.context = context
        self.db: Database = context.db
        self.read_only = context.read_only
        heading = QLabel(self.tr("Publicaties"))
        heading.setStyleSheet("font-size:16pt; font-weight:600; color:#1f3a5f;")
        self.items_tab = ItemsTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.items_tab, self.tr("Beeldmateriaal"))
        self.takedowns = self._build_takedowns()
        self.tabs.addTab(self.takedowns, self.tr("Te verwijderen"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self.items_tab.changed.connect(self.refresh_takedowns)
        self._show_count(self.takedowns.count)  # the list has just been read
        # Whoever connects to takedowns_changed after build() still hears the first count.
        QTimer.singleShot(0, self, self._announce_count)

    def _announce_count(self) -> None:
        self.takedowns_changed.emit(self.open_count)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """A consent decision elsewhere may have added or cleared takedowns: count again."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self.refresh_takedowns)

    def _build_takedowns(self) -> TakedownList:
        widget = TakedownList(self.db, self.read_only, self, rows_when_shown=True)
        widget.countChanged.connect(self._count_changed)
        widget.itemRequested.connect(self.show_item)
        return widget

    def show_item(self, item_id: int) -> bool:
        """Open the items tab at this item (the filter is cleared when it hides the item)."""
        self.tabs.setCurrentWidget(self.items_tab)
        if self.items_tab.select_item(item_id):
            return True
        self.items_tab.filter.clear()
        return self.items_tab.select_item(item_id)

    def _count_changed(self, count: int) -> None:
        # The takedown list itself changed something (taken down, kept): the items show it.
        self.items_tab.refresh()
        self._show_count(count)
        self.takedowns_changed.emit(count)

    def _show_count(self, count: int) -> None:
        self.open_count = count
        title = self.tr("Te verwijderen (%1)").replace("%1", number_text(count))
        self.tabs.setTabText(self.tabs.indexOf(self.takedowns), title)

    def refresh_from_elsewhere(self) -> None:
        """Another seat changed items, publications or consents: both lists again."""
        self.items_tab.refresh()
        self.refresh_takedowns()

    def refresh_takedowns(self) -> None:
        """After a change in the items: read the takedown list again; a new count reaches the
        tab title and `takedowns_changed` through the list's `countChanged`."""
        self.takedowns.refresh()

    def show_takedowns(self) -> None:
        """Te verwijderen, whole (a search left in it is cleared): the list Start counted."""
        self.takedowns.search.clear()
        self.tabs.setCurrentWidget(self.takedowns)

    def focus_search(self) -> None:
        """Ctrl+F: the search of the tab shown."""
        field = (
            self.takedowns.search
            if self.tabs.currentWidget() is self.takedowns
            else self.items_tab.filter
        )
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()


def build(context: SectionContext) -> PublicationsSection:
    return PublicationsSection(context)
