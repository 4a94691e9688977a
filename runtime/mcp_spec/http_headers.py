"""HTTP headers of the Streamable HTTP transport (SEP-2243, protocol 2026-07-28 and later).

A modern-era client mirrors parts of each JSON-RPC body into HTTP headers so that proxies
and load balancers can route without reading bodies; a server that reads the body checks
that the headers agree with it. Everything here is a pure function of the message, the
revision's method table and the tool definition.

- `MCP-Protocol-Version`: the protocol version (the body's `_meta` value where it has one).
- `Mcp-Method`: the body's `method`, on every request and notification.
- `Mcp-Name`: the params field named by the revision's method table
  (`methods_for(version).NAME_HEADER_FIELDS`: tools/call and prompts/get -> `name`,
  resources/read -> `uri`).
- `Mcp-Param-{Name}`: tools/call arguments whose property schema in `Tool.inputSchema`
  carries `"x-mcp-header": "{Name}"`.

Values that are not plain visible ASCII travel as `=?base64?{base64 of UTF-8}?=`.
Legacy-era versions (2025-11-25 and earlier) are not subject to any of this: the functions
taking a version return `{}` or nothing for them (the era is read from each revision's
schema, `draft` included). `draft` speaks `versions.wire_version("draft")` on the wire.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias, cast

from . import versions
from ._json import echo, escape_token, load_json, wire_form
from .errors import (
    HEADER_MISMATCH,
    INVALID_REQUEST,
    Problem,
    ValidationError,
)
from .versions import Era, check_version, era_of, methods_for

__all__ = [
    "MAX_SAFE_HEADER_INTEGER",
    "MCP_METHOD_HEADER",
    "MCP_NAME_HEADER",
    "MCP_PARAM_HEADER_PREFIX",
    "MCP_PROTOCOL_VERSION_HEADER",
    "HeaderParameter",
    "check_tool_headers",
    "decode_header_value",
    "encode_header_value",
    "header_parameters",
    "headers_for_request",
    "name_header_methods",
    "usable_tools",
    "validate_request_headers",
]

MCP_PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version"
MCP_METHOD_HEADER = "Mcp-Method"
MCP_NAME_HEADER = "Mcp-Name"
MCP_PARAM_HEADER_PREFIX = "Mcp-Param-"
# Integers mirrored into headers stay within JavaScript's safe range.
MAX_SAFE_HEADER_INTEGER = 2**53 - 1

_PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion"
_TOOLS_CALL = "tools/call"
_ANNOTATION = "x-mcp-header"
_SENTINEL_PREFIX = "=?base64?"
_SENTINEL_SUFFIX = "?="
# RFC 9110 section 5.6.2: tchar.
_TCHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_PRIMITIVE_TYPES = ("integer", "string", "boolean")
# Visible ASCII, space and tab (a regular expression: a header may be megabytes long).
_VISIBLE_ASCII = re.compile(r"[\t\x20-\x7e]*")
# RFC 8259 number grammar: what an integer header must look like to compare numerically.
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# Subschema keywords of JSON Schema draft-07 and 2020-12, by shape. Only these are walked:
# a key "x-mcp-header" inside `const`, `default` or a property *name* is data, not a schema.
_SINGLE_SUBSCHEMA = (
    "additionalItems",
    "additionalProperties",
    "contains",
    "contentSchema",
    "else",
    "if",
    "items",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "items", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = (
    "$defs",
    "definitions",
    "dependencies",
    "dependentSchemas",
    "patternProperties",
    "properties",
)

# Subschemas the annotation scan visits at most (the default of ToolSchemaLimits.max_subschemas):
# a tool over it is invalid, and a hand-built schema that contains itself cannot loop forever.
_MAX_SCANNED_SUBSCHEMAS = 10_000
_LOG = logging.getLogger(__name__)

HeaderValue: TypeAlias = "str | int | float | bool"
Headers: TypeAlias = "Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]"


@dataclass(frozen=True, slots=True)
class HeaderParameter:
    """A tool argument mirrored into `Mcp-Param-{header}`.

    `path` is the chain of property names from the arguments object (one name for a
    top-level argument), `type` the annotated primitive type.
    """

    header: str
    path: tuple[str, ...]
    type: str

    @property
    def header_name(self) -> str:
        return f"{MCP_PARAM_HEADER_PREFIX}{self.header}"

    @property
    def pointer(self) -> str:
        """Where the value sits in a tools/call request body."""
        return "/params/arguments" + "".join(f"/{escape_token(name)}" for name in self.path)


def _object(value: object) -> Mapping[str, Any] | None:
    """`value` as a JSON object, or None when it is not one."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


