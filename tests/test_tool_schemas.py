"""Untrusted tool schemas (SEP-2106): the attack suite and the positive cases.

Every attack case must end with a clear refusal (`ToolSchemaError` naming a pointer, or a
`ValidationError` refusing the instance) or a verdict; a watchdog ends the whole run if one
hangs, and `make bench` reports the time each case takes. Positive cases are cross-checked
against `jsonschema` with a registry that refuses every retrieval.
"""

from __future__ import annotations

import faulthandler
import http.server
import importlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import referencing
import referencing.exceptions

from mcp_spec.errors import INTERNAL_ERROR, INVALID_PARAMS, ValidationError
from mcp_spec.tool_schemas import (
    CACHE_SIZE,
    ToolSchemaError,
    ToolSchemaLimits,
    compile_tool_schema,
    validate_structured_content,
    validate_tool_arguments,
)

from .conftest import MODULES, REVISIONS, example_files, load_json

# A hang in the engine must fail the run, not stall CI: the watchdog thread needs no GIL.
WATCHDOG_SECONDS = 60


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def refused(schema: Any, limits: ToolSchemaLimits | None = None) -> ToolSchemaError:
    with pytest.raises(ToolSchemaError) as caught:
        compile_tool_schema(schema, limits=limits or ToolSchemaLimits())
    return caught.value


# -- attack suite -------------------------------------------------------------------------


def test_redos_pattern_gets_a_verdict_on_the_linear_time_engine() -> None:
    validator = compile_tool_schema({"pattern": "^(a+)+$"})
    problems = validator.errors("a" * 28 + "!")
    assert [problem.pointer for problem in problems] == [""]
    assert "does not match" in problems[0].message
    assert validator.is_valid("a" * 28)


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"pattern": r"^(a)\1$"}, "/pattern"),
        ({"properties": {"x": {"pattern": "(?=a)a"}}}, "/properties/x/pattern"),
        ({"patternProperties": {"(?<=a)b": {}}}, "/patternProperties/(?<=a)b"),
    ],
)
def test_backtracking_only_constructs_are_refused(schema: Any, pointer: str) -> None:
    error = refused(schema)
    assert error.pointer == pointer
    assert "backreferences or lookaround" in error.reason


def test_overlong_pattern_is_refused() -> None:
    error = refused({"properties": {"x": {"pattern": "a" * 1001}}})
    assert error.pointer == "/properties/x/pattern"
    assert "max_pattern_length" in error.reason


def test_5000_deep_items_is_refused_without_recursion_error() -> None:
    schema: dict[str, Any] = {}
    for _ in range(5000):
        schema = {"items": schema}
    error = refused(schema)
    assert error.pointer == "/items" * 129
    assert "max_depth" in error.reason


def test_100000_member_enum_gets_a_verdict() -> None:
    validator = compile_tool_schema({"enum": list(range(100_000))})
    assert validator.is_valid(99_999)
    assert validator.errors(100_000)[0].pointer == ""


def test_100000_member_enum_counts_towards_the_work_bound() -> None:
    validator = compile_tool_schema({"items": {"enum": list(range(100_000))}})
    with pytest.raises(ValidationError, match="max_validation_work"):
        validator.validate(list(range(1_000)))


@pytest.mark.parametrize(
    "schema",
    [
        {"description": "x" * 10_000_000},
        {"enum": list(range(2_000_000))},
        {"$defs": {f"d{i}": {"type": "string", "minLength": i} for i in range(300_000)}},
    ],
    ids=["one-string", "many-members", "many-subschemas"],
)
def test_10_mb_schema_is_refused(schema: Any) -> None:
    error = refused(schema)
    assert error.pointer == ""
    assert "max_schema_bytes" in error.reason


def test_subschema_count_is_bounded() -> None:
    schema = {"properties": {f"p{i}": {"type": "string"} for i in range(10_001)}}
    assert "max_subschemas" in refused(schema).reason


