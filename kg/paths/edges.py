"""The edges of a graph: its stated relations, and the ``attacked`` and ``claimed`` edges its attack events imply.

One rule for every view of the graph: the networkx view (kg.paths.view), the explorer
(kg.export.explorer.payload) and the network files (kg.export.network) all draw an
attack event as ``attacker -attacked-> target`` and ``group -claimed-> target`` for each
group that claimed it; an attack told only by its place (no target) implies no edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.model import Attack, Graph, Relation

__all__ = ["graph_edges", "implied_edges"]


def implied_edges(graph: Graph | Iterable[Attack]) -> Iterator[tuple[str, str, str, Attack]]:
    """``(subject, relation, object, attack)`` for each edge an attack event implies, in attack order.

    Parameters
    ----------
    graph : kg.model.Graph or iterable of kg.model.Attack
        The attacks are read from it; entities are not checked.

    Examples
    --------
    >>> from kg.model import Attack
    >>> attacks = [Attack("a1", "asad", "kh", ["kh", "nujaba"]), Attack("a2", None, "kh", place="baghdad")]
    >>> [(s, p, o, a.id) for s, p, o, a in implied_edges(attacks)]
    [('kh', 'attacked', 'asad', 'a1'), ('kh', 'claimed', 'asad', 'a1'), ('nujaba', 'claimed', 'asad', 'a1')]
    """
    attacks = graph.attacks if isinstance(graph, Graph) else graph
    for attack in attacks:
        if not attack.target:
            continue  # an attack told only by its place links nothing
        if attack.attacker:
            yield attack.attacker, "attacked", attack.target, attack
        for group in attack.claimed_by:
            yield group, "claimed", attack.target, attack


def graph_edges(graph: Graph) -> list[Relation]:
    """The relations between entities of `graph`, then the edges its attacks imply, one per (s, p, o).

    An implied edge that a relation already states is that relation, with the attacks'
    sentences added to its evidence (each sentence once). The relations of `graph` are
    not changed: each edge is a new Relation.

    >>> from kg.model import Attack, Entity, Evidence
    >>> g = Graph({e: Entity(e, e.upper(), "Militia") for e in ("kh", "asad")},
    ...           [Relation("kh", "attacked", "asad", [Evidence("d1", "KH hit Asad.", 0, 12)])],
    ...           [Attack("a1", "asad", "kh", evidence=[Evidence("d1", "KH hit Asad.", 0, 12)]),
    ...            Attack("a2", "asad", None, ["kh"])])
    >>> [(e.subject, e.predicate, e.object, len(e.evidence)) for e in graph_edges(g)]
    [('kh', 'attacked', 'asad', 1), ('kh', 'claimed', 'asad', 0)]
    """
    merged: dict[tuple[str, str, str], tuple[Relation, set]] = {}

    def add(subject: str, predicate: str, obj: str, evidence: list) -> None:
        if subject not in graph.entities or obj not in graph.entities:
            return
        edge, seen = merged.setdefault((subject, predicate, obj), (Relation(subject, predicate, obj), set()))
        for ev in evidence:
            key = (ev.doc, ev.start, ev.end, ev.sentence)
            if key not in seen:
                edge.evidence.append(ev)
                seen.add(key)

    for relation in graph.relations:
        add(relation.subject, relation.predicate, relation.object, relation.evidence)
    for subject, predicate, obj, attack in implied_edges(graph):
        add(subject, predicate, obj, attack.evidence)
    return [edge for edge, _ in merged.values()]
