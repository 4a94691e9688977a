"""`python -m benchmarks.hostile` (`make stress`): inputs an attacker would send, each in its
own process, with CPU time, wall time, peak RSS above the start and the outcome.

Every case builds its input first (not measured), then resets the process's peak RSS
(`/proc/self/clear_refs`), runs the public entry point under attack and reports what it
ended with: a verdict, a documented error (with its JSON-RPC code) or an escape (any other
exception, or a signal). `tests/test_hostile.py` asserts the outcomes of every case at
smaller sizes (`scale="test"`); this suite runs the full sizes and reports the times.

    python -m benchmarks.hostile                 # every case, a table
    python -m benchmarks.hostile --case NAME     # one case (runs in this process)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A case: how to build its input at a scale, and how to run the entry point on it. The
# runner returns the outcome as a short string; `expect` is the outcome the tests require.
Runner = Callable[[Any], str]


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[bool], Any]  # full size (True) or test size (False)
    run: Runner
    expect: str
    # Run in a subprocess even in the tests (threads with tiny stacks, fork).
    isolated: bool = False
    # A case whose CPU time is this one's floor (decoding the same input), or "".
    floor: str = ""


LATEST = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": LATEST,
    "io.modelcontextprotocol/clientInfo": {"name": "c", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def _outcome(call: Callable[[], object]) -> str:
    """What a call ended with, as the tests compare it."""
    from mcp_spec.errors import MCPSpecError, ValidationError
    from mcp_spec.tool_schemas import ToolSchemaError

    try:
        result = call()
    except ValidationError as error:
        size = len(str(error))
        listed = len(error.problems)
        if size > 20_000 or listed > 60:
            return f"unbounded error ({size} characters, {listed} problems)"
        return f"error {error.code}"
    except ToolSchemaError:
        return "schema refused"
    except MCPSpecError as error:
        return f"error {type(error).__name__}"
    except BaseException as error:  # noqa: BLE001 - an escape is the finding
        return f"escape {type(error).__name__}"
    if result is True or result is None:
        return "valid"
    if result is False:
        return "invalid"
    return f"valid ({type(result).__name__})"


# -- inputs -------------------------------------------------------------------------------


def _tools_list(full: bool) -> bytes:
    count = 1_000_000 if full else 20_000
    tools = [{"name": i, "inputSchema": {"type": "object"}} for i in range(count)]
    return json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"tools": tools}}).encode()


def _run_tools_list(frame: bytes) -> str:
    from mcp_spec.messages import validate_message

    return _outcome(
        lambda: validate_message(LATEST, frame, sender="server", request_method="tools/list")
    )


def _run_decode(frame: bytes) -> str:
    from mcp_spec._json import load_json

    load_json(frame)
    return "decoded"


def _run_cli_tools_list(frame: bytes) -> str:
    from mcp_spec._validate import ValidateRequest, render, run_validation

    request = ValidateRequest(LATEST, None, "server", "tools/list", "frame.json")
    lines = render(run_validation(request, frame), as_json=False).count("\n")
    return f"{lines} lines" if lines > 60 else "bounded report"


def _input_responses(entries: int) -> bytes:
    responses = {f"k{i}": {"action": "bogus", "role": 5} for i in range(entries)}
    params = {"_meta": META, "name": "t", "inputResponses": responses}
    return json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}
    ).encode()


def _run_client_frame(frame: Any) -> str:
    from mcp_spec.messages import Message, validate_message

    def validated_with_model() -> Message:
        message = validate_message(LATEST, frame, sender="client")
        _ = message.model  # built on first access: the deep cases build it too
        return message

    return _outcome(validated_with_model)


def _content_blocks(full: bool) -> bytes:
    blocks = [{"type": "text", "text": i} for i in range(16_000 if full else 4_000)]
    return json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"content": blocks}}).encode()


def _run_tools_call_result(frame: bytes) -> str:
    from mcp_spec.messages import validate_message

    return _outcome(
        lambda: validate_message(LATEST, frame, sender="server", request_method="tools/call")
    )


def _percent_refs(full: bool) -> dict[str, Any]:
    """The preflight once decoded each pointer token apart, the engine the whole fragment:
    `a%2Fb` named the decoy key "a/b" for one and the path a -> b for the other."""
    levels = 28 if full else 20
    defs: dict[str, Any] = {}
    for i in range(levels):
        step = {"$ref": f"#/$defs/L{i + 1}%2F$defs%2Fx"}
        defs[f"L{i}"] = {"$defs": {"x": {"allOf": [step, step]}}}
        defs[f"L{i}/$defs/x"] = {}  # the decoy
    defs[f"L{levels}"] = {"$defs": {"x": {"type": "integer"}}}
    defs[f"L{levels}/$defs/x"] = {}
    return {"$defs": defs, "$ref": "#/$defs/L0%2F$defs%2Fx"}


def _run_schema(schema: Any) -> str:
    from mcp_spec.tool_schemas import compile_tool_schema

    return _outcome(lambda: compile_tool_schema(schema).is_valid(7))


def _unicode_patterns(full: bool) -> dict[str, Any]:
    """900 patterns of 18 characters, each compiling to 0.86-0.95 MB (under the 1 MB limit of
    one regular expression): 0.8 GB together when nothing bounds the whole set."""
    count = 900  # refused at the first pattern over its share: as fast at any size
    return {
        "properties": {
            f"p{i}": {"pattern": f"[\\p{{L}}\\p{{N}}]{{1,{18 + i % 3}}}"} for i in range(count)
        }
    }


def _shared(full: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    for _ in range(22 if full else 16):
        schema = {"allOf": [schema, schema]}
    return schema


def _surrogate_text(full: bool) -> str:
    return '{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": "\ud800"}}'


def _big_integer_frame(full: bool) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 10**5000, "method": "tools/list", "params": {"_meta": META}}


def _run_big_argument(_: object) -> str:
    from mcp_spec.tool_schemas import validate_tool_arguments

    tool = {"name": "t", "inputSchema": {"properties": {"n": {"maximum": 10}}}}
    return _outcome(lambda: validate_tool_arguments(tool, {"n": 10**5000}))


def _big_arguments(full: bool) -> dict[str, Any]:
    return {"a": [{"k": i} for i in range(600_000 if full else 150_000)]}


def _run_arguments_missing_key(arguments: dict[str, Any]) -> str:
    """A root violation: the engine's error would copy all the arguments to report it."""
    from mcp_spec.tool_schemas import validate_tool_arguments

    tool = {"name": "t", "inputSchema": {"type": "object", "required": ["x"]}}
    return _outcome(lambda: validate_tool_arguments(tool, arguments))


