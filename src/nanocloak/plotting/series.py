"""Plot named data series (points, lines, steps, bars) on one axes, publication style."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

Style = Literal["points", "line", "dashed", "step", "bar", "errorbar"]


@dataclass(frozen=True, slots=True)
class Series:
    """One plotted series: x and y arrays, a label and a style; ``yerr`` for error bars."""

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    label: str
    style: Style = "line"
    yerr: NDArray[np.float64] | None = None


@dataclass(frozen=True, slots=True)
class Panel:
    """Axes labels (with units), title, scales and the series to draw."""

    series: tuple[Series, ...]
    xlabel: str
    ylabel: str
    title: str = ""
    xscale: Literal["linear", "log"] = "linear"
    yscale: Literal["linear", "log"] = "linear"


def draw(panel: Panel, ax: Any = None) -> Any:
    """Draw ``panel`` on ``ax`` (a new figure if None) and return the axes."""
    import matplotlib

    if ax is None:
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5.0, 3.6), dpi=150, layout="constrained")
    for s in panel.series:
        if s.style == "points":
            ax.plot(s.x, s.y, "o", ms=4, label=s.label)
        elif s.style == "dashed":
            ax.plot(s.x, s.y, "--", lw=1.2, label=s.label)
        elif s.style == "step":
            ax.step(s.x, s.y, where="post", lw=1.5, label=s.label)
        elif s.style == "bar":
            ax.bar(s.x, s.y, yerr=s.yerr, capsize=3, label=s.label)
        elif s.style == "errorbar":
            ax.errorbar(s.x, s.y, yerr=s.yerr, fmt="o", ms=4, capsize=3, label=s.label)
        else:
            ax.plot(s.x, s.y, "-", lw=1.5, label=s.label)
    ax.set_xlabel(panel.xlabel)
    ax.set_ylabel(panel.ylabel)
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    if panel.title:
        ax.set_title(panel.title)
    if any(s.label for s in panel.series):
        ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def save(panels: Sequence[Panel], path: str) -> None:
    """Save panels side by side to ``path`` (PNG, PDF or SVG by extension)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(5.0 * len(panels), 3.6),
        dpi=150,
        layout="constrained",
        squeeze=False,
    )
    for panel, ax in zip(panels, axes[0], strict=True):
        draw(panel, ax)
    fig.savefig(path)
    plt.close(fig)
