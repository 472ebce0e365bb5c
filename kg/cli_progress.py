"""How `kg build` shows its progress on stderr: what it is doing, then a bar by words read.

The bar measures words, not documents (one long report takes as long as many
short wires), starts when the pipeline is loaded (so loading never counts as
reading), and shows a time estimate only after a few documents, when the rate
it extrapolates from means something. Without a terminal it prints one line per
stage and no bar.
"""

from __future__ import annotations

import sys
import time

import click

from kg.build import ReadProgress

DOCUMENTS_BEFORE_ETA = 3


class BuildProgress:
    """The `notify` and `progress` callbacks of kg.build.build_graph, drawn with click. Close it at the end."""

    def __init__(self, *, quiet: bool = False, file=None):
        self.quiet = quiet
        self.file = file or sys.stderr
        self._bar = None
        self._base = 0
        self._started = 0.0

    def notify(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, file=self.file)

    def progress(self, done: ReadProgress) -> None:
        if self.quiet:
            return
        if self._bar is None:
            to_read = done.documents_total - done.cached
            label = f"reading {to_read} document{'s' if to_read != 1 else ''} ({done.words_total - done.cached_words:,} words)"
            self._base = done.cached_words
            self._bar = click.progressbar(length=max(1, done.words_total - self._base), label=label, file=self.file,
                                          show_eta=False, show_percent=True,
                                          item_show_func=lambda item: item)
            self._bar.__enter__()
            self._started = time.monotonic()
        read = done.documents - done.cached
        words_read = done.words - self._base
        self._bar.update(words_read - self._bar.pos, f"{read}/{done.documents_total - done.cached} documents")
        if read >= DOCUMENTS_BEFORE_ETA and words_read:
            # The rate since reading began, not click's rolling average, which starts from the first
            # updates, when almost nothing was read yet, and overshoots by minutes.
            self._bar.avg = [(time.monotonic() - self._started) / words_read]
            self._bar.eta_known = self._bar.show_eta = True
            self._bar.render_progress()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
