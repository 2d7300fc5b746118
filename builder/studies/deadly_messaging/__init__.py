"""TRAFFIC's "Deadly Messaging" (Guan & Xu, 2015): ivory adverts on WeChat Moments.

The study plug-in of this repository's site: what it needs of a package, how it aggregates
the records, its figures, views, charts and monitoring sheet. Named in mkdocs.yml as
`study: builder.studies.deadly_messaging`.
"""

from __future__ import annotations

from builder.requirements import Requirements
from builder.studies.deadly_messaging.aggregates import aggregate
from builder.studies.deadly_messaging.charts import build_charts
from builder.studies.deadly_messaging.errors import ERRORS
from builder.studies.deadly_messaging.figures import FIGURES
from builder.studies.deadly_messaging.options import MEASURE, THRESHOLDS, parse_options
from builder.studies.deadly_messaging.rules import RULES
from builder.studies.deadly_messaging.sheet import SHEET
from builder.studies.deadly_messaging.views import headline, views
from builder.study import Study

REQUIREMENTS = Requirements(
    resources={
        "surveys": ("survey_id", "date", "week", "kind"),
        "traders": ("trader_id", "category"),
        "adverts": ("advert_id", "survey_id", "trader_id", "pictures", "videos", "product_type"),
        "prices": ("price_id", "advert_id", "product_type", "price_cny", "weight_g"),
        "market_prices": ("product_type", "price_per_gram", "first_year", "last_year"),
        "events": ("event_id", "date", "kind", "actor", "place", "description", "location"),
        "event_quantities": ("event_id", "measure", "value", "unit"),
        "transaction_steps": ("process", "step", "name", "description"),
        "glossary": ("term_id", "term_en", "term_zh", "definition"),
    },
    settings=("start", "end", THRESHOLDS, MEASURE),
    # Facts from the report that the pages cite and the records cannot recompute.
    printed_figures=(
        "other_species_product_kinds",
        "raw_tusks_in_one_photo",
        "elephants_killed_per_year",
        "websites_monitored_since_2012",
        "wildlife_product_categories_tracked",
        "website_adverts_per_month_before",
        "website_adverts_per_month_after",
        "website_adverts_decline_pct",
        "website_new_adverts_per_month_before",
        "website_new_adverts_per_month_after",
        "wechat_monthly_active_users",
        "wechat_smartphone_coverage_pct",
        "wechat_sales_cny",
        "approved_ivory_manufacturers",
        "approved_ivory_shops",
        "contacts_added",
        "collector_groups_joined",
        "selection_window_weeks",
    ),
)

STUDY = Study(
    name="deadly-messaging",
    requirements=REQUIREMENTS,
    figures=FIGURES,
    aggregate=aggregate,
    views=views,
    charts=build_charts,
    headline=headline,
    printed_figures="published_figures",
    options=parse_options,
    rules=RULES,
    sheet=SHEET,
    errors=ERRORS,
)
