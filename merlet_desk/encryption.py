"""Encrypting a register, recovering its key, rotating it: the steps the CLI and the window share.

Each step is ordered so that no moment exists where the register is encrypted and its key is
nowhere: the recovery key is made and written down (the sheet, or printed) first, the key is
kept (the key store, or a new key file) second, and only then is the file converted. A
failure before the conversion undoes what was made; a failure after it leaves the new key
where it was kept.

- `init_encrypted`: a new register, encrypted from its first byte.
- `encrypt`: an existing plain register (`store.encryption`: verified, swapped atomically,
  its backups encrypted too).
- `recover`: the 48 digits of the recovery sheet put the key back into this machine's key
  store (or a key file): a new laptop, a wiped key store, a second reader.
- `rotate`: a new key and a new sheet; the old key and the old sheet open nothing any more.

The key comes from (and goes to) the key file when one is given (`--key-file`,
`MERLET_DESK_KEY_FILE`), else the key store. A key file IT made beforehand (any 64 hex
characters) is used as it is; it has no recovery key, since a recovery key can only stand for
a key derived from it (`domain.recovery_key`), and that file is then the only way in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from merlet_desk import sqlite_driver
from merlet_desk.domain.recovery_key import RecoveryKey, key_id, new_recovery_key
from merlet_desk.errors import InputError
from merlet_desk.store import keys
from merlet_desk.store.errors import NoKeyStoreError, WrongKeyError

if TYPE_CHECKING:
    from merlet_desk.store.lock import DatabaseLock
    from merlet_desk.store.sqlite_utils_import import Database


@dataclass
class NewKey:
    """A key about to be used: from a new recovery key, or from IT's own key file."""

    key: bytes
    recovery: RecoveryKey | None
    key_file: Path | None  # None: the key store
    key_file_existed: bool = False

    @property
    def where(self) -> str:
        if self.key_file is None:
            return "de sleutelkluis van deze computer"
        return f"het sleutelbestand {self.key_file}"


@dataclass
class Outcome:
    """What a step did, as the lines the CLI prints and the window shows."""

    key: bytes
    recovery: RecoveryKey | None = None
    sheet: Path | None = None
    lines: list[str] = field(default_factory=list)


def choose_new_key(key_file: Path | None = None) -> NewKey:
    """The key for a register about to be encrypted. With a key file that exists: its key
    (no recovery key). Otherwise a new recovery key and the key derived from it, kept later
    in a new key file or the key store, which must exist (`NoKeyStoreError` says so and asks
    for a key file: there is no fallback to a plain register)."""
    key_file = key_file if key_file is not None else keys.configured_key_file()
    if key_file is not None and key_file.exists():
        return NewKey(keys.read_key_file(key_file), None, key_file, key_file_existed=True)
    if key_file is None:
        problem = keys.key_store_problem()
        if problem:
            raise NoKeyStoreError(problem)
    recovery = new_recovery_key()
    return NewKey(recovery.database_key, recovery, key_file)


def keep_key(new: NewKey) -> None:
    """Put the key where it will be found: a new key file (0600), or the key store."""
    if new.key_file is not None:
        if not new.key_file_existed:
            keys.write_key_file(new.key_file, new.key)
        return
    keys.store_key(new.key)


def unkeep_key(new: NewKey) -> None:
    """Undo `keep_key` after the conversion failed (the key encrypts nothing)."""
    if new.key_file is not None:
        if not new.key_file_existed:
            new.key_file.unlink(missing_ok=True)
        return
    keys.forget_key(new.key)


def recovery_lines(recovery: RecoveryKey | None, sheet: Path | None) -> list[str]:
    """What to print about the recovery key: where the sheet went, or the digits themselves."""
    if recovery is None:
        return [
            "Er is geen herstelsleutel: de sleutel komt uit een sleutelbestand dat u zelf "
            "gemaakt hebt. Bewaar een kopie van dat bestand in de kluis van IT; zonder is het "
            "register niet meer te openen."
        ]
    ident = key_id(recovery.database_key)
    if sheet is not None:
        return [
            f"Herstelsleutel (sleutel-ID {ident}) opgeslagen in {sheet}. Druk het af, bewaar "
            "het in de kluis en verwijder het bestand: wie het heeft, kan het register lezen."
        ]
    return [
        f"Herstelsleutel (sleutel-ID {ident}): {recovery.text}",
        "Schrijf hem over of bewaar hem in de kluis van IT (of maak het blad met "
        "--recovery-sheet BESTAND.pdf): wie hem heeft, kan het register lezen.",
    ]


