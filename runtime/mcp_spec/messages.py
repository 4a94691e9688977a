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
from typing import TYPE_CHECKING, Any, Literal, cast

import msgspec

from ._decode import DECODER, SHORT_ENOUGH, decode_json, decode_json_with_nesting
from ._json import check_json_value, echo, escape_token
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

if TYPE_CHECKING:
    import jsonschema_rs

    from ._base import MCPModel

__all__ = ["MCPModel", "Message", "MessageKind", "Peer", "validate_message"]


def __getattr__(name: str) -> Any:
    # MCPModel comes with pydantic, which validation alone never imports.
    if name == "MCPModel":
        from ._base import MCPModel

        return MCPModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MessageKind = Literal["request", "notification", "result", "error"]
Peer = Literal["client", "server"]

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
INPUT_REQUIRED = "input_required"
_OTHER_PEER: dict[str, Peer] = {"client": "server", "server": "client"}
_PEERS: tuple[Peer, ...] = ("client", "server")


class Message(msgspec.Struct):
    """A validated frame: what it is (`kind`), its `id`, its method (for a result: the method
    it answers), its wire data, and its typed model.

    `data` is the validated JSON itself (the frame of a request, notification or error
    response; the `result` member of a result response), typed by the revision's
    `wire` module (`wire.CallToolRequest`, `wire.CallToolResult`, ...; `type_name` names
    it). `model` is the generated pydantic model of the same data, built on first access
    and kept: the request or notification model (`CallToolRequest`), the result model
    (`CallToolResult`; `Result` without `request_method`), or the error response model
    (`JSONRPCErrorResponse`); narrow it with `isinstance` or `match` on the revision's
    classes. Building it can raise the `ValidationError` of the models' listed deviation (an
    integer field given `3.0`), which the schema itself accepts.
    """

    # A msgspec Struct: one is built for every frame on the fast path, and its compiled
    # constructor costs a third of a slotted class's `__init__` (about 6% of a small frame).
    kind: MessageKind
    id: str | int | None
    method: str | None
    data: Any
    type_name: str
    _engine: RevisionValidators
    _nesting: int | None = None  # how deep `data` nests, if known (else measured to build)
    _model: MCPModel | None = None

    @property
    def model(self) -> MCPModel:
        """The typed model, built on first access (pydantic is imported then, not before)."""
        model = self._model
        if model is None:
            prefix = "/result" if self.kind == "result" else ""
            model = self._model = self._engine.to_model(
                self.type_name, self.data, prefix=prefix, nesting=self._nesting
            )
        return model

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.kind, self.id, self.method, self.type_name, self.data) == (
            other.kind,
            other.id,
            other.method,
            other.type_name,
            other.data,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable data: like a dict, unhashable

    def __repr__(self) -> str:
        return (
            f"Message(kind={self.kind!r}, id={self.id!r}, method={self.method!r}, "
            f"type_name={self.type_name!r})"
        )


@dataclass(frozen=True, slots=True)
class _Revision:
    version: str
    modern: bool
    methods: ModuleType
    table: Mapping[str, MethodInfo]
    engine: RevisionValidators
    error_response: str
    # The methods each peer may send, with what the fast path needs to accept one.
    routes: dict[str, dict[str, _Route]]


class _Route:
    """One method a peer may send: a frame that has an id exactly when `is_request`, has
    params where they are required, and is valid as `message_type` is accepted as it is.
    `compiled` is the message type's validator, kept here on first use (the fast path
    looks nothing else up)."""

    __slots__ = (
        "check_version",
        "compiled",
        "is_request",
        "kind",
        "message_type",
        "params_required",
    )

    def __init__(
        self,
        kind: MessageKind,
        message_type: str,
        is_request: bool,
        params_required: bool,
        check_version: bool,  # the modern `_meta` protocol version must equal the revision's
    ) -> None:
        self.kind: MessageKind = kind
        self.message_type = message_type
        self.is_request = is_request
        self.params_required = params_required
        self.check_version = check_version
        self.compiled: jsonschema_rs.Validator | None = None


def _routes(
    version: str, modern: bool, table: Mapping[str, MethodInfo]
) -> dict[str, dict[str, _Route]]:
    return {
        peer: {
            method: _Route(
                kind=row.kind,
                message_type=row.message_type,
                is_request=row.kind == "request",
                params_required=row.params_required,
                check_version=modern and row.kind == "request" and version != DRAFT,
            )
            for method, row in table.items()
            if row.sent_by(peer)
        }
        for peer in _PEERS
    }


_REVISIONS: dict[str, _Revision] = {}


def _revision(version: str) -> _Revision:
    found = _REVISIONS.get(version)
    if found is None:
        module = module_name(version)
        validators = importlib.import_module(f"{__package__}.{module}.validators")
        engine: RevisionValidators = validators._ENGINE  # pyright: ignore[reportPrivateUsage]
        methods = importlib.import_module(f"{__package__}.{module}.methods")
        modern = era_of(version) is Era.MODERN
        found = _Revision(
            version=version,
            modern=modern,
            methods=methods,
            table=methods.METHODS,
            routes=_routes(version, modern, methods.METHODS),
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
    # An unknown version is said before anything about the frame.
    revision = _REVISIONS.get(version) or _revision(version)
    data: Any = frame
    nesting: int | None = None  # unknown: measured if a model is built
    if type(frame) is bytes and len(frame) < SHORT_ENOUGH:
        # Too short to nest past the limit: the decoder alone applies the rules (on any
        # error, decode_json says which).
        try:
            data = DECODER.decode(frame)
        except Exception:  # noqa: BLE001 - reported by decode_json just below
            data = decode_json(frame)
    elif isinstance(frame, (bytes, bytearray, memoryview, str)):  # noqa: UP038 (faster)
        data, nesting = decode_json_with_nesting(frame)  # pyright: ignore[reportUnknownArgumentType]
    else:
        nesting = check_json_value(data, surrogates=True)  # the rules the text form obeys
    # The common case: a request or notification whose envelope is right goes straight to
    # the fast path; anything else (or any doubt) takes validate_decoded's checks.
    frame_dict = cast("dict[str, Any]", data) if type(data) is dict else None
    if (
        frame_dict is not None
        and frame_dict.get("jsonrpc") == "2.0"
        and "method" in frame_dict
        and "result" not in frame_dict
        and "error" not in frame_dict
    ):
        has_id = "id" in frame_dict
        request_id = frame_dict.get("id")
        if not has_id or type(request_id) is int or type(request_id) is str:
            accepted = _accepted_as_sent(revision, frame_dict, sender, has_id, request_id, nesting)
            if accepted is not None:
                return accepted
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
    revision = _REVISIONS.get(version) or _revision(version)
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
    if has_id and type(request_id) is not int and not _is_request_id(request_id):
        raise _fail(
            "invalid JSON-RPC id",
            INVALID_REQUEST,
            "/id",
            f"an id must be a string or an integer, got {echo(request_id)}",
        )
    if "method" in frame_dict:
        if "result" in frame_dict or "error" in frame_dict:
            raise _fail("a message with a method cannot carry result or error", INVALID_REQUEST)
        accepted = _accepted_as_sent(revision, frame_dict, sender, has_id, request_id, nesting)
        if accepted is not None:
            return accepted
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


def _accepted_as_sent(
    revision: _Revision,
    frame: dict[str, Any],
    sender: Peer,
    has_id: bool,
    request_id: Any,
    nesting: int | None,
) -> Message | None:
    """The fast path of a request or notification: table lookups and one validator call.
    None when anything is off; `_request_or_notification` then finds the exact error."""
    method = frame["method"]
    routes = revision.routes.get(sender)  # None for a sender that is not a peer
    if type(method) is not str or routes is None:
        return None
    route = routes.get(method)
    if route is None or has_id is not route.is_request:
        return None
    if route.params_required and "params" not in frame:
        return None
    compiled = route.compiled
    if compiled is None:
        compiled = route.compiled = revision.engine.validator(route.message_type)
    try:
        if not compiled.is_valid(frame):
            return None
    except ValueError:  # a Python value JSON cannot hold: reported by the slow path
        return None
    if route.check_version and (frame["params"]["_meta"][PROTOCOL_VERSION_KEY] != revision.version):
        return None
    return Message(
        route.kind, request_id, method, frame, route.message_type, revision.engine, nesting
    )


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
    return Message(row.kind, frame.get("id"), method, frame, row.message_type, engine, nesting)


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
    return Message("result", request_id, request_method, result, chosen, engine, nesting)


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
    error_response = revision.error_response
    return Message("error", frame.get("id"), None, frame, error_response, engine, nesting)
