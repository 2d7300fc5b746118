"""The Jinja environment of the builder's own text files: release README and changes, citations.

Kept apart from `release` and `citation` so both can use it and neither imports the other
for it: the release writes a citation into its files, so `release` imports `citation`.
"""

from __future__ import annotations

import json

import jinja2

from builder.paths import TEMPLATES


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.filters["quoted"] = lambda text: json.dumps(text, ensure_ascii=False)  # a YAML-safe string
    return env
