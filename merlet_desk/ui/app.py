"""Creating the QApplication: names, icon, translations."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from merlet_desk import APP_NAME, ORG_NAME
from merlet_desk.paths import resource_path
from merlet_desk.ui.common import garbage


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (64, 256):
        icon.addFile(str(resource_path("icons", f"merlet-desk-{size}.png")))
    return icon


class _QtGaps(QTranslator):
    """The few texts of Qt's own file dialog that Qt's Dutch catalogue (qtbase_nl) lacks: its
    .ui file gained Alt-letters ("&Look in:", "Files of &type:") that the catalogue never
    caught up with, so a Dutch file dialog said "Look in" and "Files of type"."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "&Zoeken in:",
        ("QFileDialog", "Files of &type:"): "Bestands&type:",
    }

    def translate(  # Qt API
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None (a null string) lets Qt ask the next catalogue; "" would blank the text.
        return self.TEXTS.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False


def _install_translators(app: QApplication) -> None:
    """Dutch is the source language. An `merlet_desk_<lang>.qm` in resources/translations/
    (e.g. English) is loaded when the system language asks for it. Qt's own texts (the buttons
    of a message box, the file dialog) follow the language the program speaks: Dutch unless our
    translation for the system language was found, so an English Windows does not show "Yes"
    and "Cancel" in a Dutch program."""
    ours = QTranslator(app)
    if ours.load(QLocale.system(), "merlet_desk", "_", str(resource_path("translations"))):
        app.installTranslator(ours)
        ui_locale = QLocale.system()
    else:
        ui_locale = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
    qt_base = QTranslator(app)
    if qt_base.load(
        ui_locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_base)
    if ui_locale.language() == QLocale.Language.Dutch:
        app.installTranslator(_QtGaps(app))  # searched first: the last installed is


def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused when it already exists, as in tests)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or ["merlet-desk"])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    # No setApplicationVersion: nothing reads it, and the lookup (importlib.metadata) cost
    # the start-up 30 ms; Help > Over shows merlet_desk.__version__.
    app.setWindowIcon(app_icon())
    # Dates, numbers and Qt's own dialogs in Dutch, whatever the machine's locale.
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    _install_translators(app)
    garbage.install()  # cyclic garbage is collected from the event loop, never inside Qt's code
    return app
