"""Hardened validation against untrusted tool schemas (`inputSchema`, `outputSchema`; SEP-2106).

A tool's schemas are written by a peer, so they are treated as untrusted input, never as code:

- dialects 2020-12 (the default when `$schema` is absent, in every revision), 2019-09 and
  draft-07; any other `$schema` is refused (`_dialects`);
- the document is measured before anything serialises it: size as compact JSON (shared
  sub-objects counted each time), nesting depth, JSON-only values (`_document`);
- references stay inside the schema and resolve exactly as the engine resolves them:
  `$ref`, `$dynamicRef` and `$recursiveRef` must reach a subschema of the same document.
  Anything else, and an embedded `$id` in a subschema, is refused before the engine sees
  the schema, and the engine's retriever refuses every fetch too: nothing is ever read from
  the network or the file system (`_preflight`);
- reference cycles that never descend into the instance are refused; the subschemas applied
  at one instance location and nested along one path (the engine's recursion) are bounded;
  each call's work is bounded before the engine runs (`_work`);
- regular expressions run on the linear-time `regex` engine, each within its share of one
  budget for the whole schema (`_engine`); compiled validators are cached (`_cache`).

Every refusal is a `ToolSchemaError` naming the JSON pointer into the schema; an instance the
schema rejects raises `mcp_spec.errors.ValidationError` with one `Problem` per violation.
`format` is an annotation (not asserted), as JSON Schema 2020-12 says by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._json import wire_form
from ..errors import INTERNAL_ERROR, INVALID_PARAMS, Problem, ValidationError
from . import _cache
from ._cache import CACHE_SIZE as CACHE_SIZE, clear as clear_cache  # noqa: F401 (public)
from ._document import as_object, json_type, measure
from ._engine import ToolSchemaValidator, compile_schema
from ._limits import ToolSchemaError, ToolSchemaLimits

__all__ = [
    "ToolSchemaError",
    "ToolSchemaLimits",
    "ToolSchemaValidator",
    "compile_tool_schema",
    "validate_structured_content",
    "validate_tool_arguments",
]


_DEFAULT_LIMITS = ToolSchemaLimits()


def compile_tool_schema(
    schema: Any, *, limits: ToolSchemaLimits = _DEFAULT_LIMITS
) -> ToolSchemaValidator:
    """A reusable validator of `schema` (a JSON object), or `ToolSchemaError` saying why not.

    Compiled validators are cached by the sha256 of the schema's canonical JSON and the limits.
    """
    document = as_object(schema)
    if document is None:
        raise ToolSchemaError("", f"a tool schema must be a JSON object, not {json_type(schema)}")
    measure(document, limits)  # before anything serialises it: bounded whatever its shape
    canonical = _cache.canonical(document)
    if len(canonical) > limits.max_schema_bytes:
        raise ToolSchemaError(
            "", f"{len(canonical)} bytes, more than {limits.max_schema_bytes} (max_schema_bytes)"
        )
    key = _cache.key_of(canonical, limits)
    found = _cache.cached(key)
    if found is None:
        try:
            found = compile_schema(document, canonical, key, limits)
        except ToolSchemaError as error:
            found = error
        _cache.remember(key, found)
    if isinstance(found, ToolSchemaError):
        raise ToolSchemaError(found.pointer, found.reason)
    return found


def _wire_tool(tool: Any) -> Mapping[str, Any]:
    wire = wire_form(tool)
    if wire is None:  # a peer's tools/list can hold anything: a refusal, not a TypeError
        raise ToolSchemaError(
            "", f"a tool must be a JSON object (or a Tool model), not {json_type(tool)}"
        )
    return wire


def _tool_name(tool: Mapping[str, Any]) -> str:
    name = tool.get("name", "?")
    return repr(name[:200]) if isinstance(name, str) else "'?'"


def _tool_validator(
    tool: Mapping[str, Any], key: str, limits: ToolSchemaLimits
) -> ToolSchemaValidator | None:
    if key not in tool or tool[key] is None:
        return None
    try:
        return compile_tool_schema(tool[key], limits=limits)
    except ToolSchemaError as error:
        raise ToolSchemaError(
            error.pointer, error.reason, context=f"{key} of tool {_tool_name(tool)}"
        ) from None


def validate_tool_arguments(
    tool: Any, arguments: Mapping[str, Any] | None, *, limits: ToolSchemaLimits = _DEFAULT_LIMITS
) -> None:
    """Check `tools/call` arguments against the tool's `inputSchema` (absent arguments: `{}`).

    `tool` is a `Tool` model of any revision or a dict in wire form. Raises `ToolSchemaError`
    when the schema is refused, `ValidationError` (code INVALID_PARAMS) when arguments violate it.
    """
    wire = _wire_tool(tool)
    validator = _tool_validator(wire, "inputSchema", limits)
    if validator is None:
        raise ToolSchemaError("", "the tool has no inputSchema", context=f"tool {_tool_name(wire)}")
    validator.validate(
        {} if arguments is None else arguments,
        what=f"arguments of tool {_tool_name(wire)}",
        code=INVALID_PARAMS,
    )


def validate_structured_content(
    tool: Any, structured_content: Any, *, limits: ToolSchemaLimits = _DEFAULT_LIMITS
) -> None:
    """Check a result's `structuredContent` against the tool's `outputSchema`.

    A tool without `outputSchema` declares nothing, so nothing is checked. With one,
    `structuredContent` must be present (None counts as absent) and match it; otherwise
    `ValidationError` (code INTERNAL_ERROR: the server broke its own contract).
    """
    wire = _wire_tool(tool)
    validator = _tool_validator(wire, "outputSchema", limits)
    if validator is None:
        return
    what = f"structuredContent of tool {_tool_name(wire)}"
    if structured_content is None:
        raise ValidationError(
            f"{what} is missing",
            [Problem("", "the tool declares an outputSchema, so structuredContent is required")],
            code=INTERNAL_ERROR,
        )
    validator.validate(structured_content, what=what, code=INTERNAL_ERROR)
