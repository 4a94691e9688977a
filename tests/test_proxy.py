"""`mcp-spec proxy` and `mcp-spec check-log` against small fake servers (no installs): the
relay is byte for byte, huge frames are relayed but not kept, exit codes and transcripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mcp_spec_gen.proxy import FrameQueue, FrameSplitter

PROXY = [sys.executable, "-m", "mcp_spec_gen.cli", "proxy"]
CHECK_LOG = [sys.executable, "-m", "mcp_spec_gen.cli", "check-log"]
# Echoes every byte it reads (so the client's frames come back as if the server sent them).
ECHO = "import os\nwhile chunk := os.read(0, 65536):\n    os.write(1, chunk)\n"
# Answers each request with an empty result (an initialize gets a proper one).
RESPONDER = """
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if "id" not in message:
        continue
    result = {}
    if message["method"] == "initialize":
        result = {"protocolVersion": "2025-11-25", "capabilities": {},
                  "serverInfo": {"name": "fake", "version": "1"}}
    print(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}), flush=True)
"""
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


def findings(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def proxy(
    server: str, stdin: bytes, tmp_path: Path, *options: str
) -> tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]]:
    report = tmp_path / "report.jsonl"
    script = tmp_path / "server.py"
    script.write_text(server)
    done = subprocess.run(
        [*PROXY, "--report", str(report), *options, "--", sys.executable, str(script)],
        input=stdin,
        capture_output=True,
        timeout=120,
    )
    return done, findings(report)


def test_relay_is_byte_for_byte_and_huge_frames_are_not_kept(tmp_path: Path) -> None:
    huge = b'{"jsonrpc": "2.0", "id": 2, "method": "ping", "pad": "' + b"x" * 300_000 + b'"}'
    stdin = (
        json.dumps(INITIALIZE).encode()
        + b"\r\n"
        + b"this is not json\n"
        + huge
        + b"\n\n"
        + b'{"jsonrpc": "2.0", "id": 3, "method": "ping"}'  # no final newline
    )
    done, found = proxy(ECHO, stdin, tmp_path, "--max-frame-bytes", "100000")
    assert done.stdout == stdin
    by_code = {(f["code"], f["sender"]) for f in found}
    assert ("frame-not-checked", "client") in by_code
    assert ("frame-not-checked", "server") in by_code
    assert ("invalid-json", "client") in by_code
    skipped = next(f for f in found if f["code"] == "frame-not-checked")
    assert str(len(huge)) in skipped["message"]
    assert b"frame-not-checked" in done.stderr


def test_strict_exit_code(tmp_path: Path) -> None:
    # --revision: the conversation is checked as if the handshake was done (stdin is sent at
    # once, so a scripted initialize could not wait for its result).
    clean = (
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}\n'
        b'{"jsonrpc": "2.0", "id": 2, "method": "ping"}\n'
    )
    done, found = proxy(RESPONDER, clean, tmp_path, "--strict", "--revision", "2025-11-25")
    assert (done.returncode, found) == (0, [])
    assert done.stdout.count(b"\n") == 2
    bad = clean + b'{"jsonrpc": "2.0", "id": 3, "method": "ping", "params": 5}\n'
    done, found = proxy(RESPONDER, bad, tmp_path, "--strict", "--revision", "2025-11-25")
    assert done.returncode == 1
    assert [f["code"] for f in found] == ["schema-violation"]
    done, _ = proxy(RESPONDER, bad, tmp_path, "--revision", "2025-11-25")
    assert done.returncode == 0  # without --strict: the server's exit code


def test_record_then_check_log_gives_the_same_findings(tmp_path: Path) -> None:
    record = tmp_path / "transcript.jsonl"
    stdin = (
        json.dumps(INITIALIZE) + '\n{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}\n'
    ).encode()
    _, live = proxy(RESPONDER, stdin, tmp_path, "--record", str(record))
    # Which findings depends on how the frames interleave (stdin arrives at once); the
    # replay must give exactly the same ones.
    assert "before-initialize" in {f["code"] for f in live} or "initialized-missing" in {
        f["code"] for f in live
    }
    report = tmp_path / "replayed.jsonl"
    done = subprocess.run(
        [*CHECK_LOG, str(record), "--report", str(report)], capture_output=True, timeout=120
    )
    assert done.returncode == 0
    replayed = findings(report)
    assert [(f["code"], f["index"]) for f in replayed] == [(f["code"], f["index"]) for f in live]
    # Findings of the end of the conversation (Session.close) have no line.
    assert all(f.get("line", f["index"] + 1) == f["index"] + 1 for f in replayed)


def test_check_log_raw_frames_and_strict(tmp_path: Path) -> None:
    transcript = tmp_path / "t.jsonl"
    lines = [
        {"direction": "client->server", "frame": INITIALIZE},
        {"direction": "server->client", "frame": '{"jsonrpc": "2.0", "id": 1, "result": '},
    ]
    transcript.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    done = subprocess.run([*CHECK_LOG, str(transcript), "--strict"], capture_output=True)
    assert done.returncode == 1
    assert b"invalid-json" in done.stderr and b"line 2" in done.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not json", "t.jsonl:2: not a JSON object"),
        ('{"direction": "up", "frame": {}}', "t.jsonl:2: /direction must be"),
        ('{"direction": "client->server"}', 't.jsonl:2: expected {"direction"'),
    ],
)
def test_check_log_bad_transcript(tmp_path: Path, line: str, expected: str) -> None:
    transcript = tmp_path / "t.jsonl"
    first = json.dumps({"direction": "client->server", "frame": INITIALIZE})
    transcript.write_text(first + "\n" + line + "\n")
    done = subprocess.run([*CHECK_LOG, str(transcript)], capture_output=True, text=True)
    assert done.returncode == 2
    assert expected in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_check_log_missing_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CHECK_LOG, str(tmp_path / "nope.jsonl")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_proxy_unknown_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [*PROXY, "--", str(tmp_path / "no-such-server")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "cannot start" in done.stderr


def test_splitter_keeps_at_most_its_limit() -> None:
    splitter = FrameSplitter(limit=10)
    assert splitter.feed(b"12345") == []
    assert splitter.feed(b"678\nabc") == [(b"12345678", 8)]
    assert splitter.feed(b"defghijklmnop") == []  # over the limit: dropped as it arrives
    assert len(splitter._buffer) == 0  # pyright: ignore[reportPrivateUsage]
    assert splitter.feed(b"q\n\n\nz\n") == [(None, 17), (b"z", 1)]
    assert splitter.leftover() is None
    splitter.feed(b"tail")
    assert splitter.leftover() == (b"tail", 4)


def test_queue_drops_instead_of_blocking() -> None:
    queue = FrameQueue(max_bytes=10)
    queue.put("client", b"123456", 6)
    queue.put("server", b"7890ab", 6)  # over the budget: relayed but not kept
    queue.close()
    assert list(queue) == [("client", b"123456", 6), ("server", None, -6)]


def test_server_exit_code_passes_through(tmp_path: Path) -> None:
    # The server dies while the client still holds stdin open: the proxy ends with its code.
    script = tmp_path / "server.py"
    script.write_text("import sys\nsys.exit(3)\n")
    process = subprocess.Popen(
        [*PROXY, "--", sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.wait(timeout=60) == 3
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
