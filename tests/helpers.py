"""Helpers shared by the tests: the clock, the window and its sections, PDFs, and the data
several test modules set up. A test module imports from here (or uses a conftest fixture),
never from another test module.

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

REGISTER_SIZE = (1300, 800)  # the consent register's columns all fit


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


def open_register(qtbot, db, db_path, read_only: bool = False):
    """(window, consent section), wide enough for every purpose column."""
    return open_section(
        qtbot, db, db_path, "toestemmingen", read_only=read_only, size=REGISTER_SIZE
    )


def fail_on_dialogs(monkeypatch, *names: str) -> None:
    """The `ui.common.dialogs` functions `names`, when a test did not patch them itself, fail
    the test instead of blocking on a real dialog."""
    from merlet_desk.ui.common import dialogs

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:]}")

    for name in names:
        monkeypatch.setattr(dialogs, name, unexpected)


def shown_dialog(widget, kind):
    """The one visible dialog of type `kind` opened on `widget` (a section, or a dialog it
    opened): tests find dialogs through the widgets, not through a test-only attribute."""
    shown = [dialog for dialog in widget.findChildren(kind) if dialog.isVisible()]
    assert len(shown) == 1, f"{len(shown)} {kind.__name__} shown"
    return shown[0]


def proxy_texts(model, column: int) -> list[str]:
    """The texts a table shows in one column, top to bottom (after filtering and sorting)."""
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def register_cell(section, number: str, purpose: str):
    """The register's proxy index of a pupil's cell for a purpose (None when filtered out)."""
    from merlet_desk.ui.consent.model import PUPIL_ROLE

    column = section.model.column_of(purpose)
    for row in range(section.proxy.rowCount()):
        index = section.proxy.index(row, column)
        if index.data(PUPIL_ROLE).number == number:
            return index
    return None


def shown_numbers(section) -> list[str]:
    """The pupil numbers the register shows (after its filters), sorted."""
    return sorted(p.number for p in section.proxy.visible_pupils())


# -- PDFs ---------------------------------------------------------------------------------------


def page_texts(path) -> list[str]:
    """The text of each page of a PDF, as a reader's copy-paste would give it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def flat(texts) -> str:
    """All pages as one line of words (table cells wrap names and phrases over lines)."""
    return " ".join("\n".join(texts).split())


def pdf_text(path) -> str:
    """A whole PDF as one line of words."""
    return flat(page_texts(path))


def assert_letterhead_on_every_page(texts: list[str]) -> None:
    """Every page: postal address, the three locations, IBAN, and "pagina N van M"."""
    from merlet_desk.letterhead import load_letterhead

    letterhead = load_letterhead()
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert letterhead.wordmark in text
        for line in letterhead.postal_address:
            assert line in text, (number, line)
        for location in letterhead.locations:
            assert location.name in text
            assert location.street in text
            assert location.postcode_city in text
            assert f"T {location.phone}" in text
        assert letterhead.iban in text and letterhead.bic in text
        assert letterhead.email in text
        assert f"pagina {number} van {total}" in text, number


def print_to_file(monkeypatch, printed):
    """Patch the print dialog: "print" to a PDF file instead of a printer."""
    from merlet_desk.ui.common import dialogs

    def fake_printer(parent, printer):
        from PySide6.QtPrintSupport import QPrinter

        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(dialogs, "choose_printer", fake_printer)
    return printed


# -- data ---------------------------------------------------------------------------------------


def dump_tables(db) -> dict[str, list]:
    """Every row of every table: to prove that something failed (or only read) changed
    nothing."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}


def write_table(
    tmp_path,
    rows,
    *,
    header,
    delimiter=";",
    encoding="utf-8",
    bom=False,
    name="leerlingen.csv",
    newline="\r\n",
):
    """An import file as a school's administration exports it: a header and rows of cells."""
    import codecs

    text = newline.join(delimiter.join(cells) for cells in [header, *rows]) + newline
    data = text.encode(encoding)
    if bom:
        data = codecs.BOM_UTF8 + data
    path = tmp_path / name
    path.write_bytes(data)
    return path


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


