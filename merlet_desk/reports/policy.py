"""The policy itself as the staff hand-out: introduction, the numbered agreements, examples."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from reportlab.platypus import Flowable, KeepTogether

from merlet_desk.domain.policy import Policy, Section
from merlet_desk.reports.common import bullet_list, heading, para, spacer
from merlet_desk.reports.letterhead import build_pdf
from merlet_desk.store.policy_store import current_policy
from merlet_desk.store.sqlite_utils_import import Database

TITLE = "Beleid sociale media — handreiking voor medewerkers"


def _section_flowables(section: Section, title: str) -> list[Flowable]:
    blocks: list[Flowable] = []
    for block in section.paragraphs():
        if isinstance(block, list):
            blocks.extend(bullet_list(block))
        else:
            blocks.append(para(block))
        blocks.append(spacer(3))
    head = heading(title, 3)
    # Keep the heading with its first paragraph so it never ends a page alone.
    return [KeepTogether([head, *blocks[:2]]), *blocks[2:]]


def policy_story(policy: Policy) -> list[Flowable]:
    """The flowables of the hand-out (also used to show agreements inside other reports)."""
    story: list[Flowable] = [heading(policy.title, 1)]
    if policy.version:
        story.append(para(f"Versie {policy.version}", "muted"))
    story.append(spacer(4))
    story.append(heading(policy.introduction.title, 2))
    for block in policy.introduction.paragraphs():
        story.extend(bullet_list(block) if isinstance(block, list) else [para(block)])
        story.append(spacer(3))
    story.append(heading(policy.agreements_heading, 2))
    for section in policy.agreements:
        story.extend(_section_flowables(section, section.title))
    if policy.examples:
        story.append(heading(policy.examples_heading, 2))
        for section in policy.examples:
            story.extend(_section_flowables(section, section.title))
    return story


def agreement_flowables(policy: Policy, numbers: Sequence[int]) -> list[Flowable]:
    """The text of the given agreements (unknown numbers are named, not dropped)."""
    story: list[Flowable] = []
    for number in numbers:
        try:
            section = policy.agreement(number)
        except KeyError:
            story.append(para(f"Afspraak {number}: komt niet voor in het huidige beleid.", "muted"))
            continue
        story.extend(_section_flowables(section, section.title))
    return story


def build_policy_report(
    db: Database,
    path: str | os.PathLike[str],
    *,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write the current policy as a letterhead PDF to `path`; returns the page count."""
    return build_policy_pdf(current_policy(db), path, made_by=made_by, made_at=made_at)


def build_policy_pdf(
    policy: Policy,
    path: str | os.PathLike[str],
    *,
    made_by: str | None = None,
    made_at: datetime | None = None,
) -> int:
    """Write `policy` (as already loaded, e.g. by the viewer) as a letterhead PDF."""
    return build_pdf(
        path,
        TITLE,
        policy_story(policy),
        location=None,
        made_by=made_by,
        made_at=made_at,
        subject=policy.title,
    )
