"""Importing into the register: pupils from the school's administration (Magister,
SOMtoday) and decisions from the parent portal, each checked whole before anything is written,
with a backup first; and the example files that show what such a file must look like.

The section keeps its `import_pupils`/`import_consents` (its menu, Start); this class holds
the steps between choosing the file and reloading the register.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from merlet_desk.domain.text import count_text, number_text
from merlet_desk.errors import InputError
from merlet_desk.store import pupils as pupil_store
from merlet_desk.ui.common import dialogs
from merlet_desk.ui.consent.dialog_parts import show_dialog
from merlet_desk.ui.context import SectionContext

if TYPE_CHECKING:
    from merlet_desk.store.sqlite_utils_import import Database


class RegisterImports:
    """The import steps of the Toestemmingen section. `parent` is the section: the dialogs'
    parent; `reload` loads the register again after an import."""

    def __init__(
        self, context: SectionContext, parent: QWidget, reload: Callable[[], None]
    ) -> None:
        self.context = context
        self.parent = parent
        self.reload = reload
        self.import_dialog: QDialog | None = None  # the pupil or consent import shown last

    @property
    def db(self) -> Database:
        return self.context.db

    @property
    def read_only(self) -> bool:
        return self.context.read_only

    def tr(self, text: str) -> str:
        """Translated in the section's context, where these texts were written."""
        return QCoreApplication.translate("ConsentSection", text)

    def import_pupils(self) -> None:
        if self.read_only:
            return
        path = dialogs.choose_open_path(
            self.parent,
            self.tr("Leerlingen importeren"),
            self.tr("Leerlingbestand (*.csv *.txt *.xlsx);;Alle bestanden (*)"),
            kind="import",
        )
        if path is None:
            return
        self._run_pupil_import(path)

    def import_consents(self) -> None:
        if self.read_only:
            return
        path = dialogs.choose_open_path(
            self.parent,
            self.tr("Toestemmingen importeren"),
            self.tr("Toestemmingenbestand (*.csv *.txt *.xlsx);;Alle bestanden (*)"),
            kind="import",
        )
        if path is None:
            return
        self._run_consent_import(path)

    def _import_failed(self, title: str, exc: InputError) -> None:
        dialogs.show_problems(self.parent, title, exc.message, exc.problems)

    def _read_import_table(self, title: str, path: Path, read: Any) -> Any:
        """The file as a table; a workbook with data on several sheets asks which one."""
        from merlet_desk.imports.tabular import SEVERAL_SHEETS, workbook_sheets

        try:
            return read(path)
        except InputError as exc:
            if SEVERAL_SHEETS not in exc.codes:
                self._import_failed(title, exc)
                return None
        sheet = dialogs.choose_item(
            self.parent,
            title,
            self.tr("Dit bestand heeft gegevens op meer bladen. Welk blad is de export?"),
            workbook_sheets(path),
        )
        if sheet is None:
            return None
        try:
            return read(path, sheet)
        except InputError as exc:
            self._import_failed(title, exc)
            return None

    def _run_pupil_import(self, path: Path) -> bool:
        """Check the whole file first (dry run); columns it does not recognise go to the
        mapping step (`PupilImportDialog`); a file without a location asks for one; then
        import, report the counts and offer to mark absent pupils as left."""
        from merlet_desk.imports import pupils as pupil_import

        title = self.tr("Leerlingen importeren")
        table = self._read_import_table(title, path, pupil_import.read_pupil_table)
        if table is None:
            return False
        location: str | None = None
        try:
            pupil_import.import_pupils(self.db, path, dry_run=True, table=table)
        except InputError as exc:
            if pupil_import.MISSING_COLUMNS in exc.codes:
                self.open_pupil_mapping(path, table)
                return False
            if pupil_import.MISSING_LOCATION not in exc.codes:
                self._import_failed(title, exc)
                return False
            location = dialogs.choose_item(
                self.parent,
                title,
                self.tr(
                    "Dit bestand heeft geen kolom locatie. Van welke locatie zijn deze leerlingen?"
                ),
                list(pupil_store.known_locations()),
            )
            if location is None:
                return False
        if not self._backup_before_import(title):
            return False
        try:
            result = pupil_import.import_pupils(self.db, path, location, table=table)
        except InputError as exc:
            self._import_failed(title, exc)
            return False
        self._after_pupil_import(result)
        return True

    def open_pupil_mapping(self, path: Path, table: Any) -> QDialog:
        """The mapping step: which column is which, with a preview (remembered per set of
        headers, so the next file from the same system imports without it)."""
        from merlet_desk.ui.consent.import_dialog import PupilImportDialog

        title = self.tr("Leerlingen importeren")
        dialog = PupilImportDialog(
            self.db, path, table, lambda: self._backup_before_import(title), self.parent
        )
        dialog.imported.connect(self._after_pupil_import)
        self.import_dialog = dialog
        return show_dialog(dialog)

    def _after_pupil_import(self, result: Any) -> None:
        title = self.tr("Leerlingen importeren")
        self.reload()
        dialogs.show_info(self.parent, title, pupil_import_summary(result))
        absent = list(result.absent_numbers)
        if absent and dialogs.ask_yes_no(
            self.parent,
            title,
            count_text(
                len(absent),
                self.tr(
                    "1 leerling van %2 staat in het register maar niet in dit bestand. Is hij of "
                    "zij van school af? Kies Ja om de leerling vandaag als vertrokken te markeren "
                    "(de gegevens blijven bewaard tot de bewaartermijn voorbij is)."
                ),
                self.tr(
                    "%1 leerlingen van %2 staan in het register maar niet in dit bestand. Zijn zij "
                    "van school af? Kies Ja om ze vandaag als vertrokken te markeren (hun gegevens "
                    "blijven bewaard tot de bewaartermijn voorbij is)."
                ),
            ).replace("%2", ", ".join(result.locations)),
        ):
            try:
                pupil_store.mark_pupils_left(self.db, absent)
            except InputError as exc:
                self._import_failed(title, exc)
            self.reload()

    def _backup_before_import(self, title: str) -> bool:
        """A backup before every import, so a wrong but valid file can be undone."""
        from merlet_desk.store import StoreError
        from merlet_desk.store.backup import backup_before

        try:
            backup_before(self.db, "voor-import")
        except StoreError as exc:
            dialogs.show_error(self.parent, title, str(exc))
            return False
        return True

    def _run_consent_import(self, path: Path) -> QDialog | None:
        """The import dialog: the file's columns, the first rows as read and what the import
        changes, before anything is written (`ConsentImportDialog`)."""
        from merlet_desk.imports import consents as consent_import
        from merlet_desk.ui.consent.import_dialog import ConsentImportDialog

        title = self.tr("Toestemmingen importeren")
        table = self._read_import_table(title, path, consent_import.read_consent_table)
        if table is None:
            return None
        dialog = ConsentImportDialog(
            self.db,
            path,
            table,
            lambda: self._backup_before_import(title),
            self.parent,
            tasks=self.context.tasks,
        )
        dialog.imported.connect(self._after_consent_import)
        self.import_dialog = dialog
        return show_dialog(dialog)

    def _after_consent_import(self, result: Any) -> None:
        self.reload()
        dialogs.show_info(
            self.parent, self.tr("Toestemmingen importeren"), consent_import_summary(result)
        )

    def save_example_file(self) -> Path | None:
        """Voorbeeldbestand opslaan: what a pupil export or a consent file must look like."""
        from merlet_desk.imports import examples
        from merlet_desk.ui.consent.import_dialog import save_example

        choices = {
            self.tr("Leerlingen (export uit Magister of SOMtoday)"): examples.PUPILS,
            self.tr("Toestemmingen uit het ouderportaal (een kolom per doel)"): examples.CONSENTS,
            self.tr("Toestemmingen, één rij per besluit"): examples.CONSENTS_LONG,
        }
        title = self.tr("Voorbeeldbestand opslaan")
        chosen = dialogs.choose_item(self.parent, title, self.tr("Welk voorbeeld?"), list(choices))
        if chosen is None:
            return None
        return save_example(self.parent, self.db, choices[chosen])


