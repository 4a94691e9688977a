"""When the spec moves: synthetic schema changes (derived in memory from the official files)
that the generator must take without code changes, or report all at once.

Each test names the change: a renamed result, a result only its description names, a
`date-time` field, `propertyNames`, a dropped patched definition, a draft that is still
legacy, a new revision carrying the facts forward.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcp_spec_gen.cli import app
from mcp_spec_gen.errata import load_errata
from mcp_spec_gen.errors import ErratumError
from mcp_spec_gen.pins import load_pins
from mcp_spec_gen.pipeline import Facts, build_all, latest_revision
from mcp_spec_gen.problems import ProblemsError
from mcp_spec_gen.reach import parse_reach
from mcp_spec_gen.reference import ir_validator
from mcp_spec_gen.revisions import add_revision, readme_table, with_readme_table

from .conftest import REPO, SOURCE
from .spec_changes import (
    build_candidate,
    closed_facts,
    definitions,
    drop_definition,
    official,
    rename_definition,
    run_in_package,
    try_candidate,
)

README_FILE = REPO / "README.md"
CACHE_DIR = REPO / "schema" / "cache"
runner = CliRunner()


def _rows(build: object) -> dict[str, object]:
    return {row.method: row for row in build.method_rows}  # type: ignore[attr-defined]


def test_renamed_results_are_derived_listed_or_declared() -> None:
    document = rename_definition(official("2025-11-25"), "ListToolsResult", "ToolListing")
    document = rename_definition(document, "ElicitRequest", "ElicitationCreateRequest")
    document = rename_definition(document, "CompleteResult", "Completions")
    definitions(document)["Completions"]["description"] = "Suggestions."
    build, problems = build_candidate(document, revision="2025-11-25")
    assert build is not None  # listed problems, not a crash
    assert len(problems) == 2, problems
    assert "no result type for CompleteRequest (completion/complete)" in problems[0]
    assert "no result type for ElicitationCreateRequest (elicitation/create)" in problems[1]
    assert 'declare it in methods.json "results"' in problems[0]
    # "The server's response to a tools/list request from the client."
    assert _rows(build)["tools/list"].result_types == ("ToolListing",)  # type: ignore[attr-defined]
    facts = Facts.load()
    declared = {
        **facts.methods.results,
        "CompleteRequest": ("Completions",),
        "ElicitationCreateRequest": ("ElicitResult",),
    }
    facts = replace(facts, methods=replace(facts.methods, results=declared))
    build, problems = build_candidate(document, revision="2025-11-25", facts=facts)
    assert problems == [] and build is not None
    rows = _rows(build)
    assert rows["completion/complete"].result_types == ("Completions",)  # type: ignore[attr-defined]
    assert rows["elicitation/create"].result_types == ("ElicitResult",)  # type: ignore[attr-defined]


def test_a_declared_result_the_schema_lacks_is_a_problem() -> None:
    facts = Facts.load()
    declared = {**facts.methods.results, "ListToolsRequest": ("NoSuchResult",)}
    facts = replace(facts, methods=replace(facts.methods, results=declared))
    _, problems = build_candidate(official("2025-11-25"), revision="2025-11-25", facts=facts)
    assert any("declares ListToolsRequest answered by ['NoSuchResult']" in p for p in problems)


def test_a_result_only_its_description_names_is_derived() -> None:
    document = drop_definition(official("2026-07-28"), "DiscoverResultResponse")
    document = rename_definition(document, "DiscoverResult", "ServerDescription")
    build, problems = build_candidate(document)
    assert problems == [] and build is not None
    # "The result returned by the server for a {@link DiscoverRequest server/discover} request."
    assert _rows(build)["server/discover"].result_types == ("ServerDescription",)  # type: ignore[attr-defined]


DATE_TIMES = [
    "2026-07-28T12:00:00Z",
    "2026-07-28t12:00:00.25+02:00",
    "2016-12-31T23:59:60Z",
    "0000-02-29T00:00:00z",
    "2026-07-28",
    "2026-07-28 12:00:00Z",
    "2026-02-29T12:00:00Z",
    "2026-07-28T12:00:00",
    "2026-07-28T24:00:00Z",
    "2026-07-28T12:00:00+24:00",
    "2026-07-28T12:00:00Z\n",
    "２026-07-28T12:00:00Z",
]


def _with_timestamp(revision: str) -> dict[str, object]:
    document = official(revision)
    keyword = "$defs" if "$defs" in document else "definitions"
    definitions(document)["Timestamp"] = {"type": "string", "format": "date-time"}
    tool = definitions(document)["Tool"]
    tool["properties"]["updatedAt"] = {"$ref": f"#/{keyword}/Timestamp"}
    return document


_FORMAT_PROBE = """
import json, warnings
from hypothesis import HealthCheck, given, settings
from mcp_spec.{module} import Tool, validators
from mcp_spec.{module}.strategies import from_def, invalid_from_def
cases = json.loads({cases!r})
tool = {{"name": "t", "inputSchema": {{"type": "object"}}}}
drawn, misses = [], []
quick = settings(max_examples=80, database=None, derandomize=True,
                 suppress_health_check=list(HealthCheck))
