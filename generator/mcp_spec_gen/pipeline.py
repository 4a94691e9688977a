"""The pipeline: pins -> ingest -> errata -> IR -> passes -> emitters -> files.

`build_revision` gives one revision's IR; `generate` gives every generated file as text,
formatted and ready for the writer. Nothing here writes to disk.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, distribution, passes
from .emit_models import model_exports
from .emitters import REVISION_EMITTERS, EmitContext, facts_era
from .errata import Patch, apply_errata, load_errata
from .errors import GeneratorError
from .ingest import Bounds, ingest
from .ir import AliasDef, AppliedPatch, Definition, ModelDef, Ref, RevisionIR
from .lower import Lowerer
from .methods import load_method_facts, method_rows
from .naming import revision_module
from .passes import deprecation_message
from .pins import Pins, RevisionPin, load_pins
from .project import current_project, resource
from .render import render_template
from .schema_walk import without_annotations
from .sources import read_schema_bytes
from .writer import Copy, Entry, Link, format_files

PACKAGE = "mcp_spec"
LATEST = "2026-07-28"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class GeneratorOptions:
    source: str | None = None  # read schemas from here instead of the cache
    bounds: Bounds = Bounds()
    # Copy the runtime even where the project has its sources (a tree to ship as an sdist).
    copy_runtime: bool = False


def build_revision(
    pins: Pins,
    pin: RevisionPin,
    patches: tuple[Patch, ...],
    options: GeneratorOptions = GeneratorOptions(),
) -> RevisionIR:
    data, file = read_schema_bytes(pins, pin, options.source)
    ingested = ingest(data, revision=pin.revision, file=file, bounds=options.bounds)
    patched, applied = apply_errata(ingested.document, patches, revision=pin.revision, file=file)
    definitions, inline = Lowerer(
        patched, ingested.definitions_keyword, revision=pin.revision, file=file
    ).lower()
    everything = {**definitions, **inline}
    everything = passes.assign_attribute_names(everything, revision=pin.revision, file=file)
    everything = passes.clean_descriptions(everything)
    everything = passes.find_discriminators(everything)
    everything = passes.apply_deprecations(everything, pin.revision, load_deprecations())
    return RevisionIR(
        revision=pin.revision,
        module=revision_module(pin.revision),
        dialect=ingested.dialect,
        sha256=pin.sha256,
        definitions={name: everything[name] for name in definitions},
        inline={name: _as_model(everything[name]) for name in inline},
        patches=tuple(
            AppliedPatch(id=patch.id, kind=patch.kind, pointer=patch.pointer, reason=patch.reason)
            for patch in applied
        ),
        bundle=without_annotations(patched),
    )


def _as_model(definition: Definition) -> ModelDef:
    assert isinstance(definition, ModelDef), "passes keep inline models as models"
    return definition


def load_deprecations() -> list[dict[str, object]]:
    path = current_project().schema_dir / "deprecations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["deprecations"])


def _public_names(path: Path) -> list[str]:
    """The `__all__` of a runtime module, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return sorted(str(name) for name in value)
    raise GeneratorError("runtime module has no literal __all__", file=str(path))


def _runtime_entries(
    copy_runtime: bool = False,
) -> tuple[dict[str, Entry], list[tuple[str, list[str]]]]:
    """The hand-written runtime's modules and subpackages, and the public ones' `__all__`
    (which `mcp_spec` re-exports lazily).

    In a project that has the runtime's sources (this repository) they join the package as
    relative symbolic links, edited in one place and never copied. Elsewhere (a generator
    installed from its wheel) they are copies of the runtime the generator ships, so the
    written tree is a package on its own that no upgrade of the generator can break.
    `copy_runtime` copies in any project (an sdist must not hold links out of its tree).
    """
    project = current_project()
    runtime_dir = project.runtime_dir
    entries: dict[str, Entry] = {}
    lazy: list[tuple[str, list[str]]] = []
    for path in sorted(runtime_dir.iterdir()):
        if path.name == "__pycache__" or not (
            path.suffix == ".py" or (path / "__init__.py").is_file()
        ):
            continue
        if project.owns_runtime and not copy_runtime:
            entries[f"{PACKAGE}/{path.name}"] = Link(path.resolve())
        else:
            entries.update(_copies(path, f"{PACKAGE}/{path.name}"))
        if not path.name.startswith("_"):
            module = path / "__init__.py" if path.is_dir() else path
            lazy.append((path.stem, _public_names(module)))
    return entries, lazy


def _copies(path: Path, relative: str) -> dict[str, Entry]:
    """A `Copy` of the runtime file `path`, or of every Python file below the directory."""
    if path.is_file():
        return {relative: Copy(path.read_text(encoding="utf-8"))}
    return {
        f"{relative}/{file.relative_to(path).as_posix()}": Copy(file.read_text(encoding="utf-8"))
        for file in sorted(path.rglob("*.py"))
        if "__pycache__" not in file.parts
    }


