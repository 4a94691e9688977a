"""Strict JSON parsing, the decoding rules, wire form and JSON pointers, shared by every
runtime module.

One parser and one set of rules for every body `mcp_spec` reads (validators,
`validate_message`, the HTTP header checks), so they agree on what is JSON. The rules hold for
every form a frame can take (bytes, text, or an already parsed value) and are the named
constants below:

- nesting: at most `MAX_NESTING_DEPTH` containers deep (`{}` and `[]` are one level);
- text: valid UTF-8, no lone surrogate (escaped or not);
- integers: at most `MAX_INTEGER_DIGITS` decimal digits; the validation engine compares
  integers exactly up to that size, and refuses to convert larger ones;
- numbers: no NaN or Infinity literals (an overflowing literal such as `1e400` decodes to
  infinity, which the schema checks then reject as "not a finite number").

A value that breaks a rule raises `ValidationError` with code `PARSE_ERROR`, naming the rule
and, where it is known, the JSON pointer. Values echoed into messages are cut to
`MAX_ECHO_CHARS` characters (`echo`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NoReturn, cast

import pydantic_core

from .errors import PARSE_ERROR, Problem, ValidationError

# Containers a JSON value may nest (`[[1]]` is two levels): the same for bytes, text and
# parsed values; high enough for real tool arguments.
MAX_NESTING_DEPTH = 512
# Decimal digits of the longest integer accepted (Python's default `int`/`str` conversion
# limit, which the engine's conversion obeys).
MAX_INTEGER_DIGITS = 4300
# Characters of a peer's value quoted in an error message.
MAX_ECHO_CHARS = 200
# Characters of one validation engine message kept (it quotes the offending value in full).
MAX_MESSAGE_CHARS = 2 * MAX_ECHO_CHARS

# Members of a container quoted by `echo` (a larger one is described).
_ECHOED_MEMBERS = 8
_BIGGEST_INTEGER = 10**MAX_INTEGER_DIGITS - 1
_BIGGEST_INTEGER_BITS = _BIGGEST_INTEGER.bit_length()


def escape_token(token: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Any) -> str:
    """A JSON pointer ("" for the root) from a sequence of keys and indices."""
    return "".join(f"/{escape_token(token)}" for token in path)


def echo(value: object, limit: int = MAX_ECHO_CHARS) -> str:
    """A peer's value quoted for an error message, never much longer than `limit` characters
    (and never a traceback: a huge integer or a large container is described, not printed)."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value)} characters)"
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() <= 3 * limit:  # at most about `limit` digits
            return repr(value)
        return f"an integer of {value.bit_length()} bits"
    small = limit >= 40
    if isinstance(value, Mapping):
        members = cast("Mapping[Any, Any]", value)
        if small and len(members) <= _ECHOED_MEMBERS:
            share = limit // (2 * len(members) or 1)
            inner = ", ".join(f"{echo(k, share)}: {echo(v, share)}" for k, v in members.items())
            return "{" + inner + "}"
        return f"an object of {len(members)} members"
    if isinstance(value, (list, tuple)):
        items = cast("list[Any]", value)
        if small and len(items) <= _ECHOED_MEMBERS:
            share = limit // (len(items) or 1)
            return "[" + ", ".join(echo(item, share) for item in items) + "]"
        return f"an array of {len(items)} items"
    return f"a {type(value).__name__}"


def cut_message(message: str) -> str:
    """`message` cut to MAX_MESSAGE_CHARS characters (engine messages quote values in full)."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[:MAX_MESSAGE_CHARS]}... ({len(message)} characters)"


def wire_form(value: object) -> Mapping[str, Any] | None:
    """A mapping as it is, or a generated model dumped with wire names and its unknown keys
    (`x-mcp-header`, `_meta` extensions); None for anything else."""
    if isinstance(value, Mapping):
        return cast("Mapping[str, Any]", value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        dumped = dump(mode="json", by_alias=True, exclude_unset=True)
        if isinstance(dumped, Mapping):
            return cast("Mapping[str, Any]", dumped)
    return None


def _refuse(reason: str, pointer: str = "") -> NoReturn:
    raise ValidationError(
        f"not valid JSON: {reason}", [Problem(pointer, reason)], code=PARSE_ERROR, http_status=400
    )


def load_json(raw: bytes | bytearray | memoryview | str) -> Any:
    """Parse strict JSON under the decoding rules; anything else raises PARSE_ERROR.

    pydantic-core parses: it keeps big integers exact (orjson turns them into floats, which
    would change verdicts), refuses lone surrogates, invalid UTF-8 and integers over
    MAX_INTEGER_DIGITS, and is the faster of the parsers `mcp_spec` can rely on. Its own
    nesting limit is lower than MAX_NESTING_DEPTH, so deeper text is parsed again by the
    standard library's parser under the same rules.
    """
    return load_json_nested(raw)[0]


def load_json_nested(raw: bytes | bytearray | memoryview | str) -> tuple[Any, int]:
    """`load_json`, and an upper bound of the value's nesting (its brackets, counted in C)."""
    if isinstance(raw, memoryview):
        raw = bytes(raw)
    elif isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError as error:
            _refuse(f"the text holds a lone surrogate at character {error.start}")
    try:
        value = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        if "recursion limit exceeded" not in str(exc):
            _refuse(str(exc))
        return _load_deep(raw)
    return value, raw.count(b"[") + raw.count(b"{")


