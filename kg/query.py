"""Saved SPARQL queries (ontology/queries/*.rq) and the text formats a query's answer prints in.

A saved query file opens with a ``# `` line saying what it answers; ``# param: NAME``
lines declare the values it needs. Values are bound before evaluation, never pasted
into the text, so a FILTER may use them; a SELECT lists them among its variables.
Queries run over the union of a build's graphs, with the ontology's prefixes declared.

    saved_queries()                     name -> SavedQuery
    run(store, query, params=...)       any query -> kg.stores.Answer
    run_saved(store, name, **params)    a saved query by name -> kg.stores.Answer
    format_results(answer, fmt)         "table", "csv", "tsv" or "json" (the SPARQL results formats)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from kg.config import DEFAULT_CONFIG
from kg.errors import QueryError
from kg.stores.formats import plain_value, results_csv, results_json, results_tsv
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from kg.stores import Answer, GraphStore

__all__ = ["FORMATS", "SavedQuery", "format_results", "read_saved", "run", "run_saved", "saved_queries"]

FORMATS = ("table", "csv", "tsv", "json")
MAX_CELL = 60  # characters a table cell shows before it is cut with "…"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # shown as U+FFFD in a table
_PARAM = re.compile(r"#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")


@dataclass(frozen=True)
class SavedQuery:
    """One ontology/queries/NAME.rq: its description, its SPARQL, and the parameters it needs."""

    name: str
    description: str
    text: str
    params: tuple[str, ...] = ()


def saved_queries(directory: str | Path | None = None) -> dict[str, SavedQuery]:
    """The saved queries by name, from `directory` (default ontology/queries).

    >>> sorted(saved_queries())[:3]
    ['attacks-by-militia', 'attacks-by-province', 'attacks-on-bases']
    >>> saved_queries()["entity"].params
    ('name',)
    """
    folder = Path(directory) if directory is not None else DEFAULT_CONFIG.queries_dir
    return {path.stem: read_saved(path) for path in sorted(folder.glob("*.rq"))}


def read_saved(path: str | Path) -> SavedQuery:
    """Read one .rq file: the first ``# `` line is its description, ``# param: NAME`` lines its parameters."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"cannot read the saved query {path}: {error}") from None
    description, params = "", []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break  # the header comments end at the first line of SPARQL
            continue
        match = _PARAM.match(line)
        if match:
            params.append(match.group(1))
        elif not description:
            description = line.lstrip("#").strip()
    return SavedQuery(path.stem, description, text, tuple(params))


def run(store: GraphStore, query: str, *, params: dict[str, Any] | None = None, timeout: float | None = None,
        max_rows: int | None = None) -> Answer:
    """Run a SPARQL query over a build's store.

    Parameters
    ----------
    store : kg.stores.GraphStore
    query : str
        SELECT, ASK, CONSTRUCT or DESCRIBE; the prefixes of kg.vocab.PREFIXES are declared.
    params : dict, optional
        Values bound to variables before evaluation: str (a plain literal), int, float,
        bool, or rdflib terms (URIRef for an IRI).
    timeout : float, optional
        Seconds before `kg.errors.QueryTimeout`.
    max_rows : int, optional
        Keep at most this many rows; the answer's `truncated` says whether more were found.

    Returns
    -------
    kg.stores.Answer

    Raises
    ------
    QueryError
        A malformed query, or one that fails or runs too long.

    Examples
    --------
    >>> from kg.stores import open_store
    >>> answer = run(open_store(), "SELECT ?x WHERE { }", params={"x": 'say "hi" } #'})
    >>> answer.rows
    [{'x': rdflib.term.Literal('say "hi" } #')}]
    """
    return store.execute(query, params=params, timeout=timeout, max_rows=max_rows)


