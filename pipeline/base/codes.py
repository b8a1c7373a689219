"""Stable issue codes and severities: they land in ``issues.csv``, so they are added, never renamed."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable issue codes. Add new codes at the end of their group; never rename one.

    Each has one entry (title, message template) in :mod:`pipeline.base.messages.issues`.
    """

    # --- the file as a whole (intake guard) ---
    FILE_UNSUPPORTED = "file_unsupported"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_ZIP_BOMB = "file_zip_bomb"
    FILE_CORRUPT = "file_corrupt"
    FILE_ENCRYPTED = "file_encrypted"
    FILE_XML_ENTITIES = "file_xml_entities"
    FILE_UNREADABLE = "file_unreadable"
    FILE_MACRO = "file_macro"
    FILE_EXTENSION_MISMATCH = "file_extension_mismatch"
    FILE_TOO_MANY_CELLS = "file_too_many_cells"
    FILE_OLD_FORMAT = "file_old_format"
    EMAIL_UNUSABLE = "email_unusable"  # an .eml of the inbox that gives no return (issue 13)
    # --- identification ---
    META_MISSING = "meta_missing"
    META_UNIT_FROM_NAME = "meta_unit_from_name"
    UNIT_UNKNOWN = "unit_unknown"
    PERIOD_MISMATCH = "period_mismatch"
    PERIOD_INVALID = "period_invalid"
    TEMPLATE_OLD = "template_old"
    TEMPLATE_INCOMPATIBLE = "template_incompatible"
    SHEET_MISSING = "sheet_missing"
    HEADER_MISSING = "header_missing"
    COLUMN_MISSING = "column_missing"
    DUPLICATE_RETURN = "duplicate_return"
    UNIT_MISMATCH = "unit_mismatch"
    PERIOD_UNKNOWN = "period_unknown"
    RETURN_EMPTY = "return_empty"
    # --- rows ---
    TASK_UNKNOWN = "task_unknown"
    TASK_DUPLICATE = "task_duplicate"
    TASK_NOT_ASSIGNED = "task_not_assigned"
    TASK_MISSING_ROW = "task_missing_row"
    FIELD_UNKNOWN = "field_unknown"
    FIELD_DUPLICATE = "field_duplicate"
    TASK_NOT_REPORTED = "task_not_reported"
    # --- cell values ---
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    OUT_OF_RANGE = "out_of_range"
    NOT_ALLOWED = "not_allowed"
    NOT_A_DATE = "not_a_date"
    NUMBER_WITH_TEXT = "number_with_text"
    VALUE_INTERPRETED = "value_interpreted"
    TCVN3_CONVERTED = "tcvn3_converted"
    FORMULA_NO_VALUE = "formula_no_value"
    TEXT_TOO_LONG = "text_too_long"
    EVIDENCE_REQUIRED = "evidence_required"
    RESULT_REQUIRED = "result_required"
    REPORTER_MISSING = "reporter_missing"
    FORMULA_EXTERNAL_LINK = "formula_external_link"
    EVIDENCE_PLACEHOLDER = "evidence_placeholder"
    EMAIL_INVALID = "email_invalid"
    PHONE_INVALID = "phone_invalid"
    # --- cross-field checks (indicators) ---
    CROSS_FIELD = "cross_field"
    NO_EVIDENCE = "no_evidence"
    VILLAGES_MISMATCH = "villages_mismatch"
    TASK_INDICATOR_MISMATCH = "task_indicator_mismatch"
    # --- across periods (a return against the unit's own past; computed when a period is built) ---
    DONE_THEN_NOT_STARTED = "done_then_not_started"
    CUMULATIVE_DECREASED = "cumulative_decreased"
    VALUES_COPIED = "values_copied"
