"""Trial mode: generate from a candidate schema without touching the repository.

A candidate is a schema file, a directory laid out like the spec repository (or one
revision's directory), or a commit of the pinned repository (fetched over HTTPS: asked for).
It joins the pinned revisions under the name given (`--as`), the whole package is generated
into a directory of the caller's choice, and the report says what a maintainer needs before
pinning it: every problem at once, the facts (errata, deprecations) that apply and those that
no longer do, the era and wire version read from the schema, definitions and method-table
changes against a named revision, and whether the official examples next to the schema
validate. The pins, the cache and `generated/` are read, never written.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .diff import RevisionDiff, diff_builds, markdown_section
from .errata import stale_reason
from .errors import GeneratorError, SourceError
from .ingest import parse_json
from .methods import MethodRow
from .pins import Pins, RevisionPin, sha256_hex
from .pipeline import (
    PACKAGE,
    Candidate,
    Facts,
    GeneratorOptions,
    RevisionBuild,
    check_revision,
    generate,
    latest_revision,
)
from .problems import Problems
from .reach import DRAFT, Reach, revision_key
from .sources import MAX_SCHEMA_BYTES, fetch_url
from .writer import write_tree

_COMMIT = re.compile(r"[0-9a-f]{40}")
_REVISION = re.compile(r"\d{4}-\d{2}-\d{2}|draft")
# Bounds on the examples read next to a candidate (a directory a peer may have written).
MAX_EXAMPLES = 10_000
MAX_EXAMPLE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CandidateSource:
    candidate: Candidate
    path: str  # where it stands in a spec repository layout (recorded in the trial pins)
    examples: Path | None  # examples/<Definition>/*.json next to the schema, if any


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    file: str
    definition: str
    problems: list[str]


@dataclass(slots=True)
class ExampleReport:
    directory: str | None = None
    checked: int = 0
    valid: int = 0
    failures: list[ExampleFailure] = field(default_factory=list[ExampleFailure])
    unknown_definitions: list[str] = field(default_factory=list[str])


@dataclass(frozen=True, slots=True)
class RowChange:
    method: str
    change: str  # added | removed | changed
    old: str | None = None
    new: str | None = None


@dataclass(slots=True)
class TrialReport:
    candidate: str
    revision: str
    against: str
    sha256: str
    dialect: str | None = None
    era: str | None = None
    wire_version: str | None = None
    problems: list[str] = field(default_factory=list[str])
    patches_applied: list[str] = field(default_factory=list[str])
    patches_not_applying: list[str] = field(default_factory=list[str])
    deprecations_applied: list[str] = field(default_factory=list[str])
    diff: RevisionDiff | None = None
    method_changes: list[RowChange] = field(default_factory=list[RowChange])
    examples: ExampleReport = field(default_factory=ExampleReport)
    output: str | None = None
    files_written: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.examples.failures

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def resolve_candidate(
    candidate: str, revision: str, pins: Pins, *, path: str | None = None
) -> CandidateSource:
    """The candidate's bytes: from a file, a directory or a commit of the pinned repository."""
    if _COMMIT.fullmatch(candidate):
        paths = [path] if path else [f"schema/{revision}/schema.json", "schema/draft/schema.json"]
        last_error: SourceError | None = None
        for relative in dict.fromkeys(paths):
            probe = RevisionPin(revision=revision, path=relative, sha256="")
            url = replace(pins, commit=candidate).raw_url(probe)
            try:
                return CandidateSource(Candidate(fetch_url(url), url), relative, None)
            except SourceError as error:
                last_error = error
        assert last_error is not None
        raise last_error
    root = Path(candidate)
    if root.is_dir():
        options = (
            [root / path]
            if path
            else [
                root / "schema" / revision / "schema.json",
                root / "schema" / DRAFT / "schema.json",
                root / "schema.json",
            ]
        )
        found = next((option for option in options if option.is_file()), None)
        if found is None:
            tried = ", ".join(str(option) for option in options)
            raise SourceError(f"no candidate schema in the directory (tried {tried})")
        root = found
    if not root.is_file():
        raise SourceError("candidate is not a file, a directory or a 40-hex commit", file=candidate)
    if root.stat().st_size > MAX_SCHEMA_BYTES:
        raise SourceError(f"file is over the limit of {MAX_SCHEMA_BYTES} bytes", file=str(root))
    examples = root.parent / "examples"
    return CandidateSource(
        Candidate(root.read_bytes(), str(root)),
        path or f"schema/{revision}/schema.json",
        examples if examples.is_dir() else None,
    )