def run_saved(store: GraphStore, name: str, /, *, timeout: float | None = None, max_rows: int | None = None,
              **params: Any) -> Answer:
    """Run the saved query `name` with its parameters.

    Raises
    ------
    QueryError
        No such saved query, or a parameter missing or unknown.

    Examples
    --------
    >>> from kg.model import Entity, Graph
    >>> from kg.rdf import graph_to_quads
    >>> from kg.stores import open_store
    >>> store = open_store()
    >>> store.load(graph_to_quads(Graph(entities={"kh": Entity("kh", "Kataib Hezbollah", "Militia", ["KH"])})))
    >>> answer = run_saved(store, "entity", name="kh")
    >>> [str(row["value"]) for row in answer.rows if row["property"].endswith("#altLabel")]
    ['KH']
    """
    saved = saved_queries()
    if name not in saved:
        raise QueryError(f"no saved query {name!r}; the saved ones are {', '.join(saved)}")
    query = saved[name]
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"the saved query {name!r} needs a value for {', '.join(missing)}")
    unknown = [p for p in params if p not in query.params]
    if unknown:
        takes = ", ".join(query.params) or "none"
        raise QueryError(f"the saved query {name!r} has no parameter {unknown[0]!r} (its parameters: {takes})")
    return run(store, query.text, params=params, timeout=timeout, max_rows=max_rows)


# ------------------------------------------------------------------ formats


def format_results(answer: Answer | list[dict[str, Node]], fmt: str = "table") -> str:
    """An answer as text: an aligned "table", or the SPARQL 1.1 "csv", "tsv" or "json" results formats.

    `answer` is a kg.stores.Answer or a list of rows (dicts of rdflib terms). A CONSTRUCT's
    triples come as rows of subject, predicate and object; an ASK prints true or false.

    >>> from rdflib import URIRef, Literal
    >>> rows = [{"group": URIRef("https://w3id.org/militia-kg/id/kh"), "attacks": Literal(3)}]
    >>> print(format_results(rows, "table"))
    group  attacks
    -----  -------
    id:kh  3
    >>> format_results(rows, "tsv").splitlines()
    ['?group\\t?attacks', '<https://w3id.org/militia-kg/id/kh>\\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>']
    """
    if fmt not in FORMATS:
        raise QueryError(f"no format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(answer, list):
        variables = tuple(dict.fromkeys(name for row in answer for name in row))
        kind, rows, boolean = "select", answer, None
    else:
        variables, kind, rows, boolean = answer.variables, answer.kind, answer.rows, answer.boolean
    if kind == "ask":
        return results_json((), (), boolean=boolean) if fmt == "json" else str(boolean).lower()
    return _WRITERS[fmt](variables, rows)


def _table(variables: tuple[str, ...], rows: list[dict[str, Node]]) -> str:
    """Columns two spaces apart, as wide as a terminal shows them (tabulate with wcwidth: Arabic marks and
    CJK count right), and a rule of dashes under the header. The header goes in as a row above tabulate's
    separating line, so it is padded no wider than its column, as before tabulate. Control characters (an
    escape sequence that would move the terminal's cursor, or tabulate's separating-line mark) show as U+FFFD."""
    from tabulate import SEPARATING_LINE, DataRow, Line, TableFormat, tabulate

    row_format = DataRow("", "  ", "")
    layout = TableFormat(lineabove=None, linebelowheader=Line("", "-", "  ", ""), linebetweenrows=None,
                         linebelow=None, headerrow=row_format, datarow=row_format, padding=0, with_header_hide=None)
    cells = [[_cut(_CONTROL.sub("\ufffd", _short(row.get(v)))) for v in variables] for row in rows]
    text = tabulate([list(variables), [SEPARATING_LINE], *cells], tablefmt=layout, disable_numparse=True,
                    stralign="left")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _csv(variables: tuple[str, ...], rows: list[dict[str, Node]]) -> str:
    return results_csv(variables, _aligned(variables, rows))


def _tsv(variables: tuple[str, ...], rows: list[dict[str, Node]]) -> str:
    return results_tsv(variables, _aligned(variables, rows))


def _json(variables: tuple[str, ...], rows: list[dict[str, Node]]) -> str:
    return results_json(variables, _aligned(variables, rows), indent=1)


def _aligned(variables: tuple[str, ...], rows: list[dict[str, Node]]) -> list[tuple[Node | None, ...]]:
    return [tuple(row.get(v) for v in variables) for row in rows]


_WRITERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}


_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def _short(term: Node | None) -> str:
    """What a table shows: a prefixed name for an IRI the ontology's prefixes cover, else the plain value."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in _LONGEST_FIRST:
            local = term[len(namespace):]
            if term.startswith(namespace) and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return f"<{term}>"
    return " ".join(plain_value(term).split())  # one line per row: newlines and tabs become spaces


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
