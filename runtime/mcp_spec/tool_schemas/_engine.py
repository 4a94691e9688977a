"""The engine wrapper: a measured, pre-flighted schema compiled by jsonschema-rs (offline,
the regular-expression budget shared among the schema's patterns), and the validator that
bounds each call before the engine runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from .._json import at_most_nodes, cut_message, pointer_of
from .._stack import INLINE_NESTING, on_engine_stack
from ..errors import (
    FIRST_PROBLEM_NODES,
    INVALID_PARAMS,
    LISTING_NODES,
    MAX_PROBLEMS,
    Problem,
    ValidationError,
)
from ._dialects import CANONICAL_SCHEMA_URI, dialect_of
from ._limits import ToolSchemaError, ToolSchemaLimits
from ._preflight import Preflight
from ._work import (
    Applications,
    check_expansion,
    check_nesting,
    instance_units,
    integer_bound,
    refuse_instance,
)

if TYPE_CHECKING:
    import jsonschema_rs

# Work units per instance unit a `uniqueItems` check reads: the engine hashes Python values
# at up to ~550 ns each (measured: 1.9M integers, 1.0 s) against ~10-20 ns per unit for
# most keywords, so its subtree is weighted accordingly.
_WHOLE_SUBTREE_WEIGHT = 32


def _refuse_retrieval(uri: str) -> NoReturn:
    raise ValueError(f"retrieving {uri[:200]!r} is refused: tool schemas are resolved offline")


class ToolSchemaValidator:
    """A compiled tool schema: reusable, thread-safe, bounded per call by its limits."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        dialect: str,
        digest: str,
        limits: ToolSchemaLimits,
        engine: jsonschema_rs.Validator,
        applications: Applications,
        max_integer: int,
    ) -> None:
        self.schema = schema
        self.dialect = dialect
        self.digest = digest
        self.limits = limits
        self._engine = engine
        self._applications = applications
        self._max_integer = max_integer

    def __repr__(self) -> str:
        return f"<ToolSchemaValidator {self.dialect} sha256:{self.digest[:12]}>"

    def errors(self, instance: Any) -> tuple[Problem, ...]:
        """The violations, as JSON pointers into the instance; () when valid.

        Up to MAX_PROBLEMS violations are listed for an instance of at most LISTING_NODES
        nodes, the first one for an instance of at most FIRST_PROBLEM_NODES, none (a verdict
        and why) for a larger one: the engine builds every error eagerly, each with a copy of
        the value it is about (a 300,000-item array of wrong types takes seconds to list,
        microseconds to reject; a root error copies the whole instance).
        """
        _, nesting = self._check_work(instance)
        if nesting > INLINE_NESTING:
            return on_engine_stack(lambda: self._errors(instance))
        return self._errors(instance)

    def _errors(self, instance: Any) -> tuple[Problem, ...]:
        engine = self._engine
        try:
            if engine.is_valid(instance):
                return ()
            if not at_most_nodes(instance, LISTING_NODES):
                if not at_most_nodes(instance, FIRST_PROBLEM_NODES):
                    # The engine's error would copy the value it is about: maybe all of it.
                    reason = (
                        "violations are not listed for an instance of more than "
                        f"{FIRST_PROBLEM_NODES} nodes (validate a part of it to see them)"
                    )
                    return (Problem("", reason),)
                import jsonschema_rs

                try:
                    engine.validate(instance)
                except jsonschema_rs.ValidationError as error:
                    return (_problem(error),)
                return ()
            problems: list[Problem] = []
            extra = 0
            for error in engine.iter_errors(instance):
                if len(problems) < MAX_PROBLEMS:
                    problems.append(_problem(error))
                else:
                    extra += 1
        except (ValueError, TypeError, OverflowError) as error:
            return (Problem("", f"cannot be validated: {cut_message(str(error))}"),)
        if extra:
            problems.append(Problem("", f"... and {extra} more problems"))
        return tuple(problems)

    def is_valid(self, instance: Any) -> bool:
        """Whether the instance matches (a refused instance raises `ValidationError`)."""
        _, nesting = self._check_work(instance)
        if nesting > INLINE_NESTING:
            return on_engine_stack(lambda: self._is_valid(instance))
        return self._is_valid(instance)

    def _is_valid(self, instance: Any) -> bool:
        try:
            return self._engine.is_valid(instance)
        except (ValueError, TypeError, OverflowError):
            return False

    def validate(
        self, instance: Any, *, what: str = "instance", code: int = INVALID_PARAMS
    ) -> None:
        """Raise `ValidationError` (with `code`) listing every violation; None when valid."""
        problems = self.errors(instance)
        if problems:
            raise ValidationError(f"{what} does not match its schema", problems, code=code)

    def _check_work(self, instance: Any) -> tuple[int, int]:
        """The instance's work bound and the subschema nesting it may cause; `ValidationError`
        when it, its depth, its integers or that nesting are over the limits."""
        limits = self.limits
        units = instance_units(
            instance, limits.max_instance_depth, limits.max_instance_units, self._max_integer
        )
        if units is None:
            refuse_instance(instance, limits.max_instance_depth, self._max_integer)
        costs, wholes, nesting = self._applications.upto(len(units) - 1)
        deepest = nesting[len(units) - 1]
        if deepest > limits.max_expanded_depth:
            raise ValidationError(
                "instance refused: validating it would nest subschemas too deep",
                [
                    Problem(
                        "",
                        f"{deepest} nested subschemas at its depth of "
                        f"{len(units) - 1}, more than {limits.max_expanded_depth} "
                        "(max_expanded_depth)",
                    )
                ],
            )
        below = 0  # units at this depth and deeper: what a whole-subtree check reads
        work = 0
        for depth in reversed(range(len(units))):
            below += units[depth]
            work += units[depth] * costs[depth] + wholes[depth] * below * _WHOLE_SUBTREE_WEIGHT
        if work > limits.max_validation_work:
            raise ValidationError(
                "instance refused: validating it against this schema could take more work "
                "than allowed",
                [
                    Problem(
                        "",
                        f"up to {work} work units, more than {limits.max_validation_work} "
                        "(max_validation_work)",
                    )
                ],
            )
        return work, deepest