def _surrogate_key(full: bool) -> dict[str, Any]:
    return {"properties": {"\udcff": {"type": "string"}}}


def _long_method(full: bool) -> bytes:
    method = "x" * (100_000_000 if full else 1_000_000)
    return b'{"jsonrpc": "2.0", "id": 1, "method": "' + method.encode() + b'"}'


def _nested_arguments(depth: int) -> bytes:
    arguments: Any = {"leaf": 1}
    for _ in range(depth):
        arguments = {"a": arguments}
    params = {"_meta": META, "name": "t", "arguments": arguments}
    return json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}
    ).encode()


def _brackets(full: bool) -> bytes:
    return b"[" * (50_000_000 if full else 1_000_000)


def _chain(full: bool) -> dict[str, Any]:
    links = 3_300
    defs = {f"n{i}": {"not": {"$ref": f"#/$defs/n{i + 1}"}} for i in range(links)}
    defs[f"n{links}"] = {"type": "integer"}
    return {"$defs": defs, "$ref": "#/$defs/n0"}


def _unevaluated_chain(full: bool) -> dict[str, Any]:
    """`unevaluatedProperties` makes the engine's compiler recurse ~6 KB per link."""
    links = 200
    defs = {
        f"n{i}": {"unevaluatedProperties": False, "allOf": [{"$ref": f"#/$defs/n{i + 1}"}]}
        for i in range(links)
    }
    defs[f"n{links}"] = {"type": "integer"}
    return {"$defs": defs, "$ref": "#/$defs/n0"}


