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
    limit = limits.max_schema_bytes
    # (value, its parent's pointer, its token): pointers are built only for what is visited,
    # and every visit adds at least a byte, so the walk is bounded by `limit`.
    stack: list[tuple[Any, str, str | int | None, int]] = [(schema, "", None, 0)]
    while stack:
        value, parent, token, depth = stack.pop()
        pointer = _at(parent, token)
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
                if size > limit:
                    break
                stack.append((member, pointer, key, depth + 1))
        elif (array := as_array(value)) is not None:
            size += 2 + len(array)
            for i, member in enumerate(array):
                if size > limit:
                    break
                if isinstance(member, (Mapping, list, tuple)):
                    stack.append((member, pointer, i, depth + 1))
                else:  # scalars in place: a 100,000-member enum is one loop, no stack
                    size += _scalar_bytes(member, pointer, i)
        else:
            size += _scalar_bytes(value, parent, token)
        if size > limit:
            raise ToolSchemaError("", f"larger than {limit} bytes (max_schema_bytes)")


def _scalar_bytes(value: object, parent: str, token: str | int | None) -> int:
    """A lower bound of the compact JSON size of a scalar, once it is known to be JSON (the
    pointer, `parent` and `token`, is built only for an error)."""
    kind = type(value)
    if kind is str:
        text = cast(str, value)
        if not text.isascii() and _text_problem(text) is not None:
            raise ToolSchemaError(_at(parent, token), "the string holds a lone surrogate")
        return len(text) + 2
    if kind is int:
        bits = cast(int, value).bit_length()
        if bits > MAX_SCHEMA_INTEGER_BITS:
            raise ToolSchemaError(
                _at(parent, token), f"integer of more than {MAX_SCHEMA_INTEGER_BITS} bits"
            )
        return max(1, bits * 3 // 10)
    if kind is bool or value is None:
        return 4
    if kind is float:
        if not math.isfinite(cast(float, value)):
            raise ToolSchemaError(_at(parent, token), f"{value} is not a JSON number")
        return 3
    # Subclasses (an IntEnum, a str subclass) are written by JSON as their base type.
    if isinstance(value, str):
        return _scalar_bytes(str.__str__(value), parent, token)
    if isinstance(value, int):
        return _scalar_bytes(int.__index__(value), parent, token)
    if isinstance(value, float):
        return _scalar_bytes(float.__float__(value), parent, token)
    raise ToolSchemaError(_at(parent, token), f"{json_type(value)} is not a JSON value")


def _at(parent: str, token: str | int | None) -> str:
    return parent if token is None else child(parent, token)
