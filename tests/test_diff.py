"""`mcp-spec diff`: snapshot of 2025-11-25 -> 2026-07-28 and the JSON form."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mcp_spec_gen.cli import app

from .conftest import REPO

runner = CliRunner()
SNAPSHOT = REPO / "tests" / "snapshots" / "diff_2025-11-25_2026-07-28.md"


def test_markdown_matches_the_snapshot() -> None:
    result = runner.invoke(app, ["diff", "2025-11-25", "2026-07-28"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SNAPSHOT.read_text(encoding="utf-8")


def test_json_counts_42_added_and_32_removed() -> None:
    result = runner.invoke(app, ["diff", "2025-11-25", "2026-07-28", "--json"])
    data = json.loads(result.stdout)
    assert len(data["added"]) == 42 and len(data["removed"]) == 32
    assert "server/discover" in data["methods_added"]
    assert "initialize" in data["methods_removed"]
    assert "Root" in data["deprecated"] and "Root" not in data["added"]
    changes = {item["field"]: item["change"] for item in data["changed"]["CallToolRequestParams"]}
    assert changes["_meta"] == "became required" or "_meta" in changes


def test_identical_revisions_differ_in_nothing() -> None:
    data = json.loads(runner.invoke(app, ["diff", "2026-07-28", "draft", "--json"]).stdout)
    assert data["added"] == data["removed"] == data["methods_added"] == []
    assert data["changed"] == {}


def test_unknown_revision_is_a_clear_error() -> None:
    result = runner.invoke(app, ["diff", "2025-11-25", "2099"])
    assert result.exit_code == 2
    assert "unknown revision '2099'" in result.stderr and "Traceback" not in result.stderr