def generate(
    pins: Pins | None = None,
    options: GeneratorOptions = GeneratorOptions(),
    progress: Progress | None = None,
) -> dict[str, Entry]:
    """Every file of the generated package, keyed by path relative to `generated/`: text,
    or a `Link` to the hand-written runtime."""
    pins = pins or load_pins()
    patches = load_errata()
    files, lazy = _runtime_entries(options.copy_runtime)
    facts = load_method_facts()
    eras: list[tuple[str, str]] = []
    revision_modules: list[tuple[str, str]] = []
    latest_exports: list[str] = []
    latest_deprecated: list[tuple[str, str]] = []
    for pin in pins.revisions:
        if progress:
            progress(pin.revision)
        ir = build_revision(pins, pin, patches, options)
        revision_modules.append((ir.revision, ir.module))
        deprecated_aliases = [
            (
                name,
                json.dumps(
                    deprecation_message(definition.deprecation, f"`{name}`", ir.revision),
                    ensure_ascii=False,
                ),
            )
            for name, definition in ir.definitions.items()
            if isinstance(definition, AliasDef)
            and definition.deprecation is not None
            and not isinstance(definition.type, Ref)
        ]
        exports = [name for name in model_exports(ir) if name not in dict(deprecated_aliases)]
        era = facts_era(ir.revision, facts)
        eras.append((ir.revision, era))
        context = EmitContext(
            commit=pins.commit,
            pin=pin,
            era=era,
            method_rows=tuple(method_rows(ir, facts)),
            deprecated_types=ir.deprecated_definitions(),
        )
        prefix = f"{PACKAGE}/{ir.module}"
        produced: dict[str, str] = {}
        for emitter in REVISION_EMITTERS:
            produced.update(emitter(ir, context))
        files.update({f"{prefix}/{name}": text for name, text in produced.items()})
        files[f"{prefix}/__init__.py"] = render_template(
            "revision/__init__.py.jinja",
            revision=ir.revision,
            module=ir.module,
            alias_of=None,
            submodules=sorted(
                f"`{name.removesuffix('.py')}`"
                for name in produced
                if name.endswith(".py") and name != "models.py"
            ),
            exports=exports,
            deprecated=sorted(deprecated_aliases),
        )
        if ir.revision == LATEST:
            latest_exports = exports
            latest_deprecated = sorted(deprecated_aliases)
    if not latest_exports:
        raise GeneratorError(f"the pins have no revision {LATEST}, the latest")
    files[f"{PACKAGE}/latest.py"] = render_template(
        "package/latest.py.jinja",
        revision=LATEST,
        module=revision_module(LATEST),
        exports=latest_exports,
        deprecated=latest_deprecated,
    )
    all_names = sorted(
        [module for _, module in revision_modules]
        + ["latest"]
        + [name for _, names in lazy for name in names]
    )
    if len(all_names) != len(set(all_names)):
        raise GeneratorError(f"runtime modules export clashing names: {all_names}")
    files[f"{PACKAGE}/__init__.py"] = render_template(
        "package/__init__.py.jinja",
        commit=pins.commit,
        version=__version__,
        latest_module=revision_module(LATEST),
        submodules=[module for _, module in revision_modules] + ["latest"],
        lazy_attributes=lazy,
        revision_modules=revision_modules,
        all_names=all_names,
    )
    files[f"{PACKAGE}/versions.py"] = render_template(
        "package/versions.py.jinja",
        versions=[rev for rev, _ in revision_modules if rev != "draft"],
        latest=LATEST,
        eras=eras,
        modules=revision_modules,
    )
    files[f"{PACKAGE}/py.typed"] = ""
    files.update(_distribution_files(pins.commit, revision_modules))
    return format_files(files)


def _distribution_files(commit: str, revision_modules: list[tuple[str, str]]) -> dict[str, Entry]:
    """pyproject.toml, README.md and the licence files: the tree is the runtime distribution."""
    python_range = f"3.{distribution.PYTHON_MINORS[0]} to 3.{distribution.PYTHON_MINORS[-1]}"
    files: dict[str, Entry] = {
        "pyproject.toml": render_template(
            "package/pyproject.toml.jinja",
            version=__version__,
            requires_python=distribution.PYTHON_RANGE,
            python_minors=distribution.PYTHON_MINORS,
            dependencies=distribution.RUNTIME_DEPENDENCIES,
            strategies=distribution.STRATEGIES_DEPENDENCIES,
            urls=distribution.URLS,
        ),
        "README.md": render_template(
            "package/README.md.jinja",
            commit=commit,
            version=__version__,
            revision_modules=revision_modules,
            latest=LATEST,
            python_range=python_range,
            documentation=distribution.URLS[0][1],
        ),
    }
    for name in distribution.LEGAL_FILES:
        files[name] = Copy(resource(name).read_text(encoding="utf-8"))
    return files
