"""Backups of the register with SQLite's online backup API, their rotation, and restoring one.

A live database in WAL mode is never copied as a file: `Connection.backup()` copies a
consistent snapshot page by page, even while another connection writes. Backups go into a
`backups` folder next to the database (setting `safety.backup_dir`), created for the owner only
(0700, files 0600), named `<name>_<YYYY-MM-DD>_<HHMMSS>_<reason>.sqlite`.

Automatic backups: before every migration (`open_database`), before every import
(`backup_before`), and on start at most once a day (`daily_backup`). Rotation keeps every
backup of the last 24 hours (an import that went wrong this morning can be undone even after
a second import) and the newest of each of the last 7 days, 4 weeks and 12 months; manual
backups and copies of a damaged file (reason `beschadigd`) are never rotated away.

A backup folder may hold the backups of several registers (two databases with the same name
in one folder, a backup folder on a share that several computers use): each register only
counts, rotates, offers and restores its own, told apart by the register's identity
(`store.identity.register_identity`), which every backup of it carries. A backup of another
register is never restored without being asked for by name (`restore(other_register=True)`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from merlet_desk import clock, sqlite_driver
from merlet_desk.store import migrations
from merlet_desk.store.backup_contents import (
    RegisterFacts,
    file_facts,
    file_identity,
)
from merlet_desk.store.backup_folders import BACKUP_DIR_SETTING as BACKUP_DIR_SETTING
from merlet_desk.store.backup_folders import DEFAULT_FOLDER as DEFAULT_FOLDER
from merlet_desk.store.backup_folders import backup_folder as backup_folder
from merlet_desk.store.backup_folders import configured_backup_folder as configured_backup_folder
from merlet_desk.store.errors import (
    EncryptionKeyError,
    NotADatabaseError,
    StoreError,
    os_error_reason,
)
from merlet_desk.store.identity import RegisterIdentity, register_identity
from merlet_desk.store.integrity import VerifyResult, quick_check
from merlet_desk.store.settings import register_default
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.verification import verify

register_default(BACKUP_DIR_SETTING, None)  # None: a `backups` folder next to the database
SUFFIX = ".sqlite"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
DAMAGED_REASON = "beschadigd"

# Reasons (ASCII, used in file names).
REASON_MANUAL = "handmatig"
REASON_DAILY = "dagelijks"
REASON_MIGRATION = "voor-bijwerken"
REASON_IMPORT = "voor-import"
REASON_RESTORE = "voor-terugzetten"
REASON_PURGE = "voor-opschonen"

_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<day>\d{4}-\d{2}-\d{2})_(?P<time>\d{6})(?:\.(?P<n>\d+))?"
    r"_(?P<reason>[a-z0-9-]+)\.sqlite$"
)


class BackupError(StoreError):
    """A backup or restore could not be made; the database itself is unchanged."""


class OtherRegisterError(BackupError):
    """The backup named for a restore holds another register than the database it would
    replace (`restore(other_register=True)` restores it anyway)."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    sequence: int = 1  # the ".N" after the time: the N-th backup made in that second

    def order(self) -> tuple[datetime, int, str]:
        """What "newer" means: the second it was made, then its number within that second
        (a later backup in the same second gets a higher one, whatever its reason), then its
        name, which is unique in its folder; so two backups never tie."""
        return (self.made_at, self.sequence, self.path.name)


@dataclass
class BackupSummary:
    """What a backup holds, for the preview before a restore."""

    path: Path
    made_at: datetime
    schema_version: int | None
    verify: VerifyResult | None = None
    facts: RegisterFacts | None = None  # None when it does not verify

    def describe(self) -> str:
        return self.facts.describe() if self.facts else "geen gegevens geteld"


# -- where ----------------------------------------------------------------------------------


