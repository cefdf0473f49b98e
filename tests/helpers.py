"""Helpers shared by the tests.

The clock: `SESSION_NOW` is the moment `merlet_desk.clock` stands at in every test of this run
(the autouse `now` fixture in conftest.py fixes it). It is the real time at the start of the
run, or `MERLET_TEST_NOW` when set (`scripts/test-dates.sh` runs the suite at the dates where
date logic breaks). Tests build their dates from `TODAY`, never from the real calendar, so a
run that crosses midnight, or runs on 1 August, sees one day throughout.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from merlet_desk import clock


def _session_moment() -> datetime:
    value = os.environ.get("MERLET_TEST_NOW", "").strip()
    if value:
        return datetime.fromisoformat(value)
    os.environ.pop(clock.ENV_VAR, None)
    return clock.now().replace(microsecond=0)


SESSION_NOW: datetime = _session_moment()
TODAY: date = SESSION_NOW.date()


def fix_clock(monkeypatch, moment: date | datetime) -> None:  # noqa: ANN001
    """For a scenario told on one fixed day: stop the program's clock there, for this test and
    the CLI children it starts (conftest's `now` fixture lets it run again afterwards)."""
    clock.fix(moment)
    monkeypatch.setenv(clock.ENV_VAR, clock.now().isoformat())


def born_aged(years: int, days_since_birthday: int = 30) -> date:
    """A birth date that makes a pupil `years` old on TODAY, with the last birthday
    `days_since_birthday` days ago: fixture pupils keep their age whatever day the suite runs."""
    from datetime import timedelta

    birthday = TODAY - timedelta(days=days_since_birthday)
    try:
        return birthday.replace(year=birthday.year - years)
    except ValueError:  # 29 February in a year that has none
        return birthday.replace(year=birthday.year - years, day=28)


# -- the window ---------------------------------------------------------------------------------


def open_window(qtbot, db, db_path, *, read_only: bool = False, size=None, show=True):
    """The main window on `db`, registered with qtbot (closed at the test's end) and shown."""
    from merlet_desk.ui.main_window import MainWindow

    window = MainWindow(db, db_path, read_only=read_only)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    if show:
        window.show()
    return window


def open_section(qtbot, db, db_path, key: str, **options):
    """(window, section widget) with the section `key` ("toestemmingen", "incidenten", ...)
    shown; `options` as for `open_window`."""
    window = open_window(qtbot, db, db_path, **options)
    return window, window.show_section(key)


def shown_dialog(widget, kind):
    """The one visible dialog of type `kind` opened on `widget` (a section, or a dialog it
    opened): tests find dialogs through the widgets, not through a test-only attribute."""
    shown = [dialog for dialog in widget.findChildren(kind) if dialog.isVisible()]
    assert len(shown) == 1, f"{len(shown)} {kind.__name__} shown"
    return shown[0]


def proxy_texts(model, column: int) -> list[str]:  # noqa: ANN001
    """The texts a table shows in one column, top to bottom (after filtering and sorting)."""
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


# -- data ---------------------------------------------------------------------------------------


def add_case(db, **overrides):
    """A case of ten days ago in Grave (a belittling TikTok video), stored; `overrides` replace
    any field of `Case`."""
    from datetime import timedelta

    from merlet_desk.domain.cases import Case, CasePerson
    from merlet_desk.store.cases import create_case

    values = dict(
        incident_date=TODAY - timedelta(days=10),
        report_date=TODAY - timedelta(days=9),
        location="Grave",
        category="belittling_video",
        platform="tiktok",
        summary="Filmpje over een docent",
        description="Video met de tekst <b>Jan</b> & Zn",
        people=[CasePerson("pupil", "Şükrü Yılmaz")],
        agreements=[3, 13],
    )
    values.update(overrides)
    return create_case(db, Case(**values))
