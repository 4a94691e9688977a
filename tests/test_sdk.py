"""The SDK-facing surface: the default dump is the wire form, wire input reads wire names only
(a Python attribute name is an unknown key, like for the schema), Python construction takes
Python names, aliases are strict alone, deprecated definitions are marked for type checkers.

Figures (examples, draws, mutations checked) are printed with `pytest -s`.
"""

from __future__ import annotations

import copy
import importlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError as PydanticValidationError

from mcp_spec.errors import INVALID_PARAMS, ValidationError
from mcp_spec.messages import validate_message
from mcp_spec_gen.fuzz import json_difference
from mcp_spec_gen.reference import reference_is_valid

from .conftest import MODULES, REVISIONS, example_files, load_json

EXAMPLES = example_files()
# Unknown-key values for an attribute-name key: each JSON type, so one of them is always of a
# type the field itself rejects.
ODD_VALUES: tuple[Any, ...] = ("wrong", 12345, 0.5, True, None, [], {"x": 1})


def revision(rev: str) -> Any:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}")


def validators(rev: str) -> Any:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.validators")


def model_accepts(adapter: TypeAdapter[Any], instance: Any) -> tuple[bool, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return True, adapter.validate_python(instance)
        except PydanticValidationError:
            return False, None


def renamed_fields(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Any]:
    """(path to the object, attribute name, wire name) of every field whose Python name
    differs from its wire name, in every model of a validated tree, set or not."""
    for name, field in type(model).__pydantic_fields__.items():
        wire = field.validation_alias if isinstance(field.validation_alias, str) else name
        if wire != name:
            yield path, name, wire
        value = getattr(model, name)
        children: list[tuple[tuple[str | int, ...], Any]] = []
        if isinstance(value, list):
            children = [((*path, wire, index), item) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            children = [((*path, wire, key), item) for key, item in value.items()]
        else:
            children = [((*path, wire), value)]
        for child_path, child in children:
            if isinstance(child, BaseModel):
                yield from renamed_fields(child, child_path)


def attribute_name_mutations(instance: Any, value: BaseModel) -> Iterator[Any]:
    """Every object of the instance gets, for each renamed field, its attribute name as a key
    with each odd value, next to the wire key and in its place."""
    for path, attribute, wire in renamed_fields(value):
        for odd in ODD_VALUES:
            for keep_wire_key in (True, False):
                mutated = copy.deepcopy(instance)
                node = mutated
                for token in path:
                    node = node[token]
                if not keep_wire_key:
                    node.pop(wire, None)
                node[attribute] = odd
                yield mutated


def check_attribute_name_mutations(rev: str, name: str, instance: Any) -> int:
    """Model and compiled validator give the same verdict on every attribute-name mutation;
    where both accept, the default dump gives the mutated instance back. Returns the count."""
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(revision(rev).models, name))
    accepted, value = model_accepts(adapter, instance)
    assert accepted, (rev, name, instance)
    if not isinstance(value, BaseModel):
        return 0
    count = 0
    for mutated in attribute_name_mutations(instance, value):
        model_says, model = model_accepts(adapter, mutated)
        compiled_says = validators(rev).is_valid(name, mutated)
        assert model_says == compiled_says, (rev, name, mutated, model_says, compiled_says)
        if model_says and isinstance(model, BaseModel):
            assert json_difference(mutated, model.model_dump()) is None, (rev, name, mutated)
        count += 1
    return count


# -- the default dump is the wire form --------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_default_dump_is_valid_and_exact_on_every_official_example() -> None:
    checked = containers = 0
    for path in EXAMPLES:
        rev, name = path.parts[-4], path.parts[-2]
        data = load_json(path)
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(revision(rev), name))
        value = adapter.validate_python(data)
        if isinstance(value, BaseModel):
            dumped = value.model_dump()
            assert TypeAdapter(type(value)).validate_json(value.model_dump_json()) == value, path
        else:  # a dict of models (InputRequests): no model_dump of its own
            dumped = adapter.dump_python(value, by_alias=True, exclude_unset=True)
            containers += 1
        assert validators(rev).is_valid(name, dumped), path
        assert json_difference(data, dumped) is None, path
        checked += 1
    print(f"default dump: {checked} official examples ({containers} containers), valid, exact")
    assert checked == len(EXAMPLES) == 258