def trial_pins(pins: Pins, pin: RevisionPin) -> Pins:
    """The pins with `pin` added (or replacing the same revision), in revision order."""
    others = [existing for existing in pins.revisions if existing.revision != pin.revision]
    ordered = sorted([*others, pin], key=lambda item: revision_key(item.revision))
    return replace(pins, revisions=tuple(ordered))


def _row_text(row: MethodRow) -> str:
    results = ", ".join(row.result_types) if row.result_types else "-"
    required = "required" if row.params_required else "optional"
    return f"{row.kind} from {row.sender}, params {row.params_type} ({required}) -> {results}"


def method_changes(old: RevisionBuild, new: RevisionBuild) -> list[RowChange]:
    old_rows = {row.method: row for row in old.method_rows}
    new_rows = {row.method: row for row in new.method_rows}
    changes: list[RowChange] = []
    for method in sorted(set(old_rows) | set(new_rows)):
        before, after = old_rows.get(method), new_rows.get(method)
        if before is None and after is not None:
            changes.append(RowChange(method, "added", new=_row_text(after)))
        elif after is None and before is not None:
            changes.append(RowChange(method, "removed", old=_row_text(before)))
        elif before is not None and after is not None:
            if _row_text(before) != _row_text(after):
                changes.append(RowChange(method, "changed", _row_text(before), _row_text(after)))
    return changes


def check_examples(build: RevisionBuild, directory: Path) -> ExampleReport:
    """Validate `directory/<Definition>/*.json` with the reference against the candidate."""
    from .reference import ir_registry, ir_validator  # jsonschema: only for examples

    report = ExampleReport(directory=str(directory))
    definitions = build.ir.all_definitions()
    registry = ir_registry(build.ir)
    files = sorted(directory.glob("*/*.json"))[:MAX_EXAMPLES]
    for path in files:
        definition = path.parent.name
        if definition not in definitions:
            if definition not in report.unknown_definitions:
                report.unknown_definitions.append(definition)
            continue
        report.checked += 1
        try:
            if path.stat().st_size > MAX_EXAMPLE_BYTES:
                raise GeneratorError(f"over {MAX_EXAMPLE_BYTES} bytes", file=str(path))
            instance = parse_json(path.read_bytes(), file=str(path))
        except (GeneratorError, OSError) as error:
            report.failures.append(ExampleFailure(str(path), definition, [str(error)]))
            continue
        try:
            errors = sorted(
                ir_validator(build.ir, definition, registry).iter_errors(instance),
                key=lambda error: list(map(str, error.absolute_path)),
            )
        except RecursionError:
            report.failures.append(
                ExampleFailure(str(path), definition, ["nested too deeply to validate"])
            )
            continue
        if errors:
            problems = [
                f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
                for error in errors[:5]
            ]
            report.failures.append(ExampleFailure(str(path), definition, problems))
        else:
            report.valid += 1
    return report


