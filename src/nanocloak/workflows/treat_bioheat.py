"""The bioheat solve of a treatment and the assembly of its ``TreatmentResult``.

A heat source on the axisymmetric (r, z) grid (absorbed light or magnetic loss) drives the
linear Pennes equation for the rise over the pre-treatment baseline
(:func:`~nanocloak.kernels.thermal.ptt.simulate_ptt`); absolute temperature = baseline + rise.
From the temperature history this module derives the tumor's thermal dose (CEM43: volume mean,
T90, maximum), its Arrhenius damage, the skin checks over and beside the tumor, the energy
balance, and the provenance rows of the thermal parameters.

Tumor perfusion is the value fitted by :func:`nanocloak.workflows.calibrate_ptt.calibrate` to
the review's RBC-MNs-E rise unless one is given; the host tissue is ``HOST_TISSUE``.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.kernels.thermal.damage import arrhenius_damage, cem43_min
from nanocloak.kernels.thermal.ptt import PttSource, ThermalProperties, simulate_ptt
from nanocloak.kernels.thermal.skin import SkinThresholds, skin_burn_check
from nanocloak.knowledge import physics
from nanocloak.knowledge import treatment as kb
from nanocloak.results.treatment import Cem43Summary, TreatmentResult, TumorDelivery
from nanocloak.workflows import calibrate_ptt
from nanocloak.workflows.treat_provenance import parameter_row
from nanocloak.workflows.treat_settings import TumorSite

#: Arrhenius pair for tumor damage. No tumor pair is sourced; the COMSOL liver-coagulation pair
#: (E_a 258 kJ/mol) is fitted to ablative temperatures and gives 40 % "damage" after 20 min at
#: 38 °C, so the Henriques protein-denaturation pair (628 kJ/mol, close to the 580 kJ/mol that
#: CEM43's R = 0.5 implies) is the default; ``damage_process`` switches it.
TUMOR_DAMAGE_PROCESS = "skin_henriques"
#: Arrhenius pair for skin damage (burn checks over and beside the tumor).
SKIN_DAMAGE_PROCESS = "skin_henriques"
#: Tissue around the tumor (its thermal properties and perfusion from the knowledge base).
HOST_TISSUE = "muscle"
#: Smallest radius and depth of the simulated region (mm), so the far boundaries stay cool.
MIN_DOMAIN_MM = 15.0


@cache
def calibrated_tumor_perfusion_per_s() -> float:
    """Tumor perfusion fitted to the review's RBC-MNs-E photothermal rise (1/s)."""
    return calibrate_ptt.calibrate().fitted_perfusion_per_s


def _thermal(name: str, perfusion_per_s: float | None = None) -> ThermalProperties:
    si = physics.thermal_si(name)
    return ThermalProperties(
        si["density_kg_per_m3"],
        si["heat_capacity_j_per_kg_k"],
        si["conductivity_w_per_m_k"],
        si["perfusion_per_s"] if perfusion_per_s is None else perfusion_per_s,
    )


def _thermal_rows(perfusion: float, fitted: bool, damage_process: str) -> list[dict[str, Any]]:
    props = physics.tissue_properties()
    rows = []
    for tissue in ("tumor", HOST_TISSUE):
        entry = props.thermal[tissue]
        rows += [
            parameter_row(f"{tissue} density", entry.density, "kg/m^3"),
            parameter_row(f"{tissue} heat capacity", entry.heat_capacity, "J/(kg*K)"),
            parameter_row(f"{tissue} conductivity", entry.conductivity, "W/(m*K)"),
        ]
    host = props.thermal[HOST_TISSUE].perfusion
    if host is not None:
        rows.append(parameter_row(f"{HOST_TISSUE} perfusion", host, "1/s"))
    rows.append(
        {
            "name": "tumor perfusion",
            "value": perfusion,
            "unit": "1/s",
            "source": "calibrate_ptt (fit to song2022 RBC-MNs-E 34.5→55.2 °C)"
            if fitted
            else "user",
            "status": "fitted" if fitted else "given",
        }
    )
    rows.append(
        parameter_row("skin heat transfer", props.boundary["skin_heat_transfer"], "W/(m^2*K)")
    )
    damage = props.damage.arrhenius
    for label, process in (("tumor", damage_process), ("skin", SKIN_DAMAGE_PROCESS)):
        rows.append(
            parameter_row(
                f"{label} Arrhenius A ({process})", damage[process].frequency_factor, "1/s"
            )
        )
        rows.append(
            parameter_row(
                f"{label} Arrhenius Ea ({process})", damage[process].activation_energy, "J/mol"
            )
        )
    for path, value in kb.values().items():
        if path.startswith("skin."):
            rows.append(parameter_row(path, value, value.unit))
    return rows


