"""A refused build says why, page by page, with what to do; a site folder that cannot be written too."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from builder import site
from builder.cli import main
from tests.conftest import REAL_PACKAGE

ROOT = REAL_PACKAGE.parent.parent


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A copy of the site's configuration and pages, to break; returns its mkdocs.yml."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", tmp_path / "site_src")
    return tmp_path / "mkdocs.yml"


def build(config: Path, site_dir: Path, *options: str) -> int:
    arguments = ["build", "--config", str(config), "--package", str(REAL_PACKAGE), "--site-dir", str(site_dir)]
    return main([*arguments, *options])


def test_a_build_refused_in_strict_mode_names_each_page_and_its_fix(site_copy, capsys):
    method = site_copy.parent / "site_src" / "method.md"
    method.write_text(
        method.read_text(encoding="utf-8") + "\nSee [the notes](nowhere.md) and [the licence](about.md#no-such).\n",
        encoding="utf-8",
    )
    (site_copy.parent / "site").mkdir()
    (site_copy.parent / "site" / "index.html").write_text("the previous site", encoding="utf-8")
    assert build(site_copy, site_copy.parent / "site") == 1
    assert capsys.readouterr().err.splitlines()[-3:] == [
        "site_src/method.md: the link 'nowhere.md' is broken: the target is not found among documentation files "
        "Fix: correct the link, or add the page it points to",
        "site_src/method.md: the link 'about.md#no-such' is broken: the doc 'about.md' does not contain an anchor "
        "'#no-such' Fix: link to a heading that exists on that page, or add the heading",
        "refused in strict mode because of the 2 warning(s) above; fix each and build again",
    ]
    assert [p.name for p in (site_copy.parent / "site").iterdir()] == ["index.html"]
    assert not list(site_copy.parent.glob(".site.*"))


def test_a_site_folder_that_cannot_be_written_is_named_with_what_to_do(site_copy, capsys):
    blocker = site_copy.parent / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert build(site_copy, blocker / "site") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"could not write the site into {blocker / 'site'}: not a directory. "
        "Fix: build into a folder you can write (--site-dir), or free some disk space"
    )


def test_a_full_disk_leaves_no_staging_folder_behind(site_copy, monkeypatch, capsys):
    def full(config):
        Path(config.site_dir).mkdir(parents=True)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site, "mkdocs_build", full)
    assert build(site_copy, site_copy.parent / "site") == 2
    assert "no space left on device. Fix: build into a folder you can write" in capsys.readouterr().err
    assert sorted(p.name for p in site_copy.parent.iterdir()) == ["mkdocs.yml", "site_src"]


def test_any_command_that_cannot_write_says_where_and_what_to_do(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["template", str(blocker / "out")]) == 2
    assert capsys.readouterr().err == (
        f"template: could not read or write {blocker / 'out'}: not a directory. Fix: check that the folder exists "
        "and can be written, and that the disk has space; then run the command again\n"
    )
