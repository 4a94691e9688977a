"""A scripted MCP client for the integration tests: drives a server over stdio (usually
`mcp-spec proxy -- SERVER`) in either era and answers the server's own requests."""

from __future__ import annotations

import json
import select
import subprocess
import time
from typing import Any

PV = "io.modelcontextprotocol/protocolVersion"
MODERN_META = {
    PV: "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "mcp-spec-tests", "version": "1"},
}
LEGACY_CAPABILITIES = {"roots": {"listChanged": True}, "sampling": {}, "elicitation": {}}
TIMEOUT = 60.0


class ScriptedClient:
    def __init__(self, command: list[str], *, modern: bool, stderr: Any = None) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        self.modern = modern
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []
        self._buffer = b""

    def send(self, frame: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(frame).encode() + b"\n")
        self.process.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + TIMEOUT
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError(f"no frame from the server within {TIMEOUT} s")
            chunk = self.process.stdout.read1(65536)  # type: ignore[attr-defined]
            if not chunk:
                raise EOFError("the server closed its output")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def request(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        meta: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send a request (with the modern `_meta` when modern) and return its response,
        answering server requests and collecting notifications meanwhile."""
        self.next_id += 1
        frame: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        body = dict(params or {})
        combined = {**(MODERN_META if self.modern else {}), **(meta or {})}
        if combined:
            body["_meta"] = combined
        if body:
            frame["params"] = body
        self.send(frame)
        while True:
            message = self._read()
            if "method" not in message and message.get("id") == self.next_id:
                return message
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            elif "method" in message:
                self.notifications.append(message)

    @staticmethod
    def _answer(request: dict[str, Any]) -> dict[str, Any]:
        method = request["method"]
        if method == "roots/list":
            return {"roots": [{"uri": "file:///tmp", "name": "tmp"}]}
        if method == "sampling/createMessage":
            return {
                "role": "assistant",
                "content": {"type": "text", "text": "a sampled reply"},
                "model": "test-model",
            }
        if method == "elicitation/create":
            return {"action": "decline"}
        return {}

    def initialize(self, version: str = "2025-11-25") -> dict[str, Any]:
        response = self.request(
            "initialize",
            {
                "protocolVersion": version,
                "capabilities": LEGACY_CAPABILITIES,
                "clientInfo": {"name": "mcp-spec-tests", "version": "1"},
            },
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return response

    def close(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()
