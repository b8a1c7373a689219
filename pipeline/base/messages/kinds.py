"""What an entry of the message catalogue is: :class:`IssueKind`, made with :func:`k`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.base.codes import Code, Severity
from pipeline.base.messages.text import Text

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class IssueKind:
    """A kind of issue: what the unit reads (``template``) and what the kind is (``title``)."""

    code: Code
    severity: Severity  # the usual one; a check in indicators.yaml may set its own
    title: str  # the kind's name in Vietnamese (issues sheet, feedback)
    template: Text
    description: str  # English, for developers and the docs
    variants: Mapping[str, Text] = field(default_factory=dict)

    def text(self, variant: str = "") -> Text:
        if not variant:
            return self.template
        try:
            return self.variants[variant]
        except KeyError:
            raise KeyError(f"{self.code}: no variant {variant!r}") from None


def k(
    code: Code,
    severity: Severity,
    title: str,
    template: str,
    description: str,
    **variants: str,
) -> IssueKind:
    return IssueKind(
        code, severity, title, Text(template), description, {k: Text(v) for k, v in variants.items()}
    )
