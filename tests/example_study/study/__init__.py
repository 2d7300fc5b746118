"""Example study: pangolin-scale listings on two marketplaces (synthetic data).

A complete, small study plug-in, to copy when starting a new study: what it needs of the
package, one pass over the records, its figures, the views its pages use, and its charts.
Named in this example's mkdocs.yml as `study: study` (this folder, next to mkdocs.yml).
"""

from __future__ import annotations

from builder.requirements import Requirements
from builder.study import Study

from .aggregates import aggregate
from .charts import charts
from .figures import FIGURES
from .rules import ERRORS, RULES
from .views import headline, views

STUDY = Study(
    name="example-pangolin-scales",
    requirements=Requirements(
        resources={
            "checks": ("check_id", "date", "platform"),
            "listings": ("listing_id", "check_id", "seller_id", "form", "weight_g", "price_cny"),
        },
        settings=("start", "end"),
        printed_figures=("cites_appendix_i_year",),
    ),
    figures=FIGURES,
    aggregate=aggregate,
    views=views,
    charts=charts,
    headline=headline,
    printed_figures="printed_figures",
    rules=RULES,
    errors=ERRORS,
)
