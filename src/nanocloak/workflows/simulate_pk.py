"""``simulate_pk``: nanoparticle PBPK time courses of a species, dose and schedule.

Reads physiology and nanoparticle defaults from the knowledge base
(:mod:`nanocloak.knowledge.pbpk`), applies overrides, converts everything to the kernel's units
(h, mg, L, kg) once, solves the batched kernel (:mod:`nanocloak.kernels.pk`) and returns an
immutable :class:`~nanocloak.results.pk.PkResult`.

Modes
-----
``physiological`` (default)
    Liver inflow = hepatic artery + spleen + GI (portal), liver outflow = their sum; the GI is
    its own compartment; the uptake clock restarts at every dose; a bolus is a bolus.
``reference``
    The published code's choices (pbpk.md §2.7): organs in the species' ``reference_omit``
    (the mouse GI) are lumped into the rest of the body; the liver drains the hepatic-artery flow
    only although it receives spleen (and GI) outflow too; the uptake clock is the time since the
    first dose; a bolus is given as a 0.005-h infusion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.fast import numba_available, simulate_fast
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.kernels.pk.solve import Clock, Dose, ParamWindow, simulate
from nanocloak.kernels.pk.uptake import LAW_CODES
from nanocloak.knowledge import pbpk
from nanocloak.knowledge.schema import Value
from nanocloak.results.pk import PkResult, organ_outputs
from nanocloak.units import parse_quantity

Mode = Literal["physiological", "reference"]
Solver = Literal["auto", "scipy", "rodas"]
SOLVERS: tuple[str, ...] = ("auto", "scipy", "rodas")
ParamValue = float | str

ORGAN_ORDER = ("lung", "liver", "spleen", "kidney", "brain", "muscle", "gi", "rest", "tumor")
PORTAL = frozenset({"spleen", "gi"})
ORGAN_FIELDS = (
    "volume_fraction",
    "flow_fraction",
    "blood_fraction",
    "partition",
    "permeability",
    "k_max",
    "k_50",
    "hill_n",
    "k_release",
    "capacity",
)
GLOBAL_FIELDS = (
    "body_weight",
    "cardiac_output",
    "central_volume",
    "total_blood_volume",
    "arterial_share",
    "bile_clearance",
    "urine_clearance",
)
REFERENCE_INFUSION_H = 0.005


@dataclass(frozen=True, slots=True)
class DoseSchedule:
    """Intravenous doses: start times (h) and an infusion duration (h; 0 = bolus).

    Each dose is ``dose_mg_per_kg`` × body weight.
    """

    times_h: tuple[float, ...] = (0.0,)
    infusion_h: float = 0.0

    def __post_init__(self) -> None:
        if not self.times_h or any(t < 0.0 for t in self.times_h):
            raise SpecificationError(
                "schedule.times", self.times_h, "one or more dose times >= 0 h", "e.g. (0, 24)"
            )
        if self.infusion_h < 0.0:
            raise SpecificationError("schedule.infusion", self.infusion_h, "a duration >= 0 h")

    @classmethod
    def parse(cls, text: str) -> DoseSchedule:
        """Parse ``"bolus"``, ``"infusion 2 h"``, ``"every 24 h x 3"``, ``"at 0, 24, 72 h"``,
        optionally followed by ``"infusion 1 h"`` (e.g. ``"every 12 h x 4 infusion 0.5 h"``)."""
        words = text.strip().lower()
        infusion = 0.0
        match = re.search(r"infusion\s+([0-9.eE+-]+)\s*h\b", words)
        if match:
            infusion = float(match.group(1))
            words = (words[: match.start()] + words[match.end() :]).strip()
        if words in ("", "bolus", "single"):
            return cls((0.0,), infusion)
        every = re.fullmatch(r"every\s+([0-9.eE+-]+)\s*h\s*[x×]\s*(\d+)", words)
        if every:
            step, count = float(every.group(1)), int(every.group(2))
            if step <= 0.0 or count < 1:
                raise SpecificationError("--schedule", text, "a positive interval and count >= 1")
            return cls(tuple(step * k for k in range(count)), infusion)
        at = re.fullmatch(r"at\s+([0-9.,\s]+)\s*h", words)
        if at:
            times = tuple(sorted(float(x) for x in at.group(1).replace(",", " ").split()))
            return cls(times, infusion)
        raise SpecificationError(
            "--schedule",
            text,
            "'bolus', 'infusion 2 h', 'every 24 h x 3' or 'at 0, 24, 72 h'",
            "Append 'infusion 1 h' to give each dose as an infusion.",
        )

    def describe(self) -> str:
        """One-line description, e.g. ``"3 IV bolus doses at 0, 24, 48 h"``."""
        kind = "bolus" if self.infusion_h == 0.0 else f"{self.infusion_h:g}-h infusion"
        times = ", ".join(f"{t:g}" for t in self.times_h)
        n = len(self.times_h)
        return f"{n} IV {kind} dose{'s' if n > 1 else ''} at {times} h"


@dataclass(frozen=True, slots=True)
class PkModel:
    """The PBPK model of a batch of subjects, in kernel units (h, mg, L, kg).

    Attributes
    ----------
    topology
        Organs, portal drainage, uptake sites and laws (shared by the batch).
    parameters
        Kernel parameter arrays, one row per subject.
    derived
        ``organ_volume_l`` (subjects × organs), ``total_blood_l``, ``venous_l`` and
        ``body_weight_kg`` (per subject): what the result needs to report %ID/g and blood.
    values
        Per subject, every parameter after overrides and scales, keyed like the overrides
        (``"liver.k_max"``, ``"body_weight"``), in the knowledge-base units of
        :data:`nanocloak.knowledge.pbpk.FIELD_UNITS`.
    sources
        Parameter key → source key of its knowledge-base default.
    """

    topology: Topology
    parameters: PkParameters
    derived: dict[str, FloatArray]
    values: tuple[dict[str, float], ...]
    sources: dict[str, str]


def model_defaults(species: str, mode: Mode = "physiological") -> dict[str, Value]:
    """Every knowledge-base value the model of ``species`` uses, keyed like the overrides.

    Each :class:`~nanocloak.knowledge.schema.Value` carries its unit, range and source, e.g. to
    draw virtual subjects within the literature ranges.
    """
    return _defaults(species, _organs(species, mode), mode)


def build_model(
    species: str,
    params: Mapping[str, ParamValue] | Sequence[Mapping[str, ParamValue]] | None = None,
    *,
    mode: Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
    scales: Sequence[Mapping[str, float]] | None = None,
) -> PkModel:
    """Topology and kernel parameters of a batch of subjects, as :func:`simulate_pk` solves it.

    Parameters
    ----------
    species, params, mode, uptake_laws, scales
        As in :func:`simulate_pk`: knowledge-base defaults of ``species``, overridden per
        subject by ``params`` (one mapping, or a sequence of mappings = a batch), then
        multiplied by ``scales``; organ volumes and flows scale with body weight (flows and
        clearances with body weight^0.75).

    Raises
    ------
    SpecificationError
        An unknown species, mode, parameter key, law or an out-of-range value.
    """
    if mode not in ("physiological", "reference"):
        raise SpecificationError("mode", mode, "'physiological' or 'reference'")
    organs = _organs(species, mode)
    sets = (
        [dict(params or {})]
        if params is None or isinstance(params, Mapping)
        else [dict(p) for p in params]
    )
    if not sets:
        raise SpecificationError("params", params, "at least one parameter set")
    defaults = _defaults(species, organs, mode)
    laws = _laws(organs, uptake_laws)
    values = [_resolve(defaults, overrides, i) for i, overrides in enumerate(sets)]
    if scales is not None:
        if len(scales) != len(values):
            raise SpecificationError(
                "scales", len(scales), f"one mapping of factors per subject ({len(values)})"
            )
        values = [_scaled(v, s, i) for i, (v, s) in enumerate(zip(values, scales, strict=True))]
    topology = Topology(
        organs=organs,
        portal=tuple(o in PORTAL for o in organs),
        uptake_from_blood=tuple(_nanoparticle(o).uptake_site == "blood" for o in organs),
        uptake_law=tuple(LAW_CODES[laws[o]] for o in organs),
    )
    kernel, derived = _kernel_parameters(topology, values, mode)
    return PkModel(topology, kernel, derived, tuple(values), _sources(defaults))


def simulate_pk(
    species: str,
    dose_mg_per_kg: float,
    schedule: DoseSchedule | str | None,
    until_h: float,
    params: Mapping[str, ParamValue] | Sequence[Mapping[str, ParamValue]] | None = None,
    *,
    mode: Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
    t_last_h: float | None = None,
    step_h: float = 0.1,
    rtol: float = 1e-7,
    scales: Sequence[Mapping[str, float]] | None = None,
    solver: Solver = "auto",
    windows: Sequence[tuple[float, float, Mapping[str, float]]] = (),
) -> PkResult:
    """Simulate nanoparticle biodistribution after intravenous dosing.

    Parameters
    ----------
    species
        ``"mouse"`` (25 g default) or ``"rat"`` (see ``pbpk_physiology.yaml``).
    dose_mg_per_kg
        Each dose, mg per kg body weight.
    schedule
        A :class:`DoseSchedule`, its text form (``"every 24 h x 3"``) or None (one bolus at 0 h).
    until_h
        End of the simulation, h.
    params
        Overrides: ``"<organ>.<field>"`` (organ fields: volume_fraction, flow_fraction,
        blood_fraction, partition, permeability, k_max [1/h], k_50 [h], hill_n, k_release
        [1/h], capacity [µg/g]) or a global field (body_weight [kg], cardiac_output
        [L/h/kg^0.75], central_volume [L/kg], total_blood_volume [L/kg], arterial_share,
        bile_clearance and urine_clearance [L/h/kg^0.75]). Numbers are in those units; strings
        with a unit (``"0.02 kg"``) are converted. A sequence of mappings simulates a batch of
        subjects at once.
    mode
        ``"physiological"`` or ``"reference"`` (module docstring).
    uptake_laws
        Organ → ``"hill"``, ``"capacity"``, ``"constant"`` or ``"none"`` (structure shared by
        the batch); default from the knowledge base.
    t_last_h
        Last sampling time of the study for DEtlast, h; default ``until_h``.
    step_h
        Output grid step, h (Cheng 2020 takes DEmax on a 0.1-h grid).
    rtol
        Relative tolerance of the solver (the absolute tolerance is 1e-10 × the largest total
        dose).
    scales
        Per-subject multiplicative factors applied after the overrides, e.g.
        ``[{"tumor.permeability": 1.3, "body_weight": 0.9}, ...]`` (one mapping per subject;
        between-animal variability). Keys as for ``params``.
    solver
        ``"rodas"``: the compiled Rodas4 batch solver (:mod:`nanocloak.kernels.pk.fast`; needs
        numba, the ``fast`` extra), every subject with its own steps, subjects on all cores;
        ``"scipy"``: ``solve_ivp`` BDF on the block-diagonal system of the batch
        (:mod:`nanocloak.kernels.pk.solve`); ``"auto"`` (default): ``"rodas"`` when numba is
        installed, else ``"scipy"``. Both solve the same equations to the same tolerances; their
        outputs agree to well within 1e-4 relative at the default ``rtol``.
    windows
        ``(t_on_h, t_off_h, factors)``: between those times (h) the parameters are multiplied by
        ``factors`` on top of ``scales`` (e.g. ``{"tumor.permeability": 40}`` while a magnet is
        over the tumor). Solved by the scipy path, which cuts the time axis at the edges.
    """
    if solver not in SOLVERS:
        raise SpecificationError("solver", solver, f"one of {', '.join(SOLVERS)}")
    if solver == "rodas" and not numba_available():
        raise SpecificationError(
            "solver",
            solver,
            "'scipy' or 'auto'",
            "The Rodas4 solver needs numba: pip install 'nanocloak[fast]'.",
        )
    if not (np.isfinite(dose_mg_per_kg) and dose_mg_per_kg > 0.0):
        raise SpecificationError("dose", dose_mg_per_kg, "a positive dose in mg/kg", "e.g. 5")
    if not (np.isfinite(until_h) and until_h > 0.0):
        raise SpecificationError("until", until_h, "a positive duration in h", "e.g. '168 h'")
    if step_h <= 0.0 or until_h / step_h > 200_000:
        raise SpecificationError("step_h", step_h, f"a step giving <= 200000 points to {until_h} h")
    if isinstance(schedule, str):
        schedule = DoseSchedule.parse(schedule)
    schedule = schedule or DoseSchedule()
    if max(schedule.times_h) >= until_h:
        raise SpecificationError("schedule", schedule.times_h, f"dose times before {until_h} h")
    model = build_model(species, params, mode=mode, uptake_laws=uptake_laws, scales=scales)
    if windows and solver == "rodas":
        raise SpecificationError("solver", solver, "'scipy' or 'auto' with parameter windows")
    n_subjects = len(model.values)
    base_scales = list(scales) if scales is not None else [{}] * n_subjects
    param_windows = [
        ParamWindow(
            float(t_on),
            float(t_off),
            build_model(
                species,
                params,
                mode=mode,
                uptake_laws=uptake_laws,
                scales=[
                    {k: s.get(k, 1.0) * f.get(k, 1.0) for k in {*s, *f}}
                    for s, f in zip(base_scales, [factors] * n_subjects, strict=True)
                ],
            ).parameters,
        )
        for t_on, t_off, factors in windows
    ]

    bw = model.derived["body_weight_kg"]
    infusion = schedule.infusion_h
    if mode == "reference" and infusion == 0.0:
        infusion = REFERENCE_INFUSION_H
    doses = [Dose(t, dose_mg_per_kg * bw, infusion) for t in schedule.times_h]
    grid = _grid(until_h, step_h, (*schedule.times_h, 24.0, 168.0, t_last_h or until_h))
    use_rodas = not windows and (solver == "rodas" or (solver == "auto" and numba_available()))
    clock: Clock = "absolute" if mode == "reference" else "per_dose"
    if use_rodas:
        solution = simulate_fast(
            model.topology, model.parameters, doses, grid, clock=clock, rtol=rtol
        )
    else:
        solution = simulate(
            model.topology,
            model.parameters,
            doses,
            grid,
            clock=clock,
            rtol=rtol,
            windows=param_windows,
        )
    outputs = organ_outputs(model.topology, solution.y_mg, model.derived)
    return PkResult.build(
        species=species,
        mode=mode,
        dose_mg_per_kg=float(dose_mg_per_kg),
        schedule=schedule.describe(),
        dose_times_h=schedule.times_h,
        infusion_h=infusion,
        t_h=solution.t_h,
        outputs=outputs,
        dosed_mg=solution.dosed_mg,
        states_total_mg=solution.y_mg.sum(axis=2),
        parameters=model.values,
        parameter_sources=model.sources,
        t_last_h=float(t_last_h if t_last_h is not None else until_h),
        solver={
            "solver": "rodas" if use_rodas else "scipy",
            "method": solution.method,
            "rtol": solution.rtol,
            "atol_mg": solution.atol_mg,
            "rhs_evaluations": solution.n_rhs,
            "batched": True,
        },
    )


def _organs(species: str, mode: Mode) -> tuple[str, ...]:
    """Organs of the model of ``species`` in ``mode`` (reference mode lumps some into rest)."""
    physiology = pbpk.physiology()
    if species not in physiology:
        raise SpecificationError("species", species, f"one of {sorted(physiology)}")
    species_kb = physiology[species]
    return tuple(
        o
        for o in ORGAN_ORDER
        if (o in species_kb.organs or o == "tumor")
        and not (mode == "reference" and o in species_kb.reference_omit)
    )


def _parameter_set(mode: Mode) -> pbpk.ParameterSet:
    """The reference mode runs the published code's values; the default the calibrated ones."""
    return "published" if mode == "reference" else "calibrated"


