"""The build's graph files: Turtle (what eval/score.py reads), JSON-LD, N-Quads, GraphML."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.atomic import replace_with
from kg.model import Graph


def write_graph_files(out: Path, graph: Graph, store) -> None:
    """graph.ttl, graph.jsonld and graph.nq from `store` (a kg.store.Store), graph.graphml from `graph`.

    Each is written under a temporary name of its own and renamed into place (kg.atomic).
    """
    for name, write in (("graph.ttl", store.dump_turtle), ("graph.jsonld", store.dump_jsonld),
                        ("graph.nq", lambda p: store.dump(p, format="nquads"))):
        replace_with(out / name, write)
    replace_with(out / "graph.graphml", lambda p: nx.write_graphml(graph_to_networkx(graph), p))


def graph_to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """A plain graph for Gephi and friends: entities as nodes, relations and attacks as edges."""
    g = nx.MultiDiGraph()
    for entity in graph.entities.values():
        g.add_node(entity.id, label=entity.name, type=entity.type, aliases="; ".join(entity.aliases),
                   qid=entity.qid or "", mentions=entity.mentions)
    for relation in graph.relations:
        g.add_edge(relation.subject, relation.object, key=relation.predicate, relation=relation.predicate,
                   evidence=len(relation.evidence), hedged=relation.hedged,
                   sentence=relation.evidence[0].sentence if relation.evidence else "")
    for attack in graph.attacks:
        if attack.attacker:
            g.add_edge(attack.attacker, attack.target, key=f"attack:{attack.id}", relation="attacked",
                       date=attack.date or "", weapon=attack.weapon or "", evidence=len(attack.evidence),
                       hedged=False, sentence=attack.evidence[0].sentence if attack.evidence else "")
    return g
