"""The intermediate representation (IR): one revision's types, independent of JSON Schema syntax.

Lowering builds it from the errata-patched schema; passes refine it; every emitter (models,
method tables, validators, strategies) reads it and nothing else. All nodes are immutable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None

# JSON types a primitive node may admit, in the order emitters render them.
PRIMITIVE_KINDS = ("string", "integer", "number", "boolean", "null")


@dataclass(frozen=True, slots=True)
class AnyType:
    """Any JSON value (`{}` or `true`)."""


@dataclass(frozen=True, slots=True)
class Primitive:
    """One or more scalar JSON types with their constraints."""

    kinds: tuple[str, ...]
    format: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    # String constraints (they bind strings only, as in JSON Schema).
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class LiteralType:
    """`const` or `enum`: exactly these values."""

    values: tuple[JSONScalar, ...]


@dataclass(frozen=True, slots=True)
class ArrayOf:
    items: TypeExpr
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True, slots=True)
class MapOf:
    """An object without declared properties: string keys to `values`; `keys` is the
    `propertyNames` schema every key must match (None: any key)."""

    values: TypeExpr
    keys: TypeExpr | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A named definition (a model or an alias) of the same revision."""

    name: str


@dataclass(frozen=True, slots=True)
class UnionOf:
    """`anyOf`. `discriminator` is the wire name of a property whose constant tells the members
    apart (set by the discriminator pass)."""

    members: tuple[TypeExpr, ...]
    discriminator: str | None = None


TypeExpr: TypeAlias = AnyType | Primitive | LiteralType | ArrayOf | MapOf | Ref | UnionOf


@dataclass(frozen=True, slots=True)
class Deprecation:
    """Why something is deprecated, since when, and what to use instead."""

    feature: str
    since: str
    migration: str
    reference: str


@dataclass(frozen=True, slots=True)
class Field:
    wire_name: str
    attr_name: str
    type: TypeExpr
    required: bool
    description: str | None = None
    deprecation: Deprecation | None = None
    # Some values of the field are deprecated (not the field): `includeContext: "allServers"`.
    deprecated_values: tuple[JSONScalar, ...] = ()
    values_deprecation: Deprecation | None = None


@dataclass(frozen=True, slots=True)
class ModelDef:
    """An object with declared properties. `extra` types the unknown keys (AnyType when open,
    None when closed); `pointer` is where it stands in the schema file."""

    name: str
    pointer: str
    fields: tuple[Field, ...]
    extra: TypeExpr | None
    description: str | None = None
    deprecation: Deprecation | None = None
    key_names: TypeExpr | None = None  # `propertyNames`: what every key must match

    def field_by_wire_name(self, wire_name: str) -> Field | None:
        for candidate in self.fields:
            if candidate.wire_name == wire_name:
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class AliasDef:
    """A definition that is not an object with properties: a union, scalar, list or map."""

    name: str
    pointer: str
    type: TypeExpr
    description: str | None = None
    deprecation: Deprecation | None = None


Definition: TypeAlias = ModelDef | AliasDef


@dataclass(frozen=True, slots=True)
class AppliedPatch:
    id: str
    kind: str
    pointer: str
    reason: str


@dataclass(frozen=True, slots=True)
class RevisionIR:
    """Everything the emitters need about one revision.

    `definitions` holds the schema's own definitions in file order; `inline` the models hoisted
    from inline objects, named after their path. `bundle` is the errata-patched schema without
    annotations (descriptions, titles, defaults, examples), for validators.
    """

    revision: str
    module: str
    dialect: str
    sha256: str
    definitions: dict[str, Definition]
    inline: dict[str, ModelDef]
    patches: tuple[AppliedPatch, ...]
    bundle: dict[str, object] = field(repr=False, default_factory=dict[str, object])
    # False when some definition could not be lowered (reported): such an IR is checked
    # further, never emitted.
    complete: bool = True

    def all_definitions(self) -> dict[str, Definition]:
        return {**self.definitions, **self.inline}

    def deprecated_definitions(self) -> frozenset[str]:
        return frozenset(
            name for name, definition in self.all_definitions().items() if definition.deprecation
        )

    def lookup(self, name: str) -> Definition:
        found = self.definitions.get(name) or self.inline.get(name)
        if found is None:
            raise KeyError(name)
        return found
