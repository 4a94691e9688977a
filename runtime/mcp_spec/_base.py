"""The base of every generated model, and the annotations that keep JSON Schema's rules.

Generated models follow JSON Schema: strict types (no coercion of "5" to 5 or true to 1),
unknown keys kept so a round trip is exact, and validation deferred to first use so importing
a revision stays cheap.

Two doors, two namings: wire input (`model_validate`, `model_validate_json`, `TypeAdapter`,
the validators' `parse`, `validate_message`) reads wire names only, so a key equal to a Python
attribute name is an unknown key like any other; keyword construction (`Tool(input_schema=...)`)
takes the Python names, as type checkers see them. Output is the wire form by default.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, overload

from pydantic import (
    VERSION as PYDANTIC_VERSION,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    ModelWrapValidatorHandler,
    ValidationInfo,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema
from typing_extensions import Self, Unpack, deprecated

__all__ = [
    "NOT_NULL",
    "DeprecatedField",
    "STRICT",
    "DeprecatedMCPModel",
    "DeprecatedValues",
    "MCPModel",
    "NullableRenamedMCPModel",
]


class MCPModel(BaseModel):
    """Base class of the generated models.

    `model_dump()` and `model_dump_json()` give the wire form by default: wire names and only
    the keys that were set (by the input or by the caller), so the output is valid MCP and
    an input round-trips exactly. `by_alias=False` gives Python names, `exclude_unset=False`
    every field.
    """

    # Declared for type checkers only: pydantic evaluates the annotations of every base each
    # time it creates a subclass, a millisecond per revision's import for this one line.
    if TYPE_CHECKING:
        model_config: ClassVar[ConfigDict]

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
        protected_namespaces=(),
    )

    # Hidden from type checkers: they see the signatures pydantic declares (and synthesise
    # each model's constructor from its Python field names), only the defaults differ.
    if not TYPE_CHECKING:

        def __init__(self, /, **data: Any) -> None:
            """Build a model from keyword arguments named by Python attribute names.

            `None` for an optional field whose schema has no `null` means "absent", as its
            default does (`Tool(name=..., title=maybe_title)`); the field stays unset."""
            __tracebackhide__ = True
            absent_when_none = _absent_when_none(type(self))
            if absent_when_none:
                data = {
                    key: value
                    for key, value in data.items()
                    if value is not None or key not in absent_when_none
                }
            self.__pydantic_validator__.validate_python(
                data, self_instance=self, by_alias=False, by_name=True, context=_BY_PYTHON_NAMES
            )

        # Not a custom __init__ for pydantic: wire input keeps going straight to the core
        # validator (reading aliases), never through this constructor.
        __init__.__pydantic_base_init__ = True

        def model_dump(self, /, *, exclude_unset: bool = True, **options: Any) -> dict[str, Any]:
            return super().model_dump(exclude_unset=exclude_unset, **options)

        def model_dump_json(self, /, *, exclude_unset: bool = True, **options: Any) -> str:
            return super().model_dump_json(exclude_unset=exclude_unset, **options)

    def model_post_init(self, context: Any, /) -> None:
        extra = self.__pydantic_extra__
        if extra:  # rare: most inputs have no unknown keys
            _unset_shadowed_fields(self, extra)

    def __init_subclass__(
        cls,
        *,
        wire_names: Mapping[str, str] | None = None,
        not_null: tuple[str, ...] = (),
        **kwargs: Unpack[ConfigDict],
    ) -> None:
        """`class Tool(MCPModel, wire_names={...}, not_null=(...))`: the class's field
        records, applied once pydantic has collected the fields (`__pydantic_init_subclass__`
        gets them too). The other keywords are pydantic's configuration."""
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(
        cls,
        *,
        wire_names: Mapping[str, str] | None = None,
        not_null: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if wire_names or not_null:
            _apply_field_records(cls, wire_names or {}, not_null)


def _apply_field_records(
    cls: type[MCPModel], wire_names: Mapping[str, str], not_null: tuple[str, ...]
) -> None:
    """Complete the fields a generated class lists in its records, right after pydantic
    collected them (the schema is not built yet: building is deferred).

    `wire_names={"input_schema": "inputSchema"}` gives a field the validation and
    serialization alias `Field(validation_alias=..., serialization_alias=...)` would, and
    `not_null=("title",)` adds the NOT_NULL marker `Annotated[str | None, NOT_NULL]` would:
    the same FieldInfo, without the `Field()` or `Annotated` per field that pydantic takes
    10-18 µs each to process (4 of the 34 ms the 2026-07-28 classes took to create). Type
    checkers read the plain declarations (`input_schema: ToolInputSchema`,
    `title: str | None = None`), which name and type the constructor keywords exactly as
    the inline forms do.
    """
    fields = cls.__pydantic_fields__
    for name, wire in wire_names.items():
        field = fields[name]
        field.validation_alias = field.serialization_alias = wire
        field.alias_priority = 2  # an explicit alias: a subclass's alias_generator keeps it
        # What Field() records as set explicitly, which pydantic reads when it merges this
        # FieldInfo into another (`create_model(..., x=(type, field))`).
        explicit = cast(
            "dict[str, Any]",
            field._attributes_set,  # pyright: ignore[reportPrivateUsage, reportUnknownMemberType]
        )
        explicit.update(validation_alias=wire, serialization_alias=wire)
    for name in not_null:
        fields[name].metadata.append(NOT_NULL)


_ABSENT_WHEN_NONE: dict[type[MCPModel], frozenset[str]] = {}


def _absent_when_none(cls: type[MCPModel]) -> frozenset[str]:
    """The optional fields whose schema has no `null` (marked NOT_NULL, by their annotation
    or their class's `not_null` record)."""
    found = _ABSENT_WHEN_NONE.get(cls)
    if found is None:
        found = _ABSENT_WHEN_NONE[cls] = frozenset(
            name
            for name, field in cls.__pydantic_fields__.items()
            if not field.is_required() and any(item is NOT_NULL for item in field.metadata)
        )
    return found


_RENAMES: dict[type[MCPModel], dict[str, str]] = {}
_RENAMED_OPTIONAL: dict[type[MCPModel], dict[str, str]] = {}


def _renames(cls: type[MCPModel]) -> dict[str, str]:
    """Python name -> wire name of the fields whose two names differ."""
    found = _RENAMES.get(cls)
    if found is None:
        found = _RENAMES[cls] = {
            name: field.validation_alias
            for name, field in cls.__pydantic_fields__.items()
            if isinstance(field.validation_alias, str) and field.validation_alias != name
        }
    return found


def _renamed_optional(cls: type[MCPModel]) -> dict[str, str]:
    """Python name -> wire name of the optional fields whose two names differ."""
    found = _RENAMED_OPTIONAL.get(cls)
    if found is None:
        fields = cls.__pydantic_fields__
        found = _RENAMED_OPTIONAL[cls] = {
            name: wire for name, wire in _renames(cls).items() if not fields[name].is_required()
        }
    return found


def _unset_shadowed_fields(model: MCPModel, extra: dict[str, Any]) -> None:
    """An unknown key equal to the Python name of an absent optional field (`is_error` next to
    no `isError`) is kept as an unknown key, but pydantic also counts it as setting the field,
    so `exclude_unset` would dump `"isError": null`. Take such fields out of the set fields.

    None means absent for a field whose schema has no `null`; a nullable one may have been an
    explicit `null`, which `NullableRenamedMCPModel` tells apart from the input itself.
    """
    for name in _renamed_optional(type(model)).keys() & extra.keys():
        if model.__dict__.get(name) is None:
            model.__pydantic_fields_set__.discard(name)


# The validation context of keyword construction (`MCPModel.__init__`), nested models included.
_BY_PYTHON_NAMES: dict[str, str] = {"mcp_spec": "built from Python names"}

# pydantic before 2.14 drops the call's by_name/by_alias inside a wrap validator's handler:
# a model with one then reads wire names only, even when built from keywords.
_WRAP_HANDLER_READS_WIRE_NAMES = tuple(map(int, PYDANTIC_VERSION.split(".")[:2])) < (2, 14)


def _by_wire_names(cls: type[MCPModel], data: dict[str, Any]) -> dict[str, Any]:
    """Keyword-construction data keyed as the wire is: each field's Python name replaced by its
    wire name. Unchanged when a key that names no field is a field's wire name (an unknown key
    for Python-name construction, which renaming would confuse with the field)."""
    renames = _renames(cls)
    if any(key in renames.values() and key not in renames for key in data):
        return data
    return {renames.get(key, key): value for key, value in data.items()}


class NullableRenamedMCPModel(MCPModel):
    """Base of the models with an optional, nullable field whose Python name differs from its
    wire name (`structuredContent`): whether such a field was set is read from the input when
    an unknown key carries its Python name. Only these models pay for a Python validator."""

    @model_validator(mode="wrap")
    @classmethod
    def _exact_fields_set(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        if (
            _WRAP_HANDLER_READS_WIRE_NAMES
            and info.context is _BY_PYTHON_NAMES
            and isinstance(data, dict)
        ):
            data = _by_wire_names(cls, cast("dict[str, Any]", data))
        model = handler(data)
        extra = model.__pydantic_extra__
        if extra and isinstance(data, dict):
            given = cast("dict[str, Any]", data)
            for name, wire in _renamed_optional(cls).items():
                if name in extra:
                    if wire in given:
                        model.__pydantic_fields_set__.add(name)
                    else:
                        model.__pydantic_fields_set__.discard(name)
        return model


class DeprecatedMCPModel(MCPModel):
    """Base of the models a revision deprecates: building one emits a DeprecationWarning that
    names the feature, the revision and the migration path."""

    if TYPE_CHECKING:  # as model_config above
        __mcp_deprecation__: ClassVar[str]

    __mcp_deprecation__ = "deprecated"

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        warnings.warn(self.__mcp_deprecation__, DeprecationWarning, stacklevel=2)


class _NotNull:
    """Marker of an optional property whose schema does not admit `null`: in the field's
    `Annotated` or, for most generated classes, added to its metadata from `not_null`.

    The attribute reads None when the key is absent, but an explicit `null` is rejected, as
    JSON Schema says. It strips the nullable wrapper at schema-build time, so validation runs
    no Python code for it.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if schema["type"] == "nullable":
            return schema["schema"]
        return schema

    def __repr__(self) -> str:
        return "NOT_NULL"


NOT_NULL = _NotNull()


class DeprecatedValues:
    """Annotation for a field some of whose values are deprecated: validating one of them
    emits a DeprecationWarning with `message`."""

    def __init__(self, values: tuple[object, ...], message: str) -> None:
        self.values = frozenset(values)
        self.message = message

    def _check(self, value: Any) -> Any:
        if value in self.values:
            warnings.warn(f"{value!r}: {self.message}", DeprecationWarning, stacklevel=2)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __repr__(self) -> str:
        return f"DeprecatedValues({sorted(map(str, self.values))})"


# Core schema types that take a `strict` flag and can occur in a generated alias.
_STRICT_TYPES = frozenset({"bool", "int", "float", "str", "list", "dict", "union", "tagged-union"})


class _Strict:
    """Annotation of every generated type alias: strict validation even alone.

    A model's fields are strict through its config, but an alias validated on its own
    (`TypeAdapter(RequestId)`) would get pydantic's lax defaults (`True` -> `1`, `3.0` -> `3`).
    This sets `strict` on every scalar, container and union of the alias's core schema, at
    schema-build time (validation runs no Python code for it). Models keep their own config.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        pending: list[object] = [schema]
        while pending:
            node = pending.pop()
            if isinstance(node, list):
                pending.extend(cast("list[object]", node))
            elif isinstance(node, dict):
                mapping = cast("dict[str, object]", node)
                kind = mapping.get("type")
                if kind in ("model", "model-fields"):
                    continue
                if kind in _STRICT_TYPES:
                    mapping["strict"] = True
                pending.extend(
                    value
                    for key, value in mapping.items()
                    if key not in ("metadata", "serialization")
                )
        return schema

    def __repr__(self) -> str:
        return "STRICT"


STRICT = _Strict()


_T = TypeVar("_T")


class DeprecatedField(Generic[_T]):
    """What type checkers see for a deprecated field (generated models declare it under
    TYPE_CHECKING only): reading it from an instance is flagged by `reportDeprecated`, while
    the constructor keyword and the value keep the field's type. At runtime the field is an
    ordinary pydantic field whose read emits the DeprecationWarning."""

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> DeprecatedField[_T]: ...
    @overload
    @deprecated("a deprecated MCP field: see its docstring for the migration path")
    def __get__(self, instance: object, owner: type[Any], /) -> _T: ...
    def __get__(self, instance: object, owner: type[Any], /) -> Any:
        raise NotImplementedError  # never instantiated at runtime

    def __set__(self, instance: object, value: _T, /) -> None:
        raise NotImplementedError
