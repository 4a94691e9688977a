"""Hardened validation against untrusted tool schemas (`inputSchema`, `outputSchema`; SEP-2106).

A tool's schemas are written by a peer, so they are treated as untrusted input, never as code:

- dialects 2020-12 (the default when `$schema` is absent, in every revision), 2019-09 and
  draft-07; any other `$schema` is refused;
- references stay inside the schema: `$ref`, `$dynamicRef` and `$recursiveRef` must resolve
  to a subschema of the same document (`#`, `#/json/pointer`, `#anchor`, or the root `$id`
  with such a fragment). Anything else, and an embedded `$id` in a subschema, is refused
  before the engine sees the schema, and the engine's retriever refuses every fetch too:
  nothing is ever read from the network or the file system;
- the size, nesting depth, subschema count and `pattern` length are bounded; regular
  expressions run on the linear-time `regex` engine (no backreferences, no lookaround);
  reference cycles that never descend into the instance are refused, and the number of
  subschemas applied at one instance location, references expanded, is bounded (so a 2^24
  `allOf` fan-out is refused, not run);
- each call's work is bounded before the engine runs: the instance's depth and size, and an
  upper bound of the engine's work (instance size at each depth times the schema's expanded
  applications at that depth, plus the subtrees `uniqueItems` reads) are checked against
  `ToolSchemaLimits`.

Every refusal is a `ToolSchemaError` naming the JSON pointer into the schema; an instance the
schema rejects raises `mcp_spec.errors.ValidationError` with one `Problem` per violation.
`format` is an annotation (not asserted), as JSON Schema 2020-12 says by default.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, cast
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from ._json import escape_token, wire_form
from .errors import INTERNAL_ERROR, INVALID_PARAMS, MCPSpecError, Problem, ValidationError

if TYPE_CHECKING:
    import jsonschema_rs

__all__ = [
    "ToolSchemaError",
    "ToolSchemaLimits",
    "ToolSchemaValidator",
    "compile_tool_schema",
    "validate_structured_content",
    "validate_tool_arguments",
]

# `$schema` URIs accepted for each dialect (trailing "#" and http/https both accepted).
_DIALECTS: dict[str, str] = {
    "json-schema.org/draft/2020-12/schema": "2020-12",
    "json-schema.org/draft/2019-09/schema": "2019-09",
    "json-schema.org/draft-07/schema": "draft-07",
}
_CANONICAL_SCHEMA_URI: dict[str, str] = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
}
DEFAULT_DIALECT = "2020-12"
# Compiled validators kept (least recently used dropped first).
CACHE_SIZE = 256
# Problems reported for one invalid instance; the rest are counted.
MAX_PROBLEMS = 50
# Above this work bound only the first problem is reported (listing them all is not bounded).
FULL_REPORT_WORK = 20_000
# Work units per instance unit a `uniqueItems` check reads: the engine hashes Python values
# at up to ~550 ns each (measured: 1.9M integers, 1.0 s) against ~10-20 ns per unit for
# most keywords, so its subtree is weighted accordingly.
_WHOLE_SUBTREE_WEIGHT = 32
# Integers beyond this many bits are not plausible JSON numbers (and 3.11 refuses to print them).
_MAX_INTEGER_BITS = 1024


@dataclass(frozen=True, slots=True)
class ToolSchemaLimits:
    """Bounds applied to an untrusted schema when compiled and to each instance validated.

    max_schema_bytes: size of the schema as compact UTF-8 JSON.
    max_depth: JSON nesting depth of the schema document (objects and arrays).
    max_subschemas: subschemas in the document (booleans included).
    max_pattern_length: characters of a `pattern` or a `patternProperties` key.
    max_regex_program_bytes: compiled size of one regular expression (`regex` size_limit).
    max_expanded_subschemas: subschemas applied at one instance location, every `$ref` and
        in-place applicator (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
        `dependentSchemas`) expanded.
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
    max_expanded_subschemas: int = 10_000
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


def _as_object(value: object) -> Mapping[Any, Any] | None:
    return cast("Mapping[Any, Any]", value) if isinstance(value, Mapping) else None


