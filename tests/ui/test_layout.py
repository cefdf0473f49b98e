"""The UI is grouped by section: a section talks to the window and to ui/common/, never to
another section's internals (issue 14). Read from the source, so a lazy import inside a
function counts as much as one at the top of a module."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.source import imported_modules

UI = Path(__file__).resolve().parents[2] / "merlet_desk" / "ui"
SECTIONS = ("start", "policy", "consent", "publications", "cases", "reports", "safety")
WINDOW_MODULES = {
    "seats",
    "roles",
    "app",
    "context",
    "launch",
    "main_window",
    "opening",
    "sections",
    "error_hook",
    "pyside_start",
}


def owner(module: str) -> str | None:
    """The UI package a dotted module belongs to: a section, 'common', 'window' or None."""
    parts = module.split(".")
    if parts[:2] != ["merlet_desk", "ui"] or len(parts) < 3:
        return None
    if parts[2] in SECTIONS or parts[2] == "common":
        return parts[2]
    if parts[2] in WINDOW_MODULES:
        return "window"
    return None


def violations(ui: Path = UI) -> list[str]:
    found = []
    for path in sorted(ui.rglob("*.py")):
        relative = path.relative_to(ui)
        home = relative.parts[0] if len(relative.parts) > 1 else "window"
        if home == "window":
            continue  # the window builds the sections; it may import them
        reported: set[int] = set()
        for line, module in imported_modules(path):
            target = owner(module)
            if target is None or target == home or target == "window" or line in reported:
                continue
            reported.add(line)
            if home == "common" and target != "common":
                found.append(f"ui/{relative}:{line}: common imports section {module}")
            elif target != "common":
                found.append(f"ui/{relative}:{line}: imports another section's {module}")
    return found


def test_every_section_has_its_package():
    for name in (*SECTIONS, "common"):
        assert (UI / name / "__init__.py").is_file(), name
    flat = sorted(p.stem for p in UI.glob("*.py") if p.stem != "__init__")
    assert set(flat) == WINDOW_MODULES, "only the window's modules stay at the top of ui/"


def test_sections_talk_only_to_the_window_and_common():
    assert violations() == []


def test_the_check_sees_a_cross_section_import(tmp_path):
    # The rule above is only worth something if it catches the imports it forbids.
    fake = tmp_path / "ui"
    (fake / "publications").mkdir(parents=True)
    (fake / "common").mkdir()
    (fake / "publications" / "dialog.py").write_text(
        "def f():\n    from merlet_desk.ui.consent.widgets import DateField\n"
        "from merlet_desk.ui.common.widgets import PupilPicker\n"
    )
    (fake / "common" / "helper.py").write_text("from merlet_desk.ui import cases\n")
    assert violations(fake) == [
        "ui/common/helper.py:1: common imports section merlet_desk.ui.cases",
        "ui/publications/dialog.py:2: imports another section's merlet_desk.ui.consent.widgets",
    ]