def test_self_loop_is_refused() -> None:
    error = refused({"$defs": {"A": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"})
    assert error.pointer == "/$defs/A"
    assert "cycle" in error.reason


@pytest.mark.parametrize(
    "schema",
    [
        {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"},
        {
            "$defs": {
                "A": {"allOf": [{"$ref": "#/$defs/B"}]},
                "B": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/C"}]},
                "C": {"not": {"if": {"$ref": "#/$defs/A"}}},
            },
        },
        {"oneOf": [{"$ref": "#"}]},
        {"$defs": {"A": {"$anchor": "a", "then": {"$ref": "#a"}}}},
        {"dependentSchemas": {"x": {"$ref": "#"}}},
    ],
    ids=["ref-ref", "through-applicators", "root", "anchor", "dependentSchemas"],
)
def test_mutual_loops_are_refused(schema: Any) -> None:
    error = refused(schema)
    assert "cycle that never descends into the instance" in error.reason
    assert error.pointer


def test_recursion_that_descends_into_the_instance_is_allowed() -> None:
    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            }
        },
        "$ref": "#/$defs/node",
    }
    validator = compile_tool_schema(tree)
    assert validator.is_valid({"children": [{"children": []}, {}]})
    assert [p.pointer for p in validator.errors({"children": [{"children": 5}]})] == [
        "/children/0/children"
    ]


def fan_out_schema(levels: int) -> dict[str, Any]:
    defs: dict[str, Any] = {
        f"L{i}": {"allOf": [{"$ref": f"#/$defs/L{i + 1}"}, {"$ref": f"#/$defs/L{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"L{levels}"] = {"type": "integer"}
    return {"$defs": defs, "$ref": "#/$defs/L0"}


def test_2_to_the_24_fan_out_is_refused() -> None:
    error = refused(fan_out_schema(24))
    assert "max_expanded_subschemas" in error.reason
    assert error.pointer == ""
    nested = fan_out_schema(24) | {"properties": {"a": {"$ref": "#/$defs/L0"}}}
    del nested["$ref"]
    assert refused(nested).pointer == "/properties/a"


def test_small_fan_out_is_allowed() -> None:
    validator = compile_tool_schema(fan_out_schema(8))
    assert validator.is_valid(3)
    assert not validator.is_valid("3")


def test_fan_out_through_children_is_bounded_per_call() -> None:
    """Two copies of the root under `items`: work doubles with each level of the instance."""
    validator = compile_tool_schema({"allOf": [{"items": {"$ref": "#"}}, {"items": {"$ref": "#"}}]})
    shallow: list[Any] = []
    for _ in range(5):
        shallow = [shallow]
    assert validator.is_valid(shallow)
    deep: list[Any] = []
    for _ in range(40):
        deep = [deep]
    with pytest.raises(ValidationError, match="max_validation_work"):
        validator.validate(deep)


def test_instance_depth_is_bounded() -> None:
    validator = compile_tool_schema({"items": {"$ref": "#"}})
    instance: list[Any] = []
    for _ in range(5_000):
        instance = [instance]
    with pytest.raises(ValidationError) as caught:
        validator.validate(instance)
    assert "nesting deeper than 128" in caught.value.problems[0].message


def test_instance_must_be_json() -> None:
    validator = compile_tool_schema({"type": "object"})
    with pytest.raises(ValidationError) as caught:
        validator.validate({"a": [1, float("nan")]})
    assert caught.value.problems[0].pointer == "/a/1"
    with pytest.raises(ValidationError, match="not a string"):
        validator.validate({1: 2})


class CanaryHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"type": "string"}')

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CanaryServer(http.server.ThreadingHTTPServer):
    connections = 0

    def verify_request(self, request: Any, client_address: Any) -> bool:
        type(self).connections += 1
        return True


@pytest.fixture
def canary() -> Iterator[CanaryServer]:
    CanaryServer.connections = 0
    server = CanaryServer(("127.0.0.1", 0), CanaryHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def canary_url(server: CanaryServer, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{server.server_address[1]}"


def test_canary_counts_what_an_unguarded_engine_fetches(canary: CanaryServer) -> None:
    """The threat is real: jsonschema-rs left to its defaults fetches a loopback `$ref`."""
    validator = jsonschema_rs.validator_for({"$ref": f"{canary_url(canary)}/x.json"})
    assert not validator.is_valid(3)
    assert CanaryServer.connections >= 1


@pytest.mark.parametrize(
    ("build", "pointer"),
    [
        (lambda base, tls: {"$ref": f"{base}/x.json"}, "/$ref"),
        (lambda base, tls: {"$ref": "file:///etc/passwd"}, "/$ref"),
        (lambda base, tls: {"$ref": f"{tls}/x.json"}, "/$ref"),
        (lambda base, tls: {"$id": f"{base}/root.json", "$ref": "x.json"}, "/$ref"),
        (
            lambda base, tls: {"$id": f"{base}/root.json", "properties": {"a": {"$ref": "x"}}},
            "/properties/a/$ref",
        ),
        (lambda base, tls: {"items": {"$dynamicRef": f"{base}/x.json#meta"}}, "/items/$dynamicRef"),
        (lambda base, tls: {"$defs": {"a": {"$id": f"{base}/a.json"}}}, "/$defs/a/$id"),
        (
            lambda base, tls: {
                "$schema": "https://json-schema.org/draft/2019-09/schema",
                "$recursiveRef": f"{base}/x.json",
            },
            "/$recursiveRef",
        ),
        (
            lambda base, tls: {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "definitions": {"a": {"$ref": f"{base}/x.json"}},
            },
            "/definitions/a/$ref",
        ),
    ],
    ids=[
        "loopback-http",
        "file",
        "https",
        "relative-ref-remote-id",
        "nested-relative-ref",
        "dynamicRef",
        "embedded-id",
        "recursiveRef",
        "draft-07",
    ],
)
def test_remote_references_are_refused_without_any_connection(
    canary: CanaryServer, build: Any, pointer: str
) -> None:
    schema = build(canary_url(canary), canary_url(canary, "https"))
    error = refused(schema)
    assert error.pointer == pointer
    assert "nothing is fetched" in error.reason or "$id" in error.reason
    assert CanaryServer.connections == 0


@pytest.mark.parametrize(
    ("schema", "pointer", "words"),
    [
        ({"$ref": "#/$defs/missing"}, "/$ref", "does not resolve"),
        ({"$ref": "#nowhere"}, "/$ref", "no anchor"),
        ({"$ref": "#/properties/a/enum/0", "properties": {"a": {"enum": [{}]}}}, "/$ref", "not"),
        ({"$schema": "http://example.com/my-dialect"}, "/$schema", "unsupported dialect"),
        ({"$schema": "http://json-schema.org/draft-04/schema#"}, "/$schema", "unsupported"),
        ({"$schema": 7}, "/$schema", "must be a string"),
        (
            {"properties": {"a": {"$schema": "x"}}},
            "/properties/a/$schema",
            "only allowed at the root",
        ),
        ({"properties": {"a": 5}}, "/properties/a", "must be a JSON object or a boolean"),
        ({"properties": ["a"]}, "/properties", "must be an object of schemas"),
        ({"allOf": {"type": "string"}}, "/allOf", "non-empty array"),
        ({"items": "string"}, "/items", "must be a JSON object or a boolean"),
        ({"type": "strnig"}, "/type", "anyOf"),
        ({"$id": "relative.json"}, "/$id", "absolute URI"),
    ],
)
def test_bad_schemas_are_refused_with_a_pointer(schema: Any, pointer: str, words: str) -> None:
    error = refused(schema)
    assert error.pointer == pointer
    assert words in error.reason


@pytest.mark.parametrize("schema", [["type", "object"], "object", True, None, 3])
def test_non_object_tool_schema_is_refused(schema: Any) -> None:
    error = refused(schema)
    assert error.pointer == ""
    assert "must be a JSON object" in error.reason


# -- positive cases, cross-checked with jsonschema ------------------------------------------


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)


def reference_is_valid(schema: dict[str, Any], instance: Any) -> bool:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)
    return cls(schema, registry=registry).is_valid(instance)


POSITIVE_CASES: list[tuple[str, dict[str, Any], list[Any]]] = [
    (
        "defs-ref",
        {
            "type": "object",
            "$defs": {"Point": {"type": "object", "required": ["x"], "properties": {"x": {}}}},
            "properties": {"from": {"$ref": "#/$defs/Point"}, "to": {"$ref": "#/$defs/Point"}},
        },
        [{"from": {"x": 1}}, {"from": {"y": 1}}, {"to": {"x": 1}, "from": 3}, {}],
    ),
    (
        "anchor",
        {"$defs": {"n": {"$anchor": "num", "type": "number"}}, "items": {"$ref": "#num"}},
        [[1, 2.5], [1, "2"], []],
    ),
    (
        "prefixItems",
        {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
        [["a", 1], ["a", "b"], ["a", 1, 2], ["a"], []],
    ),
    (
        "unevaluatedProperties",
        {
            "type": "object",
            "properties": {"a": {}},
            "allOf": [{"properties": {"b": {}}}],
            "unevaluatedProperties": False,
        },
        [{"a": 1, "b": 2}, {"a": 1, "c": 3}, {}],
    ),
    (
        "if-then-else",
        {
            "if": {"properties": {"kind": {"const": "n"}}, "required": ["kind"]},
            "then": {"required": ["number"]},
            "else": {"required": ["text"]},
        },
        [{"kind": "n", "number": 1}, {"kind": "n"}, {"text": "x"}, {"kind": "t"}],
    ),
    (
        "oneOf",
        {"oneOf": [{"type": "integer"}, {"minimum": 2}]},
        [1, 2.5, 3, "x"],
    ),
    (
        "boolean-subschemas",
        {"type": "object", "properties": {"any": True, "never": False}},
        [{"any": [1]}, {"never": None}, {}],
    ),
    (
        "draft-07",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"s": {"type": "string"}},
            "items": [{"$ref": "#/definitions/s"}],
            "additionalItems": {"type": "integer"},
            "prefixItems": [{"type": "integer"}],
        },
        [["a", 1], ["a", "b"], [1], []],
    ),
    (
        "draft-2019-09",
        {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$recursiveAnchor": True,
            "type": "object",
            "additionalProperties": {"$recursiveRef": "#"},
            "dependentRequired": {"a": ["b"]},
        },
        [{"x": {"y": {}}}, {"x": {"y": 1}}, {"a": {}}, {"a": {}, "b": {}}],
    ),
    (
        "dynamicRef",
        {
            "$dynamicAnchor": "node",
            "type": "object",
            "properties": {"next": {"$dynamicRef": "#node"}},
        },
        [{"next": {"next": {}}}, {"next": {"next": 1}}],
    ),
    (
        "draft-07-fragment-id",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"s": {"$id": "#str", "type": "string"}},
            "properties": {"a": {"$ref": "#str"}},
        },
        [{"a": "x"}, {"a": 1}],
    ),
    (
        "root-id",
        {
            "$id": "urn:example:tool",
            "$defs": {"s": {"type": "string"}},
            "properties": {"a": {"$ref": "urn:example:tool#/$defs/s"}},
        },
        [{"a": "x"}, {"a": 1}],
    ),
    (
        "pattern-ecma",
        {"patternProperties": {"^x-": {"type": "string", "pattern": "^\\d{3}$"}}},
        [{"x-a": "123"}, {"x-a": "12a"}, {"y": 1}],
    ),
]


@pytest.mark.parametrize(
    ("schema", "instances"),
    [(schema, instances) for _, schema, instances in POSITIVE_CASES],
    ids=[name for name, _, _ in POSITIVE_CASES],
)
def test_positive_cases_agree_with_jsonschema(schema: dict[str, Any], instances: list[Any]) -> None:
    validator = compile_tool_schema(schema)
    ours = [validator.is_valid(instance) for instance in instances]
    theirs = [reference_is_valid(schema, instance) for instance in instances]
    assert ours == theirs
    assert True in ours and False in ours  # each case exercises both verdicts


def test_schema_without_dollar_schema_is_2020_12() -> None:
    schema = {"prefixItems": [{"type": "integer"}]}
    assert compile_tool_schema(schema).dialect == "2020-12"
    assert not compile_tool_schema(schema).is_valid(["a"])
    draft7 = {"$schema": "http://json-schema.org/draft-07/schema", **schema}
    assert compile_tool_schema(draft7).is_valid(["a"])  # prefixItems means nothing in draft-07


def test_format_is_an_annotation() -> None:
    assert compile_tool_schema({"format": "email"}).is_valid("not an email")


# -- tools of every revision ------------------------------------------------------------------

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "$defs": {"unit": {"enum": ["c", "f"]}},
    "properties": {"city": {"type": "string"}, "unit": {"$ref": "#/$defs/unit"}},
    "required": ["city"],
}
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"temperature": {"type": "number"}},
    "required": ["temperature"],
}


