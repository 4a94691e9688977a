"""Where the generator works: the project directory, and the files the generator ships.

A project directory holds `schema/` (pins.json, errata.json, methods.json, deprecations.json,
deviations.json and the git-ignored cache/) and `generated/`, the default output; this
repository is one. The generator finds it from `--project`, else `$MCP_SPEC_PROJECT`, else
the nearest directory at or above the working directory that has `schema/pins.json`, else
the source checkout an editable install runs from. It never uses its own install location
(site-packages) as a project.

The generator also ships read-only resources: the jinja2 templates, the hand-written runtime
(`runtime/mcp_spec`), the licence files and the declarations `mcp-spec init` starts a
project with. A wheel holds them under `mcp_spec_gen/_data/`; a source checkout at its root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError

PROJECT_ENV = "MCP_SPEC_PROJECT"
PINS_RELATIVE = Path("schema") / "pins.json"
# The declarations a project needs besides its cache (`mcp-spec init` copies them).
DECLARATIONS = (
    "pins.json",
    "errata.json",
    "methods.json",
    "deprecations.json",
    "deviations.json",
)
_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_data"
_CHECKOUT = _PACKAGE_DIR.parents[1]


def resource(name: str) -> Path:
    """A file or directory the generator ships (`templates`, `runtime`, `schema`, `LICENSE`,
    ...): from the wheel's `_data`, else from the source checkout this module runs from (an
    editable install)."""
    for base in (_BUNDLED, _CHECKOUT):
        if (base / name).exists():
            return base / name
    raise ProjectError(
        f"the generator's {name} is missing from {_BUNDLED} and {_CHECKOUT}: "
        "reinstall mcp-spec-generator"
    )


@dataclass(frozen=True, slots=True)
class Project:
    root: Path

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def pins_file(self) -> Path:
        return self.schema_dir / "pins.json"

    @property
    def cache_dir(self) -> Path:
        return self.schema_dir / "cache"

    @property
    def generated_dir(self) -> Path:
        return self.root / "generated"

    @property
    def runtime_dir(self) -> Path:
        """The hand-written runtime: the project's own `runtime/mcp_spec` when it has one
        (this repository), else the copy the generator ships."""
        own = self.root / "runtime" / "mcp_spec"
        return own if own.is_dir() else resource("runtime") / "mcp_spec"

    @property
    def owns_runtime(self) -> bool:
        """Whether the runtime is part of this project (then generated trees link to it)."""
        return (self.root / "runtime" / "mcp_spec").is_dir()


def _is_project(directory: Path) -> bool:
    return (directory / PINS_RELATIVE).is_file()


def _is_site_packages(directory: Path) -> bool:
    return any(part in ("site-packages", "dist-packages") for part in directory.parts)


def find_project(
    start: Path | None = None, explicit: Path | None = None, *, fallback: bool = True
) -> Project:
    """The project: `explicit`, else $MCP_SPEC_PROJECT, else the nearest one at or above
    `start` (the working directory), else (with `fallback`) the checkout of an editable
    install."""
    given = explicit or (Path(os.environ[PROJECT_ENV]) if os.environ.get(PROJECT_ENV) else None)
    if given is not None:
        root = given.absolute()
        if not _is_project(root):
            how = "--project" if explicit is not None else f"${PROJECT_ENV}"
            raise ProjectError(
                f"{root} (from {how}) is not an mcp-spec project: it has no {PINS_RELATIVE}; "
                f"run `mcp-spec init {root}` to make it one"
            )
        return Project(root)
    here = (start or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        if _is_project(directory) and not _is_site_packages(directory):
            return Project(directory)
    if fallback and _is_project(_CHECKOUT) and not _is_site_packages(_CHECKOUT):
        return Project(_CHECKOUT)
    raise ProjectError(
        f"no mcp-spec project (a directory with {PINS_RELATIVE}) at or above {here}: "
        f"run `mcp-spec init` to create one here, or pass --project DIR (or set ${PROJECT_ENV})"
    )


_current: Project | None = None


def use_project(project: Project | None) -> None:
    """Set the project every default path refers to (None: find it again on next use)."""
    global _current
    _current = project


def current_project() -> Project:
    """The project in use, found (and remembered) on first call."""
    global _current
    if _current is None:
        _current = find_project()
    return _current
