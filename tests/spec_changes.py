"""Synthetic spec changes, derived in memory from the official schema files (never copied
into the repository), and the means to build, try and add them as revisions."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from mcp_spec_gen.pins import RevisionPin, load_pins, sha256_hex
from mcp_spec_gen.pipeline import (
    Candidate,
    Facts,
    GeneratorOptions,
    RevisionBuild,
    check_revision,
)
from mcp_spec_gen.problems import Problems
from mcp_spec_gen.reach import Reach
from mcp_spec_gen.trial import CandidateSource, TrialReport, run_trial, trial_pins

from .conftest import SOURCE


def official(revision: str) -> dict[str, Any]:
    path = SOURCE / "schema" / revision / "schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def definitions(document: dict[str, Any]) -> dict[str, Any]:
    return document["$defs"] if "$defs" in document else document["definitions"]


def _keyword(document: dict[str, Any]) -> str:
    return "$defs" if "$defs" in document else "definitions"


def _rewrite_refs(node: Any, old: str, new: Any) -> Any:
    """`node` with every `{"$ref": old}` replaced: by a `$ref` to `new` (a str) or by `new`."""
    if isinstance(node, dict):
        if node.get("$ref") == old:
            if isinstance(new, str):
                return {**node, "$ref": new}
            return copy.deepcopy(new)
        return {key: _rewrite_refs(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, old, new) for item in node]
    return node


def rename_definition(document: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    keyword = _keyword(document)
    renamed = _rewrite_refs(document, f"#/{keyword}/{old}", f"#/{keyword}/{new}")
    items = renamed[keyword]
    renamed[keyword] = {(new if name == old else name): value for name, value in items.items()}
    return renamed


def drop_definition(document: dict[str, Any], name: str) -> dict[str, Any]:
    """Without `name`; every reference to it becomes `{}` (any value)."""
    keyword = _keyword(document)
    dropped = _rewrite_refs(document, f"#/{keyword}/{name}", {})
    del dropped[keyword][name]
    return dropped


def build_candidate(
    document: dict[str, Any], revision: str = "2027-01-01", facts: Facts | None = None
) -> tuple[RevisionBuild | None, list[str]]:
    """The candidate built as `revision` beside the pins, and every problem found."""
    data = json.dumps(document).encode()
    pin = RevisionPin(revision=revision, path="schema/x/schema.json", sha256=sha256_hex(data))
    pins = trial_pins(load_pins(), pin)
    options = GeneratorOptions(
        source=str(SOURCE), candidates={revision: Candidate(data, "synthetic.json")}
    )
    problems = Problems()
    build = check_revision(pins, pin, facts or Facts.load(), problems, options)
    return build, [str(problem) for problem in problems.found]


def closed_facts(facts: Facts, through: str) -> Facts:
    """The facts with every open reach closed at `through`: what a maintainer does when a
    candidate (an older draft) is not covered by today's facts."""
    patches = tuple(
        replace(patch, reach=patch.reach.closed_at(through)) if patch.reach.open_ended else patch
        for patch in facts.patches
    )
    deprecations = tuple(
        {**entry, "reach": entry["reach"].closed_at(through)}
        if isinstance(entry["reach"], Reach) and entry["reach"].open_ended
        else entry
        for entry in facts.deprecations
    )
    return replace(facts, patches=patches, deprecations=deprecations)


def try_candidate(
    document: dict[str, Any],
    output: Path,
    revision: str = "2027-01-01",
    facts: Facts | None = None,
) -> TrialReport:
    """A trial of the candidate, generating the whole package into `output`."""
    source = CandidateSource(
        Candidate(json.dumps(document).encode(), "synthetic.json"), "schema/x/schema.json", None
    )
    return run_trial(
        source,
        revision=revision,
        against=None,
        output=output,
        pins=load_pins(),
        options=GeneratorOptions(source=str(SOURCE)),
        facts=facts,
    )


def run_in_package(package_root: Path, code: str) -> Any:
    """Run `code` in a fresh interpreter that imports `mcp_spec` from `package_root` (a trial
    output); the code prints one JSON document, returned parsed."""
    environment = {**os.environ, "PYTHONPATH": str(package_root)}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
