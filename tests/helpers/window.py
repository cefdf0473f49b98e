"""The main window and its sections in tests, dialogs that must not block, and what a table
shows."""

from __future__ import annotations

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


def open_section(qtbot, db, db_path, key: str, *, wait: bool = True, **options):
    """(window, section widget) with the section `key` ("toestemmingen", "incidenten", ...)
    shown; `options` as for `open_window`. The register's rows are there (they load on a
    worker thread), unless `wait` is False."""
    window = open_window(qtbot, db, db_path, **options)
    section = window.show_section(key)
    if key == "toestemmingen" and wait:
        wait_for_register(qtbot, section)
    return window, section


def open_register(qtbot, db, db_path, read_only: bool = False, *, wait: bool = True):
    """(window, consent section) with its rows (`wait`), wide enough for every purpose
    column."""
    return open_section(
        qtbot, db, db_path, "toestemmingen", wait=wait, read_only=read_only, size=REGISTER_SIZE
    )


REGISTER_WAIT_MS = 20_000  # a loaded machine reads a small register in well under a second


def wait_for_register(qtbot, section, timeout: int = REGISTER_WAIT_MS) -> None:
    """Wait until the consent register's rows are in the table: it loads on a worker thread,
    at first and after every change that reloads it (a pupil, a purpose, an import, a date)."""
    qtbot.waitUntil(lambda: not section.loading, timeout=timeout)


def open_publish_dialog(qtbot, db, item_id: int, channel: str, link: str, size=None):
    """The publish dialog of an item, shown with its photo loaded, the channel and the link
    filled in and every agreement ticked: what is left is who is unrecognisable."""
    from merlet_desk.ui.publications.publish_dialog import PublishDialog

    dialog = PublishDialog(db, item_id)
    qtbot.addWidget(dialog)
    if size is not None:
        dialog.resize(*size)
    dialog.show()
    qtbot.waitUntil(dialog.photo_panel.view.is_loaded, timeout=10000)
    dialog.set_channel(channel)
    dialog.set_link(link)
    dialog.tick_all_agreements()
    return dialog


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


