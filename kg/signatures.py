"""Relation signatures (which entity types each relation joins), read from the SHACL shapes.

ontology/shapes.ttl is the one place that says what a relation may link: a shape with
``sh:targetSubjectsOf kg:R`` names the subject's classes (``sh:class``, or an ``sh:or`` of
them), and its property with ``sh:path kg:R`` names the object's. The resolver drops a
relation whose ends resolve to other types; `kg validate` checks a build against the
same shapes.

>>> subjects, objects = relation_signatures()["backedBy"]
>>> sorted(subjects), sorted(objects)
(['Militia'], ['Organization', 'State'])
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

import rdflib
from rdflib.collection import Collection

from kg.config import DEFAULT_CONFIG
from kg.errors import KGError
from kg.model import RELATION_TYPES
from kg.vocab import KG, SH

__all__ = ["Signature", "relation_signatures"]

Signature = tuple[frozenset[str], frozenset[str]]  # (subject types, object types)


def relation_signatures(shapes_path: str | Path | None = None) -> Mapping[str, Signature]:
    """Each relation's (subject types, object types), in kg.model.RELATION_TYPES order.

    The shapes file is parsed once per path; the mapping is read-only.
    """
    return _read(Path(shapes_path or DEFAULT_CONFIG.shapes_path).resolve())


@cache
def _read(path: Path) -> Mapping[str, Signature]:
    shapes = rdflib.Graph().parse(path, format="turtle")

    def classes(node) -> frozenset[str]:
        """The kg: classes `node` allows: its sh:class, or those of the members of its sh:or."""
        found = set(shapes.objects(node, SH["class"]))
        for members in shapes.objects(node, SH["or"]):
            found.update(c for member in Collection(shapes, members)
                         for c in shapes.objects(member, SH["class"]))
        return frozenset(str(c).removeprefix(str(KG)) for c in found)

    signatures: dict[str, Signature] = {}
    for shape, predicate in shapes.subject_objects(SH.targetSubjectsOf):
        name = str(predicate).removeprefix(str(KG))
        objects = frozenset().union(*(classes(p) for p in shapes.objects(shape, SH.property)
                                      if shapes.value(p, SH.path) == predicate))
        signatures[name] = (classes(shape), objects)
    missing = [r for r in RELATION_TYPES if not all(signatures.get(r, ((), ())))]
    if missing:
        raise KGError(f"{path}: no subject or object classes for {', '.join(missing)} "
                      "(a shape with sh:targetSubjectsOf and a property with its sh:path)")
    return MappingProxyType({r: signatures[r] for r in RELATION_TYPES})
