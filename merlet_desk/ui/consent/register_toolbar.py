"""The top of the register: its title and explanation, and the buttons and menus that lead to
the publication check, the paper forms, imports, pupils, purposes and the PDF overview.

The buttons wrap onto a second row on a narrow window instead of squeezing the title.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget

from merlet_desk.ui.common.flow_layout import WrapLayout


def _tr(text: str) -> str:
    """Translated in the section's context, where these texts were written."""
    return QCoreApplication.translate("ConsentSection", text)


class RegisterActions(Protocol):
    """What the buttons and menus call: the section's actions (each may open a dialog)."""

    def open_form_entry(self) -> object: ...
    def open_print_forms(self) -> object: ...
    def open_scan_import(self) -> object: ...
    def open_check(self) -> object: ...
    def add_pupil(self) -> object: ...
    def edit_selected_pupil(self) -> object: ...
    def import_pupils(self) -> object: ...
    def import_consents(self) -> object: ...
    def save_example_file(self) -> object: ...
    def manage_purposes(self) -> object: ...
    def edit_settings(self) -> object: ...
    def export_overview(self) -> object: ...


class RegisterToolbar(QObject):
    """Title, explanation and buttons in `layout`; in read-only mode only what reads."""

    def __init__(
        self, actions: RegisterActions, *, read_only: bool, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        title = QLabel(_tr("Toestemmingen voor foto's en video's"))
        title.setStyleSheet("font-size:16pt; font-weight:600; color:#1f3a5f;")
        # One button for the paper forms: a click types a returned form in by hand (as
        # before); its menu also prints personal forms and reads a scanned stack.
        self.form_button = QToolButton()
        self.form_button.setText(_tr("&Formulieren invoeren…"))
        self.form_button.setToolTip(
            _tr(
                "Teruggekomen toestemmingsformulieren snel invoeren, één toets per doel; in het "
                "menu: formulieren afdrukken en gescande formulieren verwerken"
            )
        )
        self.form_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.form_button.clicked.connect(actions.open_form_entry)
        paper_menu = QMenu(self.form_button)
        paper_menu.addAction(_tr("Formulieren met de hand invoeren…"), actions.open_form_entry)
        paper_menu.addSeparator()
        self.print_forms_action = paper_menu.addAction(
            _tr("Formulieren afdrukken…"), actions.open_print_forms
        )
        self.scan_forms_action = paper_menu.addAction(
            _tr("Gescande formulieren verwerken…"), actions.open_scan_import
        )
        self.form_button.setMenu(paper_menu)
        self.check_button = QPushButton(_tr("&Mag deze foto online?…"))
        self.check_button.setToolTip(
            _tr("Controleer voor een foto of video wie in beeld mag en wie niet")
        )
        self.check_button.setStyleSheet(
            "QPushButton { background:#f2a900; color:#1a1a1a; font-weight:600; }"
        )
        self.check_button.clicked.connect(actions.open_check)
        self.pupils_button = QToolButton()
        self.pupils_button.setText(_tr("B&eheer"))
        self.pupils_button.setToolTip(
            _tr("Leerlingen toevoegen, bewerken of importeren; doelen en instellingen")
        )
        self.pupils_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pupils_button)
        self.add_pupil_action = menu.addAction(_tr("Leerling toevoegen…"), actions.add_pupil)
        self.edit_pupil_action = menu.addAction(
            _tr("Gekozen leerling bewerken…"), actions.edit_selected_pupil
        )
        menu.addSeparator()
        self.import_pupils_action = menu.addAction(
            _tr("Leerlingen importeren (CSV/Excel)…"), actions.import_pupils
        )
        self.import_consents_action = menu.addAction(
            _tr("Toestemmingen importeren (ouderportaal, CSV/Excel)…"), actions.import_consents
        )
        self.example_action = menu.addAction(
            _tr("Voorbeeldbestand opslaan…"), actions.save_example_file
        )
        menu.addSeparator()
        self.purposes_action = menu.addAction(_tr("Doelen beheren…"), actions.manage_purposes)
        self.settings_action = menu.addAction(
            _tr("Instellingen toestemmingen…"), actions.edit_settings
        )
        self.pupils_button.setMenu(menu)

        subtitle = QLabel(
            _tr(
                "Per leerling en per doel: mag de leerling op foto of video? "
                "Niets vastgelegd betekent: geen toestemming."
            )
        )
        subtitle.setStyleSheet("color:#3c4650; font-size:10.5pt;")
        subtitle.setWordWrap(True)
        title.setWordWrap(True)
        self.import_button = QPushButton(_tr("Leerlingen &importeren…"))
        self.import_button.setToolTip(
            _tr(
                "Een export uit Magister of SOMtoday (CSV of .xlsx): nieuwe leerlingen erbij, "
                "bestaande bijgewerkt"
            )
        )
        self.import_button.clicked.connect(actions.import_pupils)
        self.export_button = QPushButton(_tr("Exporteren als &PDF…"))
        self.export_button.setToolTip(
            _tr("Overzicht van de toestemmingen per klas, op briefpapier (locatie of klas)")
        )
        self.export_button.clicked.connect(actions.export_overview)
        # Title and explanation above; the buttons wrap onto a second row on a narrow window
        # instead of squeezing the title.
        # A WrapLayout (see its docstring): the register below takes the spare height.
        toolbar = WrapLayout()
        for widget in (
            self.check_button,
            self.form_button,
            self.import_button,
            self.pupils_button,
            self.export_button,
        ):
            toolbar.addWidget(widget)
        self.layout = top = QVBoxLayout()
        top.setSpacing(4)
        top.addWidget(title)
        top.addWidget(subtitle)
        top.addLayout(toolbar)

        # Only ever hidden here: these buttons have no parent yet, and showing a widget without
        # a parent opens it as a window of its own (which takes the focus from the window).
        if read_only:
            for widget in (self.form_button, self.import_button, self.pupils_button):
                widget.hide()
        for action in (
            self.add_pupil_action,
            self.edit_pupil_action,
            self.import_pupils_action,
            self.import_consents_action,
            self.purposes_action,
            self.settings_action,
        ):
            action.setVisible(not read_only)
            action.setEnabled(not read_only)

    def widgets_on_rows(self) -> tuple[QWidget, ...]:
        """The buttons that work on the rows read: they wait for the rows. The publication
        check stays, it reads the pupils itself meanwhile."""
        return (self.form_button, self.import_button, self.pupils_button, self.export_button)
