"""The template layout of contract §5: which sheets, header labels and ``_meta`` keys, in order.

Templates, intake, validation and feedback all read the layout from here (the words themselves
are in :mod:`pipeline.base.vocabulary`), so it is defined once. Changing anything here changes
the contract: bump ``TEMPLATE_VERSION`` and write it in CHANGELOG.md.
"""

from __future__ import annotations

from pipeline.base.vocabulary import (
    FEEDBACK_CELL,
    FEEDBACK_FIELD,
    FEEDBACK_MESSAGE,
    FEEDBACK_SENT_CELL,
    FEEDBACK_SEVERITY,
    FEEDBACK_SHEET,
    FEEDBACK_VALUE,
    IND_EVIDENCE,
    IND_ID,
    IND_INPUT,
    IND_MAX,
    IND_NAME,
    IND_RULE,
    IND_VALUE,
    INFO_DATE,
    INFO_DEADLINE,
    INFO_EMAIL,
    INFO_PERIOD,
    INFO_PHONE,
    INFO_POSITION,
    INFO_REPORTER,
    INFO_UNIT,
    TASK_APPENDIX,
    TASK_DEADLINE,
    TASK_EVIDENCE,
    TASK_ID,
    TASK_NOTE,
    TASK_PILLAR,
    TASK_PROBLEMS,
    TASK_RESULT,
    TASK_RESULT_VALUE,
    TASK_ROLE,
    TASK_STATUS,
    TASK_TEXT,
)

TEMPLATE_VERSION = "2.0"
# Older template versions whose returns are still read (the same sheets; their columns are found
# by their labels).
COMPATIBLE_VERSIONS = ("1.0", "1.1", "2.0")

FEEDBACK_HEADERS = (
    FEEDBACK_SHEET, FEEDBACK_CELL, FEEDBACK_FIELD, FEEDBACK_VALUE, FEEDBACK_SEVERITY, FEEDBACK_MESSAGE,
    FEEDBACK_SENT_CELL,
)  # fmt: skip

INFO_LOCKED = (INFO_UNIT, INFO_PERIOD, INFO_DEADLINE)
INFO_TO_FILL = (INFO_REPORTER, INFO_POSITION, INFO_PHONE, INFO_EMAIL, INFO_DATE)
INFO_LABELS = INFO_LOCKED + INFO_TO_FILL

# Nhiệm vụ: the header row is the first row whose column A reads TASK_ID.
TASK_LOCKED = (TASK_ID, TASK_APPENDIX, TASK_PILLAR, TASK_TEXT, TASK_ROLE, TASK_DEADLINE, TASK_NOTE)
TASK_FILL = (TASK_STATUS, TASK_RESULT_VALUE, TASK_RESULT, TASK_EVIDENCE, TASK_PROBLEMS)  # every row
TASK_HEADERS = TASK_LOCKED + TASK_FILL
# What intake reads of every Nhiệm vụ row besides its id: the columns a unit writes, that is the
# fill-in columns and, in a row it adds (its own task, contract §5), the task's text.
TASK_TO_FILL = (TASK_TEXT, *TASK_FILL)

# Chỉ số: the header row is the first row whose column A reads IND_ID.
IND_LOCKED = (IND_ID, IND_NAME, IND_INPUT, IND_MAX, IND_RULE)
IND_TO_FILL = (IND_VALUE, IND_EVIDENCE)
IND_HEADERS = IND_LOCKED + IND_TO_FILL

META_KEYS = ("template_version", "unit_code", "period", "generated_at", "catalogue_version")
