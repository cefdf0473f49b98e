"""The mechanical half of the two engines: the program's SQL text as PostgreSQL reads it.

The store writes its queries once, in the SQL both engines share, with SQLite's parameter
style. What differs only in spelling is changed here, on the way to the server, by the
connection wrapper (`store.engine.server`), for every statement:

- parameters: ``?`` becomes ``%s`` and ``:name`` becomes ``%(name)s`` (psycopg's styles), and
  a literal ``%`` becomes ``%%``;
- identifiers: a bare ``user`` (the audit log's column) becomes ``"user"``: on PostgreSQL
  ``user`` unquoted is ``current_user``, which would silently read the login name instead
  of the column; a ``[name]`` identifier (SQLite's bracket quoting) becomes ``"name"``;
- ``INSERT OR REPLACE`` and ``INSERT OR IGNORE`` are refused (`UntranslatableSql`): their
  meaning depends on every unique constraint of the table, so the store writes the
  portable ``INSERT … ON CONFLICT (…) DO …`` instead.

String literals, quoted identifiers and comments are copied as they are (a ``?`` inside
``'…'`` stays). What differs in meaning (a function, a type, a PRAGMA) is never guessed here:
the store asks `store.engine.dialect` for it by name.

`Statement` also says what the wrapper needs to imitate sqlite3: whether the statement writes
(`total_changes`) and, for a one-row ``INSERT … VALUES`` without ``RETURNING``, into which
table (the wrapper appends ``RETURNING id`` so that `cursor.lastrowid` means what it means in
SQLite).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_IDENT_START = re.compile(r"[A-Za-z_]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INSERT_INTO = re.compile(r"\s*INSERT\s+INTO\s+\"?([A-Za-z_][A-Za-z0-9_]*)\"?", re.IGNORECASE)
_INSERT_OR = re.compile(r"\s*INSERT\s+OR\s+(REPLACE|IGNORE)\b", re.IGNORECASE)
_REPLACE_INTO = re.compile(r"\s*REPLACE\s+INTO\b", re.IGNORECASE)
_WRITES = re.compile(r"\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
_BEFORE_NAMES = frozenset(
    "select from join into update table on by where and or as set index exists not".split()
)
# Columns whose names PostgreSQL reserves: `user` unquoted is `current_user` there.
_QUOTED_WORDS = frozenset({"user"})


class UntranslatableSql(ValueError):
    """A statement whose SQLite spelling has no mechanical PostgreSQL equivalent; the store
    must write it portably. A programming error, never a user's."""


@dataclass(frozen=True)
class Statement:
    """One statement as PostgreSQL reads it, and what the wrapper needs to know about it."""

    sql: str
    writes: bool  # INSERT, UPDATE or DELETE: counts in `total_changes`
    returning_table: str | None  # one-row INSERT … VALUES without RETURNING: append it


Token = tuple[str, str]  # (kind, text); kinds: quoted, comment, word, space, other


def tokens(sql: str) -> Iterator[Token]:
    """`sql` cut into strings and quoted identifiers (``quoted``), comments, words, runs of
    white space and single other characters; joined again they give `sql` back."""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "'" or ch == '"':
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            yield "quoted", sql[i : end + 1]
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            yield "comment", sql[i:end]
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            yield "comment", sql[i:end]
            i = end
        elif _IDENT_START.match(ch):
            match = _WORD.match(sql, i)
            assert match is not None
            yield "word", match.group()
            i = match.end()
        elif ch.isspace():
            end = i + 1
            while end < n and sql[end].isspace():
                end += 1
            yield "space", sql[i:end]
            i = end
        else:
            yield "other", ch
            i += 1


def _scan(sql: str) -> str:
    """`sql` with placeholders, `%` and identifiers rewritten (see the module docstring)."""
    out: list[str] = []
    positional = named = False
    previous: Token = ("space", "")  # the last token that was not space or a comment
    pending: list[Token] = list(tokens(sql))
    index = 0
    while index < len(pending):
        kind, text = pending[index]
        index += 1
        following = pending[index] if index < len(pending) else ("space", "")
        if kind in ("quoted", "comment"):
            out.append(text.replace("%", "%%"))
        elif kind == "word":
            quote = text.lower() in _QUOTED_WORDS and following != ("other", "(")
            out.append(f'"{text.lower()}"' if quote else text)
        elif kind == "other" and text == "?":
            if following[0] == "other" and following[1].isdigit():
                raise UntranslatableSql("numbered parameters (?1) are not used by the store")
            out.append("%s")
            positional = True
        elif (
            kind == "other"
            and text == ":"
            and following[0] == "word"
            and previous != ("other", ":")
        ):
            out.append(f"%({following[1]})s")
            named = True
            index += 1
            kind, text = "word", following[1]
        elif kind == "other" and text == "%":
            out.append("%%")
        elif kind == "other" and text == "[" and _starts_identifier(previous):
            inside = _bracketed(pending, index)
            if inside is None:
                out.append(text)
            else:
                name, index = inside
                out.append(f'"{name}"')
                kind, text = "quoted", name
        else:
            out.append(text)
        if kind not in ("space", "comment"):
            previous = (kind, text)
    if positional and named:
        raise UntranslatableSql("a statement mixes ? and :name parameters")
    return "".join(out)


def _starts_identifier(previous: Token) -> bool:
    """Whether a `[` after `previous` opens SQLite's bracket quoting, not a subscript
    (``ARRAY[…]``, ``x[1]``, which follow a name, ``]`` or ``)``)."""
    if previous[0] == "word":
        return previous[1].lower() in _BEFORE_NAMES
    return previous[0] != "quoted" and previous[1] not in ("]", ")")


def _bracketed(pending: list[Token], index: int) -> tuple[str, int] | None:
    """The name inside ``[`` … ``]`` whose ``[`` ends before `index`, and the index after
    the ``]``; None when it is not a plain name."""
    name: list[str] = []
    while index < len(pending):
        kind, text = pending[index]
        index += 1
        if (kind, text) == ("other", "]"):
            return ("".join(name), index) if name else None
        if kind not in ("word", "space"):
            return None
        name.append(text)
    return None


@lru_cache(maxsize=4096)
def to_server(sql: str) -> Statement:
    """`sql` (the store's spelling) as PostgreSQL reads it. Cached: the store's statements
    are few and repeat."""
    refused = _INSERT_OR.match(sql) or _REPLACE_INTO.match(sql)
    if refused:
        raise UntranslatableSql(
            f"'{sql.strip()[:60]}…': write INSERT … ON CONFLICT (…) DO NOTHING/UPDATE, which "
            "both engines read the same way"
        )
    text = _scan(sql)
    writes = bool(_WRITES.match(text))
    returning_table = None
    insert = _INSERT_INTO.match(text)
    if insert and re.search(r"\bVALUES\b", text, re.IGNORECASE):
        if not re.search(r"\b(RETURNING|SELECT)\b", text, re.IGNORECASE):
            returning_table = insert.group(1)
    return Statement(text, writes, returning_table)