def tool_model(revision: str, with_output: bool) -> Any:
    module = importlib.import_module(f"mcp_spec.{MODULES[revision]}")
    wire: dict[str, Any] = {"name": "weather", "inputSchema": INPUT_SCHEMA}
    if with_output:
        wire["outputSchema"] = OUTPUT_SCHEMA
    return module.Tool.model_validate(wire)


@pytest.mark.parametrize("revision", REVISIONS)
def test_arguments_of_a_tool_of_every_revision(revision: str) -> None:
    tool = tool_model(revision, with_output=False)
    validate_tool_arguments(tool, {"city": "Oslo", "unit": "c"})
    with pytest.raises(ValidationError) as caught:
        validate_tool_arguments(tool, {"city": 5, "unit": "k"})
    assert caught.value.code == INVALID_PARAMS
    assert sorted(problem.pointer for problem in caught.value.problems) == ["/city", "/unit"]
    with pytest.raises(ValidationError, match="city"):
        validate_tool_arguments(tool, None)  # absent arguments are validated as {}


@pytest.mark.parametrize("revision", REVISIONS)
def test_tool_without_output_schema_checks_nothing(revision: str) -> None:
    validate_structured_content(tool_model(revision, with_output=False), {"anything": 1})
    validate_structured_content(tool_model(revision, with_output=False), None)


