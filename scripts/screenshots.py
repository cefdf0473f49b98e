"""Grab every section of the main window on the demo database, for docs/screenshots and for
comparing the screen before and after a change.

Usage: .venv/bin/python scripts/screenshots.py OUT_DIR [--size 1366x768] [--pupils 600]
       [--empty] [--docs] [--laptop]

The program's clock is fixed (25-11-2026 10:00, or MERLET_DESK_NOW) so the same code gives the
same pixels; `--empty` shows a new, empty database instead of the demo. `--docs` writes the
README's screenshots under their names in OUT_DIR (docs/screenshots): the sections and their
tabs, the case editor and the publication check and publish dialogs on the demo, the
empty-database Start, and the first page of two reports; dialogs at the size they take on a
1366×768 screen with a taskbar (issue 15). `--laptop` writes, for a school laptop's screens
(1366×768 and 1024×700, each with a 40 px taskbar), the whole screen as the officer sees it in
a real X session (Xvfb with openbox, as tests/ui/test_first_window.py): the window as the
program opens it (maximised there), Start on an empty and on the demo register, Publiceren
with a class photo, the pupil import's mapping step and Start read-only, as
`<name>-<width>x<height>.png`.
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
# tests.helpers (the X session of --laptop) lets the program's clock run unless this is set.
os.environ.setdefault("MERLET_TEST_NOW", os.environ["MERLET_DESK_NOW"])
LAPTOPS = ((1366, 768), (1024, 700))
TASKBAR = 40
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--pupils", type=int, default=600)
    parser.add_argument("--empty", action="store_true")
    parser.add_argument("--docs", action="store_true")
    parser.add_argument("--laptop", action="store_true")
    parser.add_argument("--in-x-session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    if args.docs:
        return docs(args.out, args.pupils)
    if args.laptop:
        return laptop(args.out, args.pupils)
    if args.in_x_session:
        return laptop_screens(args.out, args.pupils, f"{width}x{height}")

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
    import time

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
        photo_item = class_photo_item(db, folder)
        policy = window.show_section("beleid")
        policy.set_search("toestemming")
        save(window, "beleid")
        consent = window.show_section("toestemmingen")
        save(window, "toestemmingen")
        consent.show_reminders("turned_16")
        save(window, "herinneringen")
        publications = window.show_section("publicaties")
        publications.tabs.setCurrentIndex(0)
        publications.items_tab.refresh(select_id=photo_item)  # the class photo, with its photo
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not publications.items_tab.detail.photo.is_loaded():
            app.processEvents()
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
        publish = PublishDialog(db, photo_item)
        publish.show()
        while not publish.photo_panel.view.is_loaded():  # the faces are found on a worker
            app.processEvents()
        publish.set_channel("social_media")
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


def laptop(out: Path, pupils: int) -> int:
    """--laptop: each screen size in an X session of its own (see the module docstring)."""
    import subprocess

    from tests.helpers.screen import x_session

    out.mkdir(parents=True, exist_ok=True)
    for width, height in LAPTOPS:
        with tempfile.TemporaryDirectory() as folder:
            with x_session(Path(folder), width, height, taskbar=TASKBAR) as display:
                env = {
                    **os.environ,
                    "DISPLAY": display,
                    "QT_QPA_PLATFORM": "xcb",
                    "XDG_CONFIG_HOME": str(Path(folder) / "config"),  # no saved geometry
                }
                command = [sys.executable, __file__, str(out), "--in-x-session"]
                command += ["--size", f"{width}x{height}", "--pupils", str(pupils)]
                subprocess.run(command, env=env, check=True)
    return 0


def laptop_screens(out: Path, pupils: int, size: str) -> int:
    """In the X session: open each screen as the program does and grab the whole screen."""
    import time

    from merlet_desk.demo import fill_demo
    from merlet_desk.store import open_database
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow
    from merlet_desk.ui.publications.publish_dialog import PublishDialog

    app = create_application([sys.argv[0]])

    def settle(seconds: float = 1.5) -> None:
        """Let the window manager place and the workers count."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)

    def grab(name: str) -> None:
        settle()
        target = out / f"{name}-{size}.png"
        app.primaryScreen().grabWindow(0).save(str(target))
        print(target)

    def window_on(db, path: Path, read_only: bool = False) -> MainWindow:  # noqa: ANN001
        window = MainWindow(db, path, read_only=read_only)
        window.show_at_start()
        window.show_section("start")
        return window

    folder = Path(tempfile.gettempdir()) / "merlet-desk-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "demo.sqlite"
    db = open_database(path)
    window = window_on(db, path)
    grab("start-leeg")
    window.close()
    fill_demo(db, pupils)
    window = window_on(db, path)
    grab("start")
    publish = PublishDialog(db, class_photo_item(db, folder), parent=window)
    publish.show()
    while not publish.photo_panel.view.is_loaded():
        app.processEvents()
    publish.set_channel("social_media")
    grab("publiceren")
    publish.close()
    mapping = pupil_mapping_dialog(window, folder)
    grab("importeren-kolommen")
    mapping.close()
    window.close()
    db.close()
    read_only = open_database(path, read_only=True)
    window = window_on(read_only, path, read_only=True)
    grab("start-alleen-lezen")
    window.close()
    read_only.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def pupil_mapping_dialog(window, folder: Path):  # noqa: ANN001, ANN201
    """Leerlingen importeren with a file whose columns are not all recognised (a spreadsheet
    of the school's own): the mapping step, as the register opens it."""
    from merlet_desk.imports.pupils import read_pupil_table

    path = folder / "leerlingen-eigen-lijst.csv"
    path.write_text(
        "Llnr;Roepnaam;Tussenv.;Familienaam;Geb.datum;Groep;Vestiging\n"
        "9101;Joëlle;van den;Broek;01-03-2011;3V;Cuijk\n"
        "9102;Berkay;;Öztürk;05-05-2012;2B;Mill\n"
        "9103;Zofia;;Łęcka;12-11-2010;4H;Grave\n"
        "9104;Meryem;;Boujdaini;30-06-2013;1A;Cuijk\n",
        encoding="utf-8",
    )
    consent = window.show_section("toestemmingen")
    return consent.imports.open_pupil_mapping(path, read_pupil_table(path))