def run_trial(
    source: CandidateSource,
    *,
    revision: str,
    against: str | None,
    output: Path | None,
    pins: Pins,
    options: GeneratorOptions,
    facts: Facts | None = None,
) -> TrialReport:
    """Build the candidate as `revision` beside the pinned revisions, report, and (when it has
    no problems) generate the whole package into `output` (a new temporary directory when
    None). Nothing of the repository is written."""
    if not _REVISION.fullmatch(revision):
        raise GeneratorError(f"--as {revision!r}: a revision is YYYY-MM-DD or draft")
    if output is not None and output.exists():
        # The writer deletes stale generated files below its root: never in a directory
        # that holds anything but an earlier trial's package.
        others = sorted(entry.name for entry in output.iterdir() if entry.name != PACKAGE)
        if not output.is_dir() or others:
            raise GeneratorError(
                f"--output {output} holds {others[:3] or 'a file'}, not only an earlier trial's "
                f"{PACKAGE}/: choose an empty or new directory"
            )
    started_wall, started_cpu = time.perf_counter(), _cpu_seconds()
    data = source.candidate.data
    pin = RevisionPin(revision=revision, path=source.path, sha256=sha256_hex(data))
    all_pins = trial_pins(pins, pin)
    compared = against or latest_revision(pins)
    report = TrialReport(
        candidate=source.candidate.file, revision=revision, against=compared, sha256=pin.sha256
    )
    trial_options = replace(options, candidates={revision: source.candidate})
    facts = facts or Facts.load()
    problems = Problems()
    build = check_revision(all_pins, pin, facts, problems, trial_options)
    report.problems = [str(problem) for problem in problems.found]
    _report_facts(report, facts, data, revision)
    if build is not None:
        report.dialect, report.era = build.ir.dialect, build.era
        report.wire_version = build.wire_version
        report.deprecations_applied = sorted(
            {
                str(entry["feature"])
                for entry in facts.deprecations
                if isinstance(entry["reach"], Reach) and entry["reach"].covers(revision)
            }
        )
        compared_pin = pins.pin_for(compared)
        reference_build = check_revision(all_pins, compared_pin, facts, Problems(), options)
        if reference_build is not None:
            report.diff = diff_builds(reference_build, build)
            report.method_changes = method_changes(reference_build, build)
        if source.examples is not None:
            report.examples = check_examples(build, source.examples)
    if not report.problems:
        files = generate(all_pins, trial_options, facts=facts)
        target = output or Path(tempfile.mkdtemp(prefix="mcp-spec-trial-"))
        write_tree(files, target)
        report.output, report.files_written = str(target), len(files)
    report.seconds = time.perf_counter() - started_wall
    report.cpu_seconds = _cpu_seconds() - started_cpu
    return report


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the ruff formatter runs as one)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _report_facts(report: TrialReport, facts: Facts, data: bytes, revision: str) -> None:
    """Which declared patches cover the candidate, and which of those hold in its file."""
    try:
        document = parse_json(data, file=report.candidate, max_bytes=MAX_SCHEMA_BYTES)
    except GeneratorError:
        return  # the problem list already says why
    for patch in facts.patches:
        if not patch.reach.covers(revision):
            continue
        label = f"{patch.id} ({patch.reach}) at {patch.pointer}"
        reason = stale_reason(document, patch)
        if reason is None:
            report.patches_applied.append(label)
        else:
            report.patches_not_applying.append(f"{label}: {reason}")


def to_markdown(report: TrialReport) -> str:
    lines = [
        f"# Trial of {report.candidate} as {report.revision}",
        "",
        f"- sha256: `{report.sha256}`",
        f"- dialect: {report.dialect or '?'}; era: {report.era or '?'} (read from the schema); "
        f"wire version: {report.wire_version or '?'}",
    ]
    if report.output:
        lines.append(f"- generated {report.files_written} files into {report.output}")
    else:
        lines.append("- nothing generated: fix the problems below first")
    lines.append(
        f"- took {report.seconds:.1f} s wall, {report.cpu_seconds:.1f} s CPU (ruff included)"
    )

    def section(title: str, items: list[str]) -> None:
        markdown_section(lines, title, items, code=False)

    section("Problems", report.problems)
    section("Errata that apply", report.patches_applied)
    section("Errata that no longer apply", report.patches_not_applying)
    section("Deprecations applied", report.deprecations_applied)
    if report.diff is not None:
        diff = report.diff
        lines.extend(
            [
                "",
                f"## Against {report.against}",
                "",
                f"{len(diff.added)} definitions added, {len(diff.removed)} removed, "
                f"{len(diff.changed)} changed (`mcp-spec diff` lists them field by field).",
            ]
        )
        if diff.added:
            lines.append(f"- added: {', '.join(f'`{name}`' for name in diff.added)}")
        if diff.removed:
            lines.append(f"- removed: {', '.join(f'`{name}`' for name in diff.removed)}")
        if diff.changed:
            lines.append(f"- changed: {', '.join(f'`{name}`' for name in diff.changed)}")
    section(
        "Method table changes",
        [
            f"`{change.method}` {change.change}"
            + (f": {change.old}" if change.old and not change.new else "")
            + (f": {change.new}" if change.new and not change.old else "")
            + (f": {change.old} => {change.new}" if change.old and change.new else "")
            for change in report.method_changes
        ],
    )
    examples = report.examples
    lines.extend(["", "## Official examples", ""])
    if examples.directory is None:
        lines.append("- no examples directory next to the candidate")
    else:
        lines.append(
            f"- {examples.valid} of {examples.checked} valid in {examples.directory}"
            + (
                f"; no definition for {', '.join(examples.unknown_definitions)}"
                if examples.unknown_definitions
                else ""
            )
        )
        for failure in examples.failures:
            lines.append(f"- INVALID {failure.file} ({failure.definition})")
            lines.extend(f"  - {problem}" for problem in failure.problems)
    return "\n".join(lines) + "\n"