# -- value encoding -------------------------------------------------------------------


def _is_sentinel(value: str) -> bool:
    return (
        len(value) >= len(_SENTINEL_PREFIX) + len(_SENTINEL_SUFFIX)
        and value.startswith(_SENTINEL_PREFIX)
        and value.endswith(_SENTINEL_SUFFIX)
    )


def _is_visible_ascii(value: str) -> bool:
    """Visible ASCII, with space and tab allowed only inside."""
    return _VISIBLE_ASCII.fullmatch(value) is not None and value == value.strip(" \t")


def encode_header_value(value: HeaderValue) -> str:
    """The header form of a string, integer or boolean.

    Strings stay as they are when plain visible ASCII (space and tab inside only) and not
    themselves of the `=?base64?...?=` form; otherwise they are sent as
    `=?base64?{base64 of UTF-8}?=`. Integers are decimal (an integral float such as 42.0
    counts as the integer 42), booleans `true`/`false`. Anything else, an integer outside
    +-(2**53 - 1) or a string that is not valid Unicode (a lone surrogate) raises
    ValidationError.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        integer = _as_integer(value)
        if integer is None:
            raise ValidationError(
                f"header value {echo(value)} is not an integer (number parameters cannot be "
                "mirrored into headers)"
            )
        if abs(integer) > MAX_SAFE_HEADER_INTEGER:
            raise ValidationError(
                f"header value {echo(value)} is outside the safe integer range "
                f"+-{MAX_SAFE_HEADER_INTEGER}"
            )
        return str(integer)
    if isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        if _is_visible_ascii(value) and not _is_sentinel(value):
            return value
        try:
            raw = value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValidationError(
                f"header value {echo(value)} is not valid Unicode ({error.reason})"
            ) from None
        return f"{_SENTINEL_PREFIX}{base64.b64encode(raw).decode('ascii')}{_SENTINEL_SUFFIX}"
    raise ValidationError(
        f"a {type(value).__name__} cannot be a header value (string, integer or boolean only)"
    )


def _as_integer(value: int | float) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else None


def decode_header_value(value: str) -> str:
    """The text a header value stands for: the decoded payload of `=?base64?...?=`
    (strict: canonical padded base64 of valid UTF-8), any other value as it is.

    Raises ValidationError (code HEADER_MISMATCH, HTTP 400) on a bad payload.
    """
    if not _is_sentinel(value):
        return value
    payload = value[len(_SENTINEL_PREFIX) : -len(_SENTINEL_SUFFIX)]
    try:
        raw = base64.b64decode(payload, validate=True)
        if base64.b64encode(raw).decode("ascii") != payload:
            raise ValueError("non-canonical base64")
        return raw.decode("utf-8")
    except (binascii.Error, ValueError) as error:
        raise ValidationError(
            f"header value {echo(value)} is not valid base64-encoded UTF-8 ({error})",
            code=HEADER_MISMATCH,
            http_status=400,
        ) from None


# -- tool annotations -----------------------------------------------------------------


def _wire(obj: Any, what: str) -> Mapping[str, Any]:
    """A model or a dict, in wire form (unknown keys such as x-mcp-header kept)."""
    wire = wire_form(obj)
    if wire is not None:
        return wire
    raise ValidationError(f"{what} must be a mapping or a model, not {type(obj).__name__}")


def _tool_name(tool: Mapping[str, Any]) -> str:
    name = tool.get("name")
    return name if isinstance(name, str) else "<unnamed>"


def _annotation_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if not value:
        return "is empty"
    if any(char < " " or char == "\x7f" for char in value):
        return "contains control characters (such as CR or LF)"
    if not all(char in _TCHARS for char in value):
        return "is not an HTTP token (RFC 9110 tchar characters only)"
    return None


def _primitive_type(schema: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(type, None) for an allowed parameter type, else (None, why not)."""
    declared: object = schema.get("type")
    if isinstance(declared, list):
        kinds = [kind for kind in cast("list[object]", declared) if kind != "null"]
        if len(kinds) == 1:
            declared = kinds[0]
        else:
            return (
                None,
                f"type {echo(cast('list[object]', declared))} is not a single primitive type",
            )
    if declared in _PRIMITIVE_TYPES:
        return str(declared), None
    if declared == "number":
        return None, "type 'number' is not allowed (integer, string or boolean only)"
    if declared is None:
        return None, "the parameter declares no type (integer, string or boolean needed)"
    return None, f"type {echo(declared)} is not a primitive type (integer, string or boolean)"


