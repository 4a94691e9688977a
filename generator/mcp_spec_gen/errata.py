"""Errata: declared, asserted patches of the rendered schema.json files.

Each patch names a revision, a JSON pointer, the value expected there now and the value to
write. The expected value is asserted before writing, so a patch never applies silently to a
file that has moved on upstream.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ErratumError
from .project import current_project
from .schema_walk import resolve_pointer, unescape_pointer_token

KINDS = frozenset({"erratum", "compatibility"})


@dataclass(frozen=True, slots=True)
class Patch:
    id: str
    kind: str
    revision: str
    pointer: str
    expected: Any
    replacement: Any
    reason: str
    upstream: str


def load_errata(path: Path | None = None) -> tuple[Patch, ...]:
    path = path or current_project().schema_dir / "errata.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["patches"]
        patches = tuple(Patch(**entry) for entry in entries)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ErratumError(f"cannot read errata: {exc}", file=str(path)) from None
    for patch in patches:
        if patch.kind not in KINDS:
            raise ErratumError(
                f"patch {patch.id!r} has unknown kind {patch.kind!r}",
                file=str(path),
                revision=patch.revision,
            )
    return patches


def apply_errata(
    document: dict[str, Any], patches: tuple[Patch, ...], *, revision: str, file: str
) -> tuple[dict[str, Any], tuple[Patch, ...]]:
    """A patched copy of `document` and the patches applied to it (the input is not changed)."""
    patched = copy.deepcopy(document)
    applied: list[Patch] = []
    for patch in patches:
        if patch.revision != revision:
            continue
        parent_pointer, _, last = patch.pointer.rpartition("/")
        try:
            parent = resolve_pointer(patched, parent_pointer)
            current = parent[unescape_pointer_token(last)]
        except (KeyError, IndexError, TypeError):
            raise ErratumError(
                f"patch {patch.id!r}: nothing at the patched location; the "
                "upstream schema has moved on, review the patch",
                file=file,
                pointer=patch.pointer,
                revision=revision,
            ) from None
        if current != patch.expected:
            raise ErratumError(
                f"patch {patch.id!r}: expected {json.dumps(patch.expected)} but found "
                f"{json.dumps(current)}; the upstream schema has moved on, review the patch",
                file=file,
                pointer=patch.pointer,
                revision=revision,
            )
        parent[unescape_pointer_token(last)] = copy.deepcopy(patch.replacement)
        applied.append(patch)
    return patched, tuple(applied)
