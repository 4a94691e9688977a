"""Locks that a forked child gets back unlocked.

`os.fork()` copies a lock in whatever state it was: held by a thread that does not exist in
the child, it stays held forever, and the child's next compile waits on it for good. Every
lock that guards a cache of `mcp_spec` is a `ForkSafeLock`, replaced by a fresh one in the
child (`os.register_at_fork`); what the caches hold stays valid, since every entry is written
whole under the lock.
"""

from __future__ import annotations

import os
import threading
import weakref
from types import TracebackType


class ForkSafeLock:
    """A `threading.Lock` (as a context manager) that is new and unlocked after a fork."""

    __slots__ = ("__weakref__", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        _LOCKS.add(self)

    def __enter__(self) -> ForkSafeLock:
        self._lock.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._lock.release()

    def _reset(self) -> None:
        self._lock = threading.Lock()


_LOCKS: weakref.WeakSet[ForkSafeLock] = weakref.WeakSet()


def _reset_in_child() -> None:
    for lock in list(_LOCKS):
        lock._reset()  # pyright: ignore[reportPrivateUsage]


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_reset_in_child)
