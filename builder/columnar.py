"""Validate a package as Frictionless does, judging large tables column-wise.

Frictionless reads a table row by row in Python: about 100 µs an advert, minutes for a
million. A table of at least `BUILDER_COLUMNAR_ROWS` lines (default 50,000), or one whose
foreign keys read such a table, is read once as text columns with polars and judged with
vectorised expressions (builder.columnar_cells), giving Frictionless's own error objects:
the same codes, rows, fields, notes, order, and its limit of 1,000 errors a table.
Frictionless stays the reference: it checks the descriptor, the small tables, and any table
this module cannot judge with certainty (`NotColumnar`): another dialect or encoding, a
header that differs from the schema, blank lines, rows with too few or too many cells, NUL
bytes, cells over the CSV field limit, hash or size properties, uniqueness or keys on fields
other than string, integer, date or boolean.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
from frictionless import FrictionlessException, Package, Report, Resource, errors
from frictionless.formats import CsvControl
from frictionless.resources import TableResource

from builder.columnar_cells import KEY_TYPES, NOTE_SEPARATOR, NOTES_SEPARATOR, NotColumnar, column_verdict
from builder.columnar_cells import missing_values as field_missing_values
from builder.safe_files import integer_variable

ROWS_VARIABLE = "BUILDER_COLUMNAR_ROWS"
DEFAULT_COLUMNAR_ROWS = 50_000  # below this Frictionless takes a few seconds at most
ERROR_LIMIT = 1000  # Frictionless stops reading a table at its 1,000th error
PLAIN_DIALECT = {"delimiter": ",", "quotechar": '"', "doublequote": True, "escapechar": None}
PLAIN_DIALECT |= {"skipinitialspace": False, "quoting": csv.QUOTE_MINIMAL, "strict": False}
LookupKeys = pl.DataFrame


def columnar_rows() -> int:
    """From how many lines a table is judged column-wise (0: every table)."""
    return integer_variable(ROWS_VARIABLE, DEFAULT_COLUMNAR_ROWS, minimum=0)


def validate_package(package: Package, threshold: int) -> Report:
    """`Package.validate()`, with tables of at least `threshold` lines judged column-wise."""
    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return Report.from_validation(time=0.0, errors=exception.to_errors())
    large = {r.name for r in package.resources if line_count(r) >= threshold}
    return Report.from_validation_reports(time=0.0, reports=[resource_report(r, large) for r in package.resources])


def line_count(resource: Resource) -> int:
    if not isinstance(resource, TableResource) or not isinstance(resource.path, str) or not resource.normpath:
        return 0
    try:
        with open(resource.normpath, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0


def resource_report(resource: Resource, large: set[str]) -> Report:
    read = {resource.name} | {fk["reference"]["resource"] for fk in foreign_keys(resource)}
    if read & large:
        try:
            return columnar_report(resource)
        except (NotColumnar, pl.exceptions.PolarsError):
            pass  # Frictionless judges what we cannot judge with certainty
    return resource.validate()


def foreign_keys(resource: Resource) -> list[dict[str, Any]]:
    schema = getattr(resource, "schema", None)
    return list(schema.foreign_keys) if schema else []


def columnar_report(resource: Resource) -> Report:
    try:
        resource.to_descriptor(validate=True)
    except FrictionlessException as refused:
        raise NotColumnar("descriptor") from refused
    table = read_table(resource)
    found = table_errors(resource, table)
    warnings = [f"reached error limit: {ERROR_LIMIT}"] if len(found) >= ERROR_LIMIT else []
    labels = [f.name for f in resource.schema.fields]
    return Report.from_validation_task(resource, time=0.0, labels=labels, errors=found[:ERROR_LIMIT], warnings=warnings)


def plain_dialect(resource: Resource) -> csv.Dialect:
    """The CSV dialect Frictionless reads the table with; only a plain, comma-separated one will do."""
    if not isinstance(resource, TableResource) or resource.format != "csv" or not isinstance(resource.path, str):
        raise NotColumnar("not a local CSV table")
    if (
        resource.compression
        or resource.innerpath
        or resource.hash
        or resource.bytes
        or resource.fields
        or resource.rows
    ):
        raise NotColumnar("compression, hash or size properties")
    probe = resource.to_copy()
    probe.schema.foreign_keys = []  # opening must not read the other tables
    try:
        with probe:
            dialect, header_ok = probe.dialect, probe.header.valid and not probe.header.errors
            python = CsvControl.from_dialect(dialect).to_python()
            encoding, labels = probe.encoding, list(probe.labels)
    except (FrictionlessException, OSError, csv.Error, UnicodeError) as refused:
        raise NotColumnar("cannot open") from refused
    plain = all(getattr(python, name, False) == value for name, value in PLAIN_DIALECT.items())
    plain = plain and dialect.header and dialect.header_rows == [1] and dialect.header_case
    plain = plain and not dialect.comment_char and not dialect.comment_rows and encoding == "utf-8"
    if not (plain and header_ok and labels == resource.schema.field_names) or resource.schema.has_defined(
        "fields_match"
    ):
        raise NotColumnar("dialect or header")
    return python


def read_table(resource: Resource) -> pl.DataFrame:
    """Every cell as text, one column per field, exactly as Python's csv module splits them."""
    python, names, path = plain_dialect(resource), resource.schema.field_names, Path(str(resource.normpath))
    data = path.read_bytes()
    if b"\x00" in data or b"\n\n" in data or data.startswith((b"\n", b"\r")):
        raise NotColumnar("NUL bytes or blank lines")
    if b'"' in data or b"\r" in data:  # quoting and line ends: Python's own parser, as Frictionless uses
        table = python_csv_table(path, python, names)
    else:  # plain lines: every parser splits them alike
        try:
            table = pl.read_csv(data, has_header=True, infer_schema=False, quote_char=None, empty_string_is_null=False)
        except pl.exceptions.PolarsError as refused:
            raise NotColumnar("ragged rows") from refused
        if table.width != len(names) or table.null_count().sum_horizontal().item():
            raise NotColumnar("ragged rows")
        table.columns = names
    longest = table.select(pl.all().str.len_chars().max()).max_horizontal().item() if table.height else 0
    if longest is not None and longest >= csv.field_size_limit():
        raise NotColumnar("a cell over the CSV field limit")
    return table


