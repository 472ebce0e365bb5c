"""Queries on a build's store evaluated in worker processes, each killed at its deadline.

Oxigraph cannot interrupt a query once it runs: a thread left behind at the deadline
keeps a core busy (and holds its slot) until the query ends by itself, minutes later
for a cross product. So `kg serve` evaluates each query in a worker process of this
pool, which opens the snapshot read-only; past the deadline the worker is killed
(SIGKILL), which stops the evaluation at once and gives its memory back, and the next
query gets a fresh worker. A query that ends in time leaves its worker for the next.

Workers are forked from a small server process that has already imported the store
(multiprocessing's "forkserver"), so a fresh one is ready in milliseconds, and they are
started only when needed, up to `size` at once: `size` is also how many queries run
at once; the others wait for a worker within their own time limit.

    pool = QueryPool(4)
    answer = pool.run("exports/example/store-...", "ASK {}", timeout=30)   # a kg.stores.Serialized
    pool.close()
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from kg.errors import KGError, QueryError, QueryTimeout, StoreError

__all__ = ["QueryPool"]

_ERRORS: dict[str, type[KGError]] = {"QueryError": QueryError, "QueryTimeout": QueryTimeout, "StoreError": StoreError}


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, context: Any):
        ours, theirs = context.Pipe(duplex=True)
        self.process = context.Process(target=_work, args=(theirs,), name="kg-query-worker", daemon=True)
        self.process.start()
        theirs.close()
        self.conn: Connection = ours

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """At most `size` worker processes evaluating queries, each one killed when its query runs out of time.

    Parameters
    ----------
    size : int
        Queries evaluated at once (and worker processes kept).
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError(f"a query pool needs at least one worker, not {size}")
        self.size = size
        self._context = _context()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0  # workers alive, idle or busy
        self._closed = False

    def run(self, path: str, query: str, *, timeout: float | None, **options: Any) -> Any:
        """Evaluate `query` on the store folder `path` as `kg.stores.oxigraph.Store.sparql_raw` does (with
        `options`: accept, max_rows, params, default_graphs, named_graphs) and return its answer.

        Raises
        ------
        QueryTimeout
            No worker came free, or the answer did not come, within `timeout` seconds
            (the worker is then killed).
        QueryError, StoreError
            As `sparql_raw` raises them, or when a worker dies.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        worker = self._take(deadline, timeout)
        try:
            worker.conn.send((path, query, options))
            if not worker.conn.poll(None if deadline is None else max(0.0, deadline - time.monotonic())):
                self._discard(worker)
                worker = None
                raise QueryTimeout(f"query took longer than {timeout:g} s")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._discard(worker)
                worker = None
            raise StoreError("the query's worker process died (out of memory?)") from None
        finally:
            if worker is not None:
                self._give_back(worker)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def pids(self) -> list[int]:
        """The process ids of the idle workers (for monitoring)."""
        with self._idle.mutex:
            return [worker.process.pid for worker in self._idle.queue]

    def close(self) -> None:
        """Stop every worker (a query still running is killed)."""
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    # ------------------------------------------------------------ workers

    def _take(self, deadline: float | None, timeout: float | None) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._closed:
                raise StoreError("the query pool is closed")
            start = self._started < self.size
            if start:
                self._started += 1
        if start:
            try:
                return _Worker(self._context)
            except (OSError, RuntimeError) as error:
                with self._lock:
                    self._started -= 1
                raise StoreError(f"cannot start a query worker: {error}") from None
        try:
            return self._idle.get(timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(f"the store is busy: no query could start within {timeout:g} s") from None

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            closed = self._closed
        if closed:
            self._discard(worker)
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._started -= 1
        # A waiting query may be stuck in `_idle.get` while no worker is left to come back:
        # hand it a fresh one (started here, so the wait ends without a new slot).
        with self._lock:
            replace = not self._closed and self._started < self.size
            if replace:
                self._started += 1
        if replace:
            try:
                self._idle.put(_Worker(self._context))
            except (OSError, RuntimeError):
                with self._lock:
                    self._started -= 1


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg.query_pool", "kg.stores.oxigraph"])
        return context
    return multiprocessing.get_context("spawn")


# ------------------------------------------------------------ in the worker process


def _work(conn: Connection) -> None:
    """Answer queries sent on `conn` until it closes; the store is reopened when the path changes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    from kg.stores.oxigraph import open_store

    opened: tuple[str, Any] | None = None
    while True:
        try:
            path, query, options = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened[0] != path:
                opened = None
                opened = (path, open_store(path, read_only=True))
            reply: tuple = ("ok", opened[1].sparql_raw(query, **options))
        except KGError as error:
            reply = ("error", type(error).__name__, str(error))
        except Exception as error:  # noqa: BLE001 (anything else still gets an answer, not a hang)
            reply = ("error", "StoreError", f"the query failed: {type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if os.getppid() == 1:  # the server is gone
            return
