"""Reference data: units, tasks, indicators, calendar, locality and vocabulary, from ``schemas/``.

Everything a locality may change lives in files; :func:`load_catalogue` reads and validates
them and raises :class:`CatalogueError` listing every problem, each naming its file, row and
column. :mod:`.model` holds the frozen objects, :mod:`.load` and :mod:`.indicators` the
loading, :mod:`.resolve` the plan's phrases, :mod:`.field_types` and :mod:`.rule_kinds` the
registries of what ``indicators.yaml`` may declare, :mod:`.summary` what the check prints.
"""

from pipeline.catalogue.load import PROJECT_SCHEMAS, SCHEMA_FILES, default_root, load_catalogue
from pipeline.catalogue.model import (
    Catalogue,
    CatalogueError,
    Check,
    Field,
    Indicator,
    Locality,
    PeriodKind,
    Rule,
    Target,
    Vocabulary,
    due_date_in,
    expand,
    parse_target,
)

__all__ = [
    "PROJECT_SCHEMAS",
    "SCHEMA_FILES",
    "Catalogue",
    "CatalogueError",
    "Check",
    "Field",
    "Indicator",
    "Locality",
    "PeriodKind",
    "Rule",
    "Target",
    "Vocabulary",
    "default_root",
    "due_date_in",
    "expand",
    "load_catalogue",
    "parse_target",
]
