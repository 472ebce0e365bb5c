"""A build's answer written by Oxigraph's own writers, in the format asked for, cut at the row limit.

`kg serve` sends answers as they come from here: no term of an answer becomes a Python
object on the way (converting them took a third of each answer's time, the rest being
the evaluation itself). The row limit is kept while Oxigraph writes, by counting what
each row leaves in the bytes:

- TSV results and N-Triples put one row (or triple) on a line, with every newline in a
  term escaped: the lines count the rows exactly, and the answer is cut at a line's end.
- JSON, XML and CSV results only bound the rows from above (``},{`` between JSON rows,
  ``<result>`` opening an XML one, CRLF ending a CSV one; a value may hold the same
  characters). Past the limit by that bound, the query is evaluated again and written as
  TSV (or N-Triples), cut exactly, and Oxigraph's parser and writer turn that into the
  format asked for. So does every graph answer in Turtle, JSON-LD or RDF/XML.

Writing stops once the limit (or the deadline) is passed, so a huge answer is never held whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from kg.stores.contract import Serialized
from kg.stores.formats import chosen_format
from kg.vocab import PREFIXES

__all__ = ["write_answer"]

_RESULTS = ox.QueryResultsFormat
# What an answer's bytes show once per row (or more often), and how many such marks are not rows.
_BOUNDS: dict[Any, tuple[bytes, int]] = {
    _RESULTS.JSON: (b"},{", -1),  # between two rows
    _RESULTS.XML: (b"<result>", 0),  # a value's "<" is written "&lt;"
    _RESULTS.CSV: (b"\r\n", 1),  # the header's end, then each row's (a quoted value may hold more)
    _RESULTS.TSV: (b"\n", 1),  # exact: the header, then one line a row
    ox.RdfFormat.N_TRIPLES: (b"\n", 0),  # exact
}
_EXACT = (_RESULTS.TSV, ox.RdfFormat.N_TRIPLES)


def write_answer(run: Callable[[], Any], accept: str, max_rows: int | None, cancel: threading.Event) -> Serialized:
    """The answer of ``run()`` (pyoxigraph's ``Store.query``) written as the Accept header `accept` asks.

    At most `max_rows` rows (or triples); `run` is called a second time when the first
    answer may hold more (see the module's docstring). Once `cancel` is set, writing
    stops and what was written so far is returned.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("a, b")))
    >>> write_answer(lambda: store.query("SELECT ?o { ?s ?p ?o }"), "text/csv", 10, threading.Event())
    Serialized(body=b'o\\r\\n"a, b"\\r\\n', media_type='text/csv; charset=utf-8', truncated=False)
    """
    result = run()
    if isinstance(result, ox.QueryBoolean):
        syntax, media_type = chosen_format("ask", accept)
        return Serialized(result.serialize(format=syntax), media_type, False)
    kind = "select" if isinstance(result, ox.QuerySolutions) else "graph"
    syntax, media_type = chosen_format(kind, accept)
    if syntax in _BOUNDS and syntax not in _EXACT:
        written = _write(result, syntax, max_rows, cancel)
        if not written.over or cancel.is_set():
            return Serialized(written.value(), media_type, False)
        result = run()  # perhaps past the limit: count exactly
    lines = _RESULTS.TSV if kind == "select" else ox.RdfFormat.N_TRIPLES
    written = _write(result, lines, max_rows, cancel)
    if syntax == lines:
        body = written.value()
    elif kind == "graph":
        body = ox.serialize(ox.parse(written.value(), lines), format=syntax, prefixes=PREFIXES)
    else:
        body = ox.parse_query_results(written.value(), lines).serialize(format=syntax)
    return Serialized(body, media_type, written.over)


def _write(result: Any, syntax: Any, max_rows: int | None, cancel: threading.Event) -> _Counted:
    mark, others = _BOUNDS[syntax]
    out = _Counted(mark, None if max_rows is None else max_rows + others, syntax in _EXACT, cancel)
    try:
        result.serialize(out, format=syntax)
    except _Enough:
        pass
    return out


class _Enough(Exception):
    """Raised in a writer's `write` to stop Oxigraph's serialiser (which hands the exception back)."""


class _Counted:
    """A binary file that counts `mark` in what is written to it and stops the writer past `limit` marks.

    With `cut` (a one-byte mark ending each line), what it keeps ends at the `limit`-th mark.
    """

    def __init__(self, mark: bytes, limit: int | None, cut: bool, cancel: threading.Event):
        self.mark, self.limit, self.cut, self.cancel = mark, limit, cut, cancel
        self.chunks: list[bytes] = []
        self.marks = 0
        self.tail = b""  # the end of the last chunk, where a mark may begin
        self.over = False  # more marks came than `limit`
        self.stopped = False

    def write(self, chunk: bytes) -> int:
        if self.stopped:  # Oxigraph tries again with what it still holds: keep refusing
            raise _Enough
        if self.limit is not None:
            found = (self.tail + chunk).count(self.mark)
            if self.marks + found > self.limit:
                if self.cut:  # keep the lines up to the limit
                    end = -1
                    for _ in range(self.limit - self.marks):
                        end = chunk.index(self.mark, end + 1)
                    self.chunks.append(chunk[:end + 1])
                self.over = self.stopped = True
                raise _Enough
            self.marks += found
            if len(self.mark) > 1:
                self.tail = (self.tail + chunk)[1 - len(self.mark):]
        self.chunks.append(chunk)
        if self.cancel.is_set():
            self.stopped = True
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.chunks)