def _slug(reason: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return slug or "back-up"


def backup_folders(db_path: str | os.PathLike[str]) -> list[Path]:
    """Where backups of `db_path` can be: the configured folder, then `backups/` beside it
    (where they were before the setting, or when the setting cannot be read)."""
    db_path = Path(db_path)
    folders = [backup_folder(db_path), db_path.parent / DEFAULT_FOLDER]
    return list(dict.fromkeys(folders))


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise BackupError(
            f"De back-upmap {folder} kan niet aangemaakt worden: {exc.strerror or exc}."
        ) from exc


def _new_backup_name(folder: Path, db_path: Path, reason: str, now: datetime) -> Path:
    """A free backup name, reserved at once (an empty file made with O_EXCL), so two processes
    that back up in the same second never pick the same name. A second backup in the same
    second, of any reason, gets a higher number (`_2026-09-20_090000.2_voor-import`), so
    `BackupInfo.order` puts it after the first."""
    base = f"{db_path.stem}_{now:%Y-%m-%d}_{now:%H%M%S}"
    second = now.replace(microsecond=0)
    n = 1 + max(
        (info.sequence for info in list_backups(folder, db_path) if info.made_at == second),
        default=0,
    )
    while True:
        middle = "" if n == 1 else f".{n}"
        candidate = folder / f"{base}{middle}_{_slug(reason)}{SUFFIX}"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            n += 1
            continue
        except OSError as exc:
            raise BackupError(
                f"De back-up in {folder} is mislukt: {os_error_reason(exc)}. Er is niets veranderd."
            ) from exc
        return candidate


def manual_backup_name(db_path: str | os.PathLike[str], now: datetime | None = None) -> str:
    """The name a manual backup made now gets: what "Back-up maken" suggests for a place of
    the officer's choosing, so a copy on a second disk reads (and lists) as a backup."""
    now = now or clock.now()
    return f"{Path(db_path).stem}_{now:%Y-%m-%d}_{now:%H%M%S}_{_slug(REASON_MANUAL)}{SUFFIX}"


def parse_backup_name(path: Path) -> BackupInfo | None:
    """Date, time and reason from a backup's file name (None for another file)."""
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        made_at = datetime.strptime(f"{match['day']} {match['time']}", "%Y-%m-%d %H%M%S")
    except ValueError:
        return None
    return BackupInfo(path, made_at, match["reason"], int(match["n"] or 1))


def list_backups(folder: Path, db_path: Path | None = None) -> list[BackupInfo]:
    """Backups in `folder` (only those of `db_path` when given), newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        info = parse_backup_name(path)
        match = _NAME.match(path.name)
        if info is None or match is None or not path.is_file():
            continue
        if db_path is not None and match["stem"] != Path(db_path).stem:
            continue
        found.append(info)
    return sorted(found, key=BackupInfo.order, reverse=True)


def current_identity(db_path: str | os.PathLike[str]) -> RegisterIdentity:
    """The identity of the register at `db_path`, read from the file as it is now (unknown
    when it is missing or cannot be read that far)."""
    return file_identity(db_path, cached=False)


def of_register(backups: list[BackupInfo], identity: RegisterIdentity) -> list[BackupInfo]:
    """Those of `backups` (already of the register's file name) that hold this register. A
    backup whose identity cannot be read (damaged, under a key this computer lacks) stays
    in, so that choosing it says why it cannot be used; with an unknown `identity` all stay."""
    if not identity.known:
        return list(backups)
    return [
        info for info in backups if identity.same_register(file_identity(info.path)) is not False
    ]


def register_backups(
    db_path: str | os.PathLike[str],
    *,
    identity: RegisterIdentity | None = None,
    folders: list[Path] | None = None,
) -> list[BackupInfo]:
    """The backups of the register at `db_path`, newest first: those named after its file in
    `folders` (its configured folder and `backups/` beside it) that hold this register
    (`identity`, read from the file when not given)."""
    db_path = Path(db_path)
    identity = identity if identity is not None else current_identity(db_path)
    seen: set[Path] = set()
    found = []
    for folder in folders if folders is not None else backup_folders(db_path):
        for info in list_backups(folder, db_path):
            real = info.path.resolve()
            if real not in seen:
                seen.add(real)
                found.append(info)
    found.sort(key=BackupInfo.order, reverse=True)
    return of_register(found, identity)


# -- making a backup ------------------------------------------------------------------------


class _Same:
    """A copy's key: the key of the file it is copied from."""


SAME = _Same()


def copy_with_backup_api(
    source: sqlite_driver.Connection, target: Path, *, key: bytes | None | _Same = SAME
) -> Path:
    """Write a consistent snapshot of `source` to `target` (a new file, 0600) atomically.

    The copy is encrypted under the key of `source` (plain for a plain register), so a backup
    of an encrypted register is never readable without its key; `key` names another key (or
    None: plain). The backup API copies pages only between two files that are both encrypted
    or both plain; across that line the copy is made with `sqlcipher_export` instead.

    The snapshot is written to a temporary file of this process alone (two imports started in
    the same second each have their own), switched to a single self-contained file (rollback
    journal) and only then renamed, so a half-written backup never looks like one. Errors are
    one Dutch line: a full disk, a read-only folder, no rights.
    """
    from merlet_desk.store.cipher_export import export_from
    from merlet_desk.store.connection import open_raw
    from merlet_desk.store.integrity import explain_sqlite_error

    def failed(reason: str) -> BackupError:
        return BackupError(f"De back-up naar {target} is mislukt: {reason}. Er is niets veranderd.")

    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise failed(os_error_reason(exc)) from exc
    temporary = Path(name)
    source_key = sqlite_driver.key_of(source)
    target_key = source_key if isinstance(key, _Same) else key
    try:
        dest = open_raw(temporary, read_only=False, key=target_key)
        try:
            if (source_key is None) == (target_key is None):
                source.backup(dest)
            else:
                export_from(dest, _file_of(source), source_key)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        if os.name == "posix":
            os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except sqlite_driver.Error as exc:
        temporary.unlink(missing_ok=True)
        reason = str(explain_sqlite_error(exc)).rstrip(".")
        raise failed(reason[:1].lower() + reason[1:]) from exc
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise failed(os_error_reason(exc)) from exc
    except StoreError as exc:
        temporary.unlink(missing_ok=True)
        raise failed(str(exc).rstrip(".")) from exc
    return target


def _file_of(conn: sqlite_driver.Connection) -> Path:
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2])


