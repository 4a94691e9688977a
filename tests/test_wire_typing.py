"""The wire types as a type checker sees them: tests/typing/wire_usage.py (typical SDK code on
`mcp_spec.<revision>.wire`) under the consumer test's pyright configuration (strict;
an unnecessary `# pyright: ignore` is an error, so the line that must be flagged fails the
test once it is not). Every `assert_type` must hold and nothing may be reported."""

from __future__ import annotations

from .test_typing import TYPING, pyright_report

USAGE = TYPING / "wire_usage.py"


def test_wire_usage_type_checks_and_mistakes_are_flagged() -> None:
    report = pyright_report(USAGE)
    problems = [
        f"{item['range']['start']['line'] + 1}: {item['message']}"
        for item in report["generalDiagnostics"]
    ]
    assert problems == [], problems
