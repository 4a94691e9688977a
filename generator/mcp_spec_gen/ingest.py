"""Ingest: load a schema file, detect its dialect, enforce bounds, check it, resolve `$ref` offline.

The result is a document that every later stage can trust: valid against its metaschema, within
bounds, and with every `$ref` resolving inside the same document. Nothing here touches the
network or the file system beyond the bytes it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
import referencing.jsonschema

from .errors import BoundsError, IngestError, UnresolvableReferenceError
from .schema_walk import walk

DRAFT_07 = "draft-07"
DRAFT_2020_12 = "2020-12"
_DIALECTS = {
    "http://json-schema.org/draft-07/schema#": DRAFT_07,
    "http://json-schema.org/draft-07/schema": DRAFT_07,
    "https://json-schema.org/draft/2020-12/schema": DRAFT_2020_12,
    "https://json-schema.org/draft/2020-12/schema#": DRAFT_2020_12,
}
DEFINITIONS_KEYWORD = {DRAFT_07: "definitions", DRAFT_2020_12: "$defs"}


@dataclass(frozen=True, slots=True)
class Bounds:
    """Limits on input files. The defaults are far above what the official files need
    (largest: ~180 KB, depth < 20, ~1,500 subschemas)."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    max_subschemas: int = 50_000


@dataclass(frozen=True, slots=True)
class IngestedSchema:
    revision: str
    file: str
    dialect: str
    document: dict[str, Any]

    @property
    def definitions_keyword(self) -> str:
        return DEFINITIONS_KEYWORD[self.dialect]

    @property
    def definitions(self) -> dict[str, Any]:
        return self.document.get(self.definitions_keyword, {})


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_json(
    data: bytes, *, file: str, revision: str | None = None, max_bytes: int | None = None
) -> Any:
    if max_bytes is not None and len(data) > max_bytes:
        raise BoundsError(
            f"file is {len(data)} bytes, over the limit of {max_bytes}",
            file=file,
            revision=revision,
        )
    try:
        text = data.decode("utf-8")
        return json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"malformed JSON: not UTF-8 ({exc.reason} at byte {exc.start})",
            file=file,
            revision=revision,
        ) from None
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            file=file,
            revision=revision,
        ) from None
    except RecursionError:
        raise BoundsError("JSON nested too deeply to parse", file=file, revision=revision) from None
    except ValueError as exc:
        raise IngestError(f"malformed JSON: {exc}", file=file, revision=revision) from None


def detect_dialect(document: Any, *, file: str, revision: str | None = None) -> str:
    if not isinstance(document, dict):
        raise IngestError(
            f"a schema document must be a JSON object, not {type(document).__name__}",
            file=file,
            pointer="",
            revision=revision,
        )
    uri = document.get("$schema")
    if uri is None:
        raise IngestError(
            "missing $schema: cannot tell the dialect", file=file, pointer="", revision=revision
        )
    try:
        return _DIALECTS[uri]
    except (KeyError, TypeError):
        known = ", ".join(sorted(set(_DIALECTS)))
        raise IngestError(
            f"unknown dialect $schema {uri!r}; supported: {known}",
            file=file,
            pointer="/$schema",
            revision=revision,
        ) from None


def enforce_bounds(document: Any, bounds: Bounds, *, file: str, revision: str | None) -> int:
    count = 0
    for pointer, _schema, depth in walk(document):
        count += 1
        if depth > bounds.max_depth:
            raise BoundsError(
                f"schema nesting deeper than the limit of {bounds.max_depth}",
                file=file,
                pointer=pointer,
                revision=revision,
            )
        if count > bounds.max_subschemas:
            raise BoundsError(
                f"more than {bounds.max_subschemas} subschemas",
                file=file,
                pointer=pointer,
                revision=revision,
            )
    return count


def check_metaschema(
    document: dict[str, Any], dialect: str, *, file: str, revision: str | None
) -> None:
    validator_class = (
        jsonschema.Draft7Validator if dialect == DRAFT_07 else jsonschema.Draft202012Validator
    )
    error = jsonschema.exceptions.best_match(
        validator_class(validator_class.META_SCHEMA).iter_errors(document)
    )
    if error is not None:
        pointer = "".join(f"/{part}" for part in error.absolute_path)
        raise IngestError(
            f"not a valid {dialect} schema: {error.message}",
            file=file,
            pointer=pointer,
            revision=revision,
        )


def _refuse_retrieval(uri: str) -> referencing.Resource[Any]:
    # Only same-document references are allowed: nothing is ever fetched or read.
    raise referencing.exceptions.NoSuchResource(ref=uri)


def _specification(dialect: str) -> referencing.Specification[Any]:
    return (
        referencing.jsonschema.DRAFT7 if dialect == DRAFT_07 else referencing.jsonschema.DRAFT202012
    )


def offline_resolver(document: dict[str, Any], dialect: str) -> referencing.Resolver[Any]:
    """A resolver for `document` whose registry refuses every retrieval."""
    resource = referencing.Resource(contents=document, specification=_specification(dialect))
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse_retrieval)
    return registry.with_resource("", resource).resolver(base_uri="")


def check_references(
    document: dict[str, Any], dialect: str, *, file: str, revision: str | None
) -> None:
    resolver = offline_resolver(document, dialect)
    for pointer, schema, _depth in walk(document):
        if not isinstance(schema, dict):
            continue
        if "$id" in schema and pointer != "":
            raise UnresolvableReferenceError(
                f"$id {schema['$id']!r} inside the document is not supported (it would move "
                "the base URI of references)",
                file=file,
                pointer=f"{pointer}/$id",
                revision=revision,
            )
        ref = schema.get("$ref")
        if ref is None:
            continue
        where = f"{pointer}/$ref"
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise UnresolvableReferenceError(
                f"non-local $ref {ref!r}: only same-document references are allowed",
                file=file,
                pointer=where,
                revision=revision,
            )
        try:
            resolver.lookup(ref)
        except referencing.exceptions.Unresolvable:
            raise UnresolvableReferenceError(
                f"dangling $ref {ref!r}: nothing at that location",
                file=file,
                pointer=where,
                revision=revision,
            ) from None


def ingest(data: bytes, *, revision: str, file: str, bounds: Bounds = Bounds()) -> IngestedSchema:
    """Parse, bound, dialect-check, metaschema-check and reference-check one schema file."""
    document = parse_json(data, file=file, revision=revision, max_bytes=bounds.max_bytes)
    dialect = detect_dialect(document, file=file, revision=revision)
    enforce_bounds(document, bounds, file=file, revision=revision)
    check_metaschema(document, dialect, file=file, revision=revision)
    check_references(document, dialect, file=file, revision=revision)
    return IngestedSchema(revision=revision, file=file, dialect=dialect, document=document)
