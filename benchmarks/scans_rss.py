"""Figures 9f and 9g: peak memory (RSS) of `merlet-desk import-scans` reading the 1,000-page stack.

Run as a subprocess: `python scans_rss.py FOLDER [--unrecognised]` runs the command line exactly
as a user does (`merlet_desk.cli.main(["import-scans", <the ten PDFs>, "--db", ..., "--json"])`,
read-only: nothing is recorded), its report going to /dev/null, and prints its own peak RSS in
MiB (`VmHWM`, see gui_rss.py for why not ru_maxrss).

`--unrecognised` reads the same pages as if no QR code could be read on any of them: every page
is then one a person must name, the case in which each page used to keep its straightened
pixels (2.2 MB) until the end of the run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from gui_rss import peak_rss_mib


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    if "--unrecognised" in argv:
        from merlet_desk.imaging import omr

        omr.read_code = lambda straight: None  # no page's QR code reads
    from merlet_desk.cli import main as cli

    files = [str(path) for path in sorted(folder.glob("stapel-*.pdf"))]
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        code = cli(["import-scans", *files, "--db", str(folder / "forms.sqlite"), "--json"])
    if code not in (0, 1):
        raise SystemExit(f"import-scans exited {code}")
    print(f"{peak_rss_mib():.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
