"""Photochemistry kernels: singlet oxygen in PDT, upconversion, hypoxia, starvation and CRET.

Units: concentrations µM (the acid–base module mM), time s, fluence rate mW/cm² (PDT) and
power density W/cm² (upconversion), pO₂ mmHg. Each module states its model and equations.
"""

from nanocloak.kernels.photochem.acidity import buffered_ph, dissociated_fraction
from nanocloak.kernels.photochem.cret import (
    STATES,
    NanoreactorParameters,
    NanoreactorSolution,
    nanoreactor_rhs,
    simulate_nanoreactor,
)
from nanocloak.kernels.photochem.gox import STOICHIOMETRY, gox_rate_um_per_s
from nanocloak.kernels.photochem.hypoxia import (
    fluence_rate_for_oxygen_mw_per_cm2,
    hypoxic_fraction,
    oxygen_supply_um_per_s,
    oxygen_um_from_po2,
    po2_mmhg_from_oxygen,
    steady_state_oxygen_um,
)
from nanocloak.kernels.photochem.perfluorocarbon import (
    partition_coefficient,
    pfc_oxygen_um,
    pfc_release_um_per_s,
    release_rate_constant_per_s,
)
from nanocloak.kernels.photochem.shell_rupture import shell_rupture_fraction
from nanocloak.kernels.photochem.soed import (
    SoedConstants,
    SoedSolution,
    linear_dose_um,
    photon_energy_j_per_umol,
    reaction_rate_um_per_s,
    simulate_soed,
    xi_from_photophysics,
)
from nanocloak.kernels.photochem.upconversion import (
    photosensitizer_excitation_um_per_s,
    upconversion_emission_w_per_cm3,
    upconversion_quantum_yield,
)

__all__ = [
    "STATES",
    "STOICHIOMETRY",
    "NanoreactorParameters",
    "NanoreactorSolution",
    "SoedConstants",
    "SoedSolution",
    "buffered_ph",
    "dissociated_fraction",
    "fluence_rate_for_oxygen_mw_per_cm2",
    "gox_rate_um_per_s",
    "hypoxic_fraction",
    "linear_dose_um",
    "nanoreactor_rhs",
    "oxygen_supply_um_per_s",
    "oxygen_um_from_po2",
    "partition_coefficient",
    "pfc_oxygen_um",
    "pfc_release_um_per_s",
    "photon_energy_j_per_umol",
    "photosensitizer_excitation_um_per_s",
    "po2_mmhg_from_oxygen",
    "reaction_rate_um_per_s",
    "release_rate_constant_per_s",
    "shell_rupture_fraction",
    "simulate_nanoreactor",
    "simulate_soed",
    "steady_state_oxygen_um",
    "upconversion_emission_w_per_cm3",
    "upconversion_quantum_yield",
    "xi_from_photophysics",
]
