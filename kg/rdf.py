"""A resolved Graph as RDF quads under the militia-kg ontology.

Entities, their names and the merged attack events live in one named graph;
what each document says (its relation triples and their provenance statements)
lives in that document's own named graph, so a document can be replaced or
removed without touching the others.

`write_nquads` writes quads as N-Quads text, `ntriples_term` one term: for the
embedded store's bulk load and a SPARQL server's update requests.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.errors import StoreError
from kg.extract.dates import first_day, precision
from kg.model import Attack, Document, Entity, Evidence, Graph, Relation, Role
from kg.resolve.events import combined_confidence
from kg.vocab import (
    ACTOR_DICTIONARY, ENTITY_GRAPH, KG, WD, attack_iri, document_graph, document_iri, entity_iri, evidence_iri,
    role_iri, statement_iri,
)

Quad = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal, URIRef]


def graph_to_quads(graph: Graph) -> Iterator[Quad]:
    """Every quad of a build: entities, attacks, places and roles, then each document's graph."""
    yield from shared_quads(graph)
    yield from document_graph_quads(graph)


def document_graph_quads(graph: Graph, graphs: set[URIRef] | None = None) -> Iterator[Quad]:
    """The quads of the documents' own graphs (each document and the statements read in it);
    with `graphs`, only of those named graphs (kg.stores.incremental rewrites only what changed)."""
    for document in graph.documents:
        if graphs is None or document_graph(document.id) in graphs:
            yield from document_quads(document)
    for relation in graph.relations:
        yield from relation_quads(relation, graphs)


def shared_quads(graph: Graph) -> Iterator[Quad]:
    """The quads of the entity graph: entities, merged attacks, places and roles."""
    for entity in graph.entities.values():
        yield from entity_quads(entity)
    for attack in graph.attacks:
        yield from attack_quads(attack)
    if graph.places:
        from kg.geo.quads import place_quads

        yield from place_quads(graph.places.values(), (e.id for e in graph.entities.values() if e.type == "State"))
    for role in graph.roles:
        yield from role_quads(role, graph.entities)


@functools.lru_cache(maxsize=65536, typed=True)  # typed: True and 1 are different literals
def literal(value: str | int | bool | Decimal, datatype: URIRef | None = None) -> Literal:
    """rdflib's Literal, made once per value: a build repeats its rule names, flags, confidences,
    dates and sentences thousands of times, and each new Literal costs ~20 us."""
    return Literal(value, datatype=datatype)


def entity_quads(entity: Entity) -> Iterator[Quad]:
    node, g = entity_iri(entity.id), ENTITY_GRAPH
    yield node, RDF.type, KG[entity.type], g
    yield node, RDFS.label, literal(entity.name), g
    yield node, SKOS.prefLabel, literal(entity.name), g
    for alias in entity.aliases:
        yield node, SKOS.altLabel, literal(alias), g
    if entity.qid:
        yield node, KG.qid, literal(entity.qid), g
        yield node, OWL.sameAs, WD[entity.qid], g
    yield node, KG.mentions, literal(entity.mentions), g


def attack_quads(attack: Attack) -> Iterator[Quad]:
    """The event, and one kg:Evidence node per sentence that told of it (document, offsets, rule, source).

    A date coarser than a day ("2019-10", "2017") is written as its first day with kg:datePrecision
    "month" or "year", as ACLED and GTD record it."""
    node, g = attack_iri(attack.id), ENTITY_GRAPH
    yield node, RDF.type, KG.Attack, g
    yield node, RDFS.label, literal(attack_label(attack)), g
    if attack.target:
        yield node, KG.target, entity_iri(attack.target), g
    if attack.attacker:
        yield node, KG.attacker, entity_iri(attack.attacker), g
        yield node, KG.attackerAlleged, literal(attack.alleged), g
    for group in attack.claimed_by:
        yield node, KG.claimedBy, entity_iri(group), g
    if attack.place:
        yield node, KG.place, entity_iri(attack.place), g
    if attack.date:
        yield node, KG.date, literal(first_day(attack.date), datatype=XSD.date), g
        yield node, KG.datePrecision, literal(precision(attack.date)), g
    if attack.weapon:
        yield node, KG.weapon, literal(attack.weapon), g
    for prop, value in ((KG["count"], attack.count), (KG.killed, attack.killed), (KG.wounded, attack.wounded)):
        if value is not None:
            yield node, prop, literal(value), g
    yield node, KG.sources, literal(attack.corroboration), g
    yield node, KG.confidence, _decimal(combined_confidence(attack.evidence)), g
    for doc in sorted({e.doc for e in attack.evidence}):
        yield node, PROV.wasDerivedFrom, document_iri(doc), g
    for evidence in attack.evidence:
        told = evidence_iri(attack.id, evidence.doc, evidence.start, evidence.rule)
        yield node, KG.evidence, told, g
        yield told, RDF.type, KG.Evidence, g
        yield from evidence_quads(told, evidence, g)