def _as_array(value: object) -> Sequence[Any] | None:
    return cast("Sequence[Any]", value) if isinstance(value, (list, tuple)) else None


def _child(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_token(str(token))}"


def _dialect_of(schema: Mapping[str, Any]) -> str:
    if "$schema" not in schema:
        return DEFAULT_DIALECT
    uri = schema["$schema"]
    if not isinstance(uri, str):
        raise ToolSchemaError("/$schema", "$schema must be a string")
    key = uri.removesuffix("#")
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            key = key[len(scheme) :]
            break
    else:
        key = ""
    if key not in _DIALECTS:
        raise ToolSchemaError(
            "/$schema",
            f"unsupported dialect {uri!r}; supported: JSON Schema 2020-12 (the default), "
            "2019-09 and draft-07",
        )
    return _DIALECTS[key]


# How a subschema keyword applies: in place (same instance location) or to children.
_IN_PLACE, _CHILD, _CONTAINER = "in-place", "child", "container"


def _keywords(dialect: str) -> dict[str, tuple[str, str]]:
    """keyword -> (shape, application); shape is "schema", "array", "map" or "items"."""
    table: dict[str, tuple[str, str]] = {
        "not": ("schema", _IN_PLACE),
        "if": ("schema", _IN_PLACE),
        "then": ("schema", _IN_PLACE),
        "else": ("schema", _IN_PLACE),
        "allOf": ("array", _IN_PLACE),
        "anyOf": ("array", _IN_PLACE),
        "oneOf": ("array", _IN_PLACE),
        "dependencies": ("dependencies", _IN_PLACE),
        "additionalProperties": ("schema", _CHILD),
        "propertyNames": ("schema", _CHILD),
        "contains": ("schema", _CHILD),
        "properties": ("map", _CHILD),
        "patternProperties": ("map", _CHILD),
        "$defs": ("map", _CONTAINER),
        "definitions": ("map", _CONTAINER),
    }
    if dialect == "draft-07":
        table["items"] = ("items", _CHILD)
        table["additionalItems"] = ("schema", _CHILD)
        return table
    table.update(
        {
            "dependentSchemas": ("map", _IN_PLACE),
            "unevaluatedItems": ("schema", _CHILD),
            "unevaluatedProperties": ("schema", _CHILD),
            "contentSchema": ("schema", _CHILD),
        }
    )
    if dialect == "2019-09":
        table["items"] = ("items", _CHILD)
        table["additionalItems"] = ("schema", _CHILD)
    else:
        table["items"] = ("schema", _CHILD)
        table["prefixItems"] = ("array", _CHILD)
    return table


