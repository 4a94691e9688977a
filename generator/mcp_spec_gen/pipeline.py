"""The pipeline: pins -> ingest -> errata -> IR -> passes -> emitters -> files.

`build_revision` gives one revision's IR; `generate` gives every generated file as text,
formatted and ready for the writer. Nothing here writes to disk.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, distribution, passes
from .emit_models import model_exports
from .emit_validators import format_problems
from .emitters import REVISION_EMITTERS, EmitContext
from .errata import Patch, apply_errata, load_errata
from .errors import GeneratorError, LoweringError, PinError
from .ingest import Bounds, ingest
from .ir import AliasDef, AppliedPatch, Definition, ModelDef, Ref, RevisionIR
from .lower import Lowerer
from .methods import (
    MethodFacts,
    MethodRow,
    load_method_facts,
    method_rows,
    schema_era,
    schema_wire_version,
)
from .naming import revision_module
from .passes import deprecation_message
from .pins import Pins, RevisionPin, load_pins, sha256_hex
from .problems import Problems
from .project import current_project, resource
from .reach import DRAFT, parse_reach, revision_key
from .render import render_template
from .schema_walk import without_annotations
from .sources import read_schema_bytes
from .writer import Copy, Entry, Link, format_files

PACKAGE = "mcp_spec"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A schema given directly (a trial): its bytes and where they came from. It is not
    checked against a pin: trying an unpinned file is the point."""

    data: bytes
    file: str


@dataclass(frozen=True, slots=True)
class GeneratorOptions:
    source: str | None = None  # read schemas from here instead of the cache
    bounds: Bounds = Bounds()
    # Copy the runtime even where the project has its sources (a tree to ship as an sdist).
    copy_runtime: bool = False
    # Revisions read from these instead of the source or cache (trial mode).
    candidates: Mapping[str, Candidate] = field(default_factory=dict[str, Candidate])


@dataclass(frozen=True, slots=True)
class Facts:
    """What the repository declares beside the schemas: errata, deprecations, method facts."""

    patches: tuple[Patch, ...]
    deprecations: tuple[dict[str, object], ...]
    methods: MethodFacts

    @classmethod
    def load(cls) -> Facts:
        return cls(load_errata(), tuple(load_deprecations()), load_method_facts())


@dataclass(frozen=True, slots=True)
class RevisionBuild:
    """One revision, built and checked: the IR, its era, wire version and method table."""

    ir: RevisionIR
    era: str
    wire_version: str
    method_rows: tuple[MethodRow, ...]


def latest_revision(pins: Pins) -> str:
    """The newest dated revision of the pins: what `mcp_spec.latest` is."""
    dated = [pin.revision for pin in pins.revisions if pin.revision != DRAFT]
    if not dated:
        raise PinError("the pins have no dated revision to be the latest")
    return max(dated, key=revision_key)


def _read(pins: Pins, pin: RevisionPin, options: GeneratorOptions) -> tuple[bytes, str]:
    candidate = options.candidates.get(pin.revision)
    if candidate is not None:
        return candidate.data, candidate.file
    return read_schema_bytes(pins, pin, options.source)


def lower_revision(
    pins: Pins,
    pin: RevisionPin,
    facts: Facts,
    problems: Problems,
    options: GeneratorOptions = GeneratorOptions(),
) -> RevisionIR | None:
    """The IR of one revision, every problem found on the way added to `problems`; None when
    the file cannot be read or ingested. When a definition cannot be lowered the IR lacks it
    (`RevisionIR.complete` is False): later checks still run on the rest, so one run finds
    every problem, but nothing is emitted from it."""
    try:
        data, file = _read(pins, pin, options)
        ingested = ingest(data, revision=pin.revision, file=file, bounds=options.bounds)
    except GeneratorError as problem:
        problems.add(problem)
        return None
    patched, applied = apply_errata(
        ingested.document, facts.patches, revision=pin.revision, file=file, problems=problems
    )
    lowerer = Lowerer(patched, ingested.definitions_keyword, revision=pin.revision, file=file)
    definitions, inline = lowerer.lower()
    for problem in lowerer.problems:
        problems.add(problem)
    everything: dict[str, Definition] = {**definitions, **inline}
    try:
        everything = passes.assign_attribute_names(everything, revision=pin.revision, file=file)
    except GeneratorError as problem:
        problems.add(problem)
    everything = passes.clean_descriptions(everything)
    everything = passes.find_discriminators(everything)
    everything = passes.apply_deprecations(
        everything,
        pin.revision,
        list(facts.deprecations),
        problems,
        unlowered=frozenset(lowerer.unlowered),
    )
    return RevisionIR(
        revision=pin.revision,
        module=revision_module(pin.revision),
        dialect=ingested.dialect,
        sha256=pin.sha256 or sha256_hex(data),
        definitions={name: everything[name] for name in definitions},
        inline={name: _as_model(everything[name]) for name in inline},
        patches=tuple(
            AppliedPatch(id=patch.id, kind=patch.kind, pointer=patch.pointer, reason=patch.reason)
            for patch in applied
        ),
        bundle=without_annotations(patched),
        complete=not lowerer.problems,
    )


