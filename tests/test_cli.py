"""The command line: help for every command, README coverage, catalogue check, --schemas."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from tests.conftest import ROOT, SCHEMAS


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out += _commands(cmd, full + " ")
        else:
            out.append(full)
    return out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    commands = _commands(main)
    assert set(commands) >= {"catalogue check", "templates", "validate", "report", "demo"}
    for command in commands:
        res = runner.invoke(main, [*command.split(), "--help"], catch_exceptions=False)
        assert res.exit_code == 0 and "Usage" in res.output, command
        assert f"dti {command}" in readme, f"README does not show 'dti {command}'"


def test_python_m_pipeline_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and "catalogue" in proc.stdout


def test_catalogue_check_summary() -> None:
    res = CliRunner().invoke(main, ["catalogue", "check"], catch_exceptions=False)
    assert res.exit_code == 0
    assert "Nhiệm vụ: 95 (PL01 48 / PL02 8 / PL03 39)" in res.output
    assert "Chỉ số (Phụ lục 04): 4" in res.output
    assert "PL01-7.7" in res.output


def test_catalogue_check_on_a_broken_profile_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    text = (root / "units.csv").read_text(encoding="utf-8").replace(",ward,", ",phuong,", 1)
    (root / "units.csv").write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["--schemas", str(root), "catalogue", "check"])
    assert res.exit_code == 1
    assert "units.csv, dòng 19, cột kind" in res.output


def test_schemas_env_variable(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    with (root / "units.csv").open("a", encoding="utf-8") as fh:
        fh.write("X_MOI,UBND xã Mới,commune,99999,,,\n")
    monkeypatch.setenv("DTI_SCHEMAS", str(root))
    res = CliRunner().invoke(main, ["catalogue", "check"], catch_exceptions=False)
    assert res.exit_code == 0 and "Đơn vị: 37" in res.output


def test_report_without_inbox_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["report", "-p", "2023-Q4", "--inbox", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "nope" in res.output


def test_validate_skips_office_lock_files_given_on_the_command_line(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    """``dti validate inbox/*`` picks up Excel's ``~$…`` owner file and LibreOffice's lock file
    when a return is open; they are named as skipped, not reported as broken returns."""
    import json

    from tests.intake.test_read import write

    good = write(cat, q4, tmp_path / "2023-Q4_P_KY_BA.xlsx")
    owner = tmp_path / "~$2023-Q4_P_KY_BA.xlsx"
    owner.write_bytes(b"\x0bNguyen Van A" + b"\x00" * 40)
    lock = tmp_path / ".~lock.2023-Q4_P_KY_BA.xlsx#"
    lock.write_text("Nguyen Van A,may01,29.11.2026 09:00,", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(good), str(owner), str(lock)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Bỏ qua 2 tệp khóa hoặc tệp tạm" in res.output and owner.name in res.output
    assert "bị hỏng" not in res.output
    res = runner.invoke(main, ["validate", "--format", "json", str(good), str(owner), str(lock)])
    report = json.loads(res.output)
    assert report["stats"]["files"] == 1 and report["skipped"] == [owner.name, lock.name]
    assert report["valid"] is True
