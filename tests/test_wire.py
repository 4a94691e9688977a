"""Wire types, exact decoding, typed loading and the lazy message model (issue 14)."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

from mcp_spec._decode import MAX_NESTING_DEPTH, decode_json
from mcp_spec._json import load_json as eager_load_json
from mcp_spec.errors import PARSE_ERROR, ValidationError
from mcp_spec.messages import validate_message
from mcp_spec_gen.ir import ModelDef
from mcp_spec_gen.reference import revision_ir

from .conftest import MODULES, REVISIONS, example_files, load_json
from .test_messages import FRAMES, call_tool, frame_context

EXAMPLES = example_files()


def module(rev: str, name: str) -> Any:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.{name}")


def parse_error(raw: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        decode_json(raw)
    assert caught.value.code == PARSE_ERROR and caught.value.http_status == 400
    assert caught.value.problems
    return caught.value


# --- exact decoding ---------------------------------------------------------------------


def test_integers_of_any_size_up_to_pythons_limit_stay_exact() -> None:
    for value in (2**63, 2**64, -(2**64) - 1, 10**300, int("9" * 4300)):
        decoded = decode_json(json.dumps([value]).encode())
        assert decoded == [value] and type(decoded[0]) is int
    assert "more than 4300 digits" in parse_error(b"1" * 4301).problems[0].message


@pytest.mark.parametrize(
    "raw",
    [b"NaN", b"[Infinity]", b"-Infinity", b"[1e400]", b'{"a": -1e999}', b"[1, 2", b"{} x", b""],
)
def test_non_finite_and_malformed_numbers_are_parse_errors(raw: bytes) -> None:
    parse_error(raw)


def test_1e400_is_named_as_an_overflow_with_its_pointer() -> None:
    (problem,) = parse_error(b'{"a": [1, 1e400]}').problems
    assert "overflows a float" in problem.message and problem.pointer == "/a/1"


@pytest.mark.parametrize(
    "raw",
    [
        b'"\xff"',  # invalid UTF-8
        b'"\xc0\xaf"',  # overlong encoding
        b'"\xed\xa0\x80"',  # a surrogate encoded in UTF-8
        b'"\\ud800"',  # a lone high surrogate escape
        b'"\\udc00x"',  # a lone low surrogate escape
        b'{"\\ud800": 1}',  # ... in a key
        '"\ud800"',  # a str holding a lone surrogate
    ],
)
def test_invalid_text_is_a_parse_error(raw: bytes | str) -> None:
    parse_error(raw)


def test_a_surrogate_pair_is_one_character() -> None:
    assert decode_json(b'"\\ud83d\\ude00"') == "\U0001f600"


@pytest.mark.parametrize("wrap", [("[", "]"), ('{"a":', "}")])
def test_nesting_is_limited_exactly_and_never_raises_recursion_error(
    wrap: tuple[str, str],
) -> None:
    def nested(depth: int) -> bytes:
        return (wrap[0] * depth + "1" + wrap[1] * depth).encode()

    assert decode_json(nested(MAX_NESTING_DEPTH)) is not None
    for depth in (MAX_NESTING_DEPTH + 1, 990, 100_000):
        message = parse_error(nested(depth)).problems[0].message
        assert f"deeper than {MAX_NESTING_DEPTH}" in message


def test_memoryview_and_bytearray_decode() -> None:
    assert decode_json(memoryview(b"[1]")) == decode_json(bytearray(b"[1]")) == [1]


def _depth(value: Any) -> int:
    """Containers deep, by definition (the reference of the nesting checks; iterative)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, above = pending.pop()
        if isinstance(item, dict):
            members: list[Any] = list(cast("dict[str, Any]", item).values())
        elif isinstance(item, list):
            members = cast("list[Any]", item)
        else:
            continue
        deepest = max(deepest, above + 1)
        pending.extend((member, above + 1) for member in members)
    return deepest


def _nested_text(depth: int, opener: str, closer: str, core: str) -> str:
    """`depth` containers: `depth - 1` wrappers (each one container) around `core`."""
    return opener * (depth - 1) + core + closer * (depth - 1)


