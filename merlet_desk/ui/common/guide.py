"""Help › Handleiding: a short guide in the program, per section, from `data/guide.md`.

The guide's `## ` headings are the sections of the navigation (and Extra); the dialog lists
them on the left and opens at the section the officer is in (F1)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.paths import data_path
from merlet_desk.ui.common.screen import fit_to_screen


@dataclass(frozen=True)
class GuideTopic:
    title: str
    text: str  # Markdown


def guide_topics() -> list[GuideTopic]:
    """The guide's introduction (its own title) and one topic per `## ` heading."""
    lines = data_path("guide.md").read_text(encoding="utf-8").splitlines()
    topics: list[GuideTopic] = []
    title, body = "", list[str]()
    for line in lines:
        if line.startswith(("# ", "## ")):
            if title:
                topics.append(GuideTopic(title, "\n".join(body).strip()))
            title, body = line.split(" ", 1)[1].strip(), []
        else:
            body.append(line)
    if title:
        topics.append(GuideTopic(title, "\n".join(body).strip()))
    return topics


class GuideDialog(QDialog):
    """The topics on the left, the chosen one on the right."""

    def __init__(self, topic: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handleiding"))
        self.topics = guide_topics()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Onderwerpen"))
        self.list.addItems([t.title for t in self.topics])
        self.list.setFixedWidth(200)
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Uitleg"))
        self.text.setOpenExternalLinks(False)
        self.list.currentRowChanged.connect(self._show)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Sluiten"))
        row = QHBoxLayout()
        row.addWidget(self.list)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 860, 600)
        titles = [t.title.casefold() for t in self.topics]
        self.list.setCurrentRow(titles.index(topic.casefold()) if topic.casefold() in titles else 0)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.topics):
            topic = self.topics[row]
            self.text.setMarkdown(f"## {topic.title}\n\n{topic.text}")

    def shown_text(self) -> str:
        """The topic shown, as plain text."""
        return self.text.toPlainText()