def _connection_of(db: Database | sqlite_driver.Connection) -> sqlite_driver.Connection:
    """The connection to copy from, once a deferred integrity check has passed: a backup of
    a damaged file would rotate good backups away."""
    wait = getattr(db, "wait_for_integrity_check", None)
    if wait is not None:
        wait()
    return db.conn if isinstance(db, Database) else db


def backup_to(
    db: Database | sqlite_driver.Connection,
    target: str | os.PathLike[str],
    *,
    db_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Back up an open database to a file of the user's choice (`merlet-desk backup -o`):
    a new file, never the database at `db_path`, its side files or its backup folder."""
    from merlet_desk.store.outputs import refuse_unsafe_output

    target = Path(target).expanduser()
    refuse_unsafe_output(target, db_path)  # first: it says what the file is (the database...)
    if target.exists() or target.is_symlink():
        raise BackupError(
            f"{target} bestaat al; kies een nieuwe bestandsnaam. Er is niets geschreven."
        )
    if not target.parent.is_dir():
        raise BackupError(f"De map {target.parent} bestaat niet.")
    return copy_with_backup_api(_connection_of(db), target)


def backup_to_place(
    db: Database | sqlite_driver.Connection,
    db_path: str | os.PathLike[str],
    target: str | os.PathLike[str],
) -> Path:
    """Back-up maken to the place the officer chose. A file right in one of the register's
    backup folders becomes a manual backup there, named as that folder's backups are (so it
    is listed, and never rotated away); any other place (a second disk, a share) gets a new
    file of the chosen name (`backup_to`: never the database, its side files, a backup or
    any other SQLite file)."""
    db_path, target = Path(db_path), Path(target).expanduser()
    database = db if isinstance(db, Database) else None
    folders = {
        backup_folder(db_path, database).resolve(),
        (db_path.parent / DEFAULT_FOLDER).resolve(),
    }
    if target.parent.resolve() in folders:
        return make_backup(db, db_path, REASON_MANUAL, folder=target.parent)
    return backup_to(db, target, db_path=db_path)


def make_backup(
    db: Database | sqlite_driver.Connection,
    db_path: str | os.PathLike[str],
    reason: str,
    *,
    folder: Path | None = None,
    now: datetime | None = None,
    rotate_after: bool = True,
) -> Path:
    """Back up the open database into its backup folder and rotate. Returns the new file."""
    db_path = Path(db_path)
    database = db if isinstance(db, Database) else None
    folder = folder or backup_folder(db_path, database)
    _ensure_folder(folder)
    now = now or clock.now()
    reserved = _new_backup_name(folder, db_path, reason, now)
    try:
        target = copy_with_backup_api(_connection_of(db), reserved)
    except BaseException:
        reserved.unlink(missing_ok=True)
        raise
    if rotate_after:
        rotate(
            folder,
            db_path,
            now=now,
            keep={target},
            identity=register_identity(_connection_of(db)),
        )
    return target


def backup_before_migration(conn: sqlite_driver.Connection, path: Path, version: int) -> Path:
    """Called by `open_database` before it migrates an existing file (already quick-checked)."""
    return make_backup(conn, path, f"{REASON_MIGRATION}-v{version}", folder=_folder_for(conn, path))


def _folder_for(conn: sqlite_driver.Connection, path: Path) -> Path:
    try:
        has_settings = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='settings'"
        ).fetchone()
    except sqlite_driver.Error:
        has_settings = None
    return backup_folder(path, Database(conn) if has_settings else None)


def backup_before(db: Database, reason: str = REASON_IMPORT) -> Path | None:
    """Back up before an import or another large change. Call it BEFORE `db.atomic()`.

    Returns the backup file; None for an in-memory database. Raises `BackupError` when the
    backup cannot be written: then do not import.
    """
    from merlet_desk.store.connection import database_path

    path = database_path(db)
    if path is None:
        return None
    return make_backup(db, path, reason)


def daily_backup(
    db: Database, db_path: str | os.PathLike[str], *, now: datetime | None = None
) -> Path | None:
    """On start: a backup unless one was already made today. Returns it, or None."""
    now = now or clock.now()
    folder = backup_folder(db_path, db)
    ours = of_register(list_backups(folder, Path(db_path)), register_identity(db.conn))
    for info in ours:
        if info.made_at.date() == now.date() and info.reason != DAMAGED_REASON:
            return None
    return make_backup(db, db_path, REASON_DAILY, folder=folder, now=now)


# -- rotation -------------------------------------------------------------------------------


def backups_to_keep(
    backups: list[BackupInfo], today: date, recent_since: datetime | None = None
) -> set[Path]:
    """The newest backup of each of the last 7 days, 4 ISO weeks and 12 months (GFS scheme).

    Periods count back from `today`, whether or not a backup was made in them, so a laptop
    that was off for a month keeps its older monthly backups.
    """
    keep: set[Path] = set()
    newest_first = sorted(backups, key=BackupInfo.order, reverse=True)

    def newest_per(period_of: Callable[[date], Hashable], periods: Collection[Hashable]) -> None:
        seen: set[Hashable] = set()
        for info in newest_first:
            period = period_of(info.made_at.date())
            if period in periods and period not in seen:
                seen.add(period)
                keep.add(info.path)

    days = {date.fromordinal(today.toordinal() - n) for n in range(KEEP_DAILY)}
    newest_per(lambda d: d, days)
    weeks = {
        date.fromordinal(today.toordinal() - 7 * n).isocalendar()[:2] for n in range(KEEP_WEEKLY)
    }
    newest_per(lambda d: d.isocalendar()[:2], weeks)
    months: set[tuple[int, int]] = set()
    year, month = today.year, today.month
    for _ in range(KEEP_MONTHLY):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    newest_per(lambda d: (d.year, d.month), months)
    if newest_first:
        keep.add(newest_first[0].path)  # never delete the newest backup of all
    if recent_since is not None:
        keep |= {b.path for b in backups if b.made_at >= recent_since}
    return keep


def rotate(
    folder: Path,
    db_path: Path,
    *,
    now: datetime | None = None,
    keep: set[Path] | None = None,
    identity: RegisterIdentity | None = None,
) -> list[Path]:
    """Delete the automatic backups of `db_path` that the rotation scheme does not keep. With
    `identity` only backups that certainly hold that register are candidates: another
    register's backups of the same file name (a shared backup folder) are never touched."""
    now = now or clock.now()
    backups = [
        b for b in list_backups(folder, db_path) if b.reason not in (DAMAGED_REASON, REASON_MANUAL)
    ]
    if identity is not None and identity.known:
        backups = [b for b in backups if identity.same_register(file_identity(b.path))]
    kept = backups_to_keep(backups, now.date(), now - timedelta(hours=24)) | set(keep or ())
    removed = []
    for info in backups:
        if info.path not in kept:
            try:
                info.path.unlink(missing_ok=True)
                removed.append(info.path)
            except OSError:  # e.g. held open on Windows; the next rotation tries again
                pass
    return removed


