"""The message catalogue: one entry per code, every template's slots filled where it is used,
and Vietnamese text only where it belongs (read from the package's own source)."""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.base import messages
from pipeline.base.codes import Code, Severity
from pipeline.base.issues import issue, message
from pipeline.base.messages import mail, notes, report, texts
from pipeline.base.messages.issues import ISSUES
from pipeline.base.messages.text import SlotError, Text
from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
PLACE = {"file", "sheet", "cell"}  # slots an issue fills from where it is
LOCATION = {"severity", "variant", "file", "unit_code", "sheet", "cell", "field", "value", "label"}
VIETNAMESE = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
VIETNAMESE |= {c.upper() for c in VIETNAMESE}
# Where Vietnamese may stand in the code, and why.
VIETNAMESE_ALLOWED = {
    "base/messages/issues.py": "the message catalogue",
    "base/messages/issues_values.py": "the message catalogue",
    "base/messages/notes.py": "the message catalogue",
    "base/messages/texts.py": "the message catalogue",
    "base/messages/report.py": "the message catalogue (the narrative report)",
    "base/messages/store.py": "the message catalogue",
    "base/messages/mail.py": "the message catalogue (e-mail intake, reminders)",
    "base/messages/web.py": "the message catalogue (dti serve, dti links)",
    "base/vocabulary.py": "the vocabulary",
    "outputs/template_help.py": "the help text of the templates",
    "demo.py": "the demo returns",
    "normalize/tcvn3.py": "the TCVN3 encoding table (letters, not text)",
    "base/text.py": "folding đ to d (a letter, not text)",
    "outputs/measure.py": "the advance widths of letters (letters, not text)",
}


def test_every_code_has_one_entry() -> None:
    assert set(ISSUES) == set(Code)
    for code, kind in ISSUES.items():
        assert kind.code == code
        assert kind.title and unicodedata.is_normalized("NFC", kind.title)
        assert any(c in VIETNAMESE for c in kind.title), f"{code}: the title is not Vietnamese"
        assert kind.description.isascii(), f"{code}: the description is for developers, in English"
        for text in (kind.template, *kind.variants.values()):
            assert unicodedata.is_normalized("NFC", text.template), code


def test_a_template_is_filled_strictly() -> None:
    text = Text("Tệp «{file}» có {count} phần")
    assert text.slots == ("file", "count")
    assert text.format(file="a.xlsx", count=3) == "Tệp «a.xlsx» có 3 phần"
    with pytest.raises(SlotError, match="missing"):
        text.format(file="a.xlsx")
    with pytest.raises(SlotError, match="unexpected"):
        text.format(file="a.xlsx", count=3, extra=1)
    with pytest.raises(SlotError):
        str(text)
    with pytest.raises(SlotError):
        Text("{0} không phải tên")


def test_an_issue_fills_its_place_and_its_slots() -> None:
    found = issue(Code.SHEET_MISSING, file="a.xlsx", unit_code="VP", sheet="Nhiệm vụ")
    assert found.message.startswith("Tệp «a.xlsx» thiếu trang «Nhiệm vụ»")
    assert found.severity == Severity.ERROR
    with pytest.raises(SlotError):
        issue(Code.TASK_NOT_ASSIGNED, file="a.xlsx")  # {task} is not a place
    assert (
        message(Code.NOT_A_DATE, "impossible", text="31/02/2023", hint="x")
        == "Ngày «31/02/2023» không có thật: x."
    )
    with pytest.raises(KeyError):
        message(Code.NOT_A_DATE, "no such variant", text="x", hint="x")


# --- every use of a template names exactly its slots (read from the source) ----------------------


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _code_of(node: ast.expr) -> Code | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Code":
        return Code[node.attr]
    return None


def _keywords(call: ast.Call) -> tuple[set[str], bool]:
    """Keyword names given, and whether a ``**mapping`` makes the set open."""
    names = {k.arg for k in call.keywords if k.arg is not None}
    return names, any(k.arg is None for k in call.keywords)


