"""Differential fuzzing: every definition's generated strategies against every verdict.

For each definition of a revision, instances drawn from `mcp_spec.<revision>.strategies`
go through a list of named verdicts `(revision, definition, instance) -> accepted?`:

- valid draws: every verdict accepts, and every round trip (`ROUND_TRIPS`) reproduces the
  instance exactly;
- near misses: every verdict agrees with the reference, unless `schema/deviations.json`
  declares that disagreement (by mutation kind and verdicts); a near miss the strategy
  calls `certain` must be rejected by the reference (else the strategy lies).

`mcp-spec fuzz` and the tests both run `fuzz_definition`.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import HypothesisException

from .errors import GeneratorError
from .naming import revision_module
from .project import current_project
from .reference import reference_is_valid, revision_ir

# A verdict: does this implementation accept `instance` as definition `definition`? None
# abstains (e.g. an implementation that does not know inline models).
Verdict = Callable[[str, str, Any], bool | None]
# A round trip: None when `instance` comes back exactly, else what differed.
RoundTrip = Callable[[str, str, Any], str | None]


def _strategies(revision: str) -> Any:
    return importlib.import_module(f"mcp_spec.{revision_module(revision)}.strategies")


@functools.cache
def _adapter(revision: str, definition: str) -> pydantic.TypeAdapter[Any]:
    models = importlib.import_module(f"mcp_spec.{revision_module(revision)}.models")
    return pydantic.TypeAdapter(getattr(models, definition))


def reference_verdict(revision: str, definition: str, instance: Any) -> bool:
    """`jsonschema` with the revision's dialect and format checks (the reference)."""
    return reference_is_valid(revision, definition, instance)


def model_verdict(revision: str, definition: str, instance: Any) -> bool:
    """The generated pydantic model (or type alias) of `definition`, strictly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated models still validate
        try:
            _adapter(revision, definition).validate_python(instance, strict=True)
        except pydantic.ValidationError:
            return False
    return True


def model_round_trip(revision: str, definition: str, instance: Any) -> str | None:
    """Validate, then dump with wire names: the JSON must be exactly the instance."""
    adapter = _adapter(revision, definition)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = adapter.validate_python(instance, strict=True)
        dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    difference = json_difference(instance, dumped)
    return None if difference is None else f"round trip differs at {difference}"


def default_dump_round_trip(revision: str, definition: str, instance: Any) -> str | None:
    """Validate, then dump with no arguments (`model_dump()`, `model_dump_json()`): the wire
    form, which must be exactly the instance."""
    adapter = _adapter(revision, definition)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = adapter.validate_python(instance, strict=True)
    if not isinstance(value, pydantic.BaseModel):
        return None  # a scalar, list or dict alias: no model_dump of its own
    difference = json_difference(instance, value.model_dump())
    if difference is None:
        difference = json_difference(instance, json.loads(value.model_dump_json()))
        if difference is not None:
            return f"model_dump_json() differs at {difference}"
        return None
    return f"model_dump() differs at {difference}"


def compiled_verdict(revision: str, definition: str, instance: Any) -> bool:
    """The compiled validators (`mcp_spec.<revision>.validators`, jsonschema-rs)."""
    validators = importlib.import_module(f"mcp_spec.{revision_module(revision)}.validators")
    return bool(validators.is_valid(definition, instance))


def typed_load_verdict(revision: str, definition: str, instance: Any) -> bool:
    """The fast path: the instance as JSON bytes through `wire.load_json` (exact msgspec
    decoding, then the compiled validator); what it returns must be the instance."""
    from mcp_spec.errors import ValidationError

    wire = importlib.import_module(f"mcp_spec.{revision_module(revision)}.wire")
    raw = json.dumps(instance, ensure_ascii=False).encode()
    try:
        loaded = wire.load_json(definition, raw)
    except ValidationError:
        return False
    difference = json_difference(instance, loaded)
    if difference is not None:
        raise AssertionError(f"wire.load_json changed the data at {difference}")
    return True


# The verdicts every draw goes through; "reference" must stay first.
VERDICTS: dict[str, Verdict] = {
    "reference": reference_verdict,
    "model": model_verdict,
    "compiled": compiled_verdict,
    "typed-load": typed_load_verdict,
}
ROUND_TRIPS: dict[str, RoundTrip] = {
    "model": model_round_trip,
    "default dump": default_dump_round_trip,
}


def json_difference(expected: Any, actual: Any, pointer: str = "") -> str | None:
    """Where two JSON values differ (a JSON pointer), telling 1, 1.0 and True apart."""
    if type(expected) is not type(actual):
        return f"{pointer or '/'}: {expected!r} became {actual!r}"
    if isinstance(expected, dict):
        if set(expected) != set(actual):
            return f"{pointer or '/'}: keys {sorted(expected)} became {sorted(actual)}"
        for key, value in expected.items():
            token = key.replace("~", "~0").replace("/", "~1")
            found = json_difference(value, actual[key], f"{pointer}/{token}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{pointer or '/'}: {len(expected)} items became {len(actual)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = json_difference(left, right, f"{pointer}/{index}")
            if found:
                return found
        return None
    same = expected == actual or (
        isinstance(expected, float) and math.isnan(expected) and math.isnan(actual)
    )
    return None if same else f"{pointer or '/'}: {expected!r} became {actual!r}"


# -- deviations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deviation:
    """A deliberate disagreement with the reference: for near misses of kind `mutation`,
    the verdicts named in `verdicts` may give these answers."""

    id: str
    mutation: str
    verdicts: dict[str, bool]
    reason: str
    test: str

    def explains(self, kind: str | None, outcomes: dict[str, bool | str]) -> set[str]:
        """The verdict names whose disagreement this deviation accounts for."""
        if kind != self.mutation:
            return set()
        if any(outcomes.get(name) != answer for name, answer in self.verdicts.items()):
            return set()
        return set(self.verdicts) - {"reference"}


def load_deviations(path: Path | None = None) -> tuple[Deviation, ...]:
    path = path or current_project().schema_dir / "deviations.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Deviation(
                id=entry["id"],
                mutation=entry["mutation"],
                verdicts={str(name): bool(value) for name, value in entry["verdicts"].items()},
                reason=entry["reason"],
                test=entry["test"],
            )
            for entry in data["deviations"]
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GeneratorError(f"unreadable deviations: {exc!r}", file=str(path)) from None


# -- checking one draw -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One draw the verdicts do not agree on (or that broke a verdict)."""

    revision: str
    definition: str
    phase: str  # "valid" | "invalid"
    instance: Any
    outcomes: dict[str, bool | str]  # verdict name -> accepted, or the error it raised
    problem: str
    mutation: str | None = None  # "kind at pointer" for near misses


