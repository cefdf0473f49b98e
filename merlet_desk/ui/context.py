"""What a section gets from the window, and what the window asks of a section.

A section is built from a `SectionContext`: the open database (its connection, its path,
read-only or not), the window's workers (`tasks`), and the few things it may ask of the window
(show another section, the publication check, an agreement of the policy, the takedown badge,
the offer to encrypt the database).
It never receives the window itself. The window, in turn, only calls the `Section` protocol
(Ctrl+F, unsaved changes before closing).

When a section needs another section to do something (Start's buttons open a list elsewhere),
it asks through `consent()`, `publications()` or `cases()`: typed requests, answered by the
section that owns the list, without one section importing another.

Loaded before the window's first paint: imports no store module (only for type checking).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtWidgets import QWidget

from merlet_desk.store.server_url import ServerUrl

if TYPE_CHECKING:
    from merlet_desk.store.sqlite_utils_import import Database
    from merlet_desk.ui.common.tasks import TaskGroup


class SectionKey(StrEnum):
    """The sections, in navigation order; the value is what QSettings remembers."""

    START = "start"
    POLICY = "beleid"
    CONSENT = "toestemmingen"
    PUBLICATIONS = "publicaties"
    CASES = "incidenten"
    REPORTS = "rapporten"


class Section(Protocol):
    """What the window asks of every section widget."""

    def focus_search(self) -> None:
        """Ctrl+F: the search field of the list shown (nothing where there is none)."""

    def has_unsaved_changes(self) -> bool: ...

    def unsaved_changes_question(self) -> str:
        """The question asked before closing while `has_unsaved_changes()`."""
        ...

    def save_changes(self) -> bool:
        """Save what is unsaved; False when that failed (the officer has been told)."""
        ...

    def discard_changes(self) -> None: ...

    def refresh_from_elsewhere(self) -> None:
        """Another seat committed changes to a register on a server (or the window connected
        again): show the register as it is now; an edit in progress stays as it is."""
        ...


class NothingUnsaved:
    """The `Section` protocol for a section that keeps no edits of its own (everything it
    changes is saved at once) and, unless it says otherwise, has no search field."""

    def focus_search(self) -> None:
        return None

    def has_unsaved_changes(self) -> bool:
        return False

    def unsaved_changes_question(self) -> str:
        return ""

    def save_changes(self) -> bool:
        return True

    def discard_changes(self) -> None:
        return None

    def refresh_from_elsewhere(self) -> None:
        return None


class ConsentRequests(Protocol):
    """What other sections ask of Toestemmingen."""

    def show_register(self) -> None: ...
    def show_reminders(self, key: str | None) -> object: ...
    def import_pupils(self) -> object: ...
    def open_form_entry(self) -> object: ...
    def import_consents(self) -> object: ...
    def edit_settings(self) -> object: ...
    def open_check(self, pupil_numbers: list[str] | None = None) -> QWidget: ...


class PublicationsRequests(Protocol):
    """What other sections ask of Publicaties."""

    def show_takedowns(self) -> object: ...


class CasesRequests(Protocol):
    """What other sections ask of Incidenten."""

    def show_active_cases(self) -> object: ...
    def open_case(self, reference: str) -> object: ...


class PolicyRequests(Protocol):
    """What other sections ask of Beleid."""

    def show_agreement(self, number: int) -> object: ...


class DatabaseHost(Protocol):
    """What the Extra menu (backup, restore, verify, audit log, purge) uses of the window."""

    @property
    def db(self) -> Database: ...
    @property
    def db_path(self) -> Path | ServerUrl: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def tasks(self) -> TaskGroup:
        """The window's workers (a restore dialog reads backups on them)."""
        ...

    def switch_database(self, path: Path | ServerUrl) -> bool:
        """Open this file (again, after a restore): every section is built afresh."""
        ...

    def encrypt_database(self) -> bool:
        """Encrypt this database after asking (`ui/common/encryption.py`); True when done."""
        ...

    def restore_backup(self, backup: Path, *, other_register: bool = False) -> Any:
        """Put `backup` back in place of the open database, the window's connection and
        workers closed first; every section is built afresh. Returns the store's
        `RestoreResult`, None when the officer kept unsaved edits; raises `StoreError`."""
        ...


TakedownStamp = tuple[date, int, int] | None


@dataclass(frozen=True)
class SectionContext:
    """Given to a section when it is built; a section built for another database gets a new
    one (the window rebuilds its sections when it switches)."""

    db: Database
    db_path: Path | ServerUrl  # the file, or the URL of a register on a server
    read_only: bool
    tasks: TaskGroup
    navigate: Callable[[SectionKey], QWidget]  # show that section and return it
    section: Callable[[SectionKey], QWidget]  # that section (built if need be), not shown
    set_takedown_count: Callable[[int], None]  # the badge beside Publicaties
    takedown_stamp: Callable[[date], TakedownStamp]
    keep_takedowns: Callable[[TakedownStamp, list[Any]], None]
    encrypt: Callable[[], bool]  # the window's offer to encrypt its database (Start's step)

    def consent(self) -> ConsentRequests:
        """Show Toestemmingen, for one of its requests."""
        return cast("ConsentRequests", self.navigate(SectionKey.CONSENT))

    def publications(self) -> PublicationsRequests:
        return cast("PublicationsRequests", self.navigate(SectionKey.PUBLICATIONS))

    def cases(self) -> CasesRequests:
        return cast("CasesRequests", self.navigate(SectionKey.CASES))

    def open_check(self, pupil_numbers: list[str] | None = None) -> QWidget:
        """The publication check ("Mag deze foto online?") over the screen in use."""
        return cast("ConsentRequests", self.section(SectionKey.CONSENT)).open_check(pupil_numbers)

    def open_agreement(self, number: int) -> None:
        """Show "artikel N" of the policy in Beleid."""
        cast("PolicyRequests", self.navigate(SectionKey.POLICY)).show_agreement(number)
