"""Emitter: the wire types module of one revision (`mcp_spec.<revision>.wire`), from its IR.

One `TypedDict` per model (definitions and hoisted inline objects) keyed by the wire names,
optional keys `NotRequired`, constants `Literal`, unions as unions; every other definition a
type alias. Annotations are strings (`from __future__ import annotations`, aliases quoted),
so importing the module evaluates none of them and needs neither pydantic nor the models.
TypedDicts stay open (extra keys are allowed, as in JSON Schema objects that are not closed).

Type checkers read the TypedDicts (under `TYPE_CHECKING`); at run time each is built on first
access from a table of the same keys, so importing the module creates none of them.
Class syntax is used where every key can be a class attribute; otherwise (a key that is not an
identifier, is a keyword, starts with `__`, or names something an annotation of the same
TypedDict uses) the functional syntax keeps the key exact.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass

from .emit_types import SCALAR_PYTHON, literal_value
from .ir import (
    AliasDef,
    AnyType,
    ArrayOf,
    Definition,
    LiteralType,
    MapOf,
    ModelDef,
    Primitive,
    Ref,
    RevisionIR,
    TypeExpr,
)
from .passes import deprecation_message
from .render import docstring, render_template

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')  # a Literal's JSON string


def render_wire_type(expr: TypeExpr) -> str:
    """A plain typing expression (no pydantic constraints) of an IR type."""
    if isinstance(expr, AnyType):
        return "_t.Any"
    if isinstance(expr, Primitive):
        return _union(_primitive_members(expr))
    if isinstance(expr, LiteralType):
        values = [value for value in expr.values if value is not None]
        members = [f"_t.Literal[{', '.join(literal_value(value) for value in values)}]"]
        if len(values) < len(expr.values):
            members = [*members, "None"] if values else ["None"]
        return _union(members)
    if isinstance(expr, ArrayOf):
        return f"list[{render_wire_type(expr.items)}]"
    if isinstance(expr, MapOf):
        return f"dict[str, {render_wire_type(expr.values)}]"
    if isinstance(expr, Ref):
        return expr.name
    members: list[str] = []
    for member in expr.members:
        if isinstance(member, Primitive):
            members.extend(_primitive_members(member))
        else:
            members.append(render_wire_type(member))
    return _union(members)


def _primitive_members(primitive: Primitive) -> list[str]:
    members: list[str] = []
    for kind in primitive.kinds:
        if kind == "number":  # JSON numbers decode to int or float
            members.extend(["int", "float"])
        else:
            members.append(SCALAR_PYTHON[kind])
    return members


def _union(members: list[str]) -> str:
    return " | ".join(dict.fromkeys(members))


@dataclass(frozen=True, slots=True)
class _Key:
    wire_name: str
    annotation: str
    docstring: str | None


@dataclass(frozen=True, slots=True)
class _TypedDictView:
    kind = "typeddict"
    name: str
    docstring: str
    keys: tuple[_Key, ...]
    functional: bool
    extra: str  # the class argument saying which extra keys the object allows
    runtime_extra: str  # the same for the run-time table: None (any), False (closed), a type
    optional: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _AliasView:
    kind = "alias"
    name: str
    value: str
    docstring: str | None


def _names_used(annotation: str) -> set[str]:
    return set(_NAME.findall(_STRING.sub("", annotation)))


def _needs_functional_syntax(keys: list[_Key]) -> bool:
    used = {name for key in keys for name in _names_used(key.annotation)}
    return any(
        not key.wire_name.isidentifier()
        or keyword.iskeyword(key.wire_name)
        or key.wire_name.startswith("__")
        or key.wire_name in used
        for key in keys
    )


def _typed_dict_view(model: ModelDef, revision: str) -> _TypedDictView:
    keys: list[_Key] = []
    for field in model.fields:
        annotation = render_wire_type(field.type)
        if not field.required:
            annotation = f"_te.NotRequired[{annotation}]"
        description = field.description
        if field.deprecation is not None:
            message = deprecation_message(field.deprecation, f"`{field.wire_name}`", revision)
            description = f"Deprecated: {message}\n\n{description or ''}"
        keys.append(
            _Key(field.wire_name, annotation, docstring(description) if description else None)
        )
    description = model.description or f"The `{model.name}` object."
    if model.deprecation is not None:
        message = deprecation_message(model.deprecation, f"`{model.name}`", revision)
        description = f"Deprecated: {message}\n\n{description}"
    return _TypedDictView(
        name=model.name,
        docstring=docstring(description),
        keys=tuple(keys),
        functional=_needs_functional_syntax(keys),
        extra=_extra_items(model),
        runtime_extra=_runtime_extra(model),
        optional=tuple(field.wire_name for field in model.fields if not field.required),
    )


def _runtime_extra(model: ModelDef) -> str:
    if model.extra is None:
        return "False"
    if isinstance(model.extra, AnyType):
        return "None"
    return json.dumps(render_wire_type(model.extra))


def _extra_items(model: ModelDef) -> str:
    if model.extra is None:
        return "closed=True"
    if isinstance(model.extra, AnyType):
        return "extra_items=_t.Any"
    # Evaluated at import, so quoted: it may name a definition written further down.
    return f"extra_items={json.dumps(render_wire_type(model.extra))}"


def _alias_view(alias: AliasDef, revision: str) -> _AliasView:
    description = alias.description
    if alias.deprecation is not None:
        message = deprecation_message(alias.deprecation, f"`{alias.name}`", revision)
        description = f"Deprecated: {message}\n\n{description or ''}"
    return _AliasView(
        name=alias.name,
        value=json.dumps(render_wire_type(alias.type)),
        docstring=docstring(description) if description else None,
    )


def emit_wire(ir: RevisionIR, *, commit: str) -> str:
    definitions: dict[str, Definition] = ir.all_definitions()
    views: list[_TypedDictView | _AliasView] = []
    for name in sorted(definitions):
        definition = definitions[name]
        if isinstance(definition, ModelDef):
            views.append(_typed_dict_view(definition, ir.revision))
        else:
            views.append(_alias_view(definition, ir.revision))
    return render_template(
        "revision/wire.py.jinja",
        revision=ir.revision,
        module=ir.module,
        commit=commit,
        patches=ir.patches,
        exports=sorted(definitions),
        definitions=views,
        json_dumps=json.dumps,
    )
