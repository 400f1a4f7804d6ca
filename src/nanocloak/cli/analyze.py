"""``nanocloak analyze``: lab-data analyses, one sub-command per measurement.

Each module in ``nanocloak.cli.analyzers`` registers its sub-commands through
``register(app)``; they share the batch loop (``iter_tables``, ``analyze_tables``), the option
checks (``choice``) and ``emit`` for the output forms: tables on the terminal, ``--json`` for
machines, ``--report`` (Markdown) and ``--plot`` (PNG/PDF/SVG) files. A batch runs over several
files and the groups of long-format files; a part that fails is recorded as a failure (naming
its file and group) and the others go on.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nanocloak.cli import analyzers
from nanocloak.errors import DataFormatError, NanocloakError, SpecificationError
from nanocloak.io.files import write_text_atomic
from nanocloak.io.tables import LabTable, read_table
from nanocloak.plotting.series import save
from nanocloak.results.analysis import AnalysisResult

app = typer.Typer(
    help="Analyse lab data: heating curves, relaxivity, release, PK, efficacy, characterization.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True)

Files = Annotated[list[Path], typer.Argument(help="CSV/TSV/Excel files (batch mode: several).")]
GroupBy = Annotated[
    str | None,
    typer.Option("--group-by", help="Column splitting a long-format file into analyses."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Report = Annotated[Path | None, typer.Option("--report", help="Also write a Markdown report.")]
Plot = Annotated[Path | None, typer.Option("--plot", help="Also save the figures (PNG/PDF/SVG).")]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="Excel sheet: its name or 0-based index (default: the first sheet)."
    ),
]
"""The ``--sheet`` option every analyze command offers (ignored for CSV/TSV files)."""
CiLevel = Annotated[float, typer.Option(help="Confidence level.", min=0.5, max=0.999)]
"""A ``--ci-level`` option bounded to [0.5, 0.999]."""

T = TypeVar("T", bound=str)
Outcome = AnalysisResult | Sequence[AnalysisResult]


@dataclass(frozen=True)
class Part:
    """One unit of a batch: a whole file, or one group of a long-format file."""

    file: Path
    group: str | None
    """``column=value`` of the group, or None for a whole file."""
    table: LabTable

    @property
    def title(self) -> str:
        """The part's name in titles and messages: ``file`` or ``file [column=value]``."""
        return self.table.source


@dataclass(frozen=True)
class Failure:
    """A part of a batch that could not be analysed, with the error that stopped it."""

    file: Path
    group: str | None
    error: NanocloakError

    @property
    def where(self) -> str:
        """``file`` or ``file [column=value]``."""
        return str(self.file) if self.group is None else f"{self.file} [{self.group}]"

    @property
    def message(self) -> str:
        """The error message, prefixed with the file and group unless it names them."""
        return _located(str(self.error), self.where)

    def to_dict(self) -> dict[str, str | None]:
        """JSON form: file, group, error class and message."""
        return {
            "file": str(self.file),
            "group": self.group,
            "error": type(self.error).__name__,
            "message": self.message,
        }


