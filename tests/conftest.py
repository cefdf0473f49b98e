"""Shared fixtures. Qt runs offscreen; QSettings go to a temporary folder per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from merlet_desk.store import open_database  # noqa: E402

SEED_POLICY = Path(__file__).parent / "data" / "handreiking-sociale-media-medewerkers.txt"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Keep QSettings and the default database out of the user's real folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("MERLET_DESK_DB", raising=False)
    try:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "config")
        )
    except ImportError:  # pragma: no cover - Qt is a hard dependency
        pass


@pytest.fixture(autouse=True)
def _unsaved_changes_are_discarded(monkeypatch):
    """A window closed at a test's end with an unsaved case must not block on the real
    save/discard/cancel box; tests of that question patch it themselves."""
    from merlet_desk.ui import dialogs

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *args: "discard")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "merlet.sqlite"


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()