def _problem(error: jsonschema_rs.ValidationError) -> Problem:
    return Problem(pointer_of(error.instance_path), cut_message(error.message))


def compile_schema(
    schema: Mapping[str, Any], canonical: bytes, digest: str, limits: ToolSchemaLimits
) -> ToolSchemaValidator:
    """Pre-flight `schema` (already measured) and compile exactly its canonical JSON."""
    dialect = dialect_of(schema)
    graph = Preflight(schema, dialect, limits).run()
    check_expansion(graph, limits.max_expanded_subschemas)
    applications = Applications(graph, limits.max_validation_work + 1)
    check_nesting(applications, limits.max_expanded_depth)
    import jsonschema_rs

    engines: dict[str, Any] = {
        "2020-12": jsonschema_rs.Draft202012Validator,
        "2019-09": jsonschema_rs.Draft201909Validator,
        "draft-07": jsonschema_rs.Draft7Validator,
    }
    # The engine compiles exactly what was hashed, as plain JSON, in a private copy (the
    # caller may mutate its dict; the cache must not change with it).
    private: dict[str, Any] = json.loads(canonical)
    document = dict(private)
    if "$schema" in document:
        document["$schema"] = CANONICAL_SCHEMA_URI[dialect]
    # Each regular expression gets an equal share of the whole schema's budget, so the set
    # of them is bounded in memory and compile time, not only each one.
    regex_bytes = min(
        limits.max_regex_program_bytes, limits.max_regex_total_bytes // max(1, graph.patterns)
    )
    options = jsonschema_rs.RegexOptions(size_limit=regex_bytes, dfa_size_limit=regex_bytes)
    try:
        # Compiling recurses along reference chains (deeply with unevaluated*): its own stack.
        engine: jsonschema_rs.Validator = on_engine_stack(
            lambda: engines[dialect](
                document,
                validate_formats=False,
                retriever=_refuse_retrieval,
                pattern_options=options,
            )
        )
    except jsonschema_rs.ValidationError as error:
        pointer = pointer_of(error.instance_path)
        message = cut_message(error.message)
        kind = error.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Format) and kind.format == "regex":
            message = (
                f"{message}: the linear-time regex engine accepts no backreferences or "
                f"lookaround, and no program larger than {regex_bytes} bytes (the schema's "
                f"{graph.patterns} regular expressions share max_regex_total_bytes; one may "
                "use at most max_regex_program_bytes)"
            )
        raise ToolSchemaError(pointer, message) from None
    except (ValueError, TypeError, jsonschema_rs.ReferencingError) as error:
        raise ToolSchemaError(
            "", f"the validator refused the schema: {cut_message(str(error))}"
        ) from None
    return ToolSchemaValidator(
        private, dialect, digest, limits, engine, applications, integer_bound(graph)
    )
