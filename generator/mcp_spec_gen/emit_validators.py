"""Emit a revision's compiled-validator module and the validation bundle it loads.

The bundle is `RevisionIR.bundle` (errata applied, annotations dropped; every `$ref` is local
to it) as compact JSON package data, read on first use; the module is a thin typed facade
over the shared engine in `_validation.py`. Importing the models never touches either.

Formats, so that jsonschema-rs runs without Python callbacks wherever it can (any Python
callback slows a whole validator by about half):

- `uri`: jsonschema-rs's native RFC 3986 check (see the README's deviations);
- `byte`: rewritten as an anchored `pattern` for strict RFC 4648 base64 (what Python 3.13's
  `base64.b64decode(validate=True)` accepts; compared exhaustively in the tests);
- `uri-template`, `date-time`, `date`, `time`, `email`, `idn-email`, `ipv4`, `ipv6`, `uuid`:
  checked by `mcp_spec._formats` (the checks the reference makes), through Python callbacks
  that only definitions which can reach such a string are compiled with.

A schema's own `pattern` becomes the keyword `x-mcp-spec-pattern`, which the runtime checks
with Python's `re.search`, exactly what the reference does (jsonschema-rs's ECMA-262 engine
differs: `$` before a final newline, Unicode `\\d`); the `byte` pattern stays native.

Any other format is a listed problem (`format_problems`): add a check here, in the runtime,
the reference and the strategies, or declare an erratum.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import GeneratorError
from .ir import RevisionIR
from .render import render_template
from .schema_walk import child_schemas, resolve_pointer, transform

BUNDLE_FILE = "validation.json"
# Strict RFC 4648 base64: whole quads, then at most one final quad with its exact padding.
# This is `base64.b64decode(validate=True)` on Python 3.13; 3.10 to 3.12 also accept excess
# "=" (a listed deviation, see the README).
_B64 = "[A-Za-z0-9+/]"
BYTE_PATTERN = f"^(?:{_B64}{{4}})*(?:{_B64}{{2}}==|{_B64}{{3}}=)?$"
NATIVE_FORMATS = frozenset({"uri"})
CALLBACK_FORMATS = frozenset(
    {"uri-template", "date-time", "date", "time", "email", "idn-email", "ipv4", "ipv6", "uuid"}
)
# The bundle's name for a schema's own `pattern` (see the module docstring); mirrored by
# `mcp_spec._formats.PATTERN_KEYWORD`.
PATTERN_KEYWORD = "x-mcp-spec-pattern"
# Every format the validators, the reference and the strategies assert alike.
ASSERTED_FORMATS = NATIVE_FORMATS | CALLBACK_FORMATS | {"byte"}


def format_problems(ir: RevisionIR) -> list[GeneratorError]:
    """A problem for every `format` no product here checks, and every `pattern` Python's
    `re` (the reference's engine) cannot compile, with its pointer."""
    found: list[GeneratorError] = []
    for pointer, schema in _subschemas(ir.bundle, ""):
        pattern = schema.get("pattern") if isinstance(schema, dict) else None
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as error:
                found.append(
                    GeneratorError(
                        f"pattern {pattern!r} is not a regular expression Python reads: {error}",
                        pointer=f"{pointer}/pattern",
                        revision=ir.revision,
                    )
                )
        form = schema.get("format") if isinstance(schema, dict) else None
        if form is not None and form not in ASSERTED_FORMATS:
            found.append(
                GeneratorError(
                    f"format {form!r} is not supported (known: "
                    f"{', '.join(sorted(ASSERTED_FORMATS))}); add its check or declare an erratum",
                    pointer=f"{pointer}/format",
                    revision=ir.revision,
                )
            )
    return found


def bundle_text(bundle: dict[str, Any]) -> str:
    """Deterministic compact JSON: the schema's own key order, no whitespace."""
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n"


def validation_bundle(ir: RevisionIR) -> dict[str, Any]:
    """`ir.bundle` with `format: byte` as its equivalent pattern; any format the engine would
    check differently from the reference is refused."""

    def rewrite(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "pattern" in node:
            node = {
                (PATTERN_KEYWORD if key == "pattern" else key): value for key, value in node.items()
            }
        form = node.get("format")
        if form == "byte":
            if PATTERN_KEYWORD in node:
                raise GeneratorError(
                    "format byte next to a pattern", pointer=pointer, revision=ir.revision
                )
            node = {key: value for key, value in node.items() if key != "format"}
            node["pattern"] = BYTE_PATTERN
        elif form is not None and form not in NATIVE_FORMATS | CALLBACK_FORMATS:
            raise GeneratorError(
                f"format {form!r} is not supported (see format_problems)",
                pointer=pointer,
                revision=ir.revision,
            )
        return node

    bundle = transform(ir.bundle, rewrite)
    assert isinstance(bundle, dict)
    return bundle  # pyright: ignore[reportUnknownVariableType]


def reaches_callback_format(bundle: dict[str, Any], pointer: str) -> bool:
    """Whether the schema at `pointer`, following local `$ref`s, has a callback format or a
    pattern (checked by a Python keyword): only such definitions are compiled with callbacks
    (any callback slows a whole jsonschema-rs validator by about half)."""
    seen: set[str] = set()
    pending = [pointer]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, schema in _subschemas(resolve_pointer(bundle, current), current):
            if not isinstance(schema, dict):
                continue
            if schema.get("format") in CALLBACK_FORMATS or PATTERN_KEYWORD in schema:
                return True
            reference = schema.get("$ref")
            if isinstance(reference, str):
                if not reference.startswith("#"):
                    raise GeneratorError(f"non-local $ref {reference!r}", pointer=current)
                pending.append(reference[1:])
    return False


def _subschemas(root: Any, pointer: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    stack = [(pointer, root)]
    while stack:
        current, schema = stack.pop()
        found.append((current, schema))
        stack.extend(child_schemas(schema, current))
    return found


def emit_validators(ir: RevisionIR, commit: str) -> dict[str, str]:
    """`validators.py` and the bundle; every model and alias name maps to its JSON pointer in
    the bundle (definitions at `/$defs/<name>`, hoisted inline models where they stand)."""
    bundle = validation_bundle(ir)
    pointers: dict[str, str] = {}
    for name, definition in ir.all_definitions().items():
        try:
            resolve_pointer(bundle, definition.pointer)
        except (KeyError, IndexError):
            raise GeneratorError(
                f"{name}: its pointer is not in the validation bundle",
                pointer=definition.pointer,
                revision=ir.revision,
            ) from None
        pointers[name] = definition.pointer
    callbacks = sorted(
        name for name, pointer in pointers.items() if reaches_callback_format(bundle, pointer)
    )
    module = render_template(
        "revision/validators.py.jinja",
        revision=ir.revision,
        module=ir.module,
        dialect=ir.dialect,
        commit=commit,
        bundle_file=BUNDLE_FILE,
        pointers=sorted(pointers.items()),
        callbacks=callbacks,
        byte_pattern=json.dumps(BYTE_PATTERN),
    )
    return {"validators.py": module, BUNDLE_FILE: bundle_text(bundle)}