def python_csv_table(path: Path, dialect: csv.Dialect, names: list[str]) -> pl.DataFrame:
    columns: list[list[str]] = [[] for _ in names]
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, dialect=dialect)
            if next(reader, None) != names:
                raise NotColumnar("header")
            for record in reader:
                if len(record) != len(names):
                    raise NotColumnar("ragged rows")
                for column, cell in zip(columns, record, strict=True):
                    column.append(cell)
    except (csv.Error, UnicodeError, OSError) as refused:
        raise NotColumnar("unreadable") from refused
    return pl.DataFrame({name: pl.Series(column, dtype=pl.String) for name, column in zip(names, columns, strict=True)})


def table_errors(resource: Resource, table: pl.DataFrame) -> list[Any]:
    """Frictionless's errors for the table, in its order, up to just past its error limit."""
    fields = resource.schema.fields
    judged: dict[str, pl.Series] = {}
    missing = []
    for index, field in enumerate(fields):
        judged[f"n{index}"], judged[f"k{index}"] = column_verdict(field, table[field.name])
        missing.append(table[field.name].is_in(field_missing_values(field)))
    if fields and pl.select(pl.all_horizontal(missing)).to_series().any():
        raise NotColumnar("a blank row")
    verdicts = pl.DataFrame(judged).with_row_index("row", offset=2)
    flags = [*unique_flags(resource, verdicts), primary_key_flag(resource, verdicts)]
    flags += foreign_key_flags(resource, verdicts)
    counted = verdicts.with_columns([flag.alias(f"flag{i}") for i, flag in enumerate(flags)])
    notes = [
        pl.col(f"n{i}").str.count_matches(NOTES_SEPARATOR, literal=True).add(1).fill_null(0) for i in range(len(fields))
    ]
    marks = [pl.col(f"flag{i}").is_not_null().cast(pl.Int64) for i in range(len(flags))]
    counted = counted.with_columns(errors=pl.sum_horizontal([*notes, *marks, pl.lit(0)]))
    counted = counted.filter(pl.col("errors") > 0).with_columns(before=pl.col("errors").cum_sum() - pl.col("errors"))
    shown = counted.filter(pl.col("before") < ERROR_LIMIT)
    rows = table.with_row_index("row", offset=2).join(shown.select("row"), on="row", how="semi")
    return [
        e
        for row, cells in zip(shown.iter_rows(named=True), rows.iter_rows(), strict=True)
        for e in row_errors(resource, row, list(cells[1:]))
    ]