def draw(value):
    drawn.append(value)
def miss(mutation):
    misses.append([mutation.kind, mutation.instance, mutation.certain])
quick(given(from_def("Timestamp"))(draw))()
quick(given(invalid_from_def("Timestamp"))(miss))()
model = Tool.model_validate({{**tool, "updatedAt": cases[0]}})
print(json.dumps({{
    "validators": [validators.is_valid("Tool", {{**tool, "updatedAt": c}}) for c in cases],
    "drawn": drawn, "misses": misses,
    "model": model.model_dump(mode="json", by_alias=True, exclude_unset=True),
}}))
"""


@pytest.mark.parametrize("base", ["2025-06-18", "2026-07-28"])
def test_a_date_time_field_is_asserted_as_the_reference_asserts_it(
    base: str, tmp_path: Path
) -> None:
    document = _with_timestamp(base)
    build, problems = build_candidate(document, revision=base)
    assert problems == [] and build is not None
    report = try_candidate(document, tmp_path, revision=base)
    assert report.problems == [] and report.output == str(tmp_path)
    module = "v" + base.replace("-", "_")
    probe = run_in_package(
        tmp_path, _FORMAT_PROBE.format(cases=json.dumps(DATE_TIMES), module=module)
    )
    reference = ir_validator(build.ir, "Timestamp")
    expected = [reference.is_valid(case) for case in DATE_TIMES]
    assert expected == [True] * 4 + [False] * 8  # the reference asserts the format
    assert probe["validators"] == expected
    assert len(probe["drawn"]) > 10
    assert all(reference.is_valid(value) for value in probe["drawn"])
    bad = [instance for kind, instance, certain in probe["misses"] if kind == "bad-format"]
    assert bad and not any(reference.is_valid(instance) for instance in bad)
    assert probe["model"]["updatedAt"] == DATE_TIMES[0]


LABEL_KEYS = r"^[a-z][a-z0-9_]*$"
META_KEYS = r"^([a-z0-9-]+(\.[a-z0-9-]+)*/)?[A-Za-z0-9_.-]+$"


def _with_property_names() -> dict[str, object]:
    """2026-07-28 with `propertyNames` on a map (new `Labels`, on Tool) and on a model with
    declared properties (`RequestMetaObject`: the `_meta` key naming rules)."""
    document = official("2026-07-28")
    items = definitions(document)
    items["Labels"] = {
        "type": "object",
        "additionalProperties": {"type": "string", "maxLength": 8},
        "propertyNames": {"pattern": LABEL_KEYS, "minLength": 2},
    }
    items["Tool"]["properties"]["labels"] = {"$ref": "#/$defs/Labels"}
    items["RequestMetaObject"]["propertyNames"] = {"pattern": META_KEYS, "maxLength": 64}
    return document


META = {
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
}
LABEL_CASES = [
    {"ab": "x"},
    {"a_1": "12345678"},
    {},
    {"a": "x"},
    {"Ab": "x"},
    {"ab\n": "x"},
    {"ab": "123456789"},
    {"ab": 5},
    {"١٢": "x"},
]

_PROPERTY_NAMES_PROBE = """
import json
from hypothesis import HealthCheck, given, settings
from pydantic import TypeAdapter
from mcp_spec.v2026_07_28 import Labels, RequestMetaObject, validators
from mcp_spec.v2026_07_28.strategies import from_def, invalid_from_def
cases = json.loads({cases!r})
meta = json.loads({meta!r})
keys = json.loads({keys!r})
quick = settings(max_examples=60, database=None, derandomize=True,
                 suppress_health_check=list(HealthCheck))
