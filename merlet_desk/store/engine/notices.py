"""Another seat's commits, as the server announces them: ``LISTEN merlet_desk``.

Every table of a register on a server has a statement trigger that sends a notice with the
table's name when a transaction that wrote to it commits (`engine.schema.CHANGE_NOTICES`; the
server folds a transaction's identical notices into one, so a bulk import sends one per
table). A window listens on a connection of its own, made by `store.open_database` like any
other, and asks `poll` when its socket (`fileno`) has something to read:

    notices = ChangeNotices.listen(target)
    ...
    change = notices.poll(db)                          # OtherSeats or None
    if change: refresh the lists; say change.message()

Notices sent by `db`'s own connection are left out: that window knows its own writes. Each
notice carries the writing transaction's id, so the new decisions of other seats are counted
exactly: the rows whose `xmin` is one of those transactions (decisions are never updated, so
a row's `xmin` is the transaction that recorded it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import psycopg

from merlet_desk.domain.text import count_text
from merlet_desk.store.engine.dialect import NOTIFY_CHANNEL
from merlet_desk.store.engine.server import ServerDatabase
from merlet_desk.store.server_url import ServerUrl
from merlet_desk.store.sqlite_utils_import import Database


@dataclass(frozen=True)
class OtherSeats:
    """What other seats committed since the last look."""

    tables: frozenset[str]
    new_decisions: int

    def message(self) -> str:
        """The status bar's line: "Bijgewerkt: 3 besluiten van een andere werkplek"."""
        if self.new_decisions:
            decisions = count_text(self.new_decisions, "1 besluit", "%1 besluiten")
            return f"Bijgewerkt: {decisions} van een andere werkplek"
        return "Bijgewerkt: wijzigingen van een andere werkplek"


class ChangeNotices:
    """The listening connection of one window (see the module docstring)."""

    def __init__(self, db: ServerDatabase) -> None:
        self._db = db
        db.server.pg.execute(f"LISTEN {NOTIFY_CHANNEL}")

    @classmethod
    def listen(cls, target: ServerUrl, password: str | None = None) -> ChangeNotices:
        from merlet_desk.store.database import open_database

        db = open_database(target, read_only=True, password=password)
        if not isinstance(db, ServerDatabase):  # pragma: no cover - a URL opens a server
            db.close()
            raise TypeError("change notices come from a server")
        try:
            return cls(db)
        except BaseException:
            db.close()
            raise

    def fileno(self) -> int:
        """The socket to watch: readable when a notice (or the end of the connection) came."""
        return self._db.server.pg.fileno()

    def poll(self, db: Database) -> OtherSeats | None:
        """The changes other seats committed since the last poll, or None. `db` is the
        window's own connection (whose notices are its own writes)."""
        own = _backend_pid(db)
        tables: set[str] = set()
        recorded: set[int] = set()  # transactions of other seats that added decisions
        with self._db.server.translated_errors():
            for notice in self._db.server.pg.notifies(timeout=0):
                if notice.pid == own:
                    continue
                table, _, transaction = notice.payload.partition(" ")
                tables.add(table)
                if table == "decisions" and transaction.isdigit():
                    recorded.add(int(transaction))
        if not tables:
            return None
        new = 0
        if recorded:
            new = int(
                self._db.execute(
                    "SELECT count(*) FROM decisions WHERE CAST(CAST(xmin AS text) AS bigint)"
                    " = ANY(?)",
                    [sorted(recorded)],
                ).fetchone()[0]
            )
        return OtherSeats(frozenset(tables), new)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._db.close()


def _backend_pid(db: Any) -> int | None:
    server = getattr(db, "server", None)
    if server is None:
        return None
    with contextlib.suppress(psycopg.Error):
        return int(server.pg.info.backend_pid)
    return None
