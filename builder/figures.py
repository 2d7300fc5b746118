"""The registry of named figures: each number defined once, as a function of the aggregates.

A study registers its figures with `Registry.figure`, giving each its unit, its display
format and the resources it reads. A figure may take parameters; a figure with its
parameters is a `Key`, written `name(param=value, ...)` as in the printed-figures
resource's `recompute` column, e.g. `week_total(measure=adverts, week=5, kind=regular)`.
A `+` inside a value lists several categories (`product_pct(type=a+b)`).

`FigureSet` evaluates keys against one package's aggregates, each key once. Pages, chart
texts, the audit and the release changelog all ask a `FigureSet`, so a number shown on a
page and the same number checked by the audit come from one function.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

KEY = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\((?P<arguments>.*)\)$")
LIST_SEPARATOR = "+"


class FigureError(ValueError):
    """A figure key that cannot be evaluated against this package; the message says why."""


@dataclass(frozen=True)
class Summary:
    """A mean with its sample standard deviation (None for a single value) and sample size."""

    mean: float
    sd: float | None
    n: int


@dataclass(frozen=True, order=True)
class Key:
    """A figure with its parameters, in canonical order: the identity of one number."""

    name: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.params)})"

    @property
    def arguments(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class Param:
    name: str  # as written in keys
    python_name: str  # as the function takes it (a keyword such as `from` becomes `from_`)
    kind: Any  # the annotation: int, float, str, tuple[str, ...], or an Optional of one
    required: bool


@dataclass(frozen=True)
class FigureDef:
    """A registered figure: how to compute it, and what it is."""

    name: str
    compute: Callable[..., Any]
    unit: str
    format: str
    reads: tuple[str, ...]
    params: tuple[Param, ...]
    extra: bool  # takes further named parameters (**where), kept in name order
    doc: str
    derived: bool = False  # computed from other figures (given the FigureSet), not from the aggregates

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def key_text(value: Any) -> str:
    """A parameter value as it is written in a key."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(key_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def convert(text: str, kind: Any) -> Any:
    """A parameter written in a key, as the type the figure function declares."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if typing.get_origin(kind) is tuple:
        return tuple(text.split(LIST_SEPARATOR))
    if kind is int:
        return int(text)
    if kind is float:
        return float(text)
    return text


class Registry:
    """The figures of a study, by name."""

    def __init__(self) -> None:
        self._figures: dict[str, FigureDef] = {}

    def figure(
        self, *, unit: str, format: str, reads: tuple[str, ...] = (), derived: bool = False
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register the decorated function (aggregates first, then its parameters) as a figure.

        A derived figure is arithmetic on other figures: its function gets the FigureSet
        instead of the aggregates, and what it reads is what its inputs read.
        """

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            name = function.__name__
            if name in self._figures:
                raise ValueError(f"figure {name} is registered twice")
            hints = typing.get_type_hints(function)
            parameters = list(inspect.signature(function).parameters.values())[1:]
            params = tuple(
                Param(p.name.rstrip("_"), p.name, hints.get(p.name, str), p.default is inspect.Parameter.empty)
                for p in parameters
                if p.kind is not inspect.Parameter.VAR_KEYWORD
            )
            extra = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
            doc = (inspect.getdoc(function) or "").split("\n")[0]
            self._figures[name] = FigureDef(name, function, unit, format, tuple(reads), params, extra, doc, derived)
            return function

        return register

    def __getitem__(self, name: str) -> FigureDef:
        return self._figures[name]

    def __contains__(self, name: object) -> bool:
        return name in self._figures

    def __iter__(self) -> Iterator[FigureDef]:
        return iter(self._figures.values())

    def names(self) -> list[str]:
        return sorted(self._figures)

    def key(self, name: str, **params: Any) -> Key:
        """The canonical key of a figure called with `params` (None values left out)."""
        if name not in self._figures:
            raise FigureError(f"'{name}' is not a figure of this study")
        definition = self._figures[name]
        given = {k.rstrip("_"): v for k, v in params.items() if v is not None}
        ordered = [(p.name, key_text(given.pop(p.name))) for p in definition.params if p.name in given]
        if given and not definition.extra:
            raise FigureError(f"figure {name} takes no parameter {', '.join(sorted(given))}")
        ordered += sorted((k, key_text(v)) for k, v in given.items())
        missing = [p.name for p in definition.params if p.required and p.name not in dict(ordered)]
        if missing:
            raise FigureError(f"figure {name} needs {', '.join(missing)}")
        return Key(name, tuple(ordered))

    def parse(self, text: str) -> Key:
        """The canonical key of a key as written, e.g. in the printed-figures resource."""
        match = KEY.match(text.strip())
        if not match:
            raise FigureError(f"'{text}' is not of the form name(parameter=value, ...)")
        arguments: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in match["arguments"].split(","))):
            name, sign, value = part.partition("=")
            if not sign:
                raise FigureError(f"'{part}' in '{text}' is not of the form parameter=value")
            arguments[name.strip()] = value.strip()
        return self.key(match["name"], **arguments)


