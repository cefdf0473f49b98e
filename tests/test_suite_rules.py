"""The test suite's own rules (issue 19, part 5): shared set-up lives in tests/helpers/ or a
conftest fixture, never in another test module; the window is opened in one place; a
screenshot goes to the test's tmp_path, and only when asked for (`tests.helpers.screenshot`,
MERLET_TEST_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def _test_files():
    return [p for p in sorted(TESTS.rglob("test_*.py")) if p.name != Path(__file__).name]


def test_no_test_module_imports_another():
    found = [
        f"{path.relative_to(TESTS)}: {match.group(0)}"
        for path in _test_files()
        for match in re.finditer(
            r"from tests\.(?!helpers\b|conftest\b)\S+ import", path.read_text("utf-8")
        )
    ]
    assert found == []


def test_the_main_window_is_opened_by_the_helpers():
    """open_window/open_section/open_register; a test of launching builds it otherwise."""
    found = [
        str(path.relative_to(TESTS))
        for path in _test_files()
        if re.search(r"\bMainWindow\((db|ro|read_only|self)\b", path.read_text("utf-8"))
    ]
    assert found == []


def test_screenshots_go_to_tmp_path():
    found = [
        f"{path.relative_to(TESTS)}: {match.group(0)}"
        for path in _test_files()
        for match in re.finditer(r"\.save\(\s*[\"']/", path.read_text("utf-8"))
    ]
    assert found == []


def test_screenshots_only_when_asked_for():
    """A test that takes a picture to look at calls `screenshot()`, which saves it only with
    MERLET_TEST_SCREENSHOTS set; no test grabs and saves one on every run."""
    found = [
        f"{path.relative_to(TESTS)}: {match.group(0)}"
        for path in _test_files()
        for match in re.finditer(r"\.grab\([^)]*\)\.save\(", path.read_text("utf-8"))
    ]
    assert found == []