def _nanoparticle(
    organ: str, mode: Mode = "physiological", species: str = "mouse"
) -> pbpk.OrganNanoparticle:
    np_kb = pbpk.nanoparticle_defaults(_parameter_set(mode), species)
    return np_kb.tumor if organ == "tumor" else np_kb.organs[organ]


def _defaults(species: str, organs: tuple[str, ...], mode: Mode) -> dict[str, Value]:
    """Every knowledge-base value the model uses, keyed like the overrides."""
    sp = pbpk.physiology()[species]
    np_kb = pbpk.nanoparticle_defaults(_parameter_set(mode), species)
    out: dict[str, Value] = {
        "body_weight": sp.body_weight,
        "cardiac_output": sp.cardiac_output,
        "central_volume": sp.central_volume,
        "total_blood_volume": sp.total_blood_volume,
        "arterial_share": sp.arterial_share,
        "bile_clearance": np_kb.excretion.bile_clearance,
        "urine_clearance": np_kb.excretion.urine_clearance,
    }
    for organ in organs:
        phys: Any = np_kb.tumor if organ == "tumor" else sp.organs[organ]
        nano = _nanoparticle(organ, mode, species)
        for field in ORGAN_FIELDS:
            value = getattr(phys, field, None) if "fraction" in field else getattr(nano, field)
            if value is not None:
                out[f"{organ}.{field}"] = value
    return out


