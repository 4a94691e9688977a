"""Validation, typed loading and typed parse benchmarks, side by side in one run.

Messages (built in code, see `messages.py`): a `tools/list` result with 100 tools (~86 KB) and
a `tools/call` request frame, for 2025-11-25 (legacy) and 2026-07-28 (modern). Peers:
`orjson.loads` of the same bytes (the floor), `jsonschema` (the reference engine),
`jsonschema-rs` compiled from the raw upstream schema with its native format checks, and
`mcp-types==2.3.0` (`mcp_types.methods.parse_server_result` / `parse_client_request` after
`orjson.loads`).

Every figure is CPU time per call (`time.process_time`: other processes on a shared machine do
not count, and the helper thread that builds the model of a deep instance, `mcp_spec._stack`,
does), with the garbage collector off while a loop runs (as `timeit` does), and the
median of interleaved repeats: each repeat runs every measure's loop once, in turn, so a change
in load weighs on all of them alike; ratios compare measures of the same run.
"""

from __future__ import annotations

import gc
import importlib
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema
import jsonschema_rs
import orjson
import pydantic_core
import referencing
import referencing.jsonschema

from mcp_spec_gen.pins import load_pins
from mcp_spec_gen.sources import read_schema_bytes

from .messages import tools_call_request, tools_list_result

REVISIONS = ("2025-11-25", "2026-07-28")
TARGET_SECONDS = 0.02  # CPU time per loop of one measure
REPEATS = 15


def _loop_seconds(action: Callable[[], object], number: int) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(number):
            action()
        return time.process_time() - start
    finally:
        if enabled:
            gc.enable()


def seconds_per_call(
    actions: dict[str, Callable[[], object]], repeats: int = REPEATS
) -> dict[str, float]:
    """Median CPU time per call of each action over `repeats` interleaved repeats."""
    numbers: dict[str, int] = {}
    for name, action in actions.items():
        action()  # warm up: compile validators, build pydantic schemas
        number = 1
        while (elapsed := _loop_seconds(action, number)) < TARGET_SECONDS / 10:
            number *= 10
        numbers[name] = max(1, int(number * TARGET_SECONDS / max(elapsed, 1e-9)))
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            samples[name].append(_loop_seconds(action, numbers[name]) / numbers[name])
    return {name: statistics.median(times) for name, times in samples.items()}


def raw_schema(revision: str) -> dict[str, Any]:
    pins = load_pins()
    data, _ = read_schema_bytes(pins, pins.pin_for(revision))
    return json.loads(data)


