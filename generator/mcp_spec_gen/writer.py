"""Writer: format the emitted files with the pinned ruff and write or compare them.

Output is a function of the inputs only: files are formatted with ruff in isolated mode (no
user configuration), written in sorted order with "\n" line endings, and nothing else (no
timestamps, no absolute paths) enters them.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import GeneratorError

RUFF_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py310")
# Imports are sorted by ruff's isort rules (pinned ruff, isolated config), never by hand.
RUFF_SORT_ARGS = (
    *RUFF_ARGS,
    *("--select", "I", "--fix", "--exit-zero", "--quiet"),
    *("--config", "lint.isort.combine-as-imports = true"),
)
# What the writer owns below the output root; anything else there is left alone.
OWNED_SUFFIXES = (".py", ".json", ".typed")


def _ruff() -> list[str]:
    return [sys.executable, "-m", "ruff"]


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """The files formatted by ruff (Python files only), in one ruff run."""
    with tempfile.TemporaryDirectory(prefix="mcp-spec-") as temporary:
        root = Path(temporary)
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        python_files = sorted(relative for relative in files if relative.endswith(".py"))
        if python_files:
            for command in (["check", *RUFF_SORT_ARGS], ["format", *RUFF_ARGS]):
                result = subprocess.run(
                    [*_ruff(), *command, *python_files],
                    cwd=root,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0:
                    raise GeneratorError(
                        f"ruff {command[0]} failed on generated code:\n"
                        f"{result.stdout}{result.stderr}"
                    )
        return {
            relative: (root / relative).read_text(encoding="utf-8") for relative in sorted(files)
        }


def _owned_files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and path.suffix in OWNED_SUFFIXES and "__pycache__" not in path.parts
    }


def write_tree(files: Mapping[str, str], root: Path) -> list[str]:
    """Write `files` below `root` and delete owned files that are no longer generated."""
    changed: list[str] = []
    for relative in sorted(files):
        path = root / relative
        text = files[relative]
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        changed.append(relative)
    for stale in sorted(_owned_files(root) - set(files)):
        (root / stale).unlink()
        changed.append(stale)
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if directory.name == "__pycache__":
            continue
        if not any(directory.iterdir()):
            directory.rmdir()
    return changed


def diff_tree(files: Mapping[str, str], root: Path) -> str:
    """A unified diff from what is on disk below `root` to `files` ("" when fresh)."""
    chunks: list[str] = []
    for relative in sorted(set(files) | _owned_files(root)):
        path = root / relative
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = files.get(relative, "")
        if old != new:
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{relative}",
                    tofile=f"b/{relative}",
                )
            )
    return "".join(chunks)


def remove_tree(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
