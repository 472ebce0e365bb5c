"""A build's embedded store rewritten by named graph: what did not change is not written again.

Each document's statements live in the document's own named graph (kg.rdf), and that graph's
quads are a function of a few values: the document, and each statement read in it (subject,
predicate, object, evidence). `write_graph_store` keeps a fingerprint of those values per graph
in the snapshot it writes (``GRAPHS_FILE``, beside RocksDB's own files, which it ignores). The
next write (an append, a removal) copies the current snapshot (hard links, kg.stores.build_folder),
drops the graphs whose fingerprint changed or that are gone, rewrites the entity graph (entities,
attacks, places, roles: `kg.rdf.shared_quads`) and loads only the changed documents' quads;
then switches over as a full write does. The store then holds exactly the quads of the new graph,
which is what a full write would give: the fingerprint covers everything the quads are made of,
and the version of the code that makes them (`CODE`).

The entity graph grows with the whole corpus, and an append changes few of its statements, so it is
not dropped and loaded again: each write keeps its N-Quads lines in the snapshot (``ENTITY_FILE``),
and the next removes only the lines that are gone and loads only the new ones. Lines are compared
by digest, so neither side's lines are all held in memory.

A snapshot without the file (an older build), a different code version, or a change to most of
the documents' graphs gets a full write instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg.errors import StoreError
from kg.model import Graph
from kg.rdf import document_graph_quads, nquad_line, shared_quads, write_nquad_lines
from kg.stores.build_folder import open_build, snapshot_target, update_build_store, write_build_store
from kg.stores.contract import GraphStore, Quad
from kg.vocab import ENTITY_GRAPH, document_graph

__all__ = ["ENTITY_FILE", "GRAPHS_FILE", "StoreWrite", "graph_fingerprints", "write_graph_store"]

GRAPHS_FILE = "kg-graphs.json"
ENTITY_FILE = "kg-entity-graph.nq"  # the entity graph as last written, one N-Quads line per quad
FULL_WRITE_SHARE = 0.5  # above this share of changed document graphs, a fresh bulk load is quicker


def _code_version() -> str:
    """Changes when the code that turns a graph into quads does (kg/rdf.py, kg/vocab.py, this file)."""
    digest = hashlib.sha256()
    for module in ("kg.rdf", "kg.vocab", __name__):
        import importlib

        path = importlib.import_module(module).__file__
        digest.update(Path(path).read_bytes() if path else module.encode())
    return digest.hexdigest()[:16]


CODE = _code_version()


@dataclass
class StoreWrite:
    """What `write_graph_store` did: a full write, or which named graphs it rewrote."""

    full: bool
    rewritten: set[str] = field(default_factory=set)  # document graphs dropped or written again
    shared: set[str] = field(default_factory=set)  # the graphs rewritten every time


def graph_fingerprints(graph: Graph) -> dict[str, str]:
    """Each document graph's IRI -> a digest of everything its quads are made of.

    >>> from kg.model import Document
    >>> one = graph_fingerprints(Graph(documents=[Document("a.txt", "a.txt", "Text.")]))
    >>> two = graph_fingerprints(Graph(documents=[Document("a.txt", "a.txt", "Text, changed.")]))
    >>> list(one) == list(two), one == two
    (True, False)
    """
    parts: dict[str, list[str]] = defaultdict(list)
    for document in graph.documents:
        parts[str(document_graph(document.id))].append(repr(document))
    for relation in graph.relations:
        head = f"{relation.subject}\x1f{relation.predicate}\x1f{relation.object}\x1f"
        for evidence in relation.evidence:
            parts[str(document_graph(evidence.doc))].append(head + repr(evidence))
    return {g: hashlib.sha256("\x1e".join(sorted(lines)).encode("utf-8", "surrogatepass")).hexdigest()[:32]
            for g, lines in parts.items()}


def write_graph_store(build_dir: str | os.PathLike, graph: Graph, *, incremental: bool = True) -> tuple[GraphStore, StoreWrite]:
    """Write `graph` into the build's store and open it: only the changed graphs when `incremental`
    and the current snapshot says what it holds, else a fresh snapshot by bulk load. The quads
    stream into the load file; they are never all held at once."""
    build = Path(build_dir)
    fingerprints = graph_fingerprints(graph)
    shared = {str(ENTITY_GRAPH)}
    held = _held(build) if incremental else None
    with tempfile.NamedTemporaryFile(dir=build, prefix=".entity-graph-", suffix=".nq") as entity_file:
        digests, blank = _write_entity_lines(graph, entity_file)

        def finish(snapshot: Path) -> None:
            _keep(Path(entity_file.name), snapshot / ENTITY_FILE)
            _record(snapshot, fingerprints, shared)

        if held is not None and not blank:
            changed = {g for g, fp in fingerprints.items() if held["documents"].get(g) != fp}
            gone = set(held["documents"]) - set(fingerprints)
            if len(changed) + len(gone) <= FULL_WRITE_SHARE * max(len(fingerprints), 1):
                old_digests = {_digest(line) for line in _lines(held["entity"])}
                update_build_store(build, remove_graphs=[URIRef(g) for g in sorted(changed | gone)],
                                   remove_lines=_lines(held["entity"], leaving_out=digests),
                                   lines=_lines(Path(entity_file.name), leaving_out=old_digests),
                                   quads=document_graph_quads(graph, {URIRef(g) for g in changed}), finish=finish)
                return open_build(build), StoreWrite(False, changed | gone, shared)
        write_build_store(build, document_graph_quads(graph), lines=_lines(Path(entity_file.name)), finish=finish)
    return open_build(build), StoreWrite(True, set(fingerprints), shared)


def _write_entity_lines(graph: Graph, file) -> tuple[set[bytes], bool]:
    """Write the entity graph's N-Quads lines to the binary `file`; return their digests, and whether
    a blank node is among them (its label is not the store's, so such a graph is never compared by line)."""
    digests: set[bytes] = set()

    def lines() -> Iterator[str]:
        for quad in _shared_quads(graph):
            line = nquad_line(quad)
            digests.add(_digest(line))
            yield line

    blank = write_nquad_lines(lines(), file)
    file.flush()
    return digests, blank


def _keep(written: Path, path: Path) -> None:
    """Put the file `written` at `path` too: a hard link where the file system has them, else a copy."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(written, tmp)
    except OSError:
        shutil.copyfile(written, tmp)
    os.replace(tmp, path)


def _digest(line: str) -> bytes:
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _lines(path: Path, *, leaving_out: set[bytes] = frozenset()) -> Iterator[str]:
    """The lines of the file at `path`, but those whose digest is in `leaving_out`."""
    with open(path, encoding="utf-8", newline="\n") as file:
        for line in file:
            if not leaving_out or _digest(line) not in leaving_out:
                yield line


def _shared_quads(graph: Graph) -> Iterator[Quad]:
    """kg.rdf.shared_quads, checked to stay in the entity graph: the graphs rewritten every time."""
    for quad in shared_quads(graph):
        if quad[3] != ENTITY_GRAPH:
            raise StoreError(f"kg.rdf.shared_quads wrote into {quad[3]}, not the entity graph")
        yield quad


def _held(build: Path) -> dict | None:
    """What the current snapshot holds, by graph, if it says so and was written by this code; with
    the path of its entity graph's lines under "entity"."""
    snapshot = Path(snapshot_target(build))
    try:
        data = json.loads((snapshot / GRAPHS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("code") != CODE or not isinstance(data.get("documents"), dict) \
            or not isinstance(data.get("shared"), list) or not (snapshot / ENTITY_FILE).is_file():
        return None
    return {**data, "entity": snapshot / ENTITY_FILE}


def _record(snapshot: Path, fingerprints: dict[str, str], shared_graphs: set[str]) -> None:
    """Write the fingerprints into the snapshot before it is switched in: a snapshot and its
    record go together, so an interrupted write leaves the old pair."""
    try:
        (snapshot / GRAPHS_FILE).write_text(json.dumps({"code": CODE, "shared": sorted(shared_graphs),
                                                         "documents": fingerprints}), encoding="utf-8")
    except OSError as error:
        raise StoreError(f"cannot write {snapshot / GRAPHS_FILE}: {error}") from None
