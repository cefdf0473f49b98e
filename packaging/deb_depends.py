"""The Debian packages a bundle needs, found the way the loader finds them.

    python packaging/deb_depends.py dist/merlet-desk     # prints "libc6, libegl1, ..."

The Linux bundle carries Python, PySide6's Qt and ICU, but not the distribution's own
libraries (X11/xcb, EGL/GL, fontconfig, glib, dbus, ...): the spec leaves those out so that
security updates reach them. This script reads the direct links (DT_NEEDED) of every ELF file in the
bundle, resolves them with `ldd`, keeps those found outside the bundle, and asks dpkg which
package owns each one. A library
that `ldd` cannot find at all is an error (exit 1): the build machine lacks it, so its package
could not be named (run `scripts/system-deps.sh --display` first).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def elf_files(bundle: Path) -> list[Path]:
    """Every regular ELF file (executable, shared library, plugin) under `bundle`."""
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed(elf: Path) -> set[str]:
    """The libraries `elf` links to directly (DT_NEEDED)."""
    result = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True)
    return {
        line.rsplit("[", 1)[1].rstrip("]")
        for line in result.stdout.splitlines()
        if "(NEEDED)" in line and "[" in line
    }


def system_libraries(bundle: Path) -> tuple[set[str], dict[str, set[str]]]:
    """(paths of libraries outside the bundle that a bundled file links to directly,
    {missing library: {files that need it}}). Only direct links count: apt brings in their
    own dependencies, as dpkg-shlibdeps would."""
    internal = bundle / "_internal"
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        str(p) for p in (internal, internal / "PySide6" / "Qt" / "lib") if p.is_dir()
    )
    outside: set[str] = set()
    missing: dict[str, set[str]] = {}
    root = str(bundle.resolve())
    for elf in elf_files(bundle):
        direct = needed(elf)
        result = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            name, arrow, rest = line.strip().partition("=>")
            name = name.strip()
            if not arrow:
                continue  # the vdso and the dynamic loader itself
            target = rest.strip().split(" (")[0].strip()
            if target == "not found":
                missing.setdefault(name, set()).add(str(elf.relative_to(bundle)))
            elif name in direct and not os.path.realpath(target).startswith(root):
                outside.add(target)
    return outside, missing


def _spellings(path: str) -> list[str]:
    """A path as dpkg may have recorded it: as given, resolved, with and without /usr."""
    candidates = [path, os.path.realpath(path)]
    for candidate in list(candidates):
        candidates.append(candidate[4:] if candidate.startswith("/usr/") else "/usr" + candidate)
    return list(dict.fromkeys(candidates))


def owning_packages(paths: set[str]) -> set[str]:
    """Debian package names owning `paths` (one `dpkg -S` call for all of them)."""
    spellings = {path: _spellings(path) for path in paths}
    everything = sorted({c for cands in spellings.values() for c in cands})
    # dpkg -S exits 1 when some spelling is unknown; the known ones are still printed.
    result = subprocess.run(["dpkg", "-S", *everything], capture_output=True, text=True)
    owner_of: dict[str, str] = {}
    for line in result.stdout.splitlines():
        owners, sep, owned = line.partition(": ")
        if sep and not owners.startswith("diversion"):
            owner_of[owned.strip()] = owners
    packages: set[str] = set()
    unowned = []
    for path, candidates in sorted(spellings.items()):
        owners = next((owner_of[c] for c in candidates if c in owner_of), None)
        if owners is None:
            unowned.append(path)
            continue
        # "libx11-6:amd64" -> "libx11-6"; several owners are comma-separated.
        packages.update(owner.strip().split(":")[0] for owner in owners.split(","))
    if unowned:
        raise SystemExit("geen Debian-pakket gevonden voor: " + ", ".join(unowned))
    return packages


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "dist/merlet-desk")
    outside, missing = system_libraries(bundle)
    if missing:
        for name, users in sorted(missing.items()):
            print(f"niet gevonden: {name} (nodig voor {sorted(users)[0]})", file=sys.stderr)
        return 1
    print(", ".join(sorted(owning_packages(outside))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
