"""Errata: declared, asserted patches of the rendered schema.json files.

Each patch names the revisions it covers (its reach, e.g. "from 2026-07-28 on", so a revision
added later inherits it), a JSON pointer, the value expected there now and the value to
write. The expected value is asserted before writing, so a patch never applies silently to a
file that has moved on upstream; every patch that no longer applies is reported, all at once.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ErratumError
from .problems import Problems
from .project import current_project
from .reach import Reach, parse_reach
from .schema_walk import resolve_pointer, unescape_pointer_token

KINDS = frozenset({"erratum", "compatibility"})


@dataclass(frozen=True, slots=True)
class Patch:
    id: str
    kind: str
    reach: Reach
    pointer: str
    expected: Any
    replacement: Any
    reason: str
    upstream: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "revisions": self.reach.to_json(),
            "pointer": self.pointer,
            "expected": self.expected,
            "replacement": self.replacement,
            "reason": self.reason,
            "upstream": self.upstream,
        }


def load_errata(path: Path | None = None) -> tuple[Patch, ...]:
    path = path or current_project().schema_dir / "errata.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["patches"]
        patches = tuple(
            Patch(
                **{key: value for key, value in entry.items() if key != "revisions"},
                reach=parse_reach(entry["revisions"]),
            )
            for entry in entries
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ErratumError(f"cannot read errata: {exc}", file=str(path)) from None
    for patch in patches:
        if patch.kind not in KINDS:
            raise ErratumError(
                f"patch {patch.id!r} has unknown kind {patch.kind!r}", file=str(path)
            )
    return patches


def save_errata(patches: tuple[Patch, ...], path: Path | None = None) -> None:
    path = path or current_project().schema_dir / "errata.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["patches"] = [patch.to_json() for patch in patches]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def apply_errata(
    document: dict[str, Any],
    patches: tuple[Patch, ...],
    *,
    revision: str,
    file: str,
    problems: Problems | None = None,
) -> tuple[dict[str, Any], tuple[Patch, ...]]:
    """A patched copy of `document` and the patches applied to it (the input is not changed).

    Every patch covering `revision` that no longer applies is added to `problems` (without a
    collector, they are raised together at the end)."""
    collector = problems if problems is not None else Problems()
    patched = copy.deepcopy(document)
    applied: list[Patch] = []
    for patch in patches:
        if not patch.reach.covers(revision):
            continue
        stale = stale_reason(patched, patch)
        if stale is not None:
            collector.add(
                ErratumError(
                    f"patch {patch.id!r} ({patch.reach}): {stale}; the upstream schema has "
                    "moved on, review the patch (narrow its revisions if upstream fixed it)",
                    file=file,
                    pointer=patch.pointer,
                    revision=revision,
                )
            )
            continue
        parent_pointer, _, last = patch.pointer.rpartition("/")
        parent = resolve_pointer(patched, parent_pointer)
        parent[unescape_pointer_token(last)] = copy.deepcopy(patch.replacement)
        applied.append(patch)
    if problems is None:
        collector.raise_if_any()
    return patched, tuple(applied)


def stale_reason(document: Any, patch: Patch) -> str | None:
    """Why `patch` does not apply to `document`, or None when it does."""
    parent_pointer, _, last = patch.pointer.rpartition("/")
    try:
        parent = resolve_pointer(document, parent_pointer)
        current = parent[unescape_pointer_token(last)]
    except (KeyError, IndexError, TypeError):
        return "nothing at the patched location"
    if current != patch.expected:
        return f"expected {json.dumps(patch.expected)} but found {json.dumps(current)}"
    return None