def _outcomes(revision: str, definition: str, instance: Any) -> dict[str, bool | str]:
    outcomes: dict[str, bool | str] = {}
    for name, verdict in VERDICTS.items():
        try:
            answer = verdict(revision, definition, instance)
        except Exception as exc:  # a verdict that crashes is a finding, not a stop
            outcomes[name] = f"raised {type(exc).__name__}: {exc}"
            continue
        if answer is not None:
            outcomes[name] = bool(answer)
    return outcomes


def check_valid(revision: str, definition: str, instance: Any) -> Disagreement | None:
    outcomes = _outcomes(revision, definition, instance)
    rejected = [name for name, outcome in outcomes.items() if outcome is not True]
    problem = None
    if rejected:
        problem = f"a valid draw is not accepted by: {', '.join(rejected)}"
    else:
        for name, round_trip in ROUND_TRIPS.items():
            try:
                difference = round_trip(revision, definition, instance)
            except Exception as exc:
                difference = f"raised {type(exc).__name__}: {exc}"
            if difference is not None:
                problem = f"{name} {difference}"
                break
    if problem is None:
        return None
    return Disagreement(revision, definition, "valid", instance, outcomes, problem)


def check_near_miss(
    revision: str, definition: str, mutation: Any, deviations: Iterable[Deviation]
) -> Disagreement | None:
    outcomes = _outcomes(revision, definition, mutation.instance)
    label = f"{mutation.kind} at {mutation.pointer or '/'}"
    reference = outcomes["reference"]
    problem = None
    if mutation.certain and reference is True:
        problem = "the strategy calls this near miss certain, but the reference accepts it"
    else:
        disagreeing = {name for name, outcome in outcomes.items() if outcome != reference}
        for deviation in deviations:
            disagreeing -= deviation.explains(mutation.kind, outcomes)
        if disagreeing:
            problem = f"disagrees with the reference: {', '.join(sorted(disagreeing))}"
    if problem is None:
        return None
    return Disagreement(
        revision, definition, "invalid", mutation.instance, outcomes, problem, label
    )


# -- running a definition ------------------------------------------------------------------


def fuzz_targets(revision: str) -> list[str]:
    """The definitions of a revision, then its inline models (each validated by the
    reference where it stands in the schema file, inside an `allOf` member if merged)."""
    ir = revision_ir(revision)
    return [*ir.definitions, *ir.inline]


@dataclass(slots=True)
class DefinitionReport:
    revision: str
    definition: str
    examples: int = 0
    seconds: float = 0.0
    near_misses: bool = True  # False when every JSON value is valid for the definition
    failures: list[Disagreement] = field(default_factory=list[Disagreement])


class _Found(Exception):
    def __init__(self, disagreement: Disagreement) -> None:
        super().__init__(disagreement.problem)
        self.disagreement = disagreement


def fuzz_definition(
    revision: str,
    definition: str,
    *,
    examples: int,
    seed_value: int = 0,
    deviations: Iterable[Deviation] | None = None,
) -> DefinitionReport:
    """Run `examples` valid draws and `examples` near misses of `definition` through every
    verdict; a disagreement is shrunk by hypothesis before it is reported."""
    known = tuple(load_deviations() if deviations is None else deviations)
    strategies = _strategies(revision)
    report = DefinitionReport(revision, definition)
    started = time.perf_counter()
    profile = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )

    def counted(check: Callable[[Any], Disagreement | None]) -> Callable[[Any], None]:
        def run(drawn: Any) -> None:
            report.examples += 1
            found = check(drawn)
            if found is not None:
                raise _Found(found)

        return run

    phases: list[tuple[Any, Callable[[Any], Disagreement | None]]] = [
        (
            strategies.from_def(definition),
            lambda instance: check_valid(revision, definition, instance),
        )
    ]
    report.near_misses = bool(strategies.has_near_misses(definition))
    if report.near_misses:
        phases.append(
            (
                strategies.invalid_from_def(definition),
                lambda mutation: check_near_miss(revision, definition, mutation, known),
            )
        )
    for strategy, check in phases:
        test = seed(seed_value)(profile(given(strategy)(counted(check))))
        try:
            test()
        except _Found as found:
            report.failures.append(found.disagreement)
        except HypothesisException as exc:
            report.failures.append(
                Disagreement(
                    revision, definition, "strategy", None, {}, f"{type(exc).__name__}: {exc}"
                )
            )
    report.seconds = time.perf_counter() - started
    return report


def replay_command(failure: Disagreement, examples: int, seed_value: int) -> str:
    return (
        f"mcp-spec fuzz --revision {failure.revision} --def {failure.definition}"
        f" --examples {examples} --seed {seed_value}"
    )
