"""kg.paths: plain functions over the networkx view of a build."""

from __future__ import annotations

import json
import random
from dataclasses import asdict

import networkx as nx
import pytest
from tests.paths_sample import sample_graph

from kg.errors import KGError, NoPath, NoSuchEntity
from kg.model import Entity, Evidence, Graph, Relation
from kg.paths import Event, Link, Path, Step, linked_to, shortest_paths, timeline, to_networkx
from kg.rdf import graph_to_quads
from kg.stores import open_store


@pytest.fixture(scope="module")
def store():
    store = open_store()
    store.load(graph_to_quads(sample_graph()))
    return store


@pytest.fixture(scope="module")
def G(store):
    return to_networkx(store)


# ------------------------------------------------------------------ the networkx view


def test_to_networkx_keeps_names_types_and_qids(G):
    assert G.nodes["kataib-hezbollah"]["name"] == "Kataib Hezbollah"
    assert G.nodes["kataib-hezbollah"]["type"] == "Militia"
    assert sorted(G.nodes["kataib-hezbollah"]["aliases"]) == ["KH", "Kata'ib Hizballah"]
    assert G.nodes["iran"]["qid"] == "Q794"
    assert "saraya-awliya-al-dam" in G  # an entity nothing links to is still a node


def test_to_networkx_edges_keep_relation_direction_and_evidence(G):
    edge = G.edges["kataib-hezbollah", "iran", "backedBy"]
    assert edge["relation"] == "backedBy"
    assert [e.doc for e in edge["evidence"]] == ["wire-2020-01-05", "reuters-2021-07-08"]  # by date
    assert edge["evidence"][1] == Evidence(
        "reuters-2021-07-08", "Kataib Hezbollah, which is backed by Iran, denied involvement.", 0, 61,
        date="2021-07-08", rule="backing.appositive", confidence=0.9)
    assert edge["hedged"] is False
    assert not G.has_edge("iran", "kataib-hezbollah")


def test_an_attack_event_becomes_attacked_and_claimed_edges(G):
    attacked = G.edges["kataib-hezbollah", "ain-al-asad", "attacked"]
    assert attacked["attacks"] == ["a1"]
    # the attack's document is quoted by the relation statement from the same document, so no bare entry
    assert [(e.doc, e.sentence[:16]) for e in attacked["evidence"]] == [("ap-2021-07-07", "Kataib Hezbollah")]

    claimed = G.edges["al-muhandis-revenge-brigade", "ain-al-asad", "claimed"]
    assert claimed["attacks"] == ["a2"]
    # the event keeps every sentence that told of it, so the edge quotes it
    assert [(e.doc, e.date, e.sentence) for e in claimed["evidence"]] == [
        ("forum-2021-07-10", "2021-07-10", "We struck Ain al-Asad.")]
    assert G.graph["attacks"]["a2"]["weapon"] == "drone"


def test_every_relation_triple_in_sparql_is_an_edge(store, G):
    rows = store.sparql("""
        SELECT DISTINCT ?s ?p ?o WHERE {
          ?s ?p ?o . VALUES ?p { kg:backedBy kg:attacked kg:claimed kg:condemned kg:leaderOf kg:locatedIn }
        }""")
    stated = {(r["s"].rsplit("/", 1)[1], r["p"].rsplit("#", 1)[1], r["o"].rsplit("/", 1)[1]) for r in rows}
    edges = {(u, k, v) for u, v, k in G.edges(keys=True)}
    direct = {(u, k, v) for u, v, k in G.edges(keys=True) if not G.edges[u, v, k].get("attacks")}
    assert stated <= edges
    assert direct <= stated


# ------------------------------------------------------------------ linked_to


def test_linked_to_ranks_fewer_hops_first(G):
    links = linked_to(G, "kataib-hezbollah", hops=2)
    assert [(link.entity.name, link.hops) for link in links] == [
        ("Iran", 1), ("Ain al-Asad", 1), ("Yahya Rasool", 1),
        ("Al-Muhandis Revenge Brigade", 2), ("Iraq", 2),
    ]