def _deep_capabilities(full: bool) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(200):
        value = {"a": value}
    meta = {**META, "io.modelcontextprotocol/clientCapabilities": {"experimental": {"x": value}}}
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}


def _run_frame_in_small_thread(frame: Any) -> str:
    return _in_small_thread(lambda: _run_client_frame(frame))


def _run_in_small_thread(schema: Any) -> str:
    return _in_small_thread(lambda: _run_schema(schema))


def _in_small_thread(run: Callable[[], str]) -> str:
    """`run()` in a thread with a 256 KB stack (a crash is the finding)."""
    outcome: list[str] = []
    threading.stack_size(256 * 1024)
    try:
        worker = threading.Thread(target=lambda: outcome.append(run()))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
    return outcome[0] if outcome else "escape (thread died)"


# Forks made while the compile lock is busy (each lands inside it about one time in five).
FORKS = 12


def _run_fork_while_compiling(schema: Any) -> str:
    """Fork while another thread holds the compile lock; the child must still compile."""
    from mcp_spec import tool_schemas
    from mcp_spec.v2026_07_28 import validators

    engine = validators._ENGINE  # pyright: ignore[reportPrivateUsage]
    stop = threading.Event()

    def compile_forever() -> None:  # holds the revision's compile lock most of the time
        while not stop.is_set():
            engine._validators.pop("Tool", None)  # pyright: ignore[reportPrivateUsage]
            engine.validator("Tool")

    worker = threading.Thread(target=compile_forever, daemon=True)
    worker.start()
    stuck = 0
    for _ in range(FORKS):
        time.sleep(0.01)
        pid = os.fork()
        if pid == 0:  # the child: compile something new, or be killed by the alarm
            signal.alarm(2)  # a child stuck on a lock inherited from the parent dies
            tool_schemas.compile_tool_schema({"type": "string", "minLength": 3})
            engine._validators.pop("Tool", None)  # pyright: ignore[reportPrivateUsage]
            validators.is_valid("Tool", {"name": "x", "inputSchema": {"type": "object"}})
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        stuck += status != 0
    stop.set()
    worker.join()
    return "child compiled" if not stuck else f"child stuck ({stuck} of {FORKS} forks)"


def _long_header(full: bool) -> tuple[dict[str, str], dict[str, Any]]:
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"_meta": META}}
    return {"MCP-Protocol-Version": LATEST, "Mcp-Method": "p" * 10_000_000}, body


def _run_headers(value: tuple[dict[str, str], dict[str, Any]]) -> str:
    from mcp_spec.http_headers import validate_request_headers

    headers, body = value
    return _outcome(lambda: validate_request_headers(LATEST, headers, body))


def _identity(value: Any) -> Any:
    return value


