"""Drug loading and release: EE/DLC, sampling correction, release-model fits, f1/f2.

* ``loading``: encapsulation efficiency and loading content under labelled definitions, and
  the sampling-volume correction of cumulative release;
* ``fit``, ``goodness``, ``analyze``: the release law library (``nanocloak.kernels.release``)
  fitted with lmfit, goodness of fit (R², R²adj, AIC, AICc, BIC, MSC), model ranking,
  Korsmeyer–Peppas exponent classes, T50/T80, MDT and dissolution efficiency;
* ``compare``: f1, f2 with the regulatory applicability rules and bootstrap f2 (BCa);
* ``tables``: the same from lab tables (CSV/Excel).
"""

from nanocloak.analysis.release.analyze import analyze_release
from nanocloak.analysis.release.compare import (
    RULES,
    bootstrap_f2,
    compare_profiles,
    expected_f2,
    f1,
    f2,
)
from nanocloak.analysis.release.fit import (
    BASE_LIBRARY,
    DDSOLVER_LIBRARY,
    ModelFit,
    ModelSpec,
    fit_model,
    parse_model,
)
from nanocloak.analysis.release.goodness import Goodness, goodness_of_fit
from nanocloak.analysis.release.loading import (
    analyze_loading,
    corrected_concentration,
    cumulative_release_pct,
    encapsulation_efficiency_direct,
    encapsulation_efficiency_indirect,
    loading_contents,
)
from nanocloak.analysis.release.metrics import (
    dissolution_efficiency,
    korsmeyer_peppas_loglinear,
    mean_dissolution_time,
    release_mechanism,
    time_to_release,
)
from nanocloak.analysis.release.tables import (
    compare_from_table,
    loading_from_table,
    release_from_table,
)

__all__ = [
    "BASE_LIBRARY",
    "DDSOLVER_LIBRARY",
    "RULES",
    "Goodness",
    "ModelFit",
    "ModelSpec",
    "analyze_loading",
    "analyze_release",
    "bootstrap_f2",
    "compare_from_table",
    "compare_profiles",
    "corrected_concentration",
    "cumulative_release_pct",
    "dissolution_efficiency",
    "encapsulation_efficiency_direct",
    "encapsulation_efficiency_indirect",
    "expected_f2",
    "f1",
    "f2",
    "fit_model",
    "goodness_of_fit",
    "korsmeyer_peppas_loglinear",
    "loading_contents",
    "loading_from_table",
    "mean_dissolution_time",
    "parse_model",
    "release_from_table",
    "release_mechanism",
    "time_to_release",
]
