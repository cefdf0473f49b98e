"""Encryption in the window: the offer to encrypt the register (Start's "Zo begint u" and
Extra › Versleutelen…) and asking for the recovery key when this computer lacks the key.

The steps themselves are `merlet_desk.encryption`'s, the same as `merlet-desk encrypt` and
`merlet-desk key recover`; this module only asks and tells.

- Encrypting: explain what it means; choose where the sheet "Herstelsleutel" goes (it is
  written before anything else, and offered for printing afterwards); then the window closes
  its connection and workers, keeps its lock, and the register is converted and reopened.
- Without a key store (a Linux desktop without Secret Service) the key goes into a key file
  the user chooses, with the warning that a key file on the same disk protects nothing; the
  window remembers where it is (`key_file_setting`) and uses it at the next start.
- Opening a register whose key is not here: the recovery key is asked (a typo is named per
  group and asked again), or, without a key store, the key file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QWidget

from merlet_desk.errors import InputError
from merlet_desk.store.errors import StoreError
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.common.key_file_setting import remember_key_file
from merlet_desk.ui.context import DatabaseHost

if TYPE_CHECKING:
    from merlet_desk.store.lock import DatabaseLock
    from merlet_desk.store.sqlite_utils_import import Database


def _tr(text: str) -> str:
    return QCoreApplication.translate("Encryption", text)


class EncryptionHost(DatabaseHost, Protocol):
    """What encrypting the open register needs of the window besides its database: its lock,
    its unsaved edits settled, and the file let go of (workers stopped, connection closed)
    before it is converted."""

    @property
    def database_lock(self) -> DatabaseLock | None: ...
    def settle_unsaved_changes(self) -> bool: ...
    def release_database(self) -> None: ...


def is_encrypted(db: Database) -> bool:
    from merlet_desk import sqlite_driver

    return sqlite_driver.key_of(db.conn) is not None


def _key_file_instead(parent: QWidget | None, problem: str) -> Path | None:
    """No key store here: a key file of the user's choosing, after the warning."""
    question = (
        problem
        + "\n\n"
        + _tr(
            "U kunt de sleutel in een sleutelbestand bewaren. Zet dat niet op dezelfde schijf "
            "als het register (een USB-stick, of een netwerkmap van IT): op dezelfde schijf "
            "beschermt versleutelen niets. Merlet Desk onthoudt waar het bestand staat.\n\n"
            "Een sleutelbestand kiezen?"
        )
    )
    if not dialogs.ask_yes_no(parent, _tr("Geen sleutelkluis"), question):
        return None
    return dialogs.choose_save_path(
        parent,
        _tr("Sleutelbestand opslaan"),
        "merlet-desk.key",
        _tr("Sleutelbestand (*.key);;Alle bestanden (*)"),
        kind="keyfile",
    )


