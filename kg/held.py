"""The graph a build folder holds: its manifest and its cached extractions, re-resolved.

A build folder (kg.build writes it) keeps `manifest.json` (document id -> content hash), one
cached extraction per document under `extractions/`, and the lock `.build.lock`. Exports and
`--append` read the graph back from them without parsing any text again.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.actors import load_actors
from kg.cache import load_cached
from kg.config import DEFAULT_CONFIG, Config
from kg.errors import StoreError
from kg.geo import locate
from kg.model import DocumentExtraction, Graph
from kg.resolve.aliases import resolve

MANIFEST = "manifest.json"
CACHE_DIR = "extractions"
LOCK = ".build.lock"


def read_build_graph(out_dir: str | Path, *, config: Config = DEFAULT_CONFIG) -> Graph:
    """The merged Graph of a build, as it was stored (re-resolved from the extraction cache)."""
    out = Path(out_dir)
    if not (out / MANIFEST).exists():
        raise StoreError(f"{out} is not a militia-kg build (no {MANIFEST}); run `kg build INPUT --out {out}` first")
    extractions = load_held(out, read_manifest(out))
    actors = load_actors([config.actors_path, *config.extra_actor_files])
    graph = resolve(extractions.values(), actors, config.fuzzy_threshold)
    graph.places = locate(graph, actors, config.ontology_dir)
    return graph


def read_manifest(out: Path) -> dict[str, str]:
    path = out / MANIFEST
    if not path.exists():
        if out.exists() and any(entry.name != LOCK for entry in out.iterdir()):
            raise StoreError(f"{out} is not a militia-kg build (no {MANIFEST}); choose an empty or new --out folder")
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8"))["documents"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StoreError(f"cannot read {path}: {error}; rebuild without --append") from None


def load_held(out: Path, held: dict[str, str]) -> dict[str, DocumentExtraction]:
    """The cached extractions of the documents a build holds."""
    extractions = {}
    for doc_id, content_hash in held.items():
        extraction = load_cached(out / CACHE_DIR, content_hash, doc_id)
        if extraction is None:
            raise StoreError(f"the cached extraction of {doc_id!r} is missing from {out / CACHE_DIR}; "
                             "rebuild without --append")
        extractions[doc_id] = extraction
    return extractions
