"""Compiled validators: exact agreement with the reference, errors, typed parse, no retrieval."""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, get_origin

import pytest

from mcp_spec.errors import (
    INVALID_PARAMS,
    PARSE_ERROR,
    MCPSpecError,
    Problem,
    UnknownDefinitionError,
    ValidationError,
)

from .conftest import MODULES, REVISIONS, example_files, load_json
from .reference import reference_errors, reference_is_valid

EXAMPLES = example_files()


def validators(rev: str) -> ModuleType:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.validators")


def tool(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "get_weather", "inputSchema": {"type": "object"}}
    data.update(overrides)
    return data


def agree(rev: str, definition: str, instance: Any) -> bool:
    """Our verdict, asserted equal to the reference verdict."""
    ours = validators(rev).is_valid(definition, instance)
    assert ours == reference_is_valid(rev, definition, instance), (
        f"{rev} {definition} {instance!r}: ours={ours}; reference says "
        f"{reference_errors(rev, definition, instance)}"
    )
    return ours


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_every_official_example_is_valid_and_parses(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    data = load_json(path)
    assert agree(revision, type_name, data)
    validators(revision).validate(type_name, data)
    module = importlib.import_module(f"mcp_spec.{MODULES[revision]}")
    parsed = validators(revision).parse_json(type_name, path.read_bytes())
    assert parsed == validators(revision).parse(type_name, data)
    expected = getattr(module, type_name)
    # On Python 3.10 `dict[str, X]` passes isinstance(..., type) too; only classes count.
    if isinstance(expected, type) and get_origin(expected) is None:
        assert isinstance(parsed, expected)


# The negative cases of the models issue, plus schema features the models do not exercise.
NEGATIVE_CASES: list[tuple[str, Any]] = [
    ("Tool", tool(name=5)),
    ("Tool", {"name": "x"}),
    ("Tool", tool(description=None)),
    ("Tool", tool(inputSchema={"type": "array"})),
    ("ProgressNotificationParams", {"progressToken": "t", "progress": "5"}),
    ("ModelPreferences", {"costPriority": True}),
    ("ModelPreferences", {"speedPriority": 1.5}),
    ("ModelPreferences", {"speedPriority": -0.1}),
    ("TextContent", {"type": "text", "text": 5}),
    ("TextContent", {"type": "image", "text": "hi"}),
    ("TextContent", []),
    ("ImageContent", {"type": "image", "data": "not base64!", "mimeType": "image/png"}),
    ("Resource", {"name": "r", "uri": "relative/path"}),
    ("ResourceTemplate", {"name": "r", "uriTemplate": "file:///{path"}),
    ("RequestId", 1.5),
    ("RequestId", True),
    ("RequestId", None),
]
POSITIVE_CASES: list[tuple[str, Any]] = [
    ("Tool", tool(vendorExtension={"nested": [1, 2.5, None]})),
    ("ModelPreferences", {"speedPriority": 1}),
    ("ModelPreferences", {"speedPriority": 1.0}),
    ("ImageContent", {"type": "image", "data": "aGk=", "mimeType": "image/png"}),
    ("Resource", {"name": "r", "uri": "file:///project/a.txt"}),
    ("ResourceTemplate", {"name": "r", "uriTemplate": "file:///{+path}{?q*}"}),
    ("RequestId", 3),
    ("RequestId", 3.0),  # JSON Schema: an integer-valued number is an integer
    ("RequestId", "abc"),
]


@pytest.mark.parametrize("rev", REVISIONS)
@pytest.mark.parametrize(("definition", "instance"), NEGATIVE_CASES)
def test_negative_cases_agree_with_the_reference(rev: str, definition: str, instance: Any) -> None:
    assert not agree(rev, definition, instance)


@pytest.mark.parametrize("rev", REVISIONS)
@pytest.mark.parametrize(("definition", "instance"), POSITIVE_CASES)
def test_positive_cases_agree_with_the_reference(rev: str, definition: str, instance: Any) -> None:
    assert agree(rev, definition, instance)


URIS = [
    "",
    " ",
    "/path",
    "path",
    "http://x",
    "https://example.com/a b",
    "file:///tmp/x",
    "urn:isbn:123",
    "a:b",
    "http://ü.com",
    "http://x/ü",
    "mailto:a@b",
    "1a:b",
    "http://[::1]/",
    "http://x/%zz",
    "http://x/%20",
    "x:",
    "http://x#a#b",
    "\n",
    "http://x\t",
]
TEMPLATES = [
    "",
    " ",
    "{a}",
    "/{a,b}",
    "{+a}",
    "{a",
    "}",
    "{%20}",
    "{a:3}",
    "{a*}",
    "{=a}",
    "{a b}",
    "ü{a}",
    "http://x/{?q*}",
    "{}",
    "a b",
    "x\n",
    "http://x/%zz",
    "{.a}",
]
BASE64 = [
    "",
    "AAAA",
    "AAA",
    "AAA=",
    "AA==",
    "A===",
    "Zm9vYg",
    "Zm9v\n",
    " Zm9v",
    "Zm-_",
    "Zm9vYg=",
    "====",
    "ü",
    "Zm9v YmFy",
    "aGk=",
]


@pytest.mark.parametrize("value", URIS)
def test_uri_format_agrees(value: str) -> None:
    agree("2026-07-28", "Resource", {"name": "r", "uri": value})
    agree("2024-11-05", "Resource", {"name": "r", "uri": value})


@pytest.mark.parametrize("value", TEMPLATES)
def test_uri_template_format_agrees(value: str) -> None:
    agree("2026-07-28", "ResourceTemplate", {"name": "r", "uriTemplate": value})
    agree("2024-11-05", "ResourceTemplate", {"name": "r", "uriTemplate": value})


@pytest.mark.parametrize("value", BASE64)
def test_byte_format_agrees(value: str) -> None:
    agree("2026-07-28", "ImageContent", {"type": "image", "data": value, "mimeType": "image/png"})
    agree("2024-11-05", "ImageContent", {"type": "image", "data": value, "mimeType": "image/png"})


def test_listed_deviation_a_uri_ending_in_a_newline_is_rejected() -> None:
    # The reference's RFC 3986 regex ends in `$`, which also matches before a final "\n";
    # RFC 3986 has no newline in a URI, and jsonschema-rs (native, fast) rejects it.
    resource = {"name": "r", "uri": "https://example.com/a\n"}
    assert reference_is_valid("2026-07-28", "Resource", resource)
    assert not validators("2026-07-28").is_valid("Resource", resource)


def test_validate_lists_every_violation_with_its_pointer() -> None:
    bad = {"name": 5, "inputSchema": {"type": "array"}, "icons": [{"src": 7}]}
    with pytest.raises(ValidationError) as caught:
        validators("2026-07-28").validate("Tool", bad)
    error = caught.value
    assert error.code == INVALID_PARAMS
    pointers = {problem.pointer for problem in error.problems}
    assert pointers == {"/name", "/inputSchema/type", "/icons/0/src"}
    assert "2026-07-28" in str(error) and "/icons/0/src" in str(error)
    listed = list(validators("2026-07-28").iter_errors("Tool", bad))
    assert all(isinstance(problem, Problem) for problem in listed)
    assert {problem.pointer for problem in listed} == pointers


def test_pointers_escape_slash_and_tilde() -> None:
    meta = {
        "io.modelcontextprotocol/protocolVersion": 5,
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    problems = list(validators("2026-07-28").iter_errors("RequestMetaObject", meta))
    assert [problem.pointer for problem in problems] == [
        "/io.modelcontextprotocol~1protocolVersion"
    ]


def test_unknown_definition_is_a_clear_error() -> None:
    with pytest.raises(UnknownDefinitionError, match="2025-11-25 has no definition 'Nope'"):
        validators("2025-11-25").is_valid("Nope", {})
    assert "Tool" in validators("2025-11-25").DEFINITIONS


def test_parse_returns_the_generated_model() -> None:
    from mcp_spec.v2026_07_28 import Tool

    parsed = validators("2026-07-28").parse("Tool", tool())
    assert isinstance(parsed, Tool) and parsed.name == "get_weather"
    with pytest.raises(ValidationError) as caught:
        validators("2026-07-28").parse("Tool", tool(name=5))
    assert [problem.pointer for problem in caught.value.problems] == ["/name"]


def test_parse_json_reports_malformed_json_as_a_parse_error() -> None:
    for raw in (b"{nope", b'{"name": NaN}', b"\xff", b'"\\ud800"', b""):
        with pytest.raises(ValidationError) as caught:
            validators("2026-07-28").parse_json("Tool", raw)
        assert caught.value.code == PARSE_ERROR, raw


def test_parse_json_keeps_big_integers_exact() -> None:
    big = 123456789012345678901234567890
    parsed = validators("2026-07-28").parse_json("RequestId", str(big).encode())
    assert parsed == big and isinstance(parsed, int)


def test_listed_model_deviation_surfaces_as_a_validation_error() -> None:
    # JSON Schema takes 3.0 for an integer (the validators agree); the strict models do not.
    data = {"progressToken": 3.0, "progress": 1}
    assert agree("2025-11-25", "ProgressNotificationParams", data)
    with pytest.raises(ValidationError, match="typed model rejects") as caught:
        validators("2025-11-25").parse("ProgressNotificationParams", data)
    assert caught.value.problems and isinstance(caught.value, MCPSpecError)


def test_bundle_is_lean_but_keeps_properties_named_like_annotations() -> None:
    root = Path(importlib.import_module("mcp_spec.v2026_07_28").__file__ or "").parent
    bundle = json.loads((root / "validation.json").read_text(encoding="utf-8"))
    tool_schema = bundle["$defs"]["Tool"]
    assert "description" not in tool_schema
    assert "description" in tool_schema["properties"]  # a property, not the annotation
    assert "title" in tool_schema["properties"]
    assert '"description":"' not in json.dumps(bundle, separators=(",", ":"))


def test_importing_models_loads_no_validator_and_validators_build_one_revision() -> None:
    probe = (
        "import sys\n"
        "import mcp_spec.v2026_07_28.models\n"
        "assert 'jsonschema_rs' not in sys.modules and 'mcp_spec._validation' not in sys.modules\n"
        "from mcp_spec.v2025_11_25 import validators\n"
        "assert validators._ENGINE._registry is None  # bundle read on first use\n"
        "assert validators.is_valid('Tool', {'name': 'x', 'inputSchema': {'type': 'object'}})\n"
        "assert sorted(validators._ENGINE._validators) == ['Tool']\n"
        "others = [m for m in sys.modules if m.startswith('mcp_spec.v') and '2025_11_25' not in m\n"
        "          and '2026_07_28' not in m]\n"
        "assert not others, others\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


class _CountingServer:
    """A loopback TCP server that counts the connections it accepts."""

    def __init__(self) -> None:
        self.connections = 0
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port: int = self.socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


def test_a_remote_reference_is_never_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mcp_spec._validation import RevisionValidators

    server = _CountingServer()
    try:
        package = tmp_path / "evil_bundle"
        package.mkdir()
        (package / "__init__.py").write_text("")
        remote = f"http://127.0.0.1:{server.port}/schema.json"
        bundle = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {"Remote": {"$ref": remote}, "Local": {"type": "string"}},
        }
        (package / "validation.json").write_text(json.dumps(bundle))
        monkeypatch.syspath_prepend(str(tmp_path))
        engine = RevisionValidators(
            revision="test",
            package="evil_bundle",
            bundle_file="validation.json",
            pointers={"Remote": "/$defs/Remote", "Local": "/$defs/Local"},
        )
        # The registry resolves eagerly: a bundle with a remote reference is refused whole,
        # with a clear error, and nothing is fetched.
        for name in ("Remote", "Local"):
            with pytest.raises(MCPSpecError, match="cannot be compiled.*never retrieves"):
                engine.is_valid(name, "x")
    finally:
        server.close()
    assert server.connections == 0


def test_byte_pattern_equals_strict_base64_exhaustively() -> None:
    """The bundle's pattern for `format: byte` accepts exactly strict RFC 4648 base64: what
    `base64.b64decode(validate=True)` accepts, without the excess "=" padding that Python 3.10
    to 3.12 let through (Python 3.13 agrees exactly). Every string over a representative
    alphabet up to length 6, and every data length up to 11 with 0-5 padding characters."""
    import base64
    import binascii
    import itertools

    import jsonschema_rs

    from mcp_spec_gen.emit_validators import BYTE_PATTERN

    pattern = jsonschema_rs.validator_for({"type": "string", "pattern": BYTE_PATTERN})

    def rfc4648(value: str) -> bool:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False
        return len(value) % 4 == 0 and value.count("=") <= 2

    candidates = [
        "".join(chars) for size in range(7) for chars in itertools.product("A+/=\n-é", repeat=size)
    ]
    candidates += [
        "Zm9v" * quads + "A" * extra + "=" * pads
        for quads in range(3)
        for extra in range(4)
        for pads in range(6)
    ]
    mismatches = [value for value in candidates if pattern.is_valid(value) != rfc4648(value)]
    assert not mismatches, mismatches[:10]


@pytest.mark.parametrize(
    ("value", "reference_accepts_on"),
    [("AAAA=", {10, 11, 12}), ("Zm9v==", {10, 11, 12}), ("Zm9v===", {11, 12})],
)
def test_listed_deviation_excess_base64_padding_is_rejected(
    value: str, reference_accepts_on: set[int]
) -> None:
    image = {"type": "image", "data": value, "mimeType": "image/png"}
    assert not validators("2026-07-28").is_valid("ImageContent", image)
    # The reference follows the running Python's base64 (3.x minor versions listed accept).
    expected = sys.version_info[:2] in {(3, minor) for minor in reference_accepts_on}
    assert reference_is_valid("2026-07-28", "ImageContent", image) is expected


def test_a_bad_byte_string_reads_as_a_format_error() -> None:
    image = {"type": "image", "data": "not base64!", "mimeType": "image/png"}
    problems = list(validators("2026-07-28").iter_errors("ImageContent", image))
    assert [problem.message for problem in problems] == [
        "'not base64!' is not a \"byte\" (strict base64)"
    ]
    assert problems[0].pointer == "/data"


def test_only_definitions_reaching_uri_template_use_the_python_callback() -> None:
    module = validators("2026-07-28")
    assert "ResourceTemplate" in module._CALLBACK_FORMATS
    assert "Tool" not in module._CALLBACK_FORMATS
    assert "CallToolRequest" not in module._CALLBACK_FORMATS


@pytest.mark.parametrize("value", [{1, 2}, 1j, object()])
def test_python_values_json_cannot_hold_are_a_clear_error(value: object) -> None:
    instance = tool(name=value)
    for action in (validators("2026-07-28").is_valid, validators("2026-07-28").validate):
        with pytest.raises(ValidationError, match="not JSON data"):
            action("Tool", instance)
    with pytest.raises(ValidationError, match="not JSON data"):
        list(validators("2026-07-28").iter_errors("Tool", instance))


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_listed_deviation_non_finite_numbers_are_rejected(value: float) -> None:
    # JSON has no NaN or Infinity; an overflowing literal (1e400) parses to inf. The reference
    # takes inf for a `number` (and NaN passes its bounds); jsonschema-rs rejects both.
    data = {"progressToken": 1, "progress": value}
    assert reference_is_valid("2025-11-25", "ProgressNotificationParams", data)
    problems = list(validators("2025-11-25").iter_errors("ProgressNotificationParams", data))
    assert [problem.pointer for problem in problems] == ["/progress"]
    assert "not a finite number" in problems[0].message


def test_an_overflowing_json_number_is_rejected_with_a_clear_reason() -> None:
    # The exact decoder refuses it (JSON has no infinity) and says where it is.
    raw = b'{"progressToken": 1, "progress": 1e400}'
    with pytest.raises(ValidationError, match="overflows a float") as caught:
        validators("2025-11-25").parse_json("ProgressNotificationParams", raw)
    assert caught.value.code == PARSE_ERROR
    assert [problem.pointer for problem in caught.value.problems] == ["/progress"]
    # Parsed data holding an infinity is rejected by the schema check, with its reason.
    with pytest.raises(ValidationError, match="inf is not a finite number"):
        validators("2025-11-25").parse("ProgressNotificationParams", json.loads(raw))


def _mutations(data: Any, depth: int = 2) -> list[Any]:
    """Each member dropped, or replaced by a value of another JSON type, down to `depth`
    levels of objects (and the first element of arrays)."""
    if isinstance(data, list) and data and depth:
        return [[mutated, *data[1:]] for mutated in _mutations(data[0], depth - 1)]
    if not isinstance(data, dict):
        return [None, 5, "x", [data]] if depth == 2 else []
    mutated: list[Any] = []
    for key, value in data.items():
        mutated.append({name: item for name, item in data.items() if name != key})
        for replacement in (None, 5, 2.5, "x", [], {}):
            mutated.append({**data, key: replacement})
        if depth > 1:
            mutated.extend({**data, key: inner} for inner in _mutations(value, depth - 1))
    return mutated


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_verdicts_on_mutated_examples_agree_with_the_reference(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    for instance in _mutations(load_json(path)):
        agree(revision, type_name, instance)
