"""One word for one thing (issue 15): every string a user reads in the sections, their tabs,
the case editor, the menus, every dialog and every report uses the glossary's word, never a
synonym it lists to avoid (data/glossary.json: doel not kanaal, afspraak not artikel,
incident not zaak, besluit not beslissing, ↻ not ⌛), no half plural ("publicatie(s)"), and
the user is "u", never "je"."""

from __future__ import annotations

import html
import json
import re

import pytest
from pypdf import PdfReader

from merlet_desk.demo import fill_demo
from merlet_desk.paths import data_path
from tests.helpers import all_dialogs, open_window, wait_for_register

GLOSSARY = json.loads(data_path("glossary.json").read_text(encoding="utf-8"))


def avoided() -> re.Pattern[str]:
    words = [word for term in GLOSSARY["terms"] for word in term["avoid"]]
    return re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def visible_strings(root) -> list[str]:
    """What a user can read in and on `root`: texts, titles, placeholders, tooltips, combo
    items, tab titles and column headers (not the rows, which hold the demo's data)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTableView,
        QTabWidget,
        QTreeView,
        QWidget,
    )

    found = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        found.append(widget.toolTip())
        found.append(widget.accessibleName())
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            found.append(widget.title())
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model = widget.model()
            found += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(model.columnCount())
            ]
    return [text for text in found if text]


def quoted_policy(text: str) -> bool:
    """A tooltip that quotes the policy (the school's own words, shown as written)."""
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
    policy = " ".join(
        data_path("policy", "handreiking-sociale-media-medewerkers.md")
        .read_text(encoding="utf-8")
        .split()
    )
    return len(plain) > 30 and plain in policy


# "publicatie(s)", "leerling(en)", "pagina('s)": a count writes the right form instead.
HALF_PLURAL = re.compile(r"\w\((s|en|'s)\)")


def offending(texts: list[str]) -> list[str]:
    pattern = avoided()
    return sorted(
        {
            text
            for text in texts
            if (pattern.search(text) or HALF_PLURAL.search(text)) and not quoted_policy(text)
        }
    )


@pytest.fixture
def demo(db):
    fill_demo(db, 150)
    return db


def test_the_glossary_names_one_word_and_why_for_each_concept():
    for term in GLOSSARY["terms"]:
        assert term["word"] and term["why"] and term["avoid"]
        assert term["word"] not in term["avoid"]


def screen_texts(qtbot, demo, db_path) -> list[str]:
    """Every string of every section, its tabs, the case editor, the menus and every dialog."""
    window = open_window(qtbot, demo, db_path)
    texts = [
        action.text()
        for menu in window.menuBar().findChildren(type(window.file_menu))
        for action in menu.actions()
    ]
    for key in window.section_keys():
        section = window.show_section(key)
        if key == "toestemmingen":
            wait_for_register(qtbot, section)
        texts += visible_strings(section)
    cases = window.section_widgets["incidenten"]
    cases.open_case(cases.list_view.visible_references()[0])
    texts += visible_strings(cases.editor)
    consent = window.section_widgets["toestemmingen"]
    texts += visible_strings(consent.show_reminders())
    for _name, build in all_dialogs(demo, window):
        dialog = build()
        qtbot.addWidget(dialog)
        texts += visible_strings(dialog)
        dialog.close()
    return texts


def test_screens_and_dialogs_use_the_glossary_words(qtbot, demo, db_path):
    assert offending(screen_texts(qtbot, demo, db_path)) == []


# The program addresses its user as "u", as the school's letters to parents do; "je" on one
# screen and "u" on the next read as two programs. (The policy, quoted, keeps its own words.)
INFORMAL = re.compile(r"(?<!\w)(je|jij|jou|jouw|jullie)(?!\w)", re.IGNORECASE)


def test_screens_and_dialogs_say_u_not_je(qtbot, demo, db_path):
    texts = screen_texts(qtbot, demo, db_path)
    assert sorted({t for t in texts if INFORMAL.search(t) and not quoted_policy(t)}) == []


def test_reports_use_the_glossary_words(demo, tmp_path):
    """Every report but the policy hand-out, which reproduces the school's own document."""
    from merlet_desk.reports.audit_log import build_audit_pdf
    from merlet_desk.reports.case import build_case_report
    from merlet_desk.reports.case_overview import build_case_overview
    from merlet_desk.reports.consent_overview import build_consent_overview
    from merlet_desk.reports.publication_check import build_publication_check
    from merlet_desk.reports.pupil_file import build_pupil_file
    from merlet_desk.reports.takedowns import build_takedowns_report
    from merlet_desk.store import cases as case_store
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store.audit_query import AuditFilter, audit_entries

    pupil = pupil_store.list_pupils(demo)[0]
    case = case_store.list_cases(demo)[0]
    builds = {
        "toestemmingen": lambda p: build_consent_overview(demo, p, location="Cuijk"),
        "check": lambda p: build_publication_check(
            demo, p, purpose="website", class_name=pupil.class_name
        ),
        "inzage": lambda p: build_pupil_file(demo, p, pupil=pupil.number),
        "incident": lambda p: build_case_report(demo, p, reference=case.reference),
        "incidenten": lambda p: build_case_overview(
            demo,
            p,
            location=case.location,
            date_from=case.incident_date,
            date_to=case.incident_date,
        ),
        "te-verwijderen": lambda p: build_takedowns_report(demo, p),
        "auditlog": lambda p: build_audit_pdf(audit_entries(demo), AuditFilter(), p),
    }
    problems = {}
    for name, build in builds.items():
        path = tmp_path / f"{name}.pdf"
        build(path)
        lines = [
            line for page in PdfReader(str(path)).pages for line in page.extract_text().splitlines()
        ]
        bad = offending(lines)
        if bad:
            problems[name] = bad
    assert problems == {}
