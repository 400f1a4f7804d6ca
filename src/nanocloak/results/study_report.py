"""A self-contained HTML report of a virtual study: figures embedded as PNG, tables, sources."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nanocloak.plotting.series import Panel, draw
from nanocloak.results.study import StudyResult

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th { background: #f2f2f2; } td:first-child, th:first-child { text-align: left; }
.figs { display: flex; flex-wrap: wrap; gap: 12px; }
.figs figure { margin: 0; width: 520px; } .figs img { width: 100%; }
.note { color: #555; font-size: 0.9em; }
@media print { .figs figure { width: 48%; page-break-inside: avoid; } }
"""


def figure_png(panel: Panel) -> bytes:
    """One panel drawn to a PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.8), dpi=110, layout="constrained")
    draw(panel, ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def frame_html(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame as an HTML table with numbers rounded to ``digits`` significant digits."""

    def cell(value: Any) -> str:
        if isinstance(value, float | np.floating):
            if not np.isfinite(value):
                return "—" if np.isnan(value) else ("∞" if value > 0 else "−∞")
            return f"{value:.{digits}g}"
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def study_report_html(
    result: StudyResult,
    *,
    comparisons: pd.DataFrame | None = None,
    design_summaries: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The whole report as one HTML document.

    Parameters
    ----------
    result
        The study.
    comparisons
        Statistics between groups (from the comparison step), shown as a table.
    design_summaries
        Group → Markdown/plain text of the design and manufacture summary.
    sources
        Parameter → source citation, listed at the end.
    notes
        Assumptions and warnings to show under the title.
    """
    prov = result.provenance
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(result.name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(result.name)}</h1>",
        "<p class='note'>Virtual study simulated by nanocloak "
        f"{html.escape(str(prov.get('version', '')))}; seed {prov.get('seed')}; "
        f"spec hash {html.escape(str(prov.get('spec_hash', ''))[:16])}. Every animal is a "
        "model prediction, not a measurement.</p>",
    ]
    if notes:
        parts.append("<ul class='note'>")
        parts.extend(f"<li>{html.escape(n)}</li>" for n in notes)
        parts.append("</ul>")
    parts.append("<h2>Groups</h2>")
    parts.append(frame_html(result.groups))
    parts.append("<h2>Outcome by group</h2>")
    parts.append(frame_html(result.summary()))
    if comparisons is not None and not comparisons.empty:
        parts.append("<h2>Statistics against the control</h2>")
        parts.append(frame_html(comparisons))
    parts.append("<h2>Figures</h2><div class='figs'>")
    for panel in result.panels():
        data = base64.b64encode(figure_png(panel)).decode("ascii")
        caption = html.escape(panel.title or panel.ylabel)
        parts.append(
            f"<figure><img alt='{caption}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{caption}</figcaption></figure>"
        )
    parts.append("</div>")
    if design_summaries:
        parts.append("<h2>Design and manufacture</h2>")
        for group, text in design_summaries.items():
            parts.append(f"<h3>{html.escape(group)}</h3><pre>{html.escape(text)}</pre>")
    if sources:
        parts.append("<h2>Parameters and their sources</h2>")
        frame = pd.DataFrame({"parameter": list(sources), "source": list(sources.values())})
        parts.append(frame_html(frame))
    parts.append("<h2>Provenance</h2><pre>")
    parts.append(html.escape(json.dumps(_short(prov), indent=2, sort_keys=True, default=str)))
    parts.append("</pre></body></html>")
    return "".join(parts)


def _short(provenance: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in provenance.items() if k not in ("spec", "sources")}
