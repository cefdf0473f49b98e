"""Starting the GUI from the command line: open the database, show the window, or explain why not."""

from __future__ import annotations

import argparse
import sys

from merlet_desk.store import StoreError, open_database
from merlet_desk.store.location import resolve_database_path


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication

    from merlet_desk.ui import dialogs
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow

    app = create_application(sys.argv[:1])
    path = resolve_database_path(args.db)
    try:
        db = open_database(path, read_only=args.read_only)
    except StoreError as exc:
        print(f"merlet-desk: {exc}", file=sys.stderr)
        if not args.quit_after_show:
            dialogs.show_error(
                None, QCoreApplication.translate("launch", "Database niet geopend"), str(exc)
            )
        return 2
    window = MainWindow(db, path, read_only=args.read_only)
    window.show()
    if args.quit_after_show:
        app.processEvents()
        window.close()
        db.close()
        return 0
    code = app.exec()
    window.db.close()
    return code
