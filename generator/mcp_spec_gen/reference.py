"""The reference verdict that models, compiled validators and strategies are held to.

Used by the tests and by `mcp-spec fuzz`; `tests/reference.py` re-exports it.

`jsonschema` with the revision's own dialect (draft-07 or 2020-12), run on the errata-patched
schema the generator builds, with format checks for exactly the formats the generator
supports (`emit_validators.ASSERTED_FORMATS`): `uri` (RFC 3986, absolute), `uri-template`
(RFC 6570), `byte` (strict base64), `jsonschema`'s own checkers for `date`, `email`,
`idn-email`, `ipv4`, `ipv6` and `uuid`, and RFC 3339 `date-time` and `time` (written here:
`jsonschema` checks those only when the optional `rfc3339-validator` is installed). The
generator refuses a schema with any other format, so none is left an annotation.
References resolve inside the schema only: the registry refuses every retrieval.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import functools
import re
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
import referencing.jsonschema
import uri_template
from rfc3986_validator import validate_rfc3986  # type: ignore[import-untyped]

from .errata import load_errata
from .ingest import DEFINITIONS_KEYWORD
from .ir import RevisionIR
from .pins import load_pins
from .pipeline import build_revision
from .schema_walk import escape_pointer_token

__all__ = [
    "FORMAT_CHECKER",
    "ir_validator",
    "reference_errors",
    "reference_is_valid",
    "reference_validator",
    "revision_ir",
]

_BUNDLE_URI = "urn:mcp-spec:reference:{revision}"


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(validate_rfc3986(value, rule="URI"))


def _is_uri_template(value: object) -> bool:
    return not isinstance(value, str) or bool(uri_template.validate(value))


def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


_RFC3339_TIME = re.compile(
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(\.[0-9]+)?"
    r"([zZ]|[+-](?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))"
)


def _is_rfc3339_time(text: str) -> bool:
    match = _RFC3339_TIME.fullmatch(text)
    if match is None:
        return False
    parts = {key: int(value) for key, value in match.groupdict().items() if value is not None}
    return (
        parts["hour"] < 24
        and parts["minute"] < 60
        and parts["second"] <= 60  # a leap second
        and parts.get("offset_hour", 0) < 24
        and parts.get("offset_minute", 0) < 60
    )


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    day, separator, time = value[:10], value[10:11], value[11:]
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day) is None or separator not in ("T", "t"):
        return False
    year, month, mday = map(int, day.split("-"))
    # RFC 3339 allows year 0000 (proleptic Gregorian, a leap year), which `datetime` cannot hold.
    return (
        1 <= month <= 12
        and 1 <= mday <= calendar.monthrange(year, month)[1]
        and (_is_rfc3339_time(time))
    )


def _is_time(value: object) -> bool:
    return not isinstance(value, str) or _is_rfc3339_time(value)


FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("uri")(_is_uri)
FORMAT_CHECKER.checks("uri-template")(_is_uri_template)
FORMAT_CHECKER.checks("byte")(_is_base64)
FORMAT_CHECKER.checks("date-time")(_is_date_time)
FORMAT_CHECKER.checks("time")(_is_time)
for _name in ("date", "email", "idn-email", "ipv4", "ipv6", "uuid"):
    _check, _raises = jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers[_name]
    FORMAT_CHECKER.checks(_name, raises=_raises)(_check)


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)


@functools.cache
def revision_ir(revision: str) -> RevisionIR:
    """The IR of `revision`, built once from the schema cache."""
    pins = load_pins()
    return build_revision(pins, pins.pin_for(revision), load_errata())


def ir_registry(ir: RevisionIR) -> referencing.Registry[Any]:
    """A registry holding the IR's bundle (the errata-patched schema) and nothing else."""
    drafts = referencing.jsonschema
    specification = drafts.DRAFT7 if ir.dialect == "draft-07" else drafts.DRAFT202012
    uri = _BUNDLE_URI.format(revision=ir.revision)
    return referencing.Registry(retrieve=_refuse).with_resource(
        uri, specification.create_resource(ir.bundle)
    )


def ir_validator(
    ir: RevisionIR, definition: str, registry: referencing.Registry[Any] | None = None
) -> jsonschema.protocols.Validator:
    """A `jsonschema` validator of `definition` in any IR (a pinned revision or a trial
    candidate): a name in the schema's definitions, or an inline model of the IR
    (validated at the schema location it was hoisted from). `registry`: `ir_registry(ir)`,
    when the caller keeps one (lookups are cached in it)."""
    if definition in ir.definitions:
        keyword = DEFINITIONS_KEYWORD[ir.dialect]
        pointer = f"/{keyword}/{escape_pointer_token(definition)}"
    else:
        pointer = ir.lookup(definition).pointer
    dialect = ir.bundle.get("$schema")
    cls = jsonschema.validators.validator_for({"$schema": dialect})
    uri = _BUNDLE_URI.format(revision=ir.revision)
    schema = {"$schema": dialect, "$ref": f"{uri}#{pointer}"}
    return cls(schema, registry=registry or ir_registry(ir), format_checker=FORMAT_CHECKER)


@functools.cache
def _revision_registry(revision: str) -> referencing.Registry[Any]:
    return ir_registry(revision_ir(revision))


@functools.cache
def reference_validator(revision: str, definition: str) -> jsonschema.protocols.Validator:
    """`ir_validator` of a pinned revision's definition, cached."""
    return ir_validator(revision_ir(revision), definition, _revision_registry(revision))


def reference_is_valid(revision: str, definition: str, instance: Any) -> bool:
    return reference_validator(revision, definition).is_valid(instance)


def reference_errors(revision: str, definition: str, instance: Any) -> list[str]:
    """Every violation, as `pointer: message`, for readable assertion failures."""
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in reference_validator(revision, definition).iter_errors(instance)
    ]
