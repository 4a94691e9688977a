"""Lowering: the errata-patched schema document of one revision -> the IR.

Every keyword that carries meaning is either represented in the IR or refused with a
`LoweringError` naming its JSON pointer, so no constraint is dropped silently. `allOf` of
object schemas is merged here, the one place that reads raw schema structure.
"""

from __future__ import annotations

from typing import Any

from .errors import LoweringError
from .ir import (
    PRIMITIVE_KINDS,
    AliasDef,
    AnyType,
    ArrayOf,
    Definition,
    Field,
    LiteralType,
    MapOf,
    ModelDef,
    Primitive,
    Ref,
    TypeExpr,
    UnionOf,
)
from .naming import pascal_case
from .schema_walk import escape_pointer_token

# Keywords that annotate and never change a verdict.
ANNOTATIONS = frozenset({"description", "title", "$comment", "default", "examples", "deprecated"})
SUPPORTED = ANNOTATIONS | frozenset(
    {
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "enum",
        "format",
        "items",
        "maxItems",
        "maximum",
        "minItems",
        "minimum",
        "maxLength",
        "minLength",
        "pattern",
        "properties",
        "propertyNames",
        "required",
        "type",
    }
)


class Lowerer:
    def __init__(
        self, document: dict[str, Any], definitions_keyword: str, *, revision: str, file: str
    ) -> None:
        self.revision = revision
        self.file = file
        self.definitions_keyword = definitions_keyword
        self.raw_definitions: dict[str, Any] = document.get(definitions_keyword, {})
        self.inline: dict[str, ModelDef] = {}
        # Every construct the IR cannot express, collected so one run reports them all.
        self.problems: list[LoweringError] = []
        self.unlowered: set[str] = set()

    # -- errors ---------------------------------------------------------------------------
    def _error(self, message: str, pointer: str) -> LoweringError:
        return LoweringError(message, file=self.file, pointer=pointer, revision=self.revision)

    # -- definitions ------------------------------------------------------------------------
    def lower(self) -> tuple[dict[str, Definition], dict[str, ModelDef]]:
        definitions: dict[str, Definition] = {}
        for name, schema in self.raw_definitions.items():
            pointer = f"/{self.definitions_keyword}/{escape_pointer_token(name)}"
            inline_before = set(self.inline)
            found_before = len(self.problems)
            try:
                definitions[name] = self._definition(name, schema, pointer)
            except LoweringError as problem:
                self.problems.append(problem)
            if len(self.problems) > found_before:
                # Half-lowered: keep nothing of it, so later stages see only sound definitions.
                definitions.pop(name, None)
                for hoisted in set(self.inline) - inline_before:
                    del self.inline[hoisted]
                self.unlowered.add(name)
        return definitions, self.inline

    def _definition(self, name: str, schema: Any, pointer: str) -> Definition:
        schema = self._merge_all_of(schema, pointer)
        if _has_properties(schema):
            return self._model(name, schema, pointer)
        description = schema.get("description") if isinstance(schema, dict) else None
        return AliasDef(
            name=name,
            pointer=pointer,
            type=self.type_of(schema, pointer, name),
            description=description,
        )

    def _model(self, name: str, schema: dict[str, Any], pointer: str) -> ModelDef:
        required = schema.get("required", [])
        fields: list[Field] = []
        # A merged allOf knows which member each property stands in.
        merged_pointers = schema.property_pointers if isinstance(schema, _MergedObject) else {}
        for wire_name, subschema in schema["properties"].items():
            sub_pointer = merged_pointers.get(wire_name) or (
                f"{pointer}/properties/{escape_pointer_token(wire_name)}"
            )
            field_type = self.type_of(subschema, sub_pointer, name + pascal_case(wire_name))
            description = subschema.get("description") if isinstance(subschema, dict) else None
            fields.append(
                Field(
                    wire_name=wire_name,
                    attr_name=wire_name,
                    type=field_type,
                    required=wire_name in required,
                    description=description,
                )
            )
        unknown_required = [key for key in required if key not in schema["properties"]]
        if unknown_required:
            raise self._error(
                f"required names undeclared properties {unknown_required}", f"{pointer}/required"
            )
        return ModelDef(
            name=name,
            pointer=pointer,
            fields=tuple(fields),
            extra=self._extra(schema, pointer, name),
            description=schema.get("description"),
            key_names=self._key_names(schema, pointer, name),
        )

    def _extra(self, schema: dict[str, Any], pointer: str, name: str) -> TypeExpr | None:
        additional = schema.get("additionalProperties", True)
        if additional is False:
            return None
        return self.type_of(additional, f"{pointer}/additionalProperties", name + "Value")

    def _key_names(self, schema: dict[str, Any], pointer: str, name: str) -> TypeExpr | None:
        """`propertyNames`, lowered as the string schema it is (keys are always strings, so
        a key schema without `type` means a string one)."""
        names = schema.get("propertyNames")
        if names is None or names is True or names == {}:
            return None
        if isinstance(names, dict) and not {"type", "$ref", "enum", "const", "anyOf"} & set(names):
            names = {**names, "type": "string"}
        return self.type_of(names, f"{pointer}/propertyNames", name + "Key")

    def _hoist(self, name: str, schema: dict[str, Any], pointer: str) -> Ref:
        if name in self.raw_definitions or name in self.inline:
            other = (
                self.inline[name].pointer
                if name in self.inline
                else f"/{self.definitions_keyword}/{name}"
            )
            raise self._error(
                f"inline object would be named {name!r}, which {other} already uses", pointer
            )
        model = self._model(name, schema, pointer)
        self.inline[name] = model
        return Ref(name)

    # -- types --------------------------------------------------------------------------------
    def type_of(self, schema: Any, pointer: str, name_hint: str) -> TypeExpr:
        if schema is True:
            return AnyType()
        if schema is False or not isinstance(schema, dict):
            raise self._error(f"unsupported schema {schema!r}", pointer)
        unsupported = sorted(set(schema) - SUPPORTED)
        if unsupported:
            # Reported, and lowering goes on without them to find the next problem.
            self.problems.append(
                self._error(
                    f"unsupported keyword(s) {unsupported}: extend the IR or declare an "
                    "erratum in schema/errata.json",
                    pointer,
                )
            )
            schema = {key: value for key, value in schema.items() if key in SUPPORTED}
        if "allOf" in schema:
            return self.type_of(self._merge_all_of(schema, pointer), pointer, name_hint)
        semantic = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
        if not semantic:
            return AnyType()
        if "$ref" in semantic:
            if len(semantic) > 1:
                raise self._error(f"$ref beside {sorted(set(semantic) - {'$ref'})}", pointer)
            return Ref(self._definition_name(semantic["$ref"], pointer))
        if "const" in semantic:
            return LiteralType((semantic["const"],))
        if "enum" in semantic:
            return LiteralType(tuple(semantic["enum"]))
        if "anyOf" in semantic:
            if len(semantic) > 1:
                raise self._error(f"anyOf beside {sorted(set(semantic) - {'anyOf'})}", pointer)
            return UnionOf(
                tuple(
                    self.type_of(member, f"{pointer}/anyOf/{index}", f"{name_hint}Option{index}")
                    for index, member in enumerate(semantic["anyOf"])
                )
            )
        declared = semantic.get("type")
        kinds = [declared] if isinstance(declared, str) else list(declared or [])
        if len(kinds) > 1 and ({"object", "array"} & set(kinds)):
            return UnionOf(
                tuple(self.type_of({**schema, "type": kind}, pointer, name_hint) for kind in kinds)
            )
        if kinds == ["object"] or (not kinds and "properties" in semantic):
            if _has_properties(semantic):
                return self._hoist(name_hint, schema, pointer)
            extra = self._extra(schema, pointer, name_hint)
            return MapOf(
                extra if extra is not None else AnyType(),
                keys=self._key_names(schema, pointer, name_hint),
            )
        if kinds == ["array"]:
            items = semantic.get("items", True)
            return ArrayOf(
                items=self.type_of(items, f"{pointer}/items", name_hint + "Item"),
                min_items=semantic.get("minItems"),
                max_items=semantic.get("maxItems"),
            )
        unknown = [kind for kind in kinds if kind not in PRIMITIVE_KINDS]
        if unknown or not kinds:
            raise self._error(f"cannot lower type {declared!r} with {sorted(semantic)}", pointer)
        ordered = tuple(kind for kind in PRIMITIVE_KINDS if kind in kinds)
        return Primitive(
            kinds=ordered,
            format=semantic.get("format"),
            minimum=semantic.get("minimum"),
            maximum=semantic.get("maximum"),
            pattern=semantic.get("pattern"),
            min_length=semantic.get("minLength"),
            max_length=semantic.get("maxLength"),
        )

    def _definition_name(self, ref: str, pointer: str) -> str:
        prefix = f"#/{self.definitions_keyword}/"
        name = ref[len(prefix) :] if ref.startswith(prefix) else None
        if name is None or "/" in name or name not in self.raw_definitions:
            raise self._error(f"$ref {ref!r} does not name a definition", f"{pointer}/$ref")
        return name

    # -- allOf ------------------------------------------------------------------------------------
    def _merge_all_of(self, schema: Any, pointer: str) -> Any:
        """allOf of object schemas as one object schema: properties and required united."""
        if not isinstance(schema, dict) or "allOf" not in schema:
            return schema
        parts: list[tuple[str, dict[str, Any]]] = []
        for index, member in enumerate(schema["allOf"]):
            member_pointer = f"{pointer}/allOf/{index}"
            while isinstance(member, dict) and "$ref" in member:
                name = self._definition_name(member["$ref"], member_pointer)
                member_pointer = f"/{self.definitions_keyword}/{escape_pointer_token(name)}"
                member = self.raw_definitions[name]
            parts.append((member_pointer, self._merge_all_of(member, member_pointer)))
        rest = {key: value for key, value in schema.items() if key != "allOf"}
        parts.append((pointer, rest))
        properties: dict[str, Any] = {}
        property_pointers: dict[str, str] = {}
        required: list[str] = []
        for part_pointer, part in parts:
            if not isinstance(part, dict) or part.get("type", "object") != "object":
                raise self._error("allOf member is not an object schema", part_pointer)
            for key, value in part.items():
                if key == "properties":
                    for name, subschema in value.items():
                        property_pointer = f"{part_pointer}/properties/{escape_pointer_token(name)}"
                        properties[name] = self._merge_property(
                            properties.get(name), subschema, property_pointer
                        )
                        property_pointers[name] = property_pointer
                elif key == "required":
                    required.extend(name for name in value if name not in required)
                elif key == "additionalProperties" and value not in (True, {}):
                    raise self._error(
                        "cannot merge allOf with restricted additionalProperties",
                        f"{part_pointer}/additionalProperties",
                    )
                elif key not in ANNOTATIONS | {"type", "additionalProperties"}:
                    raise self._error(f"cannot merge keyword {key!r} in allOf", part_pointer)
        merged: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            merged["required"] = required
        if "description" in schema:
            merged["description"] = schema["description"]
        return _MergedObject(merged, property_pointers)

    def _merge_property(self, current: Any, new: Any, pointer: str) -> Any:
        if current is None or current == new:
            return new
        if not isinstance(current, dict) or not isinstance(new, dict):
            raise self._error("conflicting boolean and object schemas in allOf", pointer)
        merged = dict(current)
        for key, value in new.items():
            if key in merged and merged[key] != value and key not in ANNOTATIONS:
                raise self._error(f"allOf members disagree on {key!r}", pointer)
            merged[key] = value
        return merged


class _MergedObject(dict[str, Any]):
    """An `allOf` merged into one object schema, remembering where each property stands, so
    inline models keep a real pointer: the last member that declares it, the most specific
    one in the schemas' `allOf: [base, extension]` pattern (`Error.data` is any value, the
    extension's `data` an object)."""

    def __init__(self, schema: dict[str, Any], property_pointers: dict[str, str]) -> None:
        super().__init__(schema)
        self.property_pointers = property_pointers


def _has_properties(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(schema.get("properties"))
