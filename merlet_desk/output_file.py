"""Writing a file the user named (a report, an export) all at once or not at all.

    with atomic_output(target, db_path=db_path) as temporary:
        write(temporary)          # the file appears at `target` only when this succeeded

The target is checked first (`store.outputs.refuse_unsafe_output`: never the register's data),
the content goes to a temporary file of this process beside it (readable by its owner only:
it holds data about minors) that is renamed over the target when complete, and a failure (a
full disk, a read-only folder, no rights) is one Dutch line (`OutputError`), nothing left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from merlet_desk.errors import OutputError, os_error_reason


@contextlib.contextmanager
def atomic_output(
    target: str | os.PathLike[str], *, db_path: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """Yield a temporary path to write; rename it to `target` when the block succeeds."""
    from merlet_desk.store.outputs import refuse_unsafe_output

    target = Path(target)
    refuse_unsafe_output(target, db_path)

    def failed(exc: OSError) -> OutputError:
        return OutputError(
            f"{target} kan niet geschreven worden: {os_error_reason(exc)}. Er is niets geschreven."
        )

    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise failed(exc) from exc
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise failed(exc) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