def _scan(tool: Mapping[str, Any]) -> tuple[list[HeaderParameter], list[Problem]]:
    """Every x-mcp-header annotation of a tool: the valid ones and the problems."""
    parameters: list[HeaderParameter] = []
    problems: list[Problem] = []
    schema = _object(tool.get("inputSchema"))
    if schema is None:
        return parameters, problems
    # (schema, pointer, property path or None when off a pure `properties` chain, via)
    stack: list[tuple[Mapping[str, Any], str, tuple[str, ...] | None, str]] = [
        (schema, "/inputSchema", (), "")
    ]
    seen: dict[str, str] = {}  # lower-cased header -> pointer of its first annotation
    scanned = 0
    while stack:
        node, pointer, path, via = stack.pop()
        scanned += 1
        if scanned > _MAX_SCANNED_SUBSCHEMAS:
            reason = f"has more than {_MAX_SCANNED_SUBSCHEMAS:,} subschemas; not scanned further"
            problems.append(Problem("/inputSchema", f"inputSchema {reason}"))
            return parameters, problems
        if _ANNOTATION in node:
            value = node[_ANNOTATION]
            where = f"{pointer}/{_ANNOTATION}"
            reason = _annotation_problem(value)
            kind: str | None = None
            if reason is None and path == ():
                reason = "is on the schema root, not on a parameter"
            elif reason is None and path is None:
                reason = (
                    f"is not reachable from the root through `properties` only (it is "
                    f"under `{via}`)"
                )
            elif reason is None:
                kind, reason = _primitive_type(node)
            if isinstance(value, str) and value:
                first = seen.setdefault(value.lower(), where)
                if reason is None and first != where:
                    reason = (
                        f"duplicates the annotation at {first} (names compare case-insensitively)"
                    )
            if reason is not None:
                problems.append(Problem(where, f"x-mcp-header {echo(value)} {reason}"))
            elif kind is not None and path:
                parameters.append(HeaderParameter(header=str(value), path=path, type=kind))
        # Off the `properties` chain, `via` names the keyword that left it.
        left = via if path is None else ""
        children: list[tuple[Mapping[str, Any], str, tuple[str, ...] | None, str]] = []
        for keyword in _SINGLE_SUBSCHEMA:
            child = _object(node.get(keyword))
            if child is not None:
                children.append((child, f"{pointer}/{keyword}", None, left or keyword))
        for keyword in _SUBSCHEMA_LISTS:
            items = node.get(keyword)
            if isinstance(items, list):
                for index, item in enumerate(cast("list[object]", items)):
                    child = _object(item)
                    if child is not None:
                        children.append(
                            (child, f"{pointer}/{keyword}/{index}", None, left or keyword)
                        )
        for keyword in _SUBSCHEMA_MAPS:
            members = _object(node.get(keyword))
            if members is None:
                continue
            for name, member in members.items():
                child = _object(member)
                if child is None:
                    continue
                child_pointer = f"{pointer}/{keyword}/{escape_token(name)}"
                if keyword == "properties" and path is not None:
                    children.append((child, child_pointer, (*path, name), ""))
                else:
                    children.append((child, child_pointer, None, left or keyword))
        stack.extend(reversed(children))  # document order
    return parameters, problems


def check_tool_headers(tool: Any) -> list[Problem]:
    """Why a tool's x-mcp-header annotations are invalid; empty when they are valid.

    `tool` is a generated `Tool` model of any revision or a wire dict. An annotation must
    be a non-empty RFC 9110 token without control characters, case-insensitively unique in
    the tool, on a parameter of type integer, string or boolean (`["string", "null"]`
    counts as string; `number` is not allowed; a type-less or `$ref` parameter is
    refused), reachable from the root through `properties` keys only.
    """
    return _scan(_wire(tool, "tool"))[1]


