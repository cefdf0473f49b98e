"""The chart of `make bench`: how each figure's cost grows from 2,000 to 20,000 pupils.

One horizontal bar per figure: the cost at 20,000 pupils divided by the cost at 2,000, ours
and (where the figure has one) the bare baseline's, on a logarithmic axis with lines at 1×
(does not grow) and 10× (grows like the data). A bar past 10× grows faster than the data.
matplotlib is a bench-only dependency (`pip install -e '.[bench]'`, which `make bench` does).
"""

from __future__ import annotations

from pathlib import Path

from common import Row, by_figure, growth


def write_chart(rows: list[Row], sizes: list, path: Path) -> None:  # noqa: ANN001
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    small, large = sizes[0], sizes[-1]
    data_growth = large.pupils / small.pupils
    labels, ours, bare = [], [], []
    for figure, per_size in by_figure(rows).items():
        factor = growth(per_size.get(small), per_size.get(large))
        if factor is None:
            continue
        labels.append(figure)
        ours.append(factor)
        a, b = per_size.get(small), per_size.get(large)
        bare.append(b.baseline / a.baseline if a.baseline and b.baseline else None)

    height = 0.38
    positions = range(len(labels))
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(labels) + 1.6), dpi=110)
    ax.barh([p - height / 2 for p in positions], ours, height, color="#1f5f8b", label="Merlet Desk")
    with_base = [(p, v) for p, v in zip(positions, bare, strict=True) if v is not None]
    if with_base:
        ax.barh(
            [p + height / 2 for p, _ in with_base],
            [v for _, v in with_base],
            height,
            color="#b8b8b8",
            label="bare baseline",
        )
    for position, value in zip(positions, ours, strict=True):
        ax.text(value * 1.05, position - height / 2, f"{value:.1f}×", va="center", fontsize=8)
    ax.axvline(1, color="#555555", linewidth=0.8)
    ax.axvline(data_growth, color="#c0392b", linestyle="--", linewidth=1)
    ax.text(
        data_growth * 1.04,
        -0.9,
        f"{data_growth:.0f}× the data",
        color="#c0392b",
        fontsize=8,
        va="center",
    )
    ax.set_xscale("log")
    ax.set_yticks(list(positions), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_ylim(len(labels) - 0.4, -1.3)
    ax.set_xlabel(f"cost at {large.pupils:,} pupils ÷ cost at {small.pupils:,} pupils (log scale)")
    ax.set_title("How each figure grows with the data (make bench)", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