def test_linked_to_explains_every_hop(G):
    iraq = next(link for link in linked_to(G, "kataib-hezbollah", hops=2) if link.entity.id == "iraq")
    assert iraq.path_count == 1
    (path,) = iraq.paths
    assert str(path) == "Kataib Hezbollah -attacked-> Ain al-Asad -locatedIn-> Iraq"
    assert [step.evidence[0].sentence for step in path.steps] == [
        "Kataib Hezbollah fired 14 rockets at Ain al-Asad on Wednesday.",
        "Ain al-Asad, a base in western Iraq, hosts US troops.",
    ]


def test_linked_to_filters_by_type_relation_and_date(G):
    states = linked_to(G, "kataib-hezbollah", hops=2, types=["State"])
    assert [link.entity.name for link in states] == ["Iran", "Iraq"]

    backing = linked_to(G, "kataib-hezbollah", hops=3, relations=["backedBy"])
    assert [link.entity.name for link in backing] == ["Iran"]

    assert [link.entity.name for link in linked_to(G, "kataib-hezbollah", since="2021-07", until="2021")] == [
        "Iran", "Ain al-Asad", "Yahya Rasool", "Al-Muhandis Revenge Brigade", "Iraq"]
    in_2020 = linked_to(G, "kataib-hezbollah", hops=2, until="2020")
    assert [link.entity.name for link in in_2020] == ["Iran"]
    (step,) = in_2020[0].paths[0].steps
    assert [e.date for e in step.evidence] == ["2020-01-05"]  # only the evidence inside the window
    assert step.hedged


def test_linked_to_limit_and_frontier_cap():
    star = nx.MultiDiGraph()
    for i in range(10):
        star.add_edge("hub", f"n{i}", key="backedBy", relation="backedBy")
        star.add_edge(f"n{i}", f"leaf{i}", key="attacked", relation="attacked")
    assert len(linked_to(star, "hub", hops=2, limit=5)) == 5
    assert len(linked_to(star, "hub", hops=2, limit=None)) == 20
    capped = linked_to(star, "hub", hops=2, limit=None, max_frontier=3)
    assert [link.hops for link in capped].count(2) == 3  # only three first-hop nodes were walked through


def test_linked_to_counts_every_shortest_path():
    G = nx.MultiDiGraph()
    for middle in ("a", "b"):
        G.add_edge("src", middle, key="backedBy", relation="backedBy")
        G.add_edge(middle, "dst", key="attacked", relation="attacked")
    G.add_edge("dst", "a", key="condemned", relation="condemned")  # a parallel relation, walked backwards
    (dst,) = [link for link in linked_to(G, "src", hops=2) if link.entity.id == "dst"]
    assert dst.path_count == 3
    assert sorted(str(p) for p in dst.paths) == [
        "src -backedBy-> a -attacked-> dst", "src -backedBy-> a <-condemned- dst", "src -backedBy-> b -attacked-> dst",
    ]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"hops": 0}, "hops must be a whole number of at least 1"),
    ({"relations": ["funded"]}, "unknown relation 'funded'"),
    ({"types": ["Person"]}, "unknown type 'Person'"),
    ({"since": "July 2021"}, "since must be a date like 2021"),
    ({"since": "2022", "until": "2021-06"}, "since 2022 is after until 2021-06"),
])
def test_linked_to_says_what_was_wrong(G, kwargs, message):
    with pytest.raises(KGError, match=message):
        linked_to(G, "kataib-hezbollah", **kwargs)


def test_linked_to_unknown_node(G):
    with pytest.raises(NoSuchEntity, match="no entity 'hezbollah'"):
        linked_to(G, "hezbollah")


# ------------------------------------------------------------------ shortest_paths