@dataclass
class Batch:
    """The results of a batch run and the parts that failed."""

    results: list[AnalysisResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    succeeded: int = 0
    """How many parts gave results."""

    def run(self, file: Path, group: str | None, analyse: Callable[[], Outcome]) -> None:
        """Run one part; record its results, or its error as a failure."""
        try:
            outcome = analyse()
        except NanocloakError as exc:
            self.failures.append(Failure(file, group, exc))
            return
        self.succeeded += 1
        if isinstance(outcome, AnalysisResult):
            self.results.append(outcome)
        else:
            self.results.extend(outcome)

    def checked(self) -> Batch:
        """This batch, unless every part failed: then the error (status 2 from the CLI).

        One failed part raises its own error with the file and group in the message; several
        raise the first one's type with every part's message.
        """
        if self.succeeded or not self.failures:
            return self
        if len(self.failures) == 1:
            first = self.failures[0]
            _raise_with(first.error, first.message)
        lines = "\n".join(f"- {f.message}" for f in self.failures)
        _raise_with(self.failures[0].error, f"every part failed ({len(self.failures)}):\n{lines}")


def sheet_arg(sheet: str | None) -> str | int | None:
    """``--sheet`` for ``read_table``: a whole number is a 0-based index, else a name."""
    if sheet is None:
        return None
    text = sheet.strip()
    return int(text) if text.isdigit() else text


def iter_tables(
    files: Iterable[Path],
    group_by: str | None,
    sheet: str | None,
    failures: list[Failure] | None = None,
) -> Iterator[Part]:
    """Each file, or each group of each file (``--group-by``), as a ``Part``.

    Parameters
    ----------
    files
        Data files (CSV, TSV or Excel).
    group_by
        Column whose values split a long-format file into parts, or None.
    sheet
        Excel sheet name or 0-based index (``--sheet``), or None for the first sheet.
    failures
        Where to record files that cannot be read or grouped; without it they raise.
    """
    for path in files:
        try:
            table = read_table(path, sheet_arg(sheet))
            if group_by is None:
                yield Part(path, None, table)
                continue
            column = table.find([group_by]) or group_by
            groups = list(table.groups(group_by))
        except NanocloakError as exc:
            if failures is None:
                raise
            failures.append(Failure(path, None, exc))
            continue
        for key, part in groups:
            yield Part(path, f"{column}={key}", part)


def analyze_tables(
    files: Iterable[Path],
    group_by: str | None,
    sheet: str | None,
    analyse: Callable[[Part], Outcome],
) -> Batch:
    """Run ``analyse`` on every part of ``iter_tables``; errors become per-part failures.

    Raises the error when every part failed (see ``Batch.checked``).
    """
    batch = Batch()
    for part in iter_tables(files, group_by, sheet, batch.failures):
        batch.run(part.file, part.group, partial(analyse, part))
    return batch.checked()


def choice(value: str, allowed: Sequence[T], option: str) -> T:
    """``value`` if it is one of ``allowed``, else a ``SpecificationError`` naming ``option``."""
    for item in allowed:
        if item == value:
            return item
    listed = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
    raise SpecificationError(option, value, listed, f"e.g. {option} {allowed[0]}")


def require_numbers(table: LabTable, columns: Mapping[str, Sequence[str]]) -> None:
    """Check that the columns found by these names hold a number in every row.

    ``columns`` maps what a column is (e.g. ``"time"``) to the names it may have; columns
    that are absent are left to the analysis to report. The error names the file, group and
    column, and how many rows lack a number.
    """
    for what, names in columns.items():
        column = table.find(names)
        if column is None:
            continue
        values = pd.to_numeric(table.frame[column], errors="coerce")
        missing = int(values.isna().sum())
        if missing:
            state = "is empty" if missing == len(values) else f"lacks a number in {missing}"
            rows = "" if missing == len(values) else f" of {len(values)} rows"
            raise DataFormatError(f"{table.source}: column {column!r} ({what}) {state}{rows}")


PARTIAL_FAILURE_STATUS = 1  # some parts of a batch failed; the rest were written


def emit(
    results: Sequence[AnalysisResult] | Batch,
    as_json: bool,
    report: Path | None,
    plot: Path | None,
) -> None:
    """Print results (or JSON) and write the optional report and plot files atomically.

    A ``Batch`` with failures prints them on stderr too; its JSON is then
    ``{"results": [...], "failures": [...]}`` instead of the result (or list of results), and
    the command exits with status 1 after writing everything (2 is kept for input errors).
    """
    failures: list[Failure] = []
    parts = 0
    if isinstance(results, Batch):
        failures, parts = results.failures, results.succeeded + len(results.failures)
        results = results.results
    if as_json:
        payload: Any = [r.to_dict() for r in results]
        if failures:
            payload = {"results": payload, "failures": [f.to_dict() for f in failures]}
        elif len(payload) == 1:
            payload = payload[0]
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
    else:
        for result in results:
            _print(result)
    for failure in failures:
        errors.print(f"[bold red]failed:[/] {escape(failure.message)}", soft_wrap=True)
    if failures:
        errors.print(f"{len(failures)} of {parts} parts failed")
    if report is not None:
        text = "\n".join(r.report() for r in results)
        if failures:
            text += "\n## Failed parts\n\n" + "".join(f"- {f.message}\n" for f in failures)
        write_text_atomic(report, text)
    if plot is not None:
        panels = [r.panels[0] for r in results if r.panels]
        if panels:
            plot.parent.mkdir(parents=True, exist_ok=True)
            save(panels, str(plot))
    if failures:
        raise typer.Exit(code=PARTIAL_FAILURE_STATUS)


def _located(message: str, where: str) -> str:
    return message if where in message else f"{where}: {message}"


def _raise_with(error: NanocloakError, message: str) -> NoReturn:
    """Raise ``error`` (its type kept for callers) with ``message`` as its text."""
    error.args = (message,)
    if str(error) != message:
        raise DataFormatError(message) from error
    raise error


def _print(result: AnalysisResult) -> None:
    table = Table(title=escape(result.title), title_justify="left")
    for column in ("quantity", "value", "unit", "SE", "CI"):
        table.add_column(column)
    for e in result.estimates:
        ci = "-" if e.ci is None else f"{e.ci[0]:.4g} – {e.ci[1]:.4g}"
        table.add_row(
            escape(e.label or e.name),
            f"{e.value:.4g}",
            escape(e.unit),
            "-" if e.stderr is None else f"{e.stderr:.3g}",
            ci,
        )
    console.print(table)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def register_all() -> None:
    """Import every module of ``nanocloak.cli.analyzers`` and let it add its commands."""
    for module in pkgutil.iter_modules(analyzers.__path__):
        importlib.import_module(f"{analyzers.__name__}.{module.name}").register(app)


register_all()