def pupil_import_summary(result: object) -> str:
    """ "Import gelukt: 12 toegevoegd, 3 bijgewerkt (klas 3), 480 ongewijzigd.", and the
    warning when the file could not hold some names (those were kept)."""
    changed = getattr(result, "changed_text", lambda: "")()
    text = (
        QCoreApplication.translate(
            "consent", "Import gelukt: %1 toegevoegd, %2 bijgewerkt%4, %3 ongewijzigd."
        )
        .replace("%1", number_text(getattr(result, "added", 0)))
        .replace("%2", number_text(getattr(result, "updated", 0)))
        .replace("%3", number_text(getattr(result, "unchanged", 0)))
        .replace("%4", f" ({changed})" if changed else "")
    )
    kept = getattr(result, "names_kept_text", lambda: "")()
    return f"{text}\n\n{kept}" if kept else text


def consent_import_summary(result: object) -> str:
    """ "Import gelukt: 40 besluiten vastgelegd, 2 stonden er al." and, when there are, the
    conflicts left for the officer and the publications that must now come down."""
    added, present = getattr(result, "added", 0), getattr(result, "already_present", 0)
    text = (
        QCoreApplication.translate("consent", "Import gelukt: %1, %2.")
        .replace(
            "%1",
            count_text(
                added,
                QCoreApplication.translate("consent", "1 besluit vastgelegd"),
                QCoreApplication.translate("consent", "%1 besluiten vastgelegd"),
            ),
        )
        .replace(
            "%2",
            count_text(
                present,
                QCoreApplication.translate("consent", "1 stond er al"),
                QCoreApplication.translate("consent", "%1 stonden er al"),
            ),
        )
    )
    conflicts = len(getattr(result, "conflicts", ()))
    if conflicts:
        text += " " + count_text(
            conflicts,
            QCoreApplication.translate(
                "consent",
                "1 antwoord is niet overgenomen: het register heeft een nieuwer besluit. Kijk "
                "het na in het register.",
            ),
            QCoreApplication.translate(
                "consent",
                "%1 antwoorden zijn niet overgenomen: het register heeft een nieuwer besluit. "
                "Kijk ze na in het register.",
            ),
        )
    takedowns = len(getattr(result, "takedowns", ()))
    if takedowns:
        text += " " + count_text(
            takedowns,
            QCoreApplication.translate(
                "consent", "1 publicatie moet offline: zie Publicaties › Te verwijderen."
            ),
            QCoreApplication.translate(
                "consent", "%1 publicaties moeten offline: zie Publicaties › Te verwijderen."
            ),
        )
    return text
