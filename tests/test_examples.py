"""Every official example validates against the model of its folder's name and round-trips."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from .conftest import MODULES, example_files, load_json

EXAMPLES = example_files()


def test_all_official_examples_are_found() -> None:
    # 129 per modern revision at the pinned commit.
    assert len(EXAMPLES) == 258


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # deprecated types have examples too
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}")
def test_example_validates_and_round_trips(path: Path) -> None:
    revision, type_name = path.parts[-4], path.parts[-2]
    module = importlib.import_module(f"mcp_spec.{MODULES[revision]}")
    adapter: TypeAdapter[object] = TypeAdapter(getattr(module, type_name))
    data = load_json(path)
    value = adapter.validate_python(data)
    dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    assert dumped == data
    # Bytes in, bytes out: the JSON path agrees with the Python path.
    assert adapter.validate_json(path.read_bytes()) == value
