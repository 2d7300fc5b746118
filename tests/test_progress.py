"""Long work shows its stages: a bar on a terminal, plain lines in a log, then a summary."""

from __future__ import annotations

import io

from builder.cli import main
from builder.progress import Progress
from tests.conftest import REAL_PACKAGE


def test_plain_lines_for_a_log_and_a_closing_summary():
    stream = io.StringIO()
    progress = Progress(stream, interactive=False)
    progress.stage("rendering charts", total=3)
    for _ in range(3):
        progress.advance()
    progress.count("charts", 3)
    progress.summary("site in out/")
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("] rendering charts (3)")
    assert lines[1].startswith("done in ") and lines[1].endswith(": charts: 3; site in out/")
    assert "\r" not in stream.getvalue()


def test_a_bar_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream, interactive=True)
    progress.stage("writing pages", total=4)
    progress.advance(2)
    assert "\r\x1b[2Kwriting pages [############............] 2/4" in stream.getvalue()


def test_the_build_command_reports_stages_and_a_summary(tmp_path, capsys):
    assert main(["build", "--package", str(REAL_PACKAGE), "--site-dir", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    for stage in (
        "validating the package",
        "computing the findings",
        "rendering charts (10)",
        "writing pages (",
        "moving the new site into place",
    ):
        assert stage in err
    summary = next(line for line in err.splitlines() if line.startswith("done in "))
    # Ten charts in each of the two editions (English and Chinese).
    assert "editions: 2" in summary and "pages: " in summary and "charts: 20" in summary and "releases: " in summary
