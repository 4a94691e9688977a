"""The generated hypothesis strategies: valid by construction, near misses truthfully labelled,
every shape of the schema reached, and never imported by `import mcp_spec`."""

from __future__ import annotations

import importlib
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from mcp_spec._strategies import (
    FieldSpec,
    ModelNode,
    PrimitiveNode,
    Registry,
    base64_strings,
    uri_templates,
    uris,
)
from mcp_spec_gen.reference import revision_ir

from .conftest import MODULES, REPO, REVISIONS
from .reference import FORMAT_CHECKER, reference_is_valid

QUICK = settings(max_examples=60, deadline=None, database=None, derandomize=True)


def strategies(rev: str) -> ModuleType:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.strategies")


class _Found(Exception):
    pass


def find(strategy: st.SearchStrategy[Any], condition: Any, tries: int = 3000) -> Any:
    """The first draw satisfying `condition`, unshrunk; fails if none in `tries` draws."""

    @settings(
        max_examples=tries,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def search(value: Any) -> None:
        if condition(value):
            raise _Found(value)

    try:
        search()
    except _Found as found:
        return found.args[0]
    raise AssertionError(f"no draw in {tries} satisfies the condition")


def sample(strategy: st.SearchStrategy[Any], count: int = 30) -> list[Any]:
    drawn: list[Any] = []

    @settings(max_examples=count, deadline=None, database=None, derandomize=True)
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


@pytest.mark.parametrize(
    ("fmt", "strategy"),
    [("uri", uris()), ("uri-template", uri_templates()), ("byte", base64_strings())],
)
def test_format_strategies_pass_the_reference_format_check(fmt: str, strategy: Any) -> None:
    @settings(max_examples=500, deadline=None, database=None, derandomize=True)
    @given(strategy)
    def check(value: str) -> None:
        assert FORMAT_CHECKER.conforms(value, fmt), value

    check()


def test_a_uri_without_authority_never_starts_with_two_slashes() -> None:
    # Found by `mcp-spec fuzz --seed 1`: "https://::" is no URI (empty path segments, no host).
    from mcp_spec._strategies import _uri  # pyright: ignore[reportPrivateUsage]

    assert _uri("https", "", "//::", "", "") == "https:::"
    assert FORMAT_CHECKER.conforms(_uri("https", "", "//::", "", ""), "uri")
    assert FORMAT_CHECKER.conforms(_uri("https", "//h.example", "a", "?q", "#f"), "uri")


def test_bad_format_near_misses_fail_the_reference_format_check() -> None:
    from mcp_spec._strategies import _BAD_FORMATS  # pyright: ignore[reportPrivateUsage]

    for fmt, values in _BAD_FORMATS.items():
        for value in values:
            assert not FORMAT_CHECKER.conforms(value, fmt), (fmt, value)


class TestValidDrawsReachEveryShape:
    rev = "2026-07-28"

    def test_optional_fields_present_and_absent(self) -> None:
        tools = strategies(self.rev).from_def("Tool")
        assert "description" in find(tools, lambda tool: "description" in tool)
        assert "description" not in find(tools, lambda tool: "description" not in tool)

    def test_unknown_keys_on_open_objects_only(self) -> None:
        module = strategies(self.rev)
        declared = {"name", "title", "version", "description", "icons", "websiteUrl"}
        drawn = find(module.from_def("Implementation"), lambda value: set(value) - declared)
        assert reference_is_valid(self.rev, "Implementation", drawn)

    def test_every_union_member(self) -> None:
        blocks = strategies(self.rev).from_def("ContentBlock")
        for tag in ("text", "image", "audio", "resource_link", "resource"):
            assert find(blocks, lambda block, tag=tag: block["type"] == tag)["type"] == tag

    def test_recursion_through_json_value(self) -> None:
        values = strategies(self.rev).from_def("JSONValue")
        nested = find(
            values,
            lambda value: (
                isinstance(value, dict | list)
                and any(
                    isinstance(item, dict | list)
                    for item in (value.values() if isinstance(value, dict) else value)
                )
            ),
        )
        assert reference_is_valid(self.rev, "JSONValue", nested)

    def test_enum_and_numeric_bounds(self) -> None:
        module = strategies(self.rev)
        levels = {
            find(module.from_def("LoggingLevel"), lambda value, level=level: value == level)
            for level in ("debug", "emergency")
        }
        assert levels == {"debug", "emergency"}
        priority = find(module.from_def("ModelPreferences"), lambda v: "costPriority" in v)
        assert 0 <= priority["costPriority"] <= 1


class TestNearMisses:
    rev = "2026-07-28"

    @pytest.mark.parametrize(
        ("definition", "kind"),
        [
            ("Tool", "missing-required"),
            ("Tool", "wrong-type"),
            ("ModelPreferences", "above-maximum"),
            ("ModelPreferences", "below-minimum"),
            ("Resource", "bad-format"),
            ("ImageContent", "bad-format"),
            ("TextContent", "broken-const"),
            ("LoggingLevel", "broken-enum"),
            ("CompleteResult", "too-many-items"),
            ("CompleteResultCompletion", "integral-float"),
            ("Tool", "attribute-name-key"),
            ("ToolAnnotations", "wrong-type"),
        ],
    )
    def test_each_kind_is_drawn_and_labelled(self, definition: str, kind: str) -> None:
        misses = strategies(self.rev).invalid_from_def(definition)
        miss = find(misses, lambda mutation: mutation.kind == kind)
        if miss.certain:
            assert not reference_is_valid(self.rev, definition, miss.instance), miss

    def test_unknown_key_in_a_closed_object(self) -> None:
        # No pinned revision has a closed object (additionalProperties: false) today.
        closed = ModelNode(
            (FieldSpec("name", "name", PrimitiveNode(("string",)), True),), extra=None
        )
        registry = Registry("test", {"Closed": closed})
        miss = find(registry.invalid("Closed"), lambda m: m.kind == "unknown-key")
        assert miss.certain and set(miss.instance) - {"name"}
        assert not any(set(v) - {"name"} for v in sample(registry.valid("Closed")))

    def test_a_union_member_miss_is_certain_only_when_the_tag_pins_the_member(self) -> None:
        module = strategies(self.rev)
        miss = find(
            module.invalid_from_def("ContentBlock"),
            lambda m: m.kind == "missing-required" and m.pointer != "/type",
        )
        assert miss.certain and not reference_is_valid(self.rev, "ContentBlock", miss.instance)
        tag = find(module.invalid_from_def("ContentBlock"), lambda m: m.pointer == "/type")
        assert not tag.certain

    def test_a_definition_that_accepts_everything_has_no_near_misses(self) -> None:
        module = strategies(self.rev)
        assert not module.has_near_misses("JSONValue")
        with pytest.raises(module.NoNearMissError, match="JSONValue"):
            module.invalid_from_def("JSONValue")


@pytest.mark.parametrize("rev", REVISIONS)
def test_every_definition_has_a_strategy(rev: str) -> None:
    module = strategies(rev)
    ir = revision_ir(rev)
    assert module.DEFINITIONS == tuple(ir.definitions)
    assert module.INLINE_MODELS == tuple(ir.inline)
    for name in module.DEFINITIONS + module.INLINE_MODELS:
        module.from_def(name)  # built lazily, on the first draw


def test_unknown_definition_is_a_clear_error() -> None:
    module = strategies("2026-07-28")
    with pytest.raises(module.UnknownDefinitionError, match="2026-07-28 has no definition 'Tol'"):
        module.from_def("Tol")


def test_importing_the_package_and_models_never_imports_hypothesis() -> None:
    code = (
        "import sys, mcp_spec, mcp_spec.latest, mcp_spec.v2024_11_05\n"
        "from mcp_spec.v2026_07_28 import Tool, methods\n"
        "Tool.model_validate({'name': 'x', 'inputSchema': {'type': 'object'}})\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_readme_example_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Fuzzing with hypothesis strategies") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("\n```", start)]
    namespace: dict[str, Any] = {}
    # Not named after a real file: hypothesis (Python 3.12+) reads and tokenises the file a
    # test function says it comes from, and README.md is not Python.
    exec(compile(code, "<README.md example>", "exec"), namespace)  # noqa: S102 - our README
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 2
    for test in tests:
        test()


@pytest.mark.parametrize("definition", ["CallToolResult", "CreateMessageRequest", "Tool"])
def test_a_near_miss_pointer_names_where_the_change_is(definition: str) -> None:
    from mcp_spec_gen.schema_walk import resolve_pointer

    @QUICK
    @given(strategies("2026-07-28").invalid_from_def(definition))
    def check(miss: Any) -> None:
        parent, _, last = miss.pointer.rpartition("/")
        container = resolve_pointer(miss.instance, parent)
        if miss.kind == "missing-required":
            assert isinstance(container, dict) and last not in container
        elif miss.pointer:
            resolve_pointer(miss.instance, miss.pointer)

    check()


def test_without_hypothesis_the_import_error_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import mcp_spec.v2026_07_28.strategies\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'mcp-spec[strategies]'" in out.stdout, out