def _no_constant(name: str) -> NoReturn:
    _refuse(f"{name} is not a JSON number")


def _load_deep(raw: bytes | bytearray) -> tuple[Any, int]:
    """The slow path for text nested deeper than pydantic-core goes: the standard parser
    (C scanner, recursion bounded by the interpreter), then the rules checked on the value."""
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        _refuse(f"nesting deeper than {MAX_NESTING_DEPTH} levels")
    except UnicodeDecodeError as error:
        _refuse(f"invalid UTF-8 at byte {error.start}")
    except ValueError as error:  # JSONDecodeError, or int() over its digit limit
        _refuse(str(error).partition("\n")[0])
    return value, check_json_value(value, surrogates=True)


def check_json_value(value: Any, *, surrogates: bool = False) -> int:
    """Apply the decoding rules to an already parsed value: nesting and integer size (and,
    with `surrogates`, lone surrogates in strings and keys), and return its nesting. Raises
    PARSE_ERROR naming the first offending place; costs one pass over the containers,
    integers and (with `surrogates`) strings."""
    level: list[Any] = [value]
    depth = 0
    while level:
        below: list[Any] = []
        containers = False
        for item in level:
            kind = cast("type[object]", type(item))
            if kind is str:
                if surrogates and not item.isascii() and _has_surrogate(item):
                    _explain(value)
            elif kind is dict:
                containers = True
                members = cast("dict[Any, Any]", item)
                below.extend(members.values())
                if surrogates and members and _surrogate_in_keys(members):
                    _explain(value)
            elif kind is list or kind is tuple:
                containers = True
                below.extend(cast("list[Any]", item))
            elif kind is int and cast(int, item).bit_length() >= _BIGGEST_INTEGER_BITS:
                if abs(cast(int, item)) > _BIGGEST_INTEGER:
                    _explain(value)
        if containers:
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                _explain(value)
        level = below
    return depth


def at_most_nodes(instance: Any, limit: int) -> bool:
    """Whether the JSON value has at most `limit` nodes (stops as soon as it has more)."""
    level: list[Any] = [instance]
    count = 0
    while level:
        count += len(level)
        if count > limit:
            return False
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(cast("dict[Any, Any]", item).values())
            elif isinstance(item, (list, tuple)):
                below.extend(cast("list[Any]", item))
            if len(below) > limit:
                return False
        level = below
    return True


def nesting_above(value: Any, limit: int) -> int:
    """The value's nesting (containers), or `limit + 1` as soon as it passes `limit`."""
    level: list[Any] = [value]
    depth = 0
    while depth <= limit:
        below: list[Any] = []
        containers = False
        for item in level:
            if isinstance(item, dict):
                containers = True
                below.extend(cast("dict[Any, Any]", item).values())
            elif isinstance(item, (list, tuple)):
                containers = True
                below.extend(cast("list[Any]", item))
        if not containers:
            break
        depth += 1
        level = below
    return depth


def _surrogate_in_keys(members: dict[Any, Any]) -> bool:
    """Whether a key holds a lone surrogate (one join in C, no loop in Python)."""
    try:
        return _has_surrogate("".join(members))
    except TypeError:  # a key that is not a string: the engine refuses it as not JSON
        return False


def _explain(value: Any) -> NoReturn:
    """Find (depth first, with pointers) the first place that breaks a rule and refuse it."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, pointer, depth = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if depth >= MAX_NESTING_DEPTH:
                _refuse(f"nesting deeper than {MAX_NESTING_DEPTH} levels", pointer)
            if isinstance(item, dict):
                for key, member in cast("dict[Any, Any]", item).items():
                    if isinstance(key, str) and _has_surrogate(key):
                        _refuse("an object key holds a lone surrogate", pointer)
                    token = escape_token(key) if isinstance(key, str) else str(key)
                    stack.append((member, f"{pointer}/{_safe(token)}", depth + 1))
            else:
                array = cast("list[Any]", item)
                stack.extend(
                    (member, f"{pointer}/{i}", depth + 1) for i, member in enumerate(array)
                )
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > _BIGGEST_INTEGER:
            _refuse(
                f"an integer of more than {MAX_INTEGER_DIGITS} digits (MAX_INTEGER_DIGITS)",
                pointer,
            )
        elif isinstance(item, str) and _has_surrogate(item):
            _refuse("a string holds a lone surrogate", pointer)
    _refuse("not JSON data")  # not reached: the caller found a breach


def _has_surrogate(text: str) -> bool:
    if text.isascii():  # O(1) in CPython: most strings end here
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _safe(token: str) -> str:
    """A pointer token that can itself be printed and encoded (surrogates escaped)."""
    return token.encode("utf-8", "backslashreplace").decode("utf-8")
