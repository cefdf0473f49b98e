"""Baseline for figure 1: the least a PySide6 program does to show a main window.

Creates the QApplication, shows an empty QMainWindow, processes the events once (the first
paint) and exits: the same steps as `merlet-desk --quit-after-show`, without the program. Run
as a subprocess. With MERLET_DESK_STARTUP_TRACE set it notes the first paint in that file, as
the program does (merlet_desk/startup_trace.py; not imported here: the baseline is bare).
"""

import os
import sys
import time

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    trace = os.environ.get("MERLET_DESK_STARTUP_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as out:
            out.write(f"first-paint {time.time():.6f} {time.process_time():.6f}\n")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
