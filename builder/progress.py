"""Show long work as it happens: a bar on a terminal, plain lines in a CI log, then a summary."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Stages of a build or release, reported to a stream (stderr by default)."""

    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.started = time.monotonic()
        self.label = ""
        self.total = 0
        self.done = 0
        self.counts: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        """Add to a tally shown in the summary (pages, charts, releases)."""
        self.counts[what] = self.counts.get(what, 0) + n

    def stage(self, label: str, total: int = 0) -> None:
        """Begin a stage; `total` > 0 gives it a bar that `advance` fills."""
        self._finish_line()
        self.label, self.total, self.done = label, total, 0
        if self.interactive:
            self._draw()
        else:
            print(f"[{self._elapsed()}] {label}" + (f" ({total})" if total else ""), file=self.stream, flush=True)

    def advance(self, step: int = 1) -> None:
        self.done += step
        if self.interactive:
            self._draw()

    def summary(self, where: str = "") -> None:
        self._finish_line()
        parts = ", ".join(f"{name}: {value}" for name, value in self.counts.items())
        print(
            f"done in {self._elapsed().strip()}: {parts}" + (f"; {where}" if where else ""),
            file=self.stream,
            flush=True,
        )

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:5.1f}s"

    def _draw(self) -> None:
        if self.total:
            width = 24
            filled = int(width * min(self.done, self.total) / self.total)
            bar = f" [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        else:
            bar = " ..."
        self.stream.write(f"\r\x1b[2K{self.label}{bar}")
        self.stream.flush()

    def _finish_line(self) -> None:
        if self.interactive and self.label:
            self.stream.write("\n")
            self.stream.flush()
            self.label = ""


class Silent(Progress):
    """Reports nothing: for library use and plain `mkdocs build`, which logs on its own."""

    def stage(self, label: str, total: int = 0) -> None:
        pass

    def advance(self, step: int = 1) -> None:
        pass

    def summary(self, where: str = "") -> None:
        pass
