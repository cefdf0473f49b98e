"""Grab every section of the main window on the demo database, for docs/screenshots and for
comparing the screen before and after a change.

Usage: .venv/bin/python scripts/screenshots.py OUT_DIR [--size 1366x768] [--pupils 600]
       [--empty]

The program's clock is fixed (25-11-2026 10:00, or MERLET_DESK_NOW) so the same code gives the
same pixels; `--empty` shows a new, empty database instead of the demo.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
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
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

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


if __name__ == "__main__":
    raise SystemExit(main())
