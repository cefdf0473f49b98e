"""Baseline for figure 1: the least a PySide6 program does to show a main window.

Creates the QApplication, shows an empty QMainWindow, processes the events once and exits:
the same steps as `merlet-desk --quit-after-show`, without the program. Run as a subprocess.
"""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
