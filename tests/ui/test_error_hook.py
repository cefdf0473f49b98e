"""An error nobody handled reaches the user as a Dutch message, not only stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from merlet_desk import logs, sqlite_driver
from merlet_desk.ui.error_hook import describe

SCRIPT = """
import json
from merlet_desk import sqlite_driver
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication([])
from merlet_desk import logs
from merlet_desk.ui import error_hook
logs.setup()
shown = []
error_hook.install(lambda title, text: shown.append([title, text]))
button = QPushButton()
def save():
    raise sqlite_driver.OperationalError("database or disk is full")
button.clicked.connect(save)
button.click()
print(json.dumps(shown))
"""


def test_database_error_in_a_button_is_shown_in_dutch():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    [[title, text]] = json.loads(run.stdout.strip().splitlines()[-1])
    assert title == "Database niet bijgewerkt"
    assert "database or disk is full" in text and "niet opgeslagen" in text
    assert "OperationalError" in run.stderr  # the traceback still goes to stderr
    logged = logs.log_path().read_text(encoding="utf-8")  # and to the log file IT reads
    assert "ERROR merlet_desk.ui.error_hook: Onverwachte fout\nTraceback" in logged
    assert ", in save\n" in logged  # the frame (the script has no source file to quote)
    assert logged.rstrip().endswith("OperationalError: database or disk is full")


def test_other_errors_ask_to_tell_it():
    title, text = describe(KeyError("website"))
    assert title == "Onverwachte fout"
    assert "KeyError" in text and "Meld dit aan ICT" in text
    title, _ = describe(sqlite_driver.DatabaseError("file is not a database"))
    assert title == "Database niet bijgewerkt"
