"""Issues are data: one record per problem found in a return, with a stable code.

Every stage that finds something wrong with a unit's data returns ``Issue`` records instead
of raising. Codes are stable (they land in ``issues.csv``); messages are Vietnamese templates
with named places, filled by :func:`make_issue`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable issue codes. Add new codes at the end of their group; never rename one."""

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
    # --- rows ---
    TASK_UNKNOWN = "task_unknown"
    TASK_DUPLICATE = "task_duplicate"
    TASK_NOT_ASSIGNED = "task_not_assigned"
    TASK_MISSING_ROW = "task_missing_row"
    FIELD_UNKNOWN = "field_unknown"
    FIELD_DUPLICATE = "field_duplicate"
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
    # --- cross-field checks (indicators) ---
    CROSS_FIELD = "cross_field"
    NO_EVIDENCE = "no_evidence"
    VILLAGES_MISMATCH = "villages_mismatch"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one return. ``cell`` is A1 form or empty; ``field`` follows contract §7."""

    file: str
    unit_code: str
    sheet: str
    cell: str
    field: str
    value: str
    severity: Severity
    code: Code
    message: str
    label: str = ""  # the column label within the row (feedback marks that cell); not exported

    def as_row(self) -> dict[str, str]:
        return {
            "unit_code": self.unit_code,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "value": self.value,
            "severity": str(self.severity),
            "code": str(self.code),
            "message": self.message,
        }


ISSUE_COLUMNS = ["unit_code", "file", "sheet", "cell", "field", "value", "severity", "code", "message"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def show_value(value: Any, limit: int = 200) -> str:
    """A cell value as short, printable text for a message or the issues list."""
    if value is None:
        return ""
    text = nfc(str(value))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_issue(
    code: Code,
    severity: Severity,
    message: str,
    *,
    file: str = "",
    unit_code: str = "",
    sheet: str = "",
    cell: str = "",
    field: str = "",
    value: Any = None,
    label: str = "",
) -> Issue:
    """Build an issue; the message is already Vietnamese text (NFC is enforced here)."""
    return Issue(
        file=file,
        unit_code=unit_code,
        sheet=sheet,
        cell=cell,
        field=field,
        value=show_value(value),
        severity=severity,
        code=code,
        message=nfc(message),
        label=label,
    )


def has_error(issues: list[Issue]) -> bool:
    return any(i.severity == Severity.ERROR for i in issues)