def write_sheet(recovery: RecoveryKey | None, database: Path, sheet: Path | None) -> None:
    """Write the "Herstelsleutel" sheet (when asked for and there is a recovery key)."""
    if sheet is None or recovery is None:
        return
    from merlet_desk.reports.recovery_sheet import build_recovery_sheet

    build_recovery_sheet(sheet, recovery, database)


def _remove_sheet(sheet: Path | None, recovery: RecoveryKey | None) -> None:
    if sheet is not None and recovery is not None:
        sheet.unlink(missing_ok=True)


def _refuse_sheet_without_recovery(new: NewKey, sheet: Path | None) -> None:
    if sheet is not None and new.recovery is None:
        raise InputError(
            f"--recovery-sheet: de sleutel komt uit het bestaande sleutelbestand {new.key_file}, "
            "dat geen herstelsleutel heeft. Laat --recovery-sheet weg, of geef een nieuw "
            "(nog niet bestaand) sleutelbestand: dan maakt Merlet Desk de sleutel en het blad."
        )


@contextmanager
def new_key_kept(path: Path, key_file: Path | None, sheet: Path | None) -> Iterator[NewKey]:
    """The new key for the register at `path`, its sheet written and the key kept, around the
    step that encrypts with it: when that step fails, the key and the sheet are undone (they
    would stand for a key that encrypts nothing)."""
    new = choose_new_key(key_file)
    _refuse_sheet_without_recovery(new, sheet)
    write_sheet(new.recovery, path, sheet)
    try:
        keep_key(new)
        try:
            yield new
        except BaseException:
            unkeep_key(new)
            raise
    except BaseException:
        _remove_sheet(sheet, new.recovery)
        raise


def init_encrypted(
    path: Path, *, key_file: Path | None = None, sheet: Path | None = None
) -> tuple[Outcome, Database]:
    """Create a new, encrypted register at `path`. Returns the outcome and the open database
    (the caller fills and closes it)."""
    from merlet_desk.store import open_database

    with new_key_kept(path, key_file, sheet) as new:
        db = open_database(path, key=new.key)
    outcome = Outcome(new.key, new.recovery, sheet)
    outcome.lines = [
        f"Versleuteld met sleutel-ID {key_id(new.key)}; de sleutel staat in {new.where}.",
        *recovery_lines(new.recovery, sheet),
    ]
    return outcome, db


def current_key(path: Path) -> bytes | None:
    """The key the register at `path` is opened with now (None: a plain register). Raises the
    store's one-line error when it cannot be opened (missing, no key, not ours)."""
    from merlet_desk.store import open_database

    db = open_database(path, read_only=True, create=False)
    try:
        return sqlite_driver.key_of(db.conn)
    finally:
        db.close()


def encrypt(
    path: Path,
    *,
    key_file: Path | None = None,
    sheet: Path | None = None,
    lock: DatabaseLock | None = None,
) -> Outcome:
    """Encrypt the existing plain register at `path` and its backups (`lock`: the window's,
    its connections closed)."""
    from merlet_desk.store.encryption import encrypt_register

    if current_key(path) is not None:
        raise InputError(
            f"{path} is al versleuteld. Een nieuwe sleutel: merlet-desk key rotate --db PAD."
        )
    with new_key_kept(path, key_file, sheet) as new:
        result = encrypt_register(path, new.key, lock=lock)
    outcome = Outcome(new.key, new.recovery, sheet)
    outcome.lines = [
        f"{path} is versleuteld ({result.register.rows} rijen in {result.register.tables} "
        f"tabellen gecontroleerd); het onversleutelde bestand is vervangen.",
        f"Sleutel-ID {key_id(new.key)}; de sleutel staat in {new.where}.",
        *result.backup_lines(),
        stale_copy_warning(path),
        *recovery_lines(new.recovery, sheet),
    ]
    return outcome