# -- inspecting and restoring ---------------------------------------------------------------


def backup_made_at(path: Path) -> datetime:
    """When a backup was made: from its name, else (a file named by hand) its file time."""
    info = parse_backup_name(path)
    if info is not None:
        return info.made_at
    return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)


def _verified_backup(path: Path) -> VerifyResult:
    """`verify` of a file named as a backup; one that is no database (or under a key this
    computer lacks) is not usable, which is what the user is told."""
    try:
        return verify(path)
    except (NotADatabaseError, EncryptionKeyError) as exc:
        raise BackupError(f"De back-up is niet bruikbaar: {exc}") from exc


def backup_summary(path: str | os.PathLike[str]) -> BackupSummary:
    """Date, schema version and what a backup holds (opened read-only), with its check."""
    path = Path(path).expanduser()
    result = _verified_backup(path)
    summary = BackupSummary(path, backup_made_at(path), result.schema_version, verify=result)
    if result.integrity or result.schema_version is None:
        return summary
    try:
        summary.facts = file_facts(path)
    except StoreError:
        pass
    return summary


def newest_good_backup(db_path: str | os.PathLike[str], folder: Path | None = None) -> Path | None:
    """The newest backup of the register at `db_path` that verifies (checked newest first),
    in `folder` or else in the configured folder and `backups/` beside the database. Only
    this register's backups count; when the register's identity cannot be read (a file
    damaged that far) and the backups of its name hold more than one register, none is
    chosen for the officer (`BackupError`)."""
    db_path = Path(db_path)
    identity = current_identity(db_path)
    found = register_backups(db_path, identity=identity, folders=[folder] if folder else None)
    found = [info for info in found if info.reason != DAMAGED_REASON]
    if not identity.known:
        _refuse_mixed_registers(db_path, found)
    for info in found:
        try:
            if verify(info.path).ok:
                return info.path
        except StoreError:
            continue
    return None