def _estimated_bytes(value: object) -> int:
    """A lower bound of the compact JSON size of a scalar (walk-time early abort)."""
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, bool) or value is None:
        return 4
    if isinstance(value, int):
        return max(1, value.bit_length() * 3 // 10)
    return 3


@dataclass
class _Graph:
    """Subschemas (by JSON pointer) and how they apply to each other."""

    index: dict[str, int] = field(default_factory=lambda: {})
    pointers: list[str] = field(default_factory=lambda: [])
    # Own cost of applying a subschema once: 1, plus the JSON values of its enum/const.
    weights: list[int] = field(default_factory=lambda: [])
    # Subschemas whose own check reads the whole instance subtree (`uniqueItems: true`).
    whole: list[bool] = field(default_factory=lambda: [])
    in_place: list[list[int]] = field(default_factory=lambda: [])
    children: list[list[int]] = field(default_factory=lambda: [])
    # Topological order of the in-place edges (a DAG once cycles are refused).
    order: list[int] = field(default_factory=lambda: [])

    def add(self, pointer: str) -> int:
        number = len(self.pointers)
        self.index[pointer] = number
        self.pointers.append(pointer)
        self.weights.append(1)
        self.whole.append(False)
        self.in_place.append([])
        self.children.append([])
        return number


@dataclass(frozen=True, slots=True)
class _Reference:
    source: int
    pointer: str  # of the keyword
    keyword: str
    value: str


class _Preflight:
    """One iterative walk of the schema document: shape, bounds, references, cost graph."""

    def __init__(self, schema: Mapping[str, Any], dialect: str, limits: ToolSchemaLimits):
        self.schema = schema
        self.dialect = dialect
        self.limits = limits
        self.keywords = _keywords(dialect)
        self.graph = _Graph()
        self.references: list[_Reference] = []
        self.anchors: dict[str, int] = {}
        self.dynamic_anchors: dict[str, list[int]] = {}
        self.recursive_anchors: list[int] = []
        self.root_id: str | None = None
        # (source subschema, target pointer, application), numbered once the walk is done.
        self.pending_edges: list[tuple[int, str, str]] = []

    def run(self) -> _Graph:
        self._walk()
        self._resolve_references()
        self._order_in_place()
        return self.graph

    # -- the walk ---------------------------------------------------------------------------

    def _walk(self) -> None:
        limits = self.limits
        size = 0
        # (value, pointer, depth, owner): owner is a subschema number for schema positions,
        # or (for plain JSON values) the subschema whose enum/const the value belongs to, or -1.
        stack: list[tuple[Any, str, int, int, bool]] = [(self.schema, "", 0, -1, True)]
        while stack:
            value, pointer, depth, owner, is_schema = stack.pop()
            if depth > limits.max_depth:
                raise ToolSchemaError(
                    pointer, f"nesting deeper than {limits.max_depth} levels (max_depth)"
                )
            if owner >= 0 and not is_schema:
                self.graph.weights[owner] += 1
            if is_schema:
                schema = _as_object(value)
                if schema is None and not isinstance(value, bool):
                    raise ToolSchemaError(
                        pointer,
                        f"a schema must be a JSON object or a boolean, not {_json_type(value)}",
                    )
                if len(self.graph.pointers) >= limits.max_subschemas:
                    raise ToolSchemaError(
                        pointer, f"more than {limits.max_subschemas} subschemas (max_subschemas)"
                    )
                number = self.graph.add(pointer)
                if schema is None:
                    size += 5
                else:
                    size += 2
                    stack.extend(self._schema_members(schema, pointer, depth, number))
            elif (mapping := _as_object(value)) is not None:
                size += 2
                for key, member in mapping.items():
                    if not isinstance(key, str):
                        raise ToolSchemaError(pointer, f"object key {key!r} is not a string")
                    size += len(key) + 4
                    stack.append((member, _child(pointer, key), depth + 1, owner, False))
            elif (array := _as_array(value)) is not None:
                size += 2
                for position, member in enumerate(array):
                    size += 1
                    stack.append((member, _child(pointer, position), depth + 1, owner, False))
            else:
                _check_scalar(value, pointer, ToolSchemaError)
                size += _estimated_bytes(value)
            if size > limits.max_schema_bytes:
                raise ToolSchemaError(
                    "", f"larger than {limits.max_schema_bytes} bytes (max_schema_bytes)"
                )

    def _schema_members(
        self, schema: Mapping[Any, Any], pointer: str, depth: int, number: int
    ) -> list[tuple[Any, str, int, int, bool]]:
        members: list[tuple[Any, str, int, int, bool]] = []
        for keyword, value in schema.items():
            if not isinstance(keyword, str):
                raise ToolSchemaError(pointer, f"object key {keyword!r} is not a string")
            array, mapping = _as_array(value), _as_object(value)
            here = _child(pointer, keyword)
            self._check_keyword(keyword, value, pointer, here, number)
            shape, application = self.keywords.get(keyword, ("json", ""))
            if keyword in ("enum", "const"):
                members.append((value, here, depth + 1, number, False))
                continue
            if shape == "json":
                members.append((value, here, depth + 1, -1, False))
                continue
            targets: list[tuple[Any, str]] = []
            if shape == "schema" or (shape == "items" and array is None):
                targets.append((value, here))
                depth_step = 1
            elif shape in ("array", "items"):
                if array is None or (shape == "array" and not array):
                    raise ToolSchemaError(here, f"{keyword} must be a non-empty array of schemas")
                targets.extend((item, _child(here, i)) for i, item in enumerate(array))
                depth_step = 2
            else:  # "map" or "dependencies"
                if mapping is None:
                    raise ToolSchemaError(here, f"{keyword} must be an object of schemas")
                depth_step = 2
                for name, item in mapping.items():
                    if keyword == "patternProperties":
                        self._check_pattern(str(name), here)
                    if shape == "dependencies" and _as_array(item) is not None:
                        members.append((item, _child(here, name), depth + 2, -1, False))
                        continue
                    targets.append((item, _child(here, name)))
            for target, target_pointer in targets:
                # The target's number is assigned when it is popped; edges are added after.
                members.append((target, target_pointer, depth + depth_step, -1, True))
                self.pending_edges.append((number, target_pointer, application))
        return members

    def _check_keyword(
        self, keyword: str, value: Any, pointer: str, here: str, number: int
    ) -> None:
        if keyword == "$schema" and pointer:
            raise ToolSchemaError(here, "$schema is only allowed at the root of a tool schema")
        elif keyword == "$id":
            self._check_id(value, pointer, here, number)
        elif (
            keyword == "$ref"
            or (keyword == "$dynamicRef" and self.dialect == "2020-12")
            or (keyword == "$recursiveRef" and self.dialect == "2019-09")
        ):
            if not isinstance(value, str):
                raise ToolSchemaError(here, f"{keyword} must be a string")
            self.references.append(_Reference(number, here, keyword, value))
        elif (keyword == "$anchor" and self.dialect != "draft-07") or (
            keyword == "$dynamicAnchor" and self.dialect == "2020-12"
        ):
            if not isinstance(value, str) or not value:
                raise ToolSchemaError(here, f"{keyword} must be a non-empty string")
            self._add_anchor(value, number, here)
            if keyword == "$dynamicAnchor":
                self.dynamic_anchors.setdefault(value, []).append(number)
        elif keyword == "$recursiveAnchor" and self.dialect == "2019-09" and value is True:
            self.recursive_anchors.append(number)
        elif keyword == "uniqueItems" and value is True:
            self.graph.whole[number] = True
        elif keyword == "pattern":
            if not isinstance(value, str):
                raise ToolSchemaError(here, "pattern must be a string")
            self._check_pattern(value, here)

    def _check_id(self, value: Any, pointer: str, here: str, number: int) -> None:
        if not isinstance(value, str):
            raise ToolSchemaError(here, "$id must be a string")
        if self.dialect == "draft-07" and value.startswith("#") and pointer:
            # A draft-07 plain-name fragment `$id` is an anchor, not a new resource.
            self._add_anchor(value[1:], number, here)
            return
        if pointer:
            raise ToolSchemaError(
                here,
                f"embedded $id {value!r} is not supported in a tool schema (it would start a "
                "separate schema resource); use $defs with same-document $ref",
            )
        base, fragment = urldefrag(value)
        if not urlsplit(base).scheme or fragment:
            raise ToolSchemaError(
                here, f"the root $id {value!r} must be an absolute URI without a fragment"
            )
        self.root_id = base

    def _add_anchor(self, name: str, number: int, here: str) -> None:
        if name in self.anchors and self.anchors[name] != number:
            raise ToolSchemaError(here, f"duplicate anchor {name!r}")
        self.anchors[name] = number

    def _check_pattern(self, pattern: str, here: str) -> None:
        if len(pattern) > self.limits.max_pattern_length:
            raise ToolSchemaError(
                here,
                f"regular expression of {len(pattern)} characters, more than "
                f"{self.limits.max_pattern_length} (max_pattern_length)",
            )

    # -- references -------------------------------------------------------------------------

    def _resolve_references(self) -> None:
        graph = self.graph
        for source, target_pointer, application in self.pending_edges:
            target = graph.index[target_pointer]
            if application == _IN_PLACE:
                graph.in_place[source].append(target)
            elif application == _CHILD:
                graph.children[source].append(target)
        for reference in self.references:
            for target in self._targets(reference):
                graph.in_place[reference.source].append(target)

    def _targets(self, reference: _Reference) -> list[int]:
        base, fragment = urldefrag(reference.value)
        if base:
            resolved = urljoin(self.root_id, base) if self.root_id else base
            if resolved != self.root_id:
                raise ToolSchemaError(
                    reference.pointer,
                    f"{reference.keyword} {reference.value!r} points outside this schema; only "
                    "same-document references are allowed and nothing is fetched",
                )
        if reference.keyword == "$recursiveRef":
            if reference.value != "#":
                raise ToolSchemaError(reference.pointer, '$recursiveRef must be "#"')
            return [0, *self.recursive_anchors]
        if not fragment or fragment.startswith("/"):
            tokens = [unquote(token) for token in fragment.split("/")[1:]]
            pointer = "".join(
                "/" + escape_token(token.replace("~1", "/").replace("~0", "~")) for token in tokens
            )
            target = self.graph.index.get(pointer)
            if target is None:
                raise ToolSchemaError(
                    reference.pointer,
                    f"{reference.keyword} {reference.value!r} does not resolve to a subschema "
                    "of this schema (unresolved references are refused, not ignored)",
                )
            return [target]
        name = unquote(fragment)
        targets: list[int] = []
        if name in self.anchors:
            targets.append(self.anchors[name])
        if reference.keyword == "$dynamicRef":
            targets.extend(self.dynamic_anchors.get(name, []))
        if not targets:
            raise ToolSchemaError(
                reference.pointer,
                f"{reference.keyword} {reference.value!r}: no anchor {name!r} in this schema "
                "(unresolved references are refused, not ignored)",
            )
        return targets

    def _order_in_place(self) -> None:
        """Refuse in-place cycles (they never reach the instance) and order the rest."""
        graph = self.graph
        state = [0] * len(graph.pointers)  # 0 new, 1 on the path, 2 done
        order: list[int] = []
        for start in range(len(graph.pointers)):
            if state[start]:
                continue
            state[start] = 1
            path = [start]
            stack = [iter(graph.in_place[start])]
            while stack:
                target = next(stack[-1], None)
                if target is None:
                    stack.pop()
                    done = path.pop()
                    state[done] = 2
                    order.append(done)
                    continue
                if state[target] == 1:
                    loop = path[path.index(target) :] + [target]
                    raise ToolSchemaError(
                        graph.pointers[loop[-2]],
                        "reference cycle that never descends into the instance: "
                        + " -> ".join(graph.pointers[n] or "#" for n in loop),
                    )
                if state[target] == 0:
                    state[target] = 1
                    path.append(target)
                    stack.append(iter(graph.in_place[target]))
        order.reverse()
        graph.order = order


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__} (not JSON)"


