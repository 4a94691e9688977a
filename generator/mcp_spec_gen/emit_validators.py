"""Emit a revision's compiled-validator module and the validation bundle it loads.

The bundle is `RevisionIR.bundle` (errata applied, annotations dropped; every `$ref` is local
to it) as compact JSON package data, read on first use; the module is a thin typed facade
over the shared engine in `_validation.py`. Importing the models never touches either.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import GeneratorError
from .ir import RevisionIR
from .render import render_template
from .schema_walk import unescape_pointer_token

BUNDLE_FILE = "validation.json"


def bundle_text(ir: RevisionIR) -> str:
    """Deterministic compact JSON: the schema's own key order, no whitespace."""
    return json.dumps(ir.bundle, ensure_ascii=False, separators=(",", ":")) + "\n"


def bundle_pointer(bundle: Any, pointer: str) -> str | None:
    """Where the schema an IR pointer names really stands in `bundle`, or None.

    Lowering merges `allOf` members into one object, so an inline model's pointer may step
    over the `allOf` (`.../error/properties/data` for `.../error/allOf/1/properties/data`);
    such a step is resolved through the first inline member that has the token.
    """
    node: Any = bundle
    real = ""
    for token in pointer.lstrip("/").split("/") if pointer else []:
        key = unescape_pointer_token(token)
        if isinstance(node, dict) and key in node:
            node, real = node[key], f"{real}/{token}"
            continue
        members = node.get("allOf") if isinstance(node, dict) else None
        found = False
        for index, member in enumerate(members if isinstance(members, list) else []):
            if isinstance(member, dict) and key in member:
                node, real, found = member[key], f"{real}/allOf/{index}/{token}", True
                break
        if not found:
            return None
    return real


def emit_validators(ir: RevisionIR, commit: str) -> dict[str, str]:
    """`validators.py` and the bundle; every model and alias name maps to its JSON pointer in
    the bundle (definitions at `/$defs/<name>`, hoisted inline models where they stand)."""
    pointers: dict[str, str] = {}
    for name, definition in ir.all_definitions().items():
        real = bundle_pointer(ir.bundle, definition.pointer)
        if real is None:
            raise GeneratorError(
                f"{name}: its pointer is not in the validation bundle",
                pointer=definition.pointer,
                revision=ir.revision,
            )
        pointers[name] = real
    module = render_template(
        "revision/validators.py.jinja",
        revision=ir.revision,
        module=ir.module,
        dialect=ir.dialect,
        commit=commit,
        bundle_file=BUNDLE_FILE,
        pointers=sorted(pointers.items()),
    )
    return {"validators.py": module, BUNDLE_FILE: bundle_text(ir)}
