"""A build folder's store: snapshots switched by one rename, the writers' lock, and the server link.

A build folder keeps its Oxigraph store in a snapshot folder, ``store-<time>-<pid>/``,
named by the symlink ``store``. `write_build_store` fills a fresh snapshot by bulk load
and then swaps the link in one `os.replace`, so a reader opens the old snapshot or the
new one, never half of one; `open_build` opens whatever the link names, and a reader
that opened the old snapshot keeps reading it after the swap. `update_build_store`
copies the current snapshot, changes it and switches in the same way. Writers that
died leave snapshots that the next writer deletes; one writer at a time switches,
under a lock file (``DIR/.store.lock``).

A build may keep its graph on a SPARQL server instead (`kg build --store URL`): then
the folder holds ``store.url`` in place of the link (`link_server`, `server_of`), and
`open_build` gives a `kg.stores.server.ServerStore`, which keeps the same contract.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.atomic import process_alive
from kg.errors import StoreError
from kg.rdf import write_nquad_lines, write_nquads
from kg.stores.contract import GraphStore, Quad
from kg.forked import cores
from kg.stores.oxigraph import Store, open_store

__all__ = ["SERVER_FILE", "STORE_DIRNAME", "link_server", "open_build", "server_of", "snapshot_target",
           "update_build_store", "write_build_store"]

STORE_DIRNAME = "store"
SERVER_FILE = "store.url"  # in a build folder whose store is a SPARQL server: the server's query URL
SNAPSHOT_PREFIX = "store-"
# What _publish and _swap_link name their folders: store-<UTC time>.<microseconds>-<pid>, store-old-<ns>-<pid>,
# and RocksDB's checkpoint (Store.backup) its staging folder: the same name and ".tmp".
_SNAPSHOT_NAME = re.compile(r"store-(?:\d{8}T\d{6}\.\d{6}|old-\d+)-(?P<pid>\d+)(?:\.tmp)?")
_LOCK_NAME = ".store.lock"


def snapshot_target(build_dir: str | os.PathLike) -> str:
    """What a build folder's ``store`` link names now (its real path): changes when a build switches snapshots."""
    return os.path.realpath(Path(build_dir) / STORE_DIRNAME)


def open_build(build_dir: str | os.PathLike, *, read_only: bool = True) -> GraphStore:
    """The store of a build folder: the snapshot its ``store`` link names, at the moment of opening.

    A read-only store is a snapshot: after `write_build_store` swaps in a new one, it
    keeps answering from the old (call `open_build` again for the new). `Store.path`
    is the link, ``DIR/store``. Opening read-write is for a store no reader uses yet.

    Raises
    ------
    StoreError
        If `build_dir` holds no store.

    Examples
    --------
    >>> open_build("/nonexistent")
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: /nonexistent is not a militia-kg build (no store); run `kg build INPUT --out /nonexistent`
    """
    build = Path(build_dir)
    link = build / STORE_DIRNAME
    server = server_of(build)
    if server is not None:
        from kg.stores.server import ServerStore

        return ServerStore(server)
    for attempt in range(20):  # a writer may swap and delete the snapshot between our look and our open
        target = _snapshot_of(build)
        if target is None:
            raise StoreError(f"{build} is not a militia-kg build (no store); run `kg build INPUT --out {build}`")
        try:
            store = ox.Store.read_only(str(target)) if read_only else ox.Store(str(target))
            return Store(store, link)
        except (OSError, RuntimeError) as error:  # RocksDB says "Corruption" when files vanish mid-open
            swapped = _snapshot_of(build) != target or not target.is_dir()
            if not swapped or attempt == 19:
                raise StoreError(f"cannot open the store of {build}: {' '.join(str(error).split())}") from None
            time.sleep(0.01)
    raise AssertionError("unreachable")


def server_of(build_dir: str | os.PathLike) -> str | None:
    """The SPARQL server a build folder keeps its graph in (`kg build --store URL`), or None."""
    try:
        return (Path(build_dir) / SERVER_FILE).read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise StoreError(f"cannot read {Path(build_dir) / SERVER_FILE}: {error}") from None


