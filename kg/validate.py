"""Check a build's graph against the SHACL shapes in ontology/shapes.ttl (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from kg.config import DEFAULT_CONFIG, Config
from kg.errors import StoreError
from kg.vocab import RDF, SH


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: int
    report: str


def validate_graph(data: rdflib.Graph, config: Config = DEFAULT_CONFIG) -> Validation:
    """Validate an rdflib graph against the shapes, with the ontology for class inheritance."""
    from pyshacl import validate

    shapes = rdflib.Graph().parse(config.shapes_path)
    ontology = rdflib.Graph().parse(config.ontology_path)
    conforms, results, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                       allow_warnings=True)
    violations = len(list(results.subjects(RDF.type, SH.ValidationResult)))
    return Validation(bool(conforms), violations, text)


def validate_build(build_dir: str | Path, config: Config = DEFAULT_CONFIG) -> Validation:
    path = Path(build_dir) / "graph.ttl"
    if not path.is_file():
        raise StoreError(f"{build_dir} has no graph.ttl; run `kg build INPUT --out {build_dir}` first")
    return validate_graph(rdflib.Graph().parse(path, format="turtle"), config)


def validate_source(where: str | Path, config: Config = DEFAULT_CONFIG) -> Validation:
    """Validate a build folder's graph.ttl, or what a build wrote to the SPARQL server at URL `where`."""
    from kg.stores import folder_of, open_source

    folder = folder_of(where)
    if folder is not None:
        return validate_build(where, config)
    data = rdflib.Graph()
    for s, p, o, _ in open_source(where).quads():
        data.add((s, p, o))
    return validate_graph(data, config)
