"""The window on a register on a server: other seats' commits, and a server that went away.

Only for a register on a PostgreSQL server (the main window starts a `ServerWatch` in
`attach` when its database is a `ServerUrl`); a file has one seat and none of this.

- **Other seats.** A connection of its own listens to the register's change notices
  (`store.engine.notices`); a socket notifier wakes the GUI thread when one arrives (no timer
  polls). Notices that come close together are taken in one go: the window then refreshes
  what its sections show (`MainWindow.refresh_from_elsewhere`, which leaves an edit in
  progress alone) and says so in the status bar, "Bijgewerkt: 3 besluiten van een andere
  werkplek".
- **The server gone** (a network drop, a restart, a crash): the listening socket says so at
  once, also while nobody touches the window, and so does any read or write that fails. The
  window keeps what it shows, keeps nothing locally to send later, and shows a bar in the
  status bar with the one Dutch line and a button "Opnieuw verbinden". Connecting again
  replaces the window's connection in place (every section keeps its database object) and
  refreshes the sections.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from merlet_desk.store.errors import StoreError
from merlet_desk.store.server_url import ServerUrl

if TYPE_CHECKING:
    from merlet_desk.store.engine.notices import ChangeNotices, OtherSeats
    from merlet_desk.store.sqlite_utils_import import Database

log = logging.getLogger(__name__)
SETTLE_MS = 300  # notices this close together are one refresh


class Window(Protocol):
    """What the watch uses of the main window."""

    @property
    def db(self) -> Database: ...

    def refresh_from_elsewhere(self) -> None: ...


class ReconnectBar(QWidget):
    """The status bar's "the server is gone" line with its button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setStyleSheet("color: #a4262c; font-weight: 600;")
        self.button = QPushButton(self.tr("&Opnieuw verbinden"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()


class ServerWatch(QObject):
    """What the window does for a register on a server (see the module docstring)."""

    def __init__(self, window: QMainWindow, target: ServerUrl) -> None:
        super().__init__(window)
        self.main = window
        self.window: Window = window  # type: ignore[assignment]  # the main window, which has both
        self.target = target
        self.notices: ChangeNotices | None = None
        self.notifier: QSocketNotifier | None = None
        self.pending: OtherSeats | None = None
        self.bar = ReconnectBar(window)
        self.bar.button.clicked.connect(self.reconnect)
        window.statusBar().addWidget(self.bar, 1)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self._refresh)

    @property
    def connected(self) -> bool:
        return not self.bar.isVisible()

    def start(self) -> None:
        """Listen to the other seats (a connection of its own, with the window's password)."""
        from merlet_desk.store.engine.notices import ChangeNotices

        self.stop()
        self.notices = ChangeNotices.listen(self.target)
        self.notifier = QSocketNotifier(self.notices.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._readable)

    def stop(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        if self.notices is not None:
            self.notices.close()
            self.notices = None

    def _readable(self) -> None:
        notices = self.notices
        if notices is None:
            return
        try:
            change = notices.poll(self.window.db)
        except StoreError as exc:  # the listening connection ended: the server is gone
            self.lost(str(exc))
            return
        if change is None:
            return
        if self.pending is None:
            self.pending = change
        else:
            self.pending = type(change)(
                self.pending.tables | change.tables,
                self.pending.new_decisions + change.new_decisions,
            )
        self.settle.start()

    def _refresh(self) -> None:
        change, self.pending = self.pending, None
        if change is None:
            return
        self.window.refresh_from_elsewhere()
        self.main.statusBar().showMessage(change.message(), 10_000)

    def lost(self, message: str) -> None:
        """The server is gone: say so, offer to connect again, change nothing."""
        log.warning("Verbinding met de server verloren: %s", message)
        self.stop()
        self.bar.label.setText(message)
        self.bar.label.setToolTip(message)
        self.bar.show()

    def reconnect(self) -> bool:
        """Connect the window and the listener again; True when the server is back."""
        from typing import cast

        from merlet_desk.store.engine.server import ServerDatabase

        try:
            cast(ServerDatabase, self.window.db).reconnect()
            self.start()
        except StoreError as exc:
            self.lost(str(exc))
            return False
        self.bar.hide()
        self.window.refresh_from_elsewhere()
        self.main.statusBar().showMessage(self.tr("Weer verbonden met de server."), 10_000)
        return True
