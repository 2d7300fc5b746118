"""Release notes are Markdown the site renders itself: no raw HTML, attributes or script links."""

from __future__ import annotations

import re
import shutil

from builder.release_pages import render_notes
from tests.conftest import REAL_PACKAGE

HOSTILE = (
    "\n\n[click](javascript:alert(3)){: onclick=alert(4) } [d](data:text/html;base64,PHNjcmlwdD4=)"
    " [v](VBScript:msgbox(1)) <b onmouseover=alert(5)>bold</b> ![pic](javascript:alert(6))\n\n"
    "    code line\n\n    after a blank line\n"
)


def test_the_notes_keep_their_formatting():
    html = render_notes("## Errata\n\n- one *figure* fixed\n- see [the source](https://example.org/a?b=1)\n")
    assert "<h2>Errata</h2>" in html
    assert "<li>one <em>figure</em> fixed</li>" in html
    assert '<a href="https://example.org/a?b=1">the source</a>' in html


def test_a_refused_link_is_shown_as_its_text():
    html = render_notes("[click](javascript:alert(3)){: onclick=alert(4) } [ok](mailto:a@example.org)")
    assert "javascript:" not in html and "<a href" in html
    assert html.startswith("<p>click{: onclick=alert(4) } ")
    assert render_notes("[a](audit.md#x)") == '<p><a href="../audit/#x">a</a></p>\n'


def test_hostile_notes_publish_no_script(package_copy, tmp_path):
    from builder.site import build_site

    for folder in ("releases", "editions"):  # the releases, and the edition their record pins
        shutil.copytree(REAL_PACKAGE.parent / folder, package_copy.parent / folder)
    notes = package_copy.parent / "release-notes" / "1.0.0.md"
    notes.write_text(notes.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    site = build_site(site_dir=tmp_path / "site", package=package_copy, strict=False, languages=["en"])
    page = (site / "releases" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<[^>]*\son\w+\s*=", page, re.IGNORECASE), "an event-handler attribute"
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", page, re.IGNORECASE)
    assert "click" in page and ">d<" not in page and " d " in page
    assert "&lt;b onmouseover=alert(5)&gt;bold&lt;/b&gt;" in page
    assert "after a blank line" in page
    assert '<a href="../audit/">audit</a>' in page
