"""Errors the generator raises on bad input: each names what was wrong and where."""

from __future__ import annotations


class GeneratorError(Exception):
    """Base class: a problem with an input of the generator (never an internal bug)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pointer: str | None = None,
        revision: str | None = None,
    ) -> None:
        self.file = file
        self.pointer = pointer
        self.revision = revision
        self.reason = message
        where = [
            part
            for part in (
                f"revision {revision}" if revision else None,
                f"file {file}" if file else None,
                f"at {pointer or '/'}" if pointer is not None else None,
            )
            if part
        ]
        super().__init__(f"{message} ({', '.join(where)})" if where else message)


class PinError(GeneratorError):
    """A schema file does not match its pin (missing, or a different sha256)."""


class SourceError(GeneratorError):
    """A schema source could not be read (missing directory, HTTP failure, too large)."""


class IngestError(GeneratorError):
    """A schema file is malformed: bad JSON, unknown dialect, invalid against its metaschema."""


class UnresolvableReferenceError(GeneratorError):
    """A `$ref` that does not resolve inside the same document."""


class BoundsError(GeneratorError):
    """A schema exceeds a configured bound (nesting depth, subschema count, size)."""


class ErratumError(GeneratorError):
    """A declared patch no longer applies: the upstream value has moved on."""


class LoweringError(GeneratorError):
    """A schema construct the intermediate representation cannot express."""


class ProjectError(GeneratorError):
    """No usable project directory, or a generator resource is missing."""


class OutputError(GeneratorError):
    """The output directory is not one the generator may write: it holds files it did not write."""