def unique_flags(resource: Resource, verdicts: pl.DataFrame) -> list[pl.Series]:
    """For each unique field, the row of the latest earlier occurrence of the value (null if none)."""
    flags = []
    for index, field in enumerate(resource.schema.fields):
        if field.constraints.get("unique"):
            if field.type not in KEY_TYPES:
                raise NotColumnar("uniqueness of another type")
            flags.append(earlier_rows(verdicts, [pl.col(f"k{index}")], pl.col(f"k{index}").is_not_null()))
    return flags


def earlier_rows(verdicts: pl.DataFrame, keys: list[pl.Expr], counted: pl.Expr) -> pl.Series:
    """For each row, the latest earlier counted row with the same keys (null if none).

    Only the rows whose keys repeat are windowed: a window over a million distinct ids is slow.
    """
    named = [k.alias(f"key{i}") for i, k in enumerate(keys)]
    candidates = verdicts.filter(counted).select("row", *named)
    together = pl.struct([f"key{i}" for i in range(len(keys))])
    repeated = candidates.filter(together.is_duplicated())
    earlier = repeated.select("row", earlier=pl.col("row").shift(1).over([f"key{i}" for i in range(len(keys))]))
    return verdicts.select("row").join(earlier, on="row", how="left", maintain_order="left")["earlier"]


def key_columns(resource: Resource, names: list[str]) -> list[pl.Expr]:
    fields = resource.schema.field_names
    if not set(names) <= set(fields) or any(resource.schema.get_field(n).type not in KEY_TYPES for n in names):
        raise NotColumnar("a key of another type")
    return [pl.col(f"k{fields.index(n)}") for n in names]


def primary_key_flag(resource: Resource, verdicts: pl.DataFrame) -> pl.Series:
    """The earlier row with the same primary key, or 0 where every key cell is empty."""
    names = resource.schema.primary_key
    if not names:
        return pl.Series([None] * verdicts.height, dtype=pl.Int64)
    keys = key_columns(resource, names)
    empty = verdicts.select(pl.all_horizontal([k.is_null() for k in keys])).to_series()
    earlier = earlier_rows(verdicts, keys, ~pl.all_horizontal([k.is_null() for k in keys]))
    return pl.select(pl.when(empty).then(0).otherwise(earlier)).to_series()


def foreign_key_flags(resource: Resource, verdicts: pl.DataFrame) -> list[pl.Series]:
    """For each foreign key, true where the row's values are absent from the referenced table."""
    flags = []
    for fk in resource.schema.foreign_keys:
        keys = key_columns(resource, fk["fields"])
        lookup = referenced_keys(resource, fk, verdicts)
        names = [f"t{i}" for i in range(len(keys))]
        targets = verdicts.select("row", *[k.alias(n) for k, n in zip(keys, names, strict=True)])
        targets = targets.filter(~pl.all_horizontal([pl.col(n).is_null() for n in names]))
        lookup.columns = names
        absent = targets.join(lookup, on=names, how="anti", nulls_equal=True).select("row", absent=pl.lit(True))
        flags.append(verdicts.select("row").join(absent, on="row", how="left", maintain_order="left")["absent"])
    return flags


def referenced_keys(resource: Resource, fk: dict[str, Any], verdicts: pl.DataFrame) -> LookupKeys:
    """The distinct key values of the referenced table, as Frictionless's lookup holds them."""
    name, source_names = fk["reference"]["resource"], list(fk["reference"]["fields"])
    if name == resource.name or not name:
        source, source_verdicts = resource, verdicts
    elif resource.package is None or not resource.package.has_resource(name):
        raise NotColumnar("a foreign key to no table")
    else:
        source, source_verdicts = resource.package.get_resource(name), None
    for target, referenced in zip(fk["fields"], source_names, strict=True):
        if (
            not source.schema.has_field(referenced)
            or source.schema.get_field(referenced).type != resource.schema.get_field(target).type
        ):
            raise NotColumnar("a foreign key between types")
    keys = key_columns(source, source_names)
    if source_verdicts is None:
        source_verdicts = source_key_verdicts(source, source_names)
    found = source_verdicts.select([k.alias(f"s{i}") for i, k in enumerate(keys)])
    return found.filter(~pl.all_horizontal(pl.all().is_null())).unique()