def class_photo_item(db, folder: Path) -> int:  # noqa: ANN001
    """A class photo of the demo with the photo itself: the demo's items name files on the
    school's share, which this machine does not have, and the publish dialog then says
    "Bestand niet gevonden". A picture with one face per pupil tagged (the astronaut from
    scikit-image's wheel, as in the tests) is written to `folder` and given to the item. The
    class photo chosen has a pupil or two who may not go on social media, so the screenshot
    shows why the blur tool is there."""
    from merlet_desk import clock
    from merlet_desk.store import items as item_store
    from merlet_desk.ui.common.media import thumbnail_bytes

    on = clock.today()
    candidates = [
        summary
        for summary in item_store.list_items(db)
        if summary.title.startswith("Klassenfoto")
        and summary.media_kind == "photo"
        and 8 <= summary.pupil_count <= 18
    ]
    chosen = next(
        (
            summary
            for summary in candidates
            if 1 <= len(item_store.check_item(db, summary.id, "social_media", on).blocked) <= 2
        ),
        candidates[0],
    )
    item = item_store.get_item(db, chosen.id)
    photo = group_photo(folder / item.file_name, chosen.pupil_count)
    item_store.update_item(
        db,
        item.id,
        title=item.title,
        taken_on=item.taken_on,
        location=item.location,
        description=item.description,
        file=item_store.file_facts(photo),
        file_path=str(photo),
        thumbnail=thumbnail_bytes(photo),
    )
    return item.id


def group_photo(path: Path, heads: int, per_row: int = 6) -> Path:
    """`heads` heads in rows on a two-tone background, each one found by the face detector,
    saved as a JPEG. (Not through tests.helpers: importing it lets the clock run again.)"""
    import cv2
    import numpy as np
    from skimage import data

    head = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)[0:240, 128:320]
    rows = -(-heads // per_row)
    width, height = 60 + per_row * 210, 60 + rows * 260
    canvas = np.full((height, width, 3), 190, np.uint8)
    canvas[: height // 2] = (205, 190, 170)
    for index in range(heads):
        row, column = divmod(index, per_row)
        crop = head[:, ::-1] if (index + row) % 2 else head
        light = (0.75, 1.0, 0.9, 1.1)[index % 4]
        crop = np.clip(crop.astype(np.float32) * light, 0, 255).astype(np.uint8)
        x, y = 30 + column * 210, 30 + row * 260
        canvas[y : y + 240, x : x + 192] = crop
    cv2.imwrite(str(path), canvas, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return path


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