@pytest.mark.parametrize("revision", ["2025-06-18", "2025-11-25", "2026-07-28", "draft"])
def test_structured_content_of_a_tool_of_every_revision_with_output_schema(revision: str) -> None:
    tool = tool_model(revision, with_output=True)
    validate_structured_content(tool, {"temperature": 21.5})
    for content in ({"temperature": "warm"}, None):
        with pytest.raises(ValidationError) as caught:
            validate_structured_content(tool, content)
        assert caught.value.code == INTERNAL_ERROR


def test_wire_form_tool_and_a_refused_schema_names_the_tool() -> None:
    tool = {"name": "evil", "inputSchema": {"type": "object", "$ref": "http://127.0.0.1:1/"}}
    with pytest.raises(ToolSchemaError) as caught:
        validate_tool_arguments(tool, {})
    assert caught.value.pointer == "/$ref"
    assert str(caught.value).startswith("inputSchema of tool 'evil' refused at /$ref")


def test_legacy_tool_without_dollar_schema_uses_2020_12() -> None:
    module = importlib.import_module("mcp_spec.v2024_11_05")
    pair = {"type": "array", "prefixItems": [{"type": "string"}]}
    tool = module.Tool.model_validate(
        {"name": "t", "inputSchema": {"type": "object", "properties": {"pair": pair}}}
    )
    validate_tool_arguments(tool, {"pair": ["a", 1]})
    with pytest.raises(ValidationError) as caught:
        validate_tool_arguments(tool, {"pair": [1]})
    assert caught.value.problems[0].pointer == "/pair/0"


