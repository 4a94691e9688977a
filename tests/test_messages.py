"""Message-level validation: classification, strict envelope, method table, JSON-RPC codes."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from mcp_spec.errors import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    UnknownVersionError,
    ValidationError,
)
from mcp_spec.messages import Message, validate_message

from .conftest import MODULES, example_files, load_json
from .reference import reference_is_valid

MODERN = "2026-07-28"
LEGACY = "2025-11-25"
FRAMES = [path for path in example_files() if "jsonrpc" in load_json(path)]


def methods(rev: str) -> Any:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.methods")


def request_meta(version: str = MODERN) -> dict[str, Any]:
    return {
        "io.modelcontextprotocol/protocolVersion": version,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "c", "version": "1"},
    }


def call_tool(rev: str = MODERN, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"name": "get_weather", "arguments": {"city": "Paris"}}
    if rev == MODERN:
        params["_meta"] = request_meta()
    frame: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}
    frame.update(overrides)
    return frame


def rejected(
    frame: Any, *, version: str = MODERN, sender: str = "client", **kwargs: Any
) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_message(version, frame, sender=sender, **kwargs)  # type: ignore[arg-type]
    return caught.value


def frame_context(revision: str, type_name: str, frame: dict[str, Any]) -> tuple[str, str | None]:
    """The sender of an example frame and the method a result answers."""
    table = methods(revision).METHODS
    if "method" in frame:
        row = table[frame["method"]]
        return ("server" if row.sender == "server" else "client"), None
    if "result" in frame:
        answered = type_name.removesuffix("ResultResponse") + "Request"
        method = next(name for name, row in table.items() if row.message_type == answered)
        return ("client" if table[method].sent_by("server") else "server"), method
    return "server", None


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", FRAMES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_every_official_frame_passes_and_agrees_with_the_reference(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    frame = load_json(path)
    sender, answered = frame_context(revision, type_name, frame)
    message = validate_message(revision, path.read_bytes(), sender=sender, request_method=answered)  # type: ignore[arg-type]
    assert isinstance(message, Message)
    assert message.id == frame.get("id")
    assert reference_is_valid(revision, "JSONRPCMessage", frame)
    assert reference_is_valid(revision, type_name, frame)
    if message.kind in ("request", "notification"):
        assert type(message.model).__name__ == type_name
        assert message.method == frame["method"]
    elif message.kind == "result":
        assert message.method == answered
    else:
        assert "error" in frame


def test_official_frame_count() -> None:
    assert len(FRAMES) == 64  # 32 per modern revision at the pinned commit


def test_request_returns_the_typed_model() -> None:
    message = validate_message(MODERN, json.dumps(call_tool()), sender="client")
    assert message.kind == "request" and message.id == 1 and message.method == "tools/call"
    assert message.model.params.name == "get_weather"


def test_legacy_request_and_notification() -> None:
    message = validate_message(LEGACY, call_tool(LEGACY), sender="client")
    assert type(message.model).__name__ == "CallToolRequest"
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    note = validate_message(LEGACY, initialized, sender="client")
    assert note.kind == "notification" and note.id is None


@pytest.mark.parametrize("bad_id", [1.5, True, None, {"x": 1}, [1]])
def test_an_id_that_is_not_a_string_or_integer_is_an_invalid_request(bad_id: Any) -> None:
    error = rejected(call_tool(id=bad_id))
    assert error.code == INVALID_REQUEST
    assert [problem.pointer for problem in error.problems] == ["/id"]
    # Deliberately stricter than the schema's JSONRPCMessage, which takes such a frame for a
    # notification with an extra member; as a request the schema rejects it too.
    assert reference_is_valid(MODERN, "JSONRPCMessage", call_tool(id=bad_id))
    assert not reference_is_valid(MODERN, "JSONRPCRequest", call_tool(id=bad_id))


def test_an_id_of_1_5_in_bytes_yields_invalid_request() -> None:
    raw = b'{"jsonrpc":"2.0","id":1.5,"method":"notifications/initialized"}'
    assert rejected(raw, version=LEGACY).code == INVALID_REQUEST


@pytest.mark.parametrize("jsonrpc", ["1.0", 2.0, None, "2.0 "])
def test_an_unknown_jsonrpc_value_is_an_invalid_request(jsonrpc: Any) -> None:
    error = rejected(call_tool(jsonrpc=jsonrpc))
    assert error.code == INVALID_REQUEST and error.problems[0].pointer == "/jsonrpc"


def test_a_missing_jsonrpc_member_is_an_invalid_request() -> None:
    frame = call_tool()
    del frame["jsonrpc"]
    assert rejected(frame).code == INVALID_REQUEST


def test_result_and_error_together_are_an_invalid_request() -> None:
    frame = {"jsonrpc": "2.0", "id": 1, "result": {}, "error": {"code": 1, "message": "m"}}
    assert rejected(frame, version=LEGACY, sender="server").code == INVALID_REQUEST
    # Deliberately stricter than the schema, whose envelopes allow extra members.
    assert reference_is_valid(LEGACY, "JSONRPCMessage", frame)


@pytest.mark.parametrize(
    "frame",
    [[], [{"jsonrpc": "2.0", "method": "ping", "id": 1}], '"text"', 5, None, {"jsonrpc": "2.0"}],
)
def test_frames_that_are_not_a_message_are_invalid_requests(frame: Any) -> None:
    assert rejected(frame).code == INVALID_REQUEST


def test_method_with_result_is_an_invalid_request() -> None:
    assert rejected(call_tool(result={})).code == INVALID_REQUEST


@pytest.mark.parametrize("raw", [b"{", b'{"jsonrpc": "2.0", "id": NaN}', b"\xff\xfe", b""])
def test_malformed_json_is_a_parse_error(raw: bytes) -> None:
    error = rejected(raw)
    assert error.code == PARSE_ERROR and error.problems


def test_unknown_method_is_method_not_found() -> None:
    error = rejected(call_tool(method="tools/explode"))
    assert error.code == METHOD_NOT_FOUND and "tools/explode" in str(error)
    # A legacy-only method in the modern era, and a modern-only one in the legacy era.
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    assert rejected(initialize).code == METHOD_NOT_FOUND
    discover = {"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {}}
    assert rejected(discover, version=LEGACY).code == METHOD_NOT_FOUND


def test_a_method_the_sender_may_not_send_is_method_not_found() -> None:
    error = rejected(call_tool(), sender="server")
    assert error.code == METHOD_NOT_FOUND and "only the client sends it" in str(error)
    log = {
        "jsonrpc": "2.0",
        "method": "notifications/message",
        "params": {"level": "info", "data": "x"},
    }
    assert rejected(log, version=LEGACY, sender="client").code == METHOD_NOT_FOUND
    assert validate_message(LEGACY, log, sender="server").kind == "notification"


def test_an_input_request_is_not_a_message_in_the_modern_era() -> None:
    elicit = {"jsonrpc": "2.0", "id": 1, "method": "elicitation/create", "params": {}}
    error = rejected(elicit, sender="server")
    assert error.code == METHOD_NOT_FOUND and "InputRequiredResult" in str(error)


def test_request_without_id_and_notification_with_id_are_invalid_requests() -> None:
    frame = call_tool()
    del frame["id"]
    assert rejected(frame).code == INVALID_REQUEST
    note = {"jsonrpc": "2.0", "id": 3, "method": "notifications/initialized"}
    assert rejected(note, version=LEGACY).code == INVALID_REQUEST


def test_bad_params_are_invalid_params_with_pointers() -> None:
    frame = call_tool()
    frame["params"]["name"] = 5
    frame["params"]["arguments"] = []
    error = rejected(frame)
    assert error.code == INVALID_PARAMS
    assert {problem.pointer for problem in error.problems} == {"/params/name", "/params/arguments"}
    assert not reference_is_valid(MODERN, "CallToolRequest", frame)


def test_missing_params_are_invalid_params() -> None:
    frame = call_tool()
    del frame["params"]
    error = rejected(frame)
    assert error.code == INVALID_PARAMS and error.problems[0].pointer == "/params"


def test_modern_meta_keys_are_required_and_the_version_must_match() -> None:
    frame = call_tool()
    del frame["params"]["_meta"]["io.modelcontextprotocol/clientCapabilities"]
    error = rejected(frame)
    assert error.code == INVALID_PARAMS and error.problems[0].pointer == "/params/_meta"
    mismatch = call_tool()
    mismatch["params"]["_meta"] = request_meta("2025-11-25")
    error = rejected(mismatch)
    assert error.code == INVALID_PARAMS
    assert error.problems[0].pointer == "/params/_meta/io.modelcontextprotocol~1protocolVersion"
    assert "'2025-11-25'" in str(error)
    # The schema alone accepts it: the mismatch is a message-level check.
    assert reference_is_valid(MODERN, "CallToolRequest", mismatch)


@pytest.mark.parametrize("version", [LEGACY, MODERN])
def test_results_are_validated_against_the_answered_method(version: str) -> None:
    result = {"resultType": "complete", "content": [{"type": "text", "text": "hi"}]}
    frame = {"jsonrpc": "2.0", "id": "a", "result": result}
    message = validate_message(version, frame, sender="server", request_method="tools/call")
    assert message.kind == "result" and type(message.model).__name__ == "CallToolResult"
    bad = copy.deepcopy(frame)
    bad["result"]["content"] = [{"type": "text", "text": 5}]
    if version == MODERN:
        del bad["result"]["resultType"]  # see the next test for why
    error = rejected(bad, version=version, sender="server", request_method="tools/call")
    assert error.code == INVALID_PARAMS
    assert all(problem.pointer.startswith("/result") for problem in error.problems)
    response = "CallToolResultResponse" if version == MODERN else "JSONRPCResultResponse"
    assert reference_is_valid(version, response, frame)
    if version == MODERN:
        assert not reference_is_valid(version, response, bad)
    else:
        assert not reference_is_valid(version, "CallToolResult", bad["result"])


def test_modern_results_follow_the_schema_anyof_of_input_required_and_final() -> None:
    # 2026-07-28 answers tools/call with anyOf(InputRequiredResult, CallToolResult), and
    # InputRequiredResult only requires a string `resultType`: the schema accepts a broken
    # "complete" result as an InputRequiredResult (an official example relies on this), and so
    # do we; the model says which member it matched.
    frame = {"jsonrpc": "2.0", "id": "a", "result": {"resultType": "complete", "content": 5}}
    assert reference_is_valid(MODERN, "CallToolResultResponse", frame)
    message = validate_message(MODERN, frame, sender="server", request_method="tools/call")
    assert type(message.model).__name__ == "InputRequiredResult"


def test_an_input_required_result_parses_as_input_required_result() -> None:
    frame = {
        "jsonrpc": "2.0",
        "id": 7,
        "result": {"resultType": "input_required", "requestState": "abc"},
    }
    message = validate_message(MODERN, frame, sender="server", request_method="tools/call")
    assert type(message.model).__name__ == "InputRequiredResult"


def test_a_result_without_request_method_is_checked_as_a_generic_result() -> None:
    frame = {"jsonrpc": "2.0", "id": 7, "result": {"resultType": "complete"}}
    message = validate_message(MODERN, frame, sender="server")
    assert type(message.model).__name__ == "Result" and message.method is None
    assert (
        rejected({"jsonrpc": "2.0", "id": 7, "result": 5}, sender="server").code == INVALID_PARAMS
    )


def test_result_sender_and_request_method_are_checked() -> None:
    frame = {"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}
    assert rejected(frame, version=LEGACY, sender="client", request_method="tools/list").code == (
        INVALID_REQUEST
    )
    assert rejected(frame, version=LEGACY, sender="server", request_method="nope").code == (
        METHOD_NOT_FOUND
    )
    no_id = {"jsonrpc": "2.0", "result": {"tools": []}}
    assert rejected(no_id, version=LEGACY, sender="server").code == INVALID_REQUEST


def test_error_responses() -> None:
    error_frame = {"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "nope"}}
    message = validate_message(LEGACY, error_frame, sender="server")
    assert message.kind == "error" and message.model.error.code == -32601
    bad = {"jsonrpc": "2.0", "id": 1, "error": {"code": "x"}}
    assert rejected(bad, version=LEGACY, sender="server").code == INVALID_PARAMS
    # 2025-03-26 names the envelope JSONRPCError and requires the id.
    no_id = {"jsonrpc": "2.0", "error": {"code": -32700, "message": "parse error"}}
    assert validate_message(LEGACY, no_id, sender="server").id is None
    assert rejected(no_id, version="2025-03-26", sender="server").code == INVALID_PARAMS
    assert not reference_is_valid("2025-03-26", "JSONRPCError", no_id)


def test_unknown_version_and_sender() -> None:
    with pytest.raises(UnknownVersionError):
        validate_message("1999-01-01", call_tool(), sender="client")
    with pytest.raises(ValueError, match="sender"):
        validate_message(MODERN, call_tool(), sender="proxy")  # type: ignore[arg-type]


def _mutations(frame: dict[str, Any]) -> list[dict[str, Any]]:
    """Each params member removed, and each replaced by a number."""
    mutated: list[dict[str, Any]] = []
    for key in frame.get("params", {}):
        for change in ("drop", "number"):
            copied = copy.deepcopy(frame)
            if change == "drop":
                del copied["params"][key]
            else:
                copied["params"][key] = 5
            mutated.append(copied)
    return mutated


REQUEST_FRAMES = [path for path in FRAMES if "method" in load_json(path)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    "path", REQUEST_FRAMES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}"
)
def test_verdicts_on_mutated_frames_agree_with_the_reference(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    for frame in _mutations(load_json(path)):
        sender, _ = frame_context(revision, type_name, frame)
        try:
            validate_message(revision, frame, sender=sender)  # type: ignore[arg-type]
            ours = True
        except ValidationError as error:
            assert error.code == INVALID_PARAMS, error
            ours = False
        assert ours == reference_is_valid(revision, type_name, frame), frame
