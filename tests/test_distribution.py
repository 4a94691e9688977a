"""The installed-product side: project discovery, `generate --output` ownership (manifest),
the CLI's exit codes and JSON errors, `check`'s per-file summary, `diff` normalisation,
`pin` validation, error messages that say the fix, and the two distributions' metadata."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mcp_spec
from mcp_spec_gen import __version__, distribution
from mcp_spec_gen.cli import app
from mcp_spec_gen.diff import diff_revisions
from mcp_spec_gen.errors import OutputError, ProjectError
from mcp_spec_gen.ir import AliasDef, UnionOf
from mcp_spec_gen.pipeline import _runtime_entries  # pyright: ignore[reportPrivateUsage]
from mcp_spec_gen.project import (
    DECLARATIONS,
    PROJECT_ENV,
    Project,
    current_project,
    find_project,
    use_project,
)
from mcp_spec_gen.reference import revision_ir
from mcp_spec_gen.writer import MANIFEST, Copy, Link, write_tree

from .conftest import REPO, SOURCE

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_project() -> Iterator[None]:
    """Each test finds the project anew and leaves none behind."""
    use_project(None)
    yield
    use_project(None)


# --- generate --output owns only what it wrote -------------------------------------------

SMALL_TREE = {
    "mcp_spec/__init__.py": "VALUE = 1\n",
    "mcp_spec/old.py": "OLD = 1\n",
    "pyproject.toml": "[project]\n",
}


def test_generate_refuses_a_non_empty_directory_it_does_not_own(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('mine')\n")
    (tmp_path / "config.json").write_text("{}\n")
    result = runner.invoke(app, ["generate", "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty and has no .mcp-spec-manifest.json" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["app.py", "config.json"]
    assert (tmp_path / "app.py").read_text() == "print('mine')\n"


def test_regeneration_leaves_foreign_files_alone_and_removes_only_its_own(tmp_path: Path) -> None:
    write_tree(SMALL_TREE, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["files"] == sorted(SMALL_TREE)
    foreign = {
        "app.py": "print('mine')\n",
        "config.json": '{"mine": true}\n',
        "mcp_spec/local_patch.py": "PATCH = 1\n",
        "mcp_spec/notes.typed": "",
    }
    for relative, text in foreign.items():
        (tmp_path / relative).write_text(text)
    newer = {key: value for key, value in SMALL_TREE.items() if key != "mcp_spec/old.py"}
    changed = write_tree({**newer, "mcp_spec/__init__.py": "VALUE = 2\n"}, tmp_path)
    assert changed == ["mcp_spec/__init__.py", "mcp_spec/old.py"]
    assert not (tmp_path / "mcp_spec" / "old.py").exists()  # it wrote it, it removes it
    for relative, text in foreign.items():
        assert (tmp_path / relative).read_text() == text
    assert json.loads((tmp_path / MANIFEST).read_text())["files"] == sorted(newer)


def test_a_foreign_file_where_a_generated_one_goes_is_refused(tmp_path: Path) -> None:
    write_tree(SMALL_TREE, tmp_path)
    (tmp_path / "mcp_spec" / "new.py").write_text("MINE = 1\n")
    with pytest.raises(OutputError, match=r"did not write where it would write: mcp_spec/new.py"):
        write_tree({**SMALL_TREE, "mcp_spec/new.py": "GENERATED = 1\n"}, tmp_path)
    assert (tmp_path / "mcp_spec" / "new.py").read_text() == "MINE = 1\n"
    # The same content is no conflict: nothing would be lost by adopting it.
    (tmp_path / "mcp_spec" / "new.py").write_text("GENERATED = 1\n")
    write_tree({**SMALL_TREE, "mcp_spec/new.py": "GENERATED = 1\n"}, tmp_path)
    assert "mcp_spec/new.py" in json.loads((tmp_path / MANIFEST).read_text())["files"]


def test_a_manifest_naming_paths_outside_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text(
        json.dumps({"format": "mcp-spec generated tree 1", "files": ["../victim.py"]})
    )
    with pytest.raises(OutputError, match="outside the tree"):
        write_tree(SMALL_TREE, tmp_path)


# --- project directory ------------------------------------------------------------------


def test_the_project_is_found_from_a_subdirectory() -> None:
    assert find_project(REPO / "tests" / "snapshots").root == REPO


def test_no_project_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    with pytest.raises(ProjectError, match=r"run `mcp-spec init` to create one here"):
        find_project(tmp_path, fallback=False)
    result = runner.invoke(app, ["--project", str(tmp_path), "sync"])
    assert result.exit_code == 2 and "mcp-spec init" in result.stderr


def test_init_makes_a_project_whose_runtime_is_copied(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    for name in DECLARATIONS:
        shipped = (REPO / "schema" / name).read_text()
        assert (tmp_path / "schema" / name).read_text() == shipped
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "already has pins.json" in again.stderr
    use_project(find_project(explicit=tmp_path))
    assert current_project() == Project(tmp_path.absolute())
    entries, _ = _runtime_entries()
    # Outside a project with runtime sources, the tree holds copies (no link into an install).
    assert entries and all(isinstance(entry, Copy) for entry in entries.values())
    messages = entries["mcp_spec/messages.py"]
    assert isinstance(messages, Copy)
    assert messages.text == (REPO / "runtime" / "mcp_spec" / "messages.py").read_text()


def test_in_this_repository_the_runtime_is_linked() -> None:
    entries, _ = _runtime_entries()
    assert all(isinstance(entry, Link) for entry in entries.values())
    copies, _ = _runtime_entries(copy_runtime=True)
    assert all(isinstance(entry, Copy) for entry in copies.values())


# --- CLI consistency ----------------------------------------------------------------------


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"mcp-spec {__version__}\n"
    assert mcp_spec.__version__ == __version__


def test_every_command_has_help_and_flags_take_no_value() -> None:
    for command in ("init", "sync", "generate", "check", "pin", "diff", "validate", "fuzz"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout, command
        assert "<bool>" not in result.stdout and "BOOLEAN" not in result.stdout, command


def test_input_errors_exit_2_everywhere_and_are_json_with_json(tmp_path: Path) -> None:
    document = tmp_path / "tool.json"
    document.write_text('{"name": "x", "inputSchema": {"type": "object"}}')
    cases = [
        ["validate", str(document), "-r", "1999-01-01", "--def", "Tool", "--json"],
        ["validate", str(document), "-r", "latest", "--def", "NoSuchThing", "--json"],
        ["validate", str(tmp_path / "missing.json"), "-r", "latest", "--def", "Tool", "--json"],
        ["diff", "2025-11-25", "1999-01-01", "--json"],
    ]
    for arguments in cases:
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2, (arguments, result.output)
        error = json.loads(result.stdout)["error"]
        assert error["message"], arguments
    plain = runner.invoke(app, ["diff", "2025-11-25", "1999-01-01"])
    assert plain.exit_code == 2 and "error: unknown revision '1999-01-01'" in plain.stderr
    assert runner.invoke(app, ["fuzz", "--revision", "1999-01-01"]).exit_code == 2


def test_latest_is_a_revision_name() -> None:
    result = runner.invoke(app, ["diff", "latest", "draft", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["old"], data["new"]) == ("2026-07-28", "draft")


def test_check_summarises_each_stale_file(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    assert runner.invoke(app, ["generate", "--output", str(output)]).exit_code == 0
    bundle = output / "mcp_spec" / "v2026_07_28" / "validation.json"
    data = json.loads(bundle.read_text())
    data["$defs"]["Cursor"]["type"] = "integer"
    bundle.write_text(json.dumps(data, separators=(",", ":")))
    (output / "mcp_spec" / "versions.py").unlink()
    result = runner.invoke(app, ["check", "--output", str(output)])
    assert result.exit_code == 1
    assert "mcp_spec/v2026_07_28/validation.json: changed (+1 -1 lines)" in result.stderr
    assert "mcp_spec/versions.py: missing" in result.stderr
    # The one-line bundle is compared pretty-printed: the diff shows the changed key.
    assert '-   "type": "integer"' in result.stdout and '+   "type": "string"' in result.stdout
    as_json = runner.invoke(app, ["check", "--output", str(output), "--json"])
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and report["fresh"] is False
    assert {"path": "mcp_spec/versions.py", "status": "missing"} in report["files"]


def test_diff_ignores_union_order() -> None:
    ir = revision_ir("2025-11-25")
    name, union = next(
        (name, definition)
        for name, definition in ir.definitions.items()
        if isinstance(definition, AliasDef)
        and isinstance(definition.type, UnionOf)
        and len(definition.type.members) > 2
    )
    assert isinstance(union, AliasDef) and isinstance(union.type, UnionOf)
    reordered = replace(union.type, members=tuple(reversed(union.type.members)))
    shuffled = replace(ir, definitions={**ir.definitions, name: replace(union, type=reordered)})
    assert diff_revisions(ir, shuffled, [], [], frozenset()).changed == {}
    narrowed = replace(union.type, members=union.type.members[1:])
    smaller = replace(ir, definitions={**ir.definitions, name: replace(union, type=narrowed)})
    assert name in diff_revisions(ir, smaller, [], [], frozenset()).changed


# --- errors that say the fix --------------------------------------------------------------


def test_a_missing_source_names_the_setting(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sync", "--source", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "schema source is not a directory" in result.stderr
    assert "MCP_SPEC_SOURCE" in result.stderr and "--source" in result.stderr


def test_a_stale_cache_says_run_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCP_SPEC_SOURCE", raising=False)  # read the cache, not a source
    project = tmp_path / "project"
    assert runner.invoke(app, ["init", str(project)]).exit_code == 0
    cached = project / "schema" / "cache" / "2024-11-05" / "schema.json"
    cached.parent.mkdir(parents=True)
    cached.write_text("{}")
    result = runner.invoke(app, ["--project", str(project), "diff", "2024-11-05", "draft"])
    assert result.exit_code == 2
    assert "sha256 mismatch" in result.stderr and "run `mcp-spec sync`" in result.stderr


def test_pin_refuses_a_truncated_schema(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for revision in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28", "draft"):
        target = source / "schema" / revision / "schema.json"
        target.parent.mkdir(parents=True)
        shutil.copy(SOURCE / "schema" / revision / "schema.json", target)
    broken = source / "schema" / "2025-06-18" / "schema.json"
    broken.write_bytes(broken.read_bytes()[:5000])
    pins_file = tmp_path / "pins.json"
    shutil.copy(REPO / "schema" / "pins.json", pins_file)
    before = pins_file.read_text()
    result = runner.invoke(
        app,
        ["pin", "--commit", "b" * 40, "--source", str(source), "--pins-file", str(pins_file)],
    )
    assert result.exit_code == 2
    assert "2025-06-18" in result.stderr and "not pinned" in result.stderr
    assert pins_file.read_text() == before


# --- the two distributions ------------------------------------------------------------------


def _names(requirements: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for requirement in requirements:
        match = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement)
        assert match is not None
        found[match.group(1).lower().replace("_", "-")] = requirement
    return found


def test_runtime_metadata_has_ranges_and_no_command() -> None:
    requirements = importlib.metadata.requires("mcp-spec") or []
    runtime = [item for item in requirements if "extra ==" not in item]
    assert sorted(_names(runtime)) == sorted(_names(list(distribution.RUNTIME_DEPENDENCIES)))
    assert not [item for item in runtime if "==" in item], runtime  # ranges, never pins
    assert not importlib.metadata.distribution("mcp-spec").entry_points
    metadata = importlib.metadata.metadata("mcp-spec")
    assert metadata["Requires-Python"] == ">=3.10"
    assert "Programming Language :: Python :: 3.13" in metadata.get_all("Classifier", [])


def test_the_generator_requires_what_the_generated_package_needs() -> None:
    generator = _names(importlib.metadata.requires("mcp-spec-generator") or [])
    for requirement in distribution.RUNTIME_DEPENDENCIES + distribution.STRATEGIES_DEPENDENCIES:
        ((name, _),) = _names([requirement]).items()
        assert _specifiers(generator.get(name, "")) == _specifiers(requirement), name


def _specifiers(requirement: str) -> set[str]:
    """`pydantic>=2.11,<3` -> {">=2.11", "<3"} (metadata may reorder them)."""
    bare = re.sub(r"^[A-Za-z0-9_.-]+", "", requirement.replace(" ", ""))
    return set(bare.split(","))