CASES: list[Case] = [
    Case(
        "tools-list-1m-decode-only",
        "the floor of the two cases below: decoding the same 53 MB (load_json)",
        _tools_list,
        _run_decode,
        "decoded",
    ),
    Case(
        "tools-list-1m-bad-names",
        "53 MB tools/list result, 1,000,000 tools with an integer name",
        _tools_list,
        _run_tools_list,
        "error -32602",
        floor="tools-list-1m-decode-only",
    ),
    Case(
        "cli-tools-list-1m",
        "mcp-spec validate of the same frame: lines printed",
        _tools_list,
        _run_cli_tools_list,
        "bounded report",
        floor="tools-list-1m-decode-only",
    ),
    Case(
        "input-responses-16k",
        "300 KB client frame, 16k invalid inputResponses (anyOf members)",
        lambda full: _input_responses(16_000 if full else 4_000),
        _run_client_frame,
        "error -32602",
    ),
    Case(
        "input-responses-64k",
        "1.2 MB client frame, 64k invalid inputResponses",
        lambda full: _input_responses(64_000 if full else 8_000),
        _run_client_frame,
        "error -32602",
    ),
    Case(
        "content-blocks-16k",
        "300 KB tools/call result, 16k invalid content blocks",
        _content_blocks,
        _run_tools_call_result,
        "error -32602",
    ),
    Case(
        "percent-encoded-refs",
        "tool schema whose $refs use %2F: 2^28 expansion if resolved apart from the engine",
        _percent_refs,
        _run_schema,
        "schema refused",
    ),
    Case(
        "unicode-class-patterns",
        "42 KB tool schema of 900 Unicode-class patterns",
        _unicode_patterns,
        _run_schema,
        "schema refused",
    ),
    Case(
        "shared-sub-objects",
        "dict schema allOf: [s, s] x 22 (one object shared, 4M when expanded)",
        _shared,
        _run_schema,
        "schema refused",
    ),
    Case(
        "lone-surrogate-text",
        "a str frame holding a lone surrogate",
        _surrogate_text,
        _run_client_frame,
        "error -32700",
    ),
    Case(
        "integer-5000-digits-frame",
        "a dict frame whose id is an integer of 5,001 digits",
        _big_integer_frame,
        _run_client_frame,
        "error -32700",
    ),
    Case(
        "integer-5000-digits-argument",
        "validate_tool_arguments: 10**5000 against maximum: 10",
        _identity,
        _run_big_argument,
        "error -32602",
    ),
    Case(
        "arguments-root-violation-600k",
        "tools/call arguments of 1.8M nodes missing a required key (a root error)",
        _big_arguments,
        _run_arguments_missing_key,
        "error -32602",
    ),
    Case(
        "surrogate-schema-key",
        "a tool schema property name with a lone surrogate",
        _surrogate_key,
        _run_schema,
        "schema refused",
    ),
    Case(
        "100mb-method",
        "a request whose method is a 100 MB string",
        _long_method,
        _run_client_frame,
        "error -32601",
    ),
    Case(
        "arguments-nested-199",
        "a valid tools/call whose arguments nest 199 deep, as bytes",
        lambda full: _nested_arguments(199),
        _run_client_frame,
        "valid (Message)",
    ),
    Case(
        "arguments-nested-509",
        "a valid tools/call nesting 512 containers in all, as bytes",
        lambda full: _nested_arguments(509),
        _run_client_frame,
        "valid (Message)",
    ),
    Case(
        "arguments-nested-510",
        "the same, one level past MAX_NESTING_DEPTH",
        lambda full: _nested_arguments(510),
        _run_client_frame,
        "error -32700",
    ),
    Case(
        "50mb-of-brackets",
        "50 MB of opening brackets",
        _brackets,
        _run_client_frame,
        "error -32700",
    ),
    Case(
        "not-ref-chain-small-stack",
        "3,300-link not/$ref chain validated in a thread with a 256 KB stack",
        _chain,
        _run_in_small_thread,
        "schema refused",
        isolated=True,
    ),
    Case(
        "unevaluated-chain-small-stack",
        "200-link unevaluatedProperties/$ref chain compiled in a thread with a 256 KB stack",
        _unevaluated_chain,
        _run_in_small_thread,
        "valid",
        isolated=True,
    ),
    Case(
        "deep-json-value-small-stack",
        "a valid frame whose capabilities nest 200 deep (JSONValue), in a 256 KB thread",
        _deep_capabilities,
        _run_frame_in_small_thread,
        "valid (Message)",
        isolated=True,
    ),
    Case(
        "fork-while-compiling",
        "fork while another thread compiles tool schemas",
        _shared,
        _run_fork_while_compiling,
        "child compiled",
        isolated=True,
    ),
    Case(
        "10mb-header",
        "validate_request_headers with a 10 MB Mcp-Method header",
        _long_header,
        _run_headers,
        "error -32020",
    ),
]
BY_NAME = {case.name: case for case in CASES}


