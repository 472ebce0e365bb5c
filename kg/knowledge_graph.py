"""KnowledgeGraph: a built graph, asked by name, every answer with the sentences behind it.

A facade over kg.paths (the walks), kg.names (finding an entity by any spelling)
and kg.stores (SPARQL). The networkx view is read from the store once, kept, and
read again when the store changes on disk; SPARQL and the walks always see the
same snapshot.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Collection
from datetime import date
from pathlib import Path as FilePath
from typing import Any

import networkx as nx

from kg import paths as _paths
from kg.model import Attack, Document, Entity, Evidence, Graph, Relation
from kg.names import FUZZY_CUTOFF, NameIndex
from kg.paths import Event, Link, Path
from kg.stores import GraphStore, open_source
from kg.tenure import as_of_graph, check_day, read_roles

__all__ = ["KnowledgeGraph"]

_DOCUMENTS = """SELECT ?id ?source ?title (STR(?d) AS ?date) ?url WHERE {
  ?doc a kg:Document ; dct:identifier ?id .
  OPTIONAL { ?doc dct:source ?source } OPTIONAL { ?doc dct:title ?title }
  OPTIONAL { ?doc dct:date ?d } OPTIONAL { ?doc dct:references ?url }
}"""
_CACHE_SIZE = 4
_cache: OrderedDict[tuple, tuple[nx.MultiDiGraph, NameIndex]] = OrderedDict()


def _open_build(build_dir: str | os.PathLike) -> GraphStore:
    return open_source(build_dir)


def _fingerprint(store: GraphStore) -> tuple:
    """Changes whenever the store's content may have (see `GraphStore.fingerprint`)."""
    return store.fingerprint()


def _build(store: GraphStore) -> tuple[nx.MultiDiGraph, NameIndex]:
    G = _paths.to_networkx(store)
    G.graph["roles"] = read_roles(store)
    names = NameIndex.of_entities(((n, d["name"], d["aliases"], d.get("qid")) for n, d in G.nodes(data=True)),
                                  weight=dict(G.degree))
    return nx.freeze(G), names


