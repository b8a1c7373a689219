"""Resolve the plan's assignment and deadline texts into unit codes, groups and frequencies.

The phrases are data (``schemas/aliases.yaml``); this module only matches them, ignoring
case, diacritics and punctuation, longest phrase first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.base.text import fold

__all__ = ["Resolver", "fold"]


@dataclass(frozen=True)
class Resolver:
    """Phrase tables from aliases.yaml plus every unit's own name."""

    names: tuple[tuple[str, tuple[str, ...]], ...]  # (folded phrase, tokens), longest first
    vague: tuple[tuple[str, str], ...]  # (folded phrase, group when it is a lead)
    connectors: tuple[str, ...]
    deadlines: Mapping[str, tuple[str, str]]  # folded text → (frequency, due_date)
    deadline_prefixes: tuple[tuple[str, tuple[str, str]], ...]

    @classmethod
    def from_config(cls, aliases: Mapping[str, Any], units: pd.DataFrame) -> Resolver:
        names: dict[str, tuple[str, ...]] = {
            fold(str(n)): (str(c),) for c, n in zip(units["code"], units["name"], strict=True)
        }
        names |= {fold(k): tuple(str(t) for t in v) for k, v in (aliases.get("names") or {}).items()}
        deadlines: dict[str, tuple[str, str]] = {}
        prefixes = []
        for text, (freq, due) in (aliases.get("deadlines") or {}).items():
            if str(text).endswith("…"):
                prefixes.append((fold(str(text)[:-1]), (str(freq), str(due))))
            else:
                deadlines[fold(str(text))] = (str(freq), str(due))
        return cls(
            names=tuple(sorted(names.items(), key=lambda kv: -len(kv[0]))),
            vague=tuple(
                sorted(
                    ((fold(k), str(v or "")) for k, v in (aliases.get("vague") or {}).items()),
                    key=lambda kv: -len(kv[0]),
                )
            ),
            connectors=tuple(fold(c) for c in aliases.get("connectors") or []),
            deadlines=deadlines,
            deadline_prefixes=tuple(prefixes),
        )

    def resolve(self, text: str, *, lead: bool) -> tuple[list[str], str]:
        """Tokens (unit codes or group names) named by ``text``, and any text left unrecognised.

        A vague phrase assigns its group when it is a lead and nobody when it is a coordinator.
        """
        key = f" {fold(text)} "
        found: list[tuple[int, tuple[str, ...]]] = []
        phrases = [(p, toks) for p, toks in self.names] + [
            (p, (g,) if lead and g else ()) for p, g in self.vague
        ]
        for phrase, tokens in sorted(phrases, key=lambda pt: -len(pt[0])):
            needle = f" {phrase} "
            while (pos := key.find(needle)) >= 0:
                found.append((pos, tokens))
                key = key[:pos] + " " * (len(needle) - 1) + key[pos + len(needle) - 1 :]
        tokens_out: list[str] = []
        for _, tokens in sorted(found, key=lambda ft: ft[0]):
            tokens_out += [t for t in tokens if t not in tokens_out]
        words = key.split()
        left = " ".join(w for w in words if w not in self.connectors)
        for connector in self.connectors:
            left = f" {left} ".replace(f" {connector} ", " ").strip()
        return tokens_out, left

    def deadline(self, text: str) -> tuple[str, str] | None:
        """(frequency, due_date) for a deadline text, or None when it is not a known phrase."""
        key = fold(text)
        if key in self.deadlines:
            return self.deadlines[key]
        for prefix, value in self.deadline_prefixes:
            if key.startswith(prefix):
                return value
        return None
