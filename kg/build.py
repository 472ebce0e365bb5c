"""build_graph(): files in, a build folder out. `kg build` is a thin layer over it.

    ingest -> extract (cached per document) -> resolve -> RDF -> store -> exports

A build folder holds the Oxigraph store, `manifest.json` (which documents the
build holds, by content hash), the per-document extraction cache, and the
exports: graph.ttl (read by ../shared/eval/score.py), graph.jsonld, graph.nq,
graph.nt, graph.graphml, graph.gexf, entities.csv, relations.csv, attacks.csv
(kg.export.files) and explorer.html.

One writer at a time: a build, an append or a removal holds the folder's lock
(``DIR/.build.lock``, an advisory lock the system drops when the process ends) from
reading the manifest to the last export. Extraction, the slow part, runs before it,
so two appends to one folder read their documents at once and then write one after
the other, each on top of the other's result. `build_graph(wait=False)` fails at once
with StoreError instead of waiting.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.actors import ActorDictionary, load_actors
from kg.atomic import remove_orphans
from kg.cache import load_extraction, save_extraction, write_atomically
from kg.config import DEFAULT_CONFIG, Config, user_cache_dir
from kg.errors import BadSource, KGError, StoreError
from kg.geo import locate
from kg.held import CACHE_DIR, LOCK, MANIFEST, load_held, read_manifest
from kg.ingest import iter_documents
from kg.model import DocumentExtraction, Graph
from kg.rdf import graph_to_quads
from kg.resolve.aliases import resolve

if TYPE_CHECKING:
    from kg.stores.incremental import StoreWrite

EXPORTS = ("graph.ttl", "graph.jsonld", "graph.nq", "graph.nt", "graph.graphml", "graph.gexf", "entities.csv",
           "relations.csv", "attacks.csv", "explorer.html")

Progress = Callable[[int, int], None]  # (done, in all): graphs sent to a SPARQL server


@dataclass(frozen=True)
class ReadProgress:
    """How far a build has read, for a progress display. Words measure the work better than
    documents: one long report takes as long as many short wires. `cached` documents (and their
    words) were not read again; they count as done from the start."""

    documents: int
    documents_total: int
    words: int
    words_total: int
    cached: int = 0
    cached_words: int = 0


@dataclass
class BuildReport:
    out_dir: Path
    read: int = 0  # documents run through the pipeline in this build
    unchanged: int = 0  # documents whose cached extraction was reused
    documents: int = 0  # documents the build now holds
    entities: int = 0
    relations: int = 0
    attacks: int = 0
    triples: int = 0
    errors: list[BadSource] = field(default_factory=list)
    store: str | None = None  # the SPARQL server that holds the graph, if not the folder's own store
    store_write: StoreWrite | None = None  # which of the embedded store's graphs were written

    def summary(self) -> str:
        skipped = f", {len(self.errors)} skipped" if self.errors else ""
        return (f"{self.documents} documents ({self.read} read, {self.unchanged} unchanged{skipped}): "
                f"{self.entities} entities, {self.relations} relations, {self.attacks} attacks, "
                f"{self.triples} triples in {self.store or self.out_dir}")


def build_graph(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    append: bool = False,
    strict: bool = False,
    config: Config = DEFAULT_CONFIG,
    extractor=None,
    follow_links: bool = False,
    on_error: Callable[[BadSource], None] | None = None,
    progress: Callable[[ReadProgress], None] | None = None,
    store_url: str | None = None,
    publish_progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Read `inputs` (files or folders) into the build folder `out_dir`.

    Without `append` the build holds exactly these documents; with it, they are
    added to what the build already holds (an unchanged document is a no-op, a
    changed one replaces its old version). The store is switched over only when
    complete, so a build killed half-way leaves the previous state readable.

    With `store_url` the graph goes to that SPARQL server (kg.stores.server) instead
    of an embedded store, and the folder remembers it: later appends and removals
    go there too. The folder still holds the manifest, the extraction cache and the
    exports. `publish_progress` hears of each graph sent to the server.

    `notify` hears what the build starts that takes a while ("loading the English
    pipeline"); `progress` hears how far reading has come, once before the first
    document is read (after the pipeline is loaded) and after each one.

    While another build writes the folder, this one waits for it after extracting
    (`on_wait` is told once), or with `wait=False` raises StoreError.
    """
    out = Path(out_dir)
    report = BuildReport(out)

    def report_error(error: BadSource) -> None:
        report.errors.append(error)
        if on_error is not None:
            on_error(error)

    documents = list(iter_documents(inputs, strict=strict, on_error=report_error, follow_links=follow_links))
    if not documents and not append:
        raise KGError("no readable documents in the input; give .txt, .md, .html, .jsonl, .pdf or .docx files "
                      "or folders")
    if append:
        read_manifest(out)  # a folder that is no build is refused before the slow part
    extracted: dict[str, DocumentExtraction] = {}
    fresh = []
    for document in documents:
        cached = load_extraction(out / CACHE_DIR, document)
        if cached is not None:
            report.unchanged += 1
            extracted[document.id] = cached
        else:
            fresh.append(document)
    if fresh:
        remove_orphans(out / CACHE_DIR)  # once here, not for each file saved below
        if extractor is None:
            if notify:
                notify("loading the English pipeline")
            extractor = make_extractor(config)
        words = {d.id: word_count(d.text) for d in documents}
        cached_words = sum(words.values()) - sum(words[d.id] for d in fresh)
        done = ReadProgress(report.unchanged, len(documents), cached_words, sum(words.values()),
                            report.unchanged, cached_words)
        if progress:
            progress(done)
        for extraction in extractor.extract(fresh, on_error=None if strict else report_error):
            save_extraction(out / CACHE_DIR, extraction)
            extracted[extraction.document.id] = extraction
            report.read += 1
            done = replace(done, documents=done.documents + 1,
                           words=done.words + words.get(extraction.document.id, 0))
            if progress:
                progress(done)
    with writer_lock(out, wait=wait, on_wait=on_wait):
        extractions = load_held(out, read_manifest(out)) if append else {}  # as the last writer left it
        extractions.update(extracted)
        extracted.clear()  # write_build lets go of them once resolved
        write_build(out, _handed_over(extractions), config, report, store_url=store_url,
                    progress=publish_progress, actors=getattr(extractor, "actors", None))
    return report


