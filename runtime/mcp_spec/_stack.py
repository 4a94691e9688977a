"""Deep work of the native engines on a stack of known size.

jsonschema-rs recurses once per nested subschema, both when it compiles a tool schema (far
deeper with `unevaluatedProperties`/`unevaluatedItems`, about 6 KB per link of a reference
chain) and when it validates (200 bytes to several KB per level); pydantic-core recurses
about 4 KB per level of a recursive model (`JSONValue`). A thread's stack may be as small
as the application chose (256 KB in the hostile suite: a 60-deep `JSONValue` crashed the
process). So compiling a tool schema, a tool-schema validation whose subschemas may nest
deeper than INLINE_NESTING and a model built from an instance deeper than INLINE_DEPTH run
in a helper thread with an ENGINE_STACK_BYTES stack (the nesting limits keep their need well
under it); shallow work, nearly all of it, runs inline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from ._locks import ForkSafeLock

# Stack of the helper thread: virtual memory, committed only as far as it is used.
ENGINE_STACK_BYTES = 64 * 1024 * 1024
# Subschemas a validation may nest and still run on the caller's stack (measured: a 256 KB
# stack holds about 200 levels of `anyOf` chains, 1,000 of `$ref` chains).
INLINE_NESTING = 64
# Containers an instance may nest and have its model built on the caller's stack (a 256 KB
# stack holds fewer than 60 levels of `JSONValue`).
INLINE_DEPTH = 16

_T = TypeVar("_T")
_stack_size_lock = ForkSafeLock()


def on_engine_stack(call: Callable[[], _T]) -> _T:
    """`call()` in a helper thread with an ENGINE_STACK_BYTES stack; its result or its error."""
    results: list[_T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - handed to the caller as it is
            errors.append(error)

    worker = threading.Thread(target=run, name="mcp-spec-engine", daemon=True)
    with _stack_size_lock:  # the size is process-wide: set it only around this start
        previous = threading.stack_size(ENGINE_STACK_BYTES)
        try:
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    if errors:
        raise errors[0]
    return results[0]
