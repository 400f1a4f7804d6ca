"""Time grids of a study's tumor course (day): the output grid and each segment's grid.

The course is reported on a uniform grid from day 0 to the study's end; treatment events cut
it into segments, and each segment is integrated on its own ends plus the output times well
inside it (an event within :data:`SNAP_DAY` of an output time is moved onto it).
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

SNAP_DAY = 1e-6
"""An event this close to a grid time (day) is taken to fall on it."""
MIN_GAP_DAY = 0.01
"""Grid times closer than this to a segment's ends are interpolated, not integrated to: the
tumor integrator steps no further than the grid's smallest gap."""


def day_grid(duration_day: float, step_day: float) -> FloatArray:
    """Output times 0…duration (day) at about ``step_day``, ending exactly at the duration."""
    count = max(1, round(duration_day / step_day))
    return np.linspace(0.0, duration_day, count + 1)


def snap(t_day: float, grid: FloatArray) -> float:
    """``t_day`` moved onto the nearest grid time when it lies within :data:`SNAP_DAY`."""
    nearest = float(grid[np.argmin(np.abs(grid - t_day))])
    return nearest if abs(nearest - t_day) < SNAP_DAY else t_day


def segment_grid(start: float, end: float, inside: FloatArray) -> FloatArray:
    """Integration times of one segment: its ends plus the grid times well inside it."""
    keep = inside[(inside > start + MIN_GAP_DAY) & (inside < end - MIN_GAP_DAY)]
    return np.unique(np.concatenate([[start], keep, [end]]))
