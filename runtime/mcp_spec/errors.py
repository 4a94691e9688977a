"""Error types shared by every part of the runtime package.

Every error raised by `mcp_spec` on bad input derives from `MCPSpecError` and says what
was wrong and where (a JSON pointer into the instance or schema).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "INTERNAL_ERROR",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "HEADER_MISMATCH",
    "MAX_PROBLEMS",
    "METHOD_NOT_FOUND",
    "PARSE_ERROR",
    "MCPSpecError",
    "Problem",
    "UnknownDefinitionError",
    "UnknownVersionError",
    "ValidationError",
]

# JSON-RPC error codes a peer answers bad traffic with.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
# A server broke its own contract (e.g. structuredContent that misses its outputSchema).
INTERNAL_ERROR = -32603
# MCP Streamable HTTP (SEP-2243): a header disagrees with the body.
HEADER_MISMATCH = -32020

# Violations a ValidationError lists by default (validators, validate_message, tool schemas);
# the rest are counted in `omitted`.
MAX_PROBLEMS = 50
# An invalid instance of at most this many nodes (objects, arrays and scalars) gets its
# violations listed. The engine builds every error object at once, each with a copy of the
# value it is about, at 10-200 us each: listing is bounded by the instance's size, whatever
# the number of violations.
LISTING_NODES = 4_096
# Up to this many nodes only the first violation is reported (one error object, whose copy
# of its value costs at most about 0.2 s); a larger invalid instance gets its verdict with
# no engine error at all (a 53 MB frame's root error would copy all of it: seconds, GBs).
FIRST_PROBLEM_NODES = 100_000


class MCPSpecError(Exception):
    """Base class of every error `mcp_spec` raises on bad input."""


class UnknownVersionError(MCPSpecError, LookupError):
    """A protocol version or revision that this package does not know."""


class UnknownDefinitionError(MCPSpecError, LookupError):
    """A definition name that the revision's schema does not have."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One violation: where it is (a JSON pointer, "" for the root) and why."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class ValidationError(MCPSpecError, ValueError):
    """An instance or message that the schema rejects.

    `code` is the JSON-RPC error code a server should answer with, `http_status` the HTTP
    status where one applies, and `problems` lists the violations found, capped (validators
    and `validate_message` list at most `max_problems`, 50 by default): `omitted` counts
    the violations not listed, or is None when they were not counted (a large instance
    reports its first violation only, so that reporting stays bounded).
    """

    def __init__(
        self,
        message: str,
        problems: tuple[Problem, ...] | list[Problem] = (),
        *,
        code: int = INVALID_PARAMS,
        http_status: int | None = None,
        omitted: int | None = 0,
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.code = code
        self.http_status = http_status
        self.omitted = omitted
        details = "".join(f"\n  {problem}" for problem in self.problems)
        if omitted is None:
            details += "\n  ... further problems not listed (a large instance reports its first)"
        elif omitted:
            details += f"\n  ... and {omitted} more problems"
        super().__init__(f"{message}{details}")
        self.message = message
