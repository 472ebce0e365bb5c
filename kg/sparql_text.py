"""Reading a SPARQL query's text just enough to bind values and page answers, portably.

A SPARQL server (kg.stores.server) offers no way to bind a value to a variable before
evaluation, and may cut long answers short. So the client rewrites the query, with
values always written as escaped RDF terms, never pasted text:

    bind_in_groups(query, bindings)   a VALUES block at the top of each group that uses a bound variable
    page(query, limit, offset)        the query with LIMIT and OFFSET, or None if it has its own
    uses_service(query)               whether it asks the store to fetch from another endpoint (SERVICE)

Both work on tokens (strings, IRIs and comments kept whole), not on raw text, so a
brace or a variable name inside a string or an IRI is never mistaken for syntax.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError

__all__ = ["ask_as_select", "bind_in_groups", "check_unicode", "page", "query_form", "sparql_term", "tokens", "uses_service"]

_TOKEN = re.compile(r'''
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W]\w*)
  | (?P<word>[^\W\d][\w.-]*(?<!\.)(?::[\w.%-]*(?<!\.))?|:[\w.%-]*(?<!\.))
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str  # comment, string, iri, var, word, open, close, other
    text: str
    start: int
    depth: int  # braces open around it (an open brace counts itself out, its close brace too)

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(query: str) -> list[Token]:
    """The query's tokens, without spaces and comments.

    >>> [t.text for t in tokens('SELECT ?x { ?x <urn:a#b> "}" } # }')]
    ['SELECT', '?x', '{', '?x', '<urn:a#b>', '"}"', '}']
    """
    found, depth = [], 0
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth -= 1
        found.append(Token(kind, match.group(), match.start(), depth))
        if kind == "open":
            depth += 1
    if depth != 0:
        raise QueryError("malformed SPARQL: its braces { } do not balance")
    return found


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK (the first such keyword), UPDATE for an update, or ''.

    >>> query_form("PREFIX kg: <urn:kg#> # SELECT in a comment\\nASK { ?s ?p ?o }")
    'ASK'
    """
    for token in tokens(query):
        if token.keyword in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            return token.keyword
        if token.keyword in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"):
            return "UPDATE"
    return ""


