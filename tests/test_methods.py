"""Method tables and the version registry, checked against the facts of each revision."""

from __future__ import annotations

import importlib
import subprocess
import sys
from types import ModuleType

import pytest

from mcp_spec.errors import UnknownVersionError
from mcp_spec.versions import (
    KNOWN_VERSIONS,
    LATEST,
    Era,
    compare,
    era_of,
    is_at_least,
    methods_for,
    models_for,
    module_name,
)

from .conftest import MODULES, REVISIONS

LEGACY_REQUESTS = {
    "initialize",
    "ping",
    "completion/complete",
    "logging/setLevel",
    "prompts/get",
    "prompts/list",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "tools/call",
    "tools/list",
    "sampling/createMessage",
    "roots/list",
}
LEGACY_NOTIFICATIONS = {
    "notifications/cancelled",
    "notifications/progress",
    "notifications/initialized",
    "notifications/roots/list_changed",
    "notifications/message",
    "notifications/prompts/list_changed",
    "notifications/resources/list_changed",
    "notifications/resources/updated",
    "notifications/tools/list_changed",
}
TASKS = {"tasks/get", "tasks/result", "tasks/list", "tasks/cancel"}


def table(rev: str) -> ModuleType:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.methods")


def names(rev: str, kind: str) -> set[str]:
    return {row.method for row in table(rev).METHODS.values() if row.kind == kind}


def sender(rev: str, method: str) -> str:
    return table(rev).METHODS[method].sender


@pytest.mark.parametrize("rev", ["2024-11-05", "2025-03-26"])
def test_early_revisions_have_15_requests_and_9_notifications(rev: str) -> None:
    assert names(rev, "request") == LEGACY_REQUESTS
    assert names(rev, "notification") == LEGACY_NOTIFICATIONS


def test_2025_06_18_adds_elicitation_create_from_the_server() -> None:
    assert names("2025-06-18", "request") == LEGACY_REQUESTS | {"elicitation/create"}
    assert sender("2025-06-18", "elicitation/create") == "server"
    assert names("2025-06-18", "notification") == LEGACY_NOTIFICATIONS


def test_2025_11_25_adds_tasks_and_elicitation_complete() -> None:
    assert names("2025-11-25", "request") == LEGACY_REQUESTS | {"elicitation/create"} | TASKS
    assert all(sender("2025-11-25", method) == "both" for method in TASKS)
    assert names("2025-11-25", "notification") == LEGACY_NOTIFICATIONS | {
        "notifications/tasks/status",
        "notifications/elicitation/complete",
    }
    assert sender("2025-11-25", "notifications/tasks/status") == "both"
    assert sender("2025-11-25", "notifications/elicitation/complete") == "server"


@pytest.mark.parametrize("rev", ["2026-07-28", "draft"])
def test_modern_revision_adds_and_removes(rev: str) -> None:
    before = names("2025-11-25", "request") | names("2025-11-25", "notification")
    now = names(rev, "request") | names(rev, "notification")
    assert now - before == {
        "server/discover",
        "subscriptions/listen",
        "notifications/subscriptions/acknowledged",
    }
    assert before - now == {
        "initialize",
        "ping",
        "logging/setLevel",
        "resources/subscribe",
        "resources/unsubscribe",
        *TASKS,
        "notifications/initialized",
        "notifications/roots/list_changed",
        "notifications/tasks/status",
        "notifications/elicitation/complete",
    }
    assert sender(rev, "notifications/progress") == "server"
    for method in ("sampling/createMessage", "elicitation/create", "roots/list"):
        assert sender(rev, method) == "input_request"
    assert table(rev).METHODS["tools/call"].result_types == (
        "InputRequiredResult",
        "CallToolResult",
    )


def test_empty_result_exceptions_are_declared_as_data() -> None:
    for method in ("ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"):
        assert table("2025-11-25").METHODS[method].result_types == ("EmptyResult",)


@pytest.mark.parametrize("rev", REVISIONS)
def test_every_row_names_types_that_exist_in_the_models(rev: str) -> None:
    module = table(rev)
    for row in module.METHODS.values():
        for type_name in (row.message_type, row.params_type, *row.result_types):
            if type_name is not None:
                assert module.model_of(type_name) is not None, (rev, row.method, type_name)
        assert row.era == ("modern" if rev in ("2026-07-28", "draft") else "legacy")


def test_deprecated_rows_in_2026_07_28_only() -> None:
    deprecated = {row.method for row in table("2026-07-28").METHODS.values() if row.deprecated}
    assert deprecated == {"roots/list", "sampling/createMessage", "notifications/message"}
    assert not any(row.deprecated for row in table("2025-11-25").METHODS.values())


def test_name_header_fields_are_derived_and_modern_only() -> None:
    assert dict(table("2026-07-28").NAME_HEADER_FIELDS) == {
        "tools/call": "name",
        "prompts/get": "name",
        "resources/read": "uri",
    }
    assert dict(table("2025-11-25").NAME_HEADER_FIELDS) == {}


def test_importing_a_table_builds_no_other_revision() -> None:
    code = (
        "import sys, mcp_spec.v2025_11_25.methods as m; m.lookup('ping'); "
        "print(sorted({n.split('.')[1] for n in sys.modules if n.startswith('mcp_spec.v')}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['v2025_11_25']"


def test_version_registry() -> None:
    assert KNOWN_VERSIONS == ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28")
    assert LATEST == "2026-07-28"
    assert era_of("2025-11-25") is Era.LEGACY and era_of("2026-07-28") is Era.MODERN
    assert era_of("draft") is Era.MODERN
    assert compare("2025-03-26", "2025-11-25") == -1 and compare("draft", LATEST) == 1
    assert is_at_least("2026-07-28", "2025-06-18")
    assert module_name("2026-07-28") == "v2026_07_28"
    assert models_for("2025-06-18").__name__ == "mcp_spec.v2025_06_18.models"
    assert methods_for("draft").lookup("tools/call") is not None
    with pytest.raises(UnknownVersionError, match=r"'1999-01-01'; known: 2024-11-05, .*draft"):
        era_of("1999-01-01")
