"""The `mcp-spec` command line: sync schemas, pin a commit, generate and check the package.

Exit codes, the same for every command (`ExitCode`): 0 success (valid, fresh, no
disagreement); 1 a negative answer to the question asked (invalid document, stale tree, fuzz
disagreement, an error-level finding with --strict); 2 the question could not be answered
(bad option or argument, unknown revision or definition, unreadable or mismatched input, no
project); `proxy` otherwise passes on the server's exit code. With `--json`, an error is
printed to stdout as `{"error": {"message", "file", "pointer", "revision"}}`.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import GeneratorError, IngestError
from .ingest import Bounds, ingest
from .pins import Pins, RevisionPin, load_pins, save_pins, sha256_hex
from .pipeline import GeneratorOptions, generate, latest_revision
from .project import (
    DECLARATIONS,
    PROJECT_ENV,
    Project,
    current_project,
    find_project,
    resource,
    use_project,
)
from .sources import SOURCE_ENV, read_unverified, sync
from .writer import compare_tree, write_tree


class ExitCode(IntEnum):
    OK = 0
    NEGATIVE = 1  # the answer is no: invalid, stale, a disagreement
    INPUT_ERROR = 2  # no answer: usage, input or environment problem


app = typer.Typer(
    name="mcp-spec",
    help="Generate typed Python models of every MCP protocol revision from the official schema. "
    "Exit codes: 0 success, 1 a negative answer (invalid, stale, disagreement), "
    "2 usage or input error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console(stderr=True)
DEFAULT_BOUNDS = Bounds()
T = TypeVar("T")

SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        envvar=SOURCE_ENV,
        show_envvar=True,
        help="A directory laid out like the spec repository, or an http(s) base URL.",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="JSON output (errors too, on stdout).")]


def _error_json(message: str, error: GeneratorError | None) -> str:
    details: dict[str, Any] = {"message": error.reason if error else message}
    if error is not None:
        details.update(file=error.file, pointer=error.pointer, revision=error.revision)
    return json.dumps({"error": details}, indent=2, ensure_ascii=False) + "\n"


def fail(
    message: str,
    code: ExitCode = ExitCode.INPUT_ERROR,
    *,
    as_json: bool = False,
    error: GeneratorError | None = None,
) -> typer.Exit:
    """Report `message` (as JSON on stdout with --json, else one line on stderr); the
    `typer.Exit` to raise."""
    if as_json:
        sys.stdout.write(_error_json(message, error))
    else:
        console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def say(message: str) -> None:
    """A report line on stderr, never wrapped or highlighted (it is read and copied)."""
    console.print(message, highlight=False, soft_wrap=True)


def guarded(action: Callable[[], T], *, as_json: bool = False) -> T:
    """Run `action`, turning input problems into one clear error instead of a traceback."""
    try:
        return action()
    except GeneratorError as exc:
        raise fail(str(exc), as_json=as_json, error=exc) from None


def project(*, as_json: bool = False) -> Project:
    """The project directory in use (see `mcp_spec_gen.project`), or exit 2 saying how to
    get one."""
    return guarded(current_project, as_json=as_json)


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"mcp-spec {__version__}\n")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def main_options(
    project_dir: Annotated[
        Path | None,
        typer.Option(
            "--project",
            help=f"The project directory (schema/pins.json, generated/). Default: "
            f"${PROJECT_ENV}, else the nearest one at or above the working directory.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print the version.",
        ),
    ] = False,
) -> None:
    use_project(None)
    if project_dir is not None:
        use_project(guarded(lambda: find_project(explicit=project_dir)))


@contextmanager
def _progress(total: int, description: str) -> Iterator[Callable[[str], None]]:
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.fields[current]}"),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total, current="")

        def advance(current: str) -> None:
            progress.update(task, advance=1, current=current)

        yield advance


def _options(source: str | None, max_depth: int, max_subschemas: int) -> GeneratorOptions:
    return GeneratorOptions(
        source=source, bounds=Bounds(max_depth=max_depth, max_subschemas=max_subschemas)
    )


MaxDepth = Annotated[int, typer.Option(help="Refuse schemas nested deeper than this.")]
MaxSubschemas = Annotated[int, typer.Option(help="Refuse schemas with more subschemas.")]
CopyRuntimeFlag = Annotated[
    bool,
    typer.Option(
        "--copy-runtime",
        help="Copy the hand-written runtime instead of linking to the project's runtime/ "
        "(a tree to build an sdist from).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(help="The generated tree. Default: the project's generated/."),
]


@app.command("init")
def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the project (default: here).")
    ] = Path("."),
) -> None:
    """Make DIRECTORY an mcp-spec project: schema/ with the pins and declarations this
    generator ships. Then `mcp-spec sync --source SRC` and `mcp-spec generate`."""
    target = directory.absolute() / "schema"
    existing = [name for name in DECLARATIONS if (target / name).exists()]
    if existing:
        raise fail(f"{target} already has {', '.join(existing)}; nothing was changed")
    shipped = guarded(lambda: resource("schema"))
    target.mkdir(parents=True, exist_ok=True)
    for name in DECLARATIONS:
        shutil.copyfile(shipped / name, target / name)
    console.print(
        f"created the project {directory.absolute()}; next: `mcp-spec sync --source SRC`",
        highlight=False,
    )


@app.command("sync")
def sync_command(source: SourceOption = None) -> None:
    """Fill the schema cache from SOURCE, checking every file against its sha256 pin.

    Without --source (or $MCP_SPEC_SOURCE) the pinned commit's raw files are fetched over HTTPS.
    """
    project()
    pins = guarded(load_pins)
    if source is None:
        console.print(f"fetching the pinned commit {pins.commit[:12]} over HTTPS")
    with _progress(len(pins.revisions), "sync") as advance:
        written = guarded(lambda: sync(pins, source, on_file=lambda pin, _: advance(pin.revision)))
    console.print(f"cached {len(written)} schema files, each matching its pin")


@app.command("generate")
def generate_command(
    source: SourceOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            help="Where the package is written (default: the project's generated/). A new or "
            "empty directory, or one mcp-spec wrote before (it has a manifest)."
        ),
    ] = None,
    max_depth: MaxDepth = DEFAULT_BOUNDS.max_depth,
    max_subschemas: MaxSubschemas = DEFAULT_BOUNDS.max_subschemas,
    copy_runtime: CopyRuntimeFlag = False,
) -> None:
    """Generate the `mcp_spec` package (an installable distribution) from the cached (or
    given) schemas.

    Only files listed in the output's manifest (.mcp-spec-manifest.json) are ever changed or
    deleted; a non-empty directory without one is refused.
    """
    options = replace(_options(source, max_depth, max_subschemas), copy_runtime=copy_runtime)
    root = output or project().generated_dir
    pins = guarded(load_pins)
    with _progress(len(pins.revisions), "generate") as advance:
        files = guarded(lambda: generate(pins, options, progress=advance))
    changed = guarded(lambda: write_tree(files, root))
    console.print(f"wrote {len(files)} files to {root} ({len(changed)} changed)", highlight=False)


# A stale file's diff is cut after this many lines (the summary still counts them all).
MAX_DIFF_LINES = 200


@app.command("check")
def check_command(
    source: SourceOption = None,
    output: OutputOption = None,
    copy_runtime: CopyRuntimeFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Regenerate in memory; exit 1 with a diff and a per-file summary if the tree is stale."""
    root = output or project(as_json=as_json).generated_dir
    pins = guarded(load_pins, as_json=as_json)
    options = GeneratorOptions(source=source, copy_runtime=copy_runtime)
    files = guarded(lambda: generate(pins, options), as_json=as_json)
    changes = guarded(lambda: compare_tree(files, root), as_json=as_json)
    if as_json:
        report = {
            "output": str(root),
            "fresh": not changes,
            "files": [{"path": change.path, "status": change.status} for change in changes],
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        for change in changes:
            lines = change.diff.splitlines(keepends=True)
            sys.stdout.writelines(lines[:MAX_DIFF_LINES])
            if len(lines) > MAX_DIFF_LINES:
                sys.stdout.write(f"... {len(lines) - MAX_DIFF_LINES} more lines of {change.path}\n")
    if changes:
        if not as_json:
            for change in changes:
                console.print(f"  {change.summary()}", highlight=False)
            console.print(
                f"[bold red]error:[/] {root} is stale ({len(changes)} files differ): run "
                "`mcp-spec generate` and commit the result",
                highlight=False,
                soft_wrap=True,
            )
        raise typer.Exit(ExitCode.NEGATIVE)
    if not as_json:
        console.print(f"{root} is fresh ({len(files)} files)", highlight=False)


def _checked_schema(revision: str, data: bytes, where: str) -> None:
    """Refuse to pin what is not a schema the generator can read (truncated, not JSON, an
    unknown dialect, invalid against its metaschema)."""
    ingest(data, revision=revision, file=where)


@app.command("pin")
def pin_command(
    commit: Annotated[str, typer.Option(help="The spec repository commit to pin.")],
    source: SourceOption = None,
    add_revision: Annotated[
        list[str] | None,
        typer.Option(help="Also pin this revision (schema/<REV>/schema.json). Repeatable."),
    ] = None,
    pins_file: Annotated[
        Path | None, typer.Option(help="The pins file to update (default: the project's).")
    ] = None,
) -> None:
    """Move the pins to COMMIT: record the sha256 of every revision's schema.json there.

    SOURCE must hold that commit's files (a checkout at COMMIT); without it, the raw files of
    COMMIT are fetched over HTTPS. Each file is checked (JSON, dialect, metaschema) before
    anything is written.
    """
    if len(commit) != 40 or any(char not in "0123456789abcdef" for char in commit):
        raise fail(f"--commit must be a full 40-digit lowercase hex SHA, not {commit!r}")
    path = pins_file or project().pins_file
    old = guarded(lambda: load_pins(path))
    wanted = [pin.revision for pin in old.revisions] + [
        name for name in add_revision or [] if name not in {p.revision for p in old.revisions}
    ]
    moved = Pins(repository=old.repository, commit=commit, revisions=())
    new_pins: list[RevisionPin] = []
    for revision in wanted:
        schema_path = f"schema/{revision}/schema.json"
        # Read without verification (the hash is what we are about to record).
        probe = RevisionPin(revision=revision, path=schema_path, sha256="")
        data, where = guarded(lambda probe=probe: read_unverified(moved, probe, source))
        try:
            _checked_schema(revision, data, where)
        except IngestError as exc:
            raise fail(f"{exc}; not pinned: nothing was written", error=exc) from None
        new_pins.append(replace(probe, sha256=sha256_hex(data)))
        console.print(f"{revision}: {sha256_hex(data)}")
    save_pins(replace(moved, revisions=tuple(new_pins)), path)
    console.print(f"pinned {len(new_pins)} revisions at {commit}; run `mcp-spec sync` next")


def resolve_revision(name: str) -> str:
    """A revision name as the CLI accepts it: `latest` is the latest released revision."""
    return latest_revision(load_pins()) if name == "latest" else name


@app.command("add-revision")
def add_revision_command(
    revision: Annotated[str, typer.Argument(help="The new revision, e.g. 2027-01-01.")],
    source: SourceOption = None,
    path: Annotated[
        str | None,
        typer.Option(help="Its schema in SOURCE (default: schema/<REVISION>/schema.json)."),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Add a protocol revision: pin it at the pinned commit, carry errata and deprecations
    forward (each re-asserted against the new file), and update everything derived: the
    cache, the README's revision table, the version registry and `mcp_spec.latest`.

    Writes nothing when a problem is found; every problem is listed at once.
    """
    from .revisions import add_revision

    output = output or project().generated_dir
    pins = guarded(load_pins)
    with _progress(len(pins.revisions) + 1, "add-revision") as advance:
        added = guarded(
            lambda: add_revision(revision, source, path=path, output=output, progress=advance)
        )
    say(f"pinned {added.revision} ({added.path}, sha256 {added.sha256})")
    say(
        f"era {added.era}, wire version {added.wire_version} (read from the schema); "
        f"latest is now {added.latest}"
    )
    for label, items in (
        ("errata carried forward", added.patches_carried),
        ("deprecations carried forward", added.deprecations_carried),
    ):
        say(f"{label}: {', '.join(items) if items else 'none'}")
    say(
        f"updated schema/pins.json, the cache, README.md's revision table and {output} "
        f"({len(added.files_changed)} files changed)"
    )


@app.command("diff")
def diff_command(
    old: Annotated[
        str, typer.Argument(help="The older revision, e.g. 2025-11-25, latest or draft.")
    ],
    new: Annotated[
        str, typer.Argument(help="The newer revision, e.g. 2026-07-28, latest or draft.")
    ],
    as_json: JsonFlag = False,
    source: SourceOption = None,
) -> None:
    """Print what changed between two revisions: definitions, fields, methods, deprecations.

    Union members and enum values that only moved are not changes."""
    from .diff import diff_builds, to_markdown
    from .pipeline import build_one

    def build() -> str:
        pins = load_pins()
        options = GeneratorOptions(source=source)
        result = diff_builds(
            build_one(pins, pins.pin_for(resolve_revision(old)), options),
            build_one(pins, pins.pin_for(resolve_revision(new)), options),
        )
        return json.dumps(result.to_json(), indent=2) + "\n" if as_json else to_markdown(result)

    project(as_json=as_json)
    sys.stdout.write(guarded(build, as_json=as_json))


@app.command("trial")
def trial_command(
    candidate: Annotated[
        str,
        typer.Argument(
            help="A schema.json, a directory laid out like the spec repository (or one "
            "revision's directory), or a 40-hex commit of the pinned repository (HTTPS)."
        ),
    ],
    revision: Annotated[
        str, typer.Option("--as", help="The revision name to try it as, e.g. 2027-01-01.")
    ] = "draft",
    against: Annotated[
        str | None, typer.Option(help="Compare with this pinned revision (default: latest).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="Generate the package here (default: a new temporary directory)."),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(help="The schema's path in a directory or commit (default: schema/<AS>/...)"),
    ] = None,
    source: SourceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of Markdown.")] = False,
) -> None:
    """Try a candidate schema as a revision: generate into a directory of your choice and
    report problems, facts, era, changes and the official examples. Writes nothing in the
    repository (pins, cache, generated/). Exit 0 when clean, 1 with problems or invalid
    examples."""
    import json

    from .trial import resolve_candidate, run_trial, to_markdown

    pins = guarded(load_pins)
    found = guarded(lambda: resolve_candidate(candidate, revision, pins, path=path))
    with console.status(f"trying {found.candidate.file} as {revision}"):
        report = guarded(
            lambda: run_trial(
                found,
                revision=revision,
                against=against,
                output=output,
                pins=pins,
                options=GeneratorOptions(source=source),
            )
        )
    text = json.dumps(report.to_json(), indent=2) + "\n" if as_json else to_markdown(report)
    sys.stdout.write(text)
    raise typer.Exit(ExitCode.OK if report.ok else ExitCode.NEGATIVE)


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(help="A JSON file to validate, or - for stdin.")],
    revision: Annotated[str, typer.Option("--revision", "-r", help="e.g. 2026-07-28.")],
    definition: Annotated[
        str | None, typer.Option("--def", help="Validate against this definition, e.g. Tool.")
    ] = None,
    message: Annotated[
        bool,
        typer.Option("--message", help="Validate a JSON-RPC frame (validate_message)."),
    ] = False,
    sender: Annotated[
        str | None,
        typer.Option(help="client or server (--message; default: from the method table)."),
    ] = None,
    request_method: Annotated[
        str | None, typer.Option(help="The method a result answers (--message).")
    ] = None,
    as_json: JsonFlag = False,
    max_problems: Annotated[
        int, typer.Option(min=1, help="Problems listed at most; the rest are counted.")
    ] = 50,
) -> None:
    """Validate a JSON document against a definition or as a message. Exit 0 valid, 1 invalid,
    2 usage or input error. Uses the installed `mcp_spec`, else the project's generated/."""
    if (definition is None) == (not message):
        raise fail("give exactly one of --def NAME or --message", as_json=as_json)
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", as_json=as_json) from None
    guarded(lambda: import_generated(None, required=False), as_json=as_json)
    from mcp_spec._validate import (  # pyright: ignore[reportPrivateUsage]  # same project
        ValidateRequest,
        render,
        run_validation,
    )

    request = ValidateRequest(
        revision=resolve_revision(revision),
        definition=definition,
        sender=sender,
        request_method=request_method,
        source=file,
        max_problems=max_problems,
    )
    try:
        outcome = run_validation(request, raw)
    except ValueError as exc:
        raise fail(str(exc), as_json=as_json) from None
    sys.stdout.write(render(outcome, as_json=as_json))
    raise typer.Exit(ExitCode.OK if outcome.valid else ExitCode.NEGATIVE)


@app.command("fuzz")
def fuzz_command(
    revision: Annotated[
        list[str] | None,
        typer.Option("--revision", help="Fuzz this revision only. Repeatable; default: all."),
    ] = None,
    definition: Annotated[
        str | None, typer.Option("--def", help="Fuzz this definition only.")
    ] = None,
    examples: Annotated[
        int, typer.Option(min=1, help="Valid draws, and as many near misses, per definition.")
    ] = 100,
    seed_value: Annotated[int, typer.Option("--seed", help="Hypothesis seed (replays a run).")] = 0,
    output: OutputOption = None,
) -> None:
    """Differential fuzzing: draws from the generated strategies through every verdict.

    Valid draws must be accepted by the reference (jsonschema) and the models, and round-trip
    exactly; near misses must get the reference's verdict, unless schema/deviations.json
    declares the difference. Exit 1 on any disagreement, printed shrunk with a replay command.
    """
    from rich.table import Table

    from .fuzz import (
        DefinitionReport,
        fuzz_definition,
        fuzz_targets,
        load_deviations,
        replay_command,
    )

    project()
    guarded(lambda: import_generated(output, required=True))
    pins = guarded(load_pins)
    known = [pin.revision for pin in pins.revisions]
    asked = [resolve_revision(name) for name in revision or []]
    unknown = [name for name in asked if name not in known]
    if unknown:
        raise fail(f"unknown revision(s) {unknown}; known: {', '.join(known)}, latest")
    chosen = asked or known
    deviations = guarded(load_deviations)
    plan: list[tuple[str, str]] = []
    for rev in chosen:
        targets = guarded(lambda rev=rev: fuzz_targets(rev))
        if definition is not None:
            if definition not in targets:
                raise fail(f"revision {rev} has no definition {definition!r} to fuzz")
            targets = [definition]
        plan.extend((rev, name) for name in targets)
    reports: dict[str, list[DefinitionReport]] = {rev: [] for rev in chosen}
    with _progress(len(plan), "fuzz") as advance:
        for rev, name in plan:
            reports[rev].append(
                fuzz_definition(
                    rev, name, examples=examples, seed_value=seed_value, deviations=deviations
                )
            )
            advance(f"{rev} {name}")
    table = Table(title=f"mcp-spec fuzz (--examples {examples} --seed {seed_value})")
    for column in ("revision", "definitions", "examples", "failures", "examples/s"):
        table.add_column(column, justify="left" if column == "revision" else "right")
    for rev, done in reports.items():
        drawn = sum(report.examples for report in done)
        seconds = sum(report.seconds for report in done)
        failed = sum(len(report.failures) for report in done)
        rate = f"{drawn / seconds:.0f}" if seconds else "-"
        style = "red" if failed else None
        table.add_row(rev, str(len(done)), str(drawn), str(failed), rate, style=style)
    Console().print(table)
    everything = [report for done in reports.values() for report in done]
    accept_all = [f"{r.revision} {r.definition}" for r in everything if not r.near_misses]
    if accept_all:
        console.print(f"valid draws only (every JSON value is valid): {', '.join(accept_all)}")
    failures = [failure for report in everything for failure in report.failures]
    for failure in failures:
        console.rule(f"[red]{failure.revision} {failure.definition}: {failure.phase}")
        if failure.mutation:
            console.print(f"near miss: {failure.mutation}")
        console.print(f"problem: {failure.problem}", highlight=False)
        console.print("verdicts: " + json.dumps(failure.outcomes), highlight=False)
        sys.stdout.write(json.dumps(failure.instance, indent=2, ensure_ascii=False) + "\n")
        console.print(f"replay: {replay_command(failure, examples, seed_value)}", highlight=False)
    if failures:
        raise typer.Exit(ExitCode.NEGATIVE)


def import_generated(output: Path | None, *, required: bool) -> None:
    """Make `mcp_spec` importable from the generated tree `output` (default: the project's
    generated/), ahead of any installed one. With `required=False`, an importable `mcp_spec`
    is used as it is, and the project's tree only when there is none."""
    import importlib.util

    if not required and output is None and importlib.util.find_spec("mcp_spec") is not None:
        return
    root = (output or current_project().generated_dir).absolute()
    if not (root / "mcp_spec" / "__init__.py").is_file():
        raise GeneratorError(
            f"{root} holds no generated mcp_spec package: run `mcp-spec generate"
            f"{'' if output is None else f' --output {output}'}` first"
        )
    loaded = sys.modules.get("mcp_spec")
    if loaded is not None:
        where = Path(loaded.__file__ or "").resolve().parent.parent
        if where != root.resolve():
            raise GeneratorError(
                f"mcp_spec is already imported from {where}, not {root}: run mcp-spec anew"
            )
        return
    sys.path.insert(0, str(root))


VersionOption = Annotated[
    str | None,
    typer.Option(
        "--revision", "-r", help="Check as this revision (default: the handshake or _meta decides)."
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit 1 when an error-level (MUST) finding occurred.")
]
ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Also write each finding as a JSON line here.")
]


@app.command("proxy", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def proxy_command(
    command: Annotated[list[str], typer.Argument(help="The server command, after --.")],
    version: VersionOption = None,
    strict: StrictOption = False,
    report: ReportOption = None,
    record: Annotated[
        Path | None, typer.Option("--record", help="Write the transcript (check-log format).")
    ] = None,
    max_frame_bytes: Annotated[
        int, typer.Option(min=1, help="Frames longer than this are relayed but not checked.")
    ] = 16 * 1024 * 1024,
) -> None:
    """Run an MCP server on stdio (`mcp-spec proxy -- node server.js`), relay both directions
    byte for byte and report the session's findings on stderr. Exit code: the server's, or 1
    with --strict after an error-level finding."""
    guarded(lambda: import_generated(None, required=False))
    from .proxy import ProxyOptions, run_proxy

    options = ProxyOptions(
        command=command,
        version=version,
        strict=strict,
        report=report,
        record=record,
        max_frame_bytes=max_frame_bytes,
    )
    with _input_errors():
        code = run_proxy(options)
    raise typer.Exit(code)


@app.command("check-log")
def check_log_command(
    file: Annotated[Path, typer.Argument(help="A transcript: one JSON object per line.")],
    version: VersionOption = None,
    strict: StrictOption = False,
    report: ReportOption = None,
) -> None:
    """Check a recorded conversation, each line {"direction": "client->server" |
    "server->client", "frame": ...}. Exit 1 with --strict after an error-level finding,
    2 for an unreadable transcript."""
    from contextlib import ExitStack

    guarded(lambda: import_generated(None, required=False))
    from .proxy import Reporter, check_log

    with _input_errors(), ExitStack() as files:
        reporter = Reporter(
            console,
            report=files.enter_context(report.open("w", encoding="utf-8")) if report else None,
        )
        code = check_log(file, reporter, version=version, strict=strict)
    raise typer.Exit(code)


@contextmanager
def _input_errors() -> Iterator[None]:
    """Bad input (an unreadable or malformed file, an unknown revision, a server that cannot
    start): one line and exit code 2, not a traceback."""
    from mcp_spec.errors import MCPSpecError

    from .proxy import TranscriptError

    try:
        yield
    except (OSError, TranscriptError, MCPSpecError) as exc:
        raise fail(str(exc)) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