def bind_in_groups(query: str, bindings: Mapping[str, Any]) -> str:
    """Bind variables by a VALUES block at the top of the query's pattern and of every group that uses one.

    The effect is that of substituting the values before evaluation (as pyoxigraph's
    substitutions do): FILTERs, OPTIONALs and sub-SELECTs all see them, and a projected
    variable is bound in the answer. Values are Python values or rdflib terms, written
    as escaped RDF terms.

    >>> print(bind_in_groups('SELECT ?e ?name { { SELECT ?e ?name { ?e ?p ?l FILTER(?l = ?name) } } }',
    ...                      {"name": 'K "H" }'}))
    SELECT ?e ?name { VALUES (?name) { ("K \\"H\\" }") } { SELECT ?e ?name { VALUES (?name) { ("K \\"H\\" }") } ?e ?p ?l FILTER(?l = ?name) } } }
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not name.isidentifier():
            raise QueryError(f"cannot bind {name!r}: a variable name is letters, digits and _")
    values = " ".join(sparql_term(value) for value in bindings.values())
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    wanted = {name for name in names}
    found = tokens(query)
    inserts = []
    first = True
    for i, token in enumerate(found):
        if token.kind != "open" or not _opens_group(found, i):
            continue
        if first or _mentions(found, i, wanted):
            inserts.append(token.start + 1)
        first = False
    for at in reversed(inserts):
        query = query[:at] + block + query[at:]
    return query


def page(query: str, limit: int, offset: int) -> str | None:
    """The SELECT or CONSTRUCT `query` cut to `limit` solutions from `offset`, or None when
    it cannot be paged: another form, or it sets its own LIMIT, OFFSET or final VALUES.

    A sorted SELECT is paged from outside a sub-SELECT, since Virtuoso refuses to sort
    for a LIMIT plus OFFSET beyond its row cap; its first page needs no OFFSET.

    >>> page("SELECT ?s WHERE { ?s ?p ?o }", 10, 20)
    'SELECT ?s WHERE { ?s ?p ?o }\\nLIMIT 10 OFFSET 20'
    >>> page("PREFIX a: <urn:a#> SELECT ?s WHERE { ?s a:p ?o } ORDER BY ?o", 10, 20)
    'PREFIX a: <urn:a#> SELECT * WHERE { { SELECT ?s WHERE { ?s a:p ?o } ORDER BY ?o } }\\nLIMIT 10 OFFSET 20'
    >>> page("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5", 10, 0) is None
    True
    """
    form = query_form(query)
    if form not in ("SELECT", "CONSTRUCT"):
        return None
    found = tokens(query)
    where = next((i for i, t in enumerate(found) if t.kind == "open" and t.depth == 0 and _opens_group(found, i)), None)
    if where is None:
        return None
    end = next(i for i in range(where + 1, len(found)) if found[i].kind == "close" and found[i].depth == 0)
    modifiers = {t.keyword for t in found[end + 1:] if t.depth == 0}
    if modifiers & {"LIMIT", "OFFSET", "VALUES"}:
        return None
    if "ORDER" in modifiers and offset:
        if form != "SELECT":
            return None
        start = next(t.start for t in found if t.keyword == "SELECT")
        return f"{query[:start]}SELECT * WHERE {{ {{ {query[start:].strip()} }} }}\nLIMIT {limit} OFFSET {offset}"
    return f"{query}\nLIMIT {limit}" + (f" OFFSET {offset}" if offset else "")


def _opens_group(found: list[Token], i: int) -> bool:
    """Whether the brace at `i` opens a graph pattern group (not a CONSTRUCT template,
    a VALUES data block, the wrapper of a sub-SELECT, or INSERT/DELETE DATA)."""
    before = found[i - 1] if i else None
    after = found[i + 1] if i + 1 < len(found) else None
    if after is not None and after.keyword == "SELECT":
        return False
    if before is not None and before.keyword in ("CONSTRUCT", "DATA", "INSERT", "DELETE"):
        return False
    for back in range(i - 1, -1, -1):  # VALUES ?x { ... } or VALUES (?x ?y) { ... }
        token = found[back]
        if token.kind == "var" or token.text in ("(", ")"):
            continue
        return token.keyword != "VALUES"
    return True


def _mentions(found: list[Token], i: int, names: set[str]) -> bool:
    depth = found[i].depth
    for token in found[i + 1:]:
        if token.kind == "close" and token.depth == depth:
            return False
        if token.kind == "var" and token.text[1:] in names:
            return True
    return False


def sparql_term(value: Any) -> str:
    """A Python value or rdflib term written as an escaped SPARQL term, after checking it.

    IRIs (a URIRef, a literal's datatype) must be absolute and hold none of the characters
    an IRI cannot (spaces, ``<>"{}|^`\\``); a language tag must be one; text must be valid
    Unicode (no lone surrogates); blank nodes cannot be bound. Anything else is a QueryError,
    so no value can close its term and write query text of its own.

    >>> sparql_term('say "hi"'), sparql_term(2), sparql_term(URIRef("urn:kg:x"))
    ('"say \\\\"hi\\\\""', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '<urn:kg:x>')
    >>> sparql_term(Literal("Iran", datatype='http://a>) ("x") #'))
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: cannot bind 'Iran': its datatype 'http://a>) ("x") #' is not a valid IRI
    """
    term = value if isinstance(value, (URIRef, BNode, Literal)) else Literal(value)
    if isinstance(term, BNode):
        raise QueryError(f"cannot bind {_shown(term)}: a blank node cannot be bound; give an IRI or a value")
    if isinstance(term, URIRef):
        _check_text(str(term), str(term))
        if not _IRI.fullmatch(str(term)):
            raise QueryError(f"cannot bind {_shown(term)}: not a valid IRI")
        return f"<{term}>"
    _check_text(str(term), str(term))
    if term.datatype is not None:
        _check_text(str(term), str(term.datatype))
        if not _IRI.fullmatch(str(term.datatype)):
            raise QueryError(f"cannot bind {_shown(term)}: its datatype {_shown(term.datatype)} is not a valid IRI")
    if term.language is not None and not _LANGUAGE.fullmatch(term.language):
        raise QueryError(f"cannot bind {_shown(term)}: {_shown(term.language)} is not a language tag")
    try:
        return term.n3()
    except Exception:  # noqa: BLE001 (rdflib raises a bare Exception for a term it cannot write)
        raise QueryError(f"cannot bind {_shown(term)}: it cannot be written as a SPARQL term") from None


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_text(value: str, text: str) -> None:
    bad = _SURROGATE.search(text)
    if bad:
        raise QueryError(f"cannot bind {_shown(value)}: not valid Unicode (a lone surrogate at character "
                         f"{bad.start()}; was the text decoded with the wrong encoding?)")


def _shown(text: Any) -> str:
    """`text` quoted for a one-line message, with lone surrogates and control characters escaped."""
    shown = repr(str(text)[:80])
    return _SURROGATE.sub(lambda m: ascii(m.group())[1:-1], shown)


def check_unicode(query: str) -> None:
    """Raise QueryError when the query's text holds a lone surrogate (it cannot be sent or read).

    >>> check_unicode("ASK { ?s ?p '" + chr(0xDCFF) + "' }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the query is not valid Unicode: a lone surrogate at character 13
    """
    bad = _SURROGATE.search(query)
    if bad:
        raise QueryError(f"the query is not valid Unicode: a lone surrogate at character {bad.start()}")


def ask_as_select(query: str) -> str:
    """The ASK `query` as a SELECT *, whose answer has a row when the ASK's is yes.

    Virtuoso answers an ASK over a dataset named by FROM NAMED or named-graph-uri with
    yes for a graph outside that dataset (and so do its aggregates and constant
    projections); a SELECT of the pattern's own variables is right, so the server store
    asks that instead.

    >>> ask_as_select("PREFIX a: <urn:a#> ASK FROM <urn:g> { ?s a:p ?o }")
    'PREFIX a: <urn:a#> SELECT *  FROM <urn:g> { ?s a:p ?o }'
    """
    ask = next(t for t in tokens(query) if t.keyword == "ASK")
    return f"{query[:ask.start]}SELECT * {query[ask.start + 3:]}"


_PARSE_LOCK = threading.Lock()  # rdflib's grammar (pyparsing) keeps shared state while it parses


def uses_service(query: str) -> bool:
    """Whether `query` holds a SERVICE pattern (federation: the store would fetch from that address).

    Read by a full SPARQL parser (rdflib's), not by tokens, so that no IRI-looking text,
    comment or string hides the keyword. A query that parser cannot read counts as using
    SERVICE when the word appears in it at all: when in doubt, refuse.

    >>> uses_service('SELECT * { SERVICE SILENT <http://127.0.0.1:7878/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s rdfs:label "Federal Security Service" }')
    False
    """
    if "service" not in query.casefold():
        return False
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def found(node: Any) -> bool:
        if isinstance(node, CompValue):
            return node.name == "ServiceGraphPattern" or any(found(v) for v in node.values())
        if isinstance(node, (list, tuple, ParseResults)):
            return any(found(v) for v in node)
        return False

    try:
        with _PARSE_LOCK:
            tree = parseQuery(query)
    except Exception:  # noqa: BLE001 (rdflib raises several types, RecursionError too, for what it cannot read)
        return re.search(r"service", query, re.IGNORECASE) is not None
    return found(tree)
