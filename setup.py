"""Package layout of the wheel (everything else is declared in pyproject.toml).

`data/` and `resources/` stay at the top of the repository, where the PyInstaller spec and the
design card want them. A wheel must not install them as top-level `data`/`resources` folders in
site-packages (other projects use those names too), so they go into the package as
`merlet_desk/data/` and `merlet_desk/resources/`; `merlet_desk.paths.app_root()` looks there
first. pyproject.toml cannot map a folder outside the package into it next to automatic package
discovery, hence this file.
"""

from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
BUNDLED = {"merlet_desk.data": "data", "merlet_desk.resources": "resources"}


def bundled_folders() -> dict[str, list[str]]:
    """Each folder under data/ and resources/ as a data-only package, with all its files."""
    packages: dict[str, list[str]] = {}
    for package, folder in BUNDLED.items():
        top = ROOT / folder
        for path in sorted([top, *(p for p in top.rglob("*") if p.is_dir())]):
            name = ".".join([package, *path.relative_to(top).parts])
            packages[name] = ["*"]
    return packages


DATA = bundled_folders()

setup(
    packages=[*find_packages(include=["merlet_desk", "merlet_desk.*"]), *DATA],
    package_dir=BUNDLED,
    # The face detector's model (issue 17) ships inside the package: nothing downloads.
    package_data={**DATA, "merlet_desk.imaging": ["models/*"]},
)