@contextlib.contextmanager
def writer_lock(out_dir: str | Path, *, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the build folder's writer lock: one build, append or removal at a time.

    Waits for the writer holding it (telling `on_wait` once), or raises StoreError
    when not `wait`. The lock is the system's (flock): it goes with the process.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / LOCK, "a+b")  # noqa: SIM115 (held open for the lock's lifetime)
    except OSError as error:
        raise StoreError(f"cannot lock the build folder {out}: {error.strerror or error}") from None
    with handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: one writer at a time is up to the user
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise StoreError(f"another build is writing {out}; try again when it ends") from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_documents(out_dir: str | Path, doc_ids: Iterable[str], *, config: Config = DEFAULT_CONFIG,
                     wait: bool = True, on_wait: Callable[[], None] | None = None) -> BuildReport:
    """Drop documents from a build, and every entity left with no evidence (under the writer lock)."""
    out = Path(out_dir)
    doc_ids = list(doc_ids)
    _check_held(out, read_manifest(out), doc_ids)  # before the lock: a typo is told at once
    with writer_lock(out, wait=wait, on_wait=on_wait):
        held = read_manifest(out)
        _check_held(out, held, doc_ids)
        extractions = load_held(out, {k: v for k, v in held.items() if k not in set(doc_ids)})
        report = BuildReport(out)
        write_build(out, _handed_over(extractions), config, report)
    return report


