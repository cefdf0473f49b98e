"""Where the key of an encrypted register lives: the operating system's key store, or a key file.

- **The key store** (Windows Credential Manager, macOS Keychain, Secret Service on Linux),
  through `keyring`: one entry, service "Merlet Desk", name "databasesleutels", that holds
  the raw keys (hex) this user's registers are encrypted with, newest first. Opening an
  encrypted file tries them in turn (SQLite says at once whether a key fits), so a register
  that is moved, copied to a share, or restored from a backup opens with the same entry. The
  operating system unlocks the store when the user logs in; Merlet Desk never asks for a
  password.
- **A key file** (`--key-file PATH` or `MERLET_DESK_KEY_FILE`), for IT's scripts, servers
  without a key store and tests: the raw key as 64 hexadecimal characters, a trailing newline
  allowed, readable by its owner only (0600). When one is given, it is the only key used.

Where no key store exists (keyring's `fail` backend: a headless Linux box) the program says
so and asks for a key file; it never falls back to an unencrypted file. `keyring` is imported
only when a key is needed (through `store/keyring_import.py`): a plain register never loads it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merlet_desk.domain.recovery_key import KEY_BYTES, key_id
from merlet_desk.store.errors import (
    EncryptionKeyError,
    KeyFileError,
    MissingKeyError,
    NoKeyStoreError,
    WrongKeyError,
    os_error_reason,
)

KEY_FILE_ENV = "MERLET_DESK_KEY_FILE"
SERVICE = "Merlet Desk"
ENTRY = "databasesleutels"
# Windows Credential Manager keeps at most 2,560 bytes per entry (1,280 characters, as keyring
# stores UTF-16); 16 keys of 64 hex characters fit with room to spare.
MAX_STORED_KEYS = 16
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")

_key_file: Path | None = None  # --key-file of this run; wins over the environment variable


def use_key_file(path: str | os.PathLike[str] | None) -> None:
    """Use the key in `path` for this run (the CLI's and the window's `--key-file`)."""
    global _key_file
    _key_file = Path(path).expanduser() if path else None


def configured_key_file() -> Path | None:
    """`--key-file`, else `MERLET_DESK_KEY_FILE`, else None (the key store)."""
    if _key_file is not None:
        return _key_file
    value = os.environ.get(KEY_FILE_ENV, "").strip()
    return Path(value).expanduser() if value else None


def key_hex(key: bytes) -> str:
    return key.hex()


# -- key files ------------------------------------------------------------------------------


def parse_key_text(text: str, where: Path) -> bytes:
    """The raw key of a key file's text: 64 hex characters and at most one line ending."""
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if not _HEX_KEY.fullmatch(text):
        shown = f"{len(text)} tekens" if len(text) != 64 else "tekens die geen 0-9 of a-f zijn"
        raise KeyFileError(
            f"Het sleutelbestand {where} bevat geen sleutel: verwacht precies 64 hexadecimale "
            f"tekens (0-9, a-f), eventueel met één regeleinde; gevonden: {shown}."
        )
    return bytes.fromhex(text)


