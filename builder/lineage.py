"""Where each number comes from: printed in the report, arithmetic on printed figures, computed
from published facts or observed records, or dependent on reconstructed records.

A number is traced through its figure key. If the key is the recompute key of a printed
figure, the number is the report's, reproduced by the records (or differing, with the
reason in the audit). Otherwise its lineage follows from what it reads: the provenance the
descriptor gives each resource. A number that depends on reconstructed records and that
the report never printed is not a finding; the pages must mark it as illustrative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from builder.audit import AS_WORDED, CONTEXT, REPRODUCED, WITHIN_ROUNDING, AuditRow
from builder.figures import Figure, FigureSet, Key

PRINTED = "printed"  # printed in the report and reproduced by the records
PRINTED_DIFFERS = "printed-differs"  # printed in the report; the records give another value
PRINTED_CONTEXT = "printed-context"  # printed in the report; not recomputable from the records
ARITHMETIC = "arithmetic"  # arithmetic on printed figures only
PUBLISHED = "published"  # computed from resources holding the report's published facts
OBSERVED = "observed"  # computed from records the package declares observed
ILLUSTRATIVE = "illustrative"  # depends on reconstructed records, never printed: not a finding
KINDS = (PRINTED, PRINTED_DIFFERS, PRINTED_CONTEXT, ARITHMETIC, PUBLISHED, OBSERVED, ILLUSTRATIVE)
PRINTED_KINDS = (PRINTED, PRINTED_DIFFERS, PRINTED_CONTEXT)
RECONSTRUCTED = "reconstructed"
AGREES = (REPRODUCED, WITHIN_ROUNDING, AS_WORDED)


@dataclass(frozen=True)
class Lineage:
    """What a number is: its kind, the printed figure it matches, the resources it reads."""

    kind: str
    printed: AuditRow | None = None
    resources: tuple[str, ...] = ()

    @property
    def illustrative(self) -> bool:
        return self.kind == ILLUSTRATIVE

    @property
    def anchor(self) -> str | None:
        """The audit row of the printed figure it matches, if any."""
        return None if self.printed is None else audit_anchor(self.printed.figure_id)


def audit_anchor(figure_id: str) -> str:
    """The stable anchor of a printed figure's row on the audit page."""
    return f"figure-{figure_id.replace('_', '-')}"


def of_printed(row: AuditRow) -> str:
    if row.status == CONTEXT:
        return PRINTED_CONTEXT
    return PRINTED if row.status in AGREES else PRINTED_DIFFERS


def combine(kinds: Iterable[str]) -> str:
    """The lineage of arithmetic on numbers of these kinds."""
    found = set(kinds)
    if ILLUSTRATIVE in found or PRINTED_DIFFERS in found:
        return ILLUSTRATIVE
    if found and found <= {PRINTED, PRINTED_CONTEXT, ARITHMETIC}:
        return ARITHMETIC
    return OBSERVED if OBSERVED in found else PUBLISHED


class LineageIndex:
    """Lineages of one package's figures, from its audit and its resources' provenance."""

    def __init__(self, figures: FigureSet, audit: list[AuditRow], provenance: Mapping[str, str]) -> None:
        self.figures = figures
        self.provenance = dict(provenance)
        self.by_key: dict[str, AuditRow] = {}
        for row in audit:
            if row.key and row.key not in self.by_key:
                self.by_key[row.key] = row
        self.by_id = {row.figure_id: row for row in audit}

    def of(self, figure: Figure) -> Lineage:
        return self.of_key(figure.key)

    def of_key(self, key: Key) -> Lineage:
        resources = self.figures.reads(key)
        row = self.by_key.get(str(key))
        if row is not None:
            return Lineage(of_printed(row), row, resources)
        inputs = self.figures.inputs(key)
        if self.figures.registry[key.name].derived and inputs:
            return Lineage(combine(self.of_key(k).kind for k in inputs), None, resources)
        kinds = {self.provenance.get(r, RECONSTRUCTED) for r in resources}
        if RECONSTRUCTED in kinds:
            return Lineage(ILLUSTRATIVE, None, resources)
        return Lineage(OBSERVED if "observed" in kinds else PUBLISHED, None, resources)

    def of_printed_id(self, figure_id: str) -> Lineage:
        row = self.by_id[figure_id]
        return Lineage(of_printed(row), row, ())
