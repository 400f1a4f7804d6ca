"""``nanocloak kb``: browse and search the knowledge base and the review's studies."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Annotated, Any, get_args

import typer
from rich.console import Console
from rich.table import Table

from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader
from nanocloak.knowledge.schema import Status, Value
from nanocloak.knowledge.studies import FIELDS, query_studies

app = typer.Typer(help="Browse the knowledge base and the review's studies.", no_args_is_help=True)
console = Console()

TABLES: dict[str, Callable[[], Mapping[str, Any]]] = {
    "materials": loader.core_materials,
    "membranes": loader.membrane_sources,
    "cargos": loader.cargos,
    "species": loader.species,
}


def _table(kind: str) -> Mapping[str, Any]:
    if kind not in TABLES:
        raise SpecificationError("kind", kind, f"one of {', '.join(TABLES)}")
    return TABLES[kind]()


def _fmt_value(value: Value) -> str:
    text = f"{value.value:g} {value.unit}"
    if value.is_range:
        text += f" ({value.low:g}–{value.high:g})"
    return text


@app.command("list")
def list_entries(
    kind: Annotated[str, typer.Argument(help="materials, membranes, cargos or species")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the entries of one knowledge-base table."""
    entries = _table(kind)
    if as_json:
        typer.echo(json.dumps({k: v.model_dump(mode="json") for k, v in entries.items()}, indent=2))
        return
    table = Table(title=f"{kind} ({len(entries)})")
    table.add_column("id", style="bold")
    table.add_column("name")
    table.add_column("aliases")
    for key, entry in entries.items():
        table.add_row(key, entry.name, ", ".join(getattr(entry, "aliases", [])[:5]))
    console.print(table)


@app.command("show")
def show(
    entry_id: Annotated[str, typer.Argument(help="An id or alias, e.g. rbc, Fe3O4, DOX.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one entry with every value, its unit, range, status and source."""
    for kind, getter in TABLES.items():
        entries = getter()
        key = entry_id if entry_id in entries else loader.resolve(entries, entry_id)
        if key is None:
            continue
        entry = entries[key]
        if as_json:
            typer.echo(
                json.dumps({"kind": kind, "id": key, **entry.model_dump(mode="json")}, indent=2)
            )
            return
        console.print(f"[bold]{key}[/] — {entry.name} ({kind})")
        if getattr(entry, "description", ""):
            console.print(entry.description)
        table = Table(show_lines=False)
        for column in ("quantity", "value (range)", "status", "source"):
            table.add_column(column)
        for path, value in loader.values_in("", entry):
            table.add_row(path.lstrip("."), _fmt_value(value), value.status, value.source)
        console.print(table)
        return
    suggestions = []
    for getter in TABLES.values():
        suggestions += loader.nearest(getter(), entry_id)
    raise SpecificationError(
        "entry",
        entry_id,
        "an id or alias in the knowledge base",
        f"Closest: {', '.join(suggestions[:5])}." if suggestions else "",
    )


@app.command("source")
def source(key: Annotated[str, typer.Argument(help="A source key, e.g. song2022.")]) -> None:
    """Print the full citation of a source key."""
    sources = loader.sources()
    if key not in sources:
        raise SpecificationError(
            "source",
            key,
            "a source key",
            "Keys appear in the 'source' column of `nanocloak kb show`.",
        )
    entry = sources[key]
    typer.echo(entry.citation)
    for field in ("doi", "isbn", "url"):
        if getattr(entry, field):
            typer.echo(f"{field}: {getattr(entry, field)}")


@app.command("search")
def search(text: Annotated[str, typer.Argument(help="Words to look for.")]) -> None:
    """Search names, aliases and descriptions of every table."""
    needle = text.lower()
    table = Table(title=f"entries matching {text!r}")
    for column in ("kind", "id", "name"):
        table.add_column(column)
    for kind, getter in TABLES.items():
        for key, entry in getter().items():
            haystack = " ".join(
                [key, entry.name, *getattr(entry, "aliases", []), getattr(entry, "description", "")]
            ).lower()
            if needle in haystack:
                table.add_row(kind, key, entry.name)
    console.print(table)


@app.command("studies")
def studies(
    query: Annotated[str, typer.Argument(help="e.g. 'platelet and PTT' or 'sonication'")] = "",
    field: Annotated[
        list[str] | None,
        typer.Option("--field", "-f", help=f"FIELD=TERM on one column ({', '.join(FIELDS)})."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Query the review's Tables 1 and 2 (Song 2022)."""
    filters = {}
    for item in field or []:
        name, _, term = item.partition("=")
        if name not in FIELDS or not term:
            raise SpecificationError("--field", item, f"FIELD=TERM with FIELD one of {FIELDS}")
        filters[name] = term
    rows = query_studies(query, filters)
    references = loader.review_references()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        **{f: getattr(r, f) for f in ("table", *FIELDS, "ref")},
                        "citation": references[r.ref].citation if r.ref in references else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    table = Table(title=f"{len(rows)} studies" + (f" matching {query!r}" if query else ""))
    for column in ("ref", "type", "membrane", "core", "method", "cargo", "applications"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r.ref),
            r.membrane_type,
            r.shell_origin,
            r.core,
            r.preparation or "-",
            r.cargo or "-",
            r.applications,
        )
    console.print(table)
    cited = sorted({r.ref for r in rows})
    for ref in cited:
        if ref in references:
            console.print(f"[{ref}] {references[ref].citation}", highlight=False)


@app.command("values")
def values(
    status: Annotated[
        str | None,
        typer.Option(help="Only values with this status (verified, derived, unverified, assumed)."),
    ] = None,
) -> None:
    """Every sourced value of the knowledge base, with unit, range, status and source."""
    if status is not None and status not in get_args(Status):
        raise SpecificationError("--status", status, f"one of {', '.join(get_args(Status))}")
    table = Table(title="knowledge-base values")
    for column in ("where", "value (range)", "status", "source"):
        table.add_column(column)
    for path, value in loader.iter_values():
        if status is None or value.status == status:
            table.add_row(path, _fmt_value(value), value.status, value.source)
    console.print(table)
