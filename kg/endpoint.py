"""A build's store behind `kg serve`: reopened when a rebuild switches snapshots, answers cached.

`Endpoint.answer` runs a query and writes its answer as the Accept header asks. On a
build's own store each query runs in a worker process of kg.query_pool (killed at its
time limit) and its answer is kept in a least-recently-used cache keyed on the
snapshot; a live store (a SPARQL server) is asked every time and nothing is kept.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

from kg.errors import QueryError, StoreError
from kg.query_pool import QueryPool
from kg.sparql_text import uses_service
from kg.stores import STORE_DIRNAME, GraphStore, Serialized, folder_of, open_source, snapshot_target

__all__ = ["DEFAULT_CACHE_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "NO_SERVICE", "Endpoint"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_CACHE_BYTES = 64 << 20
NO_SERVICE = ("SERVICE is refused: this endpoint does not fetch from other addresses "
              "(it would let any web page reach services on this machine)")


class Endpoint:
    """A build's store behind the endpoint, reopened when a rebuild switches the build to a new one.

    Answers are kept in a least-recently-used cache of `cache_bytes`, keyed on the snapshot
    they came from, so a rebuild never serves a stale one. A SPARQL server as the store
    (a URL, or a build kept on one) is asked every time: it changes without us knowing.
    """

    def __init__(self, build_dir: str | os.PathLike, *, timeout: float | None = DEFAULT_TIMEOUT,
                 max_rows: int | None = DEFAULT_MAX_ROWS, max_running: int | None = None,
                 cache_bytes: int = DEFAULT_CACHE_BYTES):
        self.build_dir = folder_of(build_dir)
        self.timeout = timeout
        self.max_rows = max_rows
        running = max_running or max(4, 2 * (os.cpu_count() or 1))
        self.slots = threading.BoundedSemaphore(running)
        self.cache = _AnswerCache(cache_bytes)
        self._lock = threading.Lock()
        self._named: tuple[str, str] | None = None  # what the store link said last, and the snapshot's path
        self._current = (self._current_target(), open_source(build_dir))
        # A SPARQL server changes without our knowing: ask it every time, keep no answers.
        self._live = self._current[1].live
        # Our own store: each query in a worker process, killed at its time limit.
        self.pool = None if self._live else QueryPool(running)

    def close(self) -> None:
        """Stop the query workers."""
        if self.pool is not None:
            self.pool.close()

    def store(self) -> tuple[str, GraphStore]:
        """The snapshot's path and its store, reopened first if the build now names another snapshot.

        If the new one cannot be opened, the last one goes on answering.
        """
        if self._live:
            return self._current
        target = self._current_target()
        if target != self._current[0]:
            with self._lock:
                if target != self._current[0]:
                    try:
                        self._current = (target, open_source(self.build_dir))
                    except StoreError:
                        pass
        return self._current

    def answer(self, query: str, *, accept: str, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None) -> Serialized:
        """The answer to `query`, serialised as `accept` asks.

        Raises
        ------
        QueryError
            Malformed, or uses SERVICE (refused: see the module's docstring).
        QueryTimeout
            Past the time limit; the query has been stopped.
        """
        if uses_service(query):
            raise QueryError(NO_SERVICE)
        snapshot, store = self.store()
        key = (snapshot, query, accept, tuple(default_graphs or ()), tuple(named_graphs or ()))
        answer = None if self._live else self.cache.get(key)
        if answer is None:
            options = {"accept": accept, "max_rows": self.max_rows, "default_graphs": default_graphs,
                       "named_graphs": named_graphs}
            if self.pool is None:
                answer = store.sparql_raw(query, timeout=self.timeout, slots=self.slots, **options)
            else:
                answer = self.pool.run(snapshot, query, timeout=self.timeout, **options)
                self.cache.put(key, answer)
        return answer

    def explorer(self) -> bytes | None:
        if self.build_dir is None:
            return None
        try:
            return (self.build_dir / "explorer.html").read_bytes()
        except OSError:
            return None

    def _current_target(self) -> str:
        """The snapshot the build's store link names now: one readlink a query, its full path only when it changes."""
        if self.build_dir is None:
            return ""
        try:
            named = os.readlink(self.build_dir / STORE_DIRNAME)
        except OSError:  # not a link (or not there): the full path every time
            return snapshot_target(self.build_dir)
        seen = self._named
        if seen is None or seen[0] != named:
            seen = self._named = (named, snapshot_target(self.build_dir))
        return seen[1]


class _AnswerCache:
    """Serialized answers by key, the least recently used dropped first to stay within `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, Serialized] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Serialized | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Serialized) -> None:
        size = len(answer.body) + len(key[1])
        if size > self.max_bytes // 8:
            return  # a few huge answers would push out everything else
        with self._lock:
            if key in self._items:
                return
            self._items[key] = answer
            self._size += size
            while self._size > self.max_bytes:
                old_key, old = self._items.popitem(last=False)
                self._size -= len(old.body) + len(old_key[1])
