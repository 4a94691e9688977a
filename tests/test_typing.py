"""The consumer typing test: tests/typing/consumer.py (typical SDK code) under pyright strict
with `reportDeprecated` on. Every `assert_type` must hold, every line marked
`# expect: <rule>` must be reported with that rule, and nothing else may be reported, so the
test fails when the static types regress (an `Any`, a lost overload, a lost deprecation)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from .conftest import REPO

TYPING = REPO / "tests" / "typing"
CONSUMER = TYPING / "consumer.py"
PYRIGHT = Path(sys.executable).with_name("pyright")
EXPECT = re.compile(r"#\s*expect:\s*(\w+)\s*$")


def expected_reports() -> set[tuple[int, str]]:
    lines = CONSUMER.read_text(encoding="utf-8").splitlines()
    return {
        (number, match.group(1))
        for number, line in enumerate(lines, start=1)
        if (match := EXPECT.search(line))
    }


def test_the_consumer_file_has_expectations() -> None:
    rules = {rule for _, rule in expected_reports()}
    assert rules == {"reportDeprecated"} and len(expected_reports()) >= 4


def pyright_report(*files: Path) -> dict[str, Any]:
    """pyright's JSON report under the consumer configuration (its own files, or `files`);
    it must have analysed exactly one file."""
    completed = subprocess.run(
        [str(PYRIGHT), "--outputjson", "-p", str(TYPING / "pyrightconfig.json"), *map(str, files)],
        cwd=TYPING,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    assert report["summary"]["filesAnalyzed"] == 1, completed.stdout[-2000:]
    return report


def test_consumer_code_type_checks_as_expected() -> None:
    report = pyright_report()
    found = {
        (diagnostic["range"]["start"]["line"] + 1, diagnostic.get("rule", diagnostic["message"]))
        for diagnostic in report["generalDiagnostics"]
        if diagnostic["severity"] in ("error", "warning")
    }
    messages = [
        f"{d['range']['start']['line'] + 1}: {d['message']}" for d in report["generalDiagnostics"]
    ]
    assert found == expected_reports(), "\n".join(messages)


def test_consumer_code_runs() -> None:
    sys.path.insert(0, str(TYPING))
    try:
        import consumer  # pyright: ignore[reportMissingImports]

        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # main uses nothing deprecated
            consumer.main()
    finally:
        sys.path.remove(str(TYPING))
        sys.modules.pop("consumer", None)