def header_parameters(tool: Any) -> tuple[HeaderParameter, ...]:
    """The arguments of a valid tool that are mirrored into `Mcp-Param-*` headers.

    Raises ValidationError (INVALID_PARAMS) listing the problems of an invalid tool.
    """
    wire = _wire(tool, "tool")
    parameters, problems = _scan(wire)
    if problems:
        raise ValidationError(
            f"tool {echo(_tool_name(wire))} has invalid x-mcp-header annotations", problems
        )
    return tuple(parameters)


def usable_tools(list_tools_result: Any, *, version: str | None = None) -> list[Any]:
    """The tools of a tools/list result that a Streamable HTTP client may use.

    Accepts a `ListToolsResult` model, its wire dict, or a sequence of tools, and returns
    the valid tools themselves (models stay models). Each invalid tool is dropped with a
    WARNING on the `mcp_spec.http_headers` logger naming the tool and the reasons. With a
    legacy-era `version`, every tool is kept (x-mcp-header means nothing there).
    """
    if isinstance(list_tools_result, Sequence) and not isinstance(list_tools_result, str):
        tools = cast("Sequence[Any]", list_tools_result)
    else:
        found: object = (
            cast("Mapping[str, Any]", list_tools_result).get("tools")
            if isinstance(list_tools_result, Mapping)
            else getattr(list_tools_result, "tools", None)
        )
        if not isinstance(found, Sequence):
            raise ValidationError("a tools/list result needs a list `tools`")
        tools = cast("Sequence[Any]", found)
    if version is not None and era_of(version) is Era.LEGACY:
        return list(tools)
    kept: list[Any] = []
    for tool in tools:
        wire = _wire(tool, "tool")
        problems = _scan(wire)[1]
        if problems:
            _LOG.warning(
                "dropping tool %r from tools/list: %s",
                _tool_name(wire),
                "; ".join(str(problem) for problem in problems),
            )
        else:
            kept.append(tool)
    return kept


# -- requests -------------------------------------------------------------------------


def name_header_methods(version: str) -> frozenset[str]:
    """The methods of a revision whose requests carry `Mcp-Name` (none in the legacy era)."""
    return frozenset(_name_header_fields(version))


def _name_header_fields(version: str) -> Mapping[str, str]:
    fields: Mapping[str, str] = methods_for(version).NAME_HEADER_FIELDS
    return fields


def _parse_frame(frame: Any) -> Mapping[str, Any]:
    if isinstance(frame, (bytes, bytearray, str)):  # noqa: UP038 (faster)
        frame = load_json(frame)  # the parser validate_message uses: one notion of JSON
    elif callable(getattr(frame, "model_dump", None)):
        frame = _wire(frame, "frame")
    body = _object(frame)
    if body is None:
        raise ValidationError(
            "the request body must be one JSON-RPC message (an object); batches are not "
            "part of the modern era",
            code=INVALID_REQUEST,
            http_status=400,
        )
    return body


def _params(frame: Mapping[str, Any]) -> Mapping[str, Any]:
    return _object(frame.get("params")) or {}


def _meta_version(frame: Mapping[str, Any]) -> object:
    meta = _object(_params(frame).get("_meta"))
    return meta.get(_PROTOCOL_VERSION_META_KEY) if meta is not None else None


_META_POINTER = f"/params/_meta/{escape_token(_PROTOCOL_VERSION_META_KEY)}"


def _argument(arguments: object, path: tuple[str, ...]) -> object:
    value = arguments
    for name in path:
        container = _object(value)
        if container is None:
            return None
        value = container.get(name)
    return value


def _tool_parameters(tool: Any, frame: Mapping[str, Any]) -> tuple[HeaderParameter, ...]:
    if frame.get("method") != _TOOLS_CALL:
        raise ValidationError(f"a tool applies to {_TOOLS_CALL} requests only")
    wire = _wire(tool, "tool")
    called = _params(frame).get("name")
    if called != wire.get("name"):
        raise ValidationError(
            f"the tool given is {echo(wire.get('name'))} but the request calls {echo(called)}",
            [Problem("/params/name", "does not name the tool given")],
        )
    return header_parameters(wire)


