"""The wire types as a type checker sees them: typical SDK code checked by pyright strict."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

USAGE = REPO / "tests" / "typing" / "wire_usage.py"


def test_wire_usage_type_checks_and_mistakes_are_flagged(tmp_path: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if pyright is None:
        pytest.fail("pyright is not installed next to the interpreter (pip install -e '.[dev]')")
    config = {
        "include": [str(USAGE)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "venvPath": str(REPO),
        "venv": ".venv",
        "reportMissingModuleSource": False,
        # The line that must be an error carries an ignore: were it no longer an error, the
        # ignore would be unnecessary, which fails the check.
        "reportUnnecessaryTypeIgnoreComment": "error",
    }
    config_file = tmp_path / "pyrightconfig.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    out = subprocess.run(
        [pyright, "-p", str(config_file), "--outputjson", str(USAGE)],
        capture_output=True,
        text=True,
    )
    report = json.loads(out.stdout)
    problems = [
        f"{item['range']['start']['line'] + 1}: {item['message']}"
        for item in report["generalDiagnostics"]
    ]
    assert problems == [], problems
    assert report["summary"]["filesAnalyzed"] == 1
