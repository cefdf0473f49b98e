"""The main window: navigation between the sections, menus, and which database is open."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import merlet_desk
from merlet_desk import APP_NAME, logs
from merlet_desk.domain.text import count_text, number_text
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.ui.app import app_icon
from merlet_desk.ui.common import garbage
from merlet_desk.ui.common.after_paint import after_paint
from merlet_desk.ui.common.screen import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    WINDOW_HEIGHT,
    WINDOW_WIDTH,
    available_area,
    first_window_size,
)
from merlet_desk.ui.common.tasks import TaskGroup
from merlet_desk.ui.context import Section, SectionContext, SectionKey
from merlet_desk.ui.sections import SECTIONS

if TYPE_CHECKING:  # loaded after the first paint
    from datetime import date

    from merlet_desk.store.engine.access import Seat
    from merlet_desk.store.errors import StoreError
    from merlet_desk.store.lock import DatabaseLock
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.common.widgets import ElidedLabel
    from merlet_desk.ui.seats import ServerWatch

log = logging.getLogger(__name__)
# Sections that count the open takedowns themselves when shown (set_takedown_count).
SELF_COUNTING = frozenset({SectionKey.START, SectionKey.PUBLICATIONS})
# Read-only must be seen on every screen, not only in the title bar: a location manager who
# types into a field that ignores it should already know why.
READ_ONLY_STYLE = (
    "QLabel#readOnlyBanner { background: #fff4d6; color: #1a1a1a; padding: 6px 12px;"
    " border-bottom: 1px solid #c9a227; font-weight: 600; }"
)
NAV_STYLE = """
QListWidget#navigation { background: #1f3a5f; color: #ffffff; border: none; font-size: 12pt; }
QListWidget#navigation::item { padding: 12px 16px; }
QListWidget#navigation::item:selected { background: #f2a900; color: #1a1a1a; }
"""


def set_shortcut(action: QAction, key: str | QKeySequence.StandardKey) -> None:
    """`action.setShortcut(key)`, without its cost: PySide's overload resolution for
    setShortcut creates every enum of the Qt namespace (about 20 ms), before the window's
    first paint; setShortcuts with a list does not. A standard key gets all of the
    platform's bindings, as setShortcut would give it."""
    if isinstance(key, str):
        action.setShortcuts([QKeySequence(key)])
    else:
        action.setShortcuts(QKeySequence.keyBindings(key))


def _target(path: Path | str | ServerUrl) -> Path | ServerUrl:
    """The database as the window keeps it: a file's path, or a server's URL as it is."""
    return path if isinstance(path, ServerUrl) else Path(path)


class _LazySections(dict[SectionKey, QWidget]):
    """Section widgets by key; a missing one is built on first use."""

    def __init__(self, build: Callable[[SectionKey], QWidget]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: SectionKey) -> QWidget:
        return self._build(SectionKey(key))