def _refuse_loose_permissions(path: Path, mode: int) -> None:
    if os.name != "posix":
        return  # Windows has no owner-only bit; its folders under the profile are private
    loose = stat.S_IMODE(mode) & 0o077
    if loose:
        raise KeyFileError(
            f"Het sleutelbestand {path} is leesbaar of schrijfbaar voor anderen (rechten "
            f"{stat.S_IMODE(mode):04o}); het moet 0600 zijn, alleen voor de eigenaar. "
            f'Zet het goed met: chmod 600 "{path}"'
        )


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    """The key in `path`, refused with the reason when the file is missing, not a regular file,
    readable by others, or does not hold exactly one key."""
    path = Path(path).expanduser()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise KeyFileError(f"Het sleutelbestand {path} bestaat niet.") from None
    except OSError as exc:
        raise KeyFileError(
            f"Het sleutelbestand {path} kan niet gelezen worden: {os_error_reason(exc)}."
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError(f"Het sleutelbestand {path} is geen gewoon bestand.")
    if path.name.endswith(("-wal", "-shm", "-journal")):
        # Reading (and closing) a database's side file would drop this process's locks on it.
        raise KeyFileError(f"{path} is een hulpbestand van een database, geen sleutelbestand.")
    _refuse_loose_permissions(path, info.st_mode)
    if info.st_size > 1024:
        raise KeyFileError(
            f"Het sleutelbestand {path} is te groot voor een sleutel (64 hexadecimale tekens)."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"Het sleutelbestand {path} kan niet gelezen worden: {os_error_reason(exc)}."
        ) from exc
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_key_text(text, path)


def write_key_file(path: str | os.PathLike[str], key: bytes, *, replace: bool = False) -> Path:
    """Write `key` to `path` (0600), as 64 hex characters and a newline, flushed to disk.

    A new file is never written over an existing one; `replace` (a rotation) swaps the old
    file for the new one atomically, so the file always holds one whole key."""
    path = Path(path).expanduser()
    content = (key_hex(key) + "\n").encode("ascii")
    if not replace:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise KeyFileError(
                f"Het sleutelbestand {path} bestaat al; er is niets overschreven."
            ) from None
        except OSError as exc:
            raise KeyFileError(
                f"Het sleutelbestand {path} kan niet gemaakt worden: {os_error_reason(exc)}."
            ) from exc
        try:
            os.write(fd, content)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise KeyFileError(
                f"Het sleutelbestand {path} kan niet geschreven worden: {os_error_reason(exc)}."
            ) from exc
        os.close(fd)
        return path
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".nieuw", dir=path.parent)
        try:
            os.write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise KeyFileError(
            f"Het sleutelbestand {path} kan niet vervangen worden: {os_error_reason(exc)}."
        ) from exc
    return path


# -- the operating system's key store ---------------------------------------------------------


def _backend() -> Any:
    """The key store's keyring backend, or NoKeyStoreError with the reason when there is none.

    `PYTHON_KEYRING_BACKEND` or keyring's own configuration file win, as keyring documents;
    otherwise the one backend of this platform is asked directly (Windows Credential Manager,
    the macOS Keychain, Secret Service on Linux, which GNOME Keyring, KWallet from 5.97 and
    KeePassXC serve). keyring's own search imports every backend it knows first, a third of
    a second of start-up that an encrypted register would pay on each start."""
    from merlet_desk.store.keyring_import import fail, keyring, null

    backend = keyring.core.load_env() or keyring.core.load_config() or _platform_backend()
    if backend is None or isinstance(backend, fail.Keyring | null.Keyring):
        raise NoKeyStoreError(no_key_store_message())
    return backend


def _platform_backend() -> Any:
    """This platform's key store, or None when it is not there (no Secret Service running)."""
    from merlet_desk.store.keyring_import import platform_backend_class

    found = platform_backend_class()
    return found() if found.viable else None


def no_key_store_message() -> str:
    return (
        "Deze computer heeft geen sleutelkluis waarin Merlet Desk de databasesleutel kan "
        "bewaren (op Linux: Secret Service, zoals GNOME Keyring of KWallet; op een server "
        "meestal geen). Geef een sleutelbestand met --key-file PAD of MERLET_DESK_KEY_FILE."
    )


def key_store_problem() -> str | None:
    """Why the key store cannot be used here (None when it can)."""
    try:
        _backend()
    except NoKeyStoreError as exc:
        return str(exc)
    return None


def _store_error(exc: Exception) -> NoKeyStoreError:
    return NoKeyStoreError(f"De sleutelkluis van deze computer gaf een fout: {exc}.")


def stored_keys() -> list[bytes]:
    """The keys in this user's key store, newest first ([] when there are none yet)."""
    backend = _backend()
    try:
        text = backend.get_password(SERVICE, ENTRY)
    except Exception as exc:  # keyring backends raise their own errors (locked, D-Bus)
        raise _store_error(exc) from exc
    if not text:
        return []
    try:
        listed = json.loads(text)["keys"]
        return [bytes.fromhex(item) for item in listed if _HEX_KEY.fullmatch(item)]
    except (ValueError, KeyError, TypeError):
        return []  # an entry this version cannot read holds no key it could use


