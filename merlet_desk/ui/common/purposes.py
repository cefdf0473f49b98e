"""How a purpose is offered wherever one is chosen: its name with its examples.

The officer who wants to post on Instagram finds "Sociale-media-accounts van de school
(Instagram, Facebook, LinkedIn, TikTok en YouTube)" without knowing the code `social_media`.
The examples are the ones printed under the purpose on the paper form (`Purpose.examples`), so the screen and the form use the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox

from merlet_desk.ui.common.qt_namespace import Qt

if TYPE_CHECKING:
    from merlet_desk.store.purposes import Purpose


def purpose_text(purpose: Purpose) -> str:
    """ "Sociale-media-accounts van de school (Instagram, Facebook, …)"; the name alone
    when the purpose has no examples."""
    examples = (getattr(purpose, "examples", None) or "").strip()
    return f"{purpose.label} ({examples})" if examples else purpose.label


def fill_purpose_combo(
    combo: QComboBox, purposes: Iterable[Purpose], *, minimum_length: int = 28
) -> None:
    """Add one item per purpose: the name with its examples, the code as the item's data and
    the whole text as its tooltip. The closed box stays `minimum_length` characters wide;
    the open list shows each purpose whole."""
    for purpose in purposes:
        combo.addItem(purpose_text(purpose), purpose.code)
        combo.setItemData(combo.count() - 1, purpose_text(purpose), Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(minimum_length)
    view = combo.view()
    view.setMinimumWidth(max(view.sizeHintForColumn(0) + 24, view.minimumWidth()))