def _handed_over(extractions: dict[str, DocumentExtraction]) -> list[DocumentExtraction]:
    """The values of `extractions`, which is emptied: the list is then their only holder."""
    values = list(extractions.values())
    extractions.clear()
    return values


def _check_held(out: Path, held: dict[str, str], doc_ids: list[str]) -> None:
    missing = [d for d in doc_ids if d not in held]
    if missing:
        known = ", ".join(sorted(held)[:5])
        raise KGError(f"no document {missing[0]!r} in {out} (it holds {len(held)}: {known}{', ...' if len(held) > 5 else ''})")


def server_work_dir(url: str) -> Path:
    """Where `kg build --store URL` without --out keeps its manifest, cache and exports:
    a folder per server under the user's cache ($XDG_CACHE_HOME or ~/.cache).

    >>> server_work_dir("http://127.0.0.1:8890/sparql").name
    '127-0-0-1-8890-sparql'
    """
    from kg.vocab import slug

    return user_cache_dir() / "servers" / slug(url.split("://", 1)[-1].rpartition("@")[2])


def word_count(text: str) -> int:
    """Words as a progress measure: runs of non-space characters.

    >>> word_count("Three rockets hit  the base.")
    5
    """
    return len(text.split())


def make_extractor(config: Config):
    from kg.extract.relations import Extractor  # spaCy loads here, not on `import kg`

    return Extractor(config)


def write_build(out: Path, extractions: list[DocumentExtraction], config: Config, report: BuildReport, *,
                store_url: str | None = None, progress: Progress | None = None,
                actors: ActorDictionary | None = None) -> Graph:
    """Resolve `extractions` into one graph and write it: to the build's store (embedded, or the
    SPARQL server `store_url` or the one the folder names), the manifest, and the exports.
    `actors` is the dictionary the extractor has loaded already, if any.

    `extractions` is emptied once resolved: the graph holds what the files need, and a build of
    ten thousand reports would otherwise hold both through the store and the exports."""
    from kg import stores as kg_store
    from kg.stores.incremental import write_graph_store

    if actors is None:
        actors = load_actors([config.actors_path, *config.extra_actor_files])
    manifest = {e.document.id: e.document.content_hash for e in extractions}
    graph = resolve(extractions, actors, config.fuzzy_threshold)
    extractions.clear()
    graph.places = locate(graph, actors, config.ontology_dir)
    out.mkdir(parents=True, exist_ok=True)
    store_url = store_url or kg_store.server_of(out)
    if store_url is None:  # only the named graphs that changed are written again (kg.stores.incremental)
        store, report.store_write = write_graph_store(out, graph)
    else:
        store = kg_store.open_store()  # the exports are written from this copy, not read back from the server
        store.load(graph_to_quads(graph))
        server = kg_store.ServerStore(store_url)
        server.publish(store.quads(), progress=progress)
        kg_store.link_server(out, server.url)
        report.store = server.url
    write_atomically(out / MANIFEST, json.dumps({"documents": manifest}, indent=1, sort_keys=True))
    write_exports(out, graph, store)
    report.documents = len(manifest)
    report.entities = len(graph.entities)
    report.relations = len(graph.relations)
    report.attacks = len(graph.attacks)
    report.triples = len(store)
    return graph


def write_exports(out: Path, graph: Graph, store) -> None:
    """The RDF files from `store`; beside them, on a spare core, the graph's views (GraphML, GEXF, the
    tables and the explorer), which read only `graph` (kg.forked)."""
    from kg.export.rdf import write_rdf_files  # not kg.export.files: networkx loads in the child only
    from kg.forked import beside

    with beside(write_views, out, graph):
        write_rdf_files(out, store)


def write_views(out: Path, graph: Graph) -> None:
    from kg.export.files import write_network_files
    from kg.export.html import write_explorer

    write_network_files(out, graph)
    write_explorer(graph, out / "explorer.html")
