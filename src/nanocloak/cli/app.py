"""Entry point of the ``nanocloak`` command: sub-commands and friendly error reporting."""

from __future__ import annotations

import os
import sys

# The kernels work on small arrays: multi-threaded BLAS only adds contention (a 120x4000 by
# 4000x120 product in the light kernel takes ~250 ms threaded vs ~5 ms single-threaded on 2
# cores). Set before numpy is imported; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer
from rich.console import Console
from rich.markup import escape

from nanocloak import __version__
from nanocloak.cli import analyze, design_cmd, kb, pk_cmd, validate_cmd
from nanocloak.cli.commands import register_all
from nanocloak.errors import NanocloakError

app = typer.Typer(
    name="nanocloak",
    help="Workbench for cell-membrane-camouflaged inorganic nanoparticles (CMCINPs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(analyze.app, name="analyze")
app.add_typer(validate_cmd.app, name="validate")
app.command("design")(design_cmd.design)
app.command("pk")(pk_cmd.pk)
register_all(app)


@app.command("version")
def version() -> None:
    """Print the nanocloak version."""
    typer.echo(__version__)


def main() -> None:
    """Run the CLI; nanocloak errors print as one clear message and exit with status 2."""
    try:
        app()
    except NanocloakError as exc:
        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(str(exc))}",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
        sys.exit(2)