def _refuse_mixed_registers(db_path: Path, backups: list[BackupInfo]) -> None:
    identities: list[RegisterIdentity] = []
    for info in backups:
        identity = file_identity(info.path)
        if identity.known and all(identity.same_register(seen) is False for seen in identities):
            identities.append(identity)
    if len(identities) > 1:
        raise BackupError(
            f"De back-ups met de naam van {db_path.name} zijn van {len(identities)} "
            f"verschillende registers, en welk register {db_path} is, is niet meer te lezen. "
            "Er is geen back-up gekozen en niets veranderd; noem de back-up zelf: "
            f'merlet-desk restore BACKUP --db "{db_path}".'
        )


def refuse_other_register(backup: Path, db_path: Path) -> None:
    """Raise `OtherRegisterError` when `backup` certainly holds another register than the
    file at `db_path` (both identities read; a file whose identity cannot be read, or a
    missing one, is not refused on this ground)."""
    if not db_path.exists():
        return
    ours, theirs = current_identity(db_path), file_identity(backup)
    if ours.same_register(theirs) is not False:
        return
    raise OtherRegisterError(
        f"{backup} is een back-up van een ander register (register {theirs}; {db_path.name} "
        f"is register {ours}). Terugzetten zou dit register vervangen door dat andere. Er is "
        "niets veranderd."
    )


