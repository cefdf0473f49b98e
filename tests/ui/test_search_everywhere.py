"""One fold for every search box (issue 19, part 2): typing "ozturk", "lecka" or "oster" finds
Berkay Öztürk, Zofia Łęcka and Søren Østergaard in every section that searches, and nobody
else. Before, the case search folded "Öztürk" to "öztürk" and the policy search kept "ł" and
"ø", so the same word found a pupil in one section and not in the next."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.domain.people import sort_key
from merlet_desk.domain.publications import publish_checklist
from merlet_desk.store import consent_settings as settings_store
from merlet_desk.store import decisions as decision_store
from merlet_desk.store import items as item_store
from merlet_desk.store import publications as pub
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.policy_store import add_policy_version
from merlet_desk.ui.common.widgets import PupilPicker
from merlet_desk.ui.consent.reminders import ReminderModel
from merlet_desk.ui.publications.items_model import COL_TITLE
from tests.helpers import (
    TODAY,
    add_case,
    born_aged,
    open_section,
    proxy_texts,
    wait_for_register,
)

POLICY = Path(__file__).parents[2] / "data" / "policy" / "handreiking-sociale-media-medewerkers.md"
# number, first name, prefix, last name; the first three are what the searches look for.
PUPILS = [
    ("2001", "Berkay", "", "Öztürk"),
    ("2002", "Zofia", "", "Łęcka"),
    ("2003", "Søren", "", "Østergaard"),
    ("2004", "Joëlle", "van den", "Broek"),
    ("2005", "Meryem", "", "Boujdaini"),
]
SEARCHES = {"ozturk": "Öztürk", "lecka": "Łęcka", "oster": "Østergaard"}


def found(texts: list[str]) -> set[str]:
    """Which of the searched-for surnames occur in these shown texts."""
    return {last for last in SEARCHES.values() if any(last in text for text in texts)}


@pytest.fixture
def school(db):
    """Every pupil in the register, on a photo of their own that was published and must now
    come down (withdrawn), in a case summary, and in a policy example."""
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    checklist = [entry.agreement for entry in publish_checklist()]
    for number, first, prefix, last in PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born_aged(12), "2A", "Cuijk")
        decision_store.record_decision(
            db, number, "website", rules.GRANTED, rules.PARENT, "Ayşe & co", TODAY - timedelta(9)
        )
        item = item_store.create_item(
            db, f"Foto {number} <klas 2A>", pupil_numbers=[number], taken_on=TODAY - timedelta(8)
        )
        pub.publish(db, item.id, "website", TODAY - timedelta(7), "site", checklist=checklist)
        decision_store.record_decision(
            db, number, "website", rules.WITHDRAWN, rules.PARENT, "Ayşe", TODAY - timedelta(6)
        )
        add_case(db, summary=f"Filmpje over {first} {last} & klas")
    examples = "".join(
        f"\n### Voorbeeld {last}\n\nOver {first} {last}.\n" for *_, first, _, last in PUPILS
    )
    add_policy_version(db, "met namen", POLICY.read_text(encoding="utf-8") + examples)
    return db


@pytest.mark.parametrize("typed", sorted(SEARCHES))
def test_every_search_box_finds_the_same_pupil(qtbot, school, db_path, typed):
    wanted = {SEARCHES[typed]}
    window, policy = open_section(qtbot, school, db_path, "beleid")
    policy.search.setText(typed)
    shown = [policy.section_list.item(i) for i in range(policy.section_list.count())]
    assert found([item.text() for item in shown if not item.isHidden()]) == wanted

    register = window.show_section("toestemmingen")
    wait_for_register(qtbot, register)
    register.filters.search.setText(typed)
    assert found(proxy_texts(register.proxy, 1)) == wanted

    reminders = register.show_reminders().no_record
    reminders.search.setText(typed)
    assert reminders.proxy.rowCount() > 0
    assert found(proxy_texts(reminders.proxy, ReminderModel.HEADERS.index("Naam"))) == wanted

    publications = window.show_section("publicaties")
    items = publications.items_tab
    items.filter.setText(typed)
    titles = proxy_texts(items.proxy, COL_TITLE)
    assert [title.split()[1] for title in titles] == [
        number for number, *_, last in PUPILS if last in wanted
    ]
    takedowns = publications.takedowns
    takedowns.search.setText(typed)
    pupils = [
        row[0]
        for position in range(len(takedowns.rows_text()))
        for row in takedowns.pupils_text(position)
    ]
    assert found(pupils) == wanted

    cases = window.show_section("incidenten").list_view
    cases.text.setText(typed)
    cases.refresh()
    assert found([row.summary for row in cases.model.rows()]) == wanted

    picker = PupilPicker(
        pupil_store.list_pupils(school)
    )  # publication check, form entry, photo pupils
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker, typed)
    assert found(picker.shown_choices()) == wanted
    assert found([p.name for p in pupil_store.search_pupils(school, typed)]) == wanted


def test_the_register_sorts_names_as_the_search_folds_them(school):
    """The sort key is `fold` too: Łęcka sorts with Le, Østergaard and Öztürk with O."""
    names = [p.last_name for p in sorted(pupil_store.list_pupils(school), key=lambda p: p.sort_key)]
    assert names == ["Boujdaini", "Broek", "Łęcka", "Østergaard", "Öztürk"]
    assert [sort_key(first, prefix, last)[0] for _, first, prefix, last in PUPILS[:3]] == [
        "ozturk",
        "lecka",
        "ostergaard",
    ]


def test_fold_lives_in_one_place():
    """No module but domain/text.py decomposes accents itself (a second fold would drift)."""
    root = Path(__file__).parents[2] / "merlet_desk"
    others = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if '"NFKD"' in path.read_text(encoding="utf-8") and path.name != "text.py"
    ]
    assert others == []
