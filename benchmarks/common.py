"""Shared pieces of the benchmark: timing, the result rows, the table and the machine."""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"

# Each figure is measured at least this often; the median is reported.
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


class NotBuilt(Exception):
    """The part of the program a figure measures does not exist yet."""


@dataclass
class Row:
    figure: str
    unit: str  # "ms", "s", "MiB"
    ours: float | None = None
    baseline: float | None = None
    target: str = "—"
    # Decides whether the target is met from (ours, baseline); None: no target.
    check: Callable[[float, float | None], bool] | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    size: object = None  # the bigdb.Size it was measured at (set by run.py)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    @property
    def met(self) -> str:
        if self.ours is None:
            return "—"
        if self.check is None:
            return "—"
        return "yes" if self.check(self.ours, self.baseline) else "NO"


def ratio_at_most(limit: float) -> Callable[[float, float | None], bool]:
    return lambda ours, base: base is not None and ours / base <= limit


def at_most(limit: float) -> Callable[[float, float | None], bool]:
    return lambda ours, base: ours <= limit


class Samples(list):
    """Wall-clock seconds per run, with the CPU seconds of the same runs in `cpu` (this process
    and its children): on a busy machine the CPU time shows the work, the wall time the wait."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(fn: Callable[[], object], into: Samples | None = None) -> float:
    gc.collect()
    cpu = _cpu_now()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    if into is not None:
        into.append(elapsed)
        into.cpu.append(_cpu_now() - cpu)
    return elapsed


def measure(
    fn: Callable[[], object],
    repeat: int = REPEAT,
    setup: Callable[[], object] | None = None,
    warmup: int = 1,
) -> Samples:
    """Seconds per run of `fn` (after `warmup` untimed runs); `setup` runs untimed before each."""
    times = Samples()
    for index in range(warmup + repeat):
        if setup is not None:
            setup()
        _timed(fn, times if index >= warmup else None)
    return times


def alternate(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int = REPEAT,
    setup_ours: Callable[[], object] | None = None,
    setup_baseline: Callable[[], object] | None = None,
    warmup: int = 1,
) -> tuple[Samples, Samples]:
    """Run ours and the baseline in turn, so that drift of the machine hits both alike."""
    ours_times, base_times = Samples(), Samples()
    for index in range(warmup + repeat):
        counted = index >= warmup
        if setup_ours is not None:
            setup_ours()
        _timed(ours, ours_times if counted else None)
        if setup_baseline is not None:
            setup_baseline()
        _timed(baseline, base_times if counted else None)
    return ours_times, base_times


def seconds_to_ready(target: str, env: dict[str, str]) -> float:
    """Start the program as the user does (`python -m merlet_desk --db TARGET
    --quit-after-show`, figure 1b) and return the seconds until its 'ready' trace mark: the
    database open and the section shown painted (`merlet_desk/startup_trace.py`)."""
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder) / "trace"
        began = time.time()
        subprocess.run(
            [sys.executable, "-m", "merlet_desk", "--db", target, "--quit-after-show"],
            env=dict(env, MERLET_DESK_STARTUP_TRACE=str(trace)),
            check=True,
            capture_output=True,
        )
        # "<name> <epoch seconds> <CPU seconds>" per line
        seen = {line.split()[0]: line.split()[1] for line in trace.read_text().splitlines()}
        return float(seen["ready"]) - began


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_checked(cmd: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command; on failure raise with its stderr (a benchmark must not hide a crash)."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"
        )
    return proc.stdout


# -- the machine --------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def machine() -> list[tuple[str, str]]:
    import sqlite3

    import PySide6
    import reportlab
    from PySide6.QtCore import qVersion

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 0
    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", _cpu_model()),
        ("Cores", f"{usable} usable ({os.cpu_count()} online)"),
        ("RAM", _ram_gib()),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("PySide6 / Qt", f"{PySide6.__version__} / {qVersion()}"),
        ("SQLite", sqlite3.sqlite_version),
        ("reportlab", reportlab.Version),
        ("Qt platform", os.environ.get("QT_QPA_PLATFORM", "(default)")),
        ("Load average (1/5/15 min) at the end", " / ".join(f"{v:.2f}" for v in load())),
    ]


def load() -> tuple[float, float, float]:
    """The machine's load average: other work on the machine slows every figure."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


# -- the table ----------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "n":
        return f"{value:.0f}"
    if unit == "per picture":
        return f"{value:.2f} per picture"
    if unit == "/s":
        return f"{value:.0f} /s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _cell(row: Row | None) -> tuple[str, str, str]:
    """(result, target, met) of one row: "ours", or "ours / baseline = ratio×"."""
    if row is None:
        return "—", "—", "—"
    if row.ours is None:
        return row.note or "n/a (not built yet)", row.target, "—"
    text = _fmt(row.ours, row.unit)
    if row.baseline is not None:
        text += f" / {_fmt(row.baseline, row.unit)}"
        if row.ratio is not None:
            text += f" = {row.ratio:.2f}×"
    return text, row.target, row.met


def growth(small: Row | None, large: Row | None) -> float | None:
    """How many times the cost grew from the small database to the large one."""
    if small is None or large is None or not small.ours or large.ours is None:
        return None
    return large.ours / small.ours


def by_figure(rows: list[Row]) -> dict[str, dict[object, Row]]:
    """Rows grouped by figure (in the order measured), then by size."""
    grouped: dict[str, dict[object, Row]] = {}
    for row in rows:
        grouped.setdefault(row.figure, {})[row.size] = row
    return grouped


def table(rows: list[Row], sizes: list) -> list[list[str]]:
    """One line per figure, a result, target and verdict per database size, and the growth
    from the first size to the last. A result is "ours / baseline = ratio×" where the issue
    asks for a baseline."""
    header = ["Figure"]
    for size in sizes:
        header += [f"{size.pupils:,} pupils: ours / baseline", "Target", "Met?"]
    if len(sizes) > 1:
        header.append(f"Growth ({sizes[-1].pupils // sizes[0].pupils}× the data)")
    out = [header]
    for figure, per_size in by_figure(rows).items():
        line = [figure]
        for size in sizes:
            line += list(_cell(per_size.get(size)))
        if len(sizes) > 1:
            factor = growth(per_size.get(sizes[0]), per_size.get(sizes[-1]))
            line.append("—" if factor is None else f"{factor:.1f}×")
        out.append(line)
    return out


def print_table(cells: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    for index, cells_row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(cells_row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))


def markdown_table(cells: list[list[str]]) -> str:
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells[1:]]
    return "\n".join(lines)