@pytest.mark.parametrize("core", ["[]", "[1]", "{}", '{"z": "s"}'])
@pytest.mark.parametrize("wrap", [("[", "]"), ('{"a":', "}"), ('[0, {"b": "c", "d":', "}]")])
def test_the_nesting_limit_is_exact_whether_the_deepest_containers_hold_scalars_or_nothing(
    wrap: tuple[str, str], core: str
) -> None:
    """The level-wise check counts levels of nodes: a tree `d` containers deep has `d` of them,
    or `d + 1` when scalars sit at the bottom; both sides of the limit are decided exactly."""
    opener, closer = wrap
    per_wrapper = 2 if opener.startswith("[0") else 1  # a list holding an object
    for depth in range(MAX_NESTING_DEPTH - 3, MAX_NESTING_DEPTH + 4):
        if (depth - 1) % per_wrapper:
            continue
        text = opener * ((depth - 1) // per_wrapper) + core + closer * ((depth - 1) // per_wrapper)
        value = json.loads(text)
        assert _depth(value) == depth
        if depth <= MAX_NESTING_DEPTH:
            assert decode_json(text.encode()) == value
        else:
            assert "deeper than" in parse_error(text.encode()).problems[0].message


def _random_tree(draw: Any, budget: int) -> Any:
    kind = draw.integers(0, 4) if budget > 0 else 4
    if kind == 0:
        return [_random_tree(draw, budget - 1) for _ in range(draw.integers(0, 3))]
    if kind == 1:
        return {f"k{i}": _random_tree(draw, budget - 1) for i in range(draw.integers(0, 3))}
    return draw.sampled_from([1, "s", None, True, 2.5, 10**30])


def _node_depth(value: Any) -> int:
    """Levels of nodes, by definition: the most nodes on a path from the root (iterative)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, level = pending.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            pending.extend((member, level + 1) for member in cast("dict[str, Any]", item).values())
        elif isinstance(item, list):
            pending.extend((member, level + 1) for member in cast("list[Any]", item))
    return deepest


def test_level_wise_nesting_agrees_with_the_definition_and_the_compiled_walk() -> None:
    """3,000 random trees, every limit from 0 to 8: the levels counted in C equal the
    definition, and the nesting measured for a decoded value says exactly whether it passes
    the limit (limit + 1 when not), bounding its depth from above when it does."""
    import random

    from mcp_spec._decode import decoded_nesting, nesting_at_most, node_levels

    class Draw:
        def __init__(self, seed: int) -> None:
            self.random = random.Random(seed)

        def integers(self, low: int, high: int) -> int:
            return self.random.randint(low, high)

        def sampled_from(self, items: list[Any]) -> Any:
            return self.random.choice(items)

    ambiguous = 0
    for seed in range(3_000):
        tree = _random_tree(Draw(seed), 9)
        depth, levels = _depth(tree), _node_depth(tree)
        assert levels in (depth, depth + 1)
        for limit in range(9):
            assert node_levels(tree, limit + 2) == min(levels, limit + 2)
            ambiguous += levels == limit + 1
            nesting = decoded_nesting(tree, limit, 10)
            assert nesting is not None
            if depth <= limit:
                assert depth <= nesting <= limit
            else:
                assert nesting == limit + 1
            assert nesting_at_most(tree, limit) is (depth <= limit)
    assert ambiguous > 0  # the case the levels cannot tell occurs, and the walk decides it


def test_documents_past_the_level_wise_size_use_the_compiled_walk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mcp_spec._decode as decode_module

    walked: list[int] = []

    def compiled_walk(value: Any, limit: int) -> bool:
        walked.append(limit)
        return _depth(value) <= limit

    monkeypatch.setattr(decode_module, "nesting_at_most", compiled_walk)
    deep = _nested_text(600, "[", "]", "[]").encode()
    assert "deeper than" in parse_error(deep).problems[0].message
    assert walked == []  # decided level-wise
    monkeypatch.setattr(decode_module, "LEVELWISE_MAX_BYTES", 100)
    assert "deeper than" in parse_error(deep).problems[0].message
    assert walked == [MAX_NESTING_DEPTH]


def test_a_memoryview_of_words_is_measured_in_bytes() -> None:
    """A view's len() counts its items: 513 levels in 1,026 bytes are still caught."""
    deep = b"[" * (MAX_NESTING_DEPTH + 1) + b"]" * (MAX_NESTING_DEPTH + 1)
    words = memoryview(deep).cast("H")
    assert len(words) < len(deep)
    assert "deeper than" in parse_error(words).problems[0].message


def test_verdicts_equal_the_eager_parser_on_every_official_example() -> None:
    for path in EXAMPLES:
        raw = path.read_bytes()
        assert decode_json(raw) == eager_load_json(raw) == json.loads(raw)


# --- wire types -------------------------------------------------------------------------


def test_wire_modules_import_without_pydantic_or_the_models() -> None:
    probe = (
        "import sys\n"
        "from mcp_spec.v2026_07_28 import wire\n"
        'frame = b\'{"name": "x", "inputSchema": {"type": "object"}}\'\n'
        "assert wire.load_json('Tool', frame)['name'] == 'x'\n"
        "from mcp_spec.messages import validate_message\n"
        "import json\n"
        f"validate_message('2026-07-28', json.dumps({call_tool()!r}), sender='client')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('pydantic', 'mcp_spec.v')))\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "pydantic" not in out and "models" not in out, out


@pytest.mark.parametrize("rev", REVISIONS)
def test_every_definition_has_a_wire_type_keyed_by_wire_names(rev: str) -> None:
    wire = module(rev, "wire")
    ir = revision_ir(rev)
    assert set(ir.all_definitions()) | {"load", "load_json"} == set(wire.__all__)
    typed_dicts = 0
    for name, definition in ir.all_definitions().items():
        wire_type = getattr(wire, name)
        if not isinstance(definition, ModelDef):
            assert isinstance(wire_type, str), name  # a type alias, evaluated by checkers only
            continue
        typed_dicts += 1
        assert set(wire_type.__annotations__) == {field.wire_name for field in definition.fields}
        required = {field.wire_name for field in definition.fields if field.required}
        assert wire_type.__required_keys__ == required, name
        assert wire_type.__optional_keys__ == set(wire_type.__annotations__) - required, name
        closed = getattr(wire_type, "__closed__", None)
        assert bool(closed) == (definition.extra is None), name
    assert typed_dicts > 50


def test_modern_meta_keys_are_wire_names() -> None:
    wire = module("2026-07-28", "wire")
    keys = wire.RequestMetaObject.__required_keys__
    assert "io.modelcontextprotocol/protocolVersion" in keys
    assert "_meta" in wire.CallToolRequestParams.__required_keys__  # required since 2026-07-28
    assert "_meta" in module("2025-11-25", "wire").CallToolRequestParams.__optional_keys__


# --- typed loading ----------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_typed_load_of_every_official_example_and_its_mutations_agrees_with_validate(
    path: Path,
) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    wire, validators = module(revision, "wire"), module(revision, "validators")
    data = load_json(path)
    loaded = wire.load_json(type_name, path.read_bytes())
    assert loaded == data
    assert wire.load(type_name, data) is data
    candidates = [data]
    if isinstance(data, dict):
        for key in data:
            for replacement in (None, 5, "x", [], {}):
                mutated = copy.deepcopy(data)
                mutated[key] = replacement
                candidates.append(mutated)
    for candidate in candidates:
        expected = validators.is_valid(type_name, candidate)
        try:
            wire.load(type_name, candidate)
            loaded_ok = True
        except ValidationError as error:
            loaded_ok = False
            with pytest.raises(ValidationError) as caught:
                validators.validate(type_name, candidate)
            assert caught.value.problems == error.problems
        assert loaded_ok == expected
        try:
            wire.load_json(type_name, json.dumps(candidate).encode())
            assert expected
        except ValidationError:
            assert not expected


def test_typed_load_keeps_big_integers_and_refuses_bad_json() -> None:
    wire = module("2026-07-28", "wire")
    big = 123456789012345678901234567890
    assert wire.load_json("RequestId", str(big).encode()) == big
    with pytest.raises(ValidationError) as caught:
        wire.load_json("Tool", b'{"name": NaN}')
    assert caught.value.code == PARSE_ERROR


# --- the lazy message -------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", FRAMES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_the_lazy_model_equals_the_eager_one(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    frame = load_json(path)
    sender, answered = frame_context(revision, type_name, frame)
    message = validate_message(revision, path.read_bytes(), sender=sender, request_method=answered)  # type: ignore[arg-type]
    expected_data = frame["result"] if message.kind == "result" else frame
    assert message.data == expected_data
    engine = module(revision, "validators")._ENGINE
    eager = engine.to_model(message.type_name, copy.deepcopy(expected_data))
    assert message.model == eager
    assert message.model is message.model  # built once


def test_the_model_deviation_surfaces_when_the_model_is_built() -> None:
    # JSON Schema takes 3.0 for an integer: the frame is valid; the strict model refuses it.
    frame = {
        "jsonrpc": "2.0",
        "method": "notifications/progress",
        "params": {"progressToken": 3.0, "progress": 1},
    }
    message = validate_message("2025-11-25", frame, sender="client")
    assert message.data["params"]["progressToken"] == 3.0
    with pytest.raises(ValidationError, match="typed model rejects"):
        _ = message.model


def test_docs_style_frames_keep_their_verdicts_and_codes() -> None:
    message = validate_message("2026-07-28", json.dumps(call_tool()), sender="client")
    assert message.kind == "request" and message.type_name == "CallToolRequest"
    assert message.data["params"]["name"] == "get_weather"
    assert message.model.params.name == "get_weather"
    with pytest.raises(ValidationError) as caught:
        validate_message("2026-07-28", b'{"jsonrpc": "2.0", "id": 1e400}', sender="client")
    assert caught.value.code == PARSE_ERROR


def test_the_level_wise_check_stands_down_where_referents_are_not_members(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An interpreter whose garbage collector reports other referents (or none) leaves the
    nesting to the compiled walk: the self-test at import says which."""
    import gc

    import mcp_spec._decode as decode_module

    assert decode_module._referents_are_members()  # CPython: a list's items, a dict's values  # pyright: ignore[reportPrivateUsage]
    monkeypatch.setattr(gc, "get_referents", lambda *objects: [])
    assert not decode_module._referents_are_members()  # pyright: ignore[reportPrivateUsage]
    monkeypatch.setattr(decode_module, "_LEVELWISE", False)
    deep = _nested_text(MAX_NESTING_DEPTH + 1, "[", "]", "[]").encode()
    assert "deeper than" in parse_error(deep).problems[0].message
    shallow = _nested_text(MAX_NESTING_DEPTH, "[", "]", "[1]").encode()
    assert decode_json(shallow) is not None
