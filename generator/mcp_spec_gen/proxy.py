"""`mcp-spec proxy` and `mcp-spec check-log`: `mcp_spec.session` on real stdio traffic.

The proxy spawns an MCP server, relays both directions byte for byte and checks the
conversation off the relay path:

- two relay threads read whatever bytes arrive (at most CHUNK at a time), cut a copy into
  newline-delimited frames (the stdio transport's framing), queue them (never blocking) and
  write the bytes to the other side unchanged. Queuing before writing keeps cause before
  effect across the two threads. The relay holds at most one chunk.
- a forwarding thread hands queued frames to the checker, a separate process at lower
  priority (`serve_checker`), so validation never holds the relay's interpreter lock or CPU.
- a frame longer than `max_frame_bytes` is still relayed in full, but the checker keeps none of
  it: its bytes are counted and dropped as they pass, and it is reported as `frame-not-checked`.
- frames wait for the checker in a queue of at most `max_queue_bytes`; when a hostile or very
  fast peer outruns the checker, further frames are relayed but not checked (reported), so
  neither memory nor the relay ever waits on validation.

A transcript for `check-log` is one JSON object per line:
`{"direction": "client->server" | "server->client", "frame": <the JSON-RPC message>}`;
a string `frame` is the raw text of a frame as it crossed the wire (so invalid JSON can be
recorded). `proxy --record FILE` writes this format.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from mcp_spec.session import Finding, Session

CHUNK = 65536
CHECKER_NICENESS = 10
DIRECTIONS = {"client->server": "client", "server->client": "server"}
_DIRECTION_OF = {sender: direction for direction, sender in DIRECTIONS.items()}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


class TranscriptError(ValueError):
    """A transcript line that is not a recorded frame: says which file and line, and why."""


@dataclass(slots=True)
class Reporter:
    """Where findings go: live lines on the console, JSON lines in `--report`, a summary."""

    console: Console
    report: IO[str] | None = None
    record: IO[str] | None = None
    codes: Counter[tuple[str, str]] = field(default_factory=Counter[tuple[str, str]])
    errors: int = 0
    warnings: int = 0
    frames: int = 0

    def findings(self, found: Iterable[Finding], line: int | None = None) -> None:
        for finding in found:
            self.codes[(finding.severity, finding.code)] += 1
            if finding.severity == "error":
                self.errors += 1
            else:
                self.warnings += 1
            where = f"line {line}" if line is not None else f"frame {finding.index}"
            self.console.print(
                f"[{SEVERITY_STYLE[finding.severity]}]{finding.severity}[/] "
                f"[bold]{finding.code}[/] {where} {_DIRECTION_OF[finding.sender]} "
                f"[cyan]{escape(finding.pointer or '/')}[/] {escape(finding.message)}",
                highlight=False,
                soft_wrap=True,
            )
            if self.report is not None:
                entry = finding.to_json()
                if line is not None:
                    entry["line"] = line
                self.report.write(json.dumps(entry, ensure_ascii=False) + "\n")
                self.report.flush()

    def recorded(self, sender: str, frame: bytes) -> None:
        if self.record is None:
            return
        text = frame.decode("utf-8", "replace").rstrip("\r\n")
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        if isinstance(value, str):
            value = text
        entry = {"direction": _DIRECTION_OF[sender], "frame": value}
        self.record.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.record.flush()

    def summary(self) -> None:
        if not self.codes:
            self.console.print(f"mcp-spec: {self.frames} frames, no findings")
            return
        table = Table(
            title=f"mcp-spec: {self.frames} frames, {self.errors} errors, {self.warnings} warnings"
        )
        for column in ("severity", "code", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        for (severity, code), count in sorted(self.codes.items()):
            table.add_row(severity, code, str(count), style=SEVERITY_STYLE[severity])
        self.console.print(table)


class FrameSplitter:
    """Cuts a byte stream into newline-delimited frames, keeping at most `limit` bytes.

    `feed` returns (frame, size) pairs: frame is None when it was longer than `limit` (its
    bytes were dropped as they arrived); blank lines are skipped.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._buffer = bytearray()
        self._dropped = 0  # bytes of the current frame thrown away (it is over the limit)

    def feed(self, chunk: bytes) -> list[tuple[bytes | None, int]]:
        frames: list[tuple[bytes | None, int]] = []
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if self._dropped:
                self._dropped += len(piece)
            elif len(self._buffer) + len(piece) > self.limit:
                self._dropped = len(self._buffer) + len(piece)
                self._buffer.clear()
            else:
                self._buffer += piece
            if end < 0:
                return frames
            if self._dropped:
                frames.append((None, self._dropped))
                self._dropped = 0
            elif self._buffer.strip():
                frames.append((bytes(self._buffer), len(self._buffer)))
            self._buffer.clear()
            start = end + 1

    def leftover(self) -> tuple[bytes | None, int] | None:
        """A last frame without its newline, at end of stream."""
        if self._dropped:
            return (None, self._dropped)
        if self._buffer.strip():
            return (bytes(self._buffer), len(self._buffer))
        return None


