"""Model semantics: JSON Schema rules, not pydantic's lax defaults, in every revision."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from types import ModuleType
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from mcp_spec._base import NOT_NULL

from .conftest import MODULES, REVISIONS


def revision(rev: str) -> ModuleType:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}")


def tool(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "get_weather", "inputSchema": {"type": "object"}}
    data.update(overrides)
    return data


def rejects(model: Any, data: Any, *, names: str) -> str:
    with pytest.raises(PydanticValidationError) as caught:
        TypeAdapter(model).validate_python(data)
    message = str(caught.value)
    assert names in message, message
    return message


@pytest.mark.parametrize("rev", REVISIONS)
class TestNegativeCasesPerRevision:
    def test_wrong_type_names_the_field(self, rev: str) -> None:
        rejects(revision(rev).Tool, tool(name=5), names="name")

    def test_missing_required_field_is_named(self, rev: str) -> None:
        rejects(revision(rev).Tool, {"name": "x"}, names="inputSchema")

    def test_no_coercion_of_numeric_strings(self, rev: str) -> None:
        message = rejects(
            revision(rev).ProgressNotificationParams,
            {"progressToken": "t", "progress": "5"},
            names="progress",
        )
        assert "valid" in message

    def test_no_coercion_of_booleans_to_integers(self, rev: str) -> None:
        rejects(revision(rev).ModelPreferences, {"costPriority": True}, names="costPriority")

    def test_no_coercion_of_integers_to_strings(self, rev: str) -> None:
        rejects(revision(rev).TextContent, {"type": "text", "text": 5}, names="text")

    def test_bad_const_is_rejected(self, rev: str) -> None:
        rejects(revision(rev).TextContent, {"type": "image", "text": "hi"}, names="type")

    def test_explicit_null_where_the_schema_has_no_null(self, rev: str) -> None:
        rejects(revision(rev).Tool, tool(description=None), names="description")

    def test_numeric_bounds(self, rev: str) -> None:
        rejects(revision(rev).ModelPreferences, {"speedPriority": 1.5}, names="speedPriority")

    def test_unknown_keys_are_kept_and_round_trip(self, rev: str) -> None:
        data = tool(vendorExtension={"nested": [1, 2.5, None]})
        model = revision(rev).Tool.model_validate(data)
        assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == data

    def test_wire_names_are_aliases_of_snake_case_attributes(self, rev: str) -> None:
        model = revision(rev).Tool.model_validate(tool())
        assert model.input_schema.type == "object"
        result: dict[str, Any] = {"_meta": {"k": 1}}
        if rev in ("2026-07-28", "draft"):
            result["resultType"] = "complete"
        meta = revision(rev).Result.model_validate(result).meta
        assert meta is not None
        by_name = revision(rev).Tool(name="n", input_schema={"type": "object"})
        assert by_name.model_dump(exclude_unset=True)["inputSchema"] == {"type": "object"}


def test_protocol_version_meta_key_becomes_a_short_attribute() -> None:
    meta = revision("2026-07-28").RequestMetaObject.model_validate(
        {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        }
    )
    assert meta.protocol_version == "2026-07-28"
    assert meta.client_capabilities is not None


def test_every_definition_is_exported_with_its_own_name() -> None:
    import json

    from .conftest import SOURCE

    for rev in REVISIONS:
        document = json.loads((SOURCE / "schema" / rev / "schema.json").read_text())
        definitions = document.get("$defs") or document["definitions"]
        module = revision(rev)
        missing = [name for name in definitions if not hasattr(module, name)]
        assert not missing, (rev, missing)


def test_no_numbered_class_names() -> None:
    import re

    for rev in REVISIONS:
        numbered = [name for name in revision(rev).models.__all__ if re.search(r"\d$", name)]
        assert numbered == [], (rev, numbered)


def test_discriminated_unions_use_a_tagged_union_schema() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(revision("2026-07-28").ClientRequest)
    assert adapter.core_schema["type"] in ("tagged-union", "definitions")
    text = repr(adapter.core_schema)
    assert "tagged-union" in text
    with pytest.raises(PydanticValidationError) as caught:
        adapter.validate_python({"jsonrpc": "2.0", "id": 1, "method": "no/such"})
    assert "no/such" in str(caught.value)


def test_recursive_json_value_accepts_numbers_and_null_after_errata() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(revision("2026-07-28").JSONValue)
    value = {"a": [1, 2.5, None, {"b": True}], "c": "d"}
    assert adapter.validate_python(value) == value


def test_elicit_result_accepts_a_fractional_number_after_errata() -> None:
    for rev in ("2025-06-18", "2025-11-25", "2026-07-28", "draft"):
        data: dict[str, Any] = {"action": "accept", "content": {"age": 3.5}}
        if rev in ("2026-07-28", "draft"):
            data["resultType"] = "complete"
        model = revision(rev).ElicitResult.model_validate(data)
        assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == data


def test_legacy_tool_accepts_boolean_property_subschemas_by_compatibility_patch() -> None:
    for rev in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"):
        data = tool(inputSchema={"type": "object", "properties": {"x": True, "y": {}}})
        model = revision(rev).Tool.model_validate(data)
        assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == data
        rejects(
            revision(rev).Tool,
            tool(inputSchema={"type": "object", "properties": {"x": 5}}),
            names="properties",
        )


def test_importing_the_package_builds_no_revision() -> None:
    code = (
        "import sys, mcp_spec; print(sorted(m for m in sys.modules if m.startswith('mcp_spec.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_revision_is_built_on_first_import_and_latest_is_2026_07_28() -> None:
    code = (
        "import sys, mcp_spec; m = mcp_spec.latest; "
        "print(m.REVISION, 'mcp_spec.v2025_11_25' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2026-07-28", "False"]


def _models(rev: str) -> list[type[BaseModel]]:
    module = importlib.import_module(f"mcp_spec.{MODULES[rev]}.models")
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]


def _field_state(field: FieldInfo) -> dict[str, str]:
    """Every slot of a FieldInfo but the declaration pydantic keeps for a rebuild (only a
    field naming a class not defined yet is rebuilt, and those keep the inline form)."""
    names = [name for cls in type(field).__mro__ for name in getattr(cls, "__slots__", ())]
    state = {
        name: repr(getattr(field, name, None))
        for name in names
        if name not in ("_original_annotation", "_original_assignment", "_attributes_set")
    }
    # What was set explicitly, in any order. pydantic 2.11 (not 2.14) counts `frozen=None`
    # (the default) as set for a plain annotation with a default and not for an `Annotated`
    # one, whatever the records do: not a difference.
    explicit: dict[str, Any] = field._attributes_set
    state["_attributes_set"] = repr(
        sorted((key, value) for key, value in explicit.items() if (key, value) != ("frozen", None))
    )
    return state


def _class_records(rev: str) -> dict[str, dict[str, Any]]:
    """The `wire_names=` and `not_null=` keywords of each class statement of a models module."""
    module = importlib.import_module(f"mcp_spec.{MODULES[rev]}.models")
    tree = ast.parse(inspect.getsource(module))
    return {
        node.name: {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


@pytest.mark.parametrize("rev", REVISIONS)
def test_recorded_fields_are_what_the_inline_declarations_give(rev: str) -> None:
    """`class X(MCPModel, wire_names=..., not_null=...)` gives each field exactly the
    FieldInfo of `Field(validation_alias=w, serialization_alias=w)` and
    `Annotated[X | None, NOT_NULL]`."""
    records = _class_records(rev)
    checked = 0
    for model in _models(rev):
        wire_names: dict[str, str] = records[model.__name__].get("wire_names", {})
        not_null: tuple[str, ...] = records[model.__name__].get("not_null", ())
        for name in sorted({*wire_names, *not_null}):
            field = model.__pydantic_fields__[name]
            annotation: Any = model.__dict__["__annotations__"][name]  # as declared
            if name in not_null:
                assert not field.is_required()
                annotation = Annotated[annotation, NOT_NULL]
            assignment: Any = None if not field.is_required() else PydanticUndefined
            if name in wire_names:
                wire = wire_names[name]
                assignment = (
                    Field(validation_alias=wire, serialization_alias=wire)
                    if field.is_required()
                    else Field(default=None, validation_alias=wire, serialization_alias=wire)
                )
            inline = (
                FieldInfo.from_annotation(annotation)
                if assignment is PydanticUndefined
                else FieldInfo.from_annotated_attribute(annotation, assignment)
            )
            assert _field_state(field) == _field_state(inline), (model.__name__, name)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("rev", REVISIONS)
def test_explicit_null_of_an_optional_field_is_rejected_nested_and_in_an_adapter(
    rev: str,
) -> None:
    models = revision(rev)
    text = {"type": "text", "text": "hi", "annotations": None}
    rejects(list[models.TextContent], [text], names="annotations")
    result: dict[str, Any] = {"content": [text]}
    if rev in ("2026-07-28", "draft"):
        result["resultType"] = "complete"
    rejects(models.CallToolResult, result, names="annotations")
    # An absent key and a None keyword are both absent; only the wire's `null` is an error.
    content = models.TextContent(type="text", text="hi", annotations=None)
    assert content.model_dump() == {"type": "text", "text": "hi"}
    assert models.TextContent.model_validate(content.model_dump()).annotations is None


def test_importing_the_models_builds_no_schema() -> None:
    code = (
        "import mcp_spec.v2026_07_28.models as m, pydantic\n"
        "classes = [v for v in vars(m).values() if isinstance(v, type)"
        " and issubclass(v, pydantic.BaseModel) and v.__module__ == m.__name__]\n"
        "print(len(classes), sum(c.__pydantic_complete__ for c in classes))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, built = map(int, out.stdout.split())
    assert count > 100
    assert built == 0
