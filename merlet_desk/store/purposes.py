"""The purposes a consent is asked for (website, social media, yearbook, ...): their codes, the
labels users see, the examples on the paper form, other names in portal exports, and
retiring one. Every change is audited; a retired purpose keeps its decisions. No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from merlet_desk.domain.text import name_key, text_problem
from merlet_desk.errors import InputError
from merlet_desk.store.audit import record_change
from merlet_desk.store.connection import inserted_id
from merlet_desk.store.sqlite_utils_import import Database
from merlet_desk.store.values import clean_text


@dataclass(frozen=True)
class Purpose:
    id: int
    code: str
    label: str
    retired: bool
    position: int
    examples: str | None = None  # printed on the paper form under the label
    # Other names of this purpose in the exports of the administration systems.
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a column header may use for it: code, label and aliases."""
        return (self.code, self.label, *self.aliases)


def _purpose(row: Sequence[Any]) -> Purpose:
    return Purpose(
        id=row[0],
        code=row[1],
        label=row[2],
        retired=bool(row[3]),
        position=row[4],
        examples=row[5] if len(row) > 5 else None,
        aliases=tuple(json.loads(row[6])) if len(row) > 6 and row[6] else (),
    )


def list_purposes(db: Database, include_retired: bool = False) -> list[Purpose]:
    return list_purposes_later(db, include_retired)()


def list_purposes_later(db: Database, include_retired: bool = False) -> Callable[[], list[Purpose]]:
    """`list_purposes`, its query executed now and its rows read when the result is called
    (for `dialect.together`)."""
    sql = "SELECT id, code, label, retired, position, examples, aliases FROM purposes"
    if not include_retired:
        sql += " WHERE retired = 0"
    cursor = db.execute(sql + " ORDER BY position, id")
    return lambda: [_purpose(row) for row in cursor.fetchall()]


def find_purpose(db: Database, code_or_label: str) -> Purpose | None:
    """A purpose by code, label or alias, compared as `name_key` compares (case, accents,
    spaces and punctuation do not count: "Social media" is social_media), or None."""
    return find_purpose_in(list_purposes(db, include_retired=True), code_or_label)


def find_purpose_in(purposes: Iterable[Purpose], code_or_label: str) -> Purpose | None:
    """`find_purpose` among these purposes (every one, the retired too)."""
    return purposes_by_name(purposes).get(name_key(code_or_label))


def purposes_by_name(purposes: Iterable[Purpose]) -> dict[str, Purpose]:
    """Each purpose under the `name_key` of its code, label and aliases (for reading column
    headers); a code wins over another purpose's label or alias."""
    found: dict[str, Purpose] = {}
    ordered = list(purposes)
    for purpose in ordered:
        for name in purpose.names[1:]:
            found.setdefault(name_key(name), purpose)
    found.update({name_key(purpose.code): purpose for purpose in ordered})
    found.pop("", None)
    return found


def get_purpose(db: Database, code_or_label: str) -> Purpose:
    return get_purpose_in(list_purposes(db, include_retired=True), code_or_label)


def get_purpose_in(purposes: Sequence[Purpose], code_or_label: str) -> Purpose:
    """`get_purpose` among these purposes (every one, the retired too)."""
    purpose = find_purpose_in(purposes, code_or_label)
    if purpose is None:
        codes = ", ".join(p.code for p in purposes if not p.retired)
        raise InputError(f"Onbekend doel '{code_or_label}' (bekende doelen: {codes}).")
    return purpose


def _check_label_free(db: Database, label: str, except_code: str | None = None) -> None:
    other = find_purpose(db, label)
    if other is not None and other.code != except_code:
        raise InputError(f"Er is al een doel met de naam of code '{label}'.")


