"""Differential and escape fuzzing of the hardened entry points (bounded profile).

- The tool-schema pre-flight resolves `$ref` exactly as the engine does, on fuzzed pointers
  (percent-encoding, `~0`/`~1` escapes, Unicode, empty tokens, array indexes), or refuses.
- No public entry point lets TypeError, ValueError (other than the documented
  `ValidationError`/`ToolSchemaError`), UnicodeEncodeError or RecursionError escape, on
  random bytes, random JSON, mutated frames and random schemas.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from hypothesis import HealthCheck, given, settings, strategies as st

from mcp_spec.errors import MCPSpecError
from mcp_spec.http_headers import validate_request_headers
from mcp_spec.messages import validate_message
from mcp_spec.tool_schemas import ToolSchemaError, compile_tool_schema
from mcp_spec.tool_schemas._dialects import DEFAULT_DIALECT
from mcp_spec.tool_schemas._limits import ToolSchemaLimits
from mcp_spec.tool_schemas._preflight import Preflight

from .conftest import example_files, load_json

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REVISION = "2026-07-28"

# Key characters that pointers treat specially, plus Unicode and digits.
KEYS = st.text(alphabet="a/~%2F01é ", max_size=4)
INDEXES = st.sampled_from(["0", "1", "01", "+1", "-0", "1 ", "", "2"])


def _encode(token: str, choices: list[bool]) -> str:
    """`token` escaped as a pointer token, some characters percent-encoded."""
    escaped = token.replace("~", "~0").replace("/", "~1")
    return "".join(
        quote(char, safe="") if pick else char
        for char, pick in zip(escaped, choices + [False] * len(escaped), strict=False)
    )


@st.composite
def _references(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    keys = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
    # Each target is {"const": n}: which n the engine accepts says where it resolved.
    defs: dict[str, Any] = {key: {"const": n} for n, key in enumerate(keys)}
    defs["list"] = {"anyOf": [{"const": 100}, {"const": 101}, {"const": 102}]}
    if draw(st.booleans()):
        tokens = ["$defs", "list", "anyOf", draw(INDEXES)]
    else:
        tokens = ["$defs", draw(st.sampled_from(keys) | KEYS)]
    parts: list[str] = []
    for token in tokens:
        if draw(st.booleans()):
            parts.append(_encode(token, draw(st.lists(st.booleans(), max_size=8))))
        else:  # raw: slashes and tildes unescaped, as a careless writer would
            parts.append(draw(st.sampled_from([token, quote(token, safe="")])))
    return {"$defs": defs, "$ref": "#/" + "/".join(parts)}, "#/" + "/".join(parts)


def _engine_targets(schema: dict[str, Any]) -> set[int] | None:
    """The consts the engine's resolution accepts, or None when it refuses the schema."""
    try:
        engine = jsonschema_rs.Draft202012Validator(schema)
        return {n for n in [*range(8), 100, 101, 102] if engine.is_valid(n)}
    except (jsonschema_rs.ValidationError, ValueError, jsonschema_rs.ReferencingError):
        return None


@BOUNDED
@given(_references())
def test_preflight_resolves_pointers_as_the_engine_does(drawn: tuple[dict[str, Any], str]) -> None:
    schema, _ = drawn
    try:
        graph = Preflight(schema, DEFAULT_DIALECT, ToolSchemaLimits()).run()
    except ToolSchemaError:
        return  # refusing is always allowed; resolving differently is not
    (target,) = graph.in_place[0]
    node: Any = schema
    for token in graph.pointers[target].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    assert _engine_targets(schema) == {node["const"]}


def test_percent_encoding_is_decoded_before_the_pointer_is_split() -> None:
    schema = {
        "$defs": {"a/b": {"const": 1}, "a": {"$defs": {"b": {"const": 2}}}},
        "$ref": "#/$defs/a%2F$defs%2Fb",
    }
    assert compile_tool_schema(schema).is_valid(2)
    assert _engine_targets(schema) == {2}
    schema["$ref"] = "#/$defs/a~1b"
    assert compile_tool_schema(schema).is_valid(1)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