def source_key_verdicts(source: Resource, names: list[str]) -> pl.DataFrame:
    """The key columns of a referenced table: column-wise if possible, else by Frictionless's rows."""
    fields = source.schema.field_names
    try:
        table = read_table(source)
        return pl.DataFrame(
            {f"k{fields.index(n)}": column_verdict(source.schema.get_field(n), table[n])[1] for n in names}
        )
    except NotColumnar:
        pass
    copy = source.to_copy()
    copy.schema.foreign_keys = []
    rows: list[list[str | None]] = []
    try:
        with copy:
            for row in copy.row_stream:  # type: ignore[attr-defined]  # a table's copy is a table
                rows.append([None if row.get(n) is None else str(row.get(n)) for n in names])
    except FrictionlessException as refused:
        raise NotColumnar("the referenced table cannot be read") from refused
    columns = {f"k{fields.index(n)}": pl.Series([r[i] for r in rows], dtype=pl.String) for i, n in enumerate(names)}
    return pl.DataFrame(columns)


def row_errors(resource: Resource, row: dict[str, Any], cells: list[str]) -> list[Any]:
    """Frictionless's errors for one row, in its order.

    Frictionless reads a row's cells lazily: the unique fields, then the key fields, each when
    first asked for; the first uniqueness or key error reads all the others (in field order)
    before it is added. So a key field's type error can come before an earlier field's.
    """
    fields, found, read = resource.schema.fields, [], []
    complete = False

    def touch(index: int) -> None:
        if not complete and index not in read:
            read.append(index)
            found.extend(cell_errors(row, cells, index, fields[index]))

    def add(error: Any) -> None:
        nonlocal complete
        for index in range(len(fields)):
            touch(index)
        complete = True
        found.append(error)

    flag = 0
    for index, field in enumerate(fields):
        if field.constraints.get("unique"):
            touch(index)
            if row[f"flag{flag}"] is not None:
                note = f"the same as in the row at position {row[f'flag{flag}']}"
                add(
                    errors.UniqueError(
                        note=note,
                        cells=cells,
                        row_number=row["row"],
                        cell=row[f"k{index}"],
                        field_name=field.name,
                        field_number=index + 1,
                    )
                )
            flag += 1
    names = resource.schema.field_names
    for name in resource.schema.primary_key:
        touch(names.index(name))
    if row[f"flag{flag}"] is not None:
        previous = row[f"flag{flag}"]
        note = (
            'cells composing the primary keys are all "None"'
            if previous == 0
            else f"the same as in the row at position {previous}"
        )
        add(errors.PrimaryKeyError(note=note, cells=cells, row_number=row["row"]))
    for fk in resource.schema.foreign_keys:
        flag += 1
        for name in fk["fields"]:
            touch(names.index(name))
        if row[f"flag{flag}"] is not None:
            add(foreign_key_error(resource, fk, row, cells))
    for index in range(len(fields)):
        touch(index)
    return found


def cell_errors(row: dict[str, Any], cells: list[str], index: int, field: Any) -> list[Any]:
    found = []
    for entry in row[f"n{index}"].split(NOTES_SEPARATOR) if row[f"n{index}"] else []:
        name, note = entry.split(NOTE_SEPARATOR, 1)
        kind = errors.TypeError if name == "type" else errors.ConstraintError
        found.append(
            kind(
                note=note,
                cells=cells,
                row_number=row["row"],
                cell=cells[index],
                field_name=field.name,
                field_number=index + 1,
            )
        )
    return found


def foreign_key_error(resource: Resource, fk: dict[str, Any], row: dict[str, Any], cells: list[str]) -> Any:
    names, reference = list(fk["fields"]), fk["reference"]
    values = [row[f"k{resource.schema.field_names.index(n)}"] for n in names]
    note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
        ", ".join(names), ", ".join(str(v) for v in values), reference["resource"], ", ".join(reference["fields"])
    )
    return errors.ForeignKeyError(
        note=note,
        cells=cells,
        row_number=row["row"],
        field_names=names,
        field_cells=["" if v is None else v for v in values],
        reference_name=reference["resource"],
        reference_field_names=list(reference["fields"]),
    )