class KnowledgeGraph:
    """A built knowledge graph: entities by name, their links, paths and timelines, and SPARQL.

    Parameters
    ----------
    store : kg.stores.GraphStore
        The store to read. `KnowledgeGraph.open(build_dir)` opens a build's store read-only.
    fuzzy_cutoff : float
        How close (0-100, rapidfuzz ratio of normalised names) a misspelt name must come
        to resolve on its own; closer names below it are offered as suggestions.

    Examples
    --------
    >>> from kg.model import Entity, Graph, Relation, Evidence
    >>> from kg.rdf import graph_to_quads
    >>> from kg.stores import open_store
    >>> store = open_store()
    >>> store.load(graph_to_quads(Graph(
    ...     entities={"kh": Entity("kh", "Kataib Hezbollah", "Militia", aliases=["KH"]),
    ...               "iran": Entity("iran", "Iran", "State", qid="Q794")},
    ...     relations=[Relation("kh", "backedBy", "iran",
    ...                         [Evidence("ap-1", "KH is backed by Iran.", 0, 21, date="2021-07-08")])])))
    >>> g = KnowledgeGraph(store)
    >>> g.entity("Kata'ib Hezbollah").id
    'kh'
    >>> print(g.paths("Iran", "KH")[0])
    Iran <-backedBy- Kataib Hezbollah
    """

    def __init__(self, store: GraphStore, *, fuzzy_cutoff: float = FUZZY_CUTOFF):
        self._store = store
        self._store_key: tuple | None = _fingerprint(store)
        self._build_dir: FilePath | None = None
        self._local: tuple[tuple, tuple[nx.MultiDiGraph, NameIndex]] | None = None
        self.fuzzy_cutoff = fuzzy_cutoff

    @classmethod
    def open(cls, build_dir: str | os.PathLike, *, fuzzy_cutoff: float = FUZZY_CUTOFF) -> KnowledgeGraph:
        """The graph a `kg build` wrote into `build_dir` (or into the SPARQL server at that URL), opened read-only.

        Raises
        ------
        StoreError
            If `build_dir` holds no store.
        """
        store = _open_build(build_dir)
        graph = cls(store, fuzzy_cutoff=fuzzy_cutoff)
        if store.live:  # a server answers for itself: nothing to reopen
            return graph
        graph._build_dir = FilePath(build_dir)
        graph._store_key = None  # the first look reopens after taking the fingerprint: no write slips between
        return graph

    def __repr__(self) -> str:
        where = self._build_dir or getattr(self._store, "url", None) or "in memory"
        return f"<KnowledgeGraph {where}>"

    # ------------------------------------------------------------ names

    def entity(self, name: str) -> Entity:
        """The entity `name` means: an id, a QID, a name or alias in any spelling, or a close misspelling.

        Matching ignores case, accents, apostrophes, hyphens and the article "al"
        (kg.names.normalise_name), then falls back to a fuzzy match of at least
        `fuzzy_cutoff`. When a name fits several entities the best connected wins.

        Raises
        ------
        NoSuchEntity
            With up to three suggestions: ``no entity 'Kata Hezb'; did you mean Kataib Hezbollah?``
        """
        G, names = self._current()
        return _paths._entity(G, names.lookup(name, cutoff=self.fuzzy_cutoff))

    def search(self, text: str, *, limit: int = 5) -> list[Entity]:
        """The entities whose names come closest to `text`, best first (none below a score of 60)."""
        G, names = self._current()
        return [_paths._entity(G, m.node) for m in names.search(text, limit=limit)]

    # ------------------------------------------------------------ questions

    def linked_to(
        self,
        name: str,
        hops: int = 2,
        relations: Collection[str] | None = None,
        types: Collection[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        *,
        limit: int | None = 50,
        max_paths: int = 3,
        max_frontier: int | None = _paths.MAX_FRONTIER,
        as_of: str | date | None = None,
    ) -> list[Link]:
        """The entities within `hops` of `name`, fewest hops first, then most paths and evidence.

        Each Link carries its shortest paths and every step's evidence. See
        kg.paths.linked_to for the arguments and how a large neighbourhood is capped.
        `as_of` ("2021-06-01") walks leaderOf only where the post was held that day (kg.tenure).
        """
        G, names = self._current()
        node = names.lookup(name, cutoff=self.fuzzy_cutoff)
        G = as_of_graph(G, as_of) if as_of is not None else G
        return _paths.linked_to(G, node, hops, relations=relations, types=types, since=since, until=until,
                                limit=limit, max_paths=max_paths, max_frontier=max_frontier)

    def paths(
        self,
        source: str,
        target: str,
        max_hops: int = 4,
        *,
        relations: Collection[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        limit: int | None = 10,
        as_of: str | date | None = None,
    ) -> list[Path]:
        """The shortest explained paths from `source` to `target`, walking edges either way
        (leaderOf only where the post was held on `as_of`, when given).

        Raises
        ------
        NoSuchEntity
            If either name resolves to no entity.
        NoPath
            If nothing links them within `max_hops`.
        """
        G, names = self._current()
        a = names.lookup(source, cutoff=self.fuzzy_cutoff)
        b = names.lookup(target, cutoff=self.fuzzy_cutoff)
        G = as_of_graph(G, as_of) if as_of is not None else G
        return _paths.shortest_paths(G, a, b, max_hops, relations=relations, since=since, until=until,
                                     limit=limit)

    def timeline(
        self,
        name: str,
        *,
        relations: Collection[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        as_of: str | date | None = None,
    ) -> list[Event]:
        """What `name` did and what was said of it (attacks, claims, condemnations, backing), by date.
        `as_of` keeps what was told up to that day, and leaderOf only where the post was held then."""
        G, names = self._current()
        node = names.lookup(name, cutoff=self.fuzzy_cutoff)
        if as_of is not None:
            G, until = as_of_graph(G, as_of), until or check_day(as_of)
        return _paths.timeline(G, node, relations=relations, since=since, until=until)

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple]:
        """A SPARQL query over the same snapshot the walks use; `bindings` are bound safely (VALUES).

        >>> from kg.stores import open_store
        >>> KnowledgeGraph(open_store()).sparql("SELECT ?x WHERE { }", x=1)
        [{'x': 1}]
        """
        self._sync_store()
        return self._store.sparql(query, **bindings)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph the walks use: frozen (shared with every caller), so copy it to change it."""
        return self._current()[0]

    def to_model(self) -> Graph:
        """The graph as kg.model values (what the explorer draws), read back from the store.

        Relations keep the evidence their statements carry; attack events keep target,
        attacker, claimants, date, weapon and documents (casualty counts stay in the store).
        """
        G, _ = self._current()
        entities = {n: Entity(n, d["name"], d["type"], list(d["aliases"]), d["qid"], d["mentions"])
                    for n, d in G.nodes(data=True) if d["type"]}
        relations = []
        for s, o, data in G.edges(data=True):
            stated = [e for e in data["evidence"] if e.rule != "attack" and not e.rule.endswith(".event")]
            if stated or not data.get("attacks"):
                relations.append(Relation(s, data["relation"], o, stated))
        attacks = [Attack(attack_id, a["target"], a["attacker"], list(a["claimed_by"]), a["date"], a["weapon"],
                          place=a["place"],
                          evidence=list(a["evidence"]) or [Evidence(doc, "", 0, 0, date=a["date"] or day, rule="attack")
                                                           for doc, day in a["docs"]])
                   for attack_id, a in G.graph["attacks"].items()]
        documents = [Document(str(r["id"]), str(r.get("source", "")), "", str(r.get("title", "")),
                              str(r["date"]) if "date" in r else None, str(r.get("url", "")))
                     for r in self.store.select_terms(_DOCUMENTS)]
        return Graph(entities, relations, attacks, documents)

    @property
    def store(self) -> GraphStore:
        """The store, reopened first if it changed on disk."""
        self._sync_store()
        return self._store

    # ------------------------------------------------------------ keeping up with the store

    def _sync_store(self) -> tuple:
        """Reopen a build's store when its files changed: a read-only handle is a snapshot."""
        now = _fingerprint(self._store)
        if now != self._store_key and self._build_dir is not None:
            self._store = _open_build(self._build_dir)  # fingerprint first, so a write racing us is seen next time
        self._store_key = now
        return now

    def _current(self) -> tuple[nx.MultiDiGraph, NameIndex]:
        key = self._sync_store()
        if self._store.path is None:  # in memory: cache per instance, keyed on its size
            if self._local is None or self._local[0] != key:
                self._local = (key, _build(self._store))
            return self._local[1]
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        _cache[key] = built = _build(self._store)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return built
