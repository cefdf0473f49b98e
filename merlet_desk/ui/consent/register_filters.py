"""The register's filters: the search, location, class, status (for one purpose or any) and the
date the register shows, with the line that counts the pupils shown.

Every filter works on the `RegisterProxy`, so nothing is read again while the user types or
picks a class; only another date reads the register again (`on_date`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from merlet_desk.domain import consent as rules
from merlet_desk.ui.common.consent_states import state_label, state_symbol
from merlet_desk.ui.common.flow_layout import WrapLayout, labelled
from merlet_desk.ui.common.purposes import fill_purpose_combo
from merlet_desk.ui.common.widgets import DateField
from merlet_desk.ui.consent.model import RegisterModel, RegisterProxy

if TYPE_CHECKING:
    from merlet_desk.store.purposes import Purpose


def _tr(text: str) -> str:
    """Translated in the section's context, where these texts were written."""
    return QCoreApplication.translate("ConsentSection", text)


def chosen(combo: QComboBox) -> str | None:
    """The chosen item's data; "" (the "all" item) as None.

    The "all" items hold "" rather than None on purpose: with PySide6 6.12 on Python 3.11
    every Qt call that hands back an empty QVariant as None drops a reference to None, and
    enough of them abort the interpreter.
    """
    return combo.currentData() or None


