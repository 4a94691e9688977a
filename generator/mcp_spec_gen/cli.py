"""The `mcp-spec` command line: sync schemas, pin a commit, generate and check the package."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import GeneratorError
from .ingest import Bounds
from .pins import PINS_FILE, Pins, RevisionPin, load_pins, save_pins, sha256_hex
from .pipeline import GeneratorOptions, generate
from .sources import SOURCE_ENV, read_unverified, sync
from .writer import diff_tree, write_tree

GENERATED_DIR = Path(__file__).resolve().parents[2] / "generated"

app = typer.Typer(
    name="mcp-spec",
    help="Generate typed Python models of every MCP protocol revision from the official schema.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


def _fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def say(message: str) -> None:
    """A report line on stderr, never wrapped or highlighted (it is read and copied)."""
    console.print(message, highlight=False, soft_wrap=True)


def _guarded(action: Callable[[], T]) -> T:
    """Run `action`, turning input problems into one clear line instead of a traceback."""
    try:
        return action()
    except GeneratorError as exc:
        raise _fail(str(exc)) from None


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


@app.command("sync")
def sync_command(source: SourceOption = None) -> None:
    """Fill the schema cache from SOURCE, checking every file against its sha256 pin.

    Without --source (or $MCP_SPEC_SOURCE) the pinned commit's raw files are fetched over HTTPS.
    """
    pins = _guarded(load_pins)
    if source is None:
        console.print(f"fetching the pinned commit {pins.commit[:12]} over HTTPS")
    with _progress(len(pins.revisions), "sync") as advance:
        written = _guarded(lambda: sync(pins, source, on_file=lambda pin, _: advance(pin.revision)))
    console.print(f"cached {len(written)} schema files, each matching its pin")


@app.command("generate")
def generate_command(
    source: SourceOption = None,
    output: Annotated[Path, typer.Option(help="Where the package is written.")] = GENERATED_DIR,
    max_depth: MaxDepth = DEFAULT_BOUNDS.max_depth,
    max_subschemas: MaxSubschemas = DEFAULT_BOUNDS.max_subschemas,
) -> None:
    """Generate the `mcp_spec` package into generated/ from the cached (or given) schemas."""
    options = _options(source, max_depth, max_subschemas)
    pins = _guarded(load_pins)
    with _progress(len(pins.revisions), "generate") as advance:
        files = _guarded(lambda: generate(pins, options, progress=advance))
    changed = write_tree(files, output)
    console.print(f"wrote {len(files)} files to {output} ({len(changed)} changed)")


@app.command("check")
def check_command(
    source: SourceOption = None,
    output: Annotated[Path, typer.Option(help="The generated tree to check.")] = GENERATED_DIR,
) -> None:
    """Regenerate in memory and fail with a unified diff if generated/ is stale."""
    pins = _guarded(load_pins)
    files = _guarded(lambda: generate(pins, GeneratorOptions(source=source)))
    difference = diff_tree(files, output)
    if difference:
        sys.stdout.write(difference)
        raise _fail(f"{output} is stale: run `mcp-spec generate` and commit the result")
    console.print(f"{output} is fresh ({len(files)} files)")


@app.command("pin")
def pin_command(
    commit: Annotated[str, typer.Option(help="The spec repository commit to pin.")],
    source: SourceOption = None,
    add_revision: Annotated[
        list[str] | None,
        typer.Option(help="Also pin this revision (schema/<REV>/schema.json). Repeatable."),
    ] = None,
    pins_file: Annotated[Path, typer.Option(help="The pins file to update.")] = PINS_FILE,
) -> None:
    """Move the pins to COMMIT: record the sha256 of every revision's schema.json there.

    SOURCE must hold that commit's files (a checkout at COMMIT); without it, the raw files of
    COMMIT are fetched over HTTPS.
    """
    if len(commit) != 40 or any(char not in "0123456789abcdef" for char in commit):
        raise _fail(f"--commit must be a full 40-digit lowercase hex SHA, not {commit!r}")
    old = _guarded(lambda: load_pins(pins_file))
    wanted = [pin.revision for pin in old.revisions] + [
        name for name in add_revision or [] if name not in {p.revision for p in old.revisions}
    ]
    moved = Pins(repository=old.repository, commit=commit, revisions=())
    new_pins: list[RevisionPin] = []
    for revision in wanted:
        path = f"schema/{revision}/schema.json"
        # Read without verification (the hash is what we are about to record).
        probe = RevisionPin(revision=revision, path=path, sha256="")
        data, _ = _guarded(lambda probe=probe: read_unverified(moved, probe, source))
        new_pins.append(replace(probe, sha256=sha256_hex(data)))
        console.print(f"{revision}: {sha256_hex(data)}")
    save_pins(replace(moved, revisions=tuple(new_pins)), pins_file)
    console.print(f"pinned {len(new_pins)} revisions at {commit}; run `mcp-spec sync` next")


@app.command("add-revision")
def add_revision_command(
    revision: Annotated[str, typer.Argument(help="The new revision, e.g. 2027-01-01.")],
    source: SourceOption = None,
    path: Annotated[
        str | None,
        typer.Option(help="Its schema in SOURCE (default: schema/<REVISION>/schema.json)."),
    ] = None,
    output: Annotated[Path, typer.Option(help="Where the package is written.")] = GENERATED_DIR,
) -> None:
    """Add a protocol revision: pin it at the pinned commit, carry errata and deprecations
    forward (each re-asserted against the new file), and update everything derived: the
    cache, the README's revision table, the version registry and `mcp_spec.latest`.

    Writes nothing when a problem is found; every problem is listed at once.
    """
    from .revisions import add_revision

    pins = _guarded(load_pins)
    with _progress(len(pins.revisions) + 1, "add-revision") as advance:
        added = _guarded(
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
    old: Annotated[str, typer.Argument(help="The older revision, e.g. 2025-11-25.")],
    new: Annotated[str, typer.Argument(help="The newer revision, e.g. 2026-07-28.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of Markdown.")] = False,
    source: SourceOption = None,
) -> None:
    """Print what changed between two revisions: definitions, fields, methods, deprecations."""
    import json

    from .diff import diff_builds, to_markdown
    from .pipeline import build_one

    def build() -> str:
        pins = load_pins()
        options = GeneratorOptions(source=source)
        result = diff_builds(
            build_one(pins, pins.pin_for(old), options), build_one(pins, pins.pin_for(new), options)
        )
        return json.dumps(result.to_json(), indent=2) + "\n" if as_json else to_markdown(result)

    sys.stdout.write(_guarded(build))


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

    pins = _guarded(load_pins)
    found = _guarded(lambda: resolve_candidate(candidate, revision, pins, path=path))
    with console.status(f"trying {found.candidate.file} as {revision}"):
        report = _guarded(
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
    raise typer.Exit(0 if report.ok else 1)


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(help="A JSON file to validate, or - for stdin.")],
    revision: Annotated[str, typer.Option("--revision", "-r", help="e.g. 2026-07-28.")],
    definition: Annotated[
        str | None, typer.Option("--def", help="Validate against this definition, e.g. Tool.")
    ] = None,
    message: Annotated[
        bool, typer.Option("--message", help="Validate a JSON-RPC frame (validate_message).")
    ] = False,
    sender: Annotated[
        str | None,
        typer.Option(help="client or server (--message; default: from the method table)."),
    ] = None,
    request_method: Annotated[
        str | None, typer.Option(help="The method a result answers (--message).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    max_problems: Annotated[
        int, typer.Option(min=1, help="Problems listed at most; the rest are counted.")
    ] = 50,
) -> None:
    """Validate a JSON document against a definition or as a message. Exit 0 valid, 1 invalid,
    2 usage or input error."""
    from .validate import ValidateRequest, render, run_validation

    if (definition is None) == (not message):
        raise _fail("give exactly one of --def NAME or --message", 2)
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    request = ValidateRequest(
        revision=revision,
        definition=definition,
        sender=sender,
        request_method=request_method,
        source=file,
        max_problems=max_problems,
    )
    try:
        outcome = run_validation(request, raw)
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    sys.stdout.write(render(outcome, as_json=as_json))
    raise typer.Exit(0 if outcome.valid else 1)


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
) -> None:
    """Differential fuzzing: draws from the generated strategies through every verdict.

    Valid draws must be accepted by the reference (jsonschema) and the models, and round-trip
    exactly; near misses must get the reference's verdict, unless schema/deviations.json
    declares the difference. Exit 1 on any disagreement, printed shrunk with a replay command.
    """
    import json

    from rich.table import Table

    from .fuzz import (
        DefinitionReport,
        fuzz_definition,
        fuzz_targets,
        load_deviations,
        replay_command,
    )

    pins = _guarded(load_pins)
    known = [pin.revision for pin in pins.revisions]
    unknown = [name for name in revision or [] if name not in known]
    if unknown:
        raise _fail(f"unknown revision(s) {unknown}; known: {', '.join(known)}")
    chosen = revision or known
    deviations = _guarded(load_deviations)
    plan: list[tuple[str, str]] = []
    for rev in chosen:
        targets = _guarded(lambda rev=rev: fuzz_targets(rev))
        if definition is not None:
            if definition not in targets:
                raise _fail(f"revision {rev} has no definition {definition!r} to fuzz")
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
        raise typer.Exit(1)


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
        raise _fail(str(exc), 2) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