# -- cache and import cost --------------------------------------------------------------------


def test_compiled_validators_are_cached_by_content_and_limits() -> None:
    first = compile_tool_schema({"type": "object", "properties": {"a": {}}})
    assert compile_tool_schema({"properties": {"a": {}}, "type": "object"}) is first
    other = compile_tool_schema(
        {"type": "object", "properties": {"a": {}}}, limits=ToolSchemaLimits(max_depth=10)
    )
    assert other is not first
    for i in range(CACHE_SIZE):
        compile_tool_schema({"minimum": i})
    assert compile_tool_schema({"type": "object", "properties": {"a": {}}}) is not first


def test_refusals_are_cached_and_raised_afresh() -> None:
    schema = {"$ref": "file:///etc/passwd"}
    first, second = refused(schema), refused(schema)
    assert first is not second
    assert (first.pointer, first.reason) == (second.pointer, second.reason)


def test_import_mcp_spec_does_not_load_the_engine() -> None:
    probe = (
        "import sys, mcp_spec; mcp_spec.ToolSchemaLimits; "
        "assert 'jsonschema_rs' not in sys.modules; "
        "mcp_spec.compile_tool_schema({}); assert 'jsonschema_rs' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_every_problem_is_listed_for_small_instances_only_the_first_for_large_ones() -> None:
    validator = compile_tool_schema({"items": {"type": "string"}})
    small = validator.errors([1, "a", 2])
    assert [problem.pointer for problem in small] == ["/0", "/2"]
    large = validator.errors(list(range(50_000)))
    assert [problem.pointer for problem in large] == ["/0"]
    # Past FIRST_PROBLEM_NODES the engine's error (a copy of its value) is not built at all.
    huge = validator.errors(list(range(200_000)))
    assert len(huge) == 1 and huge[0].pointer == "" and "not listed" in huge[0].message
    many = validator.errors(list(range(100)))
    assert len(many) == 51 and many[-1].message == "... and 50 more problems"


def test_limits_are_configurable() -> None:
    limits = ToolSchemaLimits(max_depth=4, max_instance_depth=2, max_validation_work=50)
    assert (
        "max_depth"
        in refused({"items": {"items": {"items": {"items": {"items": {}}}}}}, limits).reason
    )
    validator = compile_tool_schema({"items": {}}, limits=limits)
    assert validator.is_valid([[1]])
    with pytest.raises(ValidationError, match="nesting deeper than 2"):
        validator.is_valid([[[1]]])
    with pytest.raises(ValidationError, match="max_validation_work"):
        validator.validate(["x" * 100])


def test_cached_validator_does_not_follow_later_mutation_of_the_callers_dict() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {"n": {"type": "integer"}}}
    validator = compile_tool_schema(schema)
    schema["properties"]["n"]["type"] = "string"
    assert validator.schema["properties"]["n"]["type"] == "integer"
    assert validator.is_valid({"n": 1})
    assert compile_tool_schema(schema) is not validator


