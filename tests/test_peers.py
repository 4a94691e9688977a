"""Real, unmodified MCP servers from the registries, driven through `mcp-spec proxy`.

- the TypeScript reference server `@modelcontextprotocol/server-everything` (npm, run by node),
  legacy era (it speaks 2025-11-25 and older);
- a python-sdk 2.x server (`mcp` on PyPI, tests/peers/python_sdk_server.py), dual-era: driven
  once with `initialize` and once with modern per-request `_meta`.

Each is installed on first use into the git-ignored .cache/peers (npm into its own prefix, the
python-sdk into its own virtual environment, so neither touches our dependencies). When node or
npm is missing, or an install fails, the tests are skipped with the reason (pytest -ra shows it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO
from .peers.client import ScriptedClient

PEERS = REPO / ".cache" / "peers"
EVERYTHING_VERSION = "2026.8.31"
MCP_VERSION = "2.3.0"
INSTALL_TIMEOUT = 600
PYTHON_SERVER = Path(__file__).parent / "peers" / "python_sdk_server.py"


def _install(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot install {what}: {exc}")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        pytest.skip(f"cannot install {what} ({' '.join(command[:3])}...): {' | '.join(tail)}")


@pytest.fixture(scope="session")
def everything_server() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run @modelcontextprotocol/server-everything")
    prefix = PEERS / f"server-everything-{EVERYTHING_VERSION}"
    entry = prefix / "node_modules/@modelcontextprotocol/server-everything/dist/index.js"
    if not entry.exists():
        _install(
            [
                npm,
                "install",
                "--prefix",
                str(prefix),
                "--no-audit",
                "--no-fund",
                f"@modelcontextprotocol/server-everything@{EVERYTHING_VERSION}",
            ],
            f"@modelcontextprotocol/server-everything@{EVERYTHING_VERSION}",
        )
    return [node, str(entry), "stdio"]


@pytest.fixture(scope="session")
def python_sdk_server() -> list[str]:
    venv = PEERS / f"python-sdk-{MCP_VERSION}"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        _install([sys.executable, "-m", "venv", "--clear", str(venv)], "a virtual environment")
        _install(
            [str(python), "-m", "pip", "install", "-q", f"mcp=={MCP_VERSION}"],
            f"mcp=={MCP_VERSION}",
        )
        marker.touch()
    return [str(python), str(PYTHON_SERVER)]


class Run:
    """One proxied connection: the client, and the proxy's report and transcript."""

    def __init__(self, server: list[str], tmp_path: Path, *, modern: bool) -> None:
        self.report = tmp_path / "report.jsonl"
        self.record = tmp_path / "transcript.jsonl"
        self.client = ScriptedClient(
            [
                sys.executable,
                "-m",
                "mcp_spec_gen.cli",
                "proxy",
                "--report",
                str(self.report),
                "--record",
                str(self.record),
                "--",
                *server,
            ],
            modern=modern,
            stderr=subprocess.DEVNULL,
        )

    def findings(self) -> list[dict[str, Any]]:
        assert self.client.close() == 0
        return [json.loads(line) for line in self.report.read_text().splitlines()]


@pytest.fixture
def run_factory(tmp_path: Path) -> Iterator[Any]:
    runs: list[Run] = []

    def make(server: list[str], *, modern: bool = False) -> Run:
        run = Run(server, tmp_path / str(len(runs)), modern=modern)
        (tmp_path / str(len(runs))).mkdir()
        runs.append(run)
        return run

    yield make
    for run in runs:
        if run.client.process.poll() is None:
            run.client.process.kill()
            run.client.process.wait()


# Arguments that satisfy each tool's inputSchema (server-everything 2026.8.31); tools not
# here take none. gzip-file-as-resource is left out: it fetches a URL.
EVERYTHING_ARGUMENTS: dict[str, dict[str, Any]] = {
    "echo": {"message": "hello"},
    "get-sum": {"a": 1, "b": 2},
    "get-annotated-message": {"messageType": "success", "includeImage": True},
    "get-structured-content": {"location": "Chicago"},
    "get-resource-links": {"count": 2},
    "get-resource-reference": {"resourceType": "Text", "resourceId": 1},
    "trigger-long-running-operation": {"duration": 0.3, "steps": 3},
    "trigger-sampling-request": {"prompt": "hi", "maxTokens": 10},
    "simulate-research-query": {"topic": "mcp"},
}


