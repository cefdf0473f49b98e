"""Grab every section of the main window on the demo database, for docs/screenshots and for
comparing the screen before and after a change.

Usage: .venv/bin/python scripts/screenshots.py OUT_DIR [--size 1366x768] [--pupils 600]
       [--empty] [--docs]

The program's clock is fixed (25-11-2026 10:00, or MERLET_DESK_NOW) so the same code gives the
same pixels; `--empty` shows a new, empty database instead of the demo. `--docs` writes the
README's screenshots under their names in OUT_DIR (docs/screenshots): the sections and their
tabs, the case editor and the publication check and publish dialogs on the demo, the
empty-database Start, and the first page of two reports; dialogs at the size they take on a
1366×768 screen with a taskbar (issue 15).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MERLET_DESK_NOW", "2026-11-25T10:00:00")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--pupils", type=int, default=600)
    parser.add_argument("--empty", action="store_true")
    parser.add_argument("--docs", action="store_true")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    if args.docs:
        return docs(args.out, args.pupils)

    from merlet_desk.demo import fill_demo
    from merlet_desk.store import open_database
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow

    app = create_application([sys.argv[0]])
    args.out.mkdir(parents=True, exist_ok=True)
    # A fixed folder, so the path in the status bar is the same on every run.
    folder = Path(tempfile.gettempdir()) / "merlet-desk-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        path = folder / "demo.sqlite"
        db = open_database(path)
        if not args.empty:
            fill_demo(db, args.pupils)
        window = MainWindow(db, path)
        window.resize(width, height)
        window.show()
        app.processEvents()
        for key in window.section_keys():
            window.show_section(key)
            for _ in range(5):
                app.processEvents()
            target = args.out / f"{key}-{width}x{height}.png"
            window.grab().save(str(target))
            print(target)
        window.close()
        db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def docs(out: Path, pupils: int) -> int:
    """The README's screenshots at 1366×768 (see the module docstring)."""
    import subprocess

    from PySide6.QtCore import QRect

    from merlet_desk.demo import fill_demo
    from merlet_desk.reports.case_overview import build_case_overview
    from merlet_desk.reports.consent_overview import build_consent_overview
    from merlet_desk.store import items as item_store
    from merlet_desk.store import open_database
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.common import screen
    from merlet_desk.ui.main_window import MainWindow
    from merlet_desk.ui.publications.publish_dialog import PublishDialog
    from merlet_desk.ui.safety.actions import open_audit_log

    app = create_application([sys.argv[0]])
    out.mkdir(parents=True, exist_ok=True)
    # The dialogs take the room of a 1366x768 laptop screen with a taskbar.
    screen.available_area = lambda widget=None: QRect(0, 0, 1366, 728)
    folder = Path(tempfile.gettempdir()) / "merlet-desk-screenshots"

    def settle() -> None:
        for _ in range(8):
            app.processEvents()

    def save(widget: object, name: str) -> None:
        settle()
        target = out / f"{name}.png"
        widget.grab().save(str(target))  # type: ignore[attr-defined]
        print(target)

    for empty in (True, False):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / "demo.sqlite"
        db = open_database(path)
        if not empty:
            fill_demo(db, pupils)
        window = MainWindow(db, path)
        window.resize(1366, 768)
        window.show()
        window.show_section("start")
        if empty:
            save(window, "start-leeg")
            window.close()
            db.close()
            continue
        save(window, "start")
        policy = window.show_section("beleid")
        policy.set_search("toestemming")
        save(window, "beleid")
        consent = window.show_section("toestemmingen")
        save(window, "toestemmingen")
        consent.show_reminders("turned_16")
        save(window, "herinneringen")
        publications = window.show_section("publicaties")
        publications.tabs.setCurrentIndex(0)
        publications.items_tab.table.selectRow(0)
        save(window, "publicaties-beeldmateriaal")
        publications.show_takedowns()
        save(window, "te-verwijderen")
        cases = window.show_section("incidenten")
        save(window, "incidenten-lijst")
        cases.open_case(cases.list_view.visible_references()[0])
        save(window, "incident-editor")
        window.show_section("start")
        item = item_store.list_items(db)[0]
        check = window.open_publication_check(
            [p.number for p in item_store.item_pupils(db, item.id)]
        )
        check.set_purpose("social_media")
        save(check, "publicatiecheck")
        check.close()
        publish = PublishDialog(db, item.id)
        publish.show()
        save(publish, "publiceren")
        publish.close()
        dialog = portal_import_dialog(db, folder)
        dialog.show()
        save(dialog, "toestemmingen-importeren")
        dialog.close()
        audit = open_audit_log(window, window)
        audit.start_edit.setDate(audit.start_edit.date().addYears(-1))
        save(audit, "auditlog")
        audit.close()
        for name, build in (
            (
                "rapport-toestemmingen",
                lambda p, db=db: build_consent_overview(db, p, location="Cuijk"),
            ),
            (
                "rapport-incidenten",
                lambda p, db=db: build_case_overview(
                    db, p, location="Cuijk", date_from=date(2026, 1, 1), date_to=date(2026, 11, 25)
                ),
            ),
        ):
            pdf = folder / f"{name}.pdf"
            build(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "70",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdf),
                    str(out / name),
                ],
                check=True,
            )
            print(out / f"{name}.png")
        window.close()
        db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def portal_import_dialog(db, folder: Path):  # noqa: ANN001, ANN201
    """Toestemmingen importeren with a parent portal's export of the demo's pupils: what the
    register holds for them, with three parents who now say no to social media (pupils in a
    publication there), and a column ("Foto's intern") chosen in its drop-down."""
    from merlet_desk import clock
    from merlet_desk.imports.consents import purpose_target, read_consent_table
    from merlet_desk.store import items as item_store
    from merlet_desk.store import publications as pub
    from merlet_desk.store import statuses as store
    from merlet_desk.ui.consent.import_dialog import ConsentImportDialog

    columns = {
        "Toestemming website": "website",
        "Social media": "social_media",
        "Nieuwsbrief/ouderapp": "newsletter",
        "Jaarboek": "yearbook",
        "Foto's intern": "screens",
    }
    on = clock.today()
    online = {
        pupil.id
        for item in item_store.list_items(db)
        for publication in pub.publications_of_item(db, item.id)
        if publication.purpose_code == "social_media" and publication.taken_down_on is None
        for pupil in item_store.item_pupils(db, item.id)
    }
    lines = [";".join(["Leerlingnummer", "Roepnaam", "Achternaam", "Stamgroep", *columns])]
    changed = 0
    for pupil, statuses in store.register_statuses(db, on)[:400]:
        answers = []
        for code in columns.values():
            state = statuses[code].state
            answer = (
                "Ja"
                if statuses[code].allowed
                else ("Nee" if state in ("refused", "withdrawn") else "")
            )
            if code == "social_media" and answer == "Ja" and pupil.id in online and changed < 3:
                answer, changed = "Nee", changed + 1
            answers.append(answer)
        last = f"{pupil.prefix} {pupil.last_name}".strip()
        lines.append(";".join([pupil.number, pupil.first_name, last, pupil.class_name, *answers]))
    path = folder / "toestemmingen-ouderportaal.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = ConsentImportDialog(db, path, read_consent_table(path), lambda: True)
    dialog.choose("Foto's intern", purpose_target("screens"))
    dialog.mapping_name.setText("Magister-export")
    return dialog


if __name__ == "__main__":
    raise SystemExit(main())
