"""Qt's own texts (message box buttons) speak the program's language, not the machine's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json
from merlet_desk.ui.app import create_application
from PySide6.QtWidgets import QDialogButtonBox
app = create_application()
box = QDialogButtonBox(
    QDialogButtonBox.StandardButton.Yes
    | QDialogButtonBox.StandardButton.No
    | QDialogButtonBox.StandardButton.Cancel
)
print(json.dumps(sorted(button.text().replace("&", "") for button in box.buttons())))
"""


def button_texts(language: str) -> list[str]:
    env = dict(os.environ, LANG=language, LC_ALL=language, LANGUAGE="", QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_english_machine_gets_dutch_buttons_in_the_dutch_program():
    assert button_texts("en_US.UTF-8") == ["Annuleren", "Ja", "Nee"]


def test_dutch_machine_gets_dutch_buttons():
    assert button_texts("nl_NL.UTF-8") == ["Annuleren", "Ja", "Nee"]


FILE_DIALOG = """
import json
from merlet_desk.ui.app import create_application
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
app = create_application()
texts = []
for accept in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
    dialog = QFileDialog(None, "Leerlingen importeren", ".", "CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(accept)
    dialog.show()
    app.processEvents()
    texts += [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)]
print(json.dumps(sorted(set(t for t in texts if t))))
"""


def test_qts_file_dialog_speaks_dutch_on_an_english_machine():
    env = dict(os.environ, LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8", LANGUAGE="")
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run(
        [sys.executable, "-c", FILE_DIALOG], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [
        "&Openen",
        "&Zoeken in:",
        "Annuleren",
        "Bestands&naam:",
        "Bestands&type:",
        "Op&slaan",
    ]
