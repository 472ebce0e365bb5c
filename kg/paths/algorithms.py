"""The searches over the view: `linked_to` (everything near one entity), `shortest_paths` (between two)
and `timeline` (everything stated of one, by date). Each takes a graph from `to_networkx` and
returns the dataclasses of kg.paths.explain.
"""
from __future__ import annotations

import heapq
from collections.abc import Collection, Iterator
from datetime import date as _date
from itertools import chain, islice

import networkx as nx

from kg.errors import NoPath
from kg.model import ENTITY_TYPES, RELATION_TYPES, Entity, Evidence
from kg.paths.arguments import _check_choices, _check_hops, _check_node, _edge_test, _Window
from kg.paths.explain import Event, Link, Path, Step
from kg.paths.walk import _bidirectional, _entity, _expand, _expand_steps, _path_rank, _walks

__all__ = ["MAX_FRONTIER", "UNNAMED", "linked_to", "shortest_paths", "timeline"]

MAX_FRONTIER = 1_000  # nodes expanded per hop by linked_to; see its docstring
UNNAMED = Entity("", "an unnamed attacker", "")


def linked_to(
    G: nx.MultiDiGraph,
    source: str,
    hops: int = 2,
    *,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
    limit: int | None = 50,
    max_paths: int = 3,
    max_frontier: int | None = MAX_FRONTIER,
) -> list[Link]:
    """The entities within `hops` of `source`, ranked, each with its shortest paths and their evidence.

    Edges are walked in either direction. Links are ranked by fewer hops, then more
    shortest paths, then more evidence on the last hop, then name.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    source : str
        A node (entity id) of G.
    hops : int
        How far to walk.
    relations : collection of str, optional
        Walk only these relations (kg.model.RELATION_TYPES); all by default.
    types : collection of str, optional
        Report only entities of these types (kg.model.ENTITY_TYPES); the walk passes
        through any type.
    since, until : str or datetime.date, optional
        Walk only edges with evidence dated in this window ("2021", "2021-07" or
        "2021-07-07", both ends inclusive), and show only that evidence. Undated
        evidence falls outside every window.
    limit : int or None
        Return at most this many links (None for all). Because ranking puts fewer
        hops first, the walk stops at the first hop by which `limit` matching
        entities have been found.
    max_paths : int
        Keep at most this many paths per link (``Link.path_count`` still counts them all).
    max_frontier : int or None
        Expand at most this many nodes of each hop to reach the next: those with the
        most paths from `source`, then the most evidence. Around a hub (a state that
        backs everything) a 3-hop neighbourhood is most of the graph; the nodes of the
        frontier beyond the cap are still returned, but not walked through. None lifts the cap.

    Returns
    -------
    list of Link

    Raises
    ------
    NoSuchEntity
        If `source` is not in G.
    KGError
        If an argument is out of range (unknown relation or type, bad date, hops < 1).

    See Also
    --------
    shortest_paths : the shortest paths between two given entities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "iran", key="backedBy", relation="backedBy")
    'backedBy'
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked")
    'attacked'
    >>> [(link.entity.id, link.hops) for link in linked_to(G, "iran", hops=2)]
    [('kh', 1), ('asad', 2)]
    >>> print(linked_to(G, "iran", hops=2)[1].paths[0])
    iran <-backedBy- kh -attacked-> asad
    """
    _check_node(G, source)
    _check_hops(hops, "hops")
    relation_set = _check_choices(relations, RELATION_TYPES, "relation")
    type_set = _check_choices(types, ENTITY_TYPES, "type")
    window = _Window(since, until)
    ok = _edge_test(relation_set, window)
    nodes = G._node

    dist, preds, count, weight = {source: 0}, {source: []}, {source: 1}, {source: 0}
    frontier, levels, found = [source], [], 0
    for level in range(1, hops + 1):
        if max_frontier is not None and len(frontier) > max_frontier:
            frontier = heapq.nlargest(max_frontier, frontier, key=lambda n: (count[n], weight[n]))
        frontier = _expand(G, frontier, level, dist, preds, ok, count, weight)
        matching = frontier if type_set is None else [n for n in frontier if nodes[n].get("type") in type_set]
        levels.append(matching)
        found += len(matching)
        if not frontier or (limit is not None and found >= limit):
            break

    ranked: list[str] = []
    for matching in levels:  # fewer hops first, so only the last level needed may be cut
        room = len(matching) if limit is None else min(limit - len(ranked), len(matching))
        if room <= 0:
            break
        if room < len(matching):  # the best `room` by paths then evidence, compared as plain tuples
            keyed = zip([-count[n] for n in matching], [-weight[n] for n in matching], range(len(matching)))
            matching = [matching[i] for _, _, i in heapq.nsmallest(room, keyed)]
        ranked += sorted(matching, key=lambda n: (-count[n], -weight[n], nodes[n].get("name", str(n)), str(n)))
    entities: dict[str, Entity] = {}
    links = []
    for n in ranked:
        walks = _walks(preds, source, n, G, max_paths)
        paths = list(islice(chain.from_iterable(_expand_steps(G, w, ok, window, entities) for w in walks),
                            2 * max_paths))
        paths.sort(key=_path_rank)
        links.append(Link(entities.get(n) or _entity(G, n), dist[n], paths[:max_paths], count[n]))
    return links


