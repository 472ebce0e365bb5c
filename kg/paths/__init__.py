"""Explained paths over the knowledge graph: who is linked to whom, and the sentences that say so.

`to_networkx(store)` reads a build's store into a MultiDiGraph; the other functions
take that graph (or any MultiDiGraph shaped like it) and return plain dataclasses.

The graph's nodes are entity ids with attributes ``name``, ``type``, ``aliases``,
``qid`` and ``mentions``. Each edge runs subject -> object, is keyed by its relation
(so two entities have at most one edge per relation and direction), and carries
``relation``, ``evidence`` (a list of kg.model.Evidence) and ``hedged`` (every
sentence attributes it by belief or accusation). An attack event becomes an edge
attacker -attacked-> target (when the attacker is known) and one edge
group -claimed-> target per claiming group, with the attack's evidence.

Walks may follow an edge backwards; each Step records which way it went.

    kg/paths/view.py         to_networkx: the store read into the MultiDiGraph (queries in ontology/queries/view/)
    kg/paths/edges.py        implied_edges: the attacked/claimed edges attack events imply (exports use it too)
    kg/paths/explain.py      Step, Path, Link, Event: the results and their text
    kg/paths/arguments.py    date windows, relation and type names, hop counts checked
    kg/paths/walk.py         breadth-first levels and the paths back through them
    kg/paths/algorithms.py   linked_to, shortest_paths, timeline
"""

from kg.paths.algorithms import MAX_FRONTIER, UNNAMED, linked_to, shortest_paths, timeline  # noqa: F401
from kg.paths.explain import Event, Link, Path, Step
from kg.paths.view import to_networkx
from kg.paths.walk import _entity  # noqa: F401  (kg.knowledge_graph uses it)

__all__ = ["Event", "Link", "Path", "Step", "linked_to", "shortest_paths", "timeline", "to_networkx"]
