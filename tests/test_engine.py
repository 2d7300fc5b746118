"""The engine's shape: a tree of imports, small modules, one door to MkDocs, no study inside.

The engine is builder/ without builder/studies/. It must not name a resource, field, coded
value or figure of the default package: those belong to the study plug-in.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from builder import printed
from tests.conftest import REAL_PACKAGE, table

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "builder"
STUDIES = BUILDER / "studies"
MAX_LINES = 400
# Names the Data Package and Table Schema standards give to descriptor properties and field
# types. The engine must read them; a study field that happens to share one is a coincidence.
STANDARD_VOCABULARY = {
    "name", "title", "description", "path", "type", "format", "unit", "constraints", "fields", "schema",
    "resources", "primaryKey", "foreignKeys", "missingValues", "licenses", "sources", "version", "created",
    "string", "number", "integer", "boolean", "date", "datetime", "year", "any",
}  # fmt: skip


def modules(folder: Path, *, studies: bool) -> dict[str, Path]:
    found = {}
    for path in sorted(folder.rglob("*.py")):
        if not studies and path.is_relative_to(STUDIES):
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def graph(*, studies: bool) -> dict[str, set[str]]:
    known = modules(BUILDER, studies=studies)
    return {name: {m for m in imports(path) if m in known and m != name} for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph, as a path of modules, or None."""
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*trail, node, target]
            if target not in state and (found := visit(target, [*trail, node])):
                return found
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node, [])):
            return found
    return None


def test_the_imports_form_a_tree():
    assert cycle(graph(studies=True)) is None


def test_the_cycle_check_would_find_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_engine_never_imports_a_study():
    for name, targets in graph(studies=False).items():
        assert not any(t.startswith("builder.studies") for t in targets), name
    for name, path in modules(BUILDER, studies=False).items():
        assert not any(m.startswith("builder.studies") for m in imports(path)), name


def test_no_module_is_longer_than_it_can_be_read():
    long = {
        str(p.relative_to(ROOT)): n for p in BUILDER.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_one_module_imports_mkdocs():
    importers = [
        name
        for name, path in modules(BUILDER, studies=True).items()
        if any(m.split(".")[0] == "mkdocs" for m in imports(path))
    ]
    assert importers == ["builder.site"]


def study_names() -> dict[str, str]:
    """Every resource, field, coded value and figure id of the default package, with what it is."""
    descriptor = json.loads(REAL_PACKAGE.read_text(encoding="utf-8"))
    names = {}
    for resource in descriptor["resources"]:
        names[resource["name"]] = "resource"
        for field in resource["schema"]["fields"]:
            names[field["name"]] = f"field of {resource['name']}"
            for code in field.get("constraints", {}).get("enum", []):
                names[code] = f"code of {resource['name']}.{field['name']}"
    for figure_id in table(REAL_PACKAGE, "published_figures")["figure_id"]:
        names[figure_id] = "printed figure id"
    # The printed-figures table's fields and comparison codes are the engine's own convention.
    engine_convention = set(printed.FIELDS) | set(printed.COMPARISONS)
    return {n: what for n, what in names.items() if n not in STANDARD_VOCABULARY | engine_convention}


def literals(path: Path) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_engine_names_no_resource_field_code_or_figure_of_the_study():
    names = study_names()
    assert {"adverts", "pictures", "worked_carved", "regular", "adverts_total"} <= set(names)
    found = []
    for path in modules(BUILDER, studies=False).values():
        found += [
            f"{path.relative_to(ROOT)}:{line}: {value!r} ({names[value]})"
            for line, value in literals(path)
            if value in names
        ]
    for path in sorted((BUILDER / "templates").glob("*.j2")):
        found += [
            f"{path.relative_to(ROOT)}: {value!r} ({names[value]})"
            for value in template_literals(path)
            if value in names
        ]
    assert found == []


def template_literals(path: Path) -> list[str]:
    """The quoted strings inside a Jinja template's tags and expressions."""
    tags = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", path.read_text(encoding="utf-8"), re.S)
    return [quoted[1:-1] for tag in tags for quoted in re.findall(r"\"[^\"]*\"|'[^']*'", tag)]


def test_the_literal_scan_would_catch_a_study_name(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('SPECIALIST = ("ivory_only", "ivory_and_other_species")\n', encoding="utf-8")
    assert [value for _, value in literals(planted) if value in study_names()] == [
        "ivory_only",
        "ivory_and_other_species",
    ]


def test_the_readme_maps_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## How it is built") :]
    missing = [
        p.name
        for p in sorted(BUILDER.glob("*.py"))
        if p.name not in ("__init__.py", "__main__.py") and p.name not in block
    ]
    missing += [
        p.name for p in sorted(STUDIES.iterdir()) if p.is_dir() and p.name != "__pycache__" and p.name not in block
    ]
    assert missing == []