def test_shortest_paths_walk_edges_backwards_and_say_so(G):
    (path,) = shortest_paths(G, "iran", "ain-al-asad")
    assert str(path) == "Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad"
    backed, attacked = path.steps
    assert (backed.forward, backed.subject.name, backed.object.name) == (False, "Kataib Hezbollah", "Iran")
    assert str(backed) == "Iran <-backedBy- Kataib Hezbollah"
    assert attacked.forward and str(attacked) == "Kataib Hezbollah -attacked-> Ain al-Asad"
    assert [n.name for n in path.nodes] == ["Iran", "Kataib Hezbollah", "Ain al-Asad"]
    assert path.hops == 2 and path.hedged is False


def test_shortest_paths_explain_quotes_each_step(G):
    (path,) = shortest_paths(G, "ain-al-asad", "iran")
    assert path.explain().splitlines() == [
        "Ain al-Asad <-attacked- Kataib Hezbollah -backedBy-> Iran",
        "  Ain al-Asad <-attacked- Kataib Hezbollah",
        '    2021-07-07  "Kataib Hezbollah fired 14 rockets at Ain al-Asad on Wednesday."  [ap-2021-07-07]',
        "  Kataib Hezbollah -backedBy-> Iran",
        '    2020-01-05  "US officials accused Iran of arming Kataib Hezbollah."  '
        "[wire-2020-01-05, hedged, confidence 0.7]",
        '    2021-07-08  "Kataib Hezbollah, which is backed by Iran, denied involvement."  '
        "[reuters-2021-07-08, confidence 0.9]",
    ]


def test_shortest_paths_no_path_within_max_hops(G):
    with pytest.raises(NoPath, match="nothing links Iran and Al-Muhandis Revenge Brigade within 2 hops"):
        shortest_paths(G, "iran", "al-muhandis-revenge-brigade", max_hops=2)
    assert shortest_paths(G, "iran", "al-muhandis-revenge-brigade", max_hops=3)[0].hops == 3
    with pytest.raises(NoPath):
        shortest_paths(G, "iran", "saraya-awliya-al-dam")


def test_shortest_paths_honour_relation_and_date_filters(G):
    with pytest.raises(NoPath):
        shortest_paths(G, "iran", "ain-al-asad", relations=["backedBy", "claimed"])
    with pytest.raises(NoPath):
        shortest_paths(G, "iran", "ain-al-asad", until="2020-12-31")  # the attack is from 2021
    (path,) = shortest_paths(G, "iran", "ain-al-asad", since="2021-07")
    assert [e.doc for e in path.steps[0].evidence] == ["reuters-2021-07-08"]


def test_shortest_paths_to_itself_is_empty(G):
    assert shortest_paths(G, "iran", "iran") == [Path([])]


def _undirected_shortest(G: nx.MultiDiGraph, a: str, b: str) -> tuple[int, int]:
    """Length and number (parallel edges counted) of shortest paths, by networkx."""
    U = nx.MultiGraph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges())  # one undirected edge per relation and direction
    walks = list(nx.all_shortest_paths(U, a, b))
    count = 0
    for walk in walks:
        product = 1
        for u, v in zip(walk, walk[1:]):
            product *= U.number_of_edges(u, v)
        count += product
    return len(walks[0]) - 1, count


@pytest.mark.parametrize("seed", range(20))
def test_shortest_paths_agree_with_networkx(seed):
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(40))
    for _ in range(70):
        relation = rng.choice(["backedBy", "attacked", "claimed"])
        G.add_edge(rng.randrange(40), rng.randrange(40), key=relation, relation=relation)
    a, b = rng.sample(range(40), 2)
    try:
        length, count = _undirected_shortest(G, a, b)
    except nx.NetworkXNoPath:
        with pytest.raises(NoPath):
            shortest_paths(G, a, b, max_hops=40)
        return
    found = shortest_paths(G, a, b, max_hops=40, limit=None)
    assert {p.hops for p in found} == {length}
    assert len(found) == count
    assert len({str(p) for p in found}) == count
    links = {link.entity.id: link for link in linked_to(G, a, hops=length, limit=None)}
    assert (links[b].hops, links[b].path_count) == (length, count)