class MainWindow(QMainWindow):
    """Owns the open database, its lock and its workers; each section gets a
    `SectionContext` with what it needs of them, never the window itself."""

    databaseChanged = Signal()

    def __init__(
        self,
        db: Database | None,
        db_path: Path | ServerUrl,
        read_only: bool = False,
        lock: DatabaseLock | None = None,
    ) -> None:
        """With `db` None the window is built without its sections (a frame to paint while
        the database opens; `attach` fills it). Start-up paints that frame first.
        `db_path` is the file, or the URL of a register on a server."""
        super().__init__()
        self._db = db  # None only until attach()
        self.db_path: Path | ServerUrl = _target(db_path)
        self.read_only = read_only
        self.database_lock = lock  # this instance's claim on the file; moves with the database
        self.refused_damaged = False  # the officer did not restore a damaged file: exit 2
        self.geometry_restored = False  # a saved size and place, else sized to the screen
        self.section_widgets: dict[SectionKey, QWidget] = {}
        self.takedown_count = 0
        self.tasks = TaskGroup(self.db_path)  # worker threads reading this database
        self.server_watch: ServerWatch | None = None  # other seats, a server gone (seats.py)
        self.seat: Seat | None = None  # the login's role on a server (ui/roles.py)
        if db is not None:
            self._learn_seat(db)
        self._hold_readers_for_check()

        self.setWindowIcon(app_icon())
        self.setMinimumSize(900, 600)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setStyleSheet(NAV_STYLE)
        self.navigation.setFixedWidth(190)
        self.navigation.setAccessibleName(self.tr("Onderdelen"))
        self.stack = QStackedWidget()
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.navigation.currentRowChanged.connect(self._ensure_section_built)
        self.navigation.currentRowChanged.connect(self._remember_section)
        self.navigation.currentRowChanged.connect(self._navigated)

        self.read_only_banner = QLabel(
            self.tr(
                "Alleen-lezen: u kunt alles bekijken, maar niets wijzigen. Wat te doen staat, "
                "doet de communicatiemedewerker."
            )
        )
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setStyleSheet(READ_ONLY_STYLE)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setVisible(read_only)
        central = QWidget()
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.read_only_banner)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)

        self._restoring = True
        self.db_label: ElidedLabel | None = None  # the path, once a database is attached
        self._build_menus()
        self._build_sections()
        self._restore_state()
        self._restoring = False
        if db is not None:
            self._watch_server()
            self._follow_seat()

    @property
    def db(self) -> Database:
        """The open database (after `attach` when the window was built without one)."""
        if self._db is None:
            raise RuntimeError("the window has no database yet")
        return self._db

    def attach(self, db: Database, read_only: bool, lock: DatabaseLock | None = None) -> None:
        """Give the window built without a database its database: the section shown is built
        and the counts start. Read-only may have been decided while opening (a lock held by
        another instance, a folder that cannot be written)."""
        self._db = db
        self.database_lock = lock
        self._hold_readers_for_check()
        self.set_read_only(read_only)
        self._learn_seat(db)
        self._update_title()
        self._watch_server()
        self._follow_seat()
        self._ensure_section_built(self.navigation.currentRow())
        # Counted after the section is painted: the count imports the takedown store and
        # may start a worker that reads the whole register.
        after_paint(self, self.refresh_takedown_count)

    def _watch_server(self) -> None:
        """For a register on a server: hear other seats, and notice when the server goes."""
        from merlet_desk.ui.safety.menu import follow_target

        follow_target(self.safety_actions, on_server=isinstance(self.db_path, ServerUrl))
        if self.server_watch is not None:
            self.server_watch.stop()
            self.server_watch = None
        if not isinstance(self.db_path, ServerUrl):
            return
        from merlet_desk.store.errors import StoreError
        from merlet_desk.ui.seats import ServerWatch

        self.server_watch = ServerWatch(self, self.db_path)
        try:
            self.server_watch.start()
        except StoreError as exc:
            self.server_watch.lost(str(exc))

    def server_lost(self, message: str) -> bool:
        """A read or write met a server that is gone: the reconnect bar (True), or False
        for a file."""
        if self.server_watch is None:
            return False
        self.server_watch.lost(message)
        return True

    def refresh_from_elsewhere(self) -> None:
        """Another seat committed (or the window connected again): every section built shows
        the register as it is now, an edit in progress left alone; the badge is counted again."""
        for key in list(self.section_widgets):
            self.section(key).refresh_from_elsewhere()
        self.refresh_takedown_count()

    def _learn_seat(self, db: Database) -> None:
        """Whose window this is on a server (ui/roles.py); a reader's is read-only."""
        from merlet_desk.ui.roles import seat_of

        self.seat = seat_of(db)
        if self.seat is not None and self.seat.reads_only and not self.read_only:
            if hasattr(self, "safety_actions"):
                self.set_read_only(True)
            else:
                self.read_only = True  # the menus, built next, are built read-only

    def _follow_seat(self) -> None:
        """What the seat may not use is absent: its sections, their Go-menu entries, the
        owner's actions in Extra; the section shown is one it may use."""
        from merlet_desk.ui.roles import hidden_actions, hidden_sections

        hidden = hidden_sections(self.seat)
        for row, spec in enumerate(SECTIONS):
            item = self.navigation.item(row)
            if item is not None:
                item.setHidden(spec.key in hidden)
            self.section_actions[row].setVisible(spec.key not in hidden)
        self.check_action.setVisible(SectionKey.CONSENT not in hidden)
        for key in hidden_actions(self.seat):
            self.safety_actions[key].setVisible(False)
        row = self.navigation.currentRow()
        if 0 <= row < len(SECTIONS) and SECTIONS[row].key in hidden:
            self.navigation.setCurrentRow(0)  # Start: every seat has it
        self._update_title()

    def _hidden(self, key: SectionKey) -> bool:
        from merlet_desk.ui.roles import hidden_sections

        return key in hidden_sections(self.seat)

    def set_read_only(self, read_only: bool) -> None:
        """Read-only from now on (or not): the actions that change the database follow."""
        from merlet_desk.ui.safety.menu import follow_read_only

        self.read_only = read_only
        self.read_only_banner.setVisible(read_only)
        follow_read_only(self.safety_actions, read_only)

    # -- building -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Bestand"))
        open_action = QAction(self.tr("Andere database &openen…"), self)
        set_shortcut(open_action, QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_other_database)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Afsluiten"), self)
        set_shortcut(quit_action, QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        self._build_go_menu()

        from merlet_desk.ui.safety.menu import build_extra_menu

        # Backup, restore, verify, audit log, purge; restore and purge follow read-only.
        self.extra_menu, self.safety_actions = build_extra_menu(self, self, self.read_only)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        guide_action = QAction(self.tr("&Handleiding"), self)
        set_shortcut(guide_action, QKeySequence.StandardKey.HelpContents)
        guide_action.triggered.connect(self.open_guide)
        help_menu.addAction(guide_action)
        log_action = QAction(self.tr("&Logbestand openen"), self)
        log_action.triggered.connect(self.open_log)
        help_menu.addAction(log_action)
        about_action = QAction(self.tr("&Over Merlet Desk"), self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)
        self.help_menu = help_menu

    def _build_go_menu(self) -> None:
        """Ctrl+1 … Ctrl+6 for the sections, Ctrl+M for the publication check from anywhere,
        Ctrl+F for the search of the list shown."""
        go_menu = self.menuBar().addMenu(self.tr("&Ga naar"))
        self.section_actions: list[QAction] = []
        for number, spec in enumerate(SECTIONS, start=1):
            action = QAction(spec.title, self)
            set_shortcut(action, f"Ctrl+{number}")
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_section(key))
            go_menu.addAction(action)
            self.section_actions.append(action)
        go_menu.addSeparator()
        self.check_action = QAction(self.tr("&Mag deze foto online?…"), self)
        set_shortcut(self.check_action, "Ctrl+M")
        self.check_action.triggered.connect(lambda: self.open_publication_check())
        go_menu.addAction(self.check_action)
        self.find_action = QAction(self.tr("&Zoeken in de lijst"), self)
        set_shortcut(self.find_action, QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        go_menu.addAction(self.find_action)
        self.go_menu = go_menu

    def open_publication_check(self, pupil_numbers: list[str] | None = None) -> QWidget:
        """The publication check ("Mag deze foto online?") over the screen in use, with these
        pupils already on the photo (from an item in Publicaties)."""
        return self.context().open_check(pupil_numbers)

    def focus_search(self) -> None:
        """Ctrl+F: the search field of the list the current section shows."""
        self.section(self.current_section_key()).focus_search()

    def section(self, key: SectionKey | str) -> Section:
        """A section (built if need be) as the window sees it: the `Section` protocol."""
        return cast(Section, self.section_widgets[SectionKey(key)])

    def context(self) -> SectionContext:
        """What a section built now gets: this database and what it may ask of the window."""
        return SectionContext(
            db=self.db,
            db_path=self.db_path,
            read_only=self.read_only,
            tasks=self.tasks,
            navigate=self.show_section,
            section=self.section_widgets.__getitem__,
            set_takedown_count=self.set_takedown_count,
            takedown_stamp=self.takedown_stamp,
            keep_takedowns=self.keep_takedowns,
            encrypt=self.encrypt_database,
        )

    def _build_sections(self) -> None:
        current = self.navigation.currentRow()
        self.navigation.clear()
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        # Only the section shown is built now; the others on their first visit (start-up with
        # 2,000 pupils and 5,000 cases would otherwise load every register before the window
        # shows). `section_widgets[key]` builds a section when asked for it.
        self.section_widgets = _LazySections(self._build_section)
        for spec in SECTIONS:
            self.stack.addWidget(QWidget())  # placeholder until the section is first shown
            item = QListWidgetItem(spec.title)
            self.navigation.addItem(item)
        self.navigation.setCurrentRow(max(current, 0))
        self._update_title()
        if self._db is not None:
            # Counted after the window has painted: start-up does not wait for it.
            QTimer.singleShot(0, self, self.refresh_takedown_count)

    def _build_section(self, key: SectionKey) -> QWidget:
        """Build one section in place of its placeholder in the stack."""
        index = self.section_keys().index(key)
        widget = SECTIONS[index].build(self.context())
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, widget)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        dict.__setitem__(self.section_widgets, key, widget)
        if self.navigation.currentRow() == index:
            self.stack.setCurrentIndex(index)
        return widget

    def _ensure_section_built(self, row: int) -> None:
        if (
            self._db is not None
            and 0 <= row < len(SECTIONS)
            and not self._hidden(SECTIONS[row].key)
        ):
            self.section_widgets[SECTIONS[row].key]  # builds it on first use

    def _navigated(self, _row: int) -> None:
        if not self._restoring:
            QTimer.singleShot(0, self, self.refresh_takedown_count)

    def _update_title(self) -> None:
        from merlet_desk.ui.roles import title_suffix

        suffix = title_suffix(self.seat) or (self.tr(" (alleen-lezen)") if self.read_only else "")
        target = self.db_path
        name = (
            self.tr("%1 op %2").replace("%1", target.database).replace("%2", target.host)
            if isinstance(target, ServerUrl)
            else target.name
        )
        self.setWindowTitle(f"{APP_NAME} — {name}{suffix}")
        if self._db is None:
            return  # the status bar names the file once it is open
        if self.db_label is None:
            from merlet_desk.ui.common.widgets import ElidedLabel

            self.db_label = ElidedLabel()
            self.statusBar().addPermanentWidget(self.db_label)
        self.db_label.setText(self.tr("Database: %1").replace("%1", str(self.db_path)) + suffix)

    # -- sections -----------------------------------------------------------------------------

    def section_keys(self) -> list[SectionKey]:
        return [spec.key for spec in SECTIONS]

    def current_section_key(self) -> SectionKey:
        return SECTIONS[self.navigation.currentRow()].key

    def show_section(self, key: SectionKey | str) -> QWidget:
        key = SectionKey(key)
        self.navigation.setCurrentRow(self.section_keys().index(key))
        return self.section_widgets[key]

    def set_takedown_count(self, count: int) -> None:
        """Show the number of open takedowns next to "Publicaties" in the navigation."""
        self.takedown_count = count
        row = self.section_keys().index(SectionKey.PUBLICATIONS)
        item = self.navigation.item(row)
        if item is None:
            return
        title = SECTIONS[row].title
        item.setText(f"{title} ({number_text(count)})" if count else title)
        item.setToolTip(
            count_text(
                count,
                self.tr("1 publicatie te verwijderen"),
                self.tr("%1 publicaties te verwijderen"),
            )
            if count
            else ""
        )

    def refresh_takedown_count(self) -> None:
        """Count the open takedowns again (after a consent decision, on navigating): from the
        list kept for this window's database when it is up to date, else on a worker thread
        (the count reads the whole register), whose list the window then keeps."""
        if self.current_section_key() in SELF_COUNTING:
            return  # that section counts when it shows, and tells us
        from merlet_desk import clock, sqlite_driver
        from merlet_desk.store import takedowns as takedown_store

        on = clock.today()
        try:
            kept = takedown_store.kept_open_takedowns(self.db, on)
        except sqlite_driver.Error:  # the window's connection is closing: count on the worker only
            kept = None
        if kept is not None:
            self.set_takedown_count(takedown_store.publication_count(kept))
            return
        stamp = self.takedown_stamp(on)

        def counted(takedowns: list[Any]) -> None:
            self.keep_takedowns(stamp, takedowns)
            self.set_takedown_count(takedown_store.publication_count(takedowns))

        self.tasks.read(
            lambda db: takedown_store.open_takedowns(db, on),
            context=self,
            on_result=counted,
            # A badge must never break navigation: a count that fails is only logged.
            on_error=lambda exc: log.warning(
                "Te verwijderen publicaties niet geteld", exc_info=exc
            ),
            name="takedown-count",
        )

    def takedown_stamp(self, on: date) -> tuple[date, int, int] | None:
        """Where this window's database stands, taken before a worker computes the takedown
        list, for `keep_takedowns` (None when the connection is closing)."""
        from merlet_desk import sqlite_driver
        from merlet_desk.store import takedowns as takedown_store

        try:
            return takedown_store.takedown_stamp(self.db, on)
        except sqlite_driver.Error:
            return None

    def keep_takedowns(self, stamp: tuple[date, int, int] | None, takedowns: list[Any]) -> None:
        """Keep a takedown list a worker computed as this window's own when nothing was
        committed since `stamp`: Publicaties then shows it without computing it again (1.2 s
        on the GUI thread at 20,000 pupils)."""
        from merlet_desk import sqlite_driver
        from merlet_desk.store import takedowns as takedown_store

        if stamp is not None:
            with contextlib.suppress(sqlite_driver.Error):  # closed meanwhile: keep nothing
                takedown_store.adopt_open_takedowns(self.db, stamp, takedowns)

    def open_agreement(self, number: int) -> None:
        """Open "artikel N" of the policy in the Beleid section."""
        self.context().open_agreement(number)

    def refuse_damaged(self) -> None:
        """A damaged file the officer did not restore: the window closes, the program ends
        with exit code 2."""
        self.refused_damaged = True
        self.close()

    # -- database -----------------------------------------------------------------------------

    def _hold_readers_for_check(self) -> None:
        """While the file's integrity check is still running (`db.integrity_gate`) new reads
        wait for `integrity_passed`, so the switch to WAL after the check meets no reader
        (only the check itself goes first)."""
        if getattr(self._db, "integrity_gate", None) is not None:
            self.tasks.hold()

    def integrity_passed(self) -> None:
        """The deferred integrity check passed: make the database writable (WAL on) and start
        the reads that waited for it."""
        from merlet_desk.store.connection import MerletDatabase

        db = self.db
        assert isinstance(db, MerletDatabase)  # the only kind open_database makes
        db.wait_for_integrity_check()
        self.tasks.release()

    def stop_tasks(self) -> None:
        """Stop every worker reading this database; wait for them a bounded time (a read
        blocked on a network share must not keep the window open), then go on."""
        self.tasks.shutdown()

    def choose_other_database(self) -> None:
        from merlet_desk.ui.common import dialogs

        path = dialogs.choose_open_path(
            self,
            self.tr("Database openen"),
            self.tr("Merlet Desk-database (*.sqlite *.db);;Alle bestanden (*)"),
            kind="database",
        )
        if path is not None:
            self.switch_database(path)

    def switch_database(self, path: Path | ServerUrl) -> bool:
        """Open another database file (or this one again, after a restore) with the checks of
        start-up; on failure say why and keep the current one. The lock moves with the file,
        and a window that accepted read-only stays so."""
        from merlet_desk.ui.opening import reopen  # lock, damaged file, network share

        if not self.settle_unsaved_changes():
            return False

        opened = reopen(
            self,
            _target(path),
            current=self.db_path,
            read_only=self.read_only,
            lock=self.database_lock,
        )
        if opened is None:
            return False
        if opened.lock is not self.database_lock:
            if self.database_lock is not None:
                self.database_lock.release()
            self.database_lock = opened.lock
        if opened.read_only and not self.read_only:
            self.set_read_only(True)
        if opened.notices:
            self.statusBar().showMessage(" · ".join(opened.notices))
        self.stop_tasks()
        self.db.close()
        self._db, self.db_path = opened.db, _target(path)
        self.tasks.db_path = self.db_path
        self._hold_readers_for_check()
        self._learn_seat(opened.db)
        self._update_title()
        self._watch_server()
        self._build_sections()
        self._follow_seat()
        self.databaseChanged.emit()
        return True

    def encrypt_database(self) -> bool:
        """Extra › Versleutelen… and Start's step: encrypt this register after asking."""
        from merlet_desk.ui.common.encryption import offer_encryption

        return offer_encryption(self, self)

    def restore_backup(self, backup: Path, *, other_register: bool = False) -> Any:
        """Put `backup` back in place of this window's database (Extra › Back-up
        terugzetten, and a damaged file at start-up). The window lets go of the file first:
        its workers stop and its connection closes, so that nothing of this process holds
        the file while it is replaced (closing a connection afterwards would delete the
        restored file's `-wal` and `-shm` by name); then it opens the file again and builds
        every section afresh. Returns the store's `RestoreResult`, or None when the officer
        kept unsaved edits. Raises `StoreError` when the restore failed (the file is then
        opened again as it was) or the file cannot be opened again afterwards; in that last
        case the window, left without a database, closes once the error is shown (exit 2)."""
        from merlet_desk.store.backup import restore
        from merlet_desk.store.errors import StoreError

        target = self.db_path
        if isinstance(target, ServerUrl):  # IT restores into an empty server database
            raise StoreError(
                f"{target} is een register op een server: een back-up gaat daar alleen in een "
                "lege serverdatabase (merlet-desk restore BACKUP --db URL)."
            )
        if not self.settle_unsaved_changes():
            return None
        self.release_database()
        try:
            result = restore(backup, target, other_register=other_register)
        except BaseException:
            self._take_back_or_close()
            raise
        self._take_back_or_close()
        return result

    def _take_back_or_close(self) -> None:
        problem = self.take_back_database()
        if problem is not None:
            QTimer.singleShot(0, self, self.refuse_damaged)  # after the caller said why
            raise problem

    def release_database(self) -> None:
        """Let go of the database file: every worker stopped, the connection closed. Only
        `take_back_database` may follow (nothing else may touch `db` in between)."""
        self.stop_tasks()
        if self._db is not None:
            self._db.close()
        # A connection that only garbage still holds (a reference cycle through an exception's
        # traceback) would keep the file open until the next collection; what comes next
        # (encrypting, restoring) needs the file to itself. Here, in a menu action's slot, no
        # Qt code of an unreachable widget is running (ui/common/garbage.py).
        garbage.collect_now()

    def take_back_database(self) -> StoreError | None:
        """After `release_database`: open the file again (read-only stays read-only, the lock
        stays this window's) and build every section afresh. Returns what kept it from
        opening (the window then has no usable database and should close), else None."""
        from merlet_desk.store import open_database
        from merlet_desk.store.errors import StoreError

        try:
            db = open_database(self.db_path, read_only=self.read_only)
        except StoreError as exc:
            return exc
        self._db = db
        self.tasks.db_path = self.db_path
        self._hold_readers_for_check()
        self._build_sections()
        self.databaseChanged.emit()
        return None

    # -- help ---------------------------------------------------------------------------------

    def open_log(self) -> None:
        """Show the log file (warnings and errors, for IT) in the system's text viewer."""
        from merlet_desk.ui.common import dialogs

        path = logs.log_path()
        if not path.is_file():
            dialogs.show_info(
                self,
                self.tr("Logbestand"),
                self.tr(
                    "Er is nog niets gelogd: er zijn geen waarschuwingen of fouten geweest.\n\n"
                    "Het logbestand komt hier: %1"
                ).replace("%1", str(path)),
            )
            return
        if not dialogs.open_external(path):
            dialogs.show_info(
                self,
                self.tr("Logbestand"),
                self.tr("Het logbestand staat hier: %1").replace("%1", str(path)),
            )

    def open_guide(self) -> QWidget:
        """Help › Handleiding (F1), at the section shown."""
        from PySide6.QtCore import Qt

        from merlet_desk.ui.common.guide import GuideDialog

        row = self.navigation.currentRow()
        topic = SECTIONS[row].title if 0 <= row < len(SECTIONS) else ""
        dialog = GuideDialog(topic, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from merlet_desk.ui.common import dialogs

        dialogs.show_info(
            self,
            self.tr("Over Merlet Desk"),
            self.tr(
                "Merlet Desk %1\n\nBeleid sociale media, toestemmingen, publicaties en "
                "incidenten voor Merlet College.\n\nDatabase: %2"
            )
            .replace("%1", merlet_desk.__version__)
            .replace("%2", str(self.db_path)),
        )

    # -- state --------------------------------------------------------------------------------

    def _remember_section(self, row: int) -> None:
        if not self._restoring and 0 <= row < len(SECTIONS):
            QSettings().setValue("main_window/section", SECTIONS[row].key)

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.geometry_restored = self.restoreGeometry(geometry)
        if not self.geometry_restored:
            self.resize(WINDOW_WIDTH, WINDOW_HEIGHT)
        key = str(settings.value("main_window/section", SectionKey.START.value))
        if key in self.section_keys() and not self._hidden(SectionKey(key)):
            # built when shown (after attach, without a database)
            self.navigation.setCurrentRow(self.section_keys().index(SectionKey(key)))

    def show_at_start(self) -> None:
        """Show the window as start-up does: where it was left, or on a first start sized to
        the room its screen leaves for windows, maximised on a laptop (1366×768 with a
        taskbar leaves 1366×728)."""
        if self.geometry_restored:
            self.show()
            return
        area = available_area(self)
        width, height, maximised = first_window_size(area)
        self.resize(width, height)
        self.move(
            area.x() + (area.width() - width - FRAME_WIDTH) // 2,
            area.y() + (area.height() - height - FRAME_HEIGHT) // 2,
        )
        if maximised:
            self.showMaximized()
        else:
            self.show()

    def settle_unsaved_changes(self) -> bool:
        """Before closing or switching database: ask about every section with unsaved edits
        (save, don't save, cancel). False when the officer cancels or a save fails."""
        from merlet_desk.ui.common import dialogs

        for key in list(self.section_widgets):
            widget = self.section(key)
            if not widget.has_unsaved_changes():
                continue
            self.show_section(key)
            answer = dialogs.ask_save_changes(
                self, self.tr("Niet opgeslagen"), widget.unsaved_changes_question()
            )
            if answer == "cancel" or (answer == "save" and not widget.save_changes()):
                return False
            if answer == "discard":
                widget.discard_changes()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self.settle_unsaved_changes():
            event.ignore()
            return
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        if self.server_watch is not None:
            self.server_watch.stop()
        self.stop_tasks()
        super().closeEvent(event)
