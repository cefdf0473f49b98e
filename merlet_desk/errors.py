"""Errors about the user's input (a bad file, an unknown code), shared by CLI, GUI and store.

The message says what is wrong and where (file, row, column); it is shown as is.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable


class InputError(ValueError):
    """Bad input: nothing was changed. `problems` lists every problem found, one per line;
    `codes` names the problems a caller may act on (e.g. `imports.pupils.MISSING_LOCATION`:
    ask for the location), so that no caller branches on the wording of a message."""

    def __init__(
        self, message: str, problems: list[str] | None = None, *, codes: Iterable[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        self.codes = frozenset(codes)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  - {problem}" for problem in self.problems)])


class OutputError(Exception):
    """A file the user asked for (a report, an export) could not be written; nothing was left
    behind. The message says what and why in one Dutch line."""


def os_error_reason(exc: OSError) -> str:
    """A short true Dutch reason for a file-system error ("de schijf is vol")."""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EDQUOT: "de schijfruimte (quota) is op",
        errno.EROFS: "de map staat op een alleen-lezen bestandssysteem",
        errno.EACCES: "geen toestemming (rechten)",
        errno.EPERM: "geen toestemming (rechten)",
        errno.ENOENT: "de map of het bestand bestaat niet",
        errno.EISDIR: "dat is een map",
        errno.ENOTDIR: "een deel van het pad is geen map",
        errno.ENAMETOOLONG: "de naam is te lang",
        errno.EIO: "een invoer/uitvoerfout van de schijf",
    }
    reason = reasons.get(exc.errno or 0)
    if reason is None:
        reason = exc.strerror or str(exc)
    return reason