def _variant(call: ast.Call, positional: int | None) -> str:
    for k in call.keywords:
        if k.arg == "variant" and isinstance(k.value, ast.Constant):
            return str(k.value.value)
    if (
        positional is not None
        and len(call.args) > positional
        and isinstance(call.args[positional], ast.Constant)
    ):
        return str(call.args[positional].value)
    return ""


def _issue_calls() -> Iterator[tuple[str, int, Code, str, set[str], bool]]:
    """(file, line, code, variant, slot keywords, open) of every call that makes an issue's text.

    ``issue(Code.X, ...)`` and ``message(Code.X, ...)``; normalize's ``error(Code.X, variant, ...)``
    and ``warn(value, Code.X, variant, ...)``; the guard's ``Refused(Code.X, value, ...)``."""
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            func, args = node.func.id, node.args
            if func in ("issue", "message", "error") and args and (code := _code_of(args[0])):
                variant = _variant(node, 1 if func in ("message", "error") else None)
            elif func == "warn" and len(args) > 1 and (code := _code_of(args[1])):
                variant = _variant(node, 2)
            elif func == "Refused" and args and (code := _code_of(args[0])):
                variant = ""
            else:
                continue
            names, open_ = _keywords(node)
            yield name, node.lineno, code, variant, names - LOCATION, open_


def test_every_issue_is_raised_with_the_slots_of_its_template() -> None:
    calls = list(_issue_calls())
    assert len(calls) > 60  # the walk finds the raise sites
    problems = []
    for name, line, code, variant, given, open_ in calls:
        slots = set(ISSUES[code].text(variant).slots)
        needed = slots - PLACE
        extra = given - slots
        missing = set() if open_ else needed - given
        if extra or missing:
            problems.append(
                f"{name}:{line} {code} {variant!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
    assert not problems, "\n".join(problems)


def test_every_code_is_raised_somewhere() -> None:
    raised = {code for *_, code, _variant, _given, _open in _issue_calls()}
    # CheckInfo entries name the codes of the pandera checks (built from the catalogue)
    for _name, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("CheckInfo", "CellRule")
            ):
                raised |= {c for a in node.args if (c := _code_of(a)) is not None}
            if isinstance(node, ast.IfExp):
                raised |= {c for a in (node.body, node.orelse) if (c := _code_of(a)) is not None}
    assert raised == set(Code), sorted(set(Code) - raised)


def test_every_text_is_formatted_with_its_slots() -> None:
    modules = {"T": texts, "texts": texts, "notes": notes, "R": report, "report": report, "M": mail}
    problems, count = [], 0
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and isinstance(node.func.value, ast.Attribute)
                and isinstance(node.func.value.value, ast.Name)
                and node.func.value.value.id in modules
            ):
                continue
            text = getattr(modules[node.func.value.value.id], node.func.value.attr)
            assert isinstance(text, Text), f"{name}:{node.lineno}: {node.func.value.attr} is not a Text"
            count += 1
            given, open_ = _keywords(node)
            if given - set(text.slots) or (not open_ and set(text.slots) - given):
                problems.append(
                    f"{name}:{node.lineno} {node.func.value.attr}: {sorted(given)} ≠ {text.slots}"
                )
    assert count > 150
    assert not problems, "\n".join(problems)


# --- Vietnamese only in the catalogue, the vocabulary, the templates' help and the demo ------------


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_vietnamese_text_only_where_it_belongs() -> None:
    found = []
    for name, tree in _sources():
        if name in VIETNAMESE_ALLOWED:
            continue
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and any(c in VIETNAMESE for c in unicodedata.normalize("NFC", node.value))
            ):
                found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "Vietnamese outside the catalogue and the vocabulary:\n" + "\n".join(found)
    assert all((PACKAGE / name).exists() for name in VIETNAMESE_ALLOWED)


def test_no_module_over_500_lines() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, long


def test_the_catalogue_package_documents_its_parts() -> None:
    assert messages.__doc__ and "issues" in messages.__doc__ and "texts" in messages.__doc__
    assert "report" in messages.__doc__
    assert Path(messages.__file__).parent.name == "messages"