def _check_scalar(value: object, pointer: str, error: Callable[[str, str], Exception]) -> None:
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if value.bit_length() > _MAX_INTEGER_BITS:
            raise error(pointer, f"integer of more than {_MAX_INTEGER_BITS} bits")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise error(pointer, f"{value} is not a JSON number")
        return
    raise error(pointer, f"{_json_type(value)} is not a JSON value")


class _Applications:
    """Subschemas applied at each instance depth (an upper bound), extended on demand."""

    def __init__(self, graph: _Graph, cap: int) -> None:
        self.graph = graph
        self.cap = cap
        self.position = {node: i for i, node in enumerate(graph.order)}
        self.counts: list[int] = []  # applications at depth k
        self.costs: list[int] = []  # the same, weighted by enum/const size
        self.wholes: list[int] = []  # applications at depth k that read the whole subtree
        self.entries: dict[int, int] = {0: 1}
        self.lock = threading.Lock()

    def upto(self, depth: int) -> tuple[list[int], list[int]]:
        """(weighted applications, whole-subtree applications) at depths 0..depth."""
        with self.lock:
            while len(self.counts) <= depth:
                self._next_level()
            return self.costs, self.wholes

    def _next_level(self) -> None:
        graph, cap = self.graph, self.cap
        counts = dict(self.entries)
        heap = [self.position[node] for node in counts]
        heapq.heapify(heap)
        seen = set(heap)
        applications = cost = wholes = 0
        next_entries: dict[int, int] = {}
        while heap:
            node = self.graph.order[heapq.heappop(heap)]
            count = counts[node]
            applications = min(cap, applications + count)
            cost = min(cap, cost + count * graph.weights[node])
            if graph.whole[node]:
                wholes = min(cap, wholes + count)
            for target in graph.in_place[node]:
                counts[target] = min(cap, counts.get(target, 0) + count)
                if self.position[target] not in seen:
                    seen.add(self.position[target])
                    heapq.heappush(heap, self.position[target])
            for target in graph.children[node]:
                next_entries[target] = min(cap, next_entries.get(target, 0) + count)
        self.counts.append(applications)
        self.costs.append(cost)
        self.wholes.append(wholes)
        self.entries = next_entries


