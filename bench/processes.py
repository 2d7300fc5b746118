"""Run one measurement as a whole child process: its wall time, its peak memory, its output.

Peak memory is the child's own maximum resident set size, from `os.wait4` on that child
(the per-child form of `getrusage(RUSAGE_CHILDREN)`), so one large run does not mask the
peaks of the runs after it. Also reads the stage timings the builder prints while it builds.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# "[ 14.9s] rendering charts (zh edition) (10)": the builder's progress lines, each the
# elapsed time at which a stage begins.
STAGE_LINE = re.compile(r"^\[\s*(?P<at>[0-9.]+)s\] (?P<label>.+?)(?: \(\d+\))?$")
DONE_LINE = re.compile(r"^done in (?P<at>[0-9.]+)s")
EDITION = re.compile(r" \([a-z-]+ edition\)$")
START_UP = "start-up and package check"  # the builder analyses the package before its first stage line


class MeasurementFailed(RuntimeError):
    """A measured command exited with an error: the benchmark says which and stops."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    stages: dict[str, float] = field(default_factory=dict)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `command` to its end; raise MeasurementFailed with its output if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if child.returncode != 0:
        tail = "\n".join((stdout + stderr).splitlines()[-20:])
        raise MeasurementFailed(f"{' '.join(command)} exited {child.returncode}:\n{tail}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout, stderr, build_stages(stderr))


def build_stages(progress: str) -> dict[str, float]:
    """Seconds per stage from the builder's progress lines, editions summed; `start-up` is
    everything before the first stage line: imports, the configuration, and the
    analysis of the package (validation and aggregates) that the builder runs before MkDocs starts."""
    marks: list[tuple[float, str]] = []
    for line in progress.splitlines():
        if stage := STAGE_LINE.match(line):
            marks.append((float(stage["at"]), EDITION.sub("", stage["label"])))
        elif done := DONE_LINE.match(line):
            marks.append((float(done["at"]), ""))
    if not marks:
        return {}
    stages = {START_UP: marks[0][0]}
    for (began, label), (ended, _) in itertools.pairwise(marks):
        stages[label] = stages.get(label, 0.0) + ended - began
    return stages
