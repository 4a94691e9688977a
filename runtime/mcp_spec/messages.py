"""Message-level validation: one JSON-RPC frame of a revision, checked as a peer must check it.

`validate_message(version, frame, sender=...)` classifies the frame (request, notification,
result response, error response), checks the envelope strictly, looks the method up in the
revision's method table, validates the body exactly against the schema (compiled validators)
and returns the typed model. A failure raises `ValidationError` whose `code` is the JSON-RPC
error a server answers with and whose `problems` carry JSON pointers into the frame:

- PARSE_ERROR (-32700): the bytes are not JSON;
- INVALID_REQUEST (-32600): the envelope is wrong (not an object, `jsonrpc` not "2.0", an `id`
  that is not a string or an integer, both `result` and `error`, a request without `id`, ...);
- METHOD_NOT_FOUND (-32601): the revision has no such method, or the sender may not send it;
- INVALID_PARAMS (-32602): the params (or a result or error body) break the schema, or, in the
  modern era, `_meta` names another protocol version than the one being validated.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal, cast

from ._base import MCPModel
from ._json import check_json_value, echo, escape_token, load_json_nested
from ._methods import MethodInfo
from ._validation import RevisionValidators
from .errors import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    MAX_PROBLEMS,
    METHOD_NOT_FOUND,
    Problem,
    ValidationError,
)
from .versions import DRAFT, Era, era_of, module_name

__all__ = ["MCPModel", "Message", "MessageKind", "Peer", "validate_message"]

MessageKind = Literal["request", "notification", "result", "error"]
Peer = Literal["client", "server"]

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
INPUT_REQUIRED = "input_required"
_OTHER_PEER: dict[str, Peer] = {"client": "server", "server": "client"}


@dataclass(frozen=True, slots=True)
class Message:
    """A validated frame: what it is, its `id`, its method (for a result: the method it
    answers) and its typed model, a generated model of the validated revision: the request
    or notification model (`CallToolRequest`), the result model (`CallToolResult`; `Result`
    without `request_method`), or the error response model (`JSONRPCErrorResponse`). Narrow
    it with `isinstance` or `match` on the revision's classes."""

    kind: MessageKind
    id: str | int | None
    method: str | None
    model: MCPModel


@dataclass(frozen=True, slots=True)
class _Revision:
    version: str
    modern: bool
    methods: ModuleType
    table: Mapping[str, MethodInfo]
    engine: RevisionValidators
    error_response: str


_REVISIONS: dict[str, _Revision] = {}


def _revision(version: str) -> _Revision:
    found = _REVISIONS.get(version)
    if found is None:
        module = module_name(version)
        validators = importlib.import_module(f"{__package__}.{module}.validators")
        engine: RevisionValidators = validators._ENGINE  # pyright: ignore[reportPrivateUsage]
        methods = importlib.import_module(f"{__package__}.{module}.methods")
        found = _Revision(
            version=version,
            modern=era_of(version) is Era.MODERN,
            methods=methods,
            table=methods.METHODS,
            engine=engine,
            error_response=(
                "JSONRPCErrorResponse"
                if "JSONRPCErrorResponse" in engine.definitions
                else "JSONRPCError"
            ),
        )
        _REVISIONS[version] = found
    return found


def _fail(message: str, code: int, pointer: str = "", reason: str | None = None) -> ValidationError:
    return ValidationError(message, [Problem(pointer, reason or message)], code=code)