def test_instance_size_is_bounded() -> None:
    validator = compile_tool_schema({"type": "array"})
    with pytest.raises(ValidationError, match="max_instance_units"):
        validator.validate(list(range(2_000_001)))
    with pytest.raises(ValidationError, match="max_instance_units"):
        validator.validate(["x" * 2_000_000])
    assert validator.is_valid(list(range(100_000)))


def test_unique_items_counts_the_subtree_it_reads() -> None:
    limits = ToolSchemaLimits(max_validation_work=400)
    nested = [[i, [i, i]] for i in range(100)]  # 1 + 100 + 200 + 200 units
    assert compile_tool_schema({"type": "array"}, limits=limits).is_valid(nested)
    unique = compile_tool_schema({"uniqueItems": True}, limits=limits)
    with pytest.raises(ValidationError, match="max_validation_work"):
        unique.validate(nested)


# -- seeded random schemas: only clear errors, and the same verdicts as jsonschema ----------

_KEYWORDS = (
    "type properties items prefixItems allOf anyOf oneOf not if then else $ref $defs "
    "definitions $anchor $dynamicAnchor $dynamicRef $id $schema enum const pattern "
    "patternProperties additionalProperties unevaluatedProperties unevaluatedItems "
    "dependentSchemas dependencies contains required minimum uniqueItems propertyNames "
    "$recursiveRef $recursiveAnchor additionalItems contentSchema minLength"
).split()
_REFERENCES = ["#", "#/$defs/a", "#/$defs/b", "#a", "#/properties/x", "#/items", "http://x/y"]
_REFERENCES += ["a.json", "#/definitions/a", "#/$defs/a/allOf/0", "", "urn:x#/$defs/a"]
_DIALECT_URIS: list[Any] = [
    "https://json-schema.org/draft/2020-12/schema",
    "http://json-schema.org/draft-07/schema#",
    "https://json-schema.org/draft/2019-09/schema",
    "x",
    5,
]
_SCALARS: list[Any] = [1, "a", None, True, 2.5, [], {}, "string", "object", "^a+$", "(", ["a"]]
_INSTANCES: list[Any] = [1, "a", {"x": [1, "a"]}, [1, [2]], None, {"a": {"b": "c"}}, ["a", 1]]


