"""Reading a SPARQL server a page at a time, over only the graphs this project wrote.

Servers cut answers short (Virtuoso at 10,000 rows by default), so SELECT and CONSTRUCT
answers are read a page at a time with LIMIT and OFFSET. A shared server holds graphs
that are not ours, and its default graph may be the union of all of them, so every
query names its dataset (the protocol's ``default-graph-uri`` and ``named-graph-uri``):
the graphs this build wrote, as `META_GRAPH` lists them.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.sparql_text import page
from kg.stores.server_http import ServerHttp
from kg.vocab import GEO, GRAPH, KG, VIRTUOSO_GEOMETRY, XSD_STRING, sparql_prologue

__all__ = ["META_GRAPH", "PagedReads", "staging_graph", "with_prologue"]

META_GRAPH = GRAPH["meta"]  # which graphs a build wrote to the server, and a hash of each
RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
_NO_GRAPH = GRAPH["none"]  # a graph nobody writes: the dataset of a build that has written nothing


class PagedReads(ServerHttp):
    """The reading side of `kg.stores.server.ServerStore`: pages, the dataset, the meta graph."""

    page_size: int

    def _dataset(self) -> list[str]:
        """The graphs a query may read: those this build wrote (never the meta graph or a staging one)."""
        graphs = set(self._published()) - {META_GRAPH}
        graphs -= {staging_graph(g) for g in graphs}
        return sorted(map(str, graphs)) or [str(_NO_GRAPH)]  # nothing written yet: an empty dataset, not the whole server

    def _select(self, query: str, deadline: float | None, max_rows: int | None,
                dataset: list[str] | None = None) -> tuple[tuple[str, ...], list]:
        """All rows of a SELECT, a page at a time when the query can be paged."""
        want = None if max_rows is None else max_rows + 1  # one more tells whether there are more
        size = self.page_size if want is None else min(self.page_size, want)
        first = page(query, size, 0)
        if first is None:
            variables, rows = self._select_page(query, deadline, dataset)
            return variables, rows
        variables, rows = self._select_page(first, deadline, dataset)  # the first page names the variables in order
        offset = len(rows)
        while offset % size == 0 and offset and (want is None or len(rows) < want):
            paged = page(query, size, offset)
            if paged is None:  # a sorted CONSTRUCT-like query that cannot be paged further
                break
            batch = self._select_page(paged, deadline, dataset)[1]
            rows.extend(batch)
            offset += len(batch)
            if len(batch) < size:
                break
        return variables, rows

    def _select_page(self, query: str, deadline: float | None, dataset: list[str] | None = None) -> tuple[Any, Any]:
        response = self._request("POST", self.endpoint.query_url, data=self._form(query, dataset),
                                 headers={"Accept": RESULTS_JSON}, deadline=deadline, what="query")
        try:
            document = response.json()
        except ValueError:
            raise QueryError(f"{self.url} did not answer in SPARQL results JSON") from None
        if "boolean" in document:
            return (), bool(document["boolean"])
        variables = tuple(document.get("head", {}).get("vars", ()))
        rows = [{name: _term(value) for name, value in binding.items()}
                for binding in document.get("results", {}).get("bindings", ())]
        return variables, rows

    def _triples(self, query: str, deadline: float | None, max_rows: int | None,
                 dataset: list[str] | None = None) -> list[tuple[Node, Node, Node]]:
        import rdflib

        triples: list[tuple[Node, Node, Node]] = []
        offset = 0
        # Virtuoso cuts a graph answer at its row cap counted in triples, without a word: ask
        # for few enough solutions that a template of up to ten triples stays under it.
        size = max(1, self.page_size // 10)
        while True:
            paged = page(query, size, offset)
            response = self._request("POST", self.endpoint.query_url, data=self._form(paged or query, dataset),
                                     headers={"Accept": _GRAPH_TYPES}, deadline=deadline, what="query")
            media = response.headers.get("Content-Type", "").split(";")[0].strip()
            syntax = {"application/n-triples": "nt", "text/plain": "nt"}.get(media, "turtle")
            try:
                batch = list(rdflib.Graph().parse(data=response.content, format=syntax))
            except Exception as error:  # noqa: BLE001 (rdflib's parsers raise many types)
                raise QueryError(f"{self.url} sent a graph that cannot be read: {error}") from None
            triples.extend(batch)
            offset += size
            if paged is None or len(batch) < size or (max_rows is not None and len(triples) > max_rows):
                return triples

    def _form(self, query: str, dataset: list[str] | None = None) -> dict[str, Any]:
        if dataset is not None:  # the default graph is the merge of these, and only these are named
            return {"query": query, "default-graph-uri": dataset, "named-graph-uri": dataset}
        # Oxigraph server reads the union of its graphs only when asked; the others ignore the word.
        return {"query": query, "union-default-graph": ""}

    def _published(self) -> dict[URIRef, str]:
        query = (f"SELECT ?g ?h WHERE {{ GRAPH {META_GRAPH.n3()} {{ ?g {KG.contentHash.n3()} ?h }} }}")
        return {row["g"]: str(row["h"]) for row in self._select(query, None, None)[1] if isinstance(row["g"], URIRef)}



def with_prologue(query: str) -> str:
    """The ontology's prefixes declared first, as the embedded store declares them (a query's own
    PREFIX lines come after and win), all on the query's first line so that a server's
    "error at line L" still points into the query as written."""
    return sparql_prologue().replace("\n", " ") + query


def _term(value: dict[str, str]) -> Node:
    """One RDF term of SPARQL results JSON (with Virtuoso's older "typed-literal")."""
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if "xml:lang" in value:
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype == str(VIRTUOSO_GEOMETRY):  # the geo:wktLiteral we wrote, in Virtuoso's own type
        from kg.geo.quads import wkt_from_server

        return Literal(wkt_from_server(text), datatype=GEO.wktLiteral)
    if datatype and datatype != XSD_STRING:  # RDF 1.1: a string is a plain literal
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def staging_graph(graph: URIRef) -> URIRef:
    """Where a graph too big for one request is written before it is moved into place."""
    return URIRef(f"{graph}-staging")