class FrameQueue:
    """Frames waiting for the checker, at most `max_bytes` of them; `put` never blocks."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: deque[tuple[str, bytes | None, int] | None] = deque()
        self._bytes = 0
        self._ready = threading.Condition()

    def put(self, sender: str, frame: bytes | None, size: int) -> None:
        with self._ready:
            if frame is not None and self._bytes + len(frame) > self.max_bytes:
                frame = None  # the checker is behind: relay it, note it, do not keep it
                size = -size
            self._bytes += len(frame) if frame is not None else 0
            self._items.append((sender, frame, size))
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._items.append(None)
            self._ready.notify()

    def __iter__(self) -> Iterator[tuple[str, bytes | None, int]]:
        while True:
            with self._ready:
                while not self._items:
                    self._ready.wait()
                item = self._items.popleft()
                if item is not None and item[1] is not None:
                    self._bytes -= len(item[1])
            if item is None:
                return
            yield item


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def relay(
    source: int, target: int, on_chunk: Callable[[bytes], None], on_end: Callable[[], None]
) -> None:
    """Copy `source` to `target` until end of file (or a closed target).

    Each chunk is handed to `on_chunk` (cut into frames and queued, a few microseconds, never
    blocking) just before it is written: so a frame is queued before the peer can see it, and
    the checker sees a request before the response it causes, even across the two threads.
    """
    try:
        while True:
            try:
                chunk = os.read(source, CHUNK)
            except OSError:
                break
            if not chunk:
                break
            on_chunk(chunk)
            try:
                _write_all(target, chunk)
            except OSError:  # the reader went away (broken pipe): nothing more to relay
                break
    finally:
        on_end()


# Frames travel from the relay process to the checker process as a header and the bytes:
# sender (b"c" or b"s"), kind (b"F" a frame follows, b"L" over the frame limit, b"D" dropped
# while the checker was behind) and the frame's size.
_HEADER = struct.Struct(">ccq")
_SENDERS = {b"c": "client", b"s": "server"}


def _check(
    session: Session, reporter: Reporter, sender: str, frame: bytes | None, kind: bytes, size: int
) -> None:
    reporter.frames += 1
    if frame is None:
        reason = (
            f"{size} bytes, more than the frame limit: relayed unchecked"
            if kind == b"L"
            else f"{size} bytes relayed unchecked: the checker fell behind (queue full)"
        )
        reporter.findings(session.skip(sender, reason))  # pyright: ignore[reportArgumentType]
        return
    reporter.recorded(sender, frame)
    reporter.findings(session.feed(sender, frame))  # pyright: ignore[reportArgumentType]


def serve_checker() -> None:
    """The checker process (`sys.argv[1]`: its settings as JSON): reads frames from stdin,
    reports findings on stderr and in the files, prints the counts as JSON on stdout."""
    from mcp_spec.session import Session

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the proxy; it closes our input
    if hasattr(os, "nice"):
        # On a busy machine the scheduler should favour the relay (and the peers) over us.
        os.nice(CHECKER_NICENESS)
    settings = json.loads(sys.argv[1])
    session = Session(version=settings["version"])
    stream = sys.stdin.buffer
    with ExitStack() as files:
        report, record = (
            files.enter_context(open(path, "w", encoding="utf-8")) if path else None
            for path in (settings["report"], settings["record"])
        )
        reporter = Reporter(Console(stderr=True), report=report, record=record)
        while len(header := stream.read(_HEADER.size)) == _HEADER.size:
            sender, kind, size = _HEADER.unpack(header)
            frame = stream.read(size) if kind == b"F" else None
            _check(session, reporter, _SENDERS[sender], frame, kind, size)
        reporter.findings(session.close())
        reporter.summary()
    sys.stdout.write(json.dumps({"errors": reporter.errors, "warnings": reporter.warnings}))


def _forward(queue: FrameQueue, checker: subprocess.Popen[bytes]) -> None:
    """Hand queued frames to the checker process (blocking writes, off the relay threads)."""
    assert checker.stdin is not None
    target = checker.stdin.fileno()
    alive = True
    for sender, frame, size in queue:
        if not alive:
            continue  # keep draining, so the queue stays small
        if frame is None:
            header = _HEADER.pack(sender[0].encode(), b"L" if size >= 0 else b"D", abs(size))
        else:
            header = _HEADER.pack(sender[0].encode(), b"F", len(frame))
        try:
            _write_all(target, header + (frame or b""))
        except OSError:
            alive = False  # the checker died; the relay goes on
    checker.stdin.close()


def _ignore(chunk: bytes) -> None:
    pass


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(server: subprocess.Popen[bytes], grace: float) -> bool:
    """Let the server exit on its own within `grace` seconds, then SIGTERM, then SIGKILL;
    whether it had to be signalled."""
    for step in (None, server.terminate, server.kill):
        if step is not None:
            step()
        try:
            server.wait(timeout=grace if step is None else max(grace, 1.0))
            return step is not None
        except subprocess.TimeoutExpired:
            continue
    return True


@dataclass(frozen=True, slots=True)
class ProxyOptions:
    command: list[str]
    version: str | None = None
    strict: bool = False
    report: Path | None = None
    record: Path | None = None
    max_frame_bytes: int = 16 * 1024 * 1024
    max_queue_bytes: int = 64 * 1024 * 1024
    shutdown_grace: float = 2.0
    check: bool = True  # False: relay only (the floor the relay benchmark compares with)


def _start_checker(options: ProxyOptions) -> subprocess.Popen[bytes]:
    """The checker process; bad settings (version, unwritable files) fail here, before the
    server starts."""
    from mcp_spec.versions import check_version

    if options.version is not None:
        check_version(options.version)
    for path in (options.report, options.record):
        if path is not None:
            path.open("w").close()
    settings = {
        "version": options.version,
        "report": str(options.report) if options.report else None,
        "record": str(options.record) if options.record else None,
    }
    return subprocess.Popen(
        [sys.executable, "-c", CHECKER, json.dumps(settings)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


CHECKER = "from mcp_spec_gen.proxy import serve_checker\nserve_checker()\n"


def run_proxy(options: ProxyOptions) -> int:
    """Relay stdin/stdout to the server `options.command`; the exit code (see the CLI).

    The relay threads share this process only with a forwarding thread; checking runs in a
    separate process, so validation never holds the relay's interpreter lock.
    """
    checker = _start_checker(options) if options.check else None
    try:
        server = subprocess.Popen(
            options.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )
    except OSError as exc:
        if checker is not None:
            checker.kill()
            checker.wait()
        raise TranscriptError(
            f"cannot start {options.command[0]!r}: {exc.strerror or exc}"
        ) from None
    assert server.stdin is not None and server.stdout is not None
    queue = FrameQueue(options.max_queue_bytes)
    splitters = {sender: FrameSplitter(options.max_frame_bytes) for sender in ("client", "server")}

    def feeder(sender: str) -> Callable[[bytes], None]:
        splitter = splitters[sender]

        def on_chunk(chunk: bytes) -> None:
            for frame, size in splitter.feed(chunk):
                queue.put(sender, frame, size)

        return on_chunk if checker is not None else _ignore

    def flush(sender: str) -> None:
        last = splitters[sender].leftover()
        if last is not None and checker is not None:
            queue.put(sender, *last)

    server_in = server.stdin.fileno()

    def client_done() -> None:
        flush("client")
        server.stdin.close()  # type: ignore[union-attr]  # the server sees end of input

    upstream = threading.Thread(
        target=relay,
        args=(sys.stdin.fileno(), server_in, feeder("client"), client_done),
        daemon=True,
        name="relay client->server",
    )
    downstream = threading.Thread(
        target=relay,
        args=(
            server.stdout.fileno(),
            sys.stdout.fileno(),
            feeder("server"),
            lambda: flush("server"),
        ),
        daemon=True,
        name="relay server->client",
    )
    forwarder = None
    if checker is not None:
        forwarder = threading.Thread(target=_forward, args=(queue, checker), name="forwarder")
        forwarder.start()
    upstream.start()
    downstream.start()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    stopped = False
    try:
        while downstream.is_alive() and upstream.is_alive():
            downstream.join(0.05)
        if not upstream.is_alive():
            # The client closed its end: the stdio shutdown sequence (wait, SIGTERM, SIGKILL).
            stopped = _stop(server, options.shutdown_grace)
        downstream.join()
    except KeyboardInterrupt:
        stopped = _stop(server, 0)
    finally:
        signal.signal(signal.SIGTERM, previous)
    returncode = server.wait()
    if stopped:
        returncode = 0  # the shutdown sequence signalled it: not the server's failure
    elif returncode < 0:
        returncode = 128 - returncode  # killed by a signal, as a shell reports it
    if checker is None or forwarder is None:
        return returncode
    queue.close()
    forwarder.join()
    assert checker.stdout is not None
    counts = checker.stdout.read()  # its stdin was closed by the forwarder
    checker.stdout.close()
    if checker.wait() != 0:
        sys.stderr.write(f"mcp-spec proxy: the checker failed (exit {checker.returncode})\n")
        return 1 if options.strict else returncode
    if options.strict and json.loads(counts)["errors"]:
        return 1
    return returncode


def read_transcript(path: Path) -> Iterator[tuple[int, str, Any]]:
    """(line number, sender, frame) of each transcript line; TranscriptError on a bad line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise TranscriptError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                entry = json.loads(raw)
            except ValueError as exc:
                raise TranscriptError(f"{where}: not a JSON object ({exc})") from None
            if not isinstance(entry, dict) or "frame" not in entry:
                raise TranscriptError(
                    f'{where}: expected {{"direction": ..., "frame": ...}}, got {raw[:80]!r}'
                )
            direction = entry.get("direction")  # pyright: ignore[reportUnknownMemberType]
            if direction not in DIRECTIONS:
                raise TranscriptError(
                    f"{where}: /direction must be 'client->server' or 'server->client', "
                    f"not {direction!r}"
                )
            yield number, DIRECTIONS[direction], entry["frame"]


def check_log(path: Path, reporter: Reporter, *, version: str | None, strict: bool) -> int:
    """Check a recorded transcript; 1 with `strict` and an error-level finding, else 0."""
    from mcp_spec.session import Session

    session = Session(version=version)
    for number, sender, frame in read_transcript(path):
        reporter.frames += 1
        reporter.findings(session.feed(sender, frame), line=number)  # pyright: ignore[reportArgumentType]
    reporter.findings(session.close())
    reporter.summary()
    return 1 if strict and reporter.errors else 0