many = settings(quick, max_examples=300)
found = {{}}
for name in ("Labels", "RequestMetaObject"):
    drawn, misses = [], []
    def draw(value):
        drawn.append(value)
    def miss(mutation):
        misses.append([mutation.kind, mutation.instance, mutation.certain])
    quick(given(from_def(name))(draw))()
    many(given(invalid_from_def(name))(miss))()
    found[name] = {{"drawn": drawn, "misses": misses}}
def model_accepts(model, value):
    try:
        model.validate_python(value) if isinstance(model, TypeAdapter) else (
            model.model_validate(value))
    except Exception:
        return False
    return True
print(json.dumps({{
    "validators": [validators.is_valid("Labels", case) for case in cases],
    "meta": [validators.is_valid("RequestMetaObject", {{**meta, key: 1}}) for key in keys],
    "models": [model_accepts(TypeAdapter(Labels), case) for case in cases],
    "meta_model": model_accepts(RequestMetaObject, {{**meta, "Bad Key": 1}}),
    "found": found,
}}))
"""


def test_property_names_and_patterns_are_asserted_as_the_reference_asserts_them(
    tmp_path: Path,
) -> None:
    document = _with_property_names()
    build, problems = build_candidate(document, revision="2026-07-28")
    assert problems == [] and build is not None
    report = try_candidate(document, tmp_path, revision="2026-07-28")
    assert report.problems == [] and report.output
    keys = ["io.modelcontextprotocol/x", "x", "Bad Key", "a/b/c", "x" * 65]
    probe = run_in_package(
        tmp_path,
        _PROPERTY_NAMES_PROBE.format(
            cases=json.dumps(LABEL_CASES), meta=json.dumps(META), keys=json.dumps(keys)
        ),
    )
    labels = ir_validator(build.ir, "Labels")
    meta = ir_validator(build.ir, "RequestMetaObject")
    expected = [labels.is_valid(case) for case in LABEL_CASES]
    # A final newline passes Python's `$` (the reference's engine): so it does here too.
    assert expected == [True, True, True, False, False, True, False, False, False]
    assert probe["validators"] == expected
    assert (
        probe["meta"]
        == [meta.is_valid({**META, key: 1}) for key in keys]
        == [True, True, False, False, False]
    )
    for name, reference in (("Labels", labels), ("RequestMetaObject", meta)):
        drawn, misses = probe["found"][name]["drawn"], probe["found"][name]["misses"]
        assert len(drawn) > 10 and all(reference.is_valid(value) for value in drawn), name
        bad_keys = [instance for kind, instance, certain in misses if kind == "bad-key"]
        assert bad_keys and not any(reference.is_valid(value) for value in bad_keys), name
    label_misses = probe["found"]["Labels"]["misses"]
    assert {"bad-key", "too-long"} <= {kind for kind, _, _ in label_misses}
    for kind, instance, certain in label_misses:
        if certain:
            assert not labels.is_valid(instance), (kind, instance)
    # The models check lengths, not key names or patterns (schema/deviations.json).
    assert probe["models"] == [True, True, True, True, True, True, False, False, True]
    assert probe["meta_model"] is True


def test_an_unknown_format_is_a_listed_problem_with_its_pointer() -> None:
    document = official("2026-07-28")
    definitions(document)["Implementation"]["properties"]["website"] = {
        "type": "string",
        "format": "hostname",
    }
    _, problems = build_candidate(document)
    assert len(problems) == 1
    assert "format 'hostname' is not supported" in problems[0]
    assert "at /$defs/Implementation/properties/website/format" in problems[0]


def test_every_problem_of_a_moved_schema_is_reported_in_one_run() -> None:
    """A stale erratum (upstream fixed JSONValue), a dropped patched definition (ElicitResult's
    content), a deprecation naming a dropped definition (Root), an unsupported keyword, an
    allOf that cannot be merged and a request without a result: six problems, one run."""
    document = official("draft")
    items = definitions(document)
    items["JSONValue"]["anyOf"][2]["type"] = ["string", "number", "boolean", "null"]
    del items["ElicitResult"]["properties"]["content"]
    document = drop_definition(document, "Root")
    items = definitions(document)
    items["Tool"]["properties"]["title"]["not"] = {"const": ""}
    items["Resource"]["allOf"] = [{"type": "string"}]
    document = rename_definition(document, "ListToolsResult", "Tools")
    document = drop_definition(document, "ListToolsResultResponse")
    definitions(document)["Tools"]["description"] = "Tools."
    _, problems = build_candidate(document)
    assert len(problems) == 6, problems
    text = "\n".join(problems)
    assert "patch 'jsonvalue-scalars' (from 2026-07-28 on): expected" in text
    assert "patch 'elicit-content-number' (from 2025-11-25 on): nothing at the patched" in text
    assert "'Roots' (from 2026-07-28 on) names unknown definition 'Root'" in text
    assert "unsupported keyword(s) ['not']" in text and "at /$defs/Tool/properties/title" in text
    assert "allOf member is not an object schema" in text and "at /$defs/Resource/allOf/0" in text
    assert "no result type for ListToolsRequest (tools/list)" in text


def test_generate_fails_once_with_the_full_list(tmp_path: Path) -> None:
    document = official("draft")
    definitions(document)["JSONValue"]["anyOf"][2]["type"] = ["string", "boolean"]
    document = drop_definition(document, "Root")
    candidate = tmp_path / "schema.json"
    candidate.write_text(json.dumps(document))
    result = runner.invoke(app, ["trial", str(candidate), "--as", "2027-01-01"])
    assert result.exit_code == 1
    assert "## Problems (2)" in result.stdout
    assert "nothing generated" in result.stdout
    assert "jsonvalue-scalars (from 2026-07-28 on) at /$defs/JSONValue/anyOf/2/type" in (
        result.stdout
    )


def test_a_draft_that_still_has_initialize_is_legacy(tmp_path: Path) -> None:
    _, problems = build_candidate(official("2025-11-25"), revision="draft")
    # Today's facts reach the draft; an older (legacy) draft lacks what they name: listed.
    assert len(problems) == 3, problems
    assert "patch 'jsonvalue-scalars' (from 2026-07-28 on): nothing at the patched" in problems[0]
    assert (
        "names unknown field 'RequestMetaObject.io.modelcontextprotocol/logLevel'" in (problems[2])
    )
    # Fixed as a maintainer would: today's facts reach no further than 2026-07-28.
    facts = closed_facts(Facts.load(), "2026-07-28")
    build, problems = build_candidate(official("2025-11-25"), revision="draft", facts=facts)
    assert problems == [] and build is not None
    assert build.era == "legacy"
    assert all(row.name_header_field is None for row in build.method_rows)
    report = try_candidate(official("2025-11-25"), tmp_path, revision="draft", facts=facts)
    assert report.era == "legacy" and report.output
    probe = run_in_package(
        tmp_path,
        "import json\n"
        "from mcp_spec.versions import era_of, wire_version, LATEST\n"
        "from mcp_spec.http_headers import headers_for_request\n"
        "from mcp_spec.draft import methods\n"
        "frame = {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call',\n"
        "         'params': {'name': 'x', 'arguments': {}}}\n"
        "print(json.dumps([era_of('draft').value, headers_for_request('draft', frame),\n"
        "                  methods.METHODS['initialize'].era, LATEST, wire_version('draft')]))\n",
    )
    assert probe == ["legacy", {}, "legacy", "2026-07-28", "2026-07-28"]


def test_a_modern_draft_speaks_the_latest_version_on_the_wire() -> None:
    build, problems = build_candidate(official("draft"), revision="draft")
    assert problems == [] and build is not None
    assert (build.era, build.wire_version) == ("modern", "2026-07-28")


def test_a_schema_that_shows_no_era_is_a_problem() -> None:
    document = drop_definition(official("2026-07-28"), "DiscoverRequest")
    _, problems = build_candidate(document)
    assert any("cannot tell the era" in problem for problem in problems), problems


def test_a_trial_writes_nothing_in_the_repository(tmp_path: Path) -> None:
    watched = [REPO / "schema" / "pins.json", README_FILE, *sorted(CACHE_DIR.rglob("*"))]
    before = {path: path.read_bytes() for path in watched if path.is_file()}
    generated_before = sorted((REPO / "generated").rglob("*"))
    result = runner.invoke(
        app,
        [
            "trial",
            str(SOURCE / "schema" / "draft" / "schema.json"),
            "--as",
            "2027-01-01",
            "--output",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "era: modern (read from the schema); wire version: 2027-01-01" in result.stdout
    assert "## Problems (0)" in result.stdout
    examples = len(list((SOURCE / "schema" / "draft" / "examples").glob("*/*.json")))
    assert f"- {examples} of {examples} valid" in result.stdout
    assert (tmp_path / "out" / "mcp_spec" / "v2027_01_01" / "models.py").is_file()
    assert {path: path.read_bytes() for path in watched if path.is_file()} == before
    assert sorted(CACHE_DIR.rglob("*")) == [path for path in watched[2:]]
    assert sorted((REPO / "generated").rglob("*")) == generated_before


def test_a_trial_reports_invalid_examples(tmp_path: Path) -> None:
    revision_dir = tmp_path / "schema" / "2027-01-01"
    (revision_dir / "examples" / "Tool").mkdir(parents=True)
    (revision_dir / "schema.json").write_text(json.dumps(official("draft")))
    (revision_dir / "examples" / "Tool" / "bad.json").write_text('{"name": 5}')
    (revision_dir / "examples" / "Tool" / "good.json").write_text(
        '{"name": "x", "inputSchema": {"type": "object"}}'
    )
    (revision_dir / "examples" / "Tool" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(app, ["trial", str(tmp_path), "--as", "2027-01-01", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["examples"]["checked"] == 3 and report["examples"]["valid"] == 1
    failures = {Path(item["file"]).name: item for item in report["examples"]["failures"]}
    assert failures["bad.json"]["definition"] == "Tool"
    assert "nested too deeply" in failures["deep.json"]["problems"][0]
    assert report["problems"] == [] and report["ok"] is False


def test_a_hostile_candidate_is_a_listed_problem_not_a_traceback(tmp_path: Path) -> None:
    candidate = tmp_path / "schema.json"
    candidate.write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "a": '
        + "[" * 100_000
        + "]" * 100_000
        + "}"
    )
    result = runner.invoke(app, ["trial", str(candidate), "--as", "2027-01-01"])
    assert result.exit_code == 1
    assert "## Problems (1)" in result.stdout and "nested too deeply" in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _scratch(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "pins_file": tmp_path / "pins.json",
        "readme": tmp_path / "README.md",
        "cache_dir": tmp_path / "cache",
        "output": tmp_path / "generated",
    }
    paths["pins_file"].write_bytes((REPO / "schema" / "pins.json").read_bytes())
    paths["readme"].write_bytes(README_FILE.read_bytes())
    return paths


def test_add_revision_carries_facts_forward_and_updates_what_derives(tmp_path: Path) -> None:
    paths = _scratch(tmp_path)
    added = add_revision(
        "2027-01-01",
        str(SOURCE),
        path="schema/draft/schema.json",
        **paths,  # type: ignore[arg-type]
    )
    assert (added.era, added.wire_version, added.latest) == ("modern", "2027-01-01", "2027-01-01")
    assert "jsonvalue-scalars (from 2026-07-28 on)" in added.patches_carried
    assert "Roots (from 2026-07-28 on)" in added.deprecations_carried
    pins = json.loads(paths["pins_file"].read_text())
    assert list(pins["revisions"])[-2:] == ["2027-01-01", "draft"]
    assert (paths["cache_dir"] / "2027-01-01" / "schema.json").is_file()
    assert "| 2027-01-01 | `mcp_spec.v2027_01_01`, `mcp_spec.latest` | 2020-12 | modern |" in (
        paths["readme"].read_text()
    )
    package = paths["output"]
    probe = run_in_package(
        package,
        "import json, warnings\n"
        "from mcp_spec import latest, versions\n"
        "from mcp_spec.v2027_01_01 import validators, ListRootsRequest\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    ListRootsRequest.model_validate({'method': 'roots/list'})\n"
        "print(json.dumps([versions.LATEST, latest.REVISION,\n"
        "    validators.is_valid('JSONValue', 3.5), validators.is_valid('JSONValue', None),\n"
        "    [str(w.message)[:60] for w in caught]]))\n",
    )
    assert probe[:4] == ["2027-01-01", "2027-01-01", True, True]
    assert probe[4] and probe[4][0].startswith("`ListRootsRequest` is deprecated in MCP 2027-01-01")


def test_add_revision_writes_nothing_when_a_fact_no_longer_applies(tmp_path: Path) -> None:
    paths = _scratch(tmp_path)
    source = tmp_path / "spec"
    document = official("draft")
    definitions(document)["JSONValue"]["anyOf"][2]["type"] = ["string", "number", "null"]
    target = source / "schema" / "2027-01-01" / "schema.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(document))
    for revision in [pin.revision for pin in load_pins().revisions]:
        official_file = SOURCE / "schema" / revision / "schema.json"
        copy = source / "schema" / revision / "schema.json"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(official_file.read_bytes())
    pins_before = paths["pins_file"].read_bytes()
    with pytest.raises(Exception, match="jsonvalue-scalars") as caught:
        add_revision("2027-01-01", str(source), **paths)  # type: ignore[arg-type]
    assert not isinstance(caught.value, ProblemsError)  # exactly one problem: raised as itself
    assert paths["pins_file"].read_bytes() == pins_before
    assert not paths["output"].exists() and not paths["cache_dir"].exists()


def test_readme_revision_table_is_current() -> None:
    pins = load_pins()
    readme = README_FILE.read_text(encoding="utf-8")
    table = readme_table(build_all(pins), latest_revision(pins))
    assert with_readme_table(readme, table) == readme


def test_dropping_a_patched_definition_is_listed_with_the_patch() -> None:
    document = drop_definition(official("2026-07-28"), "JSONValue")
    _, problems = build_candidate(document, revision="2026-07-28")
    assert problems == [
        "patch 'jsonvalue-scalars' (from 2026-07-28 on): nothing at the patched location; "
        "the upstream schema has moved on, review the patch (narrow its revisions if upstream "
        "fixed it) (revision 2026-07-28, file synthetic.json, at /$defs/JSONValue/anyOf/2/type)"
    ]


def test_a_malformed_reach_is_a_clear_error(tmp_path: Path) -> None:
    errata = json.loads((REPO / "schema" / "errata.json").read_text())
    errata["patches"][0]["revisions"] = {"from": "2026-07-28", "until": "draft"}
    path = tmp_path / "errata.json"
    path.write_text(json.dumps(errata))
    with pytest.raises(ErratumError, match=r"revisions must be an object with from/through"):
        load_errata(path)
    errata["patches"][0]["revisions"] = {"from": "2026-07-28", "through": "2025-11-25"}
    path.write_text(json.dumps(errata))
    with pytest.raises(ErratumError, match=r"through 2025-11-25 is before from 2026-07-28"):
        load_errata(path)


@pytest.mark.parametrize(
    ("reach", "covered"),
    [
        ({"from": "2026-07-28"}, {"2026-07-28", "2027-01-01", "draft"}),
        ({"from": "2025-06-18", "through": "2025-11-25"}, {"2025-06-18", "2025-11-25"}),
        ({"only": ["2024-11-05", "draft"]}, {"2024-11-05", "draft"}),
    ],
)
def test_a_reach_covers_what_it_says(reach: dict[str, object], covered: set[str]) -> None:
    revisions = ["2024-11-05", "2025-06-18", "2025-11-25", "2026-07-28", "2027-01-01", "draft"]
    assert {revision for revision in revisions if parse_reach(reach).covers(revision)} == covered


def test_a_trial_never_writes_into_a_directory_of_other_files(tmp_path: Path) -> None:
    keep = tmp_path / "notes.py"
    keep.write_text("mine")
    draft = str(SOURCE / "schema" / "draft" / "schema.json")
    result = runner.invoke(app, ["trial", draft, "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds ['notes.py'], not only an earlier trial's mcp_spec/" in result.stderr
    assert keep.read_text() == "mine" and sorted(tmp_path.iterdir()) == [keep]
