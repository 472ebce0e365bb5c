"""Reading on every core: forked processes each parse a share of the documents and run the rules on them.

spaCy's `nlp.pipe` keeps one core busy; a build has a whole pile of documents, each read on its own,
so it hands them out in chunks of about `chunk_words` words to one process per core. Each process is
forked once the pipeline, lexicon and dictionary are loaded, so it starts in milliseconds and shares
them; a chunk goes over as its documents (text and metadata) and comes back as their
DocumentExtractions, a small fraction of what a parse would weigh. Results come back in the
documents' order, whatever order the processes finish in, and at most a few chunks per process are
in flight, which bounds the memory they hold.

The Extractor (kg.extract.relations) reads in this process alone where processes cannot help or
cannot run (one core, one chunk, no `fork`); if a process dies, or a chunk fails as a whole, its
documents are read here, one at a time. The results are the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kg.model import Document, DocumentExtraction

Outcome = DocumentExtraction | Exception
ReadChunk = Callable[[Sequence[Document]], list[Outcome]]  # parse and extract, one outcome per document

PR_SET_PDEATHSIG = 1  # linux/prctl.h
CHUNKS_PER_PROCESS = 3  # chunks handed out and not yet collected, per process: keeps each busy, bounds memory

# A forked worker's own reader, set once by _start (a worker process holds nothing else).
# concurrent.futures passes `initargs` to a forked child without pickling them.
_worker: ReadChunk | None = None


def chunked(documents: Iterable[Document], chunk_words: int) -> Iterator[list[Document]]:
    """Consecutive documents in runs of at least `chunk_words` words (the last run may be shorter).

    >>> docs = [Document(f"{n}.txt", f"{n}.txt", "word " * n) for n in (3, 1, 2, 5, 1)]
    >>> [[d.id for d in chunk] for chunk in chunked(docs, 4)]
    [['3.txt', '1.txt'], ['2.txt', '5.txt'], ['1.txt']]
    """
    chunk: list[Document] = []
    words = 0
    for document in documents:
        chunk.append(document)
        words += len(document.text.split())
        if words >= chunk_words:
            yield chunk
            chunk, words = [], 0
    if chunk:
        yield chunk


def read_in_processes(chunks: Iterable[Sequence[Document]], read_chunk: ReadChunk,
                      processes: int) -> Iterator[tuple[Document, Outcome]]:
    """Each document with its extraction, or the exception reading it raised, in order, read by
    `read_chunk` in `processes` forked processes (or here, for what they could not read)."""
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start, initargs=(read_chunk, os.getpid()))
    waiting: deque[tuple[Sequence[Document], Future | None]] = deque()
    try:
        for chunk in chunks:
            try:
                future = pool.submit(_read, chunk)
            except BrokenProcessPool:  # a process died before: this one reads the rest
                future = None
            waiting.append((chunk, future))
            while waiting and (len(waiting) >= processes * CHUNKS_PER_PROCESS or waiting[0][1] is None
                               or waiting[0][1].done()):
                yield from _collect(*waiting.popleft(), read_chunk)
        while waiting:
            yield from _collect(*waiting.popleft(), read_chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # no thread of its left behind when we fork again


def _collect(chunk: Sequence[Document], future: Future | None,
             read_chunk: ReadChunk) -> Iterator[tuple[Document, Outcome]]:
    if future is not None:
        try:
            yield from zip(chunk, future.result())
            return
        except Exception:  # noqa: BLE001  its process died (BrokenProcessPool), or the chunk failed as
            pass           # a whole: this process reads it, one document at a time
    for document in chunk:
        yield from zip([document], _read_alone(read_chunk, document))


def _read_alone(read_chunk: ReadChunk, document: Document) -> list[Outcome]:
    try:
        return read_chunk([document])
    except Exception as error:  # noqa: BLE001  one strange text never costs the rest of a build
        return [error]


def _start(read_chunk: ReadChunk, parent: int) -> None:
    global _worker
    _die_with(parent)
    _worker = read_chunk


def _die_with(parent: int) -> None:
    """End this worker when the build that forked it ends, however it ends. A build killed outright
    (SIGKILL, the out-of-memory killer) never shuts its pool down, and the worker, which holds its
    own end of the pipe it waits on, would wait for work forever. Linux only, as the fork is."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(0)


def _read(chunk: Sequence[Document]) -> list[Outcome]:
    assert _worker is not None, "_read runs only in a worker started by _start"
    return _worker(chunk)
