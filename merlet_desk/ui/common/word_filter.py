"""A search field's filter for list proxies: keep the rows whose text holds every word typed.

Mixed into a `QSortFilterProxyModel` whose source model has `row_at(row)` returning an object
with a `search` string, already folded (lower case, no accents) with `domain.text.fold`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from merlet_desk.domain.text import fold


class WordFilter:
    """Mixin (before the proxy class): `set_search(text)` and the matching row filter."""

    _words: list[str] = []

    def set_search(self, text: str) -> None:
        assert isinstance(self, QSortFilterProxyModel)
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802 (Qt API)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        assert isinstance(self, QSortFilterProxyModel)
        text = self.sourceModel().row_at(source_row).search  # type: ignore[attr-defined]
        return all(word in text for word in self._words)