@dataclass
class RestoreResult:
    restored_from: Path
    previous: Path | None  # the backup (or, for a damaged file, the copy) of what was replaced
    result: VerifyResult


def _keep_current_file(db_path: Path, folder: Path) -> tuple[Path | None, bool]:
    """Save what is at `db_path` before it is replaced. Returns (saved file, was damaged)."""
    from merlet_desk.store.connection import open_raw

    if not db_path.exists() or db_path.stat().st_size == 0:
        return None, False
    conn = None
    try:
        conn = open_raw(db_path, read_only=True)
        damaged = bool(quick_check(conn))
        if not damaged:
            return make_backup(
                conn, db_path, REASON_RESTORE, folder=folder, rotate_after=False
            ), False
    except (sqlite_driver.Error, NotADatabaseError, EncryptionKeyError):
        # Unreadable: damaged, or under a key this computer lacks (the backup opened, so it
        # is not the backup's key). Either way its bytes are kept as they are.
        damaged = True
    finally:
        if conn is not None:
            conn.close()
    # A damaged file cannot be read page by page, so its bytes are kept as they are.
    _ensure_folder(folder)
    target = _new_backup_name(folder, db_path, DAMAGED_REASON, clock.now())
    try:
        _keep_bytes(db_path, target)
        for extra in ("-wal", "-journal"):
            side = db_path.with_name(db_path.name + extra)
            if side.exists() and side.stat().st_size > 0:
                _keep_bytes(side, target.with_name(target.name + extra))
    except (OSError, sqlite_driver.Error) as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"Het huidige bestand kan niet bewaard worden: {exc}.") from exc
    return target, True


def _keep_bytes(source: Path, target: Path) -> None:
    """Keep the file at `source` as `target` without opening it: the window of this very
    process may still hold a connection to it, and closing a descriptor of our own would drop
    that connection's locks (see `merlet_desk.sqlite_files`). A hard link costs nothing and the restore then
    replaces `source` by a new file, so `target` keeps the damaged bytes. Where no link can be
    made (another file system, FAT, a share), the database is copied page by page through
    SQLite; its `-wal` and `-journal`, which SQLite never locks, are copied as files."""
    target.unlink(missing_ok=True)  # the reserved (empty) name
    try:
        os.link(source, target)
    except OSError:
        if source.name.endswith(("-wal", "-journal")):
            shutil.copyfile(source, target)  # no lock of SQLite's lives on these files
        else:
            from merlet_desk.store.connection import open_raw

            conn = open_raw(source, read_only=True, inspect=True)
            try:
                copy_with_backup_api(conn, target)
            finally:
                conn.close()
    if os.name == "posix":
        os.chmod(target, 0o600)


def _refuse_foreign_current(db_path: Path) -> None:
    """A restore replaces the file at `db_path`: never another program's SQLite file."""
    from merlet_desk.store.connection import open_raw
    from merlet_desk.store.identity import foreign_message, is_ours
    from merlet_desk.store.outputs import is_sqlite_file

    if not is_sqlite_file(db_path) or db_path.stat().st_size == 0:
        return
    try:
        conn = open_raw(db_path, read_only=True, inspect=True)
    except StoreError:
        return
    try:
        ours = is_ours(conn)
    except sqlite_driver.Error:
        return  # a damaged file: kept aside and replaced, as before
    finally:
        conn.close()
    if not ours:
        raise BackupError(foreign_message(db_path) + " Terugzetten overschrijft het niet.")