def offer_encryption(window: QWidget, host: EncryptionHost) -> bool:
    """Encrypt the register `host` (the window) has open, after asking; `window` is the
    parent of the dialogs. True when it was encrypted."""
    from merlet_desk.encryption import encrypt
    from merlet_desk.store import keys

    title = _tr("Database versleutelen")
    if host.read_only:
        dialogs.show_error(
            window, title, _tr("De database is alleen-lezen geopend en wordt niet versleuteld.")
        )
        return False
    path = host.db_path
    if not isinstance(path, Path):  # a register on a server: its disk and backups are IT's
        dialogs.show_error(
            window,
            title,
            _tr("Een register op een server wordt niet hier versleuteld: de server is van ICT."),
        )
        return False
    if is_encrypted(host.db):
        dialogs.show_info(window, title, _tr("De database is al versleuteld."))
        return False
    key_file = keys.configured_key_file()
    problem = keys.key_store_problem() if key_file is None else None
    if problem is not None:
        key_file = _key_file_instead(window, problem)
        if key_file is None:
            return False
    where = (
        _tr("in de sleutelkluis van deze computer (u logt in, Merlet Desk opent het)")
        if key_file is None
        else _tr("in het sleutelbestand %1").replace("%1", str(key_file))
    )
    # A key file IT made beforehand brings its own key and has no recovery key.
    from_it = key_file is not None and key_file.exists()
    recovery = (
        _tr(
            "Er komt geen herstelsleutel: de sleutel komt uit het sleutelbestand van IT. "
            "Zonder dat bestand is het register niet meer te openen."
        )
        if from_it
        else _tr(
            "U krijgt het blad Herstelsleutel (48 cijfers): bewaar het afgedrukt in de kluis "
            "van de school of bij IT. Zonder sleutel en zonder dat blad is het register niet "
            "meer te openen."
        )
    )
    explanation = (
        _tr(
            "Versleutelen maakt het register onleesbaar voor wie de laptop, een kopie of de "
            "back-upmap vindt (AES-256). De sleutel staat %1."
        ).replace("%1", where)
        + "\n\n"
        + recovery
        + "\n\n"
        + _tr("De back-ups worden ook versleuteld. Nu versleutelen?")
    )
    if not dialogs.ask_yes_no(window, title, explanation):
        return False
    sheet = None
    if not from_it:
        sheet = dialogs.choose_save_path(
            window,
            _tr("Blad Herstelsleutel opslaan"),
            _tr("Herstelsleutel %1.pdf").replace("%1", path.stem),
            _tr("PDF (*.pdf)"),
            kind="recovery",
        )
        if sheet is None:
            return False
    if not host.settle_unsaved_changes():
        return False
    host.release_database()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        outcome = encrypt(path, key_file=key_file, sheet=sheet, lock=host.database_lock)
    except (StoreError, InputError, OSError) as exc:
        QApplication.restoreOverrideCursor()
        host.switch_database(path)  # the register as it was
        dialogs.show_error(window, title, str(exc))
        return False
    QApplication.restoreOverrideCursor()
    if key_file is not None:
        remember_key_file(key_file)
    host.switch_database(path)
    message = "\n\n".join(outcome.lines)
    if sheet is None:
        dialogs.show_info(window, _tr("Database versleuteld"), message)
        return True
    message += "\n\n" + _tr("Het blad Herstelsleutel nu afdrukken?")
    if dialogs.ask_yes_no(window, _tr("Database versleuteld"), message):
        from merlet_desk.ui.common.report_preview import print_pdf

        print_pdf(window, sheet, _tr("Herstelsleutel"))
    return True


def unlock(parent: QWidget | None, path: Path, problem: str) -> bool:
    """The register at `path` is encrypted and its key is not here: ask for the recovery key
    and put the key into the key store (or, without a key store, ask for the key file).
    True when the register can now be opened."""
    from merlet_desk.encryption import recover
    from merlet_desk.store import keys

    title = _tr("Sleutel ontbreekt")
    store_problem = keys.key_store_problem()
    if store_problem is not None and keys.configured_key_file() is None:
        question = problem + "\n\n" + _tr("Het sleutelbestand kiezen?")
        if not dialogs.ask_yes_no(parent, title, question):
            return False
        chosen = dialogs.choose_open_path(
            parent,
            _tr("Sleutelbestand kiezen"),
            _tr("Sleutelbestand (*.key *.hex);;Alle bestanden (*)"),
            kind="keyfile",
        )
        if chosen is None:
            return False
        remember_key_file(chosen)
        return True
    label = (
        problem + "\n\n" + _tr("Typ de herstelsleutel (48 cijfers) van het blad Herstelsleutel:")
    )
    while True:
        text = dialogs.ask_text(parent, title, label, required=True)
        if text is None:
            return False
        try:
            outcome = recover(path, text)
        except (InputError, StoreError) as exc:
            dialogs.show_error(parent, title, str(exc))
            continue
        dialogs.show_info(parent, _tr("Sleutel teruggezet"), "\n".join(outcome.lines))
        return True
