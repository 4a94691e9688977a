"""Differential fuzzing (bounded profile): for every definition of every revision, valid draws
are accepted by every verdict and round-trip exactly, and near misses get the reference's
verdict except where schema/deviations.json says why not. `make fuzz` runs the long profile."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mcp_spec._strategies import Mutation
from mcp_spec_gen import fuzz
from mcp_spec_gen.cli import app
from mcp_spec_gen.fuzz import (
    Disagreement,
    check_near_miss,
    check_valid,
    fuzz_definition,
    fuzz_targets,
    json_difference,
    load_deviations,
    model_verdict,
    reference_verdict,
)
from mcp_spec_gen.reference import revision_ir

from .conftest import REPO, REVISIONS

# Few examples per definition (valid draws, and as many near misses), a fixed seed: the run
# is reproducible and the whole suite stays fast. `make fuzz` draws many more.
EXAMPLES = 4
SEED = 0


def describe(failures: list[Disagreement]) -> str:
    return "\n".join(
        f"{f.definition} [{f.phase}{' ' + f.mutation if f.mutation else ''}]: {f.problem}; "
        f"verdicts {f.outcomes}; instance {json.dumps(f.instance)[:300]}"
        for f in failures
    )


@pytest.mark.parametrize("rev", REVISIONS)
def test_every_definition_agrees_with_the_reference(rev: str) -> None:
    targets = fuzz_targets(rev)
    assert set(revision_ir(rev).definitions) <= set(targets)  # every schema definition
    deviations = load_deviations()
    failures: list[Disagreement] = []
    examples = 0
    for name in targets:
        report = fuzz_definition(
            rev, name, examples=EXAMPLES, seed_value=SEED, deviations=deviations
        )
        failures.extend(report.failures)
        examples += report.examples
    assert not failures, describe(failures)
    assert examples >= len(targets) * EXAMPLES


# -- the checker itself can fail -------------------------------------------------------------


def test_a_valid_draw_the_model_rejects_is_reported() -> None:
    found = check_valid("2026-07-28", "Implementation", {"name": "x", "version": 1})
    assert found is not None
    assert found.outcomes == {
        "reference": False,
        "model": False,
        "compiled": False,
        "typed-load": False,
    }
    assert "not accepted by: reference, model, compiled, typed-load" in found.problem


def test_an_unexplained_disagreement_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(fuzz.VERDICTS, "lenient", lambda revision, definition, instance: True)
    miss = Mutation("wrong-type", "/name", {"name": 5, "version": "1"}, True)
    found = check_near_miss("2026-07-28", "Implementation", miss, load_deviations())
    assert found is not None and found.problem == "disagrees with the reference: lenient"


def test_a_certain_near_miss_the_reference_accepts_is_a_strategy_bug() -> None:
    miss = Mutation("wrong-type", "/name", {"name": "fine", "version": "1"}, True)
    found = check_near_miss("2026-07-28", "Implementation", miss, ())
    assert found is not None and "calls this near miss certain" in found.problem


def test_a_round_trip_that_changes_the_instance_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(fuzz.ROUND_TRIPS, "lossy", lambda revision, definition, instance: "lost")
    found = check_valid("2026-07-28", "Implementation", {"name": "x", "version": "1"})
    assert found is not None and found.problem == "lossy lost"


def test_a_crashing_verdict_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(revision: str, definition: str, instance: Any) -> bool:
        raise RuntimeError("boom")

    monkeypatch.setitem(fuzz.VERDICTS, "broken", broken)
    found = check_valid("2026-07-28", "Implementation", {"name": "x", "version": "1"})
    assert found is not None and found.outcomes["broken"] == "raised RuntimeError: boom"


def test_json_difference_tells_numbers_and_booleans_apart() -> None:
    assert json_difference({"a": [1, {"b": True}]}, {"a": [1, {"b": True}]}) is None
    assert json_difference(1, 1.0) == "/: 1 became 1.0"
    assert json_difference([True], [1]) == "/0: True became 1"
    assert json_difference({"a/b": 1}, {"a/b": 2}) == "/a~1b: 1 became 2"
    assert json_difference({"a": 1}, {"a": 1, "b": None}) is not None


# -- deviations: each is declared, explained and shown to exist --------------------------------


def test_deviation_integer_rejects_integral_float() -> None:
    completion = {"values": [], "total": 3.0}
    assert reference_verdict("2026-07-28", "CompleteResultCompletion", completion)
    assert not model_verdict("2026-07-28", "CompleteResultCompletion", completion)


def test_attribute_names_are_unknown_keys_for_every_verdict() -> None:
    # No deviation any more: a Python attribute name is an unknown key to the models too.
    renamed = {"name": "t", "input_schema": {"type": "object"}}
    assert not reference_verdict("2026-07-28", "Tool", renamed)
    assert not model_verdict("2026-07-28", "Tool", renamed)
    wrong_typed = {"content": [], "is_error": "yes"}
    assert reference_verdict("2025-11-25", "CallToolResult", wrong_typed)
    assert model_verdict("2025-11-25", "CallToolResult", wrong_typed)
    assert check_valid("2025-11-25", "CallToolResult", wrong_typed) is None
    assert not [d for d in load_deviations() if d.mutation == "attribute-name-key"]


def test_deviation_models_do_not_check_formats() -> None:
    resource = {"name": "r", "uri": "not a uri"}
    assert not reference_verdict("2026-07-28", "Resource", resource)
    assert model_verdict("2026-07-28", "Resource", resource)


def test_every_deviation_names_a_test_that_exists() -> None:
    deviations = load_deviations()
    assert deviations
    for deviation in deviations:
        path, _, name = deviation.test.partition("::")
        source = (REPO / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE), deviation.test
        assert deviation.reason and set(deviation.verdicts) >= {"reference"}


def test_a_deviation_explains_only_its_own_mutation_kind() -> None:
    (integral,) = [d for d in load_deviations() if d.mutation == "integral-float"]
    outcomes: dict[str, bool | str] = {"reference": True, "model": False}
    assert integral.explains("integral-float", outcomes) == {"model"}
    assert integral.explains("wrong-type", outcomes) == set()
    assert integral.explains("integral-float", {"reference": False, "model": True}) == set()


def test_unreadable_deviations_file_is_a_clear_error(tmp_path: Path) -> None:
    from mcp_spec_gen.errors import GeneratorError

    broken = tmp_path / "deviations.json"
    broken.write_text('{"deviations": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(GeneratorError, match="unreadable deviations"):
        load_deviations(broken)


# -- CLI ------------------------------------------------------------------------------------


def test_cli_fuzz_prints_a_summary() -> None:
    result = CliRunner().invoke(
        app, ["fuzz", "--revision", "2025-03-26", "--def", "Implementation", "--examples", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "2025-03-26" in result.output and "examples/s" in result.output


def test_cli_fuzz_failure_prints_instance_verdicts_and_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(fuzz.VERDICTS, "strict", lambda revision, definition, instance: False)
    result = CliRunner().invoke(
        app,
        ["fuzz", "--revision", "2026-07-28", "--def", "Role", "--examples", "5", "--seed", "7"],
    )
    assert result.exit_code == 1
    assert '"strict": false' in result.output
    assert (
        "replay: mcp-spec fuzz --revision 2026-07-28 --def Role --examples 5 --seed 7"
        in result.output
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--revision", "1999-01-01"], "unknown revision(s) ['1999-01-01']"),
        (["--revision", "2026-07-28", "--def", "Nope"], "has no definition 'Nope'"),
    ],
)
def test_cli_fuzz_bad_arguments_are_clear(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["fuzz", *arguments])
    assert result.exit_code == 2 and message in result.output


def test_a_verdict_may_abstain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(fuzz.VERDICTS, "abstaining", lambda revision, definition, instance: None)
    assert check_valid("2026-07-28", "Implementation", {"name": "x", "version": "1"}) is None
    found = check_valid("2026-07-28", "Implementation", {"name": "x"})
    assert found is not None and "abstaining" not in found.outcomes