def _decimal(value: float) -> Literal:
    # A Decimal, not a float: rdflib keeps the Python value, and pyshacl rejects a float typed xsd:decimal.
    return literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


def attack_label(attack: Attack) -> str:
    when = f" on {attack.date}" if attack.date else ""
    what = f"attack on {attack.target}" if attack.target else f"attack in {attack.place}"
    return f"{what}{when}"


def role_quads(role: Role, entities: dict[str, Entity]) -> Iterator[Quad]:
    """A post held for a time (kg:Role, an org:Membership): holder, body, title, start and end dates
    (a coarse date as its first day, with kg:startPrecision / kg:endPrecision), and its provenance: the
    actor dictionary (with the entry's own source), or one kg:Evidence node per sentence."""
    node, g = role_iri(role.holder, role.body, role.title, role.source, role.start), ENTITY_GRAPH
    yield node, RDF.type, KG.Role, g
    yield node, KG.holder, entity_iri(role.holder), g
    yield node, KG.organization, entity_iri(role.body), g
    if role.title:
        yield node, KG.title, literal(role.title), g
    holder, body = entities.get(role.holder), entities.get(role.body)
    label = f"{holder.name if holder else role.holder}, {role.title or 'leader'} of {body.name if body else role.body}"
    yield node, RDFS.label, literal(label), g
    for prop, precision_prop, value in ((KG.startDate, KG.startPrecision, role.start),
                                        (KG.endDate, KG.endPrecision, role.end)):
        if value:
            yield node, prop, literal(first_day(value), datatype=XSD.date), g
            yield node, precision_prop, literal(precision(value)), g
    seen = [e.date for e in role.evidence if e.date]
    if seen:  # a post the text only observes counts from the first sentence that tells of it
        yield node, KG.firstSeen, literal(first_day(min(seen, key=first_day)), datatype=XSD.date), g
    yield node, KG.roleSource, literal(role.source), g
    if role.source == "dictionary":
        yield node, PROV.wasDerivedFrom, ACTOR_DICTIONARY, g
        if role.cited:
            yield node, DCTERMS.source, literal(role.cited), g
    for evidence in role.evidence:
        told = evidence_iri(str(node), evidence.doc, evidence.start, evidence.rule)
        yield node, KG.evidence, told, g
        yield told, RDF.type, KG.Evidence, g
        yield from evidence_quads(told, evidence, g)
        if evidence.date:
            yield told, KG.date, literal(first_day(evidence.date), datatype=XSD.date), g


def document_quads(document: Document) -> Iterator[Quad]:
    node, g = document_iri(document.id), document_graph(document.id)
    yield node, RDF.type, KG.Document, g
    yield node, RDFS.label, literal(document.title or document.id), g
    yield node, DCTERMS.identifier, literal(document.id), g
    yield node, DCTERMS.source, literal(document.source), g
    yield node, KG.contentHash, literal(document.content_hash), g
    if document.title:
        yield node, DCTERMS.title, literal(document.title), g
    if document.date:
        yield node, DCTERMS.date, literal(document.date, datatype=XSD.date), g
    if document.url:
        yield node, DCTERMS.references, literal(document.url), g


