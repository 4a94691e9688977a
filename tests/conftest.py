"""Shared fixtures: where the official schema files and examples are (never copied here)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path(os.environ.get("MCP_SPEC_SOURCE") or REPO.parent / "shared" / "mcp-spec")
if not SOURCE.is_absolute():
    SOURCE = (REPO / SOURCE).resolve()

REVISIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "draft")
MODULES = {rev: rev if rev == "draft" else "v" + rev.replace("-", "_") for rev in REVISIONS}
EXAMPLE_REVISIONS = ("2026-07-28", "draft")


def example_files() -> list[Path]:
    files: list[Path] = []
    for revision in EXAMPLE_REVISIONS:
        files.extend(sorted((SOURCE / "schema" / revision / "examples").glob("*/*.json")))
    return files


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def source() -> Path:
    assert (SOURCE / "schema").is_dir(), f"schema source {SOURCE} not found (MCP_SPEC_SOURCE)"
    return SOURCE