def raw_jsonschema_rs(schema: dict[str, Any], definition: str) -> jsonschema_rs.Validator:
    def refuse(uri: str) -> Any:
        raise LookupError(uri)

    root = {**schema, "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.validator_for(root, validate_formats=True, retriever=refuse)


def reference_jsonschema(schema: dict[str, Any], definition: str) -> Any:
    uri = "urn:bench"
    resource = referencing.jsonschema.DRAFT202012.create_resource(schema)
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(uri, resource)
    cls = jsonschema.validators.validator_for(schema)
    wrapper = {"$schema": schema["$schema"], "$ref": f"{uri}#/$defs/{definition}"}
    return cls(wrapper, registry=registry, format_checker=cls.FORMAT_CHECKER)


@dataclass(frozen=True, slots=True)
class Row:
    revision: str
    measure: str
    micros: float
    ratio: str
    goal: str


def _module(revision: str, name: str) -> Any:
    return importlib.import_module(f"mcp_spec.v{revision.replace('-', '_')}.{name}")


def measure_revision(revision: str) -> list[Row]:
    import mcp_types.methods as mcp_types_methods

    from mcp_spec._decode import MAX_NESTING_DEPTH, decode_json, decoded_nesting
    from mcp_spec.messages import validate_message

    validators = _module(revision, "validators")
    wire = _module(revision, "wire")
    schema = raw_schema(revision)
    result = tools_list_result(revision)
    result_bytes = orjson.dumps(result)
    call = tools_call_request(revision)
    call_bytes = orjson.dumps(call)
    size = len(result_bytes)
    assert validators.is_valid("ListToolsResult", result)
    assert validators.is_valid("CallToolRequest", call)
    assert wire.load_json("ListToolsResult", result_bytes) == result

    result_adapter = validators._ENGINE.adapter("ListToolsResult")
    call_adapter = validators._ENGINE.adapter("CallToolRequest")
    raw_rs = raw_jsonschema_rs(schema, "ListToolsResult")
    reference = reference_jsonschema(schema, "ListToolsResult")
    assert raw_rs.is_valid(result) and reference.is_valid(result)

    def message_and_model() -> object:
        return validate_message(revision, call_bytes, sender="client").model

    timed = seconds_per_call(
        {
            "floor": lambda: orjson.loads(result_bytes),
            "raw_rs": lambda: raw_rs.validate(result),
            "ours_validate": lambda: validators.validate("ListToolsResult", result),
            "ours_load": lambda: wire.load_json("ListToolsResult", result_bytes),
            "decode": lambda: decode_json(result_bytes),
            "nesting": lambda: decoded_nesting(result, MAX_NESTING_DEPTH, size),
            "ours_parse": lambda: validators.parse_json("ListToolsResult", result_bytes),
            "theirs_parse": lambda: mcp_types_methods.parse_server_result(
                "tools/list", revision, orjson.loads(result_bytes)
            ),
            "from_json": lambda: pydantic_core.from_json(result_bytes, allow_inf_nan=False),
            "model_only": lambda: result_adapter.validate_python(result),
            "call_floor": lambda: orjson.loads(call_bytes),
            "call_model_only": lambda: call_adapter.validate_python(call),
            "ours_message": lambda: validate_message(revision, call_bytes, sender="client"),
            "ours_message_model": message_and_model,
            "theirs_message": lambda: mcp_types_methods.parse_client_request(
                "tools/call", revision, orjson.loads(call_bytes)["params"]
            ),
        }
    )
    reference_time = seconds_per_call({"reference": lambda: reference.validate(result)}, 3)[
        "reference"
    ]
    floor, raw_rs_time = timed["floor"], timed["raw_rs"]
    ours_validate, ours_parse = timed["ours_validate"], timed["ours_parse"]
    ours_load = timed["ours_load"]
    theirs_parse, call_floor = timed["theirs_parse"], timed["call_floor"]
    ours_message, theirs_message = timed["ours_message"], timed["theirs_message"]
    with_model = timed["ours_message_model"]
    kb = f"{len(result_bytes) / 1000:.0f} KB"
    us = 1e6
    return [
        Row(revision, f"orjson.loads, tools/list result ({kb})", floor * us, "floor", ""),
        Row(revision, "jsonschema (reference) validate, parsed", reference_time * us,
            f"{reference_time / raw_rs_time:.0f}x raw rs", ""),
        Row(revision, "jsonschema-rs raw schema validate, parsed", raw_rs_time * us,
            f"{raw_rs_time / floor:.2f}x floor", ""),
        Row(revision, "mcp-spec validate, parsed", ours_validate * us,
            f"{ours_validate / raw_rs_time:.2f}x raw rs", "<= 1.1x raw rs"),
        Row(revision, "mcp-types: orjson + parse_server_result", theirs_parse * us,
            f"{theirs_parse / floor:.2f}x floor", ""),
        Row(revision, "mcp-spec wire.load_json (bytes -> typed dict)", ours_load * us,
            f"{ours_load / floor:.2f}x floor", "<= 1.5x floor"),
        Row(revision, "  of which: exact decode (msgspec + nesting check)", timed["decode"] * us,
            f"{timed['decode'] / floor:.2f}x floor", ""),
        Row(revision, "    of which: nesting check (<= 512 levels)", timed["nesting"] * us,
            f"{timed['nesting'] / floor:.2f}x floor", ""),
        Row(revision, "mcp-spec parse_json (bytes -> pydantic model)", ours_parse * us,
            f"{ours_parse / floor:.2f}x floor, {ours_parse / theirs_parse:.2f}x mcp-types", ""),
        Row(revision, "  for comparison: pydantic-core from_json", timed["from_json"] * us,
            f"{timed['from_json'] / floor:.2f}x floor", ""),
        Row(revision, "  of which: model build (pydantic, parsed)", timed["model_only"] * us,
            f"{timed['model_only'] / floor:.2f}x floor", ""),
        Row(revision, f"orjson.loads, tools/call ({len(call_bytes)} B)", call_floor * us,
            "floor", ""),
        Row(revision, "mcp-types: orjson + parse_client_request", theirs_message * us,
            f"{theirs_message / call_floor:.1f}x floor", ""),
        Row(revision, "mcp-spec validate_message (bytes -> message)", ours_message * us,
            f"{ours_message / call_floor:.1f}x floor", "<= 3x floor"),
        Row(revision, "mcp-spec validate_message, then .model", with_model * us,
            f"{with_model / call_floor:.1f}x floor", ""),
        Row(revision, "  of which: model build (pydantic, parsed)", timed["call_model_only"] * us,
            f"{timed['call_model_only'] / call_floor:.1f}x floor", ""),
    ]  # fmt: skip


def measure() -> list[Row]:
    return [row for revision in REVISIONS for row in measure_revision(revision)]
