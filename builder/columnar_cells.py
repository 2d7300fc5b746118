"""Judge one column of text cells as Frictionless judges each cell, a whole column at a time.

Frictionless reads a cell with its field's reader: a missing value becomes None, the type's
parser runs (Python's `int`, `Decimal`, `strptime`), then each constraint in the field's
order. Typed readers elsewhere accept what Frictionless refuses (`1.5` or `0x10` in an
integer column, `1.0` as a whole number), so nothing here casts first and asks later.

A cell in the canonical spelling of its type (`-12`, `3.25`, `2015-05-01`, a string without
a line break) is judged with vectorised expressions whose verdict provably equals the
reader's. Every other distinct spelling (spaces, `+1`, `1_000`, exponents, NaN, other
scripts' digits, missing values) goes through Frictionless's own cell reader, once per
distinct value: exact by construction, and cheap because odd spellings are few.

A column's verdict is two text columns: its notes (null if the cell is fine, else each
broken rule as `name<RS>note`, joined by `<US>`, in Frictionless's order) and its key
(`str()` of the typed value, as uniqueness and keys compare it; null for no value).
"""

from __future__ import annotations

import re
from decimal import Decimal
from re import _parser as regex_parser  # type: ignore[attr-defined]
from typing import Any

import polars as pl