def _random_value(rng: Any, depth: int) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.3:
        return rng.choice(_SCALARS)
    if roll < 0.7:
        return _random_schema(rng, depth + 1)
    if roll < 0.85:
        return {rng.choice("abx"): _random_schema(rng, depth + 1) for _ in range(rng.randint(0, 2))}
    return [_random_schema(rng, depth + 1) for _ in range(rng.randint(0, 2))]


def _random_schema(rng: Any, depth: int = 0) -> Any:
    if rng.random() < 0.1:
        return rng.choice([True, False])
    schema: dict[str, Any] = {}
    for _ in range(rng.randint(0, 4)):
        keyword = rng.choice(_KEYWORDS)
        if keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
            schema[keyword] = rng.choice(_REFERENCES)
        elif keyword == "$schema":
            schema[keyword] = rng.choice(_DIALECT_URIS)
        elif keyword in ("$anchor", "$dynamicAnchor"):
            schema[keyword] = rng.choice(["a", "b", ""])
        elif keyword == "$id":
            schema[keyword] = rng.choice(["urn:x", "#a", "http://x/y", 3])
        else:
            schema[keyword] = _random_value(rng, depth)
    if depth == 0 and rng.random() < 0.5:
        schema["$defs"] = {"a": _random_schema(rng, 2), "b": _random_schema(rng, 2)}
    return schema


def test_random_schemas_end_in_a_clear_error_or_the_reference_verdict() -> None:
    import random

    rng = random.Random(6)
    compiled = compared = 0
    for _ in range(600):
        schema = _random_schema(rng)
        try:
            validator = compile_tool_schema(schema)
        except ToolSchemaError:
            continue
        compiled += 1
        try:
            cls = jsonschema.validators.validator_for(
                schema, default=jsonschema.Draft202012Validator
            )
            reference = cls(schema, registry=referencing.Registry(retrieve=_refuse))
            verdicts = [reference.is_valid(instance) for instance in _INSTANCES]
        except Exception:  # the reference cannot judge (e.g. a regex Python's re rejects)
            verdicts = None
        for position, instance in enumerate(_INSTANCES):
            ours = validator.is_valid(instance)
            assert bool(validator.errors(instance)) is not ours
            if verdicts is not None:
                compared += 1
                assert ours == verdicts[position], (schema, instance)
    assert compiled > 50 and compared > 300


def _example_tools() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for path in example_files():
        stack: list[Any] = [load_json(path)]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                if "name" in value and "inputSchema" in value:
                    found.append((f"{path.parent.parent.parent.name}/{path.stem}", value))
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    return found


def test_every_official_example_tool_schema_compiles(source: Any) -> None:
    tools = _example_tools()
    assert len(tools) >= 10
    dialects = set()
    for where, tool in tools:
        module = importlib.import_module(f"mcp_spec.{MODULES[where.split('/')[0]]}")
        model = module.Tool.model_validate(tool)
        for key in ("inputSchema", "outputSchema"):
            if key in tool:
                dialects.add(compile_tool_schema(tool[key]).dialect)
        try:
            validate_tool_arguments(model, {})
        except ValidationError:
            pass  # required arguments missing is a verdict; a refused schema would raise
        if "outputSchema" not in tool:
            validate_structured_content(model, {"unchecked": True})
    assert dialects == {"2020-12", "draft-07"}
