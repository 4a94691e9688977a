"""The exact JSON decoder of the fast paths (typed loading, `validate_message`, `parse_json`).

msgspec decodes at about the speed of orjson, and unlike orjson it is exact: integers of any
size up to Python's own limit (`sys.get_int_max_str_digits()`, 4,300 digits) stay integers
(orjson turns integers past 64 bits into floats, which would change verdicts). Everything
else is refused with PARSE_ERROR (-32700), naming what was wrong:

- malformed JSON, trailing data, a NaN or Infinity literal;
- a number that overflows a float (`1e400`: JSON has no infinity) or an integer past the
  digit limit;
- invalid UTF-8 in bytes, a lone surrogate (escaped in the JSON, or in the `str` given);
- nesting deeper than `MAX_NESTING_DEPTH` containers. msgspec's own guard (Python's
  recursion limit, a `RecursionError` caught here) sits above it on a shallow stack and moves
  with the caller's stack, so the limit itself is checked exactly on any document long enough
  to reach it (`decoded_nesting`).
"""

from __future__ import annotations

import gc
from typing import Any, cast

import msgspec

from ._json import MAX_INTEGER_DIGITS, MAX_NESTING_DEPTH, escape_token, json_error
from ._locks import ForkSafeLock

__all__ = [
    "DECODER",
    "MAX_NESTING_DEPTH",
    "SHORT_ENOUGH",
    "decode_json",
    "decode_json_with_nesting",
    "decoded_nesting",
    "nesting_at_most",
    "node_levels",
]

# A document shorter than this cannot nest deeper than the limit (each level takes two bytes).
SHORT_ENOUGH = 2 * (MAX_NESTING_DEPTH + 1)
# Up to this input size a decoded value's nesting is measured level by level in C
# (`node_levels`), whose level lists grow with the document; a larger one is walked
# by the compiled depth validator, which takes no memory.
LEVELWISE_MAX_BYTES = 1 << 20


def _referents_are_members() -> bool:
    """Whether `gc.get_referents` gives a list's items and a dict's values (CPython does; the
    garbage collector of another interpreter need not): else the compiled walk decides."""
    inner: list[Any] = []
    members = gc.get_referents([inner], {"key": inner})
    return sum(member is inner for member in members) == 2


_LEVELWISE = _referents_are_members()

DECODER = msgspec.json.Decoder()
_DEPTH_LOCK = ForkSafeLock()
_depth_validators: dict[int, Any] = {}


def _depth_check(limit: int) -> Any:
    """A compiled validator accepting exactly the values nested at most `limit` deep: level
    k holds arrays and objects whose members are of level k - 1, level 0 only scalars. It
    walks the value in compiled code, several times faster than a walk in Python."""
    compiled = _depth_validators.get(limit)
    if compiled is None:
        import jsonschema_rs

        with _DEPTH_LOCK:
            compiled = _depth_validators.get(limit)
            if compiled is None:
                scalar = {"type": ["string", "number", "boolean", "null"]}
                definitions: dict[str, Any] = {"0": scalar}
                for level in range(1, limit + 1):
                    below = {"$ref": f"#/$defs/{level - 1}"}
                    definitions[str(level)] = {"items": below, "additionalProperties": below}
                schema = {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$defs": definitions,
                    "$ref": f"#/$defs/{limit}",
                }
                compiled = _depth_validators[limit] = jsonschema_rs.validator_for(schema)
    return compiled


def nesting_at_most(value: Any, limit: int) -> bool:
    """Whether a decoded JSON value nests at most `limit` containers deep."""
    return bool(_depth_check(limit).is_valid(value))


def node_levels(tree: Any, cap: int) -> int:
    """How many levels of nodes a JSON value that is a tree (no member shared or repeated: as
    decoded) has, counted up to `cap`: a value `depth` containers deep has `depth` levels, or
    `depth + 1` when scalars sit in its deepest containers.

    Each step gathers the members of a whole level with `gc.get_referents`, in C (a list's
    items, a dict's values; scalars have none), about 2.3 times faster than the compiled walk.
    """
    level: list[Any] = [tree]
    levels = 0
    get_members = gc.get_referents
    while level and levels < cap:
        levels += 1
        level = get_members(*level)
    return levels


