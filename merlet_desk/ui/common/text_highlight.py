"""Turning plain policy text into HTML with search matches highlighted (accent-insensitive)."""

from __future__ import annotations

from html import escape

from merlet_desk.domain.text import fold

HIGHLIGHT_STYLE = "background-color:#ffe066;color:#000000;"


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character spans in `text` where any of the (folded) `words` occurs, merged and sorted."""
    folded = []
    origin = []  # origin[i] = index in `text` of folded character i
    for index, char in enumerate(text):
        for folded_char in fold(char):
            folded.append(folded_char)
            origin.append(index)
    haystack = "".join(folded)
    spans = []
    for word in words:
        word = fold(word)
        if not word:
            continue
        start = haystack.find(word)
        while start != -1:
            end = start + len(word) - 1
            spans.append((origin[start], origin[end] + 1))
            start = haystack.find(word, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted_html(text: str, words: list[str]) -> str:
    """`text` escaped for HTML, with every match wrapped in a highlight span."""
    parts = []
    position = 0
    for start, end in match_spans(text, words):
        parts.append(escape(text[position:start]))
        parts.append(f'<span style="{HIGHLIGHT_STYLE}">{escape(text[start:end])}</span>')
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)
