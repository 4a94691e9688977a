"""Definition order of the models modules: real annotations, names defined before use.

The models modules evaluate their annotations when imported (no `from __future__ import
annotations`), so pydantic has no strings to evaluate; only forward references inside a
recursive group stay quoted, and pydantic resolves those on first use.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError as PydanticValidationError

from mcp_spec_gen.emit_models import emit_models
from mcp_spec_gen.errors import LoweringError
from mcp_spec_gen.ir import (
    AliasDef,
    AnyType,
    ArrayOf,
    Field,
    ModelDef,
    Primitive,
    Ref,
    RevisionIR,
    UnionOf,
)

from .conftest import MODULES, REVISIONS


@pytest.mark.parametrize("rev", REVISIONS)
def test_generated_annotations_are_objects_not_strings(rev: str) -> None:
    module = importlib.import_module(f"mcp_spec.{MODULES[rev]}.models")
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]
    assert classes
    quoted = [
        f"{cls.__name__}.{attr}"
        for cls in classes
        for attr, annotation in vars(cls).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    # The official schemas have no recursive models, so nothing needs quoting.
    assert quoted == []


def _field(name: str, type_: Any, *, required: bool = True) -> Field:
    return Field(wire_name=name, attr_name=name, type=type_, required=required)


def _recursive_ir() -> RevisionIR:
    """Node <-> Tree are mutually recursive (Node also through itself and the Label alias);
    Leaf is an alias of Node (a subclass); Zebra depends on nothing recursive."""
    definitions = {
        "Zebra": ModelDef(
            name="Zebra",
            pointer="/$defs/Zebra",
            fields=(
                _field("stripes", Primitive(("integer",))),
                Field(
                    wire_name="_meta",
                    attr_name="meta",
                    type=Primitive(("string",)),
                    required=False,
                ),
            ),
            extra=None,
        ),
        "Tree": ModelDef(
            name="Tree",
            pointer="/$defs/Tree",
            fields=(
                _field("root", Ref("Node")),
                _field("label", Ref("Label"), required=False),
                _field("zebra", Ref("Zebra"), required=False),
            ),
            extra=None,
        ),
        "Label": AliasDef(
            name="Label",
            pointer="/$defs/Label",
            type=UnionOf((Ref("Leaf"), Primitive(("string",)))),
        ),
        "Leaf": AliasDef(name="Leaf", pointer="/$defs/Leaf", type=Ref("Node")),
        "Node": ModelDef(
            name="Node",
            pointer="/$defs/Node",
            fields=(
                _field("children", ArrayOf(Ref("Node"))),
                _field("tree", Ref("Tree"), required=False),
            ),
            extra=AnyType(),
        ),
    }
    return RevisionIR(
        revision="2099-01-01",
        module="v2099_01_01",
        dialect="https://json-schema.org/draft/2020-12/schema",
        sha256="0" * 64,
        definitions=definitions,
        inline={},
        patches=(),
    )


@pytest.fixture
def recursive_source() -> str:
    return emit_models(_recursive_ir(), commit="0" * 40, source_path="test")


@pytest.fixture
def recursive_module(recursive_source: str) -> Iterator[ModuleType]:
    # Placed inside the package so the generated relative import of `.._base` resolves, and
    # registered so pydantic finds the forward references in the module's namespace.
    name = "mcp_spec.v2026_07_28._recursive_order_test"
    module = ModuleType(name)
    module.__package__ = "mcp_spec.v2026_07_28"
    sys.modules[name] = module
    try:
        exec(compile(recursive_source, name, "exec"), module.__dict__)
        yield module
    finally:
        del sys.modules[name]


def _top_level_order(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def test_recursive_group_is_ordered_and_only_forward_references_are_quoted(
    recursive_source: str,
) -> None:
    assert "from __future__ import annotations" not in recursive_source
    order = _top_level_order(recursive_source)
    # Zebra comes first as a dependency of the group; within the group, names go alphabetically
    # with the subclass Leaf after its base Node.
    assert order == ["Zebra", "Label", "Node", "Leaf", "Tree"]
    # `"Leaf" | str` would fail at runtime: a union with a quoted member is a typing.Union.
    assert 'Label: TypeAlias = Annotated[Union["Leaf", str], STRICT]' in recursive_source
    # Node refers to itself and to Tree before they exist; Tree refers to defined names only.
    assert 'children: list["Node"]' in recursive_source
    # pydantic rebuilds a field naming a class not defined yet from its declaration, so the
    # classes of a recursive group declare wire names and NOT_NULL on the field itself...
    assert 'tree: Annotated[Union["Tree", None], NOT_NULL] = None' in recursive_source
    assert "root: Node" in recursive_source
    assert "label: Annotated[Label | None, NOT_NULL] = None" in recursive_source
    # ...while the others record them once per class, which costs nothing at import.
    assert 'class Zebra(MCPModel, wire_names={"meta": "_meta"}, not_null=("meta",)):' in (
        recursive_source
    )
    assert "meta: str | None = None" in recursive_source
    assert "Field(" not in recursive_source.split("class Zebra")[1].split("\nclass ")[0]


def test_recursive_models_validate_once_forward_references_resolve(
    recursive_module: ModuleType,
) -> None:
    node_model: Any = recursive_module.Node
    tree_model: Any = recursive_module.Tree
    data = {
        "children": [{"children": []}],
        "tree": {
            "root": {"children": [], "x": 1},
            "label": {"children": []},
            "zebra": {"stripes": 3},
        },
    }
    node = node_model.model_validate(data)
    assert isinstance(node.tree, tree_model)
    assert isinstance(node.tree.label, recursive_module.Leaf)
    assert node.model_dump(exclude_none=True) == data
    with pytest.raises(PydanticValidationError) as caught:
        node_model.model_validate({"children": [], "tree": None})
    assert "tree" in str(caught.value)
    with pytest.raises(PydanticValidationError) as caught:
        tree_model.model_validate({"root": {"children": [{"children": "no"}]}})
    assert "root.children.0.children" in str(caught.value)
    # Through the recursion, the recorded wire name and NOT_NULL of a nested model hold.
    zebra = {"stripes": 3, "_meta": "m"}
    tree = tree_model.model_validate({"root": {"children": []}, "zebra": zebra})
    assert tree.zebra.meta == "m"
    assert tree.model_dump()["zebra"] == zebra
    with pytest.raises(PydanticValidationError) as caught:
        node_model.model_validate(
            {
                "children": [
                    {
                        "children": [],
                        "tree": {"root": {"children": []}, "zebra": {"stripes": 1, "_meta": None}},
                    }
                ]
            }
        )
    assert "children.0.tree.zebra._meta" in str(caught.value)


def test_an_attribute_hiding_a_name_a_later_annotation_uses_is_a_clear_error() -> None:
    # `list: ... = None` binds `list` in the class body, so `names: list[str]` after it would
    # fail at import; the generator says so instead.
    shadowing = ModelDef(
        name="Tasks",
        pointer="/$defs/Tasks",
        fields=(
            _field("list", Primitive(("boolean",)), required=False),
            _field("names", ArrayOf(Primitive(("string",)))),
        ),
        extra=None,
    )
    ir = replace(_recursive_ir(), definitions={"Tasks": shadowing})
    with pytest.raises(LoweringError, match=r"Tasks: attribute\(s\) \['list'\].*'names'"):
        emit_models(ir, commit="0" * 40, source_path="test")
    # The other order is fine: `list` is bound only after `names` is annotated.
    reordered = replace(shadowing, fields=tuple(reversed(shadowing.fields)))
    emit_models(replace(ir, definitions={"Tasks": reordered}), commit="0" * 40, source_path="test")
