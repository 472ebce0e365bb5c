"""Bulk loading into a pyoxigraph store: the fastest way in, on two threads where there are two cores.

Oxigraph's bulk loader sorts each million quads into the indexes on one core. `load_file` cuts a
line-based file (N-Quads, N-Triples) of 8 to 512 MiB without blank nodes at a line end into two
halves, reads them into memory and loads them at once on two threads. `load_parts` loads files
already written in parts, each streamed from disk on its own thread: as fast, without holding the
file in memory (a build writes its load file that way, kg.stores.build_folder). Only two threads:
each load adds a layer to every index that later reads must merge (four made the saved queries a
quarter slower; two cost nothing). Blank node labels hold across a file but not across loads, so
such files go in one load.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable

import pyoxigraph as ox

from kg.errors import StoreError
from kg.forked import cores

__all__ = ["RDF_FORMATS", "load_file", "load_parts"]

RDF_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
               "ntriples": ox.RdfFormat.N_TRIPLES}


def load_file(store: ox.Store, path: str | os.PathLike, *, format: str = "nquads", lenient: bool = False) -> None:
    """Bulk-load an RDF file ("nquads", "trig", "turtle" or "ntriples") into `store`. `lenient` skips
    the check of every IRI (a load about a seventh faster). Triples go to the default graph."""
    rdf_format = RDF_FORMATS.get(format)
    if rdf_format is None:
        raise StoreError(f"cannot load {format!r}: use one of {', '.join(RDF_FORMATS)}")
    halves: list[bytes] = []
    try:
        size = os.path.getsize(path)
        line_based = rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
        if line_based and cores() > 1 and 8 << 20 <= size <= 512 << 20:
            with open(path, "rb") as file:
                file.seek(size // 2)
                file.readline()  # the cut: the end of the line across the middle
                cut = file.tell()
                file.seek(0)
                halves = [file.read(cut), file.read()]
            if not halves[1] or any(b"_:" in half for half in halves):
                halves = []
        if not halves:
            store.bulk_load(path=str(path), format=rdf_format, lenient=lenient)
            return
        loads = [lambda k=k: store.bulk_load(input=halves[k], format=rdf_format, lenient=lenient) for k in (0, 1)]
        errors = _on_threads(loads)
        if errors[0] is not None:
            raise errors[0]
        if isinstance(errors[1], SyntaxError):  # its line numbers count from the cut
            lines = halves[0].count(b"\n")
            raise SyntaxError(re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + lines}", str(errors[1])))
        if errors[1] is not None:
            raise errors[1]
    except (OSError, SyntaxError, ValueError) as error:
        raise StoreError(f"cannot load {path}: {' '.join(str(error).split())}") from None


def load_parts(store: ox.Store, paths: list[str | os.PathLike]) -> None:
    """Bulk-load N-Quads files without blank nodes that together make one dataset into `store`,
    each streamed from disk on a thread of its own."""
    loads = [lambda path=path: store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS) for path in paths]
    for path, error in zip(paths, _on_threads(loads)):
        if isinstance(error, (OSError, SyntaxError, ValueError)):
            raise StoreError(f"cannot load {path}: {' '.join(str(error).split())}") from None
        if error is not None:
            raise error


def _on_threads(loads: list[Callable[[], object]]) -> list[BaseException | None]:
    """Run each of `loads` on a thread of its own (the first on this one); what each raised."""
    errors: list[BaseException | None] = [None] * len(loads)

    def run(k: int) -> None:
        try:
            loads[k]()
        except BaseException as error:  # noqa: BLE001 (returned to the caller's thread)
            errors[k] = error

    others = [threading.Thread(target=run, args=(k,), name="kg-load", daemon=True) for k in range(1, len(loads))]
    for thread in others:
        thread.start()
    run(0)
    for thread in others:
        thread.join()
    return errors
