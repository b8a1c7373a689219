"""The result of cleaning one cell: the clean value and, if any, the issue found while cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.base.codes import Code, Severity
from pipeline.base.issues import PRODUCED, message


@dataclass(frozen=True, slots=True)
class Parsed:
    """A cleaned cell value, with the issue found while cleaning it (if any).

    The issue is its code, severity and the slots of its message (the code's template in the
    catalogue, or its ``variant``); :attr:`note` is that message.
    """

    value: object
    code: Code | None = None
    severity: Severity | None = None
    variant: str = ""
    slots: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when there is no error (a warning still carries a usable value)."""
        return self.severity != Severity.ERROR

    @property
    def note(self) -> str:
        """The Vietnamese message: what was wrong and what to write, or what was understood."""
        if self.code is None:
            return ""
        return message(self.code, self.variant, **self.slots)


EMPTY = Parsed(None)


def warn(value: object, code: Code, variant: str = "", **slots: Any) -> Parsed:
    PRODUCED.add(code)
    return Parsed(value, code, Severity.WARNING, variant, slots)


def error(code: Code, variant: str = "", **slots: Any) -> Parsed:
    PRODUCED.add(code)
    return Parsed(None, code, Severity.ERROR, variant, slots)


def show(value: object, limit: int = 60) -> str:
    """A value as short printable text for a note."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
