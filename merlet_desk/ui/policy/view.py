"""Beleid: the social-media policy, a list of its sections beside the text, with search."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from merlet_desk.domain.policy import Policy, Section, agreement_key, search_sections
from merlet_desk.ui.common.text_highlight import highlighted_html
from merlet_desk.ui.context import NothingUnsaved

KEY_ROLE = Qt.ItemDataRole.UserRole

DOCUMENT_CSS = """
body { font-size: 12pt; color: #1a1a1a; }
h1 { font-size: 18pt; color: #1f3a5f; margin-bottom: 4px; }
p.kicker { color: #5a6b80; font-size: 10pt; margin-top: 0; }
p { line-height: 150%; margin-bottom: 10px; }
li { line-height: 150%; }
"""


class PolicyView(QWidget, NothingUnsaved):
    """The Beleid section. Other sections call `show_agreement(9)` to open an agreement."""

    sectionShown = Signal(str)  # the key of the section now shown

    def __init__(self, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self._words: list[str] = []
        self._current: Section = policy.introduction

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoeken in het beleid (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoeken in het beleid"))
        self.search.textChanged.connect(self.set_search)
        self.search.returnPressed.connect(self._select_first_visible)

        self.section_list = QListWidget()
        self.section_list.setAccessibleName(self.tr("Onderdelen van het beleid"))
        self.section_list.setWordWrap(True)
        self.section_list.currentItemChanged.connect(self._on_item_changed)
        self.no_results = QLabel(self.tr("Niets gevonden."))
        self.no_results.setStyleSheet("color:#5a6b80; padding:6px;")
        self.no_results.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.section_list, 1)
        left_layout.addWidget(self.no_results)

        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.document().setDefaultStyleSheet(DOCUMENT_CSS)
        self.text.document().setDocumentMargin(18)
        self.text.setAccessibleName(self.tr("Tekst van het beleid"))

        self.copy_button = QPushButton(self.tr("&Tekst kopiëren"))
        self.copy_button.setToolTip(self.tr("Kopieer de tekst van dit onderdeel naar het klembord"))
        self.copy_button.clicked.connect(self.copy_current)
        self.export_button = QPushButton(self.tr("&Exporteren als PDF"))
        self.export_button.setToolTip(self.tr("Het hele beleid als hand-out op briefpapier"))
        self.export_button.clicked.connect(self.export_pdf)
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.export_button)
        self.button_row.addWidget(self.copy_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.text, 1)
        right_layout.addLayout(self.button_row)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._fill_list(policy.sections())
        self.show_section(policy.introduction.key)

    # -- list ---------------------------------------------------------------------------------

    def _label(self, section: Section) -> str:
        if section.number is not None:
            return f"{section.number}. {section.summary}"
        return section.title

    def _fill_list(self, sections: list[Section]) -> None:
        self.section_list.blockSignals(True)
        self.section_list.clear()
        bold = QFont(self.section_list.font())
        bold.setBold(True)
        for section in sections:
            item = QListWidgetItem(self._label(section))
            item.setData(KEY_ROLE, section.key)
            item.setToolTip(section.title)
            if section.number is None:
                item.setFont(bold)
            self.section_list.addItem(item)
        self.section_list.blockSignals(False)
        self.no_results.setVisible(not sections)

    def _item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        return None

    def _on_item_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self._show(self.policy.section(item.data(KEY_ROLE)))

    def _select_first_visible(self) -> None:
        if self.section_list.count():
            self.section_list.setCurrentRow(0)

    # -- public API ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F (the window's Ga naar › Zoeken in de lijst)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_search(self, query: str) -> None:
        """Narrow the list to matching sections (best first) and highlight the words."""
        if self.search.text() != query:
            self.search.setText(query)  # re-enters through textChanged
            return
        self._words = query.split()
        matches = search_sections(self.policy, query)
        self._fill_list(matches)
        if matches:
            self.section_list.setCurrentRow(0)
        else:
            self._render()

    def show_section(self, key: str) -> None:
        """Show a section by key ("inleiding", "artikel-9", "veiligheid")."""
        section = self.policy.section(key)
        item = self._item_for(key)
        if item is None:  # hidden by a search: clear the search so it can be shown
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._words = []
            self._fill_list(self.policy.sections())
            item = self._item_for(key)
        self.section_list.blockSignals(True)
        if item is not None:
            self.section_list.setCurrentItem(item)
        self.section_list.blockSignals(False)
        self._show(section)

    def show_agreement(self, number: int) -> None:
        """Open "artikel N"; raises KeyError for a number the policy does not have."""
        self.policy.agreement(number)
        self.show_section(agreement_key(number))

    def current_section(self) -> Section:
        return self._current

    def current_text(self) -> str:
        """What a user sees, as plain text: the heading and the body."""
        section = self._current
        return f"{section.title} — {self.policy.title}\n\n{section.body}"

    def copy_current(self) -> None:
        QGuiApplication.clipboard().setText(self.current_text())

    def export_pdf(self) -> None:
        """The whole policy as the staff hand-out, on the letterhead."""
        from merlet_desk.reports.policy import build_policy_pdf
        from merlet_desk.ui.common.export import export_report

        export_report(
            self,
            self.tr("Beleid sociale media"),
            "beleid-sociale-media.pdf",
            lambda _db, path: build_policy_pdf(self.policy, path),  # reads no database
        )

    # -- rendering ----------------------------------------------------------------------------

    def _show(self, section: Section) -> None:
        self._current = section
        self._render()
        self.sectionShown.emit(section.key)

    def _render(self) -> None:
        section = self._current
        if section.number is not None:
            kicker = self.policy.agreements_heading
        elif section in self.policy.examples:
            kicker = self.policy.examples_heading
        else:
            kicker = self.policy.title
        html = [
            f"<p class='kicker'>{highlighted_html(kicker, [])}</p>",
            f"<h1>{highlighted_html(section.title, self._words)}</h1>",
        ]
        for block in section.paragraphs():
            if isinstance(block, list):
                items = "".join(f"<li>{highlighted_html(b, self._words)}</li>" for b in block)
                html.append(f"<ul>{items}</ul>")
            else:
                html.append(f"<p>{highlighted_html(block, self._words)}</p>")
        self.text.setHtml("".join(html))
