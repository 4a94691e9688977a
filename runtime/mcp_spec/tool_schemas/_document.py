"""The schema as a JSON document: measured before anything serialises or walks it twice.

A hand-built dict may share sub-objects (`allOf: [s, s]` twenty times is four million
subschemas when expanded, a few hundred bytes in memory), or contain itself; the measure
walks it as JSON would be written, and stops as soon as the size or depth passes the limits,
so its cost is bounded by `max_schema_bytes`, whatever the dict's shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

from .._json import escape_token
from ._limits import ToolSchemaError, ToolSchemaLimits

# Integers in a schema beyond this many bits are not plausible JSON numbers.
MAX_SCHEMA_INTEGER_BITS = 1024


def as_object(value: object) -> Mapping[Any, Any] | None:
    return cast("Mapping[Any, Any]", value) if isinstance(value, Mapping) else None


def as_array(value: object) -> Sequence[Any] | None:
    return cast("Sequence[Any]", value) if isinstance(value, (list, tuple)) else None


def child(pointer: str, token: str | int) -> str:
    return f"{pointer}/{printable(escape_token(str(token)))}"


def printable(text: str) -> str:
    """`text` safe to print and encode (a lone surrogate shown as an escape)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__} (not JSON)"


def _text_problem(text: str) -> str | None:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (not Unicode text)"
    return None


def measure(schema: Any, limits: ToolSchemaLimits) -> None:
    """Refuse a document over `max_schema_bytes` (as compact UTF-8 JSON) or `max_depth`, or
    one that is not JSON (non-string keys, lone surrogates, NaN, sets, huge integers),
    before it is serialised. Stops at the first breach."""
    size = 0
    stack: list[tuple[Any, str, int]] = [(schema, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if depth > limits.max_depth:
            raise ToolSchemaError(
                pointer, f"nesting deeper than {limits.max_depth} levels (max_depth)"
            )
        if (mapping := as_object(value)) is not None:
            size += 2
            for key, member in mapping.items():
                if not isinstance(key, str):
                    raise ToolSchemaError(pointer, f"object key {key!r} is not a string")
                problem = _text_problem(key)
                if problem is not None:
                    raise ToolSchemaError(child(pointer, key), f"the key {problem}")
                size += len(key) + 4
                stack.append((member, child(pointer, key), depth + 1))
        elif (array := as_array(value)) is not None:
            size += 2 + len(array)
            stack.extend((member, child(pointer, i), depth + 1) for i, member in enumerate(array))
        else:
            size += _scalar_bytes(value, pointer)
        if size > limits.max_schema_bytes:
            raise ToolSchemaError(
                "", f"larger than {limits.max_schema_bytes} bytes (max_schema_bytes)"
            )


def _scalar_bytes(value: object, pointer: str) -> int:
    """A lower bound of the compact JSON size of a scalar, once it is known to be JSON."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem is not None:
            raise ToolSchemaError(pointer, f"the string {problem}")
        return len(value) + 2
    if isinstance(value, bool) or value is None:
        return 4
    if isinstance(value, int):
        if value.bit_length() > MAX_SCHEMA_INTEGER_BITS:
            raise ToolSchemaError(pointer, f"integer of more than {MAX_SCHEMA_INTEGER_BITS} bits")
        return max(1, value.bit_length() * 3 // 10)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ToolSchemaError(pointer, f"{value} is not a JSON number")
        return 3
    raise ToolSchemaError(pointer, f"{json_type(value)} is not a JSON value")
