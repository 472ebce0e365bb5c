"""The map view's data: each placed base and place as a point sized by the attacks it suffered,
over the country outlines of kg/export/explorer/outlines.json and the province outlines of
province_outlines.json (both Natural Earth, trimmed and simplified by tools/author_geo.py and
tools/author_provinces.py).

`map_payload(graph, nodes)` takes the explorer's node rows, so a point refers to its node by index
and a click opens the same panel as the graph view.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib import resources

from kg.model import Graph

OUTLINES = "outlines.json"
PROVINCE_OUTLINES = "province_outlines.json"


def map_payload(graph: Graph, nodes: list[dict]) -> dict:
    """Points (node index, latitude, longitude, attacks suffered, province, state, source), country and
    province outlines, and the outlines' credits.

    An attack counts for its target, and for its place when its target is elsewhere or unnamed.

    >>> from kg.model import Attack, Entity, Graph, Place
    >>> g = Graph(entities={"b": Entity("b", "Ain al-Asad", "Base")},
    ...           attacks=[Attack("a1", "b"), Attack("a2", "b")],
    ...           places={"b": Place("b", "dictionary", "airport table", 33.79, 42.44, "site", "IQ.01", "Anbar")})
    >>> point = map_payload(g, [{"id": "b"}])["points"][0]
    >>> point["n"], point["lat"], point["lon"], point["attacks"], point["province"]
    (0, 33.79, 42.44, 2, 'Anbar')
    """
    index = {row["id"]: i for i, row in enumerate(nodes)}
    suffered: Counter[str] = Counter()
    for attack in graph.attacks:
        hit = {attack.target, attack.place} - {None}
        for entity in hit:
            suffered[entity] += 1
    states = {e.id: e.name for e in graph.entities.values() if e.type == "State"}
    points = []
    for place in sorted(graph.places.values(), key=lambda p: p.entity):
        if place.lat is None or place.lon is None or place.entity not in index:
            continue
        points.append({
            "n": index[place.entity], "lat": place.lat, "lon": place.lon,
            "attacks": suffered.get(place.entity, 0), "province": place.province_name,
            "state": states.get(place.state or ""), "precision": place.precision,
            "source": place.source, "checked": place.checked,
        })
    countries, provinces = _outlines(OUTLINES), _outlines(PROVINCE_OUTLINES)
    return {"points": points, "countries": countries["countries"], "provinces": provinces["provinces"],
            "credit": countries["source"], "provinceCredit": provinces["source"]}


@lru_cache(maxsize=2)
def _outlines(name: str) -> dict:
    folder = resources.files("kg.export").joinpath("explorer")
    return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
