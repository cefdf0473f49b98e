"""The sections of the main window, in navigation order, and how each is built.

A section factory takes a `SectionContext` (the database, read-only, the workers, what it may
ask of the window) and returns its widget, which follows the `Section` protocol. Each section
module owns its own factory; this list only orders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from merlet_desk.ui.context import SectionContext, SectionKey


@dataclass(frozen=True)
class SectionSpec:
    key: SectionKey
    title_source: str  # untranslated; shown through QCoreApplication.translate
    build: Callable[[SectionContext], QWidget]

    @property
    def title(self) -> str:
        return QCoreApplication.translate("sections", self.title_source)


def _start(context: SectionContext) -> QWidget:
    from merlet_desk.ui.start import section as start_section

    return start_section.build(context)


def _policy(context: SectionContext) -> QWidget:
    from merlet_desk.store.policy_store import current_policy
    from merlet_desk.ui.policy.view import PolicyView

    return PolicyView(current_policy(context.db))


def _consents(context: SectionContext) -> QWidget:
    from merlet_desk.ui.consent import section as consent_section

    return consent_section.build(context)


def _publications(context: SectionContext) -> QWidget:
    from merlet_desk.ui.publications import section as publications_section

    section = publications_section.build(context)
    section.takedowns_changed.connect(context.set_takedown_count)
    return section


def _cases(context: SectionContext) -> QWidget:
    from merlet_desk.ui.cases import section as cases_section

    return cases_section.build(context)


def _reports(context: SectionContext) -> QWidget:
    from merlet_desk.ui.reports import section as reports_section

    return reports_section.build(context)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(SectionKey.START, str(QT_TRANSLATE_NOOP("sections", "Start")), _start),
    SectionSpec(SectionKey.POLICY, str(QT_TRANSLATE_NOOP("sections", "Beleid")), _policy),
    SectionSpec(SectionKey.CONSENT, str(QT_TRANSLATE_NOOP("sections", "Toestemmingen")), _consents),
    SectionSpec(
        SectionKey.PUBLICATIONS, str(QT_TRANSLATE_NOOP("sections", "Publicaties")), _publications
    ),
    SectionSpec(SectionKey.CASES, str(QT_TRANSLATE_NOOP("sections", "Incidenten")), _cases),
    SectionSpec(SectionKey.REPORTS, str(QT_TRANSLATE_NOOP("sections", "Rapporten")), _reports),
)