def _laws(organs: tuple[str, ...], chosen: Mapping[str, str] | None) -> dict[str, str]:
    laws = {o: str(_nanoparticle(o).uptake_law) for o in organs}
    for organ, law in (chosen or {}).items():
        if organ not in laws:
            raise SpecificationError("uptake_laws", organ, f"an organ of the model: {list(laws)}")
        if law not in LAW_CODES:
            raise SpecificationError(f"uptake_laws.{organ}", law, f"one of {sorted(LAW_CODES)}")
        laws[organ] = law
    for organ, law in laws.items():
        nano = _nanoparticle(organ)
        if law != "none" and nano.k_max is None:
            raise SpecificationError(
                f"uptake_laws.{organ}", law, "'none' (no uptake parameters are known)"
            )
    return laws


def _resolve(
    defaults: Mapping[str, Value], overrides: Mapping[str, ParamValue], subject: int
) -> dict[str, float]:
    values = {key: v.to(pbpk.FIELD_UNITS[key.rsplit(".", 1)[-1]]) for key, v in defaults.items()}
    for key, raw in overrides.items():
        field = key.rsplit(".", 1)[-1]
        if key not in values and not (field in ORGAN_FIELDS and "." in key):
            raise SpecificationError(
                f"params[{subject}]",
                key,
                "a model parameter such as 'liver.k_max' or 'body_weight'",
                f"Known keys: {', '.join(sorted(values))}.",
            )
        if key not in values:
            raise SpecificationError(
                f"params[{subject}]", key, f"an organ of the model ({sorted(values)})"
            )
        unit = pbpk.FIELD_UNITS[field]
        number = (
            float(parse_quantity(raw, unit, key).to(unit.replace("µ", "u")).magnitude)
            if isinstance(raw, str)
            else float(raw)
        )
        if not np.isfinite(number) or number < 0.0:
            raise SpecificationError(key, raw, f"a finite, non-negative value in {unit}")
        values[key] = number
    return values


