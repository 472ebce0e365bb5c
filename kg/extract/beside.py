"""Extraction beside spaCy: a second process reads each parsed document while spaCy parses the next.

spaCy's pipeline keeps one core; our rules take another, so on a machine with a core to spare a build
costs little more than the parse itself. The worker is forked once the pipeline, lexicon and
dictionary are loaded, so it starts in milliseconds and shares them; each parse crosses over as
`Doc.to_dict`, pickled (about a hundredth of the parse's own time), and comes back as a
DocumentExtraction.

Where a worker cannot help or cannot run (one core, one document, no `fork`), or if it dies, the
documents are read in this process: the results are the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.model import Document, DocumentExtraction

Extract = Callable[[Doc, Document], DocumentExtraction]
Outcome = DocumentExtraction | Exception

PR_SET_PDEATHSIG = 1  # linux/prctl.h
IN_FLIGHT = 32  # parsed documents handed over and not yet read back: bounds the memory they hold

# The forked worker's own copy of what it reads with, set once by _start (a worker process holds
# nothing else). concurrent.futures passes `initargs` to a forked child without pickling them.
_worker: tuple[Extract, Vocab] | None = None


def extract_all(parsed: Iterable[tuple[Document, Doc]], extract: Extract, vocab: Vocab, *,
                beside: bool) -> Iterator[tuple[Document, Outcome]]:
    """Each document with its extraction, or the exception extracting it raised, in order."""
    if not beside:
        for document, doc in parsed:
            yield document, _attempt(extract, doc, document)
        return
    yield from _extract_beside(iter(parsed), extract, vocab)


def _extract_beside(parsed: Iterator[tuple[Document, Doc]], extract: Extract,
                    vocab: Vocab) -> Iterator[tuple[Document, Outcome]]:
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start, initargs=(extract, vocab, os.getpid()))
    waiting: deque[tuple[Document, dict, Future | None]] = deque()
    try:
        for document, doc in parsed:
            data = doc.to_dict(exclude=["tensor", "user_data"])
            try:
                future = pool.submit(_read, data, document)
            except BrokenProcessPool:  # the worker died before: this process reads the rest
                future = None
            waiting.append((document, data, future))
            while waiting and (len(waiting) >= IN_FLIGHT or waiting[0][2] is None or waiting[0][2].done()):
                yield _collect(waiting.popleft(), extract, vocab)
        while waiting:
            yield _collect(waiting.popleft(), extract, vocab)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # no thread of its left behind when we fork again


def _collect(item: tuple[Document, dict, Future | None], extract: Extract,
             vocab: Vocab) -> tuple[Document, Outcome]:
    document, data, future = item
    if future is not None:
        try:
            return document, future.result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): this process reads it
            pass
        except Exception as error:  # noqa: BLE001  the extractors' own failure, handed back
            return document, error
    return document, _attempt(extract, Doc(vocab).from_dict(data), document)


def _attempt(extract: Extract, doc: Doc, document: Document) -> Outcome:
    try:
        return extract(doc, document)
    except Exception as error:  # noqa: BLE001  one strange text never costs the rest of a build
        return error


def _start(extract: Extract, vocab: Vocab, parent: int) -> None:
    global _worker
    _die_with(parent)
    _worker = (extract, vocab)


def _die_with(parent: int) -> None:
    """End this worker when the build that forked it ends, however it ends. A build killed outright
    (SIGKILL, the out-of-memory killer) never shuts its pool down, and the worker, which holds its
    own end of the pipe it waits on, would wait for work forever. Linux only, as the fork is."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(0)


def _read(data: dict, document: Document) -> DocumentExtraction:
    assert _worker is not None, "_read runs only in a worker started by _start"
    extract, vocab = _worker
    return extract(Doc(vocab).from_dict(data), document)
