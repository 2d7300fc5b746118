"""Error codes of this study's own checks (the survey calendar and monitoring sheets)."""

from __future__ import annotations

from builder.problems import ErrorCatalogue, ErrorCode

WEEK_MISMATCH = ErrorCode(
    "week-mismatch",
    "A survey's week contradicts its date.",
    "Correct the week or the date.",
    "week {week} does not match the date {day}, which falls in week {expected} counted from {start}",
    "set week to {expected}, or correct the date",
)
KIND_MISMATCH = ErrorCode(
    "kind-mismatch",
    "A survey's kind (regular or random) contradicts its weekday.",
    "Correct the kind or the date.",
    "a {weekday} check is marked {kind}, but regular checks fall on {regular}",
    "set kind to {expected}, or correct the date",
)
CATEGORY_MISSING = ErrorCode(
    "category-missing",
    "A sheet names an account new to the package without its trader category.",
    "Give the category on that row; nothing was changed.",
    "the account is new to the package but has no trader category",
    "give its category in this row (ivory only, ivory and other species, collectables, other business)",
)
CATEGORY_CONFLICT = ErrorCode(
    "category-conflict",
    "A sheet gives a known account another category.",
    "Leave the category empty for known accounts; nothing was changed.",
    "the account is already recorded as {category}",
    "leave trader_category empty for known accounts, or correct the earlier record with an erratum",
)
ERRORS = ErrorCatalogue([WEEK_MISMATCH, KIND_MISMATCH, CATEGORY_MISSING, CATEGORY_CONFLICT])
