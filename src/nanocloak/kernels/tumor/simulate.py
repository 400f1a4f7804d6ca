r"""Tumor volume under growth, continuous kill and instantaneous kill events.

Two pools per animal, viable volume V and dead (not yet cleared) volume D, both in mm³:

.. math::

    \frac{dV}{dt} = g(V)\, m(t) - k(t)\, V, \qquad
    \frac{dD}{dt} = k(t)\, V - k_\mathrm{clear} D

with the growth law ``g`` (:mod:`.growth`), a growth multiplier ``m(t)`` in [0, 1]
(starvation, gene silencing), a kill rate ``k(t)`` (1/day; chemotherapy, immune attack) and
the clearance rate of dead tissue ``k_clear`` (1/day). The caliper measures
:math:`V + D`: dead tissue stays in the tumor until it is cleared, which is why tumors
shrink days after a lethal laser dose rather than at once. Instantaneous treatments (PTT,
PDT, magnetic hyperthermia, a radiation fraction) move a fraction of V into D
(:func:`apply_kill`). ``k`` and ``m`` are given on the output time grid and taken as
piecewise linear in between.

The system is integrated with an adaptive explicit Runge–Kutta method (scipy DOP853,
rtol 1e-9) with steps no longer than the grid spacing, so every kink of the piecewise-linear
inputs is resolved; without kill it reproduces the closed forms of :mod:`.growth` to ~1e-8.
Two bookkeeping states make the volume balance checkable:
:math:`V + D + C = V_0 + D_0 + G` with G the volume grown and C the volume cleared.

The default clearance rate ``DEAD_CLEARANCE_PER_DAY`` is the value of
``tumor_response.yaml`` (``dead_tissue.clearance_rate``); see its entry for the source.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.growth import GrowthParams, growth_rate_mm3_per_day

__all__ = [
    "DEAD_CLEARANCE_PER_DAY",
    "TumorCourse",
    "apply_kill",
    "simulate_tumor",
    "simulate_tumor_with_events",
]

#: Clearance rate of dead tumor tissue (1/day): half-life ln 2 / 0.2 ≈ 3.5 days
#: (``tumor_response.yaml`` → ``dead_tissue.clearance_rate``, an assumption with its range).
DEAD_CLEARANCE_PER_DAY = 0.2

_RTOL = 1e-9


@dataclass(frozen=True, slots=True)
class TumorCourse:
    """Viable and dead tumor volume over time.

    Attributes
    ----------
    t_day
        Times (day), shape (nt,).
    viable_mm3
        Viable volume (mm³), shape (n, nt).
    dead_mm3
        Dead, not yet cleared volume (mm³), shape (n, nt).
    grown_mm3
        Cumulative volume grown since the start (mm³), shape (n, nt), or None.
    cleared_mm3
        Cumulative dead volume cleared since the start (mm³), shape (n, nt), or None.
    """

    t_day: FloatArray
    viable_mm3: FloatArray
    dead_mm3: FloatArray
    grown_mm3: FloatArray | None = None
    cleared_mm3: FloatArray | None = None

    @property
    def total_mm3(self) -> FloatArray:
        """Caliper volume, viable + dead (mm³), shape (n, nt)."""
        return np.asarray(self.viable_mm3 + self.dead_mm3, dtype=float)


def apply_kill(
    viable_mm3: FloatArray, dead_mm3: FloatArray, surviving_fraction: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    r"""Instantaneous kill: :math:`V' = S V,\; D' = D + (1 - S) V`.

    Parameters
    ----------
    viable_mm3, dead_mm3
        Viable and dead volume (mm³), shape (n,).
    surviving_fraction
        Surviving fraction S in [0, 1], scalar or shape (n,).
    """
    s = np.asarray(surviving_fraction, dtype=float)
    if np.any((s < 0.0) | (s > 1.0)):
        raise ValueError("surviving_fraction must lie in [0, 1]")
    v = np.asarray(viable_mm3, dtype=float)
    d = np.asarray(dead_mm3, dtype=float)
    return np.asarray(s * v, dtype=float), np.asarray(d + (1.0 - s) * v, dtype=float)


def _as_grid(values: FloatArray | None, n: int, nt: int, default: float, name: str) -> FloatArray:
    if values is None:
        return np.full((n, nt), default)
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1 and arr.size == nt:
        arr = np.broadcast_to(arr, (n, nt))
    if arr.shape != (n, nt):
        raise ValueError(f"{name} must have shape (n, nt) = {(n, nt)}; got {arr.shape}")
    return np.array(arr)


def simulate_tumor(
    t_day: FloatArray,
    viable0_mm3: FloatArray,
    dead0_mm3: FloatArray,
    growth: GrowthParams,
    *,
    kill_rate_per_day: FloatArray | None = None,
    growth_multiplier: FloatArray | None = None,
    dead_clearance_per_day: float | FloatArray = DEAD_CLEARANCE_PER_DAY,
) -> TumorCourse:
    """Integrate viable and dead volume over ``t_day`` (see the module equations).

    Parameters
    ----------
    t_day
        Output times (day), shape (nt,), increasing; the first is the start.
    viable0_mm3, dead0_mm3
        Initial viable and dead volume (mm³), shape (n,).
    growth
        Growth law and per-animal parameters.
    kill_rate_per_day
        Kill rate k (1/day) on the grid, shape (n, nt) (or (nt,) for all animals); 0 if None.
    growth_multiplier
        Growth multiplier m in [0, 1] on the grid, shape (n, nt); 1 if None.
    dead_clearance_per_day
        Clearance rate of dead tissue (1/day), scalar or shape (n,).

    Returns
    -------
    TumorCourse
        With the bookkeeping ``grown_mm3`` and ``cleared_mm3`` filled in.
    """
    t = np.asarray(t_day, dtype=float)
    if t.ndim != 1 or t.size < 1 or np.any(np.diff(t) <= 0.0):
        raise ValueError("t_day must be 1-D and strictly increasing")
    v0 = np.atleast_1d(np.asarray(viable0_mm3, dtype=float))
    d0 = np.broadcast_to(np.atleast_1d(np.asarray(dead0_mm3, dtype=float)), v0.shape)
    n, nt = v0.size, t.size
    if growth.n != n:
        raise ValueError(f"growth has {growth.n} animals; viable0_mm3 has {n}")
    if np.any(v0 < 0.0) or np.any(d0 < 0.0):
        raise ValueError("initial volumes must be non-negative")
    kill = _as_grid(kill_rate_per_day, n, nt, 0.0, "kill_rate_per_day")
    mult = _as_grid(growth_multiplier, n, nt, 1.0, "growth_multiplier")
    if np.any(kill < 0.0):
        raise ValueError("kill_rate_per_day must be non-negative")
    if np.any(mult < 0.0):
        raise ValueError("growth_multiplier must be non-negative")
    clear = np.broadcast_to(np.asarray(dead_clearance_per_day, dtype=float), (n,))
    if np.any(clear < 0.0):
        raise ValueError("dead_clearance_per_day must be non-negative")
    zeros = np.zeros((n, nt))
    if nt == 1:
        return TumorCourse(t, v0[:, None].copy(), d0[:, None].copy(), zeros, zeros.copy())

    def at(grid: FloatArray, time: float) -> FloatArray:
        i = int(np.clip(np.searchsorted(t, time, side="right") - 1, 0, nt - 2))
        w = (time - t[i]) / (t[i + 1] - t[i])
        return np.asarray((1.0 - w) * grid[:, i] + w * grid[:, i + 1], dtype=float)

    def rhs(time: float, y: FloatArray) -> FloatArray:
        v = np.maximum(y[:n], 0.0)
        d = y[n : 2 * n]
        grown = growth_rate_mm3_per_day(v, growth) * at(mult, time)
        killed = at(kill, time) * v
        cleared = clear * d
        return np.concatenate([grown - killed, killed - cleared, grown, cleared])

    y0 = np.concatenate([v0, d0, np.zeros(n), np.zeros(n)])
    scale = max(float(np.max(v0 + d0, initial=0.0)), 1.0)
    sol = solve_ivp(
        rhs,
        (t[0], t[-1]),
        y0,
        method="DOP853",
        t_eval=t,
        rtol=_RTOL,
        atol=1e-12 * scale,
        max_step=float(np.min(np.diff(t))),
    )
    if not sol.success:
        raise RuntimeError(f"tumor ODE failed: {sol.message}")
    y = sol.y
    return TumorCourse(
        t,
        np.maximum(y[:n], 0.0),
        np.maximum(y[n : 2 * n], 0.0),
        y[2 * n : 3 * n],
        y[3 * n :],
    )


def simulate_tumor_with_events(
    t_day: FloatArray,
    viable0_mm3: FloatArray,
    dead0_mm3: FloatArray,
    growth: GrowthParams,
    *,
    event_times_day: FloatArray,
    surviving_fractions: FloatArray,
    kill_rate_per_day: FloatArray | None = None,
    growth_multiplier: FloatArray | None = None,
    dead_clearance_per_day: float | FloatArray = DEAD_CLEARANCE_PER_DAY,
) -> TumorCourse:
    """:func:`simulate_tumor` with instantaneous kill events (laser, field, radiation).

    The course is integrated piecewise between events; at each event the state jumps by
    :func:`apply_kill`. Outputs at a grid time equal to an event time are after the event.

    Parameters
    ----------
    t_day, viable0_mm3, dead0_mm3, growth, kill_rate_per_day, growth_multiplier,
    dead_clearance_per_day
        As for :func:`simulate_tumor`.
    event_times_day
        Event times (day), shape (ne,), inside ``[t_day[0], t_day[-1]]``.
    surviving_fractions
        Surviving fraction of each event per animal, shape (ne, n) (or (ne,) for all).
    """
    t = np.asarray(t_day, dtype=float)
    v0 = np.atleast_1d(np.asarray(viable0_mm3, dtype=float))
    n, nt = v0.size, t.size
    times = np.atleast_1d(np.asarray(event_times_day, dtype=float))
    sf = np.asarray(surviving_fractions, dtype=float)
    sf = np.broadcast_to(sf.reshape(times.size, -1), (times.size, n))
    if np.any(times < t[0]) or np.any(times > t[-1]):
        raise ValueError("event_times_day must lie within t_day")
    kill = _as_grid(kill_rate_per_day, n, nt, 0.0, "kill_rate_per_day")
    mult = _as_grid(growth_multiplier, n, nt, 1.0, "growth_multiplier")
    order = np.argsort(times, kind="stable")
    breaks = [float(t[0]), *(float(x) for x in times[order]), float(t[-1])]
    out = {key: np.zeros((n, nt)) for key in ("v", "d", "g", "c")}
    v, d = v0.copy(), np.broadcast_to(np.asarray(dead0_mm3, dtype=float), (n,)).copy()
    g_off, c_off = np.zeros(n), np.zeros(n)

    def interp(grid: FloatArray, sub: FloatArray) -> FloatArray:
        return np.stack([np.interp(sub, t, row) for row in grid])

    for seg, (a, b) in enumerate(itertools.pairwise(breaks)):
        if seg > 0:
            v, d = apply_kill(v, d, sf[order[seg - 1]])
        inside = (t >= a) & ((t < b) | ((b == t[-1]) & (t <= b)))
        sub = np.unique(np.concatenate([[a, b], t[inside]]))
        if sub.size == 1:
            idx = np.flatnonzero(inside)
            for key, val in (("v", v), ("d", d), ("g", g_off), ("c", c_off)):
                out[key][:, idx] = val[:, None]
            continue
        course = simulate_tumor(
            sub,
            v,
            d,
            growth,
            kill_rate_per_day=interp(kill, sub),
            growth_multiplier=interp(mult, sub),
            dead_clearance_per_day=dead_clearance_per_day,
        )
        if course.grown_mm3 is None or course.cleared_mm3 is None:  # pragma: no cover
            raise RuntimeError("simulate_tumor returned no volume bookkeeping")
        pos = np.searchsorted(sub, t[inside])
        idx = np.flatnonzero(inside)
        out["v"][:, idx] = course.viable_mm3[:, pos]
        out["d"][:, idx] = course.dead_mm3[:, pos]
        out["g"][:, idx] = g_off[:, None] + course.grown_mm3[:, pos]
        out["c"][:, idx] = c_off[:, None] + course.cleared_mm3[:, pos]
        v, d = course.viable_mm3[:, -1], course.dead_mm3[:, -1]
        g_off = g_off + course.grown_mm3[:, -1]
        c_off = c_off + course.cleared_mm3[:, -1]
    return TumorCourse(t, out["v"], out["d"], out["g"], out["c"])
