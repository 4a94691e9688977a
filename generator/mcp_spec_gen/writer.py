"""Writer: format the emitted files with the pinned ruff and write or compare them.

Output is a function of the inputs only: files are formatted with ruff in isolated mode (no
user configuration), written in sorted order with "\n" line endings, and nothing else (no
timestamps, no absolute paths) enters them. The hand-written runtime joins the package as
relative symbolic links (`Link`), so it is edited in one place and never copied.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Link:
    """A relative symbolic link to a hand-written file or directory (`target`, absolute)."""

    target: Path

    def text_from(self, directory: Path) -> str:
        """The link's contents when it is placed in `directory`."""
        return Path(os.path.relpath(self.target, directory.absolute())).as_posix()


Entry = str | Link


def _ruff() -> list[str]:
    return [sys.executable, "-m", "ruff"]


def format_files(files: Mapping[str, Entry]) -> dict[str, Entry]:
    """The files formatted by ruff (Python files only), in one ruff run; links as they are."""
    links = {relative: entry for relative, entry in files.items() if isinstance(entry, Link)}
    texts = {relative: entry for relative, entry in files.items() if isinstance(entry, str)}
    with tempfile.TemporaryDirectory(prefix="mcp-spec-") as temporary:
        root = Path(temporary)
        for relative, text in texts.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        python_files = sorted(relative for relative in texts if relative.endswith(".py"))
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
        formatted: dict[str, Entry] = {
            relative: (root / relative).read_text(encoding="utf-8") for relative in texts
        }
    formatted.update(links)
    return {relative: formatted[relative] for relative in sorted(formatted)}


def _owned_files(root: Path) -> set[str]:
    """Files with an owned suffix, and every symbolic link, below `root` (links not followed)."""
    owned: set[str] = set()
    if not root.is_dir():
        return owned
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(name for name in subdirectories if name != "__pycache__")
        for name in [*names, *subdirectories]:
            path = here / name
            if path.is_symlink() or (name in names and path.suffix in OWNED_SUFFIXES):
                owned.add(path.relative_to(root).as_posix())
    return owned


def _current(path: Path) -> Entry | None:
    """What is at `path` now: a file's text, a link, or nothing."""
    if path.is_symlink():
        return os.readlink(path)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return None


def _wanted(entry: Entry, path: Path) -> str:
    return entry.text_from(path.parent) if isinstance(entry, Link) else entry


def write_tree(files: Mapping[str, Entry], root: Path) -> list[str]:
    """Write `files` below `root` and delete owned files that are no longer generated."""
    changed: list[str] = []
    for relative in sorted(files):
        path = root / relative
        entry = files[relative]
        current = _current(path)
        wanted = _wanted(entry, path)
        if (
            current is not None
            and current == wanted
            and path.is_symlink() == isinstance(entry, Link)
        ):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        if isinstance(entry, Link):
            os.symlink(wanted, path)
        else:
            path.write_text(entry, encoding="utf-8", newline="\n")
        changed.append(relative)
    for stale in sorted(_owned_files(root) - set(files)):
        (root / stale).unlink()
        changed.append(stale)
    for directory in sorted((p for p in _directories(root)), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return changed


def _directories(root: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subdirectories, _ in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name != "__pycache__"]
        found.extend(Path(directory) / name for name in subdirectories)
    return [path for path in found if not path.is_symlink()]


def diff_tree(files: Mapping[str, Entry], root: Path) -> str:
    """A unified diff from what is on disk below `root` to `files` ("" when fresh)."""
    chunks: list[str] = []
    for relative in sorted(set(files) | _owned_files(root)):
        path = root / relative
        entry = files.get(relative)
        is_link = path.is_symlink()
        old = _current(path) or ""
        new = "" if entry is None else _wanted(entry, path)
        if is_link or isinstance(entry, Link):
            if old != new or is_link != isinstance(entry, Link):
                chunks.append(f"link {relative}: {old or 'absent'} -> {new or 'absent'}\n")
            continue
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
