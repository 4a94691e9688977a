"""Session checking and `mcp-spec proxy` relay overhead (`python -m benchmarks.session`).

- Checker throughput, CPU time (`time.thread_time`): a `Session` after the handshake (legacy
  2025-11-25) or `server/discover` (modern 2026-07-28) and a 100-tool `tools/list`, fed
  tools/call requests and their results as bytes (each call's arguments and structured content
  checked against the tool's schemas). The floor is `validate_message` on the same frames
  (frame-level checks only). Repeats interleave session and floor; medians are reported.
- Relay latency, wall clock (latency is waiting, not CPU): one client does round trips
  (a tools/call request out, a tools/call result back) with a tiny responder server, directly
  and through `mcp-spec proxy`, in interleaved batches. Each round trip crosses the proxy
  twice, so the added latency per frame is half the difference of the medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .messages import MODERN, request_meta, tools_list_result

LEGACY = "2025-11-25"
CALLS = 1000  # request/result pairs per timed repeat
REPEATS = 9
ROUND_TRIPS = 100  # per relay batch
BATCHES = 20
MIN_FRAMES_PER_SECOND = 20_000
MAX_ADDED_MICROS = 50.0

RESPONDER = r"""
import json, os, sys
init = {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
        "serverInfo": {"name": "responder", "version": "1"}}
content = {"content": [{"type": "text", "text": "found 1"}],
           "structuredContent": {"items": [{"id": "1", "title": "Crash on start"}]}}