def check_revision(
    pins: Pins,
    pin: RevisionPin,
    facts: Facts,
    problems: Problems,
    options: GeneratorOptions = GeneratorOptions(),
) -> RevisionBuild | None:
    """`lower_revision`, then the era, wire version, method table and format checks."""
    ir = lower_revision(pins, pin, facts, problems, options)
    if ir is None:
        return None
    era = schema_era(ir)
    if era is None:
        problems.add(
            LoweringError(
                "cannot tell the era: the schema has no `initialize` request (legacy) and "
                "not both `server/discover` and a per-request protocol version in `_meta` "
                "(modern)",
                revision=pin.revision,
            )
        )
    rows = method_rows(ir, facts.methods, problems, modern=era == "modern")
    for problem in format_problems(ir):
        problems.add(problem)
    if era is None or not ir.complete:
        return None
    return RevisionBuild(
        ir=ir,
        era=era,
        wire_version=schema_wire_version(ir, latest_revision(pins)),
        method_rows=tuple(rows),
    )


def build_revision(
    pins: Pins,
    pin: RevisionPin,
    patches: tuple[Patch, ...] | None = None,
    options: GeneratorOptions = GeneratorOptions(),
) -> RevisionIR:
    """The IR of one revision; every problem found raised together."""
    facts = Facts.load()
    if patches is not None:
        facts = replace(facts, patches=patches)
    problems = Problems()
    ir = lower_revision(pins, pin, facts, problems, options)
    problems.raise_if_any()
    assert ir is not None and ir.complete, "a revision without problems has a complete IR"
    return ir


def build_one(
    pins: Pins, pin: RevisionPin, options: GeneratorOptions = GeneratorOptions()
) -> RevisionBuild:
    """One revision built and checked (IR, era, method table); its problems raised together."""
    problems = Problems()
    build = check_revision(pins, pin, Facts.load(), problems, options)
    problems.raise_if_any()
    assert build is not None, "a revision without problems is built"
    return build


def _as_model(definition: Definition) -> ModelDef:
    assert isinstance(definition, ModelDef), "passes keep inline models as models"
    return definition


def load_deprecations(path: Path | None = None) -> list[dict[str, object]]:
    """The declared deprecations, each with its parsed `reach`."""
    path = path or current_project().schema_dir / "deprecations.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries: list[dict[str, object]] = [dict(entry) for entry in data["deprecations"]]
        for entry in entries:
            entry["reach"] = parse_reach(entry["revisions"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LoweringError(f"cannot read deprecations: {exc}", file=str(path)) from None
    return entries


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


def build_all(
    pins: Pins,
    options: GeneratorOptions = GeneratorOptions(),
    progress: Progress | None = None,
    facts: Facts | None = None,
) -> list[RevisionBuild]:
    """Every pinned revision built and checked; all problems of all revisions raised at once."""
    facts = facts or Facts.load()
    problems = Problems()
    builds: list[RevisionBuild] = []
    for pin in pins.revisions:
        if progress:
            progress(pin.revision)
        build = check_revision(pins, pin, facts, problems, options)
        if build is not None:
            builds.append(build)
    problems.raise_if_any()
    return builds


def generate(
    pins: Pins | None = None,
    options: GeneratorOptions = GeneratorOptions(),
    progress: Progress | None = None,
    facts: Facts | None = None,
    builds: list[RevisionBuild] | None = None,
) -> dict[str, Entry]:
    """Every file of the generated package, keyed by path relative to `generated/`: text,
    or a `Link` to the hand-written runtime. `builds` (from `build_all`) saves rebuilding."""
    pins = pins or load_pins()
    latest = latest_revision(pins)
    if builds is None:
        builds = build_all(pins, options, progress, facts)
    files, lazy = _runtime_entries(options.copy_runtime)
    eras: list[tuple[str, str]] = []
    wire_versions: list[tuple[str, str]] = []
    revision_modules: list[tuple[str, str]] = []
    latest_exports: list[str] = []
    latest_deprecated: list[tuple[str, str]] = []
    for build in builds:
        ir = build.ir
        pin = pins.pin_for(ir.revision)
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
        eras.append((ir.revision, build.era))
        wire_versions.append((ir.revision, build.wire_version))
        context = EmitContext(
            commit=pins.commit,
            pin=pin,
            era=build.era,
            method_rows=build.method_rows,
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
            submodule_names=sorted(
                name.removesuffix(".py") for name in produced if name.endswith(".py")
            ),
            exports=exports,
            deprecated=sorted(deprecated_aliases),
        )
        if ir.revision == latest:
            latest_exports = exports
            latest_deprecated = sorted(deprecated_aliases)
    files[f"{PACKAGE}/latest.py"] = render_template(
        "package/latest.py.jinja",
        revision=latest,
        module=revision_module(latest),
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
        latest_module=revision_module(latest),
        submodules=[module for _, module in revision_modules] + ["latest"],
        lazy_attributes=lazy,
        revision_modules=revision_modules,
        all_names=all_names,
    )
    files[f"{PACKAGE}/versions.py"] = render_template(
        "package/versions.py.jinja",
        versions=[rev for rev, _ in revision_modules if rev != DRAFT],
        latest=latest,
        eras=eras,
        wire_versions=wire_versions,
        modules=revision_modules,
    )
    files[f"{PACKAGE}/py.typed"] = ""
    files.update(_distribution_files(pins.commit, revision_modules, latest))
    return format_files(files)


def _distribution_files(
    commit: str, revision_modules: list[tuple[str, str]], latest: str
) -> dict[str, Entry]:
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
            latest=latest,
            python_range=python_range,
            documentation=distribution.URLS[0][1],
        ),
    }
    for name in distribution.LEGAL_FILES:
        files[name] = Copy(resource(name).read_text(encoding="utf-8"))
    return files