# ------------------------------------------------------------------ timeline


def test_timeline_in_date_order_both_directions(G):
    assert [str(event) for event in timeline(G, "kataib-hezbollah")] == [
        "2020-01-05  Kataib Hezbollah -backedBy-> Iran",
        "2021-07-07  Kataib Hezbollah -attacked-> Ain al-Asad",
        "2021-07-08  Kataib Hezbollah -backedBy-> Iran",
        "2021-07-09  Kataib Hezbollah <-condemned- Yahya Rasool",
    ]


def test_timeline_of_a_target_shows_attacks_and_claims(G):
    events = timeline(G, "ain-al-asad", relations=["attacked", "claimed"])
    assert [str(event) for event in events] == [
        "2021-07-07  Ain al-Asad <-attacked- Kataib Hezbollah",
        "2021-07-10  Ain al-Asad <-claimed- Al-Muhandis Revenge Brigade",
    ]
    assert events[1].explain().splitlines() == [
        "2021-07-10  Ain al-Asad <-claimed- Al-Muhandis Revenge Brigade",
        '            "We struck Ain al-Asad."  [forum-2021-07-10]',
    ]


def test_timeline_window(G):
    assert [e.date for e in timeline(G, "kataib-hezbollah", since="2021-07-08", until="2021-07-08")] == ["2021-07-08"]


# ------------------------------------------------------------------ results are plain values


def test_results_serialise_to_json(G):
    links = linked_to(G, "iran", hops=3)
    text = json.dumps([link.to_dict() for link in links])
    first = json.loads(text)[0]
    assert first["entity"]["name"] == "Kataib Hezbollah"
    assert first["paths"][0]["steps"][0]["text"] == "Iran <-backedBy- Kataib Hezbollah"
    assert first["paths"][0]["steps"][0]["forward"] is False
    assert first["paths"][0]["steps"][0]["evidence"][0]["doc"] == "wire-2020-01-05"
    json.dumps(asdict(links[0]))  # plain dataclasses all the way down
    json.dumps([event.to_dict() for event in timeline(G, "iran")])


def test_step_and_path_read_as_arrows():
    kh, iran, asad = (Entity(i, n, t) for i, n, t in [
        ("kh", "Kataib Hezbollah", "Militia"), ("iran", "Iran", "State"), ("asad", "Ain al-Asad", "Base")])
    assert str(Step(kh, "backedBy", iran)) == "Kataib Hezbollah -backedBy-> Iran"
    assert str(Step(asad, "attacked", kh, forward=False)) == "Ain al-Asad <-attacked- Kataib Hezbollah"
    path = Path([Step(iran, "backedBy", kh, forward=False), Step(kh, "attacked", asad)])
    assert str(path) == "Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad"
    assert str(Link(asad, 2, [path], 1)) == "Ain al-Asad (Base): 2 hops, 1 path"
    assert str(Event("2021-07-07", path.steps[1])) == "2021-07-07  Kataib Hezbollah -attacked-> Ain al-Asad"


def test_an_edge_without_statements_still_links():
    store = open_store()
    graph = Graph(entities={"a": Entity("a", "A", "Militia"), "b": Entity("b", "B", "State")},
                  relations=[Relation("a", "backedBy", "b", [Evidence("d", "A is backed by B.", 0, 17)])])
    quads = [q for q in graph_to_quads(graph) if "statement/" not in str(q[0])]  # the direct triple alone
    store.load(quads)
    G = to_networkx(store)
    assert G.edges["a", "b", "backedBy"]["evidence"] == []
    assert str(shortest_paths(G, "b", "a")[0]) == "B <-backedBy- A"
