"""The social-media policy (Handreiking) as structured data, parsed from its Markdown file.

Format: optional front matter (`version: 1`), `# Title`, then three `##` parts: the
introduction, the agreements (each a `### N` heading) and the practical examples (each a
`### Title`). Paragraphs are separated by blank lines; lines starting with `- ` are list items.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from merlet_desk.domain.text import fold, slug
from merlet_desk.paths import data_path

INTRODUCTION_KEY = "inleiding"


@dataclass(frozen=True)
class Section:
    """A part of the policy a user can open: the introduction, an agreement or an example."""

    key: str  # stable address: "inleiding", "artikel-9", "kennisdeling"
    title: str  # as shown in the list, e.g. "Afspraak 9" or "Kennisdeling"
    body: str  # paragraphs separated by blank lines; "- " starts a list item
    number: int | None = None  # agreement number, None for other sections

    def paragraphs(self) -> list[str | list[str]]:
        """Blocks of the body: a string per paragraph, a list of strings per bullet list."""
        blocks: list[str | list[str]] = []
        for chunk in re.split(r"\n\s*\n", self.body.strip()):
            lines = [line.strip() for line in chunk.splitlines() if line.strip()]
            if lines and all(line.startswith("- ") for line in lines):
                blocks.append([line[2:].strip() for line in lines])
            elif lines:
                blocks.append(" ".join(lines))
        return blocks

    @property
    def summary(self) -> str:
        """The first sentence, for a list entry."""
        first = self.body.strip().split("\n")[0]
        match = re.match(r"(.+?[.!?])(\s|$)", first)
        sentence = match.group(1) if match else first
        return sentence if len(sentence) <= 90 else sentence[:87].rstrip() + "…"


@dataclass(frozen=True)
class Policy:
    title: str
    version: str | None
    introduction: Section
    agreements_heading: str
    agreements: tuple[Section, ...]
    examples_heading: str
    examples: tuple[Section, ...] = field(default_factory=tuple)

    def sections(self) -> list[Section]:
        """Every section in reading order."""
        return [self.introduction, *self.agreements, *self.examples]

    def agreement(self, number: int) -> Section:
        for section in self.agreements:
            if section.number == number:
                return section
        raise KeyError(f"afspraak {number} bestaat niet in dit beleid")

    def section(self, key: str) -> Section:
        for section in self.sections():
            if section.key == key:
                return section
        raise KeyError(key)


class PolicyFormatError(ValueError):
    """The policy file does not have the expected structure."""


def agreement_key(number: int) -> str:
    return f"artikel-{number}"


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    meta: dict[str, str] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise PolicyFormatError("front matter zonder afsluitende ---")
        for line in text[4:end].splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                meta[key.strip()] = value.strip()
        text = text[end + 4 :]
    return meta, text


def parse_policy(text: str) -> Policy:
    """Parse the policy Markdown. Raises PolicyFormatError when a part is missing."""
    meta, body = _split_front_matter(unicodedata.normalize("NFC", text))
    title = None
    parts: list[tuple[str, list[tuple[str, list[str]]], list[str]]] = []
    for line in body.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
        elif line.startswith("## "):
            parts.append((line[3:].strip(), [], []))
        elif line.startswith("### "):
            if not parts:
                raise PolicyFormatError(f"kop '{line}' staat niet onder een ##-deel")
            parts[-1][1].append((line[4:].strip(), []))
        elif parts:
            target = parts[-1][1][-1][1] if parts[-1][1] else parts[-1][2]
            target.append(line)
    if title is None:
        raise PolicyFormatError("de titel (# ...) ontbreekt")
    if len(parts) != 3:
        raise PolicyFormatError(
            f"verwacht 3 delen (inleiding, afspraken, voorbeelden), gevonden: {len(parts)}"
        )

    def body_of(lines: list[str]) -> str:
        return "\n".join(lines).strip()

    (intro_title, _, intro_lines), (agr_title, agr_items, _), (ex_title, ex_items, _) = parts
    agreements = []
    for expected, (heading, lines) in enumerate(agr_items, start=1):
        if not heading.isdigit() or int(heading) != expected:
            raise PolicyFormatError(f"afspraak {expected} verwacht, gevonden: '### {heading}'")
        agreements.append(
            Section(agreement_key(expected), f"Afspraak {expected}", body_of(lines), expected)
        )
    examples = tuple(Section(slug(heading), heading, body_of(lines)) for heading, lines in ex_items)
    return Policy(
        title=title,
        version=meta.get("version"),
        introduction=Section(INTRODUCTION_KEY, intro_title, body_of(intro_lines)),
        agreements_heading=agr_title,
        agreements=tuple(agreements),
        examples_heading=ex_title,
        examples=examples,
    )


def search_sections(policy: Policy, query: str) -> list[Section]:
    """Sections that contain every word of `query`, the best match first.

    Agreements come before the introduction and the examples (they are what staff look up),
    then sections with more hits; ties keep reading order.
    """
    words = fold(query).split()
    if not words:
        return policy.sections()
    scored = []
    for order, section in enumerate(policy.sections()):
        haystack = fold(f"{section.title} {section.body}")
        if all(word in haystack for word in words):
            hits = sum(haystack.count(word) for word in words)
            scored.append((section.number is None, -hits, order, section))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored]


@lru_cache(maxsize=1)
def agreement_titles() -> dict[int, str]:
    """A short title per agreement number ("Privacy en toestemming" for 9), from
    `data/policy/short-titles.json`, for where the whole text does not fit."""
    raw = json.loads(data_path("policy", "short-titles.json").read_text(encoding="utf-8"))
    return {int(number): str(title) for number, title in raw["titles"].items()}
