"""The sections of the main window, in navigation order, and how each is built.

A section factory takes the main window (for `db`, `read_only`, `open_agreement`) and returns
its widget. Each section module owns its own factory; this list only orders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from merlet_desk.ui.main_window import MainWindow


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title_source: str  # untranslated; shown through QCoreApplication.translate
    build: Callable[[MainWindow], QWidget]

    @property
    def title(self) -> str:
        return QCoreApplication.translate("sections", self.title_source)


def _start(window: MainWindow) -> QWidget:
    from merlet_desk.ui.start import section as start_section

    return start_section.build(window)


def _policy(window: MainWindow) -> QWidget:
    from merlet_desk.store.policy_store import current_policy
    from merlet_desk.ui.policy.view import PolicyView

    return PolicyView(current_policy(window.db))


def _consents(window: MainWindow) -> QWidget:
    from merlet_desk.ui.consent import section as consent_section

    return consent_section.build(window)


def _publications(window: MainWindow) -> QWidget:
    from merlet_desk.ui.publications import section as publications_section

    section = publications_section.build(window)
    section.takedowns_changed.connect(window.set_takedown_count)
    return section


def _cases(window: MainWindow) -> QWidget:
    from merlet_desk.ui.cases import section as cases_section

    return cases_section.build(window)


def _reports(window: MainWindow) -> QWidget:
    from merlet_desk.ui.reports import section as reports_section

    return reports_section.build(window)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("start", QT_TRANSLATE_NOOP("sections", "Start"), _start),
    SectionSpec("beleid", QT_TRANSLATE_NOOP("sections", "Beleid"), _policy),
    SectionSpec("toestemmingen", QT_TRANSLATE_NOOP("sections", "Toestemmingen"), _consents),
    SectionSpec("publicaties", QT_TRANSLATE_NOOP("sections", "Publicaties"), _publications),
    SectionSpec("incidenten", QT_TRANSLATE_NOOP("sections", "Incidenten"), _cases),
    SectionSpec("rapporten", QT_TRANSLATE_NOOP("sections", "Rapporten"), _reports),
)
