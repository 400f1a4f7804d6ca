"""What a photothermal run was: laser power, absorbance, heat capacity, blank heat and options.

:class:`PhotothermalSetup` checks its inputs when built (a ``SpecificationError`` names the
field); :func:`inputs_exact` tells whether the fit-only interval applies and
:func:`blank_heat_w` gives the solvent/vessel heat ``Q_dis`` (W) of the run, given or scaled
from a blank run's rise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from nanocloak.analysis.uncertainty import uncertain
from nanocloak.errors import SpecificationError

#: How ``T_max`` is read: from the heating fit, or the highest running mean of the data.
TmaxMethod = Literal["fit", "observed"]


@dataclass(frozen=True, slots=True)
class PhotothermalSetup:
    """What was irradiated and how; SI units, temperatures in °C.

    Parameters
    ----------
    power_w
        Laser power reaching the sample (W) — power, not power density.
    absorbance
        Decadic absorbance (OD) of the sample at the laser wavelength along the beam path.
    heat_capacity_j_per_k
        ``Σ mᵢcᵢ`` of what heats (J/K), e.g. 1 g water × 4.18 J g⁻¹ K⁻¹ = 4.18 J/K.
    heat_capacity_stderr_j_per_k
        Standard deviation of ``Σ mᵢcᵢ`` (J/K), e.g. from the pipetted volume; propagated into
        ``hS`` and η.
    power_stderr_w, absorbance_stderr
        Standard errors of the laser power (W) and the absorbance, propagated into η. While
        these and ``heat_capacity_stderr_j_per_k`` are 0 the CI of η is fit-only (and says so).
    blank_heat_w, blank_heat_stderr_w
        Heat from solvent and vessel at this run's power, ``Q_dis`` (W), and its standard error.
    blank_rise_k, blank_rise_stderr_k
        Alternatively, the steady rise of a blank (solvent only) run (K); then
        ``Q_dis = hS ΔT_blank I / I_blank`` with this run's ``hS``.
    blank_power_w
        Laser power of the blank run (W); this run's power if None.
    ambient_c
        Temperature of the surroundings ``T_surr`` (°C); fitted as the cooling asymptote if None.
    on_s, off_s
        Times the laser was switched on and off (s); the first time point and the detected
        temperature peak if None.
    tmax
        ``"fit"``: ``T_max`` from the heating-curve fit (the default); ``"observed"``: the highest
        5-point running mean of the data (classical, biased low if the plateau was not reached).
    ci_level
        Level of the confidence intervals.
    """

    power_w: float
    absorbance: float
    heat_capacity_j_per_k: float
    heat_capacity_stderr_j_per_k: float = 0.0
    power_stderr_w: float = 0.0
    absorbance_stderr: float = 0.0
    blank_heat_w: float = 0.0
    blank_heat_stderr_w: float = 0.0
    blank_rise_k: float | None = None
    blank_rise_stderr_k: float = 0.0
    blank_power_w: float | None = None
    ambient_c: float | None = None
    on_s: float | None = None
    off_s: float | None = None
    tmax: TmaxMethod = "fit"
    ci_level: float = 0.95

    def __post_init__(self) -> None:
        positive = {
            "power": (self.power_w, "W"),
            "heat_capacity": (self.heat_capacity_j_per_k, "J/K"),
        }
        for name, (value, unit) in positive.items():
            if not (math.isfinite(value) and value > 0):
                raise SpecificationError(
                    name, value, f"a positive number in {unit}", "It must be measured and given."
                )
        if not (math.isfinite(self.absorbance) and self.absorbance > 0):
            raise SpecificationError(
                "absorbance",
                self.absorbance,
                "a positive decadic absorbance at the laser wavelength",
                "Measure the sample's OD at the laser wavelength in the same path length.",
            )
        sds = {
            "power_stderr": self.power_stderr_w,
            "absorbance_stderr": self.absorbance_stderr,
            "heat_capacity_stderr": self.heat_capacity_stderr_j_per_k,
            "blank_heat_stderr": self.blank_heat_stderr_w,
            "blank_rise_stderr": self.blank_rise_stderr_k,
        }
        for name, sd in sds.items():
            if not (math.isfinite(sd) and sd >= 0):
                raise SpecificationError(name, sd, "a standard deviation of 0 or more")
        if self.tmax not in ("fit", "observed"):
            raise SpecificationError("tmax", self.tmax, "'fit' or 'observed'")
        if not 0.0 < self.ci_level < 1.0:
            raise SpecificationError("ci_level", self.ci_level, "a level between 0 and 1")


def inputs_exact(setup: PhotothermalSetup) -> bool:
    """True when laser power, absorbance and heat capacity were given without an SD."""
    return (
        setup.power_stderr_w == 0
        and setup.absorbance_stderr == 0
        and setup.heat_capacity_stderr_j_per_k == 0
    )


def blank_heat_w(setup: PhotothermalSetup, hs: Any) -> Any:
    """``Q_dis`` (W, with its uncertainty): given, or ``hS ΔT_blank I/I_blank`` from a blank run."""
    if setup.blank_rise_k is None:
        return uncertain(setup.blank_heat_w, setup.blank_heat_stderr_w)
    blank_power = setup.blank_power_w or setup.power_w
    rise = uncertain(setup.blank_rise_k, setup.blank_rise_stderr_k)
    return hs * rise * (setup.power_w / blank_power)