def test_models_built_in_python_dump_valid_mcp() -> None:
    models = revision("2026-07-28")
    tool = models.Tool(name="ok", input_schema=models.ToolInputSchema(type="object"))
    assert tool.model_dump() == {"name": "ok", "inputSchema": {"type": "object"}}
    assert validators("2026-07-28").is_valid("Tool", tool.model_dump())
    assert tool.model_dump_json() == '{"inputSchema":{"type":"object"},"name":"ok"}'
    # Python names and every field stay one argument away.
    assert tool.model_dump(by_alias=False)["input_schema"] == {"type": "object"}
    assert "annotations" in tool.model_dump(exclude_unset=False)
    meta = models.RequestMetaObject(
        protocol_version="2026-07-28", client_capabilities=models.ClientCapabilities()
    )
    assert meta.model_dump() == {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    request = models.CallToolRequest(
        jsonrpc="2.0",
        id=1,
        method="tools/call",
        params=models.CallToolRequestParams(name="get_weather", arguments={}, meta=meta),
    )
    frame = request.model_dump_json()
    message = validate_message("2026-07-28", frame, sender="client")
    assert message.model == request


def test_python_construction_takes_python_names_only() -> None:
    models = revision("2026-07-28")
    schema = {"type": "object"}
    tool: Any = models.Tool(name="t", inputSchema=schema, input_schema=schema)
    # A wire name given to the constructor is an unknown key, as a type checker says.
    assert tool.model_extra == {"inputSchema": {"type": "object"}}
    with pytest.raises(PydanticValidationError):
        models.Tool(name="t", inputSchema={"type": "object"})


def test_none_for_a_field_without_null_means_absent_in_python_construction() -> None:
    models = revision("2026-07-28")
    tool = models.Tool(name="t", input_schema=models.ToolInputSchema(type="object"), title=None)
    assert tool.model_dump() == {"name": "t", "inputSchema": {"type": "object"}}
    # On the wire an explicit null stays an error where the schema has no null.
    with pytest.raises(PydanticValidationError):
        models.Tool.model_validate({"name": "t", "inputSchema": {"type": "object"}, "title": None})
    # Where the schema allows null, None is an explicit null.
    result = models.CallToolResult(content=[], result_type="complete", structured_content=None)
    assert result.model_dump() == {
        "content": [],
        "resultType": "complete",
        "structuredContent": None,
    }


def test_models_with_a_python_validator_build_from_python_names_on_every_pydantic() -> None:
    """The models that keep a wrap validator (a nullable renamed field) read Python names when
    built from keywords, with the pydantic lower bound too (before 2.14 the validator's
    handler reads wire names only; make test-pythons runs this there)."""
    models = revision("2026-07-28")
    result = models.CallToolResult(
        content=[], result_type="complete", is_error=False, meta={"k": 1}
    )
    assert result.model_dump() == {
        "content": [],
        "resultType": "complete",
        "isError": False,
        "_meta": {"k": 1},
    }
    # Wire input keeps reading wire names only: a Python name is an unknown key.
    wire = models.CallToolResult.model_validate(
        {"content": [], "resultType": "complete", "is_error": True}
    )
    assert wire.is_error is None and wire.model_extra == {"is_error": True}
    with pytest.raises(PydanticValidationError):
        models.CallToolResult.model_validate({"content": [], "result_type": "complete"})


# -- wire input by wire names only ------------------------------------------------------------


@pytest.mark.parametrize("rev", ["2025-11-25", "2026-07-28"])
def test_an_attribute_name_is_an_unknown_key(rev: str) -> None:
    models = revision(rev)
    base: dict[str, Any] = {"content": []}
    if rev == "2026-07-28":
        base["resultType"] = "complete"
    odd = models.CallToolResult.model_validate({**base, "is_error": "yes"})
    assert odd.is_error is None and odd.model_extra == {"is_error": "yes"}
    assert odd.model_dump() == {**base, "is_error": "yes"}
    # A success result stays a success result.
    success = models.CallToolResult.model_validate({**base, "is_error": True})
    assert success.model_dump() == {**base, "is_error": True}
    both = models.CallToolResult.model_validate({**base, "isError": False, "is_error": True})
    assert both.is_error is False and both.model_dump() == {
        **base,
        "isError": False,
        "is_error": True,
    }
    with pytest.raises(PydanticValidationError):
        models.Tool.model_validate({"name": "t", "input_schema": {"type": "object"}})


def test_validate_message_reads_wire_names_only() -> None:
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    frame: dict[str, Any] = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "x", "meta": meta},
    }
    with pytest.raises(ValidationError) as caught:
        validate_message("2026-07-28", frame, sender="client")
    assert caught.value.code == INVALID_PARAMS
    odd_meta = {**meta, "log_level": 5, "client_info": "me", "progress_token": [1]}
    frame["params"] = {"name": "x", "_meta": odd_meta, "mime_type": 1}
    assert reference_is_valid("2026-07-28", "CallToolRequest", frame)
    message = validate_message("2026-07-28", frame, sender="client")
    assert message.model.model_dump() == frame


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_attribute_name_mutations_of_every_official_example_agree() -> None:
    checked = sum(
        check_attribute_name_mutations(path.parts[-4], path.parts[-2], load_json(path))
        for path in EXAMPLES
    )
    print(f"attribute-name keys: {checked} mutations of the official examples, 0 differences")
    assert checked > 10_000


