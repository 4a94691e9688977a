"""Python type expressions for IR nodes, shared by the emitters that write annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from .errors import LoweringError
from .ir import (
    AnyType,
    ArrayOf,
    Definition,
    LiteralType,
    MapOf,
    ModelDef,
    Primitive,
    Ref,
    TypeExpr,
    UnionOf,
)

_SCALAR_PYTHON = {"string": "str", "integer": "int", "boolean": "bool", "null": "None"}


def literal_value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str | int):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    raise LoweringError(f"value {value!r} cannot be a typing.Literal")


def _constrained(base: str, primitive: Primitive) -> str:
    bounds = []
    if primitive.minimum is not None:
        bounds.append(f"ge={primitive.minimum!r}")
    if primitive.maximum is not None:
        bounds.append(f"le={primitive.maximum!r}")
    return f"Annotated[{base}, Field({', '.join(bounds)})]" if bounds else base


def primitive_members(primitive: Primitive) -> list[str]:
    members: list[str] = []
    for kind in primitive.kinds:
        if kind == "number":
            # JSON numbers keep their form: 3 stays int and 3.5 float, so a round trip is exact.
            if "integer" not in primitive.kinds:
                members.append(_constrained("int", primitive))
            members.append(_constrained("float", primitive))
        elif kind in ("integer",):
            members.append(_constrained("int", primitive))
        else:
            members.append(_SCALAR_PYTHON[kind])
    return members


class TypeRenderer:
    """Renders IR type expressions as Python annotations.

    `name_of` maps a definition name to the Python expression that refers to it (quoted for a
    forward reference where the context needs one). `attr_of_tag` maps a union's wire tag to the
    attribute name pydantic's discriminator wants.
    """

    def __init__(self, definitions: Mapping[str, Definition],
                 name_of: Callable[[str], str] = lambda name: name,
                 union_style: str = "pipe") -> None:
        self.definitions = definitions
        self.name_of = name_of
        self.union_style = union_style

    def _union(self, members: list[str]) -> str:
        unique = list(dict.fromkeys(members))
        if len(unique) == 1:
            return unique[0]
        if self.union_style == "typing":
            return f"Union[{', '.join(unique)}]"
        return " | ".join(unique)

    def render(self, expr: TypeExpr) -> str:
        if isinstance(expr, AnyType):
            return "Any"
        if isinstance(expr, Primitive):
            return self._union(primitive_members(expr))
        if isinstance(expr, LiteralType):
            values = [value for value in expr.values if value is not None]
            literal = f"Literal[{', '.join(literal_value(value) for value in values)}]"
            if len(values) < len(expr.values):
                return self._union([literal, "None"]) if values else "None"
            return literal
        if isinstance(expr, ArrayOf):
            inner = f"list[{self.render(expr.items)}]"
            bounds = []
            if expr.min_items is not None:
                bounds.append(f"min_length={expr.min_items}")
            if expr.max_items is not None:
                bounds.append(f"max_length={expr.max_items}")
            return f"Annotated[{inner}, Field({', '.join(bounds)})]" if bounds else inner
        if isinstance(expr, MapOf):
            return f"dict[str, {self.render(expr.values)}]"
        if isinstance(expr, Ref):
            return self.name_of(expr.name)
        members = [self.render(member) for member in expr.members]
        union = self._union(members)
        if expr.discriminator is not None:
            tag = self.discriminator_attribute(expr)
            return f"Annotated[{union}, Field(discriminator={json.dumps(tag)})]"
        return union

    def discriminator_attribute(self, union: UnionOf) -> str:
        first = union.members[0]
        assert isinstance(first, Ref) and union.discriminator is not None
        model = self.definitions[first.name]
        assert isinstance(model, ModelDef)
        field = model.field_by_wire_name(union.discriminator)
        assert field is not None
        return field.attr_name


def is_nullable(expr: TypeExpr) -> bool:
    if isinstance(expr, Primitive):
        return "null" in expr.kinds
    if isinstance(expr, LiteralType):
        return None in expr.values
    if isinstance(expr, UnionOf):
        return any(is_nullable(member) for member in expr.members)
    return isinstance(expr, AnyType)


def references(expr: TypeExpr) -> list[str]:
    """Names of the definitions an expression refers to, in order."""
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, ArrayOf):
        return references(expr.items)
    if isinstance(expr, MapOf):
        return references(expr.values)
    if isinstance(expr, UnionOf):
        return [name for member in expr.members for name in references(member)]
    return []
