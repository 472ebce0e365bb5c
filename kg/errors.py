"""The exceptions the library raises. The CLI turns each into one line on stderr.

    KGError              anything militia-kg reports on purpose
    ├── BadSource        an input file that cannot be read as a document
    ├── NoSuchEntity     a name that resolves to no entity (carries suggestions)
    ├── NoPath           two entities with no path between them within the hop limit
    ├── StoreError       a build folder or SPARQL store that cannot be opened, read or written
    └── QueryError       a SPARQL query that is malformed, refused or too slow
        └── QueryTimeout a query that ran past its time limit, or found the store too busy to start
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error militia-kg raises on purpose."""


class BadSource(KGError):
    """An input that cannot be read. `source` names the file."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class NoSuchEntity(KGError):
    def __init__(self, name: str, suggestions: list[str] | None = None):
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no entity {name!r}{hint}")


class NoPath(KGError):
    pass


class StoreError(KGError):
    pass


class QueryError(KGError):
    pass


class QueryTimeout(QueryError):
    """A query that did not finish within its timeout (or waited that long for a free slot)."""