@dataclass(frozen=True)
class Figure:
    """One evaluated number: its value and what it is (key, unit, format, resources read)."""

    key: Key
    value: Any
    unit: str
    format: str
    reads: tuple[str, ...]
    marked: bool = False  # shown as illustrative, by the page's choice (see builder.markup)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        return int(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def _other(self, other: Any) -> Any:
        return other.value if isinstance(other, Figure) else other

    def __eq__(self, other: object) -> bool:
        return bool(self.value == self._other(other))

    def __hash__(self) -> int:
        return hash(self.key)

    def __lt__(self, other: Any) -> bool:
        return bool(self.value < self._other(other))

    def __le__(self, other: Any) -> bool:
        return bool(self.value <= self._other(other))

    def __gt__(self, other: Any) -> bool:
        return bool(self.value > self._other(other))

    def __ge__(self, other: Any) -> bool:
        return bool(self.value >= self._other(other))

    def __getattr__(self, name: str) -> Any:
        # A Summary figure: mean, sd and n read through to the value.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)


class FigureSet:
    """The registry evaluated against one package's aggregates: each key computed once."""

    def __init__(self, registry: Registry, aggregates: Any) -> None:
        self.registry = registry
        self.aggregates = aggregates
        self._values: dict[Key, Any] = {}
        self._inputs: dict[Key, tuple[Key, ...]] = {}  # the figures a derived figure was computed from
        self._evaluating: list[set[Key]] = []

    def value(self, key: Key) -> Any:
        """The value of one key; FigureError if this package cannot give it."""
        if self._evaluating:
            self._evaluating[-1].add(key)
        if key not in self._values:
            definition = self.registry[key.name]
            arguments = {}
            for name, text in key.params:
                param = definition.param(name)
                arguments[param.python_name if param else name] = convert(text, param.kind if param else str)
            self._evaluating.append(set())
            try:
                source = self if definition.derived else self.aggregates
                self._values[key] = definition.compute(source, **arguments)
            except (KeyError, IndexError, ZeroDivisionError, ValueError) as error:
                raise FigureError(f"'{key}' cannot be computed from this package: {error!r}") from error
            finally:
                self._inputs[key] = tuple(sorted(self._evaluating.pop()))
        return self._values[key]

    def inputs(self, key: Key) -> tuple[Key, ...]:
        """The figures a derived figure was computed from (empty for any other)."""
        self.value(key)
        return self._inputs.get(key, ())

    def reads(self, key: Key) -> tuple[str, ...]:
        """The resources a figure depends on, through its inputs if it is derived."""
        definition = self.registry[key.name]
        if not definition.derived:
            return definition.reads
        found: list[str] = []
        for source in self.inputs(key):
            found += [r for r in self.reads(source) if r not in found]
        return tuple(found)

    def figure(self, name: str, **params: Any) -> Figure:
        """One figure, evaluated, with what the page needs to show and trace it."""
        key = self.registry.key(name, **params)
        definition = self.registry[name]
        value = self.value(key)
        return Figure(key, value, definition.unit, definition.format, self.reads(key))

    def evaluated(self) -> Mapping[Key, Any]:
        """Every key evaluated so far (for tests and the release changelog)."""
        return dict(self._values)

    def __getattr__(self, name: str) -> Callable[..., Figure]:
        # Templates call figures by name: fig.total(measure="adverts").
        if name.startswith("_") or name not in self.registry:
            raise AttributeError(name)
        return lambda **params: self.figure(name, **params)
