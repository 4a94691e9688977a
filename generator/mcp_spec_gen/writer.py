"""Writer: format the emitted files with the pinned ruff and write or compare them.

Output is a function of the inputs only: files are formatted with ruff in isolated mode (no
user configuration), written in sorted order with "\n" line endings, and nothing else (no
timestamps, no absolute paths) enters them. The hand-written runtime joins the package as
relative symbolic links (`Link`), so it is edited in one place and never copied.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError, OutputError

RUFF_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py310")
# Imports are sorted by ruff's isort rules (pinned ruff, isolated config), never by hand.
RUFF_SORT_ARGS = (
    *RUFF_ARGS,
    *("--select", "I", "--fix", "--exit-zero", "--quiet"),
    *("--config", "lint.isort.combine-as-imports = true"),
)


@dataclass(frozen=True, slots=True)
class Link:
    """A relative symbolic link to a hand-written file or directory (`target`, absolute)."""

    target: Path

    def text_from(self, directory: Path) -> str:
        """The link's contents when it is placed in `directory`."""
        return Path(os.path.relpath(self.target, directory.absolute())).as_posix()


@dataclass(frozen=True, slots=True)
class Copy:
    """A hand-written file written verbatim (not reformatted): the runtime outside a project
    that has its sources."""

    text: str


Entry = str | Link | Copy
# Lists every path the generator wrote below an output directory: the only files it may
# change or delete there.
MANIFEST = ".mcp-spec-manifest.json"
MANIFEST_FORMAT = "mcp-spec generated tree 1"


def _ruff() -> list[str]:
    return [sys.executable, "-m", "ruff"]


def format_files(files: Mapping[str, Entry]) -> dict[str, Entry]:
    """The files formatted by ruff (Python files only), in one ruff run; links as they are."""
    verbatim = {relative: entry for relative, entry in files.items() if not isinstance(entry, str)}
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
    formatted.update(verbatim)
    return {relative: formatted[relative] for relative in sorted(formatted)}


def manifest_text(files: Mapping[str, Entry]) -> str:
    """The manifest of a tree holding `files` (deterministic: sorted paths only)."""
    data = {"format": MANIFEST_FORMAT, "files": sorted(files)}
    return json.dumps(data, indent=1) + "\n"


def read_manifest(root: Path) -> set[str] | None:
    """The paths the generator wrote below `root`, or None when `root` has no manifest."""
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, expected {MANIFEST_FORMAT!r}")
        names = data["files"]
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValueError('"files" is not a list of paths')
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutputError(
            f"unreadable manifest ({exc}): restore it from version control, or generate "
            "into a new directory",
            file=str(path),
        ) from None
    owned = {str(name) for name in names}
    for name in owned:
        if name.startswith("/") or ".." in Path(name).parts:
            raise OutputError(f"manifest lists a path outside the tree: {name!r}", file=str(path))
    return owned


def _current(path: Path) -> str | None:
    """What is at `path` now: a link's target, a file's text, or nothing."""
    if path.is_symlink():
        return os.readlink(path)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return None


def _wanted(entry: Entry, path: Path) -> str:
    if isinstance(entry, Link):
        return entry.text_from(path.parent)
    return entry.text if isinstance(entry, Copy) else entry


def _holds(path: Path, entry: Entry, *, absent: bool = False) -> bool:
    """Whether `path` already is `entry` (or, with `absent`, nothing is there)."""
    if not (path.is_symlink() or path.exists()):
        return absent
    return _current(path) == _wanted(entry, path) and path.is_symlink() == isinstance(entry, Link)


def _owned_before_writing(files: Mapping[str, Entry], root: Path) -> set[str]:
    """What the generator owns below `root`; refuses a tree it may not write into."""
    owned = read_manifest(root)
    if owned is None:
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise OutputError(
                f"{root} is not empty and has no {MANIFEST}, so mcp-spec did not write it: "
                "generate into a new or empty directory (nothing was changed)"
            )
        return set()
    foreign = sorted(
        relative
        for relative in files
        if relative not in owned and not _holds(root / relative, files[relative], absent=True)
    )
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        shown = ", ".join(foreign[:5]) + more
        raise OutputError(
            f"{root} holds files mcp-spec did not write where it would write: {shown}; "
            "move them away (or delete them if they are stale generated files) and run again "
            "(nothing was changed)"
        )
    return owned