def headers_for_request(version: str, frame: Any, *, tool: Any = None) -> dict[str, str]:
    """The SEP-2243 headers a client sends with a JSON-RPC message over Streamable HTTP.

    `frame` is the message (dict, model, or JSON bytes/str). `tool` (a `Tool` model or dict)
    is the definition of the tool a tools/call request calls; without it no `Mcp-Param-*`
    header is derived. Returns `{}` for legacy-era versions. Raises ValidationError when
    the message cannot be mirrored (no string `params.name` for tools/call, an argument
    that is not a string, integer or boolean, an invalid tool, ...).
    """
    if era_of(version) is Era.LEGACY:
        return {}
    body = _parse_frame(frame)
    wire_version = versions.wire_version(version)
    meta_version = _meta_version(body)
    if meta_version is not None and meta_version != wire_version:
        raise ValidationError(
            f"_meta protocol version {echo(meta_version)} is not {echo(wire_version)}",
            [Problem(_META_POINTER, f"expected {echo(wire_version)}")],
        )
    headers = {MCP_PROTOCOL_VERSION_HEADER: wire_version}
    method = body.get("method")
    if method is None:
        return headers  # a response: nothing to mirror but the version
    if not isinstance(method, str) or not method or not _is_visible_ascii(method):
        raise ValidationError(
            f"method {echo(method)} cannot be sent as a header",
            [Problem("/method", "must be a non-empty visible ASCII string")],
        )
    headers[MCP_METHOD_HEADER] = method
    params = _params(body)
    field = _name_header_fields(version).get(method)
    if field is not None:
        target = params.get(field)
        if not isinstance(target, str):
            raise ValidationError(
                f"{method} needs a string params.{field} for the {MCP_NAME_HEADER} header",
                [Problem(f"/params/{field}", "missing or not a string")],
            )
        headers[MCP_NAME_HEADER] = _encode_at(target, f"/params/{field}")
    if tool is not None:
        arguments = params.get("arguments")
        for parameter in _tool_parameters(tool, body):
            value = _argument(arguments, parameter.path)
            if value is not None:
                headers[parameter.header_name] = _encode_at(value, parameter.pointer)
    return headers


def _encode_at(value: object, pointer: str) -> str:
    try:
        return encode_header_value(value)  # pyright: ignore[reportArgumentType]
    except ValidationError as error:
        raise ValidationError(error.message, [Problem(pointer, error.message)]) from None


# -- server-side validation -----------------------------------------------------------


def _header_table(headers: Headers) -> tuple[dict[str, str], dict[str, int]]:
    """Header values by lower-cased name (the first one) and how often each name came."""
    pairs: Iterable[tuple[str | bytes, str | bytes]] = (
        cast("Mapping[str, str]", headers).items() if isinstance(headers, Mapping) else headers
    )
    table: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name, value in pairs:
        # Raw HTTP (ASGI, for example) is bytes: ISO-8859-1 keeps every byte visible.
        text_name = name.decode("latin-1") if isinstance(name, bytes) else name
        text_value = value.decode("latin-1") if isinstance(value, bytes) else value
        key = text_name.lower()
        counts[key] = counts.get(key, 0) + 1
        table.setdefault(key, text_value)
    return table, counts


class _Checker:
    """Collects the header problems of one request."""

    def __init__(self, headers: Headers) -> None:
        self.table, self.counts = _header_table(headers)
        self.problems: list[Problem] = []

    def header(self, name: str, pointer: str) -> str | None:
        """A header's value with surrounding whitespace removed (RFC 9110 excludes it from
        the field value), or None when absent or unusable (a problem recorded)."""
        key = name.lower()
        raw = self.table.get(key)
        if raw is None:
            return None
        if self.counts[key] > 1:
            self.fail(pointer, f"{name} header is sent {self.counts[key]} times")
            return None
        value = raw.strip(" \t")
        if not _is_visible_ascii(value):
            self.fail(
                pointer,
                f"{name} header value {echo(raw)} has invalid characters (visible ASCII, "
                "space and tab only; other text is sent as =?base64?...?=)",
            )
            return None
        return value

    def fail(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(pointer, message))

    def missing(self, name: str, pointer: str, body: object) -> None:
        self.fail(pointer, f"{name} header is missing (body value {echo(body)})")

    def mismatch(self, name: str, pointer: str, header: str, body: object) -> None:
        self.fail(
            pointer, f"{name} header value {echo(header)} does not match body value {echo(body)}"
        )

    def exact(self, name: str, pointer: str, body: object, *, required: bool) -> None:
        """A header mirrored without encoding (protocol version, method)."""
        header = self.header(name, pointer)
        if header is None:
            if required and name.lower() not in self.table:
                self.missing(name, pointer, body)
        elif header != body:
            self.mismatch(name, pointer, header, body)

    def mirrored(self, name: str, pointer: str, body: object, *, required: bool) -> None:
        """A header in the SEP-2243 value encoding."""
        header = self.header(name, pointer)
        if header is None:
            if required and name.lower() not in self.table:
                self.missing(name, pointer, body)
            return
        try:
            decoded = decode_header_value(header)
        except ValidationError as error:
            self.fail(pointer, f"{name} {error.message}")
            return
        if body is None:
            self.fail(pointer, f"{name} header value {echo(header)} has no body value to match")
        elif not _matches(decoded, body):
            self.mismatch(name, pointer, header, body)


