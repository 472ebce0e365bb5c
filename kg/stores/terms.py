"""Term conversion between rdflib and pyoxigraph, in one place (as oxrdflib's _converter.py).

`to_ox_term`/`to_ox_quads` on the way in, `from_ox_term`/`from_ox_value` on the way out;
`as_term` makes a Python value an rdflib term for binding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.vocab import XSD_STRING

__all__ = ["as_term", "from_ox_term", "from_ox_value", "to_ox_quad", "to_ox_quads", "to_ox_term"]


def as_term(value: Any) -> Node:
    return value if isinstance(value, (URIRef, BNode, Literal)) else Literal(value)


def to_ox_term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph:
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if value is None:
        return ox.DefaultGraph()
    return to_ox_term(Literal(value))


def to_ox_quad(quad: tuple[Node, Node, Node, Node]) -> ox.Quad:
    s, p, o, g = quad
    return ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), to_ox_term(g))


def to_ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]], *, cache_size: int = 50_000) -> Iterator[ox.Quad]:
    """`to_ox_quad` over many quads, converting each repeated IRI once (predicates, classes, graphs, entities)."""
    named: dict[str, ox.NamedNode] = {}

    def term(value: Any) -> Any:
        if type(value) is URIRef:
            node = named.get(value)
            if node is None:
                if len(named) >= cache_size:  # a statement's IRI repeats a dozen times in a row, then never
                    named.clear()
                node = named[value] = ox.NamedNode(value)
            return node
        return to_ox_term(value)

    for s, p, o, g in quads:
        yield ox.Quad(term(s), term(p), term(o), term(g))


def from_ox_term(term: Any) -> Node | None:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return None  # the default graph


def from_ox_value(term: Any) -> Any:
    """A query answer as a plain Python value: IRIs and strings as str, numbers as numbers."""
    node = from_ox_term(term)
    return node.toPython() if isinstance(node, Literal) else (str(node) if node is not None else None)
