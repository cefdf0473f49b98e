"""Figure 6: peak memory (RSS) of the GUI with a database open and every section visited.

Run as a subprocess: `python gui_rss.py DB` starts the application offscreen the way
`merlet-desk --db DB` does, visits every section, waits each time until the section's worker
threads (the Start counts, the takedown list) have delivered, and prints its own peak RSS in
MiB on stdout.

The peak is `VmHWM` from /proc/self/status. `resource.getrusage(RUSAGE_SELF).ru_maxrss` is
the fallback where there is no /proc, but on Linux it survives fork+exec: a child started by a
big parent reports at least the parent's peak (the runner, at 160 MiB, made an empty window look
like 164 MiB). VmHWM belongs to this process image alone.
`python gui_rss.py --bare` prints the same for an empty QMainWindow, for comparison.
"""

import os
import resource
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_rss_mib() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bare() -> float:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    app.processEvents()
    rss = peak_rss_mib()
    window.close()
    return rss


def settle(app: object, window: object, timeout: float = 120.0) -> None:
    """Process events until no worker thread of the window is reading any more."""
    import time

    deadline = time.monotonic() + timeout
    while window.tasks.tasks and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def program(db_path: str) -> float:
    from merlet_desk.store import open_database
    from merlet_desk.ui.app import create_application
    from merlet_desk.ui.main_window import MainWindow

    app = create_application(sys.argv[:1])
    db = open_database(db_path)
    window = MainWindow(db, db_path)
    window.show()
    app.processEvents()
    for key in window.section_keys():
        window.show_section(key)
        app.processEvents()
        settle(app, window)  # the counts a section reads on worker threads count too
    rss = peak_rss_mib()
    window.close()
    db.close()
    return rss


def main(argv: list[str]) -> int:
    rss = bare() if argv[:1] == ["--bare"] else program(argv[0])
    print(f"{rss:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
