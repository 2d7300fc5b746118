"""Parquet copies of large CSV resources: the same rows, typed by the Table Schema.

The CSV stays the canonical resource; a release offers a Parquet copy beside a CSV larger
than a threshold, for readers whose tools would rather not parse hundreds of megabytes of
text. A copy is a function of the CSV's bytes, its schema and its dialect: the writer's
options are fixed (compression, level, row groups, pages) and the file's metadata holds no
time, so the same CSV gives the same bytes with the same polars version.

Cells are typed as Frictionless types them, since the package was validated by it: a
missing value is null; integer, number, boolean, date and year become typed columns; any
other type (time, datetime, geopoint, object...) keeps its CSV text. The column-wise reader
is used where it reads exactly what Frictionless reads; otherwise Frictionless' own reader
types the column cell by cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from builder.csvfiles import frictionless_dialect
from builder.safe_files import integer_variable

THRESHOLD_VARIABLE = "BUILDER_PARQUET_THRESHOLD_BYTES"
DEFAULT_THRESHOLD_BYTES = 50 * 1024**2  # below this, a CSV opens quickly in any tool
ColumnType = type[pl.DataType]
TYPED: dict[str, ColumnType] = {
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "year": pl.Int64,
}
# Options that make Frictionless read a number differently from plain decimal notation.
NUMBER_OPTIONS = frozenset({"bareNumber", "groupChar", "decimalChar"})
COMPRESSION_LEVEL = 9
ROW_GROUP_ROWS = 262_144  # fixed, so the file's layout never depends on the machine
DATA_PAGE_BYTES = 1024**2
CopyMetadata = dict[str, str]
Dialect = type[csv.Dialect] | csv.Dialect


def parquet_threshold_bytes() -> int:
    """The CSV size above which a release adds a Parquet copy (BUILDER_PARQUET_THRESHOLD_BYTES)."""
    return integer_variable(THRESHOLD_VARIABLE, DEFAULT_THRESHOLD_BYTES)


def parquet_name(csv_path: str) -> str:
    """Where the copy of a resource's CSV goes: data/adverts.csv → data/adverts.parquet."""
    stem = csv_path[: -len(".csv")] if csv_path.lower().endswith(".csv") else csv_path
    return f"{stem}.parquet"


def parquet_copies(resources: list[dict[str, Any]], csv_files: Mapping[str, bytes], root: Path) -> dict[str, bytes]:
    """The Parquet copy of each resource whose CSV is over the threshold, by path in the release."""
    threshold = parquet_threshold_bytes()
    large = [r for r in resources if len(csv_files[r["path"]]) > threshold and parquet_name(r["path"]) not in csv_files]
    return {
        parquet_name(r["path"]): parquet_copy(csv_files[r["path"]], r["schema"], frictionless_dialect(root, r))
        for r in large
    }


def parquet_copy(csv_bytes: bytes, schema: dict[str, Any], dialect: Dialect = csv.excel) -> bytes:
    """The Parquet copy of one valid CSV resource: its rows, typed by `schema`, same bytes every time."""
    fields = schema["fields"]
    missing = frozenset(schema.get("missingValues", [""]))
    text = text_table(csv_bytes, [f["name"] for f in fields], dialect)
    typed = pl.DataFrame([typed_column(text[f["name"]], f, missing) for f in fields])
    metadata = {
        "csv_sha256": hashlib.sha256(csv_bytes).hexdigest(),
        "about": "A convenience copy of the CSV with the same rows; the CSV is the canonical resource.",
    }
    return parquet_bytes(typed, metadata)


def parquet_bytes(table: pl.DataFrame, metadata: CopyMetadata) -> bytes:
    buffer = io.BytesIO()
    table.write_parquet(
        buffer,
        compression="zstd",
        compression_level=COMPRESSION_LEVEL,
        statistics=True,
        row_group_size=ROW_GROUP_ROWS,
        data_page_size=DATA_PAGE_BYTES,
        use_pyarrow=False,
        metadata=metadata,
    )
    return buffer.getvalue()


