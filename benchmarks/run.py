"""`make bench`: build (or reuse) the large databases, measure every figure of issue 9 at
2,000 and at 20,000 pupils (issue 18), print the table and write `benchmarks/results.md` with
the machine it ran on and `benchmarks/growth.png`, the chart of how each cost grows.

    python benchmarks/run.py [--only startup,check,...] [--sizes 2000,20000] [--no-write]

Each figure runs several times (BENCH_REPEAT, default 5; more for the quick ones), alternating
ours and the baseline where the issue says "next to"; the median is reported.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from statistics import median as _median

# Offscreen and with settings in a throwaway folder, for this process and every child.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = tempfile.mkdtemp(prefix="merlet-bench-home-")
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")
os.environ["XDG_DATA_HOME"] = str(Path(_HOME) / "data")
os.environ.pop("MERLET_DESK_DB", None)

sys.path.insert(0, str(Path(__file__).resolve().parent))
CHART = Path(__file__).resolve().parent / "growth.png"

import bigdb  # noqa: E402
import figures  # noqa: E402
from chart import write_chart  # noqa: E402
from common import (  # noqa: E402
    HERE,
    NotBuilt,
    Row,
    load,
    machine,
    markdown_table,
    print_table,
    table,
)


def write_results(
    rows: list[Row],
    cells: list[list[str]],
    sizes: list[bigdb.Size],
    contents: dict[bigdb.Size, dict[str, int]],
    seconds: float,
    path: Path,
    load_at_start: tuple[float, float, float],
) -> None:
    lines = [
        "# Benchmark results (issues 9, 18 and 26)",
        "",
        "Written by `make bench` (`benchmarks/run.py`); do not edit by hand: rerun it.",
        "",
    ]
    for size in sizes:
        built = bigdb.build_seconds(size)
        lines.append(
            f"- Database of {size.label}: "
            f"{', '.join(f'{v:,} {k}' for k, v in contents[size].items())}"
            + (f"; built in {built:.0f} s when it was made (then cached)." if built else ".")
        )
    lines += [
        "",
        f"Each figure is the median of its runs; the whole run took {seconds:.0f} s.",
        f"Load average at the start: {load_at_start[0]:.2f} (1 min) on "
        f"{os.cpu_count()} cores; other work on the machine slows every figure, the ratios "
        "(ours and the baseline alternate) less than the absolute times.",
        "",
        markdown_table(cells),
        "",
    ]
    if len(sizes) > 1:
        lines += [
            f"How each cost grows from {sizes[0].label} to {sizes[-1].label} (ten times the "
            "data; drawn by `make bench`):",
            "",
            f"![Growth of each figure]({CHART.name})",
            "",
        ]
    lines += ["## Notes per figure", ""]
    for row in rows:
        samples = ", ".join(f"{s:.3g}" for s in row.samples)
        base = ", ".join(f"{s:.3g}" for s in row.baseline_samples)
        detail = f"- **{row.figure}** ({row.size.label})"
        if row.note:
            detail += f": {row.note}"
        if samples:
            detail += f". Samples ours [{samples}]"
            if base:
                detail += f", baseline [{base}]"
            detail += " (MiB for RSS, else seconds)."
            cpu = getattr(row.samples, "cpu", None)
            if cpu:
                scale = 1 if row.unit == "s" else 1000
                detail += f" Median CPU time: ours {_median(cpu) * scale:.3g} {row.unit}"
                base_cpu = getattr(row.baseline_samples, "cpu", None)
                if base_cpu:
                    detail += f", baseline {_median(base_cpu) * scale:.3g} {row.unit}"
                detail += "."
        lines.append(detail)
    lines += ["", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in machine()]
    analysis = HERE / "ANALYSIS.md"
    if analysis.exists():
        lines += ["", analysis.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated figure names (startup, register, ...)")
    parser.add_argument(
        "--sizes",
        default=",".join(str(size.pupils) for size in bigdb.SIZES),
        help="comma-separated database sizes in pupils (default: 2000,20000)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not write results.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_at_start = load()

    sizes = [size for size in bigdb.SIZES if str(size.pupils) in args.sizes.split(",")]
    if not sizes:
        parser.error(f"--sizes: choose from {', '.join(str(s.pupils) for s in bigdb.SIZES)}")
    databases: dict[bigdb.Size, Path] = {}
    contents: dict[bigdb.Size, dict[str, int]] = {}
    for size in sizes:
        print(f"Building or reusing the database of {size.label}…", flush=True)
        databases[size] = bigdb.large_database(size)
        contents[size] = bigdb.counts(databases[size])
        print(f"  {databases[size].name}: {contents[size]}", flush=True)

    chosen = figures.FIGURES
    if args.only:
        wanted = set(args.only.split(","))
        chosen = tuple(f for f in chosen if f.__name__.removeprefix("figure_") in wanted)
    rows: list[Row] = []
    for figure in chosen:
        name = figure.__name__.removeprefix("figure_")
        for size in sizes:
            print(f"Measuring {name} ({size.label})…", flush=True)
            first = len(rows)
            try:
                figure(rows, databases[size], size)
            except NotBuilt as exc:
                print(f"  n/a (not built yet: {exc})", flush=True)
                for row in rows[first:]:
                    if row.ours is None:
                        row.note = "n/a (not built yet)"
            except Exception as exc:  # noqa: BLE001 - a crash in one figure must not hide the others
                traceback.print_exc()
                for row in rows[first:]:
                    if row.ours is None:
                        row.note = f"error: {type(exc).__name__}"
            for row in rows[first:]:
                row.size = size
    seconds = time.perf_counter() - started

    cells = table(rows, sizes)
    print()
    print_table(cells)
    print(f"\n{len(rows)} figures in {seconds:.0f} s")
    if not args.no_write and not args.only and len(sizes) == len(bigdb.SIZES):
        out = HERE / "results.md"
        write_chart(rows, sizes, CHART)
        write_results(rows, cells, sizes, contents, seconds, out, load_at_start)
        print(f"Written {out.relative_to(HERE.parent)} and {CHART.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
