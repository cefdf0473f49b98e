"""Python's cyclic garbage collector runs only where it cannot pull a widget out from under Qt.

Left to itself, the collector runs whenever enough objects have been allocated, in whichever
thread allocates, at whatever point that thread is. A widget that only a reference cycle keeps
alive (a parentless widget with a lambda or a back-reference on itself) is deleted by that
collection, C++ object and all. When the collection happens inside a Python method that Qt is
calling on that very widget tree — a layout's `setGeometry` written in Python (`FlowLayout`),
a paint, a slot — Qt returns into freed memory and the program crashes, without a Python
traceback (seen in the test suite: a `QBoxLayout` read its next item after a `FlowLayout`
override had run a collection that freed the whole section). Run in a worker thread, the
collection destroys widgets outside the GUI thread, which crashes Qt just the same.

So automatic collection is off for the program's life (`install`), and a timer in the GUI
thread collects what has become due (`collect_due`, the same thresholds Python uses), from
the event loop itself: no Qt code of any widget is running then. Tests do the same between
tests (tests/conftest.py).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QTimer

INTERVAL_MS = 1000  # often enough that memory does not pile up; an idle program does nothing

_timer: QTimer | None = None


def collect_due() -> int:
    """Collect the generations whose allocation counts are past Python's own thresholds, as
    the automatic collector would have; returns the number of objects found unreachable."""
    threshold0, threshold1, threshold2 = gc.get_threshold()
    count0, count1, count2 = gc.get_count()
    if count0 <= threshold0:
        return 0
    generation = 0
    if count1 > threshold1:
        generation = 2 if count2 > threshold2 else 1
    return gc.collect(generation)


def collect_now() -> int:
    """A full collection, for a moment that needs everything garbage holds let go now (the
    database file before it is encrypted or restored). Only from a slot or a method the GUI
    thread runs for the officer, never from a paint, a layout or an event override."""
    return gc.collect()


def install() -> None:
    """Switch automatic collection off and collect from the GUI thread's event loop instead.
    Idempotent; call it in the GUI thread once a QCoreApplication exists."""
    global _timer
    gc.disable()
    if _timer is not None:
        return
    _timer = QTimer()  # never parented, never deleted: it lives as long as the program
    _timer.setInterval(INTERVAL_MS)
    _timer.timeout.connect(collect_due)
    _timer.start()


def installed() -> bool:
    return _timer is not None and not gc.isenabled()