def decoded_nesting(tree: Any, limit: int, size: int) -> int | None:
    """How deep a value just decoded from `size` bytes or characters of JSON nests, exactly
    as far as `limit` goes: `limit + 1` when it nests deeper than `limit` containers;
    otherwise an upper bound of its depth, or None when none was measured (a document past
    LEVELWISE_MAX_BYTES, decided by the compiled walk)."""
    if size <= LEVELWISE_MAX_BYTES and _LEVELWISE:
        levels = node_levels(tree, limit + 2)
        if levels != limit + 1:
            return min(levels, limit + 1)  # limit + 2 levels: at least limit + 1 containers
        # limit + 1 levels: limit containers deep with scalars at the bottom, or limit + 1.
        return limit if nesting_at_most(tree, limit) else limit + 1
    return None if nesting_at_most(tree, limit) else limit + 1


def decode_json(raw: bytes | bytearray | memoryview | str) -> Any:
    """Decode one JSON document exactly (see the module docstring); PARSE_ERROR otherwise."""
    return decode_json_with_nesting(raw)[0]


def decode_json_with_nesting(raw: bytes | bytearray | memoryview | str) -> tuple[Any, int | None]:
    """`decode_json`, and an upper bound of how deep the value nests when one was measured
    (building its model needs to know whether it fits the inline stack)."""
    try:
        value = DECODER.decode(raw)
    except msgspec.DecodeError as exc:  # msgspec.ValidationError derives from it
        reason = _reason(exc)
        pointer = _overflow_pointer(raw) if reason is _OVERFLOW else ""
        raise json_error(reason, pointer) from None
    except UnicodeEncodeError as exc:  # a str holding a lone surrogate
        raise json_error(f"the text holds a lone surrogate at character {exc.start}") from None
    except UnicodeDecodeError as exc:  # msgspec < 0.19 reports invalid UTF-8 this way
        raise json_error(f"invalid UTF-8 at byte {exc.start}") from None
    except RecursionError:
        raise json_error(f"nesting deeper than {MAX_NESTING_DEPTH} levels") from None
    size = raw.nbytes if isinstance(raw, memoryview) else len(raw)  # a view may be of words
    if size < SHORT_ENOUGH or type(value) not in (dict, list):
        return value, None
    nesting = decoded_nesting(value, MAX_NESTING_DEPTH, size)
    if nesting is not None and nesting > MAX_NESTING_DEPTH:
        raise json_error(f"nesting deeper than {MAX_NESTING_DEPTH} levels")
    return value, nesting


_OVERFLOW = "a number that overflows a float (JSON has no infinity: 1e400 is refused)"


def _reason(exc: msgspec.DecodeError) -> str:
    message = str(exc)
    message, _, _ = message.partition(" - at `")  # msgspec's path names no object keys
    if message == "Number out of range":
        return _OVERFLOW
    if message == "Integer value out of range":
        return f"an integer of more than {MAX_INTEGER_DIGITS} digits (MAX_INTEGER_DIGITS)"
    if message == "Input data was truncated":
        return "truncated JSON (or an unpaired surrogate escape)"
    return message


def _overflow_pointer(raw: bytes | bytearray | memoryview | str) -> str:
    """Where the first overflowing number is (the error path only: a second, slower parse
    that reads it as infinity), or "" when that parse cannot say."""
    import math

    import pydantic_core

    try:
        value = pydantic_core.from_json(bytes(raw) if isinstance(raw, memoryview) else raw)
    except ValueError:
        return ""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, pointer = stack.pop()
        if isinstance(item, float) and math.isinf(item):
            return pointer
        if isinstance(item, dict):
            members = cast("dict[str, Any]", item)
            stack.extend(
                (member, f"{pointer}/{escape_token(key)}")
                for key, member in reversed(members.items())
            )
        elif isinstance(item, list):
            items = cast("list[Any]", item)
            stack.extend(
                (member, f"{pointer}/{index}") for index, member in reversed(list(enumerate(items)))
            )
    return ""
