"""Files replaced whole: written under a temporary name of their own, then renamed over the old one.

A reader (or a process killed half-way through the write) sees the old file or the new
one, never a part of either, and two writers never share a temporary file.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.html"
>>> write_text_atomically(path, "<p>one</p>").read_text()
'<p>one</p>'
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["process_alive", "remove_orphans", "replace_with", "write_text_atomically"]

_ORPHAN_AGE = 3600  # seconds: a writer on another machine sharing the folder has a pid we cannot see
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp")


def replace_with(path: str | os.PathLike, write: Callable[[Path], object], *, sweep: bool = True) -> Path:
    """Call `write` on a fresh temporary path beside `path`, then rename it over `path`.

    The temporary name, ``.NAME.PID.RANDOM.tmp``, is made (empty) by `tempfile.mkstemp`,
    so no other writer has it. If `write` raises, the temporary file is removed and
    `path` is left as it was. Temporary files of `path` left by writers that died
    (their pid is gone here, and the file is an hour old) are removed first, unless not
    `sweep`: a writer of many files in one folder calls `remove_orphans` on it once instead
    (looking through a folder of ten thousand files for each of them would cost more than the writes).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if sweep:
        _remove_orphans(path.parent, f".{path.name}.", lambda name: name == path.name)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomically(path: str | os.PathLike, text: str, *, sweep: bool = True) -> Path:
    """Write `text` as UTF-8 to `path` by `replace_with`."""
    return replace_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), sweep=sweep)


def remove_orphans(folder: str | os.PathLike) -> None:
    """Remove the temporary files `replace_with` left in `folder` when their writers died."""
    _remove_orphans(Path(folder), ".", lambda name: True)


def _remove_orphans(folder: Path, prefix: str, of: Callable[[str], bool]) -> None:
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match and of(match.group("name")) and not process_alive(int(match.group("pid"))):
            orphan = folder / name
            try:
                if time.time() - orphan.stat().st_mtime > _ORPHAN_AGE:
                    orphan.unlink()
            except OSError:
                pass


def process_alive(pid: int) -> bool:
    """Whether a process with this id still runs (one owned by another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
