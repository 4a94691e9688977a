"""Adding a protocol revision: pin it, carry the facts forward, update everything derived.

`add_revision` reads the new revision's schema.json from a source, checks it the way
`generate` will (every erratum and deprecation whose reach covers it re-asserted against the
new file, method results, era, formats, constructs) and, only when nothing is wrong, writes:
the pin, the cache entry, the README's revision table, and the regenerated package (the
version registry and `mcp_spec.latest` follow from the pins). On a problem nothing is written
and every problem is listed at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import GeneratorError
from .pins import RevisionPin, load_pins, save_pins, sha256_hex
from .pipeline import (
    Candidate,
    Facts,
    GeneratorOptions,
    Progress,
    RevisionBuild,
    build_all,
    generate,
    latest_revision,
)
from .project import current_project
from .reach import Reach
from .sources import cache_path, read_unverified
from .trial import trial_pins
from .writer import write_tree

TABLE_START = "<!-- revision table: written by `mcp-spec add-revision` -->"
TABLE_END = "<!-- end of revision table -->"
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class AddedRevision:
    revision: str
    path: str
    sha256: str
    era: str
    wire_version: str
    latest: str
    patches_carried: list[str] = field(default_factory=list[str])
    deprecations_carried: list[str] = field(default_factory=list[str])
    files_changed: list[str] = field(default_factory=list[str])


def readme_table(builds: Sequence[RevisionBuild], latest: str) -> str:
    """The README's table of revisions: module, dialect and era (read from each schema)."""
    lines = ["| revision | module | dialect | era |", "|---|---|---|---|"]
    for build in builds:
        module = f"`mcp_spec.{build.ir.module}`"
        if build.ir.revision == latest:
            module += ", `mcp_spec.latest`"
        lines.append(f"| {build.ir.revision} | {module} | {build.ir.dialect} | {build.era} |")
    return "\n".join(lines)


def with_readme_table(readme: str, table: str, *, file: str = "README.md") -> str:
    """`readme` with the text between the table markers replaced by `table`."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise GeneratorError(
            f"README has no revision table markers ({TABLE_START!r} ... {TABLE_END!r})",
            file=file,
        )
    return readme[: start + len(TABLE_START)] + "\n" + table + "\n" + readme[end:]


def add_revision(
    revision: str,
    source: str | None,
    *,
    path: str | None = None,
    output: Path,
    pins_file: Path | None = None,
    readme: Path | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> AddedRevision:
    """Add `revision` (read from `source` at `path`, default schema/<revision>/schema.json).
    Paths default to the project's; a project without README.md gets no table update."""
    pins_file = pins_file or current_project().pins_file
    readme = readme or current_project().root / "README.md"
    pins = load_pins(pins_file)
    if not _DATED.fullmatch(revision):
        raise GeneratorError(f"a new revision is named YYYY-MM-DD, not {revision!r}")
    if revision in {pin.revision for pin in pins.revisions}:
        raise GeneratorError(f"revision {revision} is pinned already", file=str(pins_file))
    probe = RevisionPin(revision=revision, path=path or f"schema/{revision}/schema.json", sha256="")
    data, where = read_unverified(pins, probe, source)
    pin = replace(probe, sha256=sha256_hex(data))
    new_pins = trial_pins(pins, pin)
    facts = Facts.load()
    options = GeneratorOptions(source=source, candidates={revision: Candidate(data, where)})
    builds = build_all(new_pins, options, progress, facts)  # raises every problem at once
    build = next(item for item in builds if item.ir.revision == revision)
    latest = latest_revision(new_pins)
    added = AddedRevision(
        revision=revision,
        path=pin.path,
        sha256=pin.sha256,
        era=build.era,
        wire_version=build.wire_version,
        latest=latest,
        patches_carried=[
            f"{patch.id} ({patch.reach})" for patch in facts.patches if patch.reach.covers(revision)
        ],
        deprecations_carried=sorted(
            {
                f"{entry['feature']} ({entry['reach']})"
                for entry in facts.deprecations
                if isinstance(entry["reach"], Reach) and entry["reach"].covers(revision)
            }
        ),
    )
    # Everything checked: now write, the derived files last.
    save_pins(new_pins, pins_file)
    # The cache holds exactly the bytes just pinned (their sha256 is the pin).
    cached = cache_path(pin, cache_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        table = with_readme_table(text, readme_table(builds, latest), file=str(readme))
        readme.write_text(table, encoding="utf-8")
    files = generate(new_pins, replace(options, candidates={}), facts=facts, builds=builds)
    added.files_changed = write_tree(files, output)
    return added
