"""MkDocs hook for the benchmark: keep each page's Markdown as the report-builder rendered it.

`bench/sizes.py` adds this hook to a scratch copy of mkdocs.yml, so that its baseline, a
plain `mkdocs build`, builds exactly the pages the builder built. It runs after every
other plugin's `on_page_markdown` and writes nothing unless BENCH_PAGES_DIR is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority


@event_priority(-100)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    folder = os.environ.get("BENCH_PAGES_DIR")
    if folder:
        source = Path(page.file.abs_src_path).relative_to(Path(config.docs_dir).resolve())
        target = Path(folder) / source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return markdown