def recover(path: Path, text: str, *, key_file: Path | None = None) -> Outcome:
    """Check the recovery key `text` against the register at `path` and keep its key in this
    machine's key store (or the key file given)."""
    from merlet_desk.domain.recovery_key import parse_recovery_key
    from merlet_desk.store.connection import (
        check_database_file,
        open_raw,
        page_one_reads,
    )

    recovery = parse_recovery_key(text)
    key = recovery.database_key
    check_database_file(path)
    plain = open_raw(path, read_only=True, inspect=True, key=None)
    try:
        if page_one_reads(plain):
            raise InputError(f"{path} is niet versleuteld; er is geen sleutel nodig.")
    finally:
        plain.close()
    try:
        open_raw(path, read_only=True, inspect=True, key=key).close()
    except WrongKeyError:
        raise WrongKeyError(
            f"Deze herstelsleutel (sleutel-ID {key_id(key)}) opent {path} niet: de cijfers "
            "kloppen, maar horen bij een ander register of bij een sleutel die vervangen is "
            "(merlet-desk key rotate). Gebruik het nieuwste blad Herstelsleutel. Er is niets "
            "veranderd."
        ) from None
    key_file = key_file if key_file is not None else keys.configured_key_file()
    if key_file is not None:
        if key_file.exists():
            if keys.read_key_file(key_file) != key:
                raise InputError(
                    f"Het sleutelbestand {key_file} bestaat al met een andere sleutel; geef een "
                    "nieuwe bestandsnaam. Er is niets veranderd."
                )
        else:
            keys.write_key_file(key_file, key)
        where = f"het sleutelbestand {key_file}"
    else:
        keys.store_key(key)
        where = "de sleutelkluis van deze computer"
    return Outcome(
        key,
        recovery,
        lines=[f"De sleutel (sleutel-ID {key_id(key)}) staat in {where}; {path} opent weer."],
    )


def rotate(path: Path, *, key_file: Path | None = None, sheet: Path | None = None) -> Outcome:
    """Give the register at `path` and its backups a new key and a new recovery key; the old
    key is removed from the key store (or the key file is replaced)."""
    from merlet_desk.store.encryption import encrypt_register

    old = current_key(path)
    if old is None:
        raise InputError(
            f"{path} is niet versleuteld; versleutel het met: merlet-desk encrypt --db PAD."
        )
    key_file = key_file if key_file is not None else keys.configured_key_file()
    if key_file is None and (problem := keys.key_store_problem()):
        raise NoKeyStoreError(problem)
    recovery = new_recovery_key()
    new_key = recovery.database_key
    write_sheet(recovery, path, sheet)
    try:
        if key_file is None:
            keys.store_key(new_key)  # beside the old one until the register is converted
        try:
            result = encrypt_register(path, new_key, old_key=old)
        except BaseException:
            if key_file is None:
                keys.forget_key(new_key)
            raise
    except BaseException:
        _remove_sheet(sheet, recovery)
        raise
    if key_file is None:
        keys.forget_key(old)
        where = "de sleutelkluis van deze computer"
    else:
        keys.write_key_file(key_file, new_key, replace=True)
        where = f"het sleutelbestand {key_file}"
    outcome = Outcome(new_key, recovery, sheet)
    outcome.lines = [
        f"{path} heeft een nieuwe sleutel (sleutel-ID {key_id(new_key)}, in {where}). De oude "
        f"sleutel (sleutel-ID {key_id(old)}) en zijn blad Herstelsleutel openen het niet meer: "
        "vernietig dat blad.",
        *result.backup_lines(),
        *recovery_lines(recovery, sheet),
    ]
    return outcome


def stale_copy_warning(path: Path) -> str:
    """Said after encrypting: copies made before (a USB stick, a mail) stay readable."""
    return (
        f"Let op: kopieën van {path.name} die eerder buiten de back-upmap gemaakt zijn "
        "(USB-stick, netwerkschijf, e-mail) blijven onversleuteld; verwijder ze."
    )
