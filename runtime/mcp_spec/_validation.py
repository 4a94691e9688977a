"""The compiled-validator engine every revision's `validators` module shares.

One `RevisionValidators` per revision loads the revision's validation bundle (package data,
on first use) and compiles one jsonschema-rs validator per definition, lazily, cached.
References resolve inside the bundle only: the registry holds the bundle alone and the
retriever refuses every URI, so nothing is ever fetched from the network or the disk.

Formats checked, as the reference (`jsonschema` with its standard format checkers) does:
`uri` natively by jsonschema-rs (RFC 3986, absolute), `byte` (strict base64) as the
equivalent pattern the generator wrote into the bundle, and the rest (`uri-template`,
`date-time`, `date`, `time`, `email`, `ipv4`, `ipv6`, `uuid`) through the Python callbacks of
`_formats`, so only definitions that can reach such a string are compiled with them. The
generator refuses (lists as a problem) any other format.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ._decode import decode_json, decode_json_with_nesting, nesting_at_most
from ._formats import CALLBACK_CHECKS, CUSTOM_KEYWORDS
from ._json import at_most_nodes, cut_message, echo, pointer_of
from ._locks import ForkSafeLock
from ._stack import INLINE_DEPTH, on_engine_stack
from .errors import (
    FIRST_PROBLEM_NODES,
    INVALID_PARAMS,
    LISTING_NODES,
    MAX_PROBLEMS,
    PARSE_ERROR,
    MCPSpecError,
    Problem,
    UnknownDefinitionError,
    ValidationError,
)

if TYPE_CHECKING:
    # Imported on the first typed model built: validation and typed loading never need it.
    import pydantic

BUNDLE_URI = "urn:mcp-spec:validation:{revision}"


@dataclass(frozen=True, slots=True)
class Report:
    """What `RevisionValidators.report` found: the problems listed, how many more there are
    (None when not counted: a large instance reports its first violation only), and whether
    every violation found lies under the scope asked for."""

    problems: list[Problem]
    omitted: int | None
    all_within: bool


def _under(pointer: str, scope: str) -> bool:
    return not scope or pointer == scope or pointer.startswith(scope + "/")


FORMATS: dict[str, Callable[[str], bool]] = CALLBACK_CHECKS
KEYWORDS: dict[str, type[jsonschema_rs.KeywordValidator]] = {
    name: keyword for name, keyword in CUSTOM_KEYWORDS.items()
}


def _refuse_retrieval(uri: str) -> Any:
    raise LookupError(f"mcp_spec never retrieves schemas; {uri!r} is not in the bundle")


def problems_from_pydantic(
    error: pydantic.ValidationError, prefix: str = "", max_problems: int = MAX_PROBLEMS
) -> list[Problem]:
    return [
        Problem(prefix + pointer_of(detail["loc"]), cut_message(detail["msg"]))
        for detail in error.errors(include_url=False)[:max_problems]
    ]


def _value_at(instance: Any, path: Any) -> Any:
    for token in path:
        try:
            instance = instance[token]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


def _not_json(exc: ValueError) -> ValidationError:
    """jsonschema-rs refuses Python values that JSON cannot hold (sets, dates, int keys) and
    strings that are not Unicode text (a lone surrogate: the decoding rules' PARSE_ERROR)."""
    if isinstance(exc, UnicodeEncodeError):
        reason = "a string holds a lone surrogate (not Unicode text)"
        return ValidationError(f"not valid JSON: {reason}", [Problem("", reason)], code=PARSE_ERROR)
    reason = cut_message(str(exc).partition("\n")[0])
    return ValidationError("not JSON data", [Problem("", reason)], code=INVALID_PARAMS)


class RevisionValidators:
    """Validators and typed parsers of one revision's schema definitions."""

    def __init__(
        self,
        *,
        revision: str,
        package: str,
        bundle_file: str,
        pointers: Mapping[str, str],
        callback_formats: frozenset[str] = frozenset(),
        byte_pattern: str | None = None,
    ) -> None:
        self.revision = revision
        self.package = package
        self.bundle_file = bundle_file
        self.pointers = pointers
        self.definitions = frozenset(pointers)
        self.callback_formats = callback_formats
        self.byte_pattern = byte_pattern
        self._lock = ForkSafeLock()
        self._registry: jsonschema_rs.Registry | None = None
        self._dialect = ""
        self._validators: dict[str, jsonschema_rs.Validator] = {}
        self._adapters: dict[str, pydantic.TypeAdapter[Any]] = {}
        self._builders: dict[str, Callable[[Any], Any]] = {}

    def _check_name(self, name: str) -> None:
        if name not in self.definitions:
            raise UnknownDefinitionError(
                f"revision {self.revision} has no definition {name!r}"
                " (see its validators.DEFINITIONS)"
            )

    def _load_registry(self) -> jsonschema_rs.Registry:
        import importlib.resources  # pathlib, tempfile, ...: only when a bundle is read

        raw = importlib.resources.files(self.package).joinpath(self.bundle_file).read_bytes()
        bundle = json.loads(raw)
        self._dialect = str(bundle["$schema"])
        uri = BUNDLE_URI.format(revision=self.revision)
        return jsonschema_rs.Registry([(uri, bundle)], retriever=_refuse_retrieval)

    def validator(self, name: str) -> jsonschema_rs.Validator:
        """The compiled validator of definition `name` (compiled on first use)."""
        compiled = self._validators.get(name)
        if compiled is not None:
            return compiled
        self._check_name(name)
        with self._lock:
            compiled = self._validators.get(name)
            if compiled is None:
                try:
                    compiled = self._compile(name)
                except (ValueError, jsonschema_rs.ReferencingError) as exc:
                    # jsonschema-rs reports unresolvable references as ValueError subclasses.
                    reason = str(exc).partition("\n")[0]
                    raise MCPSpecError(
                        f"definition {name!r} of revision {self.revision} cannot be compiled: "
                        f"{reason}"
                    ) from None
                self._validators[name] = compiled
        return compiled

    def _compile(self, name: str) -> jsonschema_rs.Validator:
        if self._registry is None:
            self._registry = self._load_registry()
        uri = BUNDLE_URI.format(revision=self.revision)
        schema = {"$schema": self._dialect, "$ref": f"{uri}#{self.pointers[name]}"}
        return jsonschema_rs.validator_for(
            schema,
            registry=self._registry,
            retriever=_refuse_retrieval,
            validate_formats=True,
            formats=FORMATS if name in self.callback_formats else None,
            keywords=KEYWORDS if name in self.callback_formats else None,
        )

    def is_valid(self, name: str, instance: Any) -> bool:
        compiled = self.validator(name)
        try:
            return compiled.is_valid(instance)
        except ValueError as exc:
            raise _not_json(exc) from None

    def iter_errors(
        self, name: str, instance: Any, prefix: str = "", *, max_problems: int = MAX_PROBLEMS
    ) -> Iterator[Problem]:
        """At most `max_problems` violations, in the engine's order (see `report`)."""
        return iter(self.report(name, instance, prefix, max_problems=max_problems).problems)

    def report(
        self,
        name: str,
        instance: Any,
        prefix: str = "",
        *,
        max_problems: int = MAX_PROBLEMS,
        scope: str = "",
    ) -> Report:
        """The violations of `instance`, capped: validity is decided first (the cheap path);
        an invalid instance of at most LISTING_NODES nodes has its violations listed (the
        first `max_problems`, the rest counted), one of at most FIRST_PROBLEM_NODES its
        first violation, a larger one its verdict only (see the constants: the engine's
        error objects are eager and copy the values they are about)."""
        compiled = self._validators.get(name) or self.validator(name)
        try:
            if compiled.is_valid(instance):
                return Report([], 0, True)
            if not at_most_nodes(instance, LISTING_NODES):
                if not at_most_nodes(instance, FIRST_PROBLEM_NODES):
                    reason = (
                        f"not a valid {name}; its violations are not listed for an instance "
                        f"of more than {FIRST_PROBLEM_NODES} nodes (validate a part of it to "
                        "see them)"
                    )
                    return Report([Problem(prefix, reason)], None, _under(prefix, scope))
                try:
                    compiled.validate(instance)
                except jsonschema_rs.ValidationError as error:
                    first = self._problem(error, instance, prefix)
                    return Report([first], None, _under(first.pointer, scope))
                return Report([], 0, True)  # not reached: is_valid said no
            problems: list[Problem] = []
            seen = 0
            within = True
            for error in compiled.iter_errors(instance):
                seen += 1
                if len(problems) < max_problems:
                    problems.append(self._problem(error, instance, prefix))
                    pointer = problems[-1].pointer
                else:
                    pointer = prefix + pointer_of(error.instance_path)
                within = within and _under(pointer, scope)
            return Report(problems, seen - len(problems), within)
        except ValueError as exc:
            raise _not_json(exc) from None

    def _problem(self, error: jsonschema_rs.ValidationError, instance: Any, prefix: str) -> Problem:
        reason = self._reason(error)
        value = _value_at(instance, error.instance_path)
        if isinstance(value, float) and not math.isfinite(value):
            # jsonschema-rs sees a non-finite float as null; say what it really is.
            reason = f"{value!r} is not a finite number (JSON has no NaN or Infinity)"
        return Problem(prefix + pointer_of(error.instance_path), reason)

    def _reason(self, error: jsonschema_rs.ValidationError) -> str:
        kind = error.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Pattern) and (
            kind.pattern == self.byte_pattern
        ):
            return f'{echo(error.instance)} is not a "byte" (strict base64)'
        return cut_message(error.message)

    def problems(
        self, name: str, instance: Any, prefix: str = "", *, max_problems: int = MAX_PROBLEMS
    ) -> list[Problem]:
        """The first `max_problems` violations, or [] when valid (see `report`)."""
        return self.report(name, instance, prefix, max_problems=max_problems).problems

    def validate(
        self,
        name: str,
        instance: Any,
        *,
        code: int = INVALID_PARAMS,
        max_problems: int = MAX_PROBLEMS,
    ) -> None:
        found = self.report(name, instance, max_problems=max_problems)
        if found.problems:
            raise ValidationError(
                f"not a valid {name} (MCP {self.revision})",
                found.problems,
                code=code,
                omitted=found.omitted,
            )

    def adapter(self, name: str) -> pydantic.TypeAdapter[Any]:
        """A cached pydantic adapter of the generated model or alias named `name`."""
        adapter = self._adapters.get(name)
        if adapter is None:
            self._check_name(name)
            import pydantic

            models = importlib.import_module(".models", self.package)
            adapter = pydantic.TypeAdapter(getattr(models, name))
            self._adapters[name] = adapter
        return adapter

    def to_model(
        self,
        name: str,
        data: Any,
        *,
        prefix: str = "",
        code: int = INVALID_PARAMS,
        nesting: int | None = None,
    ) -> Any:
        """The typed value of already validated `data` (see the models' listed deviations).

        `nesting` bounds how deep `data` nests (measured when not given): pydantic-core
        recurses per level, so a deep value's model is built on a stack of known size."""
        build = self._builders.get(name)
        if build is None:
            # The adapter's core validator, called directly: the TypeAdapter wrapper costs
            # about a tenth of a small message's whole validation.
            build = self._builders[name] = self.adapter(name).validator.validate_python
        if nesting is None:  # only whether it passes INLINE_DEPTH matters
            nesting = INLINE_DEPTH if nesting_at_most(data, INLINE_DEPTH) else INLINE_DEPTH + 1
        try:
            if nesting > INLINE_DEPTH:
                return on_engine_stack(lambda: build(data))
            return build(data)
        except ValueError as exc:
            import pydantic  # already imported: the adapter was built with it

            if not isinstance(exc, pydantic.ValidationError):
                raise
            raise ValidationError(
                f"not a valid {name} (MCP {self.revision}): the typed model rejects it",
                problems_from_pydantic(exc, prefix),
                code=code,
            ) from None

    def load(self, name: str, data: Any, *, max_problems: int = MAX_PROBLEMS) -> Any:
        """`data` itself after exact validation: the typed loading of `<revision>.wire`."""
        compiled = self._validators.get(name)
        try:
            if compiled is not None and compiled.is_valid(data):
                return data  # the common case, without building a report (a small frame's 40%)
        except ValueError:
            pass  # a value JSON cannot hold: `validate` says so
        self.validate(name, data, max_problems=max_problems)
        return data

    def load_json(
        self,
        name: str,
        raw: bytes | bytearray | memoryview | str,
        *,
        max_problems: int = MAX_PROBLEMS,
    ) -> Any:
        return self.load(name, decode_json(raw), max_problems=max_problems)

    def parse(self, name: str, data: Any, *, nesting: int | None = None) -> Any:
        self.validate(name, data)
        return self.to_model(name, data, nesting=nesting)

    def parse_json(self, name: str, raw: bytes | bytearray | memoryview | str) -> Any:
        # The decoder's own measure of the nesting tells whether the model fits the inline
        # stack (a bound from counting brackets would send nearly every large document's
        # model to the helper thread).
        data, nesting = decode_json_with_nesting(raw)
        return self.parse(name, data, nesting=nesting)