def _write_stored(keys: list[bytes]) -> None:
    from merlet_desk.store.keyring_import import PasswordDeleteError

    backend = _backend()
    text = json.dumps({"keys": [key_hex(k) for k in keys]})
    try:
        if not keys:
            with contextlib.suppress(PasswordDeleteError):  # nothing stored: nothing to delete
                backend.delete_password(SERVICE, ENTRY)
            return
        backend.set_password(SERVICE, ENTRY, text)
        kept = backend.get_password(SERVICE, ENTRY)
    except Exception as exc:
        raise _store_error(exc) from exc
    if kept != text:  # a backend that accepts and forgets would lose the register
        raise NoKeyStoreError(
            "De sleutelkluis van deze computer heeft de sleutel niet bewaard. "
            "Geef een sleutelbestand met --key-file PAD."
        )


def store_key(key: bytes) -> None:
    """Put `key` first in the key store (kept there, verified by reading it back)."""
    _check_key(key)
    keys = [key] + [k for k in stored_keys() if k != key]
    _write_stored(keys[:MAX_STORED_KEYS])


def forget_key(key: bytes) -> None:
    """Remove `key` from the key store (after a rotation: the old key opens nothing)."""
    keys = stored_keys()
    if key in keys:
        _write_stored([k for k in keys if k != key])


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a database key is {KEY_BYTES} bytes, not {len(key)}")


# -- which keys to try ----------------------------------------------------------------------


@dataclass(frozen=True)
class KeyCandidates:
    """The keys to try on an encrypted file, and where they came from (for the message)."""

    keys: list[bytes]
    key_file: Path | None = None  # the key file given; then `keys` holds its key alone
    store_problem: str | None = None  # why the key store could not be asked


def candidate_keys() -> KeyCandidates:
    """The key file's key when one is given (a bad key file raises `KeyFileError`), else the
    keys in the key store ([] with the reason when there is no key store)."""
    key_file = configured_key_file()
    if key_file is not None:
        return KeyCandidates([read_key_file(key_file)], key_file=key_file)
    try:
        return KeyCandidates(stored_keys())
    except NoKeyStoreError as exc:
        return KeyCandidates([], store_problem=str(exc))


def describe_key(key: bytes) -> str:
    """ "sleutel-ID 4F1A-93C2": how messages and the recovery sheet name a key."""
    return f"sleutel-ID {key_id(key)}"


# -- what to say when no key fits --------------------------------------------------------------


def wrong_key_error(path: Path, key: bytes) -> WrongKeyError:
    """A given key (a recovery key, a key file) that does not open `path`."""
    return WrongKeyError(
        f"{path}: de sleutel ({describe_key(key)}) opent dit bestand niet: het is met een "
        "andere sleutel versleuteld, of geen Merlet Desk-database. Er is niets veranderd."
    )


def no_key_error(path: Path, candidates: KeyCandidates) -> EncryptionKeyError:
    """The one line for an encrypted file (or no database at all) that no key at hand opens."""
    recover = f'merlet-desk key recover --db "{path}"'
    if candidates.key_file is not None:
        return WrongKeyError(
            f"{path}: de sleutel uit {candidates.key_file} ({describe_key(candidates.keys[0])}) "
            "opent dit bestand niet: het is met een andere sleutel versleuteld, of geen Merlet "
            "Desk-database. Er is niets veranderd."
        )
    if candidates.store_problem is not None:
        return MissingKeyError(
            f"{path} is versleuteld (of geen Merlet Desk-database) en deze computer heeft geen "
            "sleutelkluis. Geef het sleutelbestand met --key-file PAD of MERLET_DESK_KEY_FILE, "
            f"of maak er een met de herstelsleutel: {recover} --key-file PAD. "
            "Er is niets veranderd."
        )
    return MissingKeyError(
        f"{path} is versleuteld met een sleutel die niet in de sleutelkluis van deze computer "
        "staat (of is geen Merlet Desk-database). Zet de sleutel terug met de herstelsleutel: "
        f"{recover}. Er is niets veranderd."
    )