def all_dialogs(db, window) -> list:
    """(name, build) for every dialog of the program, on a database with pupils, items and
    cases (the demo), for tests that open them all."""
    from merlet_desk.reports.policy import build_policy_report
    from merlet_desk.store import items as item_store
    from merlet_desk.store import pupils as pupil_store
    from merlet_desk.store import purposes as purpose_store
    from merlet_desk.ui.cases.lists_dialog import CaseListsDialog
    from merlet_desk.ui.common.guide import GuideDialog
    from merlet_desk.ui.common.paper_forms import PrintFormsDialog
    from merlet_desk.ui.common.report_preview import ReportPreviewDialog
    from merlet_desk.ui.consent.check import PublicationCheckDialog
    from merlet_desk.ui.consent.decision_dialog import DecisionDialog
    from merlet_desk.ui.consent.form_entry import FormEntryDialog
    from merlet_desk.ui.consent.pupil_dialog import PupilDialog
    from merlet_desk.ui.consent.purposes_dialog import PurposesDialog
    from merlet_desk.ui.consent.scans import ScanImportDialog
    from merlet_desk.ui.consent.settings_dialog import ConsentSettingsDialog
    from merlet_desk.ui.publications.item_dialog import ItemDialog
    from merlet_desk.ui.publications.publish_dialog import PublishDialog
    from merlet_desk.ui.safety.audit_view import AuditLogDialog
    from merlet_desk.ui.safety.purge import PurgeDialog
    from merlet_desk.ui.safety.restore import RestoreDialog

    pupils = pupil_store.list_pupils(db)
    purpose = purpose_store.list_purposes(db)[2]
    item = item_store.list_items(db)[0]

    def check():
        dialog = PublicationCheckDialog(db, pupils)
        dialog.add_class(pupils[0].class_name)
        return dialog

    def preview():
        pdf = window.db_path.parent / "beleid.pdf"
        build_policy_report(db, pdf)
        return ReportPreviewDialog(pdf, "Beleid sociale media")

    def portal_import():
        from merlet_desk.imports.consents import read_consent_table
        from merlet_desk.ui.consent.import_dialog import ConsentImportDialog

        path = window.db_path.parent / "ouderportaal.csv"
        path.write_text(
            "Leerlingnummer;Roepnaam;Toestemming website;Social media;Laatst gewijzigd\n"
            + "".join(f"{p.number};{p.first_name};Ja;Nee;\n" for p in pupils[:6]),
            encoding="utf-8",
        )
        return ConsentImportDialog(db, path, read_consent_table(path), lambda: True)

    def pupil_mapping():
        from merlet_desk.imports.pupils import read_pupil_table
        from merlet_desk.ui.consent.import_dialog import PupilImportDialog

        path = window.db_path.parent / "leerlingen-eigen.csv"
        path.write_text(
            "Nummer;Voornaam;Familienaam;Geboren;Groep\n1;Joëlle;Broek;01-02-2013;1A\n",
            encoding="utf-8",
        )
        return PupilImportDialog(db, path, read_pupil_table(path), lambda: True)

    def takedown_blur():
        from merlet_desk.store.takedowns import open_takedowns
        from merlet_desk.ui.publications.takedown_blur import TakedownBlurDialog

        return TakedownBlurDialog(db, [open_takedowns(db)[0]], lambda: False)

    return [
        ("toestemmingen importeren", portal_import),
        ("leerlingen importeren: kolommen", pupil_mapping),
        ("besluit", lambda: DecisionDialog(db, pupils[0], purpose)),
        ("leerling", lambda: PupilDialog(db, None)),
        ("doelen", lambda: PurposesDialog(db)),
        ("instellingen", lambda: ConsentSettingsDialog(db)),
        ("formulieren", lambda: FormEntryDialog(db, pupils)),
        ("publicatiecheck", check),
        ("item", lambda: ItemDialog(db, item.id)),
        ("publiceren", lambda: PublishDialog(db, item.id)),
        ("te verwijderen: onherkenbaar maken", takedown_blur),
        ("voorbeeld", preview),
        ("auditlog", lambda: AuditLogDialog(db)),
        ("categorieen", lambda: CaseListsDialog(db)),
        ("opschonen", lambda: PurgeDialog(window, window)),
        ("back-up terugzetten", lambda: RestoreDialog(window, window)),
        ("formulieren afdrukken", lambda: PrintFormsDialog(db, window.db_path, chosen=pupils[0])),
        ("scans verwerken", lambda: ScanImportDialog(db, window.db_path, pupils)),
        ("handleiding", lambda: GuideDialog("Publicaties")),
    ]


def shown(text: str) -> str:
    """A button or label text as the user reads it: without the & of its Alt-letter."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def deliveries_settled(qtbot, timeout: int = 5000) -> None:
    """Wait until every outcome the workers have posted so far has reached the GUI thread
    (delivered, or dropped for a cancelled task or a deleted receiver). The dispatcher runs
    its calls in order, so a marker posted now runs after them: a test that asserts that
    nothing arrived waits for this instead of a fixed time."""
    from merlet_desk.ui.common import tasks

    done: list[bool] = []
    tasks._the_dispatcher().post(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=timeout)


SCREENSHOTS = "MERLET_TEST_SCREENSHOTS"


def screenshot(widget, path) -> None:
    """Save what `widget` shows as a PNG at `path` (in the test's tmp_path), to look at: only
    when the environment asks for it (`MERLET_TEST_SCREENSHOTS=1 make test`). Grabbing and
    writing PNGs costs every run time and disk, and nobody looks at them unless they ask."""
    import os

    if os.environ.get(SCREENSHOTS):
        assert widget.grab().save(str(path))


def backup_from_menu(window, monkeypatch, place=None):
    """Extra › Back-up maken, its file dialog answered with the name it suggests, in `place`
    (else in the folder it offers). Returns (the folder offered, the path answered)."""
    from merlet_desk.ui.common import dialogs

    asked = []

    def choose(parent, title, name, file_filter, kind="export", folder=None):
        asked.append((folder, (place or folder) / name))
        return asked[-1][1]

    with monkeypatch.context() as patch:
        patch.setattr(dialogs, "choose_save_path", choose)
        window.safety_actions["backup"].trigger()
    [(offered, answered)] = asked
    return offered, answered


def dry_run_shown(qtbot, dialog):
    """Wait until Toestemmingen importeren shows the dry run (read on a worker) of the columns
    as chosen now; returns the dialog."""
    qtbot.waitUntil(lambda: dialog.checking is None, timeout=20_000)
    return dialog
