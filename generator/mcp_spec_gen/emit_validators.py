"""Emit a revision's compiled-validator module and the validation bundle it loads.

The bundle is `RevisionIR.bundle` (errata applied, annotations dropped; every `$ref` is local
to it) as compact JSON package data, read on first use; the module is a thin typed facade
over the shared engine in `_validation.py`. Importing the models never touches either.
"""

from __future__ import annotations

import json

from .ingest import DEFINITIONS_KEYWORD
from .ir import RevisionIR
from .render import render_template

BUNDLE_FILE = "validation.json"


def bundle_text(ir: RevisionIR) -> str:
    """Deterministic compact JSON: the schema's own key order, no whitespace."""
    return json.dumps(ir.bundle, ensure_ascii=False, separators=(",", ":")) + "\n"


def emit_validators(ir: RevisionIR, commit: str) -> dict[str, str]:
    keyword = DEFINITIONS_KEYWORD[ir.dialect]
    definitions = ir.bundle.get(keyword)
    assert isinstance(definitions, dict), "ingest guarantees the definitions keyword"
    module = render_template(
        "revision/validators.py.jinja",
        revision=ir.revision,
        module=ir.module,
        dialect=ir.dialect,
        commit=commit,
        bundle_file=BUNDLE_FILE,
        definitions_keyword=keyword,
        definitions=sorted(str(name) for name in definitions),
    )
    return {"validators.py": module, BUNDLE_FILE: bundle_text(ir)}