def domain_mm(site: TumorSite, lateral_mm: float, step_mm: float) -> tuple[float, float]:
    def whole(x: float) -> float:
        return math.ceil(x / step_mm - 1e-9) * step_mm

    radius = whole(max(MIN_DOMAIN_MM, lateral_mm + 5.0, 3.0 * site.radius_mm))
    depth = whole(max(MIN_DOMAIN_MM, site.depth_mm + 2.0 * site.radius_mm + 7.0))
    return radius, depth


def _steps(duration_s: float, dt_s: float) -> float:
    if not (math.isfinite(dt_s) and dt_s > 0.0):
        raise SpecificationError("dt_s", dt_s, "a positive time step in s")
    return duration_s / max(1, math.ceil(duration_s / dt_s - 1e-9))


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """Per row of ``values`` (nt, n): the value below which the share ``q`` of the weight lies."""
    order = np.argsort(values, axis=1)
    v = np.take_along_axis(values, order, axis=1)
    cw = np.cumsum(weights[order], axis=1)
    cw /= cw[:, -1:]
    idx = np.argmax(cw >= q, axis=1)
    return np.asarray(v[np.arange(v.shape[0]), idx], dtype=float)


def simulate_treatment(
    *,
    modality: str,
    design: Design,
    concentration: float,
    setting: dict[str, float],
    site: TumorSite,
    source: PttSource,
    duration_s: float,
    dt_s: float,
    baseline_c: float | None,
    perfusion: float | None,
    rows: list[dict[str, Any]],
    notes: list[str],
    heating: dict[str, float],
    delivery: TumorDelivery | None,
    damage_process: str,
) -> TreatmentResult:
    """Solve the bioheat rise from ``source`` and assemble the treatment's result.

    Parameters
    ----------
    modality
        ``"ptt"`` or ``"mht"``, copied into the result.
    design, concentration
        The design and its core concentration in the tumor (mg/mL).
    setting
        The laser or field setting as numbers, copied into the result.
    site
        Tumor radius and depth of its top (mm).
    source
        Heat source on the (r, z) grid with the tumor mask and node volumes.
    duration_s, dt_s
        Heating time (s) and time step (s; shortened to divide the duration).
    baseline_c
        Pre-treatment temperature (°C); ``treatment.yaml`` baseline if None.
    perfusion
        Tumor perfusion (1/s); the calibrated value if None.
    rows, notes
        Provenance rows and notes of the heat source (optics or magnetics).
    heating
        Numbers describing the heat source, copied into the result.
    delivery
        The PBPK delivery behind the concentration, if any.
    damage_process
        Arrhenius pair of ``tissue_properties.yaml`` for tumor damage.
    """
    if not np.any(source.tumor_mask):
        step = float(source.r_m[1] - source.r_m[0]) * 1e3
        raise SpecificationError(
            "step_mm",
            step,
            f"a grid step that puts nodes inside a {site.radius_mm:g}-mm tumor",
            "Use a step at most the tumor radius.",
        )
    fitted = perfusion is None
    omega_b = calibrated_tumor_perfusion_per_s() if perfusion is None else perfusion
    base = kb.baseline_tumor_c() if baseline_c is None else baseline_c
    h = physics.tissue_properties().boundary["skin_heat_transfer"].to("W/(m^2*K)")
    dt = _steps(duration_s, dt_s)
    run = simulate_ptt(source, _thermal("tumor", omega_b), _thermal(HOST_TISSUE), h, duration_s, dt)
    temp = base + run.pennes.temperature_c  # (nt, nr, nz)
    t = run.t_s
    mask = source.tumor_mask
    weights = source.node_volume_m3[mask]
    a_t, e_t = physics.arrhenius_pair(damage_process)
    dose_map = cem43_min(t, temp)
    damage_map = 1.0 - np.exp(-arrhenius_damage(t, temp, a_t, e_t))
    t90 = _weighted_quantile(temp[:, mask], weights, 0.10)
    a_s, e_s = physics.arrhenius_pair(SKIN_DAMAGE_PROCESS)
    th = kb.skin_thresholds()
    limits = SkinThresholds(
        omega_burn=th["omega_first_degree"],
        cem43_necrosis_min=th["cem43_necrosis_min"],
        cem43_limit_min=th["cem43_limit_min"],
        injury_onset_c=th["injury_onset_c"],
        frequency_factor_per_s=a_s,
        activation_j_per_mol=e_s,
    )
    r_mm = source.r_m * 1e3
    over = r_mm <= site.radius_mm
    skin_over = skin_burn_check(t, temp[:, over, 0], limits)
    skin_beside = skin_burn_check(t, temp[:, ~over, 0], limits)
    warn = list(notes)
    if skin_beside.burn:
        warn.append("normal skin beside the tumor burns: " + "; ".join(skin_beside.reasons))
    elif skin_beside.over_limit:
        warn.append(
            "normal skin beside the tumor exceeds a safety limit: " + "; ".join(skin_beside.reasons)
        )
    if skin_over.burn:
        warn.append(
            "skin over the tumor burns (expected when the tumor is heated through it): "
            + "; ".join(skin_over.reasons)
        )
    p = run.pennes
    energy = {
        "deposited": float(p.deposited_j[-1]),
        "stored": float(p.stored_j[-1]),
        "perfusion": float(p.perfusion_j[-1]),
        "surface": float(p.surface_j[-1]),
        "boundary": float(p.boundary_j[-1]),
        "residual": float(p.balance_residual_j[-1]),
    }
    params = rows + _thermal_rows(omega_b, fitted, damage_process)
    params.append(
        parameter_row("baseline tumor temperature", kb.value("baseline.tumor_temperature"), "degC")
        if baseline_c is None
        else {
            "name": "baseline tumor temperature",
            "value": base,
            "unit": "degC",
            "source": "user",
            "status": "given",
        }
    )
    return TreatmentResult(
        modality=modality,
        design=design.name,
        concentration_mg_per_ml=concentration,
        setting=setting,
        site={"tumor_radius_mm": site.radius_mm, "tumor_top_depth_mm": site.depth_mm},
        baseline_c=base,
        t_s=t,
        tumor_max_c=base + run.tumor_max_rise_k,
        tumor_mean_c=base + run.tumor_mean_rise_k,
        skin_max_c=base + run.surface_max_rise_k,
        tumor_cem43_min=Cem43Summary(
            volume_mean=float(np.average(dose_map[mask], weights=weights)),
            t90=float(cem43_min(t, t90)),
            maximum=float(np.max(dose_map[mask])),
        ),
        tumor_damage_fraction=float(np.average(damage_map[mask], weights=weights)),
        skin_burn=skin_beside.burn,
        skin=skin_beside,
        skin_over_tumor=skin_over,
        warnings=tuple(warn),
        r_mm=r_mm,
        z_mm=source.z_m * 1e3,
        final_temperature_c=temp[-1],
        damage_fraction=damage_map,
        tumor_mask=mask,
        energy_j=energy,
        heating=heating,
        provenance={
            "parameters": params,
            "fitted": ["tumor perfusion (calibrate_ptt)"] if fitted else [],
            "assumptions": [
                "uniform particle concentration in a spherical tumor",
                "baseline temperature uniform over the modelled region; rise by linear Pennes",
                f"tumor damage by the {damage_process} Arrhenius pair; skin by "
                f"{SKIN_DAMAGE_PROCESS}",
                f"host tissue {HOST_TISSUE}",
            ],
            "solver": {
                "step_mm": float(r_mm[1] - r_mm[0]),
                "dt_s": dt,
                "scheme": "Crank-Nicolson",
                "domain_radius_mm": float(r_mm[-1]),
                "domain_depth_mm": float(source.z_m[-1] * 1e3),
            },
            "nanocloak_version": __version__,
        },
        delivery=delivery,
    )
