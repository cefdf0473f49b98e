"""Errors about the user's input (a bad file, an unknown code), shared by CLI, GUI and store.

The message says what is wrong and where (file, row, column); it is shown as is.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: nothing was changed. `problems` lists every problem found, one per line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  - {problem}" for problem in self.problems)])
