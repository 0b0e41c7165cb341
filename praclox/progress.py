"""Progress of long commands (imports, demo data, key rotation, purges, newsletters).

On a terminal: click's progress bar with the counts and an estimate of the time left. Otherwise (a log file,
cron, a pipe): a plain line now and then, ``label: 500/2000 (25%)``. Progress goes to stderr, so what a
command prints on stdout (its counts) stays the same for scripts.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

#: without a terminal: a line at every tenth of the work, and at least every this many seconds
PLAIN_EVERY_SECONDS = 10.0


class Progress:
    """Counts done out of a total; ``advance(n)`` after each piece, ``to(done)`` for a running count."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, terminal: bool | None = None) -> None:
        self.label, self.total, self.done = label, max(int(total), 0), 0
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self._bar: Any = None
        self._last_line, self._last_step = 0.0, -1

    def __enter__(self) -> Progress:
        if self.terminal:
            self._bar = click.progressbar(length=self.total or 1, label=self.label, show_pos=True, show_eta=True,
                                          file=self.stream)
            self._bar.__enter__()
        else:
            self._line()  # the start, with the total: the operator sees at once how much there is
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
        elif self._last_step < 10 and not exc[0]:
            self._line()

    def advance(self, count: int = 1) -> None:
        self.to(self.done + count)

    def to(self, done: int) -> None:
        step = min(done, self.total) - min(self.done, self.total)
        self.done = done
        if self._bar is not None:
            if step > 0:
                self._bar.update(step)
            return
        tenth = (10 * self.done // self.total) if self.total else 10
        if tenth > self._last_step or time.monotonic() - self._last_line >= PLAIN_EVERY_SECONDS:
            self._line()

    def _line(self) -> None:
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        click.echo(f"{self.label}: {self.done}/{self.total}{share}", file=self.stream)
        self._last_line = time.monotonic()
        self._last_step = (10 * self.done // self.total) if self.total else 10


@contextmanager
def progress(label: str, total: int, **kw: Any) -> Iterator[Progress]:
    with Progress(label, total, **kw) as bar:
        yield bar