def _check_expansion(graph: _Graph, limit: int) -> None:
    """Refuse a subschema that applies more than `limit` subschemas at one instance location.

    Sizes of the in-place closures, every `$ref` and in-place applicator expanded with its
    multiplicity (so `allOf: [{$ref: X}, {$ref: X}]` counts X twice), computed bottom-up over
    the in-place DAG: a 2^24 fan-out costs 25 additions here, not 2^24 steps.
    """
    sizes = [0] * len(graph.pointers)
    for node in reversed(graph.order):
        size = 1 + sum(sizes[target] for target in graph.in_place[node])
        sizes[node] = min(size, limit + 1)
    for node in graph.order:
        if sizes[node] > limit:
            raise ToolSchemaError(
                graph.pointers[node],
                f"applies more than {limit} subschemas at one instance location once "
                "references and in-place applicators are expanded (max_expanded_subschemas)",
            )


def _refuse_retrieval(uri: str) -> NoReturn:
    raise ValueError(f"retrieving {uri!r} is refused: tool schemas are resolved offline")


class ToolSchemaValidator:
    """A compiled tool schema: reusable, thread-safe, bounded per call by its limits."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        dialect: str,
        digest: str,
        limits: ToolSchemaLimits,
        engine: jsonschema_rs.Validator,
        applications: _Applications,
    ) -> None:
        self.schema = schema
        self.dialect = dialect
        self.digest = digest
        self.limits = limits
        self._engine = engine
        self._applications = applications

    def __repr__(self) -> str:
        return f"<ToolSchemaValidator {self.dialect} sha256:{self.digest[:12]}>"

    def errors(self, instance: Any) -> tuple[Problem, ...]:
        """The violations, as JSON pointers into the instance; () when valid.

        Every violation (up to MAX_PROBLEMS) is listed when the instance's work bound is at
        most FULL_REPORT_WORK; above it only the first, because the engine builds every error
        eagerly and each costs far more than a check (a 300,000-item array of wrong types
        takes seconds to list, microseconds to reject).
        """
        work = self._check_work(instance)
        engine = self._engine
        try:
            if engine.is_valid(instance):
                return ()
            if work > FULL_REPORT_WORK:
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
            return (Problem("", f"cannot be validated: {error}"),)
        if extra:
            problems.append(Problem("", f"... and {extra} more problems"))
        return tuple(problems)

    def is_valid(self, instance: Any) -> bool:
        """Whether the instance matches (a refused instance raises `ValidationError`)."""
        self._check_work(instance)
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

    def _check_work(self, instance: Any) -> int:
        """The instance's work bound; `ValidationError` when it or its depth is over the limit."""
        limits = self.limits
        units = _instance_units(instance, limits.max_instance_depth, limits.max_instance_units)
        if units is None:
            _refuse_instance(instance, limits.max_instance_depth)
            raise ValidationError("instance refused before validation")  # not reached
        costs, wholes = self._applications.upto(len(units) - 1)
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
        return work