def _scaled(values: dict[str, float], scale: Mapping[str, float], subject: int) -> dict[str, float]:
    out = dict(values)
    for key, factor in scale.items():
        if key not in out:
            raise SpecificationError(
                f"scales[{subject}]", key, f"a model parameter, one of {sorted(out)}"
            )
        if not (np.isfinite(factor) and factor >= 0.0):
            raise SpecificationError(f"scales[{subject}].{key}", factor, "a factor >= 0")
        out[key] = out[key] * float(factor)
    return out


def _kernel_parameters(
    topology: Topology, values: Sequence[Mapping[str, float]], mode: Mode
) -> tuple[PkParameters, dict[str, FloatArray]]:
    """Convert per-subject values to kernel arrays (h, mg, L, kg) and derived quantities."""
    organs = topology.organs
    s, n = len(values), len(organs)
    arrays = {
        k: np.zeros((s, n))
        for k in ("q", "vb", "vt", "p", "pa", "kmax", "k50", "hill", "krel", "cap", "v")
    }
    scalars = {
        k: np.zeros(s) for k in ("qc", "va", "vv", "qout", "kbile", "kurine", "vblood", "bw")
    }
    for j, val in enumerate(values):
        bw = val["body_weight"]
        if bw <= 0.0:
            raise SpecificationError("body_weight", bw, "a positive body weight in kg")
        qc = val["cardiac_output"] * bw**0.75
        v_central = val["central_volume"] * bw
        fixed_v = sum(val[f"{o}.volume_fraction"] for o in organs if o != "rest")
        fixed_q = sum(val[f"{o}.flow_fraction"] for o in organs if o not in ("rest", "lung"))
        rest_vf = 1.0 - fixed_v - val["central_volume"]
        rest_qf = 1.0 - fixed_q
        if rest_vf <= 0.0 or rest_qf <= 0.0:
            raise SpecificationError(
                "params",
                {"rest volume fraction": rest_vf, "rest flow fraction": rest_qf},
                "organ volume and flow fractions that leave a positive rest of body",
            )
        for i, organ in enumerate(organs):
            vf = rest_vf if organ == "rest" else val[f"{organ}.volume_fraction"]
            qf = (
                1.0
                if organ == "lung"
                else (rest_qf if organ == "rest" else val[f"{organ}.flow_fraction"])
            )
            bf = val[f"{organ}.blood_fraction"]
            if not 0.0 < bf < 1.0:
                raise SpecificationError(f"{organ}.blood_fraction", bf, "a fraction in (0, 1)")
            v = vf * bw
            q = qf * qc
            arrays["v"][j, i] = v
            arrays["q"][j, i] = q
            arrays["vb"][j, i] = v * bf
            arrays["vt"][j, i] = v - v * bf
            arrays["p"][j, i] = val[f"{organ}.partition"]
            arrays["pa"][j, i] = val[f"{organ}.permeability"] * q
            for key, field in (
                ("kmax", "k_max"),
                ("k50", "k_50"),
                ("hill", "hill_n"),
                ("krel", "k_release"),
            ):
                arrays[key][j, i] = val.get(f"{organ}.{field}", 0.0)
            # capacity µg/g × organ mass (kg) = mg (×1000 g/kg × 1e-3 mg/µg)
            arrays["cap"][j, i] = val.get(f"{organ}.capacity", 0.0) * v
        share = val["arterial_share"]
        if not 0.0 < share < 1.0:
            raise SpecificationError("arterial_share", share, "a fraction in (0, 1)")
        portal_q = sum(arrays["q"][j, i] for i, o in enumerate(organs) if topology.portal[i])
        liver_q = arrays["q"][j, topology.liver]
        scalars["qc"][j] = qc
        scalars["va"][j] = share * v_central
        scalars["vv"][j] = (1.0 - share) * v_central
        scalars["qout"][j] = liver_q if mode == "reference" else liver_q + portal_q
        scalars["kbile"][j] = val["bile_clearance"] * bw**0.75
        scalars["kurine"][j] = val["urine_clearance"] * bw**0.75
        scalars["vblood"][j] = val["total_blood_volume"] * bw
        scalars["bw"][j] = bw
    kernel = PkParameters(
        q_l_per_h=arrays["q"],
        v_blood_l=arrays["vb"],
        v_tissue_l=arrays["vt"],
        partition=arrays["p"],
        pa_l_per_h=arrays["pa"],
        k_max_per_h=arrays["kmax"],
        k50_h=arrays["k50"],
        hill_n=arrays["hill"],
        k_release_per_h=arrays["krel"],
        capacity_mg=arrays["cap"],
        qc_l_per_h=scalars["qc"],
        v_arterial_l=scalars["va"],
        v_venous_l=scalars["vv"],
        q_liver_out_l_per_h=scalars["qout"],
        k_bile_l_per_h=scalars["kbile"],
        k_urine_l_per_h=scalars["kurine"],
    )
    try:
        kernel.check(topology)
    except ValueError as exc:
        raise SpecificationError("params", "see message", str(exc)) from None
    derived = {
        "organ_volume_l": arrays["v"],
        "total_blood_l": scalars["vblood"],
        "venous_l": scalars["vv"],
        "body_weight_kg": scalars["bw"],
    }
    return kernel, derived


def _grid(until_h: float, step_h: float, extra: Sequence[float]) -> FloatArray:
    base = np.arange(0.0, until_h + 0.5 * step_h, step_h)
    base = base[base <= until_h]
    points = np.concatenate([base, [until_h], [t for t in extra if 0.0 <= t <= until_h]])
    return np.unique(np.round(points, 9))


def _sources(defaults: Mapping[str, Value]) -> dict[str, str]:
    """Parameter key → source key, for the provenance of the result."""
    return {key: value.source for key, value in defaults.items()}
