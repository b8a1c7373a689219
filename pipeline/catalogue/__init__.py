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
    task_target,
)
from pipeline.catalogue.rows import (
    ADDED_ROLE,
    FIGURE_NONE,
    FIGURE_NUMBER,
    FIGURE_PERCENT,
    FIGURE_YES_NO,
    NOTHING,
    NUMBER,
    PERCENT_MAX,
    YES_NO,
    TaskRow,
    answer_of,
    figure_of,
    note_kind,
    target_level,
)

__all__ = [
    "ADDED_ROLE",
    "FIGURE_NONE",
    "FIGURE_NUMBER",
    "FIGURE_PERCENT",
    "FIGURE_YES_NO",
    "NOTHING",
    "NUMBER",
    "PERCENT_MAX",
    "PROJECT_SCHEMAS",
    "SCHEMA_FILES",
    "YES_NO",
    "Catalogue",
    "CatalogueError",
    "Check",
    "Field",
    "Indicator",
    "Locality",
    "PeriodKind",
    "Rule",
    "Target",
    "TaskRow",
    "Vocabulary",
    "answer_of",
    "default_root",
    "due_date_in",
    "expand",
    "figure_of",
    "load_catalogue",
    "note_kind",
    "parse_target",
    "target_level",
    "task_target",
]
