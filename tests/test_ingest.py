"""Ingest failures: each a clear error naming what was wrong and where."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mcp_spec_gen.errata import Patch, apply_errata, load_errata
from mcp_spec_gen.errors import (
    BoundsError,
    ErratumError,
    IngestError,
    UnresolvableReferenceError,
)
from mcp_spec_gen.ingest import Bounds, ingest
from mcp_spec_gen.reach import Reach

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def document(**defs: Any) -> bytes:
    return json.dumps({"$schema": DRAFT_2020_12, "$defs": defs}).encode()


def run(data: bytes, bounds: Bounds | None = None) -> Any:
    return ingest(data, revision="test-rev", file="test.json", bounds=bounds or Bounds())


def test_a_valid_document_is_ingested_with_its_dialect() -> None:
    ingested = run(document(A={"type": "string"}, B={"$ref": "#/$defs/A"}))
    assert ingested.dialect == "2020-12"
    assert ingested.definitions_keyword == "$defs"
    assert set(ingested.definitions) == {"A", "B"}


def test_draft_07_uses_definitions() -> None:
    data = json.dumps(
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"A": {"type": "integer"}},
        }
    ).encode()
    assert run(data).definitions == {"A": {"type": "integer"}}


def test_non_local_ref_is_refused_with_its_pointer() -> None:
    data = document(A={"properties": {"x": {"$ref": "https://example.com/x.json"}}})
    with pytest.raises(UnresolvableReferenceError) as caught:
        run(data)
    message = str(caught.value)
    assert "non-local $ref 'https://example.com/x.json'" in message
    assert "/$defs/A/properties/x/$ref" in message
    assert "revision test-rev" in message and "file test.json" in message


def test_dangling_ref_is_refused_with_its_pointer() -> None:
    with pytest.raises(
        UnresolvableReferenceError,
        match=r"dangling \$ref '#/\$defs/Nope'.*"
        r"at /\$defs/A/items/\$ref",
    ):
        run(document(A={"type": "array", "items": {"$ref": "#/$defs/Nope"}}))


def test_relative_file_ref_is_refused_without_touching_the_file_system() -> None:
    with pytest.raises(UnresolvableReferenceError, match="non-local"):
        run(document(A={"$ref": "../../etc/passwd"}))


def test_recursive_definitions_are_accepted() -> None:
    run(
        document(
            V={"anyOf": [{"$ref": "#/$defs/O"}, {"type": "string"}]},
            O={"type": "object", "additionalProperties": {"$ref": "#/$defs/V"}},
        )
    )


def nested_items(depth: int) -> bytes:
    body = '{"type": "array", "items": ' * depth + "{}" + "}" * depth
    return f'{{"$schema": "{DRAFT_2020_12}", "$defs": {{"Deep": {body}}}}}'.encode()


def test_too_deep_is_a_bounds_error_naming_the_pointer() -> None:
    with pytest.raises(
        BoundsError,
        match=r"nesting deeper than the limit of 64.*"
        r"at /\$defs/Deep(/items){63}",
    ):
        run(nested_items(200))


def test_far_too_deep_to_parse_is_a_bounds_error_not_a_recursion_error() -> None:
    with pytest.raises(BoundsError, match="nested too deeply to parse"):
        run(nested_items(100_000))


def test_too_many_subschemas() -> None:
    many = {f"P{i}": {"type": "string"} for i in range(200)}
    with pytest.raises(BoundsError, match="more than 100 subschemas"):
        run(document(**many), Bounds(max_subschemas=100))


def test_file_too_large() -> None:
    with pytest.raises(BoundsError, match="over the limit of 10"):
        run(document(A={}), Bounds(max_bytes=10))


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(IngestError, match=r"malformed JSON: Expecting .* at line 2 column 1"):
        run(b'{"$schema": "x",\n')


def test_duplicate_keys_are_malformed() -> None:
    with pytest.raises(IngestError, match="duplicate key 'A'"):
        run(b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "A": 1, "A": 2}')


def test_unknown_dialect() -> None:
    data = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#"}).encode()
    with pytest.raises(IngestError, match=r"unknown dialect \$schema .*draft-04.*at /\$schema"):
        run(data)


def test_missing_dialect() -> None:
    with pytest.raises(IngestError, match=r"missing \$schema"):
        run(b"{}")


def test_metaschema_violation_names_the_pointer() -> None:
    with pytest.raises(IngestError, match=r"not a valid 2020-12 schema: .*at /\$defs/A/type"):
        run(document(A={"type": "strin"}))


def test_patch_asserts_the_expected_value_before_writing() -> None:
    patch = Patch(
        id="p",
        kind="erratum",
        reach=Reach(only=("r",)),
        pointer="/$defs/A/type",
        expected="integer",
        replacement="number",
        reason="why",
        upstream="ref",
    )
    patched, applied = apply_errata(
        {"$defs": {"A": {"type": "integer"}}}, (patch,), revision="r", file="f"
    )
    assert patched["$defs"]["A"]["type"] == "number" and applied == (patch,)
    with pytest.raises(
        ErratumError,
        match=r"expected \"integer\" but found \"string\".*"
        r"moved on.*at /\$defs/A/type",
    ):
        apply_errata({"$defs": {"A": {"type": "string"}}}, (patch,), revision="r", file="f")
    with pytest.raises(ErratumError, match="nothing at the patched location"):
        apply_errata({"$defs": {}}, (patch,), revision="r", file="f")


def test_declared_errata_are_complete_and_documented() -> None:
    patches = load_errata()
    assert {patch.id for patch in patches} == {
        "jsonvalue-scalars",
        "elicit-content-number",
        "tool-inputschema-boolean-subschemas",
        "tool-outputschema-boolean-subschemas",
    }
    for patch in patches:
        assert patch.reason and patch.upstream and patch.kind in {"erratum", "compatibility"}
