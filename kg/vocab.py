"""The IRIs of the militia-kg ontology (ontology/kg.ttl). No other module spells out an IRI."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/militia-kg/ontology#")
ID = Namespace("https://w3id.org/militia-kg/id/")
DOC = Namespace("https://w3id.org/militia-kg/doc/")
GRAPH = Namespace("https://w3id.org/militia-kg/graph/")
WD = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")

ENTITY_GRAPH = GRAPH["entities"]  # entities, their names and the merged attack events

PREFIXES = {
    "kg": str(KG), "id": str(ID), "doc": str(DOC), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "skos": str(SKOS), "prov": str(PROV), "xsd": str(XSD), "dct": str(DCTERMS),
    "wd": str(WD), "org": str(ORG),
}


def slug(text: str) -> str:
    """A readable, IRI-safe key: 'Kata'ib Hezbollah' -> 'kataib-hezbollah'."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    bare = re.sub(r"['’`]", "", bare.lower())
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-") or "x"


def entity_iri(entity_id: str) -> URIRef:
    return ID[entity_id]


def attack_iri(attack_id: str) -> URIRef:
    return ID["attack/" + attack_id]


def evidence_iri(attack_id: str, doc_id: str, start: int, rule: str) -> URIRef:
    """One sentence's telling of one attack."""
    key = hashlib.sha1("\x1f".join((attack_id, doc_id, str(start), rule)).encode("utf-8")).hexdigest()[:16]
    return ID["evidence/" + key]


ACTOR_DICTIONARY = ID["source/actor-dictionary"]  # ontology/actors.jsonl, the provenance of the roles it lists


def role_iri(holder: str, body: str, title: str, source: str, start: str | None) -> URIRef:
    """One term of one post held by one person, as one source (the text, or the actor dictionary) tells it."""
    key = hashlib.sha1("\x1f".join((holder, body, title, source, start or "")).encode("utf-8")).hexdigest()[:16]
    return ID["role/" + key]


def document_key(doc_id: str) -> str:
    """A readable slug plus a short hash: 'a b.txt' and 'a-b.txt', or two Arabic names, stay apart."""
    return f"{slug(doc_id)}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


def document_iri(doc_id: str) -> URIRef:
    return DOC[document_key(doc_id)]


def document_graph(doc_id: str) -> URIRef:
    """The named graph that holds what one document says."""
    return GRAPH["doc/" + document_key(doc_id)]


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