def add_consent_school(db) -> None:
    """Six pupils over three locations, with decisions for `website` in several states.

    Every decision is dated today so none has expired whatever the date of the test run.
    """
    from merlet_desk.domain import consent as rules
    from merlet_desk.store import consent as store

    pupils = [
        ("1001", "Joëlle", "van den", "Broek", born_aged(13, 40), "1A", "Cuijk"),
        ("1002", "Berkay", "", "Öztürk", born_aged(16, 0), "4B", "Grave"),
        ("1003", "Zofia", "", "Łęcka", born_aged(12, 100), "1A", "Cuijk"),
        ("1004", "Meryem", "", "Boujdaini", born_aged(14, 3), "2C", "Mill"),
        ("1005", "Şükrü", "", "Yılmaz", born_aged(17, 20), "5H", "Mill"),
        ("1006", "Jan", "", "<b>Jan</b> & Zn", born_aged(12, 5), "1A", "Cuijk"),
    ]
    for number, first, prefix, last, born, class_name, location in pupils:
        store.save_pupil(db, number, first, prefix, last, born, class_name, location)
    decide = store.record_decision
    decide(db, "1003", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", TODAY)
    decide(db, "1004", "website", rules.GRANTED, rules.PARENT, "F. Boujdaini", TODAY)
    decide(db, "1004", "website", rules.WITHDRAWN, rules.PARENT, "F. Boujdaini", TODAY)
    decide(db, "1005", "website", rules.GRANTED, rules.PUPIL, "", TODAY)
    decide(db, "1006", "website", rules.GRANTED, rules.GUARDIAN, "K. Zn", TODAY)
    decide(db, "1006", "social_media", rules.GRANTED, rules.PARENT, "<b>Jan</b> & Zn sr.", TODAY)


# The consent reports' school: six pupils with every kind of decision (fixed dates in 2026-27).
REPORT_PUPILS = [
    ("1001", "Şükrü", None, "Yılmaz", "2012-03-04", "2A", "Cuijk"),
    ("1002", "İlayda", None, "Gök", "2012-05-06", "2A", "Cuijk"),
    ("1003", "Zofia", None, "Łęcka", "2009-01-02", "4B", "Cuijk"),
    ("1004", "Joëlle", "van den", "Broek", "2012-07-08", "2A", "Cuijk"),
    ("1005", "<b>Jan</b>", None, "& Zn", "2012-09-10", "4B", "Cuijk"),
    ("2001", "Berkay", None, "Öztürk", "2011-02-03", "3C", "Grave"),
]


def fill_report_school(db, extra_2a: int = 0) -> None:
    """REPORT_PUPILS with every kind of decision; optionally many more in 2A (long tables)."""
    from merlet_desk.store import consent as store

    for row in REPORT_PUPILS:
        store.save_pupil(db, *row)
    for i in range(extra_2a):
        store.save_pupil(
            db, f"3{i:03d}", "Meryem", None, f"Boujdaini{i:03d}", "2012-01-01", "2A", "Cuijk"
        )
    decide = store.record_decision
    decide(db, "1001", "website", "granted", "parent", "Ayşe Yılmaz", "2026-09-01", "paper")
    decide(db, "1001", "social_media", "refused", "parent", "Ayşe Yılmaz", "2026-09-01", "email")
    decide(db, "1003", "website", "granted", "parent", "Marek Łęcki", "2024-09-01", "paper")
    decide(db, "1003", "brochure", "granted", "pupil", "", "2026-09-01", "portal")
    decide(db, "1004", "website", "granted", "guardian", "Meryem Boujdaini", "2026-09-03", "portal")
    decide(
        db, "1004", "website", "withdrawn", "guardian", "Meryem Boujdaini", "2026-10-03", "email"
    )
    decide(db, "2001", "website", "granted", "parent", "Hatice Öztürk", "2026-09-03", "paper")


REPORT_CASE_DAY = date(2026, 11, 24)  # "today" for report_case (passed as `today=`)


def report_case(**overrides):
    """A threatening WhatsApp message in Cuijk, November 2026, with people, agreements,
    measures and care filled in (for the case reports); `overrides` replace any field."""
    from merlet_desk.domain.cases import Case, CasePerson

    values = dict(
        incident_date=date(2026, 11, 2),
        report_date=date(2026, 11, 3),
        location="Cuijk",
        category="threatening_message",
        platform="whatsapp",
        summary="Dreigend bericht in klassenapp",
        description="Een leerling kreeg een bedreigend bericht: <b>Jan</b> & Zn.",
        people=[
            CasePerson("pupil", "Berkay Öztürk", "123456"),
            CasePerson("staff", "Joëlle van den Broek"),
        ],
        agreements=[9, 13],
        measures="Gesprek met Şükrü Yılmaz\nBericht laten verwijderen",
        parents_informed=True,
        parents_informed_on=date(2026, 11, 4),
        victim_care="Vertrouwenspersoon İlayda Gök",
    )
    values.update(overrides)
    return Case(**values)


# The takedown school (issue 6): publications that must come down after a withdrawal.
TAKEDOWN_PUPILS = [
    ("1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A"),
    ("1002", "Berkay", "", "Öztürk", "2012-07-02", "2A"),
    ("1003", "Zofia", "", "Łęcka", "2011-11-30", "2A"),
    ("1004", "<b>Jan</b>", "", "& Zn", "2012-09-10", "2A"),
    ("1005", "Şükrü", "", "Yılmaz", "2012-01-09", "2A"),
]
MUSICAL = "Musical <Grease> & repetitie"
LINK = "https://www.merletcollege.nl/nieuws?id=12&foto=<3>"
WITHDRAWN_ON = date(2026, 10, 5)


def all_agreements() -> list[int]:
    """Every agreement of the publishing checklist, ticked."""
    from merlet_desk.domain.publications import publish_checklist

    return [entry.agreement for entry in publish_checklist()]


def school_with_takedowns(db) -> dict:
    """Five pupils allowed on the website and in the yearbook until withdrawn; the musical
    (1001, 1002, 1004) is on both; then 1004's parent withdraws both on 5 October 2026.
    Sportdag (1003, 1005) is on the website and stays fine. Returns the publications by key
    ("website", "yearbook", "sportdag")."""
    from merlet_desk.domain import consent as rules
    from merlet_desk.domain.consent import ConsentSettings
    from merlet_desk.store import consent as cs
    from merlet_desk.store import publications as pub

    checklist = all_agreements()
    cs.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last, born, klass in TAKEDOWN_PUPILS:
        cs.save_pupil(db, number, first, prefix, last, born, klass, "Cuijk")
        for purpose in ("website", "yearbook"):
            cs.record_decision(
                db, number, purpose, rules.GRANTED, rules.PARENT, "Ayşe Yılmaz", "2026-09-01"
            )
    musical = pub.create_item(
        db, MUSICAL, pupil_numbers=["1001", "1002", "1004"], taken_on=date(2026, 9, 5)
    )
    sportdag = pub.create_item(
        db, "Sportdag 2A", pupil_numbers=["1003", "1005"], taken_on=date(2026, 9, 7)
    )
    published = {
        "website": pub.publish(
            db, musical.id, "website", date(2026, 9, 10), LINK, checklist=checklist
        ),
        "yearbook": pub.publish(
            db,
            musical.id,
            "yearbook",
            date(2026, 9, 15),
            "Jaarboek 2026-2027, pagina 12",
            checklist=checklist,
        ),
        "sportdag": pub.publish(
            db,
            sportdag.id,
            "website",
            date(2026, 9, 12),
            "https://www.merletcollege.nl/sportdag",
            checklist=checklist,
        ),
    }
    for purpose in ("website", "yearbook"):
        cs.record_decision(
            db, "1004", purpose, rules.WITHDRAWN, rules.PARENT, "Meryem Boujdaini", WITHDRAWN_ON
        )
    return published


# The paper round (issue 16): forms printed on 1 September 2026, back on the 14th.
PAPER_PRINTED = datetime(2026, 9, 1, 10, 0)
PAPER_RECEIVED = date(2026, 9, 14)
PAPER_PURPOSES = ["website", "social_media", "yearbook"]


def steady_scan_settings():
    """A copier on a good day: a little turned, blurred, grey, noisy and JPEG'd."""
    from merlet_desk.imaging import synthetic as syn

    return syn.ScanSettings(scale=1.02, angle=1.5, blur=0.7, paper=232, noise=4, jpeg_quality=55)


def issue_forms(db, numbers, tmp_path, purposes=PAPER_PURPOSES):
    """Print forms for these pupils on PAPER_PRINTED: (forms, the PDF)."""
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.store import consent as store
    from merlet_desk.store import paper_forms as forms_store

    pupils = [store.get_pupil(db, n) for n in numbers]
    with clock.fixed(PAPER_PRINTED):
        forms = forms_store.issue_forms(
            db, pupils, forms_store.form_purposes(db, purposes), clock.today()
        )
        pdf = tmp_path / "formulieren.pdf"
        build_consent_forms(db, pdf, forms)
    return forms, pdf


def scan_form(path, pdf, index, answers, *, signed=True, settings=None, seed=7, dpi=150):
    """Fill page `index` of the printed PDF with a ballpoint and save the "scan" as an image
    dated PAPER_RECEIVED."""
    import random

    from PIL import Image

    from merlet_desk.imaging import synthetic as syn

    rng = random.Random(seed)
    page = syn.render_pdf_page(str(pdf), index, dpi)
    syn.fill_form(page, answers, rng, dpi, signed=signed, pen=syn.PENS["ballpoint"], style="tick")
    image = syn.scan(page, settings or steady_scan_settings(), rng)
    Image.fromarray(image).save(path)
    stamp = datetime.combine(PAPER_RECEIVED, datetime.min.time()).timestamp() + 3600
    os.utime(path, (stamp, stamp))
    return path


def school_with_backup(path):
    """A closed database with 300 audited settings and a daily backup of 24-11-2026 08:30."""
    from datetime import datetime

    from merlet_desk.store import open_database
    from merlet_desk.store.backup import make_backup
    from merlet_desk.store.settings import set_setting

    db = open_database(path)
    with db.atomic():
        for i in range(300):
            set_setting(db, f"test.{i}", f"Meryem Boujdaini {i}")
    make_backup(db, path, "dagelijks", now=datetime(2026, 11, 24, 8, 30))
    db.close()
    return path


def cut_widgets(root) -> list[str]:  # noqa: ANN001
    """Every label, button, field or tab bar under `root` that is shown smaller than it needs,
    or that sticks out of the window, as "Class 'text': why" lines; empty when all fits.

    Read as a user would see the screen: a widget's size hint is the room its text needs, so a
    label narrower than its hint shows "Toestemmin", a wrapping label lower than its
    height-for-width loses a line, a button narrower than its hint shows "ormulieren invoeren".
    Widgets inside item views and scroll areas (they scroll) and labels that elide on purpose
    (`elides` property) are left out."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QComboBox,
        QLabel,
        QLineEdit,
        QTabBar,
        QWidget,
    )

    window = root.window()
    bounds = QRect(QPoint(0, 0), window.size())
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.property("elides"):
            continue
        parent, scrolled = widget.parentWidget(), False
        while parent is not None and parent is not window:
            if isinstance(parent, QAbstractItemView | QAbstractScrollArea):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        name = type(widget).__name__
        text = getattr(widget, "text", lambda: "")
        label = f"{name} {text()!r}" if callable(text) else name
        size, hint = widget.size(), widget.sizeHint()
        why = ""
        if isinstance(widget, QLabel):
            if widget.wordWrap() and widget.text():
                need = widget.heightForWidth(size.width())
                if size.height() < need:
                    why = f"height {size.height()} < {need} for its lines"
                elif size.width() < widget.minimumSizeHint().width():
                    why = f"width {size.width()} < {widget.minimumSizeHint().width()}"
            elif widget.text() and size.width() < hint.width():
                why = f"width {size.width()} < {hint.width()}"
        elif isinstance(widget, QAbstractButton | QTabBar):
            if size.width() < hint.width():
                why = f"width {size.width()} < {hint.width()}"
        elif isinstance(widget, QComboBox | QLineEdit):
            least = widget.minimumSizeHint()
            if size.width() < least.width():
                why = f"width {size.width()} < {least.width()}"
        if not why and isinstance(widget, QLabel | QAbstractButton | QComboBox | QLineEdit):
            place = QRect(widget.mapTo(window, QPoint(0, 0)), size)
            if size.width() > 0 and not bounds.contains(place):
                why = f"outside the window: {place.getRect()} in {bounds.getRect()}"
        if not why and isinstance(widget, QLabel | QAbstractButton | QComboBox | QLineEdit):
            why = _overlap(widget)
        if why:
            problems.append(f"{label}: {why}")
    return problems


def _overlap(widget) -> str:  # noqa: ANN001
    """A visible sibling in the same layout drawn over `widget` (a squeezed column of parts)."""
    from PySide6.QtWidgets import QWidget

    parent = widget.parentWidget()
    if parent is None or parent.layout() is None:
        return ""
    place = widget.geometry()
    for sibling in parent.findChildren(QWidget, options=Qt_direct()):
        if sibling is widget or not sibling.isVisible() or sibling.isWindow():
            continue
        if parent.layout().indexOf(sibling) < 0:
            continue
        shared = place.intersected(sibling.geometry())
        if shared.width() > 2 and shared.height() > 2:
            text = getattr(sibling, "text", None)
            shown = repr(text()) if callable(text) else ""
            return f"overlaps {type(sibling).__name__} {shown}".rstrip()
    return ""


def Qt_direct():  # noqa: ANN201, N802
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def all_dialogs(db, window) -> list:  # noqa: ANN001
    """(name, build) for every dialog of the program, on a database with pupils, items and
    cases (the demo), for tests that open them all."""
    from merlet_desk.reports.policy import build_policy_report
    from merlet_desk.store import consent as consent_store
    from merlet_desk.store import publications as pub
    from merlet_desk.ui.cases.lists_dialog import CaseListsDialog
    from merlet_desk.ui.common.paper_forms import PrintFormsDialog
    from merlet_desk.ui.common.report_preview import ReportPreviewDialog
    from merlet_desk.ui.consent.check import PublicationCheckDialog
    from merlet_desk.ui.consent.dialogs import (
        ConsentSettingsDialog,
        DecisionDialog,
        PupilDialog,
        PurposesDialog,
    )
    from merlet_desk.ui.consent.form_entry import FormEntryDialog
    from merlet_desk.ui.consent.scans import ScanImportDialog
    from merlet_desk.ui.publications.item_dialog import ItemDialog
    from merlet_desk.ui.publications.publish_dialog import PublishDialog
    from merlet_desk.ui.safety.audit_view import AuditLogDialog
    from merlet_desk.ui.safety.purge import PurgeDialog

    pupils = consent_store.list_pupils(db)
    purpose = consent_store.list_purposes(db)[2]
    item = pub.list_items(db)[0]

    def check():
        dialog = PublicationCheckDialog(db, pupils)
        dialog.add_class(pupils[0].class_name)
        return dialog

    def preview():
        pdf = window.db_path.parent / "beleid.pdf"
        build_policy_report(db, pdf)
        return ReportPreviewDialog(pdf, "Beleid sociale media")

    return [
        ("besluit", lambda: DecisionDialog(db, pupils[0], purpose)),
        ("leerling", lambda: PupilDialog(db, None)),
        ("doelen", lambda: PurposesDialog(db)),
        ("instellingen", lambda: ConsentSettingsDialog(db)),
        ("formulieren", lambda: FormEntryDialog(db, pupils)),
        ("publicatiecheck", check),
        ("item", lambda: ItemDialog(db, item.id)),
        ("publiceren", lambda: PublishDialog(db, item.id)),
        ("voorbeeld", preview),
        ("auditlog", lambda: AuditLogDialog(db)),
        ("categorieen", lambda: CaseListsDialog(db)),
        ("opschonen", lambda: PurgeDialog(window)),
        ("formulieren afdrukken", lambda: PrintFormsDialog(db, window.db_path, chosen=pupils[0])),
        ("scans verwerken", lambda: ScanImportDialog(db, window.db_path, pupils)),
    ]


def shown(text: str) -> str:
    """A button or label text as the user reads it: without the & of its Alt-letter."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
