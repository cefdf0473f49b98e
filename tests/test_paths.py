"""The program finds data/ and resources/ in each install: source or editable, wheel, frozen.

The wheel itself is built, installed and run by packaging/test-wheel.sh (in .ci/run)."""

from __future__ import annotations

from pathlib import Path

from merlet_desk import paths


def make_tree(root: Path, *folders: str) -> None:
    for folder in folders:
        (root / folder).mkdir(parents=True)


def test_source_checkout_uses_the_folders_next_to_the_package(tmp_path):
    make_tree(tmp_path, "merlet_desk", "data", "resources")
    assert paths.find_root(tmp_path / "merlet_desk", None) == tmp_path


def test_wheel_install_uses_the_folders_inside_the_package(tmp_path):
    site = tmp_path / "site-packages"
    make_tree(site, "merlet_desk/data/policy", "merlet_desk/resources/fonts")
    assert paths.find_root(site / "merlet_desk", None) == site / "merlet_desk"


def test_frozen_bundle_uses_its_data_folder(tmp_path):
    make_tree(tmp_path, "_internal/merlet_desk", "_internal/data")
    bundle = tmp_path / "_internal"
    assert paths.find_root(bundle / "merlet_desk", str(bundle)) == bundle


def test_this_install_finds_the_policy_text_and_the_fonts():
    assert paths.data_path("policy", "handreiking-sociale-media-medewerkers.md").is_file()
    assert paths.resource_path("fonts", "DejaVuSans.ttf").is_file()