def _is_request_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def validate_message(
    version: str,
    frame: bytes | bytearray | memoryview | str | Any,
    *,
    sender: Peer,
    request_method: str | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> Message:
    """Validate one JSON-RPC frame (bytes, text or already parsed) sent by `sender`.

    `request_method` names the method a result response answers; without it a result is
    checked against the generic `Result`. Raises `ValidationError` (with `.code`) on any
    violation, listing at most `max_problems` of them (`.omitted` counts the rest, or is
    None when a large frame reports only its first); `UnknownVersionError` for an unknown
    `version`. The decoding rules (`mcp_spec._json`) hold for every form of the frame.
    """
    _revision(version)  # an unknown version is said before anything about the frame
    data: Any = frame
    if isinstance(frame, (bytes, bytearray, memoryview, str)):  # noqa: UP038 (faster)
        data, nesting = load_json_nested(frame)  # pyright: ignore[reportUnknownArgumentType]
    else:
        nesting = check_json_value(data, surrogates=True)  # the rules the text form obeys
    return validate_decoded(version, data, sender, request_method, max_problems, nesting)


def validate_decoded(
    version: str,
    data: Any,
    sender: Peer,
    request_method: str | None = None,
    max_problems: int = MAX_PROBLEMS,
    nesting: int | None = None,
) -> Message:
    """`validate_message` of a frame `load_json` decoded (so the decoding rules hold);
    `nesting` bounds how deep it nests, if known."""
    revision = _revision(version)
    if sender not in _OTHER_PEER:
        raise ValueError(f"sender must be 'client' or 'server', not {sender!r}")
    if isinstance(data, list):
        raise _fail(
            f"JSON-RPC batches are not supported by MCP {version} validation; "
            "validate each message on its own",
            INVALID_REQUEST,
        )
    if not isinstance(data, dict):
        raise _fail("a JSON-RPC message must be a JSON object", INVALID_REQUEST)
    frame_dict: dict[str, Any] = data  # pyright: ignore[reportUnknownVariableType]
    if frame_dict.get("jsonrpc") != "2.0":
        raise _fail(
            "not a JSON-RPC 2.0 message",
            INVALID_REQUEST,
            "/jsonrpc",
            f'jsonrpc must be "2.0", got {echo(frame_dict.get("jsonrpc", "(missing)"))}',
        )
    has_id = "id" in frame_dict
    request_id = frame_dict.get("id")
    if has_id and not _is_request_id(request_id):
        raise _fail(
            "invalid JSON-RPC id",
            INVALID_REQUEST,
            "/id",
            f"an id must be a string or an integer, got {echo(request_id)}",
        )
    if "method" in frame_dict:
        if "result" in frame_dict or "error" in frame_dict:
            raise _fail("a message with a method cannot carry result or error", INVALID_REQUEST)
        return _request_or_notification(revision, frame_dict, sender, has_id, max_problems, nesting)
    if "result" in frame_dict and "error" in frame_dict:
        raise _fail("a response cannot carry both result and error", INVALID_REQUEST)
    if "result" in frame_dict:
        if not has_id:
            raise _fail("a result response needs an id", INVALID_REQUEST, "/id", "id is required")
        return _result(revision, frame_dict, sender, request_method, max_problems, nesting)
    if "error" in frame_dict:
        return _error(revision, frame_dict, max_problems, nesting)
    raise _fail("not a JSON-RPC message: no method, result or error", INVALID_REQUEST)


def _request_or_notification(
    revision: _Revision,
    frame: dict[str, Any],
    sender: Peer,
    has_id: bool,
    max_problems: int,
    nesting: int | None,
) -> Message:
    method = frame["method"]
    if not isinstance(method, str):
        raise _fail("invalid method", INVALID_REQUEST, "/method", "method must be a string")
    row = revision.table.get(method)
    if row is None:
        raise _fail(
            f"method not found: MCP {revision.version} has no method {echo(method)}",
            METHOD_NOT_FOUND,
            "/method",
        )
    if not row.sent_by(sender):
        who = (
            "it is an input request, carried inside an InputRequiredResult"
            if row.sender == "input_request"
            else f"only the {row.sender} sends it"
        )
        raise _fail(
            f"method not found: a {sender} may not send {echo(method)} in MCP {revision.version} "
            f"({who})",
            METHOD_NOT_FOUND,
            "/method",
        )
    if row.kind == "request" and not has_id:
        raise _fail(f"{method!r} is a request: it needs an id", INVALID_REQUEST, "/id")
    if row.kind == "notification" and has_id:
        raise _fail(f"{method!r} is a notification: it has no id", INVALID_REQUEST, "/id")
    engine = revision.engine
    if row.params_required and "params" not in frame:
        raise _fail(f"invalid params: {method!r} requires params", INVALID_PARAMS, "/params")
    found = engine.report(row.message_type, frame, max_problems=max_problems, scope="/params")
    if found.problems:
        in_params = found.all_within
        if found.omitted is None and not in_params and row.params_type in engine.definitions:
            # A large frame was not listed: whether its params alone break the schema says
            # which code is right.
            in_params = not engine.is_valid(row.params_type, frame.get("params"))
        code = INVALID_PARAMS if in_params else INVALID_REQUEST
        what = "invalid params" if in_params else "invalid request"
        raise ValidationError(
            f"{what}: not a valid {row.message_type} (MCP {revision.version})",
            found.problems,
            code=code,
            omitted=found.omitted,
        )
    if revision.modern and row.kind == "request" and revision.version != DRAFT:
        _check_protocol_version(revision, frame)
    model = engine.to_model(row.message_type, frame, nesting=nesting)
    return Message(kind=row.kind, id=frame.get("id"), method=method, model=model)


def _check_protocol_version(revision: _Revision, frame: dict[str, Any]) -> None:
    # The schema already requires the key (RequestMetaObject); here its value must match.
    meta = frame["params"]["_meta"]
    stated = meta[PROTOCOL_VERSION_KEY]
    if stated != revision.version:
        raise _fail(
            "invalid params: protocol version mismatch",
            INVALID_PARAMS,
            f"/params/_meta/{escape_token(PROTOCOL_VERSION_KEY)}",
            f"the message says {echo(stated)} but is validated as {revision.version!r}",
        )


def _result(
    revision: _Revision,
    frame: dict[str, Any],
    sender: Peer,
    request_method: str | None,
    max_problems: int,
    nesting: int | None,
) -> Message:
    result = frame["result"]
    request_id = frame["id"]
    engine = revision.engine
    if request_method is None:
        candidates: list[str] = ["Result"]
    else:
        row = revision.table.get(request_method)
        if row is None or row.kind != "request":
            raise _fail(
                f"method not found: MCP {revision.version} has no request {echo(request_method)}",
                METHOD_NOT_FOUND,
            )
        if not row.sent_by(_OTHER_PEER[sender]):
            raise _fail(
                f"a {sender} does not answer {request_method!r} in MCP {revision.version}",
                INVALID_REQUEST,
            )
        candidates = list(row.result_types)
        if "InputRequiredResult" in candidates:
            # The schema's verdict is anyOf (any member passes); `resultType` only decides
            # which member is tried, and reported on, first.
            finals = [name for name in candidates if name != "InputRequiredResult"]
            stated = (
                cast(dict[str, Any], result).get("resultType") if isinstance(result, dict) else None
            )
            candidates = (
                ["InputRequiredResult", *finals]
                if stated == INPUT_REQUIRED
                else [*finals, "InputRequiredResult"]
            )
    chosen = next((name for name in candidates if engine.is_valid(name, result)), None)
    if chosen is None:
        found = engine.report(candidates[0], result, prefix="/result", max_problems=max_problems)
        raise ValidationError(
            f"invalid result: not a valid {' or '.join(candidates)} (MCP {revision.version})",
            found.problems,
            code=INVALID_PARAMS,
            omitted=found.omitted,
        )
    model = engine.to_model(chosen, result, prefix="/result", nesting=nesting)
    return Message(kind="result", id=request_id, method=request_method, model=model)


def _error(
    revision: _Revision, frame: dict[str, Any], max_problems: int, nesting: int | None
) -> Message:
    engine = revision.engine
    found = engine.report(revision.error_response, frame, max_problems=max_problems)
    if found.problems:
        raise ValidationError(
            f"invalid error response: not a valid {revision.error_response} "
            f"(MCP {revision.version})",
            found.problems,
            code=INVALID_PARAMS,
            omitted=found.omitted,
        )
    model = engine.to_model(revision.error_response, frame, nesting=nesting)
    return Message(kind="error", id=frame.get("id"), method=None, model=model)
