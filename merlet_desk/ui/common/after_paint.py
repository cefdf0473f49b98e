"""Run something once the window has painted what it shows now.

`QTimer.singleShot(0, ...)` does not wait for the paint: Qt posts its repaint request at low
priority, so a zero timer (a normal-priority posted call) set while a section is being shown
runs before that section is painted. At start-up that put the counts of Start and the
integrity check (their imports, their queries, a worker competing for Python's lock) between
the open database and the first look at the section (benchmarks/ANALYSIS.md, figure 1b).
`after_paint` posts the call below Qt's repaint priority: the paint that is due goes first.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject

# Qt posts repaint requests (QEvent.UpdateRequest) at Qt.LowEventPriority, which is -1;
# posted events run highest priority first. An int: no Qt namespace before the first paint.
BELOW_REPAINT = -2
_call_type: list[QEvent.Type] = []  # registered on first use (QEvent.Type costs 1.5 ms)


def _event_type() -> QEvent.Type:
    if not _call_type:
        _call_type.append(QEvent.Type(QEvent.registerEventType()))
    return _call_type[0]


class _Call(QObject):
    """Receives the one posted event and runs the call; deleted with `context`, and then the
    posted event is dropped with it."""

    def __init__(self, context: QObject, call: Callable[[], object]) -> None:
        super().__init__(context)
        self._call: Callable[[], object] | None = call

    def event(self, event: QEvent) -> bool:
        if event.type() != _event_type():
            return super().event(event)
        call, self._call = self._call, None
        self.deleteLater()
        if call is not None:
            call()
        return True


def after_paint(context: QObject, call: Callable[[], object]) -> None:
    """Call `call` in the GUI thread after the repaints already due; not at all when
    `context` is deleted before then."""
    if not shiboken6.isValid(context):
        return
    receiver = _Call(context, call)
    QCoreApplication.postEvent(receiver, QEvent(_event_type()), BELOW_REPAINT)
