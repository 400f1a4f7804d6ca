"""Characterization calculators: DLS, zeta potential, FRET fusion, western blot, flow, CTC.

Each returns an ``AnalysisResult`` stating its formula and how its uncertainty was obtained:
first-order propagation of replicate SEs with ``uncertainties``, a fit covariance (DLS), a
bootstrap over events (flow-cytometry medians) or binomial intervals (counts).
"""

from nanocloak.analysis.characterization.ctc import analyze_ctc_table, ctc_capture
from nanocloak.analysis.characterization.dls import (
    DLSSetup,
    analyze_dls_table,
    cumulants,
    scattering_vector_per_m,
    size_shift,
)
from nanocloak.analysis.characterization.flow import (
    analyze_fcs_files,
    analyze_mfi_table,
    mfi_fold_change,
    mfi_fold_change_replicates,
    read_fcs_channel,
)
from nanocloak.analysis.characterization.fret import analyze_fret_table, fret_fusion
from nanocloak.analysis.characterization.western import analyze_western_table, band_ratios
from nanocloak.analysis.characterization.zeta import (
    analyze_zeta_table,
    debye_length_nm,
    henry_function,
    zeta_from_mobility,
)

__all__ = [
    "DLSSetup",
    "analyze_ctc_table",
    "analyze_dls_table",
    "analyze_fcs_files",
    "analyze_fret_table",
    "analyze_mfi_table",
    "analyze_western_table",
    "analyze_zeta_table",
    "band_ratios",
    "ctc_capture",
    "cumulants",
    "debye_length_nm",
    "fret_fusion",
    "henry_function",
    "mfi_fold_change",
    "mfi_fold_change_replicates",
    "read_fcs_channel",
    "scattering_vector_per_m",
    "size_shift",
    "zeta_from_mobility",
]