NOTE_SEPARATOR, NOTES_SEPARATOR = "\x1e", "\x1f"
KEY_TYPES = ("string", "integer", "date", "boolean")  # where str(value) equals iff the values do
FLOAT_EXACT_DIGITS = 15  # decimals of at most 15 significant digits keep their order as floats
CANONICAL = {
    "integer": r"^-?[0-9]{1,18}$",
    "number": r"^-?[0-9]+(\.[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
# Regular-expression pieces that Python's `re` and polars' engine read alike on text without
# a line break: ASCII literals and classes, repeats, plain groups, alternatives and `.`.
SAFE_REGEX_OPCODES = {"LITERAL", "NOT_LITERAL", "IN", "RANGE", "NEGATE", "MAX_REPEAT", "MIN_REPEAT"}
SAFE_REGEX_OPCODES |= {"SUBPATTERN", "BRANCH", "ANY"}


class NotColumnar(Exception):
    """This table cannot be judged column-wise with certainty; Frictionless judges it."""


def missing_values(field: Any) -> list[str]:
    """The spellings of 'no value' for this field, as Frictionless's cell reader takes them."""
    if field.has_defined("missing_values") or not field.schema:
        return list(field.missing_values)
    return list(field.schema.missing_values)


def safe_regex(pattern: str) -> bool:
    """Whether polars' engine matches `pattern` exactly where Python's `re` does."""
    try:
        parsed = regex_parser.parse(pattern)
        safe = not parsed.state.flags & ~re.UNICODE and regex_items_safe(parsed.data)
        pl.select(pl.lit("").str.contains(pattern))  # polars' own syntax must accept it too
    except (re.error, RecursionError, pl.exceptions.PolarsError):
        return False
    return safe


def regex_items_safe(items: Any) -> bool:
    """Literals, ASCII classes, repeats, plain groups, alternatives and `.`: nothing else."""
    for opcode, argument in items:
        name = str(opcode)
        if name not in SAFE_REGEX_OPCODES:
            return False
        if name in ("LITERAL", "NOT_LITERAL") and argument > 127:
            return False
        if name == "RANGE" and argument[1] > 127:
            return False
        parts: list[Any] = []
        if name == "IN":
            parts = [argument]
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            parts = [argument[2].data]
        elif name == "SUBPATTERN":
            if argument[1] or argument[2]:  # inline flags change the meaning
                return False
            parts = [argument[3].data]
        elif name == "BRANCH":
            parts = [branch.data for branch in argument[1]]
        if not all(regex_items_safe(part) for part in parts):
            return False
    return True


def constraint_note(field: Any, name: str) -> str:
    return f'constraint "{name}" is "{field.constraints[name]}"'


def bound_value(field: Any, name: str) -> Any:
    """A bound as the field's reader reads it; a bound it cannot read is Frictionless's to judge."""
    bound = field.create_value_reader()(field.constraints[name])
    if bound is None or (isinstance(bound, Decimal) and not bound.is_finite()):
        raise NotColumnar(f"bound {name} of {field.name}")
    if field.type == "integer" and not -(2**62) < bound < 2**62:
        raise NotColumnar(f"bound {name} of {field.name}")
    if field.type == "number" and len(Decimal(bound).as_tuple().digits) > FLOAT_EXACT_DIGITS:
        raise NotColumnar(f"bound {name} of {field.name}")
    return float(bound) if field.type == "number" else bound


def fast_rules(field: Any, raw: pl.Expr) -> tuple[pl.Expr, list[tuple[str, pl.Expr]], pl.Expr] | None:
    """For canonical cells: which cells are canonical, each rule's 'broken' test, and the key.

    None where no cell of this field can be judged without Frictionless's reader.
    """
    kind, constraints = field.type, field.constraints
    if field.format != "default" or kind not in ("string", *CANONICAL):
        return None
    if kind in ("integer", "number") and {"bareNumber", "groupChar", "decimalChar", "floatNumber"} & set(
        field.list_defined()
    ):
        return None
    if "enum" in constraints and kind != "string":
        return None
    if kind == "string":
        canonical, value, key = ~raw.str.contains("\n", literal=True), raw, raw
    elif kind == "integer":
        canonical, value = raw.str.contains(CANONICAL[kind]), raw.cast(pl.Int64, strict=False)
        key = value.cast(pl.String)
    elif kind == "number":
        digits = raw.str.replace_all(r"[-.]", "").str.len_chars()
        canonical = raw.str.contains(CANONICAL[kind]) & (digits <= FLOAT_EXACT_DIGITS)
        value, key = raw.cast(pl.Float64, strict=False), pl.lit(None, pl.String)
    else:  # a date: chrono and strptime agree on four-digit years from 0001
        value = raw.str.to_date("%Y-%m-%d", strict=False)
        canonical = raw.str.contains(CANONICAL[kind]) & ~raw.str.starts_with("0000") & value.is_not_null()
        key = raw
    broken: list[tuple[str, pl.Expr]] = []
    for name in field.supported_constraints:
        if constraints.get(name) is None or name == "required":
            continue  # a canonical cell has a value, so `required` holds
        if name == "pattern":
            if not safe_regex(constraints[name]):
                return None
            broken.append((name, ~raw.str.contains(f"^(?:{constraints[name]})$")))
        elif name in ("minLength", "maxLength"):
            if not isinstance(constraints[name], int) or isinstance(constraints[name], bool):
                raise NotColumnar(f"{name} of {field.name}")
            length = raw.str.len_chars()
            broken.append((name, length < constraints[name] if name == "minLength" else length > constraints[name]))
        elif name == "enum":
            broken.append((name, ~raw.is_in([v for v in constraints[name] if isinstance(v, str)])))
        elif name in BOUNDS:
            bound = pl.lit(bound_value(field, name))
            tests = {"minimum": value < bound, "maximum": value > bound}
            tests |= {"exclusiveMinimum": value <= bound, "exclusiveMaximum": value >= bound}
            broken.append((name, tests[name]))
        else:
            return None
    return canonical, broken, key


def column_verdict(field: Any, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The notes and keys of one column of text cells (see the module's docstring)."""
    frame = pl.DataFrame({"cell": raw})
    cell = pl.col("cell")
    not_missing = ~cell.is_in(missing_values(field))
    rules = fast_rules(field, cell)
    if rules is None:
        fast, notes, key = pl.lit(False), pl.lit(None, pl.String), pl.lit(None, pl.String)
    else:
        canonical, broken, key = rules
        fast = not_missing & canonical
        words = [
            pl.when(test).then(pl.lit(f"{name}{NOTE_SEPARATOR}{constraint_note(field, name)}")) for name, test in broken
        ]
        notes = pl.concat_str(words, separator=NOTES_SEPARATOR, ignore_nulls=True) if words else pl.lit(None)
        notes = pl.when(notes == "").then(None).otherwise(notes)
    judged = frame.select(fast=fast.fill_null(False), notes=notes.cast(pl.String), key=key.cast(pl.String))
    odd = raw.filter(~judged["fast"]).unique()
    read = odd_readings(field, odd.to_list())
    slow_notes = raw.replace_strict(odd, [r[0] for r in read], default=None, return_dtype=pl.String)
    slow_keys = raw.replace_strict(odd, [r[1] for r in read], default=None, return_dtype=pl.String)
    notes_out = pl.select(pl.when(judged["fast"]).then(judged["notes"]).otherwise(slow_notes)).to_series()
    keys_out = pl.select(pl.when(judged["fast"]).then(judged["key"]).otherwise(slow_keys)).to_series()
    return notes_out, keys_out


def odd_readings(field: Any, values: list[str]) -> list[tuple[str | None, str | None]]:
    """Frictionless's own reading of each distinct value: its notes and the key of its value."""
    reader = field.create_cell_reader()
    readings = []
    for value in values:
        target, notes = reader(value)
        words = NOTES_SEPARATOR.join(f"{name}{NOTE_SEPARATOR}{note}" for name, note in (notes or {}).items())
        readings.append((words or None, None if target is None else key_text(target)))
    return readings


def key_text(value: Any) -> str:
    """The value as uniqueness and keys compare it: `str()`, as Frictionless quotes it too."""
    return str(value)
