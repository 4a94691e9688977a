"""Compiled validators (and refusals), kept by the sha256 of the schema's canonical JSON and
the limits, least recently used dropped first."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import astuple
from typing import Any

from .._locks import ForkSafeLock
from ._engine import ToolSchemaValidator
from ._limits import ToolSchemaError, ToolSchemaLimits

# Compiled validators kept (least recently used dropped first).
CACHE_SIZE = 256

_cache: OrderedDict[str, ToolSchemaValidator | ToolSchemaError] = OrderedDict()
_lock = ForkSafeLock()


def canonical(schema: Any) -> bytes:
    """The schema's canonical JSON (sorted keys, compact); it has been measured already, so
    this is JSON of bounded size."""
    text = json.dumps(
        schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def key_of(canonical_json: bytes, limits: ToolSchemaLimits) -> str:
    return hashlib.sha256(canonical_json + repr(astuple(limits)).encode()).hexdigest()


def cached(key: str) -> ToolSchemaValidator | ToolSchemaError | None:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    return found


def remember(key: str, result: ToolSchemaValidator | ToolSchemaError) -> None:
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def clear() -> None:
    """Forget every compiled validator and refusal."""
    with _lock:
        _cache.clear()
