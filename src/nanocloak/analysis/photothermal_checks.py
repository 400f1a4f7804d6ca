"""Checks of one photothermal run, each a warning that says what is wrong and what to do.

Plateau not reached (irradiation shorter than ``PLATEAU_TIME_CONSTANTS`` τ_s), an optically
thick sample (absorbance above ``MAX_ABSORBANCE``), a rise beyond the linear-loss model
(``MAX_RISE_K``), heating and cooling time constants that disagree (``TAU_AGREEMENT``), a
cooling record too short to fit T_surr, η outside (0, 1] and fits without a covariance.
"""

from __future__ import annotations

import math
from typing import Any

from nanocloak.analysis.heating_curves import CurveSegments, RelaxationFit
from nanocloak.analysis.photothermal_setup import PhotothermalSetup
from nanocloak.analysis.uncertainty import nominal, stderr

PLATEAU_TIME_CONSTANTS = 5.0
"""Irradiation shorter than this many τ_s has not reached the plateau (e^(−5) < 1 %)."""
MAX_ABSORBANCE = 1.0
"""Above this absorbance most light is absorbed in the first part of the path."""
MAX_RISE_K = 20.0
"""Heuristic threshold (no published source): above this rise radiative and evaporative losses
make the linear-loss model strained (radiation h_rad ≈ 4εσT³ changes by ~25 % over 20 K near
300 K)."""
TAU_AGREEMENT = 0.10
"""Heuristic threshold (no published source): heating and cooling time constants further apart
than this (relative), and by more than 3 combined SE, disagree."""


def run_warnings(
    setup: PhotothermalSetup,
    heating: RelaxationFit,
    cooling: RelaxationFit,
    irradiation_s: float,
    rise: Any,
    eta: Any,
    seg: CurveSegments,
) -> list[str]:
    """The warnings of one run (see module); ``rise`` and ``eta`` carry their uncertainty."""
    out: list[str] = []
    tau = nominal(cooling.tau_s)
    reached = irradiation_s / tau
    if reached < PLATEAU_TIME_CONSTANTS:
        fraction = -math.expm1(-reached)
        if setup.tmax == "observed":
            out.append(
                f"Plateau not reached: irradiated {irradiation_s:.0f} s = {reached:.2f} τ_s "
                f"(< {PLATEAU_TIME_CONSTANTS:g} τ_s); the observed T_max holds only about "
                f"{fraction:.0%} of the steady rise, so η is biased low. Use tmax='fit' or "
                "irradiate longer."
            )
        else:
            out.append(
                f"Plateau not reached: irradiated {irradiation_s:.0f} s = {reached:.2f} τ_s "
                f"(< {PLATEAU_TIME_CONSTANTS:g} τ_s); ΔT_max is extrapolated by the heating fit."
            )
    if setup.absorbance > MAX_ABSORBANCE:
        out.append(
            f"Absorbance {setup.absorbance:g} > {MAX_ABSORBANCE:g}: most light is absorbed near "
            "the entry window, 1 − 10^(−A) is insensitive to A, and an extinction measured in a "
            "spectrometer may include scattering; dilute the sample."
        )
    rise_k = nominal(rise)
    if rise_k > MAX_RISE_K:
        out.append(
            f"Temperature rise {rise_k:.1f} K > {MAX_RISE_K:g} K: radiative and evaporative "
            "losses grow faster than linearly, straining the lumped linear-loss model; lower the "
            "power or concentration."
        )
    th, tc = heating.tau_s, cooling.tau_s
    diff = abs(nominal(th) - nominal(tc))
    combined = math.hypot(stderr(th), stderr(tc))
    if diff > TAU_AGREEMENT * nominal(tc) and diff > 3 * combined:
        out.append(
            f"Heating and cooling time constants disagree (τ_h = {nominal(th):.0f} s, "
            f"τ_s = {nominal(tc):.0f} s): the lumped model (one τ) does not hold — check "
            "stirring, evaporation, thermocouple position and the laser-on/off times."
        )
    cooling_span = cooling.span_s / tau
    if setup.ambient_c is None and cooling_span < 2.0:
        out.append(
            f"Cooling recorded for only {cooling_span:.1f} τ_s with T_surr fitted: T_surr and τ_s "
            "are strongly correlated; record longer or give the ambient temperature."
        )
    value = nominal(eta)
    if not 0.0 < value <= 1.0:
        out.append(f"η = {value:.3g} lies outside (0, 1]: check power, absorbance and Q_dis.")
    if not (heating.errors_ok and cooling.errors_ok):
        out.append("A fit could not estimate its covariance; standard errors are missing.")
    return out