def _matches(decoded: str, body: object) -> bool:
    """Whether a decoded header value stands for the body value.

    Booleans are exactly `true`/`false`; numbers compare numerically with the header read
    as a JSON number (so "42", "42.0" and "4.2e1" all match 42; "+42", "042" and "0x2a"
    match nothing); strings compare exactly. Anything else, or an integer outside the safe
    range, matches nothing.
    """
    if isinstance(body, bool):
        return decoded == ("true" if body else "false")
    if isinstance(body, (int, float)):
        if abs(body) > MAX_SAFE_HEADER_INTEGER or not _JSON_NUMBER.fullmatch(decoded):
            return False
        try:
            return Decimal(decoded) == Decimal(body)
        except InvalidOperation:  # an exponent beyond Decimal's range
            return False
    if isinstance(body, str):
        return decoded == body
    return False


def validate_request_headers(
    version: str, headers: Headers, frame: Any, *, tool: Any = None
) -> None:
    """Check the SEP-2243 headers of a Streamable HTTP POST against its body.

    `headers` is any mapping or a list of (name, value) pairs, str or bytes; names compare
    case-insensitively, values case-sensitively after surrounding whitespace is removed.
    `tool` is the server's definition of the tool a tools/call request calls; without it
    `Mcp-Param-*` headers are not checked. Headers of unannotated parameters are ignored.

    Raises ValidationError with code HEADER_MISMATCH (-32020) and http_status 400 listing
    every problem: a required header missing (`MCP-Protocol-Version`, `Mcp-Method` on every
    request and notification, `Mcp-Name` where the method table says), a header that
    differs from the body or the version (after base64 decoding for `Mcp-Name` and
    `Mcp-Param-*`), a value with invalid characters or bad base64, a header sent twice, an
    annotated argument present in the body without its header or vice versa. A body that
    is not JSON raises PARSE_ERROR, a non-object INVALID_REQUEST. Legacy-era versions
    return at once: they are not subject to these rules.
    """
    check_version(version)
    if era_of(version) is Era.LEGACY:
        return
    body = _parse_frame(frame)
    parameters = _tool_parameters(tool, body) if tool is not None else ()
    checker = _Checker(headers)
    wire_version = versions.wire_version(version)
    meta_version = _meta_version(body)
    checker.exact(
        MCP_PROTOCOL_VERSION_HEADER,
        _META_POINTER if meta_version is not None else "",
        meta_version if meta_version is not None else wire_version,
        required=True,
    )
    if meta_version is not None and meta_version != wire_version:
        checker.fail(
            _META_POINTER,
            f"body protocol version {echo(meta_version)} is not the version being validated "
            f"{echo(wire_version)}",
        )
    method = body.get("method")
    checker.exact(MCP_METHOD_HEADER, "/method", method, required=method is not None)
    params = _params(body)
    field = _name_header_fields(version).get(method) if isinstance(method, str) else None
    if field is not None:
        checker.mirrored(MCP_NAME_HEADER, f"/params/{field}", params.get(field), required=True)
    arguments = params.get("arguments")
    for parameter in parameters:
        value = _argument(arguments, parameter.path)
        checker.mirrored(
            parameter.header_name, parameter.pointer, value, required=value is not None
        )
    if checker.problems:
        first = checker.problems[0].message
        more = len(checker.problems) - 1
        raise ValidationError(
            f"Header mismatch: {first}" + (f" (and {more} more)" if more else ""),
            checker.problems,
            code=HEADER_MISMATCH,
            http_status=400,
        )