def _instance_units(instance: Any, max_depth: int, max_units: int) -> list[int] | None:
    """Work units (nodes plus string and key characters) at each depth of a JSON instance.

    A level at a time with no pointers built: this runs on every call, and stops as soon as
    the total passes `max_units`. None when the instance is deeper than `max_depth` or not
    plain JSON; `_refuse_instance` then says where.
    """
    units: list[int] = []
    level: list[Any] = [instance]
    total = 0
    while level:
        if len(units) > max_depth:
            return None
        below: list[Any] = []
        count = len(level)
        for value in level:
            kind = cast("type[object]", type(value))
            if kind is str:
                count += len(value)
            elif kind is dict:
                for key in value:
                    if type(key) is not str:
                        return None
                    count += len(key)
                below.extend(value.values())
            elif kind is list or kind is tuple:
                below.extend(value)
                if total + count + len(below) > max_units:
                    break
            elif kind is float:
                if not math.isfinite(value):
                    return None
            elif not (kind is int or kind is bool or value is None):
                return None
        total += count
        if total + len(below) > max_units:
            raise ValidationError(
                "instance refused before validation",
                [
                    Problem(
                        "",
                        f"more than {max_units} units (nodes plus characters; max_instance_units)",
                    )
                ],
            )
        units.append(count)
        level = below
    return units


