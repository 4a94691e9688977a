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

# JSON scalar types and the Python types they decode to.
SCALAR_PYTHON = {"string": "str", "integer": "int", "boolean": "bool", "null": "None"}
# Names generated code uses, by the module that provides them.
_HELPER_MODULES = {
    "Annotated": "typing",
    "Any": "typing",
    "Literal": "typing",
    "TypeAlias": "typing",
    "Union": "typing",
    "TYPE_CHECKING": "typing",
    "TypeAliasType": "typing_extensions",
    "ConfigDict": "pydantic",
    "Field": "pydantic",
    "MCPModel": ".._base",
    "DeprecatedValues": ".._base",
    "DeprecatedMCPModel": ".._base",
    "DeprecatedField": ".._base",
    "NullableRenamedMCPModel": ".._base",
    "NOT_NULL": ".._base",
    "STRICT": ".._base",
    "deprecated": "typing_extensions",
    "ClassVar": "typing",
}


class Helpers:
    """The names generated code uses for typing and pydantic helpers.

    A schema may define a type with a helper's name (2024-11-05 defines `Annotated`), so such a
    helper is referred to through its module instead of being imported bare.
    """

    def __init__(self, definition_names: frozenset[str]) -> None:
        self.clashing = frozenset(_HELPER_MODULES) & definition_names
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        self.used.add(name)
        if name in self.clashing:
            return f"{_HELPER_MODULES[name].rpartition('.')[2]}.{name}"
        return name

    def imports(self) -> list[str]:
        """Import lines for the helpers used, grouped as isort would."""
        bare: dict[str, list[str]] = {}
        qualified: set[str] = set()
        for name in sorted(self.used):
            module = _HELPER_MODULES[name]
            if name in self.clashing:
                qualified.add(module)
            else:
                bare.setdefault(module, []).append(name)
        lines: list[str] = []
        for module in ("typing", "pydantic", "typing_extensions", ".._base"):
            if module in qualified:
                package, _, leaf = module.rpartition(".")
                lines.append(f"from {package} import {leaf}" if package else f"import {module}")
            if module in bare:
                lines.append(f"from {module} import {', '.join(bare[module])}")
        return lines


def literal_value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str | int):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    raise LoweringError(f"value {value!r} cannot be a typing.Literal")


def _with_field(base: str, arguments: list[str], helper: Callable[[str], str]) -> str:
    """`base`, or `Annotated[base, Field(arguments)]` when there are constraints."""
    if not arguments:
        return base
    return f"{helper('Annotated')}[{base}, {helper('Field')}({', '.join(arguments)})]"


def _keywords(**values: object) -> list[str]:
    """`name=value` for each value that is set, in order."""
    return [f"{name}={value!r}" for name, value in values.items() if value is not None]


def _constrained(base: str, primitive: Primitive, helper: Callable[[str], str]) -> str:
    return _with_field(base, _keywords(ge=primitive.minimum, le=primitive.maximum), helper)


def _lengths(primitive: Primitive, helper: Callable[[str], str]) -> str:
    """`str` with its length bounds (code points, as JSON Schema counts). Patterns are not
    checked by the models (a listed deviation: Python's and pydantic's regex engines differ);
    the validators check them exactly."""
    bounds = _keywords(min_length=primitive.min_length, max_length=primitive.max_length)
    return _with_field("str", bounds, helper)


def primitive_members(primitive: Primitive, helper: Callable[[str], str] = str) -> list[str]:
    members: list[str] = []
    for kind in primitive.kinds:
        if kind == "number":
            # JSON numbers keep their form: 3 stays int and 3.5 float, so a round trip is exact.
            if "integer" not in primitive.kinds:
                members.append(_constrained("int", primitive, helper))
            members.append(_constrained("float", primitive, helper))
        elif kind in ("integer",):
            members.append(_constrained("int", primitive, helper))
        elif kind == "string":
            members.append(_lengths(primitive, helper))
        else:
            members.append(SCALAR_PYTHON[kind])
    return members


class TypeRenderer:
    """Renders IR type expressions as Python annotations.

    `name_of` maps a definition name to the Python expression that refers to it (quoted for a
    forward reference where the context needs one). `attr_of_tag` maps a union's wire tag to the
    attribute name pydantic's discriminator wants.
    """

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        helper: Helpers,
        name_of: Callable[[str], str] = lambda name: name,
        union_style: str = "pipe",
    ) -> None:
        self.definitions = definitions
        self.helper = helper
        self.name_of = name_of
        self.union_style = union_style

    def union(self, members: list[str]) -> str:
        """The union of rendered members, in this renderer's style."""
        return self._union(members)

    def _union(self, members: list[str]) -> str:
        unique = list(dict.fromkeys(members))
        if len(unique) == 1:
            return unique[0]
        if self.union_style == "typing":
            return f"{self.helper('Union')}[{', '.join(unique)}]"
        return " | ".join(unique)

    def render(self, expr: TypeExpr) -> str:
        if isinstance(expr, AnyType):
            return self.helper("Any")
        if isinstance(expr, Primitive):
            return self._union(primitive_members(expr, self.helper))
        if isinstance(expr, LiteralType):
            values = [value for value in expr.values if value is not None]
            listed = ", ".join(literal_value(value) for value in values)
            literal = f"{self.helper('Literal')}[{listed}]"
            if len(values) < len(expr.values):
                return self._union([literal, "None"]) if values else "None"
            return literal
        if isinstance(expr, ArrayOf):
            inner = f"list[{self.render(expr.items)}]"
            bounds = _keywords(min_length=expr.min_items, max_length=expr.max_items)
            return _with_field(inner, bounds, self.helper)
        if isinstance(expr, MapOf):
            return f"dict[str, {self.render(expr.values)}]"
        if isinstance(expr, Ref):
            return self.name_of(expr.name)
        members: list[str] = []
        for member in expr.members:
            if isinstance(member, Primitive):  # splice scalars: `A | str | int`, not nested
                members.extend(primitive_members(member, self.helper))
            else:
                members.append(self.render(member))
        union = self._union(members)
        if expr.discriminator is not None:
            tag = self.discriminator_attribute(expr)
            field = f"{self.helper('Field')}(discriminator={json.dumps(tag)})"
            return f"{self.helper('Annotated')}[{union}, {field}]"
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
