"""The key file the user chose in an earlier session (where no key store exists), kept in the
window's settings. Light on purpose: the start reads it before the database opens, and this
module loads nothing but QSettings and the store's key lookup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY_FILE_SETTING = "encryption/key_file"


def use_remembered_key_file() -> None:
    """At start: the key file chosen in an earlier session, unless --key-file or
    MERLET_DESK_KEY_FILE names one."""
    remembered = QSettings().value(KEY_FILE_SETTING, "")
    if not remembered:
        return  # nearly every start: the key file and the key store load when a file needs them
    from merlet_desk.store import keys

    if keys.configured_key_file() is None:
        keys.use_key_file(Path(str(remembered)))


def remember_key_file(path: Path) -> None:
    """Use `path` from now on, and at the next start."""
    from merlet_desk.store import keys

    keys.use_key_file(path)
    QSettings().setValue(KEY_FILE_SETTING, str(path))
