"""What a tool schema and each validation may cost, and the error a refusal raises."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import MCPSpecError


@dataclass(frozen=True, slots=True)
class ToolSchemaLimits:
    """Bounds applied to an untrusted schema when compiled and to each instance validated.

    max_schema_bytes: size of the schema as compact UTF-8 JSON, measured before it is
        serialised (a shared sub-object counts each time it occurs).
    max_depth: JSON nesting depth of the schema document (objects and arrays).
    max_subschemas: subschemas in the document (booleans included).
    max_pattern_length: characters of a `pattern` or a `patternProperties` key.
    max_regex_program_bytes: compiled size of one regular expression (`regex` size_limit).
    max_regex_total_bytes: compiled size of all the schema's regular expressions together:
        each gets an equal share as its own limit (at most max_regex_program_bytes), which
        bounds the memory and compile time of the whole set.
    max_expanded_subschemas: subschemas applied at one instance location, every `$ref` and
        in-place applicator (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
        `dependentSchemas`) expanded.
    max_expanded_depth: subschemas nested along one path of a validation (references and
        applicators expanded, one more per instance level descended): the engine recurses
        once per subschema, so this bounds its stack (a 256 KB thread stack holds about
        1,000).
    max_instance_depth: JSON nesting depth of a validated instance.
    max_instance_units: size of a validated instance: its nodes plus the characters of its
        strings and keys (about its size as JSON text).
    max_validation_work: upper bound of one call's work: at each instance depth, the units
        there times the subschemas applied there (`enum`/`const` members counted), plus,
        for each `uniqueItems` applied, 32 times the units of the subtree it reads.
    """

    max_schema_bytes: int = 1_048_576
    max_depth: int = 128
    max_subschemas: int = 10_000
    max_pattern_length: int = 1_000
    max_regex_program_bytes: int = 1_048_576
    max_regex_total_bytes: int = 8_388_608
    max_expanded_subschemas: int = 10_000
    max_expanded_depth: int = 512
    max_instance_depth: int = 128
    max_instance_units: int = 2_000_000
    max_validation_work: int = 10_000_000


class ToolSchemaError(MCPSpecError, ValueError):
    """A tool schema refused: what was refused (`reason`) and where (`pointer` into the schema)."""

    def __init__(self, pointer: str, reason: str, *, context: str = "tool schema") -> None:
        self.pointer = pointer
        self.reason = reason
        self.context = context
        super().__init__(f"{context} refused at {pointer or '/'}: {reason}")