def drive_everything(client: ScriptedClient) -> None:
    tools = client.request("tools/list")["result"]["tools"]
    for tool in tools:
        if tool["name"] == "gzip-file-as-resource":
            continue
        response = client.request(
            "tools/call",
            {"name": tool["name"], "arguments": EVERYTHING_ARGUMENTS.get(tool["name"], {})},
            meta={"progressToken": f"progress-{tool['name']}"},
        )
        assert "result" in response, (tool["name"], response)
    prompts = client.request("prompts/list")["result"]["prompts"]
    assert prompts
    simple = next(p for p in prompts if not p.get("arguments"))
    assert "result" in client.request("prompts/get", {"name": simple["name"]})
    resources = client.request("resources/list")["result"]["resources"]
    uri = resources[0]["uri"]
    assert "result" in client.request("resources/read", {"uri": uri})
    assert "result" in client.request("resources/subscribe", {"uri": uri})
    assert "result" in client.request("resources/unsubscribe", {"uri": uri})
    assert "result" in client.request("resources/templates/list")
    assert "result" in client.request("logging/setLevel", {"level": "info"})
    assert "result" in client.request("ping")


def errors(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [finding for finding in findings if finding["severity"] == "error"]


def test_everything_server_legacy_session_is_clean(
    everything_server: list[str], run_factory: Any
) -> None:
    run = run_factory(everything_server)
    assert run.client.initialize()["result"]["protocolVersion"] == "2025-11-25"
    drive_everything(run.client)
    assert run.findings() == []
    # The server really did use the session-level features the checks follow.
    methods = {n["method"] for n in run.client.notifications}
    assert "notifications/progress" in methods
    transcript = run.record.read_text()
    for used in ("sampling/createMessage", "elicitation/create", "roots/list"):
        assert used in transcript


def test_everything_server_in_an_older_revision(
    everything_server: list[str], run_factory: Any
) -> None:
    """What frames alone cannot show: with 2025-03-26 negotiated, the server sends
    `elicitation/create` (added in 2025-06-18) and `resource_link` content (2025-06-18)."""
    run = run_factory(everything_server)
    assert run.client.initialize("2025-03-26")["result"]["protocolVersion"] == "2025-03-26"
    drive_everything(run.client)
    found = {(f["code"], f["sender"], f["pointer"]) for f in errors(run.findings())}
    assert ("method-not-in-revision", "server", "/method") in found
    assert any(
        code == "schema-violation" and pointer.startswith("/result/content/")
        for code, _, pointer in found
    )
    assert all(sender == "server" for _, sender, _ in found)


def test_everything_server_client_mistakes_are_reported(
    everything_server: list[str], run_factory: Any
) -> None:
    run = run_factory(everything_server)
    run.client.initialize()
    run.client.request("tools/list")
    run.client.request("tools/call", {"name": "get-sum", "arguments": {"a": "one", "b": 2}})
    run.client.request("tools/call", {"name": "no-such-tool", "arguments": {}})
    codes = {(f["code"], f["pointer"]) for f in run.findings()}
    assert ("tool-arguments-invalid", "/params/arguments/a") in codes
    assert ("tool-not-listed", "/params/name") in codes


def drive_python_server(client: ScriptedClient) -> None:
    tools = {tool["name"]: tool for tool in client.request("tools/list")["result"]["tools"]}
    assert "outputSchema" in tools["weather"]
    for name, arguments in (("add", {"a": 1, "b": 2}), ("weather", {"city": "Oslo"})):
        response = client.request("tools/call", {"name": name, "arguments": arguments})
        assert "structuredContent" in response["result"]
    client.request(
        "tools/call", {"name": "count", "arguments": {"steps": 3}}, meta={"progressToken": "p"}
    )
    assert [n["params"]["progress"] for n in client.notifications] == [1, 2, 3]
    assert "result" in client.request("resources/read", {"uri": "memo://greeting"})
    assert "result" in client.request("prompts/get", {"name": "review", "arguments": {"code": "x"}})


def test_python_sdk_server_legacy_session_is_clean(
    python_sdk_server: list[str], run_factory: Any
) -> None:
    run = run_factory(python_sdk_server)
    assert run.client.initialize()["result"]["protocolVersion"] == "2025-11-25"
    drive_python_server(run.client)
    assert run.findings() == []


def test_python_sdk_server_modern_session_is_clean(
    python_sdk_server: list[str], run_factory: Any
) -> None:
    run = run_factory(python_sdk_server, modern=True)
    discovered = run.client.request("server/discover")["result"]
    assert "2026-07-28" in discovered["supportedVersions"]
    drive_python_server(run.client)
    # An unknown version: the server must refuse it with UnsupportedProtocolVersionError,
    # whose shape the session checks; the request itself can only be flagged as unknown.
    refused = run.client.request(
        "tools/list", meta={"io.modelcontextprotocol/protocolVersion": "2099-01-01"}
    )
    assert refused["error"]["code"] == -32022
    findings = run.findings()
    assert [(f["code"], f["severity"]) for f in findings] == [
        ("unknown-protocol-version", "warning")
    ]