class RegisterFilters(QObject):
    """The filter widgets in two rows that wrap (`rows`), set on `proxy`. After each change
    `changed()` is called (the section counts the rows shown then: not from the proxy's
    rowsRemoved/rowsInserted, which a filter emits hundreds of times, each Python slot call
    leaking a reference to None in PySide6 6.12 on Python 3.11). `on_date(day)` when the
    date changes."""

    def __init__(
        self,
        model: RegisterModel,
        proxy: RegisterProxy,
        on: date,
        *,
        read_only: bool,
        changed: Callable[[], None],
        on_date: Callable[[date], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = proxy
        self._changed = changed
        self._on_date = on_date

        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Zoek op naam of leerlingnummer…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_tr("Zoek leerling"))
        self.search.textChanged.connect(self._on_search)
        self.location_filter = QComboBox()
        self.location_filter.setAccessibleName(_tr("Locatie"))
        self.location_filter.currentIndexChanged.connect(self._on_location)
        self.class_filter = QComboBox()
        self.class_filter.setAccessibleName(_tr("Klas"))
        self.class_filter.currentIndexChanged.connect(self._on_class)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(_tr("Toon leerlingen met"))
        self.status_filter.addItem(_tr("alle leerlingen"), "")
        self.status_filter.addItem(_tr("geen toestemming"), "blocked")
        self.status_filter.addItem(_tr("toestemming"), "allowed")
        for state in rules.STATES:
            self.status_filter.addItem(f"{state_symbol(state)}  {state_label(state)}", state)
        self.status_filter.currentIndexChanged.connect(self._on_status)
        self.status_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_filter.setMinimumContentsLength(22)
        self.status_purpose = QComboBox()
        self.status_purpose.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_purpose.setMinimumContentsLength(20)  # long labels show whole in the list
        self.status_purpose.setAccessibleName(_tr("voor doel"))
        self.status_purpose.currentIndexChanged.connect(self._on_status)
        self.on_field = DateField(on)
        self.on_field.setToolTip(_tr("De stand van het register op deze datum"))
        self.on_field.dateChanged.connect(self._date_changed)
        self.reset_button = QPushButton(_tr("Filters &wissen"))
        self.reset_button.clicked.connect(self.clear)

        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#3c4650;")
        hint = QLabel(
            _tr("Dubbelklik op een vakje: geschiedenis bekijken en een besluit vastleggen.")
            if not read_only
            else _tr("Dubbelklik op een vakje om de geschiedenis te bekijken (alleen-lezen).")
        )
        hint.setStyleSheet("color:#5a6b80;")
        hint.setWordWrap(True)
        self.search.setMinimumWidth(220)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # WrapLayouts (see its docstring): the register below takes the spare height.
        filters = WrapLayout()
        filters.addWidget(self.search)
        filters.addWidget(labelled(_tr("&Locatie:"), self.location_filter))
        filters.addWidget(labelled(_tr("&Klas:"), self.class_filter))
        # "Toon: geen toestemming voor: Website van de school" reads as one filter: together.
        status = QWidget()
        status_row = QHBoxLayout(status)
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(labelled(_tr("&Toon:"), self.status_filter))
        status_row.addWidget(labelled(_tr("voo&r"), self.status_purpose))
        filters.addWidget(status)
        filters2 = WrapLayout()
        filters2.addWidget(labelled(_tr("&Stand op:"), self.on_field))
        filters2.addWidget(self.reset_button)
        filters2.addWidget(self.count_label)
        filters2.addWidget(hint)
        self.rows = (filters, filters2)

    def widgets_on_rows(self) -> tuple[QWidget, ...]:
        """The filters that work on the rows read (all but the date): they wait for the rows."""
        return (
            self.search,
            self.location_filter,
            self.class_filter,
            self.status_filter,
            self.status_purpose,
            self.reset_button,
        )

    # -- the choices, from the rows read ------------------------------------------------------

    def fill_choices(self, purposes: list[Purpose]) -> None:
        """The locations, classes and purposes of the register just read; what was chosen
        stays chosen where it still exists."""
        from merlet_desk.store.pupils import known_locations

        location = chosen(self.location_filter)
        self.location_filter.blockSignals(True)
        self.location_filter.clear()
        self.location_filter.addItem(_tr("alle locaties"), "")
        locations = sorted({p.location for p in self.model.pupils()} | set(known_locations()))
        for name in locations:
            self.location_filter.addItem(name, name)
        index = self.location_filter.findData(location or "")
        self.location_filter.setCurrentIndex(max(index, 0))
        self.location_filter.blockSignals(False)
        self._fill_classes()

        purpose = chosen(self.status_purpose)
        self.status_purpose.blockSignals(True)
        self.status_purpose.clear()
        self.status_purpose.addItem(_tr("een of meer doelen"), "")
        fill_purpose_combo(self.status_purpose, purposes, minimum_length=20)
        index = self.status_purpose.findData(purpose or "")
        self.status_purpose.setCurrentIndex(max(index, 0))
        self.status_purpose.blockSignals(False)
        self._on_status()

    def _fill_classes(self) -> None:
        from merlet_desk.store.pupils import class_sort_key

        class_name = chosen(self.class_filter)
        location = chosen(self.location_filter)
        classes = {p.class_name for p in self.model.pupils() if location in (None, p.location)}
        # the same order as the store's
        ordered = sorted(classes, key=class_sort_key)
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(_tr("alle klassen"), "")
        for name in ordered:
            self.class_filter.addItem(name, name)
        index = self.class_filter.findData(class_name or "")
        self.class_filter.setCurrentIndex(max(index, 0))
        self.class_filter.blockSignals(False)
        self.proxy.set_class(chosen(self.class_filter))

    # -- a filter changes ---------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._changed()

    def _on_location(self) -> None:
        self.proxy.set_location(chosen(self.location_filter))
        self._fill_classes()
        self._changed()

    def _on_class(self) -> None:
        self.proxy.set_class(chosen(self.class_filter))
        self._changed()

    def _on_status(self) -> None:
        choice = chosen(self.status_filter)
        if choice is None:
            states = None
        elif choice == "blocked":
            states = rules.BLOCKED_STATES
        elif choice == "allowed":
            states = rules.ALLOWED_STATES
        else:
            states = frozenset({choice})
        self.status_purpose.setEnabled(states is not None)
        self.proxy.set_status_filter(states, chosen(self.status_purpose))
        self._changed()

    def _date_changed(self) -> None:
        self._on_date(self.on_field.value())

    def set_status_filter(self, choice: str | None, purpose_code: str | None = None) -> None:
        """choice: None (everyone), "blocked", "allowed" or a state; for one purpose or any."""
        self.status_purpose.setCurrentIndex(
            max(self.status_purpose.findData(purpose_code or ""), 0)
        )
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(choice or ""), 0))
        self._on_status()

    def clear(self) -> None:
        self.search.clear()
        self.location_filter.setCurrentIndex(0)
        self.class_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.status_purpose.setCurrentIndex(0)

    # -- what is chosen -----------------------------------------------------------------------

    def chosen_class(self) -> str | None:
        return chosen(self.class_filter)

    def chosen_location(self) -> str | None:
        return chosen(self.location_filter)

    def narrowed(self) -> bool:
        """True when a class, location, search or status leaves out pupils."""
        return bool(
            chosen(self.class_filter)
            or chosen(self.location_filter)
            or self.search.text().strip()
            or chosen(self.status_filter)
        )

    def label(self) -> str:
        """The class, location and search chosen, as one line ("2B, Cuijk, „Jan”")."""
        typed = self.search.text().strip()
        return ", ".join(
            text
            for text in (
                self.class_filter.currentText() if chosen(self.class_filter) else "",
                self.location_filter.currentText() if chosen(self.location_filter) else "",
                f"„{typed}”" if typed else "",
            )
            if text
        )
