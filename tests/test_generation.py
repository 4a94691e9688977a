"""Freshness, determinism and the CLI's behaviour on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcp_spec_gen.cli import app
from mcp_spec_gen.pipeline import generate
from mcp_spec_gen.writer import Entry, diff_tree

from .conftest import REPO, REVISIONS, SOURCE

runner = CliRunner()


@pytest.fixture(scope="module")
def generated() -> dict[str, Entry]:
    return generate()


def test_committed_tree_is_fresh(generated: dict[str, Entry]) -> None:
    assert diff_tree(generated, REPO / "generated") == ""


def test_generation_is_deterministic(generated: dict[str, Entry]) -> None:
    assert generate() == generated


def test_generated_files_carry_no_copy_of_the_schema(generated: dict[str, Entry]) -> None:
    assert not [name for name in generated if name.endswith("schema.json")]


def test_check_reports_a_stale_tree_with_a_diff(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    assert runner.invoke(app, ["generate", "--output", str(output)]).exit_code == 0
    models = output / "mcp_spec" / "v2026_07_28" / "models.py"
    models.write_text(models.read_text().replace("class Tool(", "class Tool2(", 1))
    result = runner.invoke(app, ["check", "--output", str(output)])
    assert result.exit_code == 1
    assert "-class Tool2(" in result.stdout and "+class Tool(" in result.stdout
    assert "is stale" in result.stderr


def test_the_runtime_joins_the_package_as_links_never_copies(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    assert runner.invoke(app, ["generate", "--output", str(output)]).exit_code == 0
    runtime = REPO / "runtime" / "mcp_spec"
    for source in runtime.glob("*.py"):
        link = output / "mcp_spec" / source.name
        assert link.is_symlink() and link.resolve() == source.resolve()
    messages = output / "mcp_spec" / "messages.py"
    messages.unlink()
    messages.write_text((runtime / "messages.py").read_text())  # a copy is not the link
    result = runner.invoke(app, ["check", "--output", str(output)])
    assert result.exit_code == 1
    assert "link mcp_spec/messages.py" in result.stdout


def test_generate_writes_a_fresh_tree(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = runner.invoke(app, ["generate", "--output", str(output)])
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["check", "--output", str(output)]).exit_code == 0


def test_cli_errors_are_one_clear_list_not_a_traceback(tmp_path: Path) -> None:
    """Every revision too deep is listed in one run, one line each (three are deeper than 5)."""
    result = runner.invoke(app, ["generate", "--output", str(tmp_path), "--max-depth", "5"])
    assert result.exit_code == 2
    assert "error: 3 problems to fix before generating:" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 3
    assert all("schema nesting deeper than the limit of 5 (revision " in line for line in lines)
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_sync_rejects_a_tampered_source(tmp_path: Path) -> None:
    for revision in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "draft"):
        target = tmp_path / "schema" / revision / "schema.json"
        target.parent.mkdir(parents=True)
        shutil.copy(SOURCE / "schema" / revision / "schema.json", target)
    tampered = tmp_path / "schema" / "2025-03-26" / "schema.json"
    data = json.loads(tampered.read_text())
    data["definitions"]["Cursor"]["type"] = "integer"
    tampered.write_text(json.dumps(data))
    result = runner.invoke(
        app, ["generate", "--source", str(tmp_path), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "sha256 mismatch" in result.stderr and "revision 2025-03-26" in result.stderr


def test_every_command_has_help() -> None:
    for command in ("sync", "generate", "check", "pin"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_pin_refuses_a_short_commit() -> None:
    result = runner.invoke(app, ["pin", "--commit", "abc"])
    assert result.exit_code == 2 and "40-digit" in result.stderr


def test_pin_records_the_new_commit_and_hashes(tmp_path: Path) -> None:
    pins_file = tmp_path / "pins.json"
    shutil.copy(REPO / "schema" / "pins.json", pins_file)
    new_commit = "0123456789abcdef0123456789abcdef01234567"
    result = runner.invoke(
        app, ["pin", "--commit", new_commit, "--source", str(SOURCE), "--pins-file", str(pins_file)]
    )
    assert result.exit_code == 0, result.stderr
    pinned = json.loads(pins_file.read_text())
    original = json.loads((REPO / "schema" / "pins.json").read_text())
    assert pinned["commit"] == new_commit
    # Same files at the source, so the same hashes; the repository pins are untouched.
    assert pinned["revisions"] == original["revisions"]
    assert original["commit"] != new_commit


def test_pin_of_a_missing_revision_is_a_clear_error(tmp_path: Path) -> None:
    pins_file = tmp_path / "pins.json"
    shutil.copy(REPO / "schema" / "pins.json", pins_file)
    result = runner.invoke(
        app,
        [
            "pin",
            "--commit",
            "a" * 40,
            "--source",
            str(SOURCE),
            "--add-revision",
            "2099-01-01",
            "--pins-file",
            str(pins_file),
        ],
    )
    assert result.exit_code == 2
    assert "file not found" in result.stderr and "2099-01-01" in result.stderr


def test_descriptions_carry_no_renderer_artefacts(generated: dict[str, Entry]) -> None:
    for name, text in generated.items():
        assert not isinstance(text, str) or "{@link" not in text, name
    models = generated["mcp_spec/v2026_07_28/models.py"]
    assert isinstance(models, str)
    assert "`elicitation/create`" in models


@pytest.mark.parametrize("rev", REVISIONS)
def test_every_inline_model_points_at_where_it_stands_in_the_schema(rev: str) -> None:
    from mcp_spec_gen.reference import revision_ir
    from mcp_spec_gen.schema_walk import resolve_pointer

    ir = revision_ir(rev)
    for name, model in ir.inline.items():
        found = resolve_pointer(ir.bundle, model.pointer)  # KeyError when it stands nowhere
        assert isinstance(found, dict) and ("properties" in found or "allOf" in found), name
    if rev in ("2026-07-28", "draft"):
        # Merged from `allOf: [Error, {properties: {data: {...}}}]`: the extension's `data`.
        pointer = ir.inline["UnsupportedProtocolVersionErrorErrorData"].pointer
        assert pointer.endswith("/properties/error/allOf/1/properties/data"), pointer