def relation_quads(relation: Relation, graphs: set[URIRef] | None = None) -> Iterator[Quad]:
    """The direct triple in every document graph that states it (or in those of `graphs`), each statement beside it."""
    s, p, o = entity_iri(relation.subject), KG[relation.predicate], entity_iri(relation.object)
    for evidence in relation.evidence:
        g = document_graph(evidence.doc)
        if graphs is not None and g not in graphs:
            continue
        yield s, p, o, g
        yield from statement_quads(s, p, o, evidence, g)


def statement_quads(s: URIRef, p: URIRef, o: URIRef, evidence: Evidence, g: URIRef) -> Iterator[Quad]:
    node = statement_iri(statement_key(s, p, o, evidence))
    yield node, RDF.type, KG.Statement, g
    yield node, RDF.subject, s, g
    yield node, RDF.predicate, p, g
    yield node, RDF.object, o, g
    yield from evidence_quads(node, evidence, g)
    if evidence.date:
        yield node, KG.date, literal(evidence.date, datatype=XSD.date), g
    if evidence.title:
        yield node, KG.title, literal(evidence.title), g


def evidence_quads(node: URIRef, evidence: Evidence, g: URIRef) -> Iterator[Quad]:
    """Where a statement or a telling of an attack was read: document, sentence, offsets, rule, confidence."""
    yield node, PROV.wasDerivedFrom, document_iri(evidence.doc), g
    yield node, KG.sentence, literal(evidence.sentence), g
    yield node, KG.start, literal(evidence.start), g
    yield node, KG.end, literal(evidence.end), g
    yield node, KG.rule, literal(evidence.rule), g
    yield node, KG.confidence, _decimal(evidence.confidence), g
    yield node, KG.hedged, literal(evidence.hedged), g
    if evidence.source:
        yield node, KG.source, literal(evidence.source), g


def statement_key(s: URIRef, p: URIRef, o: URIRef, evidence: Evidence) -> str:
    raw = "\x1f".join((s, p, o, evidence.doc, str(evidence.start), evidence.rule))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_XSD_STRING = str(XSD.string)


def ntriples_term(term: Node) -> str:
    """One rdflib term as N-Triples and N-Quads write it. IRIs are not checked: the reader checks them.

    >>> ntriples_term(Literal('say "hi"', lang="en")), ntriples_term(URIRef("urn:x"))
    ('"say \\\\"hi\\\\""@en', '<urn:x>')
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lexical = str(term).translate(_ESCAPES)
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    raise StoreError(f"cannot write {term!r} as an RDF term")


def write_nquads(quads: Iterable[tuple[Node, Node, Node, Node]], *files: BinaryIO) -> bool:
    """Write rdflib quads (s, p, o, graph) as N-Quads to a binary file, or in turns to `files`
    (ten thousand lines at a time); return whether a blank node was written.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_nquads([(URIRef("urn:s"), URIRef("urn:p"), Literal(3), URIRef("urn:g"))], out)
    False
    >>> out.getvalue()
    b'<urn:s> <urn:p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\\n'
    """
    return write_nquad_lines(map(nquad_line, quads), *files)


def nquad_line(quad: tuple[Node, Node, Node, Node]) -> str:
    """One quad as a line of N-Quads, its newline included."""
    return " ".join(map(ntriples_term, quad)) + " .\n"


def write_nquad_lines(lines: Iterable[str], *files: BinaryIO) -> bool:
    """Write N-Quads lines (each ending in a newline) to a binary file, ten thousand at a time, or
    in turns to `files`; return whether a blank node was written (its label holds only within a file)."""
    batch: list[str] = []
    blank = False
    turn = 0

    def flush() -> None:
        nonlocal blank, turn
        text = "".join(batch)
        blank = blank or text.startswith("_:") or " _:" in text
        files[turn % len(files)].write(text.encode("utf-8"))
        turn += 1
        batch.clear()

    for line in lines:
        batch.append(line)
        if len(batch) >= 10_000:
            flush()
    flush()
    return blank
