"""Fixtures of the Extra menu's tests."""

from __future__ import annotations

import pytest

from merlet_desk.ui.common import dialogs


@pytest.fixture
def shown(monkeypatch):
    """The messages shown (error, info, warning), as (kind, title, text)."""
    seen: list[tuple[str, str, str]] = []
    for kind in ("show_error", "show_info", "show_warning"):
        monkeypatch.setattr(
            dialogs, kind, lambda parent, title, msg, kind=kind: seen.append((kind, title, msg))
        )
    return seen