def link_server(build_dir: str | os.PathLike, url: str) -> None:
    """Make a build folder's store the SPARQL server at `url` (without its password), in place
    of an embedded store, which is deleted."""
    build = Path(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    tmp = build / f".{SERVER_FILE}.{os.getpid()}.tmp"
    tmp.write_text(url + "\n", encoding="utf-8")
    with _writer_lock(build):
        os.replace(tmp, build / SERVER_FILE)
        old = _snapshot_of(build)
        if old is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(build / STORE_DIRNAME)
            shutil.rmtree(old, ignore_errors=True)


def write_build_store(build_dir: str | os.PathLike, quads: Iterable[Quad], *, lines: Iterable[str] = (),
                      finish: Callable[[Path], None] | None = None) -> Path:
    """Write `quads` into a fresh snapshot of the build's store and switch the build over to it.

    `lines` are more quads, already written as N-Quads lines (kg.rdf.nquad_line), loaded first.
    The snapshot ``DIR/store-<time>-<pid>`` is bulk-loaded and flushed (and given to `finish`,
    which may write files of its own into it: RocksDB ignores them), then the link
    ``DIR/store`` is replaced in one `os.replace`, and the old snapshot deleted. Readers
    that opened the old one keep a consistent view of it. Returns the new snapshot's path.

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import URIRef, Literal
    >>> build = tempfile.mkdtemp()
    >>> snapshot = write_build_store(build, [(URIRef("urn:s"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))])
    >>> len(open_build(build))
    1
    """
    build = Path(build_dir)

    def fill(store: Store) -> None:  # _publish has made the folder by now
        _load_through_file(build, store, quads, lines)

    return _publish(build, fill, finish=finish)


def _load_through_file(build: Path, store: Store, quads: Iterable[Quad], lines: Iterable[str] = ()) -> None:
    # Through files: Oxigraph parses N-Quads files on two threads at once more than twice as fast
    # as it takes Python terms one by one (bulk_extend). Two files, in turns of ten thousand lines,
    # each streamed from disk, where one file would be read into memory to be cut in two.
    with contextlib.ExitStack() as stack:
        parts = [stack.enter_context(tempfile.NamedTemporaryFile(dir=build, prefix=".load-", suffix=".nq"))
                 for _ in range(2 if cores() > 1 else 1)]
        blank = write_nquad_lines(lines, *parts)
        blank = write_nquads(quads, *parts) or blank
        for part in parts:
            part.flush()
        if blank or len(parts) == 1:  # a blank node's label holds only within one load
            if len(parts) > 1:
                _append_file(parts[0], parts[1].name)
            store.load_file(parts[0].name)
        else:
            store.load_parts([part.name for part in parts])


def _append_file(file, path: str) -> None:
    with open(path, "rb") as more:
        shutil.copyfileobj(more, file)
    file.flush()


def update_build_store(build_dir: str | os.PathLike, *, remove_graphs: Iterable[URIRef] = (),
                       remove_lines: Iterable[str] = (), quads: Iterable[Quad] = (), lines: Iterable[str] = (),
                       finish: Callable[[Path], None] | None = None) -> Path:
    """Copy the build's current snapshot, drop `remove_graphs` and the quads of the N-Quads
    `remove_lines`, and add `lines` (N-Quads) and `quads`, then switch over as `write_build_store`
    does. To replace a document, name its graph and give its new quads.

    The copy is a hard-linked checkpoint, so this costs about what the change does. Updates
    to one build are serialised by a lock file (``DIR/.store.lock``); `write_build_store`
    replaces everything, so the last one to finish wins.
    """
    build = Path(build_dir)

    def change(store: Store) -> None:
        for graph in remove_graphs:
            store.remove_graph(graph)
        store.remove_nquads("".join(remove_lines).encode("utf-8"))
        _load_through_file(build, store, quads, lines)

    open_build(build)  # a clear error when there is nothing to update
    with _writer_lock(build):  # held throughout, so two updates cannot lose one another's change
        return _publish(build, change, base=open_build(build), locked=True, finish=finish)


def _publish(build: Path, fill: Callable[[Store], None], *, base: Store | None = None,
             locked: bool = False, finish: Callable[[Path], None] | None = None) -> Path:
    try:
        build.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the build folder {build}: {error}") from None
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}"
    fresh = build / f"{SNAPSHOT_PREFIX}{stamp}-{os.getpid()}"
    try:
        if base is not None:
            base.backup(fresh)
        store = open_store(fresh)
        fill(store)
        store.flush()
        del store  # closes the database before anyone opens it read-only
        if finish is not None:
            finish(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    with contextlib.nullcontext() if locked else _writer_lock(build):
        old = _swap_link(build, fresh)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(build / SERVER_FILE)  # the build's store is this snapshot now, not a server
        if old is not None and old != fresh:
            shutil.rmtree(old, ignore_errors=True)
        _remove_abandoned(build, keep=fresh)
    return fresh


def _snapshot_of(build: Path) -> Path | None:
    link = build / STORE_DIRNAME
    try:
        if link.is_symlink():
            return build / os.readlink(link)
    except OSError:
        return None
    return link if link.is_dir() else None  # a store folder written before snapshots


def _swap_link(build: Path, fresh: Path) -> Path | None:
    """Point DIR/store at `fresh` in one rename; return what it pointed at before."""
    link = build / STORE_DIRNAME
    old = _snapshot_of(build)
    if old == link:  # an old-style folder: move it aside first (the only non-atomic moment)
        old = build / f"{SNAPSHOT_PREFIX}old-{time.time_ns()}-{os.getpid()}"
        os.rename(link, old)
    tmp = build / f".{STORE_DIRNAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(fresh.name, tmp)
    os.replace(tmp, link)
    return old


def _remove_abandoned(build: Path, *, keep: Path) -> None:
    """Delete snapshots left by writers that died before switching (their pid is gone).

    Only folders named exactly as `_publish` names them: a user's `store-backup-2023` stays.
    """
    for path in build.glob(SNAPSHOT_PREFIX + "*"):
        match = _SNAPSHOT_NAME.fullmatch(path.name)
        if path == keep or match is None or process_alive(int(match.group("pid"))):
            continue
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _writer_lock(build: Path) -> Iterator[None]:
    """One writer at a time swaps the link and cleans up (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the swap itself is still atomic
        yield
        return
    with open(build / _LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