def _refuse_instance(instance: Any, max_depth: int) -> NoReturn:
    """Find, with pointers, what `_instance_units` stopped at, and raise `ValidationError`."""
    stack: list[tuple[Any, str, int]] = [(instance, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if depth > max_depth:
            raise _instance_error(pointer, f"nesting deeper than {max_depth} levels")
        if type(value) is dict:
            for key, member in cast("dict[Any, Any]", value).items():
                if type(key) is not str:
                    raise _instance_error(pointer, f"object key {key!r} is not a string")
                stack.append((member, _child(pointer, key), depth + 1))
        elif type(value) is list or type(value) is tuple:
            array = cast("Sequence[Any]", value)
            stack.extend((member, _child(pointer, i), depth + 1) for i, member in enumerate(array))
        elif type(value) is float and not math.isfinite(value):
            raise _instance_error(pointer, f"{value} is not a JSON number")
        elif not isinstance(value, (str, int, float, type(None))):
            raise _instance_error(pointer, f"{_json_type(value)} is not a JSON value")
    raise _instance_error("", "not a JSON value")


def _problem(error: jsonschema_rs.ValidationError) -> Problem:
    return Problem(
        "".join(f"/{escape_token(str(token))}" for token in error.instance_path), error.message
    )


def _instance_error(pointer: str, reason: str) -> ValidationError:
    return ValidationError("instance refused before validation", [Problem(pointer, reason)])


_cache: OrderedDict[str, ToolSchemaValidator | ToolSchemaError] = OrderedDict()
_cache_lock = threading.Lock()


def _canonical(schema: Any) -> bytes | None:
    try:
        text = json.dumps(
            schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (RecursionError, TypeError, ValueError):
        return None
    return text.encode("utf-8")


def compile_tool_schema(
    schema: Any, *, limits: ToolSchemaLimits = ToolSchemaLimits()
) -> ToolSchemaValidator:
    """A reusable validator of `schema` (a JSON object), or `ToolSchemaError` saying why not.

    Compiled validators are cached by the sha256 of the schema's canonical JSON and the limits.
    """
    document = _as_object(schema)
    if document is None:
        raise ToolSchemaError("", f"a tool schema must be a JSON object, not {_json_type(schema)}")
    canonical = _canonical(schema)
    if canonical is not None and len(canonical) > limits.max_schema_bytes:
        raise ToolSchemaError(
            "", f"{len(canonical)} bytes, more than {limits.max_schema_bytes} (max_schema_bytes)"
        )
    key = None
    if canonical is not None:
        key = hashlib.sha256(canonical + repr(astuple(limits)).encode()).hexdigest()
        with _cache_lock:
            cached = _cache.get(key)
            if cached is not None:
                _cache.move_to_end(key)
        if isinstance(cached, ToolSchemaError):
            raise ToolSchemaError(cached.pointer, cached.reason)
        if cached is not None:
            return cached
    try:
        result: ToolSchemaValidator | ToolSchemaError = _compile(
            document, canonical, key or "", limits
        )
    except ToolSchemaError as error:
        result = error
    if key is not None:
        with _cache_lock:
            _cache[key] = result
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    if isinstance(result, ToolSchemaError):
        raise ToolSchemaError(result.pointer, result.reason)
    return result


def _compile(
    schema: Mapping[str, Any], canonical: bytes | None, digest: str, limits: ToolSchemaLimits
) -> ToolSchemaValidator:
    dialect = _dialect_of(schema)
    preflight = _Preflight(schema, dialect, limits)
    graph = preflight.run()
    if canonical is None:  # the walk accepted what json.dumps did not: say so plainly
        raise ToolSchemaError("", "the schema is not serializable as JSON")
    _check_expansion(graph, limits.max_expanded_subschemas)
    applications = _Applications(graph, limits.max_validation_work + 1)
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
        document["$schema"] = _CANONICAL_SCHEMA_URI[dialect]
    try:
        engine: jsonschema_rs.Validator = engines[dialect](
            document,
            validate_formats=False,
            retriever=_refuse_retrieval,
            pattern_options=jsonschema_rs.RegexOptions(
                size_limit=limits.max_regex_program_bytes,
                dfa_size_limit=limits.max_regex_program_bytes,
            ),
        )
    except jsonschema_rs.ValidationError as error:
        pointer = "".join(f"/{escape_token(str(token))}" for token in error.instance_path)
        message = error.message
        kind = error.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Format) and kind.format == "regex":
            message = (
                f"{message}: the linear-time regex engine accepts no backreferences or "
                "lookaround, and no program larger than max_regex_program_bytes"
            )
        raise ToolSchemaError(pointer, message) from None
    except (ValueError, TypeError, jsonschema_rs.ReferencingError) as error:
        raise ToolSchemaError("", f"the validator refused the schema: {error}") from None
    return ToolSchemaValidator(private, dialect, digest, limits, engine, applications)


def _wire_tool(tool: Any) -> Mapping[str, Any]:
    wire = wire_form(tool)
    if wire is None:
        raise TypeError(f"expected a Tool model or a dict in wire form, not {type(tool).__name__}")
    return wire


def _tool_validator(
    tool: Mapping[str, Any], key: str, limits: ToolSchemaLimits
) -> ToolSchemaValidator | None:
    if key not in tool or tool[key] is None:
        return None
    name = tool.get("name", "?")
    try:
        return compile_tool_schema(tool[key], limits=limits)
    except ToolSchemaError as error:
        raise ToolSchemaError(
            error.pointer, error.reason, context=f"{key} of tool {name!r}"
        ) from None


def validate_tool_arguments(
    tool: Any, arguments: Mapping[str, Any] | None, *, limits: ToolSchemaLimits = ToolSchemaLimits()
) -> None:
    """Check `tools/call` arguments against the tool's `inputSchema` (absent arguments: `{}`).

    `tool` is a `Tool` model of any revision or a dict in wire form. Raises `ToolSchemaError`
    when the schema is refused, `ValidationError` (code INVALID_PARAMS) when arguments violate it.
    """
    wire = _wire_tool(tool)
    validator = _tool_validator(wire, "inputSchema", limits)
    if validator is None:
        name = wire.get("name", "?")
        raise ToolSchemaError("", "the tool has no inputSchema", context=f"tool {name!r}")
    validator.validate(
        {} if arguments is None else arguments,
        what=f"arguments of tool {wire.get('name', '?')!r}",
        code=INVALID_PARAMS,
    )


def validate_structured_content(
    tool: Any, structured_content: Any, *, limits: ToolSchemaLimits = ToolSchemaLimits()
) -> None:
    """Check a result's `structuredContent` against the tool's `outputSchema`.

    A tool without `outputSchema` declares nothing, so nothing is checked. With one,
    `structuredContent` must be present (None counts as absent) and match it; otherwise
    `ValidationError` (code INTERNAL_ERROR: the server broke its own contract).
    """
    wire = _wire_tool(tool)
    validator = _tool_validator(wire, "outputSchema", limits)
    if validator is None:
        return
    what = f"structuredContent of tool {wire.get('name', '?')!r}"
    if structured_content is None:
        raise ValidationError(
            f"{what} is missing",
            [Problem("", "the tool declares an outputSchema, so structuredContent is required")],
            code=INTERNAL_ERROR,
        )
    validator.validate(structured_content, what=what, code=INTERNAL_ERROR)