def _definitions(rev: str) -> list[str]:
    return sorted(validators(rev).DEFINITIONS)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("rev", REVISIONS)
def test_attribute_name_mutations_of_strategy_draws_agree(rev: str) -> None:
    strategies = importlib.import_module(f"mcp_spec.{MODULES[rev]}.strategies")
    counts = {"draws": 0, "mutations": 0}

    @settings(
        max_examples=3 * len(_definitions(rev)),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(_definitions(rev)))
        instance = data.draw(strategies.from_def(name))
        counts["draws"] += 1
        counts["mutations"] += check_attribute_name_mutations(rev, name, instance)

    run()
    print(f"{rev}: {counts['mutations']} attribute-name mutations of {counts['draws']} draws")
    assert counts["mutations"] > 0


# -- aliases are strict alone -----------------------------------------------------------------


@pytest.mark.parametrize("rev", REVISIONS)
@pytest.mark.parametrize(
    ("alias", "value"),
    [("RequestId", True), ("RequestId", 3.0), ("ProgressToken", False), ("Cursor", 5)],
)
def test_aliases_are_strict_alone(rev: str, alias: str, value: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(revision(rev).models, alias))
    with pytest.raises(PydanticValidationError):
        adapter.validate_python(value)


@pytest.mark.parametrize("rev", REVISIONS)
def test_aliases_still_accept_their_values(rev: str) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(revision(rev).models.RequestId)
    assert adapter.validate_python(3) == 3 and adapter.validate_python("a") == "a"


# -- deprecated definitions are visible to type checkers --------------------------------------


def test_deprecated_classes_carry_the_typing_marker_and_still_warn() -> None:
    models = revision("2026-07-28").models
    assert "SEP-2577" in models.ListRootsRequest.__deprecated__
    with pytest.warns(DeprecationWarning, match="ListRootsRequest"):
        models.ListRootsRequest.model_validate({"method": "roots/list"})
    assert not hasattr(revision("2025-11-25").models.ListRootsRequest, "__deprecated__")


def test_examples_folder_is_the_shared_one(source: Path) -> None:
    assert all(path.is_relative_to(source) for path in EXAMPLES)
