"""`mcp-spec validate`: exit codes, readable report, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mcp_spec_gen.cli import app

from .conftest import SOURCE

runner = CliRunner()
EXAMPLE = (
    SOURCE / "schema" / "2026-07-28" / "examples" / "CallToolRequest" / "call-tool-request.json"
)


def write(tmp_path: Path, data: object | str) -> str:
    path = tmp_path / "input.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_valid_definition_exits_0(tmp_path: Path) -> None:
    tool = {"name": "x", "inputSchema": {"type": "object"}}
    result = runner.invoke(
        app, ["validate", write(tmp_path, tool), "-r", "2026-07-28", "--def", "Tool"]
    )
    assert result.exit_code == 0, result.output
    assert "valid Tool (MCP 2026-07-28)" in result.stdout


def test_an_invalid_definition_exits_1_with_pointers(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": 5})
    result = runner.invoke(app, ["validate", path, "-r", "2025-11-25", "--def", "Tool"])
    assert result.exit_code == 1
    assert "/name: 5 is not of type" in result.stdout and "-32602" in result.stdout
    as_json = runner.invoke(app, ["validate", path, "-r", "2025-11-25", "--def", "Tool", "--json"])
    data = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and data["valid"] is False
    assert {"pointer": "/name", "message": '5 is not of type "string"'} in data["problems"]


def test_an_official_message_is_valid() -> None:
    result = runner.invoke(
        app, ["validate", str(EXAMPLE), "-r", "2026-07-28", "--message", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"] == "request tools/call (CallToolRequest)"


def test_message_errors_carry_the_json_rpc_code(tmp_path: Path) -> None:
    frame = {"jsonrpc": "2.0", "id": 1.5, "method": "tools/list"}
    result = runner.invoke(
        app, ["validate", write(tmp_path, frame), "-r", "2025-11-25", "--message", "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == -32600
    broken = runner.invoke(app, ["validate", write(tmp_path, "{"), "-r", "2025-11-25", "--message"])
    assert broken.exit_code == 1 and "-32700" in broken.stdout


def test_usage_and_input_errors_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, {})
    cases = [
        ["validate", path, "-r", "2026-07-28"],  # neither --def nor --message
        ["validate", path, "-r", "2026-07-28", "--def", "Tool", "--message"],
        ["validate", path, "-r", "1999-01-01", "--def", "Tool"],
        ["validate", path, "-r", "2026-07-28", "--def", "NoSuchThing"],
        ["validate", str(tmp_path / "missing.json"), "-r", "2026-07-28", "--message"],
        ["validate", path, "-r", "2026-07-28", "--message", "--sender", "proxy"],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_def_mode_gives_the_schema_verdict(tmp_path: Path) -> None:
    # 3.0 is an integer for JSON Schema (the strict models alone would refuse it).
    params = write(tmp_path, {"progressToken": 3.0, "progress": 1})
    args = ["validate", params, "-r", "2025-11-25", "--def", "ProgressNotificationParams"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    broken = runner.invoke(
        app, ["validate", write(tmp_path, "{"), "-r", "2025-11-25", "--def", "Tool"]
    )
    assert broken.exit_code == 1 and "-32700" in broken.stdout


def test_the_runtime_has_its_own_validate_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(tmp_path, {"name": 5})
    command = [sys.executable, "-m", "mcp_spec", "validate", path, "-r", "latest", "--def", "Tool"]
    invalid = subprocess.run(command, capture_output=True, text=True, check=False)
    assert invalid.returncode == 1 and "/name: 5 is not of type" in invalid.stdout
    valid = subprocess.run(
        [*command[:4], str(EXAMPLE), "-r", "2026-07-28", "--message", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert valid.returncode == 0, valid.stderr
    assert json.loads(valid.stdout)["target"] == "request tools/call (CallToolRequest)"
    unknown = subprocess.run(
        [*command[:4], path, "-r", "1999-01-01", "--def", "Tool", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        unknown.returncode == 2 and "1999-01-01" in json.loads(unknown.stdout)["error"]["message"]
    )