ESCAPES = (TypeError, UnicodeEncodeError, RecursionError, AttributeError, KeyError, IndexError)


def _no_escape(call: Any) -> None:
    try:
        call()
    except MCPSpecError:
        return
    except ESCAPES as error:  # pragma: no cover - the finding
        raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
    except ValueError as error:  # pragma: no cover - only MCPSpecError subclasses may
        raise AssertionError(f"ValueError escaped: {error}") from error


def _frames() -> list[Any]:
    return [frame for path in example_files() if "jsonrpc" in (frame := load_json(path))]


@BOUNDED
@given(st.binary(max_size=64) | st.text(max_size=64), st.sampled_from(["client", "server"]))
def test_random_text_never_escapes(raw: bytes | str, sender: str) -> None:
    _no_escape(lambda: validate_message(REVISION, raw, sender=sender))  # type: ignore[arg-type]
    _no_escape(lambda: validate_request_headers(REVISION, {"Mcp-Method": "ping"}, raw))


@BOUNDED
@given(JSON, st.sampled_from(["client", "server"]))
def test_random_json_never_escapes(value: Any, sender: str) -> None:
    _no_escape(lambda: validate_message(REVISION, value, sender=sender))  # type: ignore[arg-type]
    try:
        text = json.dumps(value)
    except ValueError:
        return
    _no_escape(lambda: validate_message(REVISION, text, sender=sender))  # type: ignore[arg-type]


@BOUNDED
@given(st.data())
def test_mutated_frames_never_escape(data: st.DataObject) -> None:
    frames = _frames()
    frame = json.loads(json.dumps(data.draw(st.sampled_from(frames))))
    node = frame
    while True:  # walk to a random container, then replace or add a member
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or data.draw(st.booleans()):
            node[key] = data.draw(JSON | st.just("\udc00") | st.just(10**5000))
            break
        node = node[key]
    for sender in ("client", "server"):
        _no_escape(lambda: validate_message(REVISION, frame, sender=sender))  # type: ignore[arg-type]  # noqa: B023
        _no_escape(
            lambda: validate_request_headers(
                REVISION, {"MCP-Protocol-Version": REVISION, "Mcp-Method": "x"}, frame
            )
        )


KEYWORDS = st.sampled_from(
    [
        "type", "properties", "items", "prefixItems", "allOf", "anyOf", "oneOf", "not",
        "$ref", "$defs", "$anchor", "$dynamicRef", "$dynamicAnchor", "enum", "const",
        "pattern", "patternProperties", "minimum", "maximum", "multipleOf", "uniqueItems",
        "required", "additionalProperties", "if", "then", "else", "$id", "$schema",
        "dependentSchemas", "contains", "minItems", "format", "\udcff",
    ]
)  # fmt: skip
SCHEMAS = st.recursive(
    st.booleans() | st.dictionaries(KEYWORDS, JSON, max_size=3),
    lambda inner: st.dictionaries(
        KEYWORDS, inner | st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3)
    ),
    max_leaves=12,
)


@BOUNDED
@given(SCHEMAS, JSON)
def test_random_schemas_never_escape(schema: Any, instance: Any) -> None:
    def run() -> None:
        compile_tool_schema(schema).is_valid(instance)

    _no_escape(run)
    _no_escape(lambda: compile_tool_schema(schema).errors(instance))


@BOUNDED
@given(JSON, JSON)
def test_any_tool_and_arguments_never_escape(tool: Any, arguments: Any) -> None:
    from mcp_spec.tool_schemas import validate_structured_content, validate_tool_arguments

    for candidate in (tool, {"name": "t", "inputSchema": tool, "outputSchema": tool}):
        _no_escape(lambda: validate_tool_arguments(candidate, arguments))  # noqa: B023
        _no_escape(lambda: validate_structured_content(candidate, arguments))  # noqa: B023