def shortest_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    max_hops: int = 4,
    *,
    relations: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
    limit: int | None = 10,
) -> list[Path]:
    """The shortest paths between two entities, walking edges either way, each step with its evidence.

    A bidirectional breadth-first search: each round widens whichever side costs less
    (the fewer edges to look at), and stops when the two sides meet.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    source, target : str
        Nodes (entity ids) of G.
    max_hops : int
        The longest path to look for.
    relations, since, until
        As in `linked_to`.
    limit : int or None
        Return at most this many paths: fewest hedged steps first, then the best
        corroborated (the weakest step stated by the most documents), then the most evidence.
        At most ``20 * limit`` candidates are weighed.

    Returns
    -------
    list of Path
        All of the same, shortest length; ``[Path([])]`` when source is target.

    Raises
    ------
    NoSuchEntity
        If source or target is not in G.
    NoPath
        If nothing links them within `max_hops`.

    See Also
    --------
    linked_to : everything near one entity.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "iran", key="backedBy", relation="backedBy")
    'backedBy'
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked")
    'attacked'
    >>> [str(p) for p in shortest_paths(G, "iran", "asad")]
    ['iran <-backedBy- kh -attacked-> asad']
    >>> shortest_paths(G, "iran", "asad", max_hops=1)
    Traceback (most recent call last):
    ...
    kg.errors.NoPath: nothing links iran and asad within 1 hop
    """
    _check_node(G, source)
    _check_node(G, target)
    _check_hops(max_hops, "max_hops")
    window = _Window(since, until)
    ok = _edge_test(_check_choices(relations, RELATION_TYPES, "relation"), window)
    if source == target:
        return [Path([])]
    dist_a, preds_a, dist_b, preds_b, meeting = _bidirectional(G, source, target, max_hops, ok)
    if not meeting:
        names = [G.nodes[n].get("name", n) for n in (source, target)]
        raise NoPath(f"nothing links {names[0]} and {names[1]} within {max_hops} hop{'s' if max_hops != 1 else ''}")

    fan = len(G) if limit is None else 20 * limit
    entities: dict[str, Entity] = {}

    def candidates() -> Iterator[Path]:
        for m in meeting:
            for head in _walks(preds_a, source, m, G, fan):
                for tail in _walks(preds_b, target, m, G, fan):
                    yield from _expand_steps(G, head + tail[::-1][1:], ok, window, entities)

    found = list(islice(candidates(), None if limit is None else 20 * limit))
    found.sort(key=_path_rank)
    return found[:limit]


def timeline(
    G: nx.MultiDiGraph,
    node: str,
    *,
    relations: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
) -> list[Event]:
    """Everything stated of one entity, in date order: one Event per relation and date.

    Both directions count: a group's timeline holds the attacks it carried out and
    the condemnations it received. Each Event's step starts at `node`. Undated
    evidence comes last (and is left out when a date window is given).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    node : str
        A node (entity id) of G.
    relations, since, until
        As in `linked_to`.

    Returns
    -------
    list of Event

    Raises
    ------
    NoSuchEntity
        If `node` is not in G.

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.model import Evidence
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked",
    ...            evidence=[Evidence("ap-1", "KH fired rockets at Asad.", 0, 25, date="2021-07-07")])
    'attacked'
    >>> G.add_edge("rasool", "kh", key="condemned", relation="condemned",
    ...            evidence=[Evidence("ina-2", "Rasool condemned KH.", 0, 20, date="2021-07-09")])
    'condemned'
    >>> for event in timeline(G, "kh"):
    ...     print(event)
    2021-07-07  kh -attacked-> asad
    2021-07-09  kh <-condemned- rasool
    """
    _check_node(G, node)
    relation_set = _check_choices(relations, RELATION_TYPES, "relation")
    window = _Window(since, until)
    me = _entity(G, node)
    others: dict[str, Entity] = {}
    events = []
    for forward, adj in ((True, G._succ[node]), (False, G._pred[node])):
        for other, keydict in adj.items():
            if other == node and not forward:
                continue  # a self-loop was seen going forward
            for key, data in keydict.items():
                relation = data.get("relation", key)
                if relation_set is not None and relation not in relation_set:
                    continue
                by_date: dict[str | None, list[Evidence]] = {}
                for e in data.get("evidence", ()):
                    if e.date in window:
                        by_date.setdefault(e.date, []).append(e)
                if not by_date and not window and not data.get("evidence"):
                    by_date[None] = []
                if other not in others:
                    others[other] = _entity(G, other)
                for day, evidence in by_date.items():
                    events.append(Event(day, Step(me, relation, others[other], forward, evidence)))
    if relation_set is None or "attacked" in relation_set:
        events.extend(_suffered(G, node, me, window))
    events.sort(key=lambda e: (e.date is None, e.date or "", e.step.relation, e.step.target.name, not e.step.forward))
    return events


def _suffered(G: nx.MultiDiGraph, node: str, me: Entity, window: _Window) -> Iterator[Event]:
    """The attacks on `node` (or in it, as a place) that no edge tells: no attacker is named, or
    `node` is where the attack happened rather than its target."""
    for attack in G.graph.get("attacks", {}).values():
        named = attack["attacker"] or attack["claimed_by"]
        if not (attack["target"] == node and not named or attack["place"] == node and attack["target"] != node):
            continue
        if attack["date"] not in window:
            continue
        attacker = attack["attacker"] or (attack["claimed_by"][0] if attack["claimed_by"] else None)
        other = _entity(G, attacker) if attacker in G else UNNAMED
        yield Event(attack["date"], Step(me, "attacked", other, False, list(attack["evidence"])))