pending = b""
while True:
    chunk = os.read(0, 65536)
    if not chunk:
        break
    pending += chunk
    *lines, pending = pending.split(b"\n")
    out = []
    for line in lines:
        message = json.loads(line)
        if "id" not in message:
            continue
        body = init if message["method"] == "initialize" else content
        out.append(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": body}))
    if out:
        os.write(1, ("\n".join(out) + "\n").encode())
"""


def _call(revision: str, number: int) -> bytes:
    frame = {
        "jsonrpc": "2.0",
        "id": number,
        "method": "tools/call",
        "params": {
            "_meta": request_meta(revision),
            "name": "get_search_005",  # listed by tools_list_result
            "arguments": {"query": "label:bug is:open", "limit": 25},
        },
    }
    return json.dumps(frame).encode()


def _call_result(revision: str, number: int) -> bytes:
    body: dict[str, Any] = {
        "content": [{"type": "text", "text": "found 2"}],
        "structuredContent": {
            "items": [
                {"id": "1", "title": "Crash on start", "url": "https://example.com/1"},
                {"id": "2", "title": "Slow search"},
            ]
        },
    }
    if revision == MODERN:
        body["resultType"] = "complete"
    return json.dumps({"jsonrpc": "2.0", "id": number, "result": body}).encode()


def _opening(revision: str) -> list[tuple[str, Any]]:
    meta = {key: value for key, value in request_meta(revision).items() if key != "progressToken"}
    if revision == MODERN:
        discover_result = {
            "resultType": "complete",
            "supportedVersions": [MODERN],
            "capabilities": {"tools": {}},
            "cacheScope": "public",
            "ttlMs": 0,
        }
        opening: list[tuple[str, Any]] = [
            (
                "client",
                {
                    "jsonrpc": "2.0",
                    "id": "d",
                    "method": "server/discover",
                    "params": {"_meta": meta},
                },
            ),
            ("server", {"jsonrpc": "2.0", "id": "d", "result": discover_result}),
        ]
    else:
        opening = [
            (
                "client",
                {
                    "jsonrpc": "2.0",
                    "id": "i",
                    "method": "initialize",
                    "params": {
                        "protocolVersion": LEGACY,
                        "capabilities": {},
                        "clientInfo": {"name": "bench", "version": "1"},
                    },
                },
            ),
            (
                "server",
                {
                    "jsonrpc": "2.0",
                    "id": "i",
                    "result": {
                        "protocolVersion": LEGACY,
                        "capabilities": {"tools": {}},
                        "serverInfo": {"name": "bench", "version": "1"},
                    },
                },
            ),
            ("client", {"jsonrpc": "2.0", "method": "notifications/initialized"}),
        ]
    list_params: dict[str, Any] = {"_meta": meta} if revision == MODERN else {}
    return [
        *opening,
        ("client", {"jsonrpc": "2.0", "id": "l", "method": "tools/list", "params": list_params}),
        ("server", {"jsonrpc": "2.0", "id": "l", "result": tools_list_result(revision)}),
    ]


def checker_throughput(revision: str) -> tuple[float, float, int]:
    """(session seconds per frame, floor seconds per frame, findings) as CPU medians."""
    from mcp_spec.messages import validate_message
    from mcp_spec.session import Session

    frames = [
        frame
        for number in range(CALLS)
        for frame in (
            ("client", _call(revision, number)),
            ("server", _call_result(revision, number)),
        )
    ]

    def session_run() -> tuple[float, int]:
        session = Session()
        for sender, frame in _opening(revision):
            session.feed(sender, frame)  # pyright: ignore[reportArgumentType]
        findings = 0
        start = time.thread_time()
        for sender, frame in frames:
            findings += len(session.feed(sender, frame))  # pyright: ignore[reportArgumentType]
        return time.thread_time() - start, findings

    def floor_run() -> float:
        start = time.thread_time()
        for sender, frame in frames:
            if sender == "client":
                validate_message(revision, frame, sender="client")
            else:
                validate_message(revision, frame, sender="server", request_method="tools/call")
        return time.thread_time() - start

    session_run()
    floor_run()  # warm up: compile validators and tool schemas
    session_times: list[float] = []
    floor_times: list[float] = []
    findings = 0
    for _ in range(REPEATS):
        elapsed, findings = session_run()
        session_times.append(elapsed)
        floor_times.append(floor_run())
    count = len(frames)
    return (
        statistics.median(session_times) / count,
        statistics.median(floor_times) / count,
        findings,
    )


class _Pipeline:
    """One client end of a server process; `round_trip` sends a frame and waits for its reply."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in = self.process.stdin.fileno()
        self._out = self.process.stdout.fileno()
        self._pending = b""

    def send(self, frame: bytes) -> None:
        os.write(self._in, frame + b"\n")

    def round_trip(self, frame: bytes) -> float:
        start = time.perf_counter()
        self.send(frame)
        while b"\n" not in self._pending:
            self._pending += os.read(self._out, 65536)
        _, self._pending = self._pending.split(b"\n", 1)
        return time.perf_counter() - start

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


RELAY_ONLY = (
    "import sys\n"
    "from mcp_spec_gen.proxy import ProxyOptions, run_proxy\n"
    "sys.exit(run_proxy(ProxyOptions(command=sys.argv[1:], check=False)))\n"
)


def relay_latency() -> dict[str, float]:
    """Median round trip (seconds) directly, through a relay-only proxy (the same relay
    threads, nothing checked) and through `mcp-spec proxy`."""
    with tempfile.TemporaryDirectory() as scratch:
        responder = Path(scratch) / "responder.py"
        responder.write_text(RESPONDER)
        server = [sys.executable, str(responder)]
        pipelines = {
            "direct": _Pipeline(server),
            "relay only": _Pipeline([sys.executable, "-c", RELAY_ONLY, *server]),
            "mcp-spec proxy": _Pipeline(
                [sys.executable, "-m", "mcp_spec_gen.cli", "proxy", "--", *server]
            ),
        }
        opening = [
            json.dumps(frame).encode()
            for sender, frame in _opening(LEGACY)[:3]
            if sender == "client" and "id" in frame
        ]
        for pipeline in pipelines.values():
            for frame in opening:
                pipeline.round_trip(frame)
            pipeline.send(b'{"jsonrpc": "2.0", "method": "notifications/initialized"}')
        samples: dict[str, list[float]] = {name: [] for name in pipelines}
        number = 0
        for _ in range(BATCHES):
            for name, pipeline in pipelines.items():
                for _ in range(ROUND_TRIPS):
                    number += 1
                    samples[name].append(pipeline.round_trip(_call(LEGACY, number)))
        for pipeline in pipelines.values():
            pipeline.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def _verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


def main(
    console: Console, measure: Callable[[str], tuple[float, float, int]] = checker_throughput
) -> None:
    table = Table(
        title=f"session checking (CPU, median of {REPEATS} interleaved repeats, "
        f"{2 * CALLS} tools/call frames each)"
    )
    for column in ("revision", "µs/frame", "frames/s", "floor µs/frame", "ratio", "goal"):
        table.add_column(column, justify="left" if column == "revision" else "right")
    for revision in (LEGACY, MODERN):
        per_frame, floor, findings = measure(revision)
        rate = 1 / per_frame
        table.add_row(
            revision + (f" ({findings} findings!)" if findings else ""),
            f"{per_frame * 1e6:.1f}",
            f"{rate:,.0f}",
            f"{floor * 1e6:.1f}",
            f"{per_frame / floor:.2f}x",
            f">= {MIN_FRAMES_PER_SECOND:,}/s {_verdict(rate >= MIN_FRAMES_PER_SECOND)}",
        )
    console.print(table)
    medians = relay_latency()
    direct = medians["direct"]
    table = Table(
        title=f"mcp-spec proxy relay (wall clock, median of {BATCHES * ROUND_TRIPS} "
        "round trips each, interleaved batches)"
    )
    for column in ("path", "µs/round trip", "added µs/frame", "goal"):
        table.add_column(column, justify="left" if column == "path" else "right")
    table.add_row("direct", f"{direct * 1e6:.1f}", "-", "-")
    for name in ("relay only", "mcp-spec proxy"):
        added = (medians[name] - direct) / 2 * 1e6
        goal = f"<= {MAX_ADDED_MICROS:.0f} µs {_verdict(added <= MAX_ADDED_MICROS)}"
        table.add_row(
            name,
            f"{medians[name] * 1e6:.1f}",
            f"{added:.1f}",
            goal if name != "relay only" else "-",
        )
    console.print(table)


if __name__ == "__main__":
    main(Console())
