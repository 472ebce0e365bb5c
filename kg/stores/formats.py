"""Answer formats: HTTP content negotiation, and each SPARQL results format written in one place.

SPARQL 1.1 Query Results JSON (`results_json`), CSV (`results_csv`) and TSV
(`results_tsv`) are written here and nowhere else: `kg serve`, `Store.sparql_raw`, the
SPARQL server store and `kg query --format` all call these. A row is a sequence of
terms in the order of the variables (None where unbound); a term may be an rdflib term
or a pyoxigraph one, so an embedded store's answer is written without converting it
first. A TSV cell is the term in N-Triples, as kg.rdf.ntriples_term writes it. XML
results and the RDF syntaxes of a CONSTRUCT answer are Oxigraph's writers.

`kg serve` has Oxigraph write a build's answers itself (kg.stores.answers), in the
format `chosen_format` picks.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf import ntriples_term
from kg.stores.contract import Answer, Serialized
from kg.stores.terms import to_ox_term
from kg.vocab import PREFIXES, XSD_STRING

__all__ = ["GRAPH_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "chosen_format", "negotiate", "plain_value", "results_csv",
           "results_json", "results_tsv", "serialize", "serialize_answer"]

# Media types a query answer can be written in, the default first.
RESULTS_MEDIA_TYPES = {  # SELECT and ASK
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA_TYPES = {  # CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "text/xml"}

Row = Sequence[Any]  # terms (rdflib or pyoxigraph) in the order of the variables, None where unbound


# ------------------------------------------------------------ content negotiation


def negotiate(accept: str | None, offered: Iterable[str]) -> str | None:
    """The offered media type an HTTP Accept header likes best, or None if it accepts none.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/json", "text/csv",
    ...           "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> negotiate("*/*", ["text/turtle", "application/ld+json"])
    'text/turtle'
    """
    offered = list(offered)
    ranges = []
    for position, part in enumerate((accept or "*/*").split(",")):
        media, *options = [piece.strip() for piece in part.split(";")]
        if not media:
            continue
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-quality, -specificity, position, media))
    for negative_quality, _, _, media in sorted(ranges):
        if negative_quality >= 0:
            break
        for candidate in offered:
            if media in ("*/*", candidate) or (media.endswith("/*") and candidate.startswith(media[:-1])):
                return candidate
    return None


# ------------------------------------------------------------ the results formats


def results_json(variables: Sequence[str], rows: Iterable[Row], *, boolean: bool | None = None,
                 indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON of a SELECT (or, with `boolean`, an ASK) answer.

    Compact, or indented by `indent` for people to read.

    >>> results_json(["x"], [[URIRef("urn:a")], [None]])
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"urn:a"}},{}]}}'
    >>> results_json([], [], boolean=True)
    '{"head": {}, "boolean": true}'
    """
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean})
    bindings = [{n: json_term(t) for n, t in zip(variables, row) if t is not None} for row in rows]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    if indent is None:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(document, ensure_ascii=False, indent=indent)


def json_term(term: Any) -> dict[str, Any]:
    """One term of SPARQL results JSON, from a pyoxigraph or an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject),
                                            "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and str(term.datatype) != XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot write {term!r} as a SPARQL result")


def results_csv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends (RFC 4180), blank nodes as ``_:label``.

    >>> results_csv(["x", "y"], [[URIRef("urn:a"), Literal("b, c")]])
    'x,y\\r\\nurn:a,"b, c"\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF line ends, as RFC 4180 and the SPARQL CSV format have them
    writer.writerow(variables)
    writer.writerows([_csv_cell(term) for term in row] for row in rows)
    return out.getvalue()


def results_tsv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 Query Results TSV: ``?name`` headers, each term in N-Triples (tabs and newlines escaped).

    >>> results_tsv(["x"], [[Literal("a\\tb")]])
    '?x\\n"a\\\\tb"\\n'
    """
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join([_tsv_cell(term) for term in row]) for row in rows]
    return "\n".join(lines) + "\n"


def plain_value(term: Node) -> str:
    """A term as a CSV cell shows it: the IRI or the lexical form, a blank node as ``_:label``."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _csv_cell(term: Any) -> str:
    kind = type(term)
    if kind is ox.NamedNode or kind is ox.Literal:
        return term.value
    if kind is ox.BlankNode:
        return "_:" + term.value
    return "" if term is None else plain_value(term)


def _tsv_cell(term: Any) -> str:
    kind = type(term)
    if kind is ox.NamedNode or kind is ox.Literal or kind is ox.BlankNode:
        return str(term)  # a pyoxigraph term prints itself in N-Triples, escapes and all
    return "" if term is None else ntriples_term(term)


# ------------------------------------------------------------ serialising an answer


def serialize(kind: str, variables: Sequence[str], rows: Sequence[Row], accept: str, *,
              boolean: bool | None = None, truncated: bool = False) -> Serialized:
    """An answer written as the HTTP Accept header `accept` likes best, or in the default format.

    SELECT and ASK answers come as JSON (the default), XML, CSV or TSV; a graph answer
    (rows of subject, predicate, object) as Turtle (the default), JSON-LD, N-Triples or RDF/XML.
    """
    syntax, content_type = chosen_format(kind, accept)
    if kind == "graph":
        triples = [ox.Triple(*(t if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)) else to_ox_term(t)
                               for t in row)) for row in rows]
        return Serialized(ox.serialize(triples, format=syntax, prefixes=PREFIXES), content_type, truncated)
    if syntax == ox.QueryResultsFormat.CSV and kind == "select":
        return Serialized(results_csv(variables, rows).encode("utf-8"), content_type, truncated)
    if syntax == ox.QueryResultsFormat.TSV and kind == "select":
        return Serialized(results_tsv(variables, rows).encode("utf-8"), content_type, truncated)
    document = results_json(variables, rows, boolean=boolean if kind == "ask" else None).encode("utf-8")
    if syntax == ox.QueryResultsFormat.JSON:
        return Serialized(document, content_type, truncated)
    parsed = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    return Serialized(parsed.serialize(format=syntax), content_type, truncated)


def serialize_answer(answer: Answer, accept: str) -> Serialized:
    """An `Answer` (of rdflib terms, from any store) written as `accept` asks: see `serialize`."""
    rows = [tuple(row.get(name) for name in answer.variables) for row in answer.rows]
    return serialize(answer.kind, answer.variables, rows, accept, boolean=answer.boolean, truncated=answer.truncated)


@functools.lru_cache(maxsize=1024)  # clients send the same few Accept headers again and again
def chosen_format(kind: str, accept: str) -> tuple[Any, str]:
    """The syntax an answer of `kind` (select, ask or graph) is written in for the Accept header `accept`,
    and its Content-Type: the offered format it likes best, or the default."""
    offered = GRAPH_MEDIA_TYPES if kind == "graph" else RESULTS_MEDIA_TYPES
    media = negotiate(accept, offered) or next(iter(offered))
    return offered[media], f"{media}; charset=utf-8" if media in _CHARSET else media
