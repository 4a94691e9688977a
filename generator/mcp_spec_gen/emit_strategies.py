"""Emitter: the hypothesis strategies module of one revision, from its IR.

Every definition (and every inline model) becomes a node of `mcp_spec._strategies`; the
runtime turns nodes into strategies of valid instances and of labelled near misses.
"""

from __future__ import annotations

import json

from .errors import LoweringError
from .ir import (
    AliasDef,
    AnyType,
    ArrayOf,
    Definition,
    LiteralType,
    MapOf,
    Primitive,
    Ref,
    RevisionIR,
    TypeExpr,
)
from .render import render_template


def _literal(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    raise LoweringError(f"value {value!r} cannot be a strategy literal")


def _tuple(items: list[str]) -> str:
    return f"({', '.join(items)},)" if items else "()"


def node_expression(expr: TypeExpr) -> str:
    """The Python expression that builds the runtime node of `expr`."""
    if isinstance(expr, AnyType):
        return "AnyNode()"
    if isinstance(expr, Primitive):
        arguments = [_tuple([json.dumps(kind) for kind in expr.kinds])]
        arguments.extend(
            f"{name}={_literal(value)}"
            for name, value in (
                ("format", expr.format),
                ("minimum", expr.minimum),
                ("maximum", expr.maximum),
                ("pattern", expr.pattern),
                ("min_length", expr.min_length),
                ("max_length", expr.max_length),
            )
            if value is not None
        )
        return f"PrimitiveNode({', '.join(arguments)})"
    if isinstance(expr, LiteralType):
        return f"LiteralNode({_tuple([_literal(value) for value in expr.values])})"
    if isinstance(expr, ArrayOf):
        arguments = [node_expression(expr.items)]
        if expr.min_items is not None:
            arguments.append(f"min_items={expr.min_items}")
        if expr.max_items is not None:
            arguments.append(f"max_items={expr.max_items}")
        return f"ArrayNode({', '.join(arguments)})"
    if isinstance(expr, MapOf):
        if expr.keys is not None:
            return f"MapNode({node_expression(expr.values)}, keys={node_expression(expr.keys)})"
        return f"MapNode({node_expression(expr.values)})"
    if isinstance(expr, Ref):
        return f"RefNode({json.dumps(expr.name)})"
    members = _tuple([node_expression(member) for member in expr.members])
    if expr.discriminator is not None:
        return f"UnionNode({members}, discriminator={json.dumps(expr.discriminator)})"
    return f"UnionNode({members})"


def definition_expression(definition: Definition) -> str:
    if isinstance(definition, AliasDef):
        return node_expression(definition.type)
    fields = [
        f"FieldSpec({json.dumps(field.wire_name, ensure_ascii=False)}, "
        f"{json.dumps(field.attr_name)}, {node_expression(field.type)}, {field.required})"
        for field in definition.fields
    ]
    extra = "None" if definition.extra is None else node_expression(definition.extra)
    if definition.key_names is not None:
        key_names = node_expression(definition.key_names)
        return f"ModelNode({_tuple(fields)}, extra={extra}, key_names={key_names})"
    return f"ModelNode({_tuple(fields)}, extra={extra})"


def emit_strategies(ir: RevisionIR) -> str:
    nodes = [
        (name, definition_expression(definition))
        for name, definition in ir.all_definitions().items()
    ]
    return render_template(
        "revision/strategies.py.jinja",
        revision=ir.revision,
        module=ir.module,
        definitions=list(ir.definitions),
        inline=list(ir.inline),
        nodes=nodes,
    )