def add_purpose(db: Database, code: str, label: str) -> Purpose:
    """A new purpose at the end of the list. Codes: lowercase letters, digits and '_'."""
    code, label = clean_text(code).lower(), clean_text(label)
    if not code or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in code):
        raise InputError(f"Ongeldige code '{code}': gebruik kleine letters, cijfers en '_'.")
    if not label:
        raise InputError("Geef het doel een naam.")
    if find_purpose(db, code) is not None:
        raise InputError(f"Er is al een doel met de code '{code}'.")
    _check_label_free(db, label)
    with db.atomic():
        position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM purposes").fetchone()[0]
        cursor = db.execute(
            "INSERT INTO purposes (code, label, retired, position) VALUES (?, ?, 0, ?)",
            [code, label, position],
        )
        record_change(db, "create", "purpose", code, None, {"code": code, "label": label})
    return _purpose((inserted_id(cursor), code, label, 0, position))


def rename_purpose(db: Database, code: str, label: str) -> Purpose:
    """Change the label users see; the code and the history stay."""
    purpose = get_purpose(db, code)
    label = clean_text(label)
    if not label:
        raise InputError("Geef het doel een naam.")
    if label == purpose.label:
        return purpose
    _check_label_free(db, label, except_code=purpose.code)
    with db.atomic():
        db.execute("UPDATE purposes SET label = ? WHERE id = ?", [label, purpose.id])
        record_change(
            db, "update", "purpose", purpose.code, {"label": purpose.label}, {"label": label}
        )
    return get_purpose(db, purpose.code)


def set_purpose_examples(db: Database, code: str, examples: str | None) -> Purpose:
    """Change the examples printed under a purpose on the paper form (None or '': none)."""
    purpose = get_purpose(db, code)
    value = clean_text(examples) or None
    if value == purpose.examples:
        return purpose
    with db.atomic():
        db.execute("UPDATE purposes SET examples = ? WHERE id = ?", [value, purpose.id])
        record_change(
            db,
            "update",
            "purpose",
            purpose.code,
            {"examples": purpose.examples},
            {"examples": value},
        )
    return get_purpose(db, purpose.code)


def set_purpose_aliases(db: Database, code: str, aliases: Iterable[str]) -> Purpose:
    """Replace the other names of a purpose (what a portal export calls it); InputError when
    one is not a valid name or already names another purpose."""
    purpose = get_purpose(db, code)
    cleaned: list[str] = []
    keys: set[str] = {name_key(purpose.code), name_key(purpose.label)}
    others = {
        key: other
        for key, other in purposes_by_name(list_purposes(db, include_retired=True)).items()
        if other.code != purpose.code
    }
    for alias in aliases:
        alias = clean_text(alias)
        key = name_key(alias)
        if not alias or key in keys:
            continue  # empty, or the same name twice
        problem = text_problem(alias)
        if problem:
            raise InputError(f"De andere naam '{alias[:40]}' {problem}.")
        if not key:
            raise InputError(f"De andere naam '{alias}' bevat geen letters of cijfers.")
        if key in others:
            raise InputError(
                f"'{alias}' is al een naam van het doel '{others[key].label}' ({others[key].code})."
            )
        keys.add(key)
        cleaned.append(alias)
    if tuple(cleaned) == purpose.aliases:
        return purpose
    with db.atomic():
        db.execute(
            "UPDATE purposes SET aliases = ? WHERE id = ?",
            [json.dumps(cleaned, ensure_ascii=False), purpose.id],
        )
        record_change(
            db,
            "update",
            "purpose",
            purpose.code,
            {"aliases": list(purpose.aliases)},
            {"aliases": cleaned},
        )
    return get_purpose(db, purpose.code)


def retire_purpose(db: Database, code: str, retired: bool = True) -> Purpose:
    """Retire (or bring back) a purpose; its decisions are kept."""
    purpose = get_purpose(db, code)
    if purpose.retired == retired:
        return purpose
    with db.atomic():
        db.execute("UPDATE purposes SET retired = ? WHERE id = ?", [int(retired), purpose.id])
        record_change(
            db,
            "update",
            "purpose",
            purpose.code,
            {"retired": purpose.retired},
            {"retired": retired},
        )
    return get_purpose(db, purpose.code)