# -- measuring ----------------------------------------------------------------------------


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _warm() -> None:
    """First-use costs (imports, compiling the definitions a case meets) are not the attack."""
    from mcp_spec.http_headers import validate_request_headers
    from mcp_spec.messages import validate_message
    from mcp_spec.tool_schemas import compile_tool_schema

    for frame in (_nested_arguments(1), b'{"jsonrpc": "2.0", "id": 1, "result": {}}'):
        for sender, method in (
            ("client", None),
            ("server", "tools/list"),
            ("server", "tools/call"),
        ):
            try:
                validate_message(LATEST, frame, sender=sender, request_method=method)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - only warming up
                pass
    compile_tool_schema({"type": "object"})
    try:
        validate_request_headers(LATEST, {}, {"jsonrpc": "2.0", "id": 1, "method": "ping"})
    except Exception:  # noqa: BLE001
        pass


def measure(case: Case, *, full: bool) -> dict[str, Any]:
    """Build the input, warm up, reset the peak RSS, run; CPU seconds, wall seconds, peak MB
    above the start."""
    value = case.build(full)
    _warm()
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM, the peak resident set size
    except OSError:
        pass
    start_rss = _rss_kib("VmRSS:")
    # The process's CPU time: some cases run the entry point in a thread of their own.
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = case.run(value)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = max(0, _rss_kib("VmHWM:") - start_rss) / 1024
    return {"outcome": outcome, "cpu": cpu, "wall": wall, "peak_mb": peak}


def run_isolated(name: str, *, full: bool, timeout: float = 120) -> dict[str, Any]:
    """One case in a fresh interpreter; a crash or a timeout is reported as the outcome."""
    command = [sys.executable, "-m", "benchmarks.hostile", "--case", name]
    if not full:
        command.append("--test-size")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {
            "outcome": f"escape (no verdict in {timeout:.0f} s)",
            "cpu": 0,
            "wall": 0,
            "peak_mb": 0,
        }
    if done.returncode != 0:
        return {"outcome": f"escape (exit {done.returncode})", "cpu": 0, "wall": 0, "peak_mb": 0}
    return json.loads(done.stdout.strip().splitlines()[-1])


# What every case must stay under: CPU seconds and MB of peak RSS above the start (above
# its floor case's, decoding the same input, if it has one).
CPU_BOUND = 1.0
RSS_BOUND = 300.0


def main(argv: list[str]) -> int:
    if "--case" in argv:
        name = argv[argv.index("--case") + 1]
        result = measure(BY_NAME[name], full="--test-size" not in argv)
        print(json.dumps(result))
        return 0
    from rich.console import Console
    from rich.table import Table

    results: dict[str, dict[str, Any]] = {}
    rows: list[tuple[str, ...]] = []
    failures = 0
    for case in CASES:
        result = results[case.name] = run_isolated(case.name, full=True)
        floor = results[case.floor] if case.floor else {"cpu": 0.0, "peak_mb": 0.0}
        is_floor = any(other.floor == case.name for other in CASES)  # the bound is above it
        ok = result["outcome"] == case.expect and (
            is_floor
            or (
                result["cpu"] - floor["cpu"] < CPU_BOUND
                and result["peak_mb"] - floor["peak_mb"] < RSS_BOUND
            )
        )
        failures += not ok
        rows.append(
            (
                case.name,
                case.what,
                f"{result['cpu']:.3f}",
                f"{result['wall']:.3f}",
                f"{result['peak_mb']:.0f}",
                result["outcome"] if ok else f"{result['outcome']} (expected {case.expect})",
            )
        )
    columns = ("case", "input", "CPU s", "wall s", "peak MB", "outcome")
    if "--markdown" in argv:
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        table = Table(title="Hostile input (each case in its own process)")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        Console(width=200).print(table)
    within = f"within {CPU_BOUND} s CPU and {RSS_BOUND:.0f} MB"
    print(f"{len(CASES) - failures} of {len(CASES)} cases {within}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