def write_tree(files: Mapping[str, Entry], root: Path) -> list[str]:
    """Write `files` below `root`, delete what an earlier run wrote that is no longer
    generated, and record the paths in the manifest. Nothing else below `root` is touched;
    a non-empty `root` without a manifest is refused."""
    owned = _owned_before_writing(files, root)
    changed: list[str] = []
    for relative in sorted(files):
        path = root / relative
        entry = files[relative]
        if _holds(path, entry):
            continue
        wanted = _wanted(entry, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        if isinstance(entry, Link):
            os.symlink(wanted, path)
        else:
            path.write_text(wanted, encoding="utf-8", newline="\n")
        changed.append(relative)
    for stale in sorted(owned - set(files)):
        path = root / stale
        if path.is_symlink() or path.is_file():
            path.unlink()
            changed.append(stale)
            _remove_empty_parents(path.parent, root)
    manifest = root / MANIFEST
    text = manifest_text(files)
    if _current(manifest) != text:
        manifest.write_text(text, encoding="utf-8", newline="\n")
    return changed


def _remove_empty_parents(directory: Path, root: Path) -> None:
    """Remove `directory` and its parents up to `root` while they are empty (a stale file's
    directory, ignoring the bytecode cache Python leaves there)."""
    while directory != root and directory.is_dir() and not directory.is_symlink():
        rest = [child for child in directory.iterdir() if child.name != "__pycache__"]
        if rest:
            return
        shutil.rmtree(directory)
        directory = directory.parent


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file that differs from what would be generated."""

    path: str
    status: str  # "changed" | "missing" | "not generated" | "link changed"
    diff: str  # a unified diff (JSON compared pretty-printed), or a link's old -> new

    def summary(self) -> str:
        added = sum(1 for line in self.diff.splitlines() if line.startswith("+"))
        removed = sum(1 for line in self.diff.splitlines() if line.startswith("-"))
        if self.status == "changed":
            return f"{self.path}: changed (+{added - 1} -{removed - 1} lines)"
        return f"{self.path}: {self.status}"


def _diff_view(relative: str, text: str) -> list[str]:
    """The lines a diff shows: JSON pretty-printed (a bundle is written on one line), so a
    change names its keys instead of replacing one 40 KB line."""
    if relative.endswith(".json") and text:
        try:
            text = json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
        except ValueError:
            pass
    return text.splitlines(keepends=True)


def compare_tree(files: Mapping[str, Entry], root: Path) -> list[FileChange]:
    """Every difference between what is on disk below `root` and `files` (with the
    manifest); empty when the tree is fresh."""
    expected: dict[str, Entry] = {**files, MANIFEST: manifest_text(files)}
    owned = read_manifest(root) or set()
    changes: list[FileChange] = []
    for relative in sorted(set(expected) | owned):
        path = root / relative
        entry = expected.get(relative)
        is_link = path.is_symlink()
        old = _current(path)
        new = None if entry is None else _wanted(entry, path)
        if old == new and is_link == isinstance(entry, Link):
            continue
        if is_link or isinstance(entry, Link):
            status = "link changed" if old is not None and new is not None else None
            text = f"link {relative}: {old or 'absent'} -> {new or 'absent'}\n"
        else:
            status = None
            text = "".join(
                difflib.unified_diff(
                    _diff_view(relative, old or ""),
                    _diff_view(relative, new or ""),
                    fromfile=f"a/{relative}",
                    tofile=f"b/{relative}",
                )
            )
        if status is None:
            status = "missing" if old is None else "not generated" if new is None else "changed"
        changes.append(FileChange(relative, status, text))
    return changes


def diff_tree(files: Mapping[str, Entry], root: Path) -> str:
    """A unified diff from what is on disk below `root` to `files` ("" when fresh)."""
    return "".join(change.diff for change in compare_tree(files, root))


def remove_tree(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
