"""Particle delivery to the treated tumor from the design's PBPK model (inject, wait, read µg/g).

The PBPK tumor's µg/g at the treatment time is taken as the treated tumor's concentration (an
intensive quantity: the model's tumor blood flow scales with its volume); a note records when
the treated tumor's radius differs from the PBPK tumor's by more than ``RADIUS_MISMATCH``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.results.treatment import TumorDelivery
from nanocloak.workflows.simulate_design_pk import simulate_design_pk
from nanocloak.workflows.treat_settings import require_positive

#: Relative difference of the treated and PBPK tumor radii above which a note is added.
RADIUS_MISMATCH = 0.25


def tumor_delivery_after(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float,
    species: str = "mouse",
    tumor_radius_mm: float | None = None,
    tumor_line: str | None = None,
    *,
    mechanisms: Any = None,
) -> TumorDelivery:
    """Tumor content of a design ``after_h`` after an IV bolus, from its PBPK model.

    The PBPK tumor's µg/g is taken as the concentration of the treated tumor (an intensive
    quantity: the model's tumor blood flow scales with its volume); a note records when the
    treated tumor's radius differs from the PBPK tumor's by more than 25 %.

    Parameters
    ----------
    design
        The design (manufacture → coverage → membrane mechanisms).
    dose_mg_per_kg
        Injected core dose (mg/kg).
    after_h
        Time from injection to treatment (h), > 0.
    species
        ``"mouse"`` or ``"rat"``.
    tumor_radius_mm
        Radius of the treated tumor (mm), for the size check only.
    tumor_line
        Tumor cell line for homotypic targeting (e.g. ``"4T1"``).
    mechanisms
        Membrane mechanisms switched on (default all), see ``simulate_design_pk``.
    """
    require_positive("--after", after_h, "h")
    require_positive("--dose", dose_mg_per_kg, "mg/kg")
    pk = simulate_design_pk(
        design,
        dose_mg_per_kg,
        species,
        until_h=after_h + 1.0,
        tumor_line=tumor_line,
        mechanisms=mechanisms,
    )
    ug_per_g = float(np.interp(after_h, pk.t_h, pk.series("tumor", "ug/g")))
    pct = float(np.interp(after_h, pk.t_h, pk.series("tumor", "%ID")))
    mass_g = float(pk.mass_g[0, pk.outputs.index("tumor")])
    pbpk_radius = (3.0 * mass_g * 1e3 / (4.0 * math.pi)) ** (1.0 / 3.0)  # 1 g = 1000 mm³
    subs = pk.solver["membrane_layer"]["subpopulations"]
    shares = [(float(s["coverage"]), float(s["share"])) for s in subs]
    names = sorted({k for s in subs for k in s["factors"]})
    factors = {n: float(sum(s["share"] * s["factors"].get(n, 1.0) for s in subs)) for n in names}
    notes = []
    if tumor_radius_mm is not None and abs(tumor_radius_mm / pbpk_radius - 1.0) > RADIUS_MISMATCH:
        notes.append(
            f"the treated tumor (radius {tumor_radius_mm:g} mm) differs from the PBPK tumor "
            f"({mass_g:.3g} g, radius {pbpk_radius:.2f} mm); its µg/g is used as the concentration"
        )
    return TumorDelivery(
        design=design.name,
        dose_mg_per_kg=float(dose_mg_per_kg),
        after_h=float(after_h),
        species=species,
        concentration_mg_per_ml=ug_per_g / 1000.0,
        tumor_ug_per_g=ug_per_g,
        tumor_percent_id=pct,
        pbpk_tumor_mass_g=mass_g,
        pbpk_tumor_radius_mm=pbpk_radius,
        mean_coverage=float(sum(c * w for c, w in shares)),
        coverage_shares=tuple(shares),
        mechanism_factors=factors,
        notes=tuple(notes),
    )


def tumor_concentration_after(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float,
    species: str = "mouse",
    tumor_radius_mm: float | None = None,
    tumor_line: str | None = None,
) -> float:
    """Core concentration in the tumor (mg/mL) ``after_h`` after an IV dose (PBPK model)."""
    return tumor_delivery_after(
        design, dose_mg_per_kg, after_h, species, tumor_radius_mm, tumor_line
    ).concentration_mg_per_ml
