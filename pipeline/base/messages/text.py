"""A message template with named slots, filled strictly."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_FORMATTER = string.Formatter()


class SlotError(TypeError):
    """A template filled with a slot missing or a value for no slot (a bug, not bad data)."""


@dataclass(frozen=True, slots=True)
class Text:
    """A Vietnamese template; ``slots`` are the names between braces, in order of first use."""

    template: str
    slots: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        names: dict[str, None] = {}
        for _literal, name, _spec, _conv in _FORMATTER.parse(self.template):
            if name is not None:
                if not name.isidentifier():
                    raise SlotError(f"slot {name!r} in {self.template!r} is not a name")
                names[name] = None
        object.__setattr__(self, "slots", tuple(names))

    def format(self, **values: Any) -> str:
        """The text with every slot filled (NFC); exactly the template's slots must be given."""
        missing = [s for s in self.slots if s not in values]
        extra = [k for k in values if k not in self.slots]
        if missing or extra:
            raise SlotError(f"{self.template!r}: missing {missing}, unexpected {extra}")
        return unicodedata.normalize("NFC", self.template.format(**values))

    def __str__(self) -> str:
        if self.slots:
            raise SlotError(f"{self.template!r} needs {list(self.slots)}")
        return unicodedata.normalize("NFC", self.template)