def text_table(csv_bytes: bytes, names: list[str], dialect: Dialect) -> pl.DataFrame:
    """Every cell as the text Frictionless reads, columns named by the schema."""
    fast = polars_text_table(csv_bytes, dialect)
    if fast is not None and fast.height == data_lines(csv_bytes) and fast.columns == header(csv_bytes, dialect):
        table = fast
    else:
        table = python_text_table(csv_bytes, dialect)
    if table.width != len(names):
        raise ValueError(f"the CSV has {table.width} columns and its schema {len(names)}; validate the package first")
    return table.rename(dict(zip(table.columns, names, strict=True)))


def polars_text_table(csv_bytes: bytes, dialect: Dialect) -> pl.DataFrame | None:
    """The cells read column-wise, or None for a dialect or file the fast reader could misread."""
    plain = (
        len(dialect.delimiter) == 1
        and dialect.delimiter.isascii()
        and (dialect.quotechar or '"').isascii()
        and dialect.doublequote
        and dialect.escapechar is None
        and not dialect.skipinitialspace
        and dialect.quoting != csv.QUOTE_NONE
    )
    if not plain:
        return None
    try:
        return pl.read_csv(
            csv_bytes,
            separator=dialect.delimiter,
            quote_char=dialect.quotechar,
            infer_schema=False,
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError:
        return None  # a quote Python's reader takes literally, say


def data_lines(csv_bytes: bytes) -> int:
    """Data rows of a valid file, where no record spans lines (builder.file_checks refuses those)."""
    lines = csv_bytes.count(b"\n") + (0 if csv_bytes.endswith(b"\n") else 1)
    return lines - 1


def header(csv_bytes: bytes, dialect: Dialect) -> list[str]:
    first_line = csv_bytes.split(b"\n", 1)[0].decode("utf-8")
    return next(csv.reader([first_line], dialect), [])


def python_text_table(csv_bytes: bytes, dialect: Dialect) -> pl.DataFrame:
    """The cells read by Python's csv module, as Frictionless reads them: slower, never different."""
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline=""), dialect))
    names, records = rows[0], rows[1:]
    columns = {f"column_{i}": [r[i] if i < len(r) else "" for r in records] for i in range(len(names))}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def typed_column(text: pl.Series, field: dict[str, Any], missing: frozenset[str]) -> pl.Series:
    """One column typed as Frictionless types it; a missing value becomes null."""
    present = pl.when(text.is_in(list(missing))).then(None).otherwise(text)
    cells = pl.select(present.alias(field["name"])).to_series()
    dtype = TYPED.get(field["type"])
    if dtype is None:
        return cells
    if field["type"] == "boolean":
        return boolean_column(cells, field)
    fast = fast_typed(cells, field, dtype)
    return fast if fast is not None else frictionless_typed(cells, field, dtype)


def boolean_column(cells: pl.Series, field: dict[str, Any]) -> pl.Series:
    reader = frictionless_field(field)
    words = {**dict.fromkeys(reader.false_values, False), **dict.fromkeys(reader.true_values, True)}
    return cells.replace_strict(words, default=None, return_dtype=pl.Boolean)


def fast_typed(cells: pl.Series, field: dict[str, Any], dtype: ColumnType) -> pl.Series | None:
    """The column cast by polars, where that reads the same values as Frictionless; else None."""
    if NUMBER_OPTIONS & field.keys() or field.get("format", "default") != "default" or field["type"] == "year":
        return None
    try:
        if dtype == pl.Date:
            return cells.str.strptime(pl.Date, "%Y-%m-%d", strict=True)
        return cells.str.strip_chars().cast(dtype, strict=True)  # Frictionless strips numbers too
    except pl.exceptions.PolarsError:
        return None  # a form Python reads and polars does not ("1_000", full-width digits)


def frictionless_typed(cells: pl.Series, field: dict[str, Any], dtype: ColumnType) -> pl.Series:
    """The column typed cell by cell by Frictionless' own reader for the field."""
    read: Callable[[Any], Any] = frictionless_field(field).create_value_reader()
    values = [None if cell is None else read(cell) for cell in cells]
    if dtype == pl.Float64:
        values = [None if v is None else float(v) for v in values]  # Frictionless reads a Decimal
    return pl.Series(cells.name, values, dtype=dtype, strict=True)


def frictionless_field(field: dict[str, Any]) -> Any:
    from frictionless import Field

    return Field.from_descriptor(field)
