"""The IRIs of the militia-kg ontology (ontology/kg.ttl). No other module spells out an IRI."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD  # SH: SHACL, for ontology/shapes.ttl

class Terms(Namespace):
    """An rdflib Namespace that makes each term once: `KG.target` in a loop is a lookup, not a new URIRef."""

    def term(self, name: str) -> URIRef:
        return _term(self, name)


@functools.lru_cache(maxsize=4096)
def _term(namespace: Namespace, name: str) -> URIRef:
    return Namespace.term(namespace, name)


KG = Terms("https://w3id.org/militia-kg/ontology#")
ID = Namespace("https://w3id.org/militia-kg/id/")
DOC = Namespace("https://w3id.org/militia-kg/doc/")
GRAPH = Namespace("https://w3id.org/militia-kg/graph/")
WD = Namespace("http://www.wikidata.org/entity/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")  # OGC GeoSPARQL 1.1: geo:hasGeometry, geo:asWKT
# Virtuoso stores a geo:wktLiteral as its own geometry type (single-precision) and answers with it.
VIRTUOSO_GEOMETRY = URIRef("http://www.openlinksw.com/schemas/virtrdf#Geometry")
ORG = Namespace("http://www.w3.org/ns/org#")

# The XML namespaces of the GraphML file kg.export.network writes.
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

XSD_STRING = str(XSD.string)  # RDF 1.1: a plain literal's datatype, written without it
ENTITY_GRAPH = GRAPH["entities"]  # entities, their names and the merged attack events

PREFIXES = {
    "kg": str(KG), "id": str(ID), "doc": str(DOC), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "skos": str(SKOS), "prov": str(PROV), "xsd": str(XSD), "dct": str(DCTERMS),
    "wd": str(WD), "geo": str(GEO), "org": str(ORG),
}


def slug(text: str) -> str:
    """A readable, IRI-safe key: 'Kata'ib Hezbollah' -> 'kataib-hezbollah'."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    bare = re.sub(r"['’`]", "", bare.lower())
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-") or "x"


@functools.lru_cache(maxsize=65536)  # a build names each entity in many quads
def entity_iri(entity_id: str) -> URIRef:
    return ID[entity_id]


def attack_iri(attack_id: str) -> URIRef:
    return ID["attack/" + attack_id]


def statement_iri(key: str) -> URIRef:
    """One statement (a relation as one sentence states it); `key` is kg.rdf.statement_key's."""
    return ID["statement/" + key]


_ID = str(ID)
_ATTACK = _ID + "attack/"
_NOT_ENTITIES = (_ATTACK, _ID + "statement/", _ID + "evidence/")


def entity_id(iri: object) -> str | None:
    """The entity id an IRI names (the inverse of `entity_iri`), or None for any other IRI.

    >>> entity_id(entity_iri("iran")), entity_id(attack_iri("a1")), entity_id(document_iri("d.txt"))
    ('iran', None, None)
    """
    text = str(iri) if iri is not None else ""
    if not text.startswith(_ID) or text.startswith(_NOT_ENTITIES):
        return None
    return text[len(_ID):]


def attack_id(iri: object) -> str | None:
    """The attack id an IRI names (the inverse of `attack_iri`), or None for any other IRI.

    >>> attack_id(attack_iri("a1")), attack_id(entity_iri("iran"))
    ('a1', None)
    """
    text = str(iri) if iri is not None else ""
    return text[len(_ATTACK):] if text.startswith(_ATTACK) else None


def evidence_iri(attack_id: str, doc_id: str, start: int, rule: str) -> URIRef:
    """One sentence's telling of one attack."""
    key = hashlib.sha1("\x1f".join((attack_id, doc_id, str(start), rule)).encode("utf-8")).hexdigest()[:16]
    return ID["evidence/" + key]


def province_iri(key: str) -> URIRef:
    """A province (governorate) by its GeoNames admin-1 key: 'IQ.01' -> id:province-iq-01."""
    return ID["province-" + slug(key)]


def geometry_iri(entity_id: str) -> URIRef:
    """The point geometry of a base or place."""
    return ID["geometry/" + entity_id]


def fact_source_iri(name: str) -> URIRef:
    """Where a fact that no sentence told comes from: 'dictionary' or 'gazetteer'."""
    return ID["source/" + name]


ACTOR_DICTIONARY = fact_source_iri("dictionary")  # ontology/actors.jsonl: the provenance of the roles and points it lists


def role_iri(holder: str, body: str, title: str, source: str, start: str | None) -> URIRef:
    """One term of one post held by one person, as one source (the text, or the actor dictionary) tells it."""
    key = hashlib.sha1("\x1f".join((holder, body, title, source, start or "")).encode("utf-8")).hexdigest()[:16]
    return ID["role/" + key]


def document_key(doc_id: str) -> str:
    """A readable slug plus a short hash: 'a b.txt' and 'a-b.txt', or two Arabic names, stay apart."""
    return f"{slug(doc_id)}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


@functools.lru_cache(maxsize=65536)  # and each document in many
def document_iri(doc_id: str) -> URIRef:
    return DOC[document_key(doc_id)]


@functools.lru_cache(maxsize=65536)
def document_graph(doc_id: str) -> URIRef:
    """The named graph that holds what one document says."""
    return GRAPH["doc/" + document_key(doc_id)]


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
