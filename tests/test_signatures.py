"""Relation signatures come from ontology/shapes.ttl, the one place that defines them."""

from __future__ import annotations

import pytest
import rdflib

from kg.errors import KGError
from kg.model import RELATION_TYPES, Entity, Evidence
from kg.resolve.aliases import merge_relations
from kg.signatures import relation_signatures
from kg.validate import validate_graph
from kg.vocab import KG, RDF, RDFS, entity_iri

# What kg/resolve/aliases.py held as a literal before the shapes defined it (SCHEME.md's table).
RESOLVER_BEFORE = {
    "backedBy": ({"Militia"}, {"State", "Organization"}),
    "attacked": ({"Militia", "State", "Organization"}, {"Base", "Location", "State", "Militia"}),
    "claimed": ({"Militia"}, {"Base", "Location", "State"}),
    "condemned": ({"Official", "State", "Organization"}, {"Militia", "State", "Organization", "Base", "Location"}),
    "leaderOf": ({"Official"}, {"Militia", "State", "Organization"}),
    "locatedIn": ({"Base"}, {"Location", "State"}),
}


def test_the_shapes_give_the_signatures_the_resolver_used_before():
    signatures = relation_signatures()
    assert list(signatures) == list(RELATION_TYPES)
    assert {r: (set(s), set(o)) for r, (s, o) in signatures.items()} == RESOLVER_BEFORE


def test_the_shapes_are_parsed_once():
    assert relation_signatures() is relation_signatures()


def test_the_resolver_keeps_only_relations_the_shapes_allow():
    evidence = Evidence("d1", "The Envoy condemned the Brigade.", 0, 31, rule="test")
    militia, base, official = Entity("brigade", "The Brigade", "Militia"), Entity("camp", "Camp", "Base"), \
        Entity("envoy", "The Envoy", "Official")
    kept = merge_relations([(official, "condemned", militia, evidence), (base, "condemned", militia, evidence),
                            (militia, "leaderOf", official, evidence)])
    assert [(r.subject, r.predicate, r.object) for r in kept] == [("envoy", "condemned", "brigade")]


def test_a_shapes_file_without_a_relation_is_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix kg: <https://w3id.org/militia-kg/ontology#> .\n"
                      "<urn:x> sh:targetSubjectsOf kg:backedBy ; sh:class kg:Militia ;\n"
                      "  sh:property [ sh:path kg:backedBy ; sh:class kg:State ] .\n", encoding="utf-8")
    with pytest.raises(KGError, match="no subject or object classes for attacked"):
        relation_signatures(shapes)


def test_validation_flags_a_relation_outside_its_signature():
    data = rdflib.Graph()
    for key, name, cls in (("camp", "Camp", KG.Base), ("brigade", "The Brigade", KG.Militia)):
        data.add((entity_iri(key), RDF.type, cls))
        data.add((entity_iri(key), RDFS.label, rdflib.Literal(name)))
    data.add((entity_iri("brigade"), KG.claimed, entity_iri("camp")))
    assert validate_graph(data).conforms
    data.add((entity_iri("camp"), KG.condemned, entity_iri("brigade")))
    result = validate_graph(data)
    assert not result.conforms and result.violations == 1
