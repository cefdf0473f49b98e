"""Start-up timestamps for the benchmark (figure 1).

When `MERLET_DESK_STARTUP_TRACE` names a file, `mark("first-paint")` and `mark("ready")`
append a line "<name> <seconds since the epoch> <CPU seconds of the process>" to it: the first
paint of the window, and the moment the database is open and the section shown has been
painted. The benchmark starts the program, notes the time just before, and reads the file;
`benchmarks/bare_window.py` writes the same line for a bare PySide6 window. The CPU time says
how much of a wait was work, on a machine busy with other things. Without the variable nothing
is written.
"""

from __future__ import annotations

import os
import time

VARIABLE = "MERLET_DESK_STARTUP_TRACE"


def mark(name: str) -> None:
    """Append "<name> <time.time()> <time.process_time()>" to the trace file, if one is asked
    for."""
    path = os.environ.get(VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as trace:
            trace.write(f"{name} {time.time():.6f} {time.process_time():.6f}\n")
