"""`python -m benchmarks.tool_schemas`: the untrusted tool schema attack suite, timed.

Each case compiles its schema (cache cleared first) and validates its instance once; the
table gives the wall time of both together, the outcome and, for the reference cases, how
many connections a loopback canary server received.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from mcp_spec import tool_schemas
from mcp_spec.errors import ValidationError
from mcp_spec.tool_schemas import ToolSchemaError, ToolSchemaLimits, compile_tool_schema


class _Canary(http.server.ThreadingHTTPServer):
    connections = 0

    def verify_request(self, request: Any, client_address: Any) -> bool:
        type(self).connections += 1
        return True


def _nested(keyword: str, levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    for _ in range(levels):
        schema = {keyword: schema}
    return schema


def _fan_out(levels: int) -> dict[str, Any]:
    defs: dict[str, Any] = {
        f"L{i}": {"allOf": [{"$ref": f"#/$defs/L{i + 1}"}, {"$ref": f"#/$defs/L{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"L{levels}"] = {"type": "integer"}
    return {"$defs": defs, "$ref": "#/$defs/L0"}


def _deep_array(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


def cases(base: str) -> list[tuple[str, Callable[[], Any], Any]]:
    """(name, schema factory, instance); factories run outside the timed region."""
    return [
        ("ReDoS ^(a+)+$ vs 'a'*28+'!'", lambda: {"pattern": "^(a+)+$"}, "a" * 28 + "!"),
        ("5,000-deep nested items", lambda: _nested("items", 5000), []),
        ("100,000-member enum", lambda: {"enum": list(range(100_000))}, 99_999),
        ("10 MB schema (one string)", lambda: {"description": "x" * 10_000_000}, {}),
        ("10 MB schema (2M enum members)", lambda: {"enum": list(range(2_000_000))}, 1),
        (
            "self loop A -> A",
            lambda: {"$defs": {"A": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"},
            1,
        ),
        (
            "mutual loop A -> B -> A",
            lambda: {
                "$defs": {
                    "A": {"allOf": [{"$ref": "#/$defs/B"}]},
                    "B": {"not": {"$ref": "#/$defs/A"}},
                },
                "$ref": "#/$defs/A",
            },
            1,
        ),
        ("2^24 allOf fan-out", lambda: _fan_out(24), 1),
        (
            "fan-out through items, 40-deep instance",
            lambda: {"allOf": [{"items": {"$ref": "#"}}, {"items": {"$ref": "#"}}]},
            _deep_array(40),
        ),
        ("$ref http://127.0.0.1 (canary)", lambda: {"$ref": f"{base}/x.json"}, 1),
        ("$ref file:///etc/passwd", lambda: {"$ref": "file:///etc/passwd"}, 1),
        (
            "$ref https://127.0.0.1 (canary)",
            lambda: {"$ref": f"{base.replace('http', 'https')}/x"},
            1,
        ),
        (
            "relative $ref, remote $id (canary)",
            lambda: {"$id": f"{base}/root.json", "$ref": "x.json"},
            1,
        ),
        ("unknown dialect $schema", lambda: {"$schema": "http://example.com/dialect"}, 1),
        ("non-object subschema", lambda: {"properties": {"a": 5}}, {}),
        ("non-object tool schema", lambda: ["type", "object"], {}),
        ("5,000-deep instance", lambda: {"items": {"$ref": "#"}}, _deep_array(5000)),
        # Legitimate work close to the default bounds: what a call may cost at most.
        (
            "near cap: 3,000-object enum x 400 items",
            lambda: {"items": {"enum": [{"a": [i, i]} for i in range(3_000)]}},
            [{"a": [2_999, 2_999]}] * 400,
        ),
        (
            "near cap: 9,000-way allOf x 1,000 items",
            lambda: {"items": {"allOf": [{"type": "integer", "minimum": 0}] * 9_000}},
            list(range(1_000)),
        ),
        (
            "near cap: 1.9M-item array",
            lambda: {"items": {"type": "integer"}},
            list(range(1_900_000)),
        ),
        (
            "near cap: uniqueItems, 300,000 items",
            lambda: {"uniqueItems": True},
            list(range(300_000)),
        ),
        (
            "over cap: uniqueItems, 1.9M items",
            lambda: {"uniqueItems": True},
            list(range(1_900_000)),
        ),
        ("near cap: 2 MB string, pattern", lambda: {"pattern": "^(a|b)*c$"}, "ab" * 999_000 + "c"),
    ]


def _outcome(schema: Any, instance: Any) -> str:
    try:
        problems = compile_tool_schema(schema).errors(instance)
    except ToolSchemaError as error:
        where = error.pointer if len(error.pointer) <= 24 else error.pointer[:24] + "..."
        return f"refused at {where or '/'}: {error.reason[:70]}"
    except ValidationError as error:
        return f"instance refused: {error.problems[0].message[:70]}"
    return "verdict: valid" if not problems else f"verdict: invalid ({problems[0].message[:50]})"


def main(console: Console | None = None) -> None:
    console = console or Console()
    server = _Canary(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    table = Table(title="untrusted tool schemas: attack suite (compile + one validation)")
    table.add_column("case")
    table.add_column("time", justify="right")
    table.add_column("outcome")
    table.add_column("canary", justify="right")
    compile_tool_schema({})  # import the engine outside the timed cases
    for name, factory, instance in cases(base):
        schema = factory()
        tool_schemas._cache.clear()  # time the first compilation, not a cache hit
        before = _Canary.connections
        start = time.perf_counter()
        outcome = _outcome(schema, instance)
        seconds = time.perf_counter() - start
        canary = str(_Canary.connections - before) if "canary" in name else "-"
        table.add_row(name, f"{seconds * 1000:.1f} ms", outcome, canary)
    server.shutdown()
    server.server_close()
    console.print(table)
    limits = ToolSchemaLimits()
    defaults = Table(title="ToolSchemaLimits defaults")
    defaults.add_column("limit")
    defaults.add_column("default", justify="right")
    for field in limits.__dataclass_fields__:
        defaults.add_row(field, f"{getattr(limits, field):,}")
    console.print(defaults)


if __name__ == "__main__":
    main()
