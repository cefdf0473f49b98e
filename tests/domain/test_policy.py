"""The policy file parses into the introduction, exactly 14 agreements and the examples,
with texts that match the original document."""

from __future__ import annotations

import re

import pytest

from merlet_desk.domain.policy import PolicyFormatError, parse_policy, search_sections
from merlet_desk.paths import data_path
from tests.conftest import SEED_POLICY


@pytest.fixture(scope="module")
def policy():
    return parse_policy(
        data_path("policy", "handreiking-sociale-media-medewerkers.md").read_text("utf-8")
    )


def source_agreements() -> dict[int, str]:
    """The agreements straight from the original text: numbered lines, continued across the
    page break, with the repeated letterhead lines dropped."""
    text = SEED_POLICY.read_text(encoding="utf-8")
    part = text.split("Afspraken bij het gebruik van internet en sociale media", 1)[1]
    part = part.split("\nAlgemeen\n", 1)[0]
    found: dict[int, str] = {}
    current = None
    for line in part.splitlines():
        line = line.strip()
        if not line or line.replace(" ", "") == "MERLETCOLLEGE":
            continue
        match = re.match(r"(\d+)\. (.*)", line)
        if match:
            current = int(match.group(1))
            found[current] = match.group(2)
        else:
            found[current] += " " + line
    return found


def test_exactly_fourteen_agreements_matching_the_source(policy):
    source = source_agreements()
    assert [a.number for a in policy.agreements] == list(range(1, 15))
    assert len(source) == 14
    for agreement in policy.agreements:
        assert agreement.body == source[agreement.number]


def test_agreement_nine_is_joined_across_the_page_break(policy):
    nine = policy.agreement(9).body
    assert nine.startswith("Je respecteert elkaars privacy.")
    assert nine.endswith("negatieve gevolgen van kunnen ondervinden.")
    assert "MERLET" not in nine


def test_introduction_and_examples(policy):
    assert policy.title.startswith("Handreiking gebruik communicatiemiddelen")
    assert policy.introduction.title == "Inleiding"
    assert policy.introduction.body.startswith("Sociale media kunnen een goede bijdrage")
    assert [e.title for e in policy.examples] == ["Kennisdeling", "Veiligheid"]
    veiligheid = policy.section("veiligheid")
    assert veiligheid.paragraphs()[-1] == [
        "Kleineren van leraren of leerlingen via YouTube filmpjes",
        "Dreigtweets van leerlingen",
        "Digitale seksuele intimidatie of beschuldiging ervan.",
    ]


def test_no_letterhead_footer_in_any_section(policy):
    for section in policy.sections():
        assert "Postbus 47" not in section.body
        assert "IBAN" not in section.body


def test_search_toestemming_finds_agreement_nine_first(policy):
    results = search_sections(policy, "toestemming")
    assert results[0].number == 9


def test_search_ignores_case_and_accents(policy):
    # "privémening" (12) and "privé en school" (Veiligheid); the agreement ranks first
    assert [s.key for s in search_sections(policy, "PRIVE")] == ["artikel-12", "veiligheid"]
    assert [s.key for s in search_sections(policy, "Privé Ouders")] == ["veiligheid"]
    assert search_sections(policy, "geen-woord-dat-bestaat") == []


def test_malformed_policy_is_refused():
    with pytest.raises(PolicyFormatError, match="afspraak 2 verwacht"):
        parse_policy(
            "# T\n\n## Inleiding\n\nx\n\n## Afspraken\n\n### 1\n\na\n\n### 3\n\nc\n\n## V\n"
        )
    with pytest.raises(PolicyFormatError, match="3 delen"):
        parse_policy("# T\n\n## Inleiding\n\nx\n")
