"""Work on a second core: a forked process that shares everything this one has loaded.

`spare_core()` says whether this machine has a core for it; `beside(work, *args)` runs
`work(*args)` in a forked child while the with-block runs here, and waits for it at the end:
the child's error is raised here, and if the child dies without a word (killed, out of memory)
the work is done here instead. Without a spare core, or without `fork`, the work simply runs
here at the end of the block. Either way the result is the same files.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator

from kg.errors import KGError


def cores() -> int:
    """The cores this process may run threads on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def usable_cores() -> int:
    """The cores this process may use with `fork` to share what is loaded: 1 where fork is not
    to be used (it is unsafe on macOS and missing on Windows)."""
    return cores() if sys.platform == "linux" else 1


def spare_core() -> bool:
    """A second core this process may use, and `fork` to share what is loaded with it."""
    return usable_cores() >= 2


@contextlib.contextmanager
def beside(work: Callable[..., object], *args) -> Iterator[None]:
    """Run `work(*args)` in a forked child during the with-block; raise its error at the end."""
    if not spare_core():
        yield
        work(*args)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(send, work, args), daemon=True)
    gc.freeze()  # the child's collector leaves what it shares with us alone: no copy of every page it marks
    try:
        child.start()
    finally:
        gc.unfreeze()
    send.close()
    try:
        yield
    except BaseException:
        child.kill()
        child.join()
        raise
    child.join()
    word = None
    with receive, contextlib.suppress(EOFError):  # EOF: the child died before it could say how it went
        word = receive.recv()
    if word is None:  # so the work is done here
        work(*args)
    elif word != "done":
        kind, message = word
        raise KGError(message) if kind == "KGError" else RuntimeError(message)


def _run(send, work: Callable[..., object], args: tuple) -> None:
    try:
        work(*args)
        send.send("done")
    except KGError as error:
        send.send(("KGError", str(error)))
    except BaseException:  # noqa: BLE001  a bug: its traceback goes to the parent, which raises it
        send.send(("bug", f"in a forked process:\n{traceback.format_exc()}"))
    finally:
        send.close()
