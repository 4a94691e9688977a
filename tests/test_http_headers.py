"""SEP-2243 HTTP headers: value encoding, x-mcp-header rules, client derivation, server checks."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from mcp_spec.errors import HEADER_MISMATCH, INVALID_REQUEST, PARSE_ERROR, ValidationError
from mcp_spec.http_headers import (
    MAX_SAFE_HEADER_INTEGER,
    MCP_METHOD_HEADER,
    MCP_NAME_HEADER,
    MCP_PROTOCOL_VERSION_HEADER,
    HeaderParameter,
    check_tool_headers,
    decode_header_value,
    encode_header_value,
    header_parameters,
    headers_for_request,
    name_header_methods,
    usable_tools,
    validate_request_headers,
)

from .conftest import REVISIONS, load_json

MODERN = "2026-07-28"
LEGACY = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def tool(name: str, properties: dict[str, Any], **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "inputSchema": {"type": "object", "properties": properties, **schema},
    }


def header(name: str, kind: str = "string", **schema: Any) -> dict[str, Any]:
    return {"type": kind, "x-mcp-header": name, **schema}


WEATHER = tool(
    "get_weather",
    {
        "region": header("Region"),
        "days": header("Days", "integer"),
        "metric": header("Metric", "boolean"),
        "place": {
            "type": "object",
            "properties": {"zip": header("Zip"), "inner": {"properties": {"x": header("X")}}},
        },
        "note": {"type": "string"},
    },
)


def call(arguments: dict[str, Any], name: str = "get_weather") -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"_meta": META, "name": name, "arguments": arguments},
    }


def request(method: str, **params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 7, "method": method, "params": {"_meta": META, **params}}


def rejection(headers: Any, frame: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_request_headers(MODERN, headers, frame, **kwargs)
    assert caught.value.code == HEADER_MISMATCH
    assert caught.value.http_status == 400
    return caught.value


# -- value encoding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("us-west1", "us-west1"),
        ("Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?="),
        (" padded ", "=?base64?IHBhZGRlZCA=?="),
        ("line1\nline2", "=?base64?bGluZTEKbGluZTI=?="),
        ("=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="),
        ("a b\tc", "a b\tc"),  # space and tab inside stay plain
        ("tab\t", "=?base64?dGFiCQ==?="),
        ("=?BASE64?x?=", "=?BASE64?x?="),  # the markers are lowercase only
        ("", ""),
        (42, "42"),
        (-7, "-7"),
        (42.0, "42"),
        (True, "true"),
        (False, "false"),
        (MAX_SAFE_HEADER_INTEGER, str(MAX_SAFE_HEADER_INTEGER)),
    ],
)
def test_encoding_examples(value: Any, encoded: str) -> None:
    assert encode_header_value(value) == encoded
    if isinstance(value, str):
        assert decode_header_value(encoded) == value


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (2**53, "safe integer range"),
        (-(2**53), "safe integer range"),
        (4.5, "not an integer"),
        (float("nan"), "not an integer"),
        ("\ud800", "not valid Unicode"),
        ([1], "cannot be a header value"),
        (None, "cannot be a header value"),
    ],
)
def test_values_that_cannot_be_headers(value: Any, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        encode_header_value(value)


@given(st.text())
@settings(max_examples=300)
def test_encoding_round_trips_any_unicode_string(value: str) -> None:
    encoded = encode_header_value(value)
    assert decode_header_value(encoded) == value
    # What goes on the wire is always a clean header value.
    assert all(char == "\t" or " " <= char <= "~" for char in encoded)
    assert encoded == encoded.strip(" \t")
    # Plain values are sent as they are, everything else in the sentinel form.
    plain = encoded == value
    assert plain != (encoded.startswith("=?base64?") and encoded.endswith("?="))


@pytest.mark.parametrize(
    "value",
    [
        "=?base64?SGVsbG8?=",  # missing padding
        "=?base64?SGVs bG8=?=",  # not base64 alphabet
        "=?base64?QR==?=",  # non-canonical trailing bits (canonical: QQ==)
        "=?base64?/w==?=",  # 0xFF is not UTF-8
        "=?base64?7aCA?=",  # an encoded lone surrogate is not UTF-8 either
    ],
)
def test_decoding_is_strict(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_header_value(value)
    assert caught.value.code == HEADER_MISMATCH
    assert repr(value) in str(caught.value)


# -- x-mcp-header annotation rules --------------------------------------------------------

INVALID_TOOLS = {
    "empty": (tool("t", {"a": header("")}), "is empty"),
    "not a token (space)": (tool("t", {"a": header("My Region")}), "not an HTTP token"),
    "not a token (colon)": (tool("t", {"a": header("Region:")}), "not an HTTP token"),
    "not a token (non-ASCII)": (tool("t", {"a": header("Régión")}), "not an HTTP token"),
    "carriage return": (tool("t", {"a": header("Re\rgion")}), "control characters"),
    "line feed": (tool("t", {"a": header("Region\n")}), "control characters"),
    "not a string": (tool("t", {"a": {"type": "string", "x-mcp-header": 5}}), "string"),
    "duplicate": (
        tool("t", {"a": header("Region"), "b": header("REGION")}),
        "case-insensitively",
    ),
    "number": (tool("t", {"a": header("N", "number")}), "'number' is not allowed"),
    "object": (tool("t", {"a": header("O", "object")}), "not a primitive"),
    "array": (tool("t", {"a": header("A", "array")}), "not a primitive"),
    "no type": (tool("t", {"a": {"x-mcp-header": "A"}}), "declares no type"),
    "two types": (tool("t", {"a": header("A", ["string", "integer"])}), "single primitive"),
    "on the root": (
        {"name": "t", "inputSchema": {"type": "object", "x-mcp-header": "Root"}},
        "schema root",
    ),
    "under items": (
        tool("t", {"a": {"type": "array", "items": header("Item")}}),
        "under `items`",
    ),
    "under prefixItems": (
        tool("t", {"a": {"type": "array", "prefixItems": [header("Item")]}}),
        "under `prefixItems`",
    ),
    "under anyOf": (tool("t", {"a": {"anyOf": [header("A")]}}), "under `anyOf`"),
    "under oneOf": (tool("t", {"a": {"oneOf": [header("A")]}}), "under `oneOf`"),
    "under allOf": (tool("t", {}, allOf=[{"properties": {"a": header("A")}}]), "under `allOf`"),
    "under not": (tool("t", {"a": {"not": header("A")}}), "under `not`"),
    "under if": (tool("t", {}, **{"if": {"properties": {"a": header("A")}}}), "under `if`"),
    "under then": (tool("t", {}, then={"properties": {"a": header("A")}}), "under `then`"),
    "under else": (tool("t", {}, **{"else": {"properties": {"a": header("A")}}}), "under `else`"),
    "under additionalProperties": (
        tool("t", {}, additionalProperties=header("A")),
        "under `additionalProperties`",
    ),
    "under patternProperties": (
        tool("t", {}, patternProperties={"^a": header("A")}),
        "under `patternProperties`",
    ),
    "through $ref (the target)": (
        tool("t", {"a": {"$ref": "#/$defs/A"}}, **{"$defs": {"A": header("A")}}),
        "under `$defs`",
    ),
    "through $ref (beside it)": (
        tool("t", {"a": {"$ref": "#/$defs/A", "x-mcp-header": "A"}}, **{"$defs": {}}),
        "declares no type",
    ),
    "nested under items": (
        tool(
            "t",
            {
                "a": {
                    "type": "array",
                    "items": {"properties": {"b": {"properties": {"c": header("C")}}}},
                }
            },
        ),
        "under `items`",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_TOOLS))
def test_each_invalid_annotation_drops_its_tool_only(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    invalid, reason = INVALID_TOOLS[case]
    problems = check_tool_headers(invalid)
    assert problems and any(reason in problem.message for problem in problems), problems
    assert all(problem.pointer.endswith("/x-mcp-header") for problem in problems)
    assert check_tool_headers(WEATHER) == []
    with caplog.at_level(logging.WARNING, logger="mcp_spec.http_headers"):
        kept = usable_tools({"tools": [WEATHER, invalid]})
    assert kept == [WEATHER]
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.name == "mcp_spec.http_headers"
    assert "'t'" in record.getMessage() and reason in record.getMessage()


def test_valid_annotations_and_their_paths() -> None:
    assert header_parameters(WEATHER) == (
        HeaderParameter("Region", ("region",), "string"),
        HeaderParameter("Days", ("days",), "integer"),
        HeaderParameter("Metric", ("metric",), "boolean"),
        HeaderParameter("Zip", ("place", "zip"), "string"),
        HeaderParameter("X", ("place", "inner", "x"), "string"),
    )
    nullable = tool("t", {"a": header("A", ["string", "null"])})
    assert header_parameters(nullable) == (HeaderParameter("A", ("a",), "string"),)
    assert HeaderParameter("Zip", ("place", "zip"), "string").header_name == "Mcp-Param-Zip"


def test_x_mcp_header_as_data_is_not_an_annotation() -> None:
    named = tool(
        "t",
        {
            "x-mcp-header": {"type": "string"},  # a property *named* x-mcp-header
            "c": {"const": {"x-mcp-header": "no space allowed"}},
            "d": {"type": "object", "default": {"x-mcp-header": ""}},
        },
    )
    assert check_tool_headers(named) == []
    assert header_parameters(named) == ()


def test_all_problems_of_a_tool_are_reported() -> None:
    both = tool("t", {"a": header("", "string"), "b": header("B", "number")})
    assert [problem.pointer for problem in check_tool_headers(both)] == [
        "/inputSchema/properties/a/x-mcp-header",
        "/inputSchema/properties/b/x-mcp-header",
    ]


def test_usable_tools_keeps_models_and_accepts_every_shape(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from mcp_spec.v2026_07_28 import ListToolsResult

    bad = tool("bad", {"n": header("N", "number")})
    result = ListToolsResult.model_validate(
        {"resultType": "complete", "ttlMs": 0, "cacheScope": "private", "tools": [WEATHER, bad]}
    )
    with caplog.at_level(logging.WARNING, logger="mcp_spec.http_headers"):
        kept = usable_tools(result)
        assert [type(item) for item in kept] == [type(result.tools[0])]
        assert [item.name for item in kept] == ["get_weather"]
        assert usable_tools([WEATHER, bad]) == [WEATHER]
    assert ["'bad'" in record.getMessage() for record in caplog.records] == [True, True]
    with pytest.raises(ValidationError, match="list `tools`"):
        usable_tools({"tools": 3})


@pytest.mark.parametrize("version", LEGACY)
def test_legacy_versions_keep_every_tool(version: str, caplog: pytest.LogCaptureFixture) -> None:
    bad = tool("bad", {"n": header("N", "number")})
    with caplog.at_level(logging.WARNING, logger="mcp_spec.http_headers"):
        assert usable_tools({"tools": [WEATHER, bad]}, version=version) == [WEATHER, bad]
    assert caplog.records == []
    assert usable_tools({"tools": [WEATHER, bad]}, version="draft") == [WEATHER]


def test_legacy_tool_models_are_checked_in_wire_form() -> None:
    from mcp_spec.v2025_06_18 import Tool

    model = Tool.model_validate(tool("t", {"a": header("A", "number")}))
    assert "'number' is not allowed" in check_tool_headers(model)[0].message


# -- method table -----------------------------------------------------------------------


@pytest.mark.parametrize("version", REVISIONS)
def test_name_header_methods_come_from_the_method_table(version: str) -> None:
    expected = set() if version in LEGACY else {"tools/call", "prompts/get", "resources/read"}
    assert name_header_methods(version) == expected


# -- client: headers_for_request ------------------------------------------------------


def test_tools_call_headers() -> None:
    arguments = {
        "region": "Hello, 世界",
        "days": 3,
        "metric": False,
        "place": {"zip": "10001", "inner": {"x": None}},
        "note": "not mirrored",
    }
    assert headers_for_request(MODERN, call(arguments), tool=WEATHER) == {
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call",
        "Mcp-Name": "get_weather",
        "Mcp-Param-Region": "=?base64?SGVsbG8sIOS4lueVjA==?=",
        "Mcp-Param-Days": "3",
        "Mcp-Param-Metric": "false",
        "Mcp-Param-Zip": "10001",
    }


def test_absent_or_null_arguments_send_no_header() -> None:
    headers = headers_for_request(
        MODERN, call({"region": None, "place": "not an object"}), tool=WEATHER
    )
    assert not any(name.startswith("Mcp-Param-") for name in headers)
    assert "Mcp-Param-Region" not in headers_for_request(MODERN, call({}), tool=WEATHER)
    frame = call({})
    del frame["params"]["arguments"]
    assert "Mcp-Param-Region" not in headers_for_request(MODERN, frame, tool=WEATHER)


def test_without_the_tool_no_param_headers() -> None:
    headers = headers_for_request(MODERN, call({"region": "eu"}))
    assert set(headers) == {MCP_PROTOCOL_VERSION_HEADER, MCP_METHOD_HEADER, MCP_NAME_HEADER}


@pytest.mark.parametrize(
    ("frame", "name"),
    [
        (request("prompts/get", name="greet"), "greet"),
        (request("resources/read", uri="file:///tmp/ü.txt"), "=?base64?ZmlsZTovLy90bXAvw7wudHh0?="),
        (request("tools/list"), None),
        (request("server/discover"), None),
    ],
)
def test_mcp_name_follows_the_method_table(frame: dict[str, Any], name: str | None) -> None:
    headers = headers_for_request(MODERN, frame)
    assert headers[MCP_METHOD_HEADER] == frame["method"]
    assert headers.get(MCP_NAME_HEADER) == name
    if name is not None:
        assert decode_header_value(name) in frame["params"].values()


def test_notifications_responses_and_other_inputs() -> None:
    note = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}
    assert headers_for_request(MODERN, note) == {
        "MCP-Protocol-Version": MODERN,
        "Mcp-Method": "notifications/cancelled",
    }
    response = {"jsonrpc": "2.0", "id": 1, "result": {}}
    assert headers_for_request(MODERN, response) == {"MCP-Protocol-Version": MODERN}
    as_bytes = json.dumps(call({"region": "eu"})).encode()
    assert headers_for_request(MODERN, as_bytes, tool=WEATHER)["Mcp-Param-Region"] == "eu"
    # draft speaks the latest version on the wire, as its examples do
    assert headers_for_request("draft", note)[MCP_PROTOCOL_VERSION_HEADER] == MODERN


def test_model_frames_and_tools() -> None:
    from mcp_spec.v2026_07_28 import CallToolRequest, Tool

    frame = CallToolRequest.model_validate(call({"region": "eu", "days": 2}))
    headers = headers_for_request(MODERN, frame, tool=Tool.model_validate(WEATHER))
    assert headers["Mcp-Param-Region"] == "eu" and headers["Mcp-Param-Days"] == "2"


@pytest.mark.parametrize("version", LEGACY)
def test_legacy_requests_get_no_headers(version: str) -> None:
    assert headers_for_request(version, call({"region": "eu"}), tool=WEATHER) == {}


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (request("tools/call"), {}, "needs a string params.name"),
        (request("resources/read", uri=5), {}, "needs a string params.uri"),
        (call({"region": ["a"]}), {"tool": WEATHER}, "cannot be a header value"),
        (call({"days": 2**60}), {"tool": WEATHER}, "safe integer range"),
        (call({}, name="other"), {"tool": WEATHER}, "the request calls 'other'"),
        (request("prompts/get", name="p"), {"tool": WEATHER}, "tools/call requests only"),
        (call({}, name="t"), {"tool": INVALID_TOOLS["number"][0]}, "invalid x-mcp-header"),
        ({"jsonrpc": "2.0", "method": "a\r\nb"}, {}, "cannot be sent as a header"),
        (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "ping",
                "params": {
                    "_meta": {**META, "io.modelcontextprotocol/protocolVersion": "2025-11-25"}
                },
            },
            {},
            "is not '2026-07-28'",
        ),
    ],
)
def test_messages_that_cannot_be_mirrored(
    frame: dict[str, Any], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        headers_for_request(MODERN, frame, **kwargs)


def test_argument_errors_point_into_the_body() -> None:
    with pytest.raises(ValidationError) as caught:
        headers_for_request(MODERN, call({"place": {"zip": 3.5}}), tool=WEATHER)
    assert caught.value.problems[0].pointer == "/params/arguments/place/zip"


# -- server: validate_request_headers -------------------------------------------------------

FULL = call({"region": "Hello, 世界", "days": 42, "metric": True, "place": {"zip": "=?base64?x?="}})


def test_client_headers_pass_server_validation() -> None:
    for frame, kwargs in [
        (FULL, {"tool": WEATHER}),
        (request("resources/read", uri="file:///ü"), {}),
        (request("tools/list"), {}),
        ({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}, {}),
    ]:
        headers = headers_for_request(MODERN, frame, **kwargs)
        validate_request_headers(MODERN, headers, frame, **kwargs)
        validate_request_headers("draft", headers, frame, **kwargs)


@given(
    st.text(),
    st.integers(-MAX_SAFE_HEADER_INTEGER, MAX_SAFE_HEADER_INTEGER),
    st.booleans(),
)
@settings(max_examples=100)
def test_any_arguments_round_trip_through_the_headers(region: str, days: int, metric: bool) -> None:
    frame = call({"region": region, "days": days, "metric": metric})
    headers = headers_for_request(MODERN, frame, tool=WEATHER)
    validate_request_headers(MODERN, list(headers.items()), frame, tool=WEATHER)


@pytest.mark.parametrize("case", [str.lower, str.upper, str.swapcase])
def test_header_names_compare_case_insensitively(case: Any) -> None:
    headers = headers_for_request(MODERN, FULL, tool=WEATHER)
    validate_request_headers(MODERN, {case(k): v for k, v in headers.items()}, FULL, tool=WEATHER)
    # ... raw (ASGI-style) byte pairs too
    raw = [(case(k).encode(), v.encode()) for k, v in headers.items()]
    validate_request_headers(MODERN, raw, FULL, tool=WEATHER)


def test_values_compare_case_sensitively() -> None:
    headers = headers_for_request(MODERN, FULL, tool=WEATHER)
    headers["Mcp-Method"] = "Tools/Call"
    error = rejection(headers, FULL, tool=WEATHER)
    assert error.problems[0].pointer == "/method"


def with_headers(**changes: str | None) -> dict[str, str]:
    headers = headers_for_request(MODERN, FULL, tool=WEATHER)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    return headers


@pytest.mark.parametrize(
    ("changes", "pointer", "message"),
    [
        # a required standard header is missing
        (
            {"MCP_Protocol_Version": None},
            "/params/_meta/io.modelcontextprotocol~1protocolVersion",
            "MCP-Protocol-Version header is missing",
        ),
        ({"Mcp_Method": None}, "/method", "Mcp-Method header is missing (body value 'tools/call')"),
        (
            {"Mcp_Name": None},
            "/params/name",
            "Mcp-Name header is missing (body value 'get_weather')",
        ),
        # a header differs from the body
        (
            {"MCP_Protocol_Version": "2025-11-25"},
            "/params/_meta/io.modelcontextprotocol~1protocolVersion",
            "header value '2025-11-25' does not match body value '2026-07-28'",
        ),
        (
            {"Mcp_Method": "tools/list"},
            "/method",
            "Mcp-Method header value 'tools/list' does not match body value 'tools/call'",
        ),
        (
            {"Mcp_Name": "other"},
            "/params/name",
            "Mcp-Name header value 'other' does not match body value 'get_weather'",
        ),
        (
            {"Mcp_Name": "=?base64?b3RoZXI=?="},
            "/params/name",
            "does not match body value 'get_weather'",
        ),
        ({"Mcp_Param_Region": "Hello, 世界"}, "/params/arguments/region", "invalid characters"),
        (
            {"Mcp_Param_Region": "=?base64?SGVsbG8=?="},
            "/params/arguments/region",
            "does not match body value 'Hello, 世界'",
        ),
        ({"Mcp_Param_Zip": "=?base64?x?="}, "/params/arguments/place/zip", "not valid base64"),
        (
            {"Mcp_Param_Metric": "True"},
            "/params/arguments/metric",
            "header value 'True' does not match body value True",
        ),
        ({"Mcp_Param_Metric": "1"}, "/params/arguments/metric", "does not match body value True"),
        (
            {"Mcp_Param_Days": "43"},
            "/params/arguments/days",
            "header value '43' does not match body value 42",
        ),
        # invalid characters
        ({"Mcp_Name": "get_weather\r\nX-Evil: 1"}, "/params/name", "invalid characters"),
        ({"Mcp_Method": "tools/call\x00"}, "/method", "invalid characters"),
        # bad base64 names the header
        (
            {"Mcp_Name": "=?base64?not base64?="},
            "/params/name",
            "Mcp-Name header value '=?base64?not base64?=' is not valid base64",
        ),
        # an annotated argument in the body without its header
        (
            {"Mcp_Param_Region": None},
            "/params/arguments/region",
            "Mcp-Param-Region header is missing (body value 'Hello, 世界')",
        ),
        ({"Mcp_Param_Zip": None}, "/params/arguments/place/zip", "Mcp-Param-Zip header is missing"),
        # a header for an annotated argument the body does not have
        (
            {"Mcp_Param_X": "1"},
            "/params/arguments/place/inner/x",
            "Mcp-Param-X header value '1' has no body value",
        ),
    ],
)
def test_each_mismatch_is_rejected(
    changes: dict[str, str | None], pointer: str, message: str
) -> None:
    error = rejection(with_headers(**changes), FULL, tool=WEATHER)
    assert [problem.pointer for problem in error.problems] == [pointer]
    assert message in error.problems[0].message
    assert str(error).startswith("Header mismatch: ")


def test_the_error_message_has_the_official_form(source: Any) -> None:
    from mcp_spec.v2026_07_28 import HeaderMismatchError

    path = source / "schema" / MODERN / "examples" / "HeaderMismatchError" / "header-mismatch.json"
    official = load_json(path)
    frame = request("tools/call", name="bar")
    headers = headers_for_request(MODERN, frame)
    error = rejection({**headers, "Mcp-Name": "foo"}, frame)
    answer = {"jsonrpc": "2.0", "id": 1, "error": {"code": error.code, "message": error.message}}
    assert answer == official
    HeaderMismatchError.model_validate(answer)


@pytest.mark.parametrize(
    ("value", "matches"),
    [
        ("42", True),
        ("42.0", True),
        ("4.2e1", True),
        ("420E-1", True),
        ("=?base64?NDI=?=", True),  # base64 of "42": decoding applies to every mirrored value
        (" 42 ", True),  # surrounding whitespace is not part of an HTTP field value
        ("+42", False),
        ("042", False),
        ("0x2a", False),
        ("42.", False),
        ("4_2", False),
        ("42.5", False),
        ("1e999999999999999999", False),
    ],
)
def test_integer_headers_compare_numerically(value: str, matches: bool) -> None:
    headers = with_headers(Mcp_Param_Days=value)
    if matches:
        validate_request_headers(MODERN, headers, FULL, tool=WEATHER)
    else:
        assert (
            rejection(headers, FULL, tool=WEATHER).problems[0].pointer == "/params/arguments/days"
        )


def test_integer_body_values_outside_the_safe_range_are_rejected() -> None:
    frame = call({"days": 2**53})
    error = rejection(
        {**headers_for_request(MODERN, call({})), "Mcp-Param-Days": str(2**53)}, frame, tool=WEATHER
    )
    assert error.problems[0].pointer == "/params/arguments/days"


def test_unannotated_parameter_headers_are_ignored() -> None:
    headers = with_headers(Mcp_Param_Note="anything", Mcp_Param_Unknown="x")
    validate_request_headers(MODERN, headers, FULL, tool=WEATHER)
    # without the tool, no Mcp-Param header is checked
    validate_request_headers(MODERN, with_headers(Mcp_Param_Region="wrong"), FULL)


def test_every_problem_is_listed_and_duplicates_are_refused() -> None:
    headers = with_headers(Mcp_Method="x", Mcp_Name="y")
    error = rejection(headers, FULL, tool=WEATHER)
    assert [problem.pointer for problem in error.problems] == ["/method", "/params/name"]
    assert "(and 1 more)" in error.message
    pairs = [*with_headers().items(), ("mcp-name", "get_weather")]
    error = rejection(pairs, FULL, tool=WEATHER)
    assert "Mcp-Name header is sent 2 times" in error.problems[0].message


def test_meta_version_must_be_the_version_validated() -> None:
    frame = copy.deepcopy(FULL)
    frame["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
    headers = with_headers(MCP_Protocol_Version="2025-11-25")
    error = rejection(headers, frame, tool=WEATHER)
    assert "not the version being validated '2026-07-28'" in error.problems[0].message


def test_notifications_and_responses() -> None:
    note = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}
    error = rejection({"MCP-Protocol-Version": MODERN}, note)
    assert error.problems[0].message.startswith("Mcp-Method header is missing")
    error = rejection({"Mcp-Method": "notifications/cancelled"}, note)
    assert error.problems[0].message == (
        "MCP-Protocol-Version header is missing (body value '2026-07-28')"
    )
    response = {"jsonrpc": "2.0", "id": 1, "result": {}}
    validate_request_headers(MODERN, {"MCP-Protocol-Version": MODERN}, response)
    error = rejection({"MCP-Protocol-Version": MODERN, "Mcp-Method": "ping"}, response)
    assert "does not match body value None" in error.problems[0].message


@pytest.mark.parametrize("version", LEGACY)
def test_legacy_requests_are_not_checked(version: str) -> None:
    validate_request_headers(version, {"Mcp-Method": "wrong\r\n"}, b"not even json", tool=WEATHER)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", PARSE_ERROR),
        (b"\xff\xfe", PARSE_ERROR),
        (b'{"a": NaN}', PARSE_ERROR),
        (b"[" * 100_000, PARSE_ERROR),
        (b"[]", INVALID_REQUEST),
        ([call({})], INVALID_REQUEST),
        ("42", INVALID_REQUEST),
    ],
)
def test_bad_bodies_are_clear_errors(body: Any, code: int) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_request_headers(MODERN, {}, body)
    assert caught.value.code == code
    assert caught.value.http_status == 400


def test_unknown_versions_are_refused() -> None:
    from mcp_spec.errors import UnknownVersionError

    with pytest.raises(UnknownVersionError):
        validate_request_headers("2030-01-01", {}, FULL)
    with pytest.raises(UnknownVersionError):
        headers_for_request("2030-01-01", FULL)


def test_a_server_tool_with_invalid_annotations_is_a_programming_error() -> None:
    invalid = INVALID_TOOLS["number"][0]
    frame = call({"a": 1.5}, name="t")
    with pytest.raises(ValidationError) as caught:
        validate_request_headers(MODERN, headers_for_request(MODERN, frame), frame, tool=invalid)
    assert caught.value.code != HEADER_MISMATCH and caught.value.http_status is None
    assert "'t' has invalid x-mcp-header annotations" in str(caught.value)


def test_mcp_name_on_methods_without_a_target_is_ignored() -> None:
    frame = request("tools/list")
    headers = {**headers_for_request(MODERN, frame), "Mcp-Name": "anything"}
    validate_request_headers(MODERN, headers, frame)


def test_a_schema_that_contains_itself_is_refused_not_scanned_forever() -> None:
    looping: dict[str, Any] = {"type": "object", "properties": {}}
    looping["properties"]["again"] = looping  # only a Python caller can build this
    problems = check_tool_headers({"name": "loop", "inputSchema": looping})
    assert [problem.pointer for problem in problems] == ["/inputSchema"]
    assert "more than 10,000 subschemas" in problems[0].message