def restore(
    backup: str | os.PathLike[str],
    db_path: str | os.PathLike[str],
    *,
    folder: Path | None = None,
    other_register: bool = False,
) -> RestoreResult:
    """Put `backup` back at `db_path`: verify it, save the current file, then copy it back.

    A backup of another register than the one at `db_path` is refused
    (`OtherRegisterError`) unless `other_register` says that is what is wanted.

    A healthy current file is overwritten through the backup API (so another connection that
    has it open sees the restored data, not a deleted file) and keeps its journal mode; a
    damaged one is replaced atomically by a file written through the backup API next to it,
    which gets the journal mode of its place first (`store.connection.journal_mode_for`).
    """
    from merlet_desk.store.connection import open_raw

    backup, db_path = Path(backup).expanduser(), Path(db_path).expanduser()
    if not backup.is_file():
        raise BackupError(f"{backup} bestaat niet.")
    if db_path.exists() and (
        backup.resolve() == db_path.resolve() or os.path.samefile(backup, db_path)
    ):
        raise BackupError("De back-up en de database zijn hetzelfde bestand.")
    _refuse_foreign_current(db_path)
    checked = _verified_backup(backup)
    if not checked.ok:
        raise BackupError(f"De back-up is niet bruikbaar:\n{checked.summary()}")
    if not checked.schema_version:
        raise BackupError(f"{backup} is geen Merlet Desk-back-up (geen schemaversie).")
    if not other_register:
        refuse_other_register(backup, db_path)
    folder = folder or backup_folder(db_path)
    previous, damaged = _keep_current_file(db_path, folder)

    source = open_raw(backup, read_only=True)
    try:
        # The restored register stays encrypted: under the key of the file it replaces, or
        # of the backup. Pages move between two files only when both are encrypted or both
        # plain; otherwise the file is written anew beside it and swapped in.
        source_key = sqlite_driver.key_of(source)
        current_key = _key_of_current(db_path) if previous is not None and not damaged else None
        key = current_key if current_key is not None else source_key
        if previous is None or damaged or (source_key is None) != (key is None):
            restored = db_path.with_name(db_path.name + ".restored")
            copy_with_backup_api(source, restored, key=key)
            _give_journal_mode_of_place(restored, db_path, key)
            for extra in ("-wal", "-shm", "-journal"):
                db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
            os.replace(restored, db_path)
        else:
            dest = open_raw(db_path, read_only=False)
            try:
                source.backup(dest)
            except sqlite_driver.Error as exc:
                raise BackupError(f"Terugzetten is mislukt: {exc}. Er is niets veranderd.") from exc
            finally:
                dest.close()
    finally:
        source.close()
    if os.name == "posix":
        os.chmod(db_path, 0o600)
    return RestoreResult(backup, previous, verify(db_path))


def _give_journal_mode_of_place(restored: Path, db_path: Path, key: bytes | None) -> None:
    """A backup is one self-contained file in rollback mode; the file put back at `db_path`
    gets the journal mode of that place now, while nobody else can have it open."""
    from merlet_desk.store.connection import open_raw, switch_to_wal

    conn = open_raw(restored, read_only=False, key=key)
    try:
        switch_to_wal(conn, db_path)  # the mode of `db_path`'s place: WAL, or on a share DELETE
    finally:
        conn.close()


def _key_of_current(db_path: Path) -> bytes | None:
    from merlet_desk.store.connection import open_raw

    conn = open_raw(db_path, read_only=True)
    try:
        return sqlite_driver.key_of(conn)
    finally:
        conn.close()


def is_current_schema(summary: BackupSummary) -> bool:
    return summary.schema_version == migrations.LATEST_VERSION
