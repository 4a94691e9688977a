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
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ._decode import decode_json
from ._formats import CALLBACK_CHECKS, CUSTOM_KEYWORDS
from ._json import pointer_of
from .errors import (
    INVALID_PARAMS,
    MCPSpecError,
    Problem,
    UnknownDefinitionError,
    ValidationError,
)

if TYPE_CHECKING:
    # Imported on the first typed model built: validation and typed loading never need it.
    import pydantic

BUNDLE_URI = "urn:mcp-spec:validation:{revision}"


FORMATS: dict[str, Callable[[str], bool]] = CALLBACK_CHECKS
KEYWORDS: dict[str, type[jsonschema_rs.KeywordValidator]] = {
    name: keyword for name, keyword in CUSTOM_KEYWORDS.items()
}


def _refuse_retrieval(uri: str) -> Any:
    raise LookupError(f"mcp_spec never retrieves schemas; {uri!r} is not in the bundle")


def problems_from_pydantic(error: pydantic.ValidationError, prefix: str = "") -> list[Problem]:
    return [
        Problem(prefix + pointer_of(detail["loc"]), detail["msg"])
        for detail in error.errors(include_url=False)
    ]


def _value_at(instance: Any, path: Any) -> Any:
    for token in path:
        try:
            instance = instance[token]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


def _not_json(exc: ValueError) -> ValidationError:
    """jsonschema-rs refuses Python values that JSON cannot hold (sets, dates, int keys)."""
    reason = str(exc).partition("\n")[0]
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
        self._lock = threading.Lock()
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

    def iter_errors(self, name: str, instance: Any, prefix: str = "") -> Iterator[Problem]:
        compiled = self.validator(name)
        try:
            errors = list(compiled.iter_errors(instance))
        except ValueError as exc:
            raise _not_json(exc) from None
        for error in errors:
            reason = self._reason(error)
            value = _value_at(instance, error.instance_path)
            if isinstance(value, float) and not math.isfinite(value):
                # jsonschema-rs sees a non-finite float as null; say what it really is.
                reason = f"{value!r} is not a finite number (JSON has no NaN or Infinity)"
            yield Problem(prefix + pointer_of(error.instance_path), reason)

    def _reason(self, error: jsonschema_rs.ValidationError) -> str:
        kind = error.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Pattern) and (
            kind.pattern == self.byte_pattern
        ):
            return f'{error.instance!r} is not a "byte" (strict base64)'
        return error.message

    def problems(self, name: str, instance: Any, prefix: str = "") -> list[Problem]:
        """Every violation, or [] when valid (the fast path costs one `is_valid`)."""
        compiled = self._validators.get(name) or self.validator(name)
        try:
            if compiled.is_valid(instance):
                return []
        except ValueError as exc:
            raise _not_json(exc) from None
        return list(self.iter_errors(name, instance, prefix))

    def validate(self, name: str, instance: Any, *, code: int = INVALID_PARAMS) -> None:
        problems = self.problems(name, instance)
        if problems:
            raise ValidationError(f"not a valid {name} (MCP {self.revision})", problems, code=code)

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
        self, name: str, data: Any, *, prefix: str = "", code: int = INVALID_PARAMS
    ) -> Any:
        """The typed value of already validated `data` (see the models' listed deviations)."""
        build = self._builders.get(name)
        if build is None:
            # The adapter's core validator, called directly: the TypeAdapter wrapper costs
            # about a tenth of a small message's whole validation.
            build = self._builders[name] = self.adapter(name).validator.validate_python
        try:
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

    def load(self, name: str, data: Any) -> Any:
        """`data` itself after exact validation: the typed loading of `<revision>.wire`."""
        self.validate(name, data)
        return data

    def load_json(self, name: str, raw: bytes | bytearray | memoryview | str) -> Any:
        return self.load(name, decode_json(raw))

    def parse(self, name: str, data: Any) -> Any:
        self.validate(name, data)
        return self.to_model(name, data)

    def parse_json(self, name: str, raw: bytes | bytearray | memoryview | str) -> Any:
        return self.parse(name, decode_json(raw))
