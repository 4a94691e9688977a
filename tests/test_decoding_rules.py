"""The decoding rules and capped reporting, stated through the public API, so they keep holding
whichever decoder `mcp_spec` uses: one nesting limit for bytes, text and parsed frames; lone
surrogates and invalid UTF-8 are PARSE_ERROR; integers past MAX_INTEGER_DIGITS are refused,
never compared inexactly; echoed values are cut; problems are capped and the rest counted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from mcp_spec._json import MAX_ECHO_CHARS, MAX_INTEGER_DIGITS, MAX_NESTING_DEPTH
from mcp_spec.errors import (
    INVALID_PARAMS,
    MAX_PROBLEMS,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    ValidationError,
)
from mcp_spec.messages import validate_message
from mcp_spec.tool_schemas import validate_tool_arguments
from mcp_spec.v2026_07_28 import validators
from mcp_spec_gen.cli import app

LATEST = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": LATEST,
    "io.modelcontextprotocol/clientInfo": {"name": "c", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def _call(arguments: Any) -> dict[str, Any]:
    params = {"_meta": META, "name": "t", "arguments": arguments}
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}


def _nested(containers: int) -> dict[str, Any]:
    """A tools/call frame nesting `containers` objects in all (frame, params, arguments...)."""
    arguments: dict[str, Any] = {}
    for _ in range(containers - 3):
        arguments = {"a": arguments}
    return _call(arguments)


FORMS = {
    "bytes": lambda frame: json.dumps(frame).encode(),
    "str": json.dumps,
    "dict": lambda frame: frame,
}


@pytest.mark.parametrize("form", FORMS)
def test_one_nesting_limit_for_bytes_text_and_dicts(form: str) -> None:
    assert MAX_NESTING_DEPTH >= 512
    encode = FORMS[form]
    message = validate_message(LATEST, encode(_nested(MAX_NESTING_DEPTH)), sender="client")
    assert message.method == "tools/call"
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, encode(_nested(MAX_NESTING_DEPTH + 1)), sender="client")
    assert caught.value.code == PARSE_ERROR
    assert f"nesting deeper than {MAX_NESTING_DEPTH} levels" in str(caught.value)


def test_nesting_limit_holds_for_parse_json_and_any_depth_of_brackets() -> None:
    with pytest.raises(ValidationError) as caught:
        validators.parse_json("Tool", b"[" * 5_000_000)
    assert caught.value.code == PARSE_ERROR
    deep = b'{"name": "x", "inputSchema": {"type": "object"}, "x": ' + b"[" * 600 + b"]" * 600
    with pytest.raises(ValidationError) as caught:
        validators.parse_json("Tool", deep + b"}")
    assert caught.value.code == PARSE_ERROR
    tool = b'{"name": "x", "inputSchema": {"type": "object"}, "x": ' + b"[" * 400 + b"]" * 400
    assert validators.parse_json("Tool", tool + b"}").name == "x"


@pytest.mark.parametrize(
    "raw",
    [
        '{"jsonrpc": "2.0", "id": 1, "method": "ping", "x": "\ud800"}',  # a str frame
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "x": "\\ud800"}',  # escaped
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "x": "\xff"}',  # not UTF-8
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "x": NaN}',
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "x": Infinity}',
    ],
)
def test_text_that_is_not_json_is_a_parse_error(raw: str | bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, raw, sender="client")
    assert caught.value.code == PARSE_ERROR


def test_lone_surrogates_in_parsed_frames_are_a_parse_error_too() -> None:
    frame = _call({"city": "\udc00"})
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, frame, sender="client")
    assert caught.value.code == PARSE_ERROR


@pytest.mark.parametrize("form", FORMS)
def test_integers_are_exact_up_to_the_digit_limit_and_refused_past_it(form: str) -> None:
    def frame(digits: int) -> Any:  # an integer of `digits` nines
        if form == "dict":
            return _call({"n": 10**digits - 1})
        text = json.dumps(_call({"n": "N"})).replace('"N"', "9" * digits)
        return text.encode() if form == "bytes" else text

    assert validate_message(LATEST, frame(MAX_INTEGER_DIGITS), sender="client")
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, frame(MAX_INTEGER_DIGITS + 1), sender="client")
    assert caught.value.code == PARSE_ERROR
    assert len(str(caught.value)) < 1_000


def test_tool_arguments_never_compare_big_integers_inexactly() -> None:
    exact = {"name": "t", "inputSchema": {"properties": {"n": {"maximum": 10**30}}}}
    validate_tool_arguments(exact, {"n": 10**30})
    for refused in (10**30 + 1, 10**5000):
        with pytest.raises(ValidationError) as caught:
            validate_tool_arguments(exact, {"n": refused})
        assert caught.value.code == INVALID_PARAMS
    # A float in the schema is compared through 64-bit floats: exact only within 2**53.
    floating = {"name": "t", "inputSchema": {"properties": {"n": {"maximum": 1e300}}}}
    validate_tool_arguments(floating, {"n": 2**53})
    with pytest.raises(ValidationError, match="cannot be compared exactly"):
        validate_tool_arguments(floating, {"n": 2**53 + 1})


def test_echoed_values_are_cut() -> None:
    frame = {"jsonrpc": "2.0", "id": 1, "method": "x" * 1_000_000}
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, frame, sender="client")
    assert caught.value.code == METHOD_NOT_FOUND
    assert "x" * MAX_ECHO_CHARS in str(caught.value)
    assert len(str(caught.value)) < 4 * MAX_ECHO_CHARS
    with pytest.raises(ValidationError) as caught:
        validate_message(LATEST, {"jsonrpc": 10**5000, "id": 1}, sender="client")
    assert len(str(caught.value)) < 4 * MAX_ECHO_CHARS


def _tools(count: int) -> dict[str, Any]:
    tools = [{"name": i, "inputSchema": {"type": "object"}} for i in range(count)]
    return {"jsonrpc": "2.0", "id": 1, "result": {"tools": tools}}


def test_problems_are_capped_and_the_rest_counted() -> None:
    with pytest.raises(ValidationError) as caught:
        validators.validate("ListToolsResult", _tools(300)["result"])
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.omitted is not None and caught.value.omitted > 300 - MAX_PROBLEMS
    with pytest.raises(ValidationError) as caught:
        validate_message(
            LATEST, _tools(300), sender="server", request_method="tools/list", max_problems=5
        )
    assert len(caught.value.problems) == 5
    assert caught.value.code == INVALID_PARAMS


def test_large_invalid_instances_report_a_bounded_amount() -> None:
    for count in (5_000, 50_000):  # the first violation, then the verdict alone
        with pytest.raises(ValidationError) as caught:
            validate_message(LATEST, _tools(count), sender="server", request_method="tools/list")
        assert len(caught.value.problems) == 1
        assert caught.value.omitted is None
        assert caught.value.code == INVALID_PARAMS
        assert caught.value.problems[0].pointer.startswith("/result")


def test_cli_report_is_capped(tmp_path: Any) -> None:
    path = tmp_path / "frame.json"
    path.write_text(json.dumps(_tools(300)))
    args = ["validate", str(path), "-r", LATEST, "--message", "--request-method", "tools/list"]
    result = CliRunner().invoke(app, [*args, "--max-problems", "3"])
    assert result.exit_code == 1
    assert result.output.count("\n") < 10
    assert "more problems" in result.output
    as_json = json.loads(CliRunner().invoke(app, [*args, "--json"]).output)
    assert len(as_json["problems"]) == MAX_PROBLEMS and as_json["omitted"] > 0


def test_unicode_text_is_not_mistaken_for_a_surrogate() -> None:
    frame = _call({"café": "naïve \U0001f600", "\u00e9": ["\u2028"]})
    assert validate_message(LATEST, frame, sender="client").method == "tools/call"
    assert validate_message(LATEST, json.dumps(frame, ensure_ascii=False), sender="client")
