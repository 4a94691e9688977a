"""Strict JSON parsing, wire form and JSON pointers, shared by every runtime module.

One parser for every body `mcp_spec` reads (validators, `validate_message`, the HTTP header
checks), so they agree on what is JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from .errors import PARSE_ERROR, Problem, ValidationError


def escape_token(token: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Any) -> str:
    """A JSON pointer ("" for the root) from a sequence of keys and indices."""
    return "".join(f"/{escape_token(token)}" for token in path)


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


def load_json(raw: bytes | bytearray | memoryview | str) -> Any:
    """Parse strict JSON (no NaN or Infinity, no lone surrogates); malformed input raises
    PARSE_ERROR.

    pydantic-core parses: it keeps big integers exact (orjson turns them into floats, which
    would change verdicts) and is the faster of the parsers `mcp_spec` can rely on.
    """
    import pydantic_core  # imported on first use: the fast paths decode with msgspec

    if isinstance(raw, memoryview):
        raw = bytes(raw)
    try:
        return pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise ValidationError(
            "not valid JSON", [Problem("", str(exc))], code=PARSE_ERROR, http_status=400
        ) from None
