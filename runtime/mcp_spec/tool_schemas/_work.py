"""What one validation can cost: subschemas applied and nested at each instance depth (upper
bounds from the schema's graph, computed once per schema and depth), and the instance's size
at each depth (one pass per call, stopping early)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from typing import Any, NoReturn, cast

from .._json import MAX_INTEGER_DIGITS
from .._locks import ForkSafeLock
from ..errors import Problem, ValidationError
from ._document import child, json_type
from ._limits import ToolSchemaError
from ._preflight import Graph

# Integers the engine compares exactly with floats (through 64-bit floats).
MAX_SAFE_INTEGER = 2**53
_BIGGEST_INTEGER = 10**MAX_INTEGER_DIGITS - 1


class Applications:
    """Subschemas applied at each instance depth (an upper bound), extended on demand, and
    the deepest chain of nested subschemas reaching each depth (the engine's recursion)."""

    def __init__(self, graph: Graph, cap: int) -> None:
        self.graph = graph
        self.cap = cap
        self.position = {node: i for i, node in enumerate(graph.order)}
        self.counts: list[int] = []  # applications at depth k
        self.costs: list[int] = []  # the same, weighted by enum/const size
        self.wholes: list[int] = []  # applications at depth k that read the whole subtree
        self.nesting: list[int] = []  # deepest subschema chain up to depth k
        self.entries: dict[int, int] = {0: 1}
        self.entry_nesting: dict[int, int] = {0: 1}
        self.lock = ForkSafeLock()

    def upto(self, depth: int) -> tuple[list[int], list[int], list[int]]:
        """(weighted applications, whole-subtree applications, nesting) at depths 0..depth."""
        with self.lock:
            while len(self.counts) <= depth:
                self._next_level()
            return self.costs, self.wholes, self.nesting

    def _next_level(self) -> None:
        graph, cap = self.graph, self.cap
        counts = dict(self.entries)
        nesting = dict(self.entry_nesting)
        heap = [self.position[node] for node in counts]
        heapq.heapify(heap)
        seen = set(heap)
        applications = cost = wholes = deepest = 0
        next_entries: dict[int, int] = {}
        next_nesting: dict[int, int] = {}
        while heap:
            node = self.graph.order[heapq.heappop(heap)]
            count = counts[node]
            level = nesting[node]
            deepest = max(deepest, level)
            applications = min(cap, applications + count)
            cost = min(cap, cost + count * graph.weights[node])
            if graph.whole[node]:
                wholes = min(cap, wholes + count)
            for target in graph.in_place[node]:
                counts[target] = min(cap, counts.get(target, 0) + count)
                nesting[target] = max(nesting.get(target, 0), level + 1)
                if self.position[target] not in seen:
                    seen.add(self.position[target])
                    heapq.heappush(heap, self.position[target])
            for target in graph.children[node]:
                next_entries[target] = min(cap, next_entries.get(target, 0) + count)
                next_nesting[target] = max(next_nesting.get(target, 0), level + 1)
        self.counts.append(applications)
        self.costs.append(cost)
        self.wholes.append(wholes)
        self.nesting.append(max(deepest, self.nesting[-1] if self.nesting else 0))
        self.entries = next_entries
        self.entry_nesting = next_nesting


def check_expansion(graph: Graph, limit: int) -> None:
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


def check_nesting(applications: Applications, limit: int) -> None:
    """Refuse a schema whose subschemas nest deeper than `limit` at the instance's root."""
    _, _, nesting = applications.upto(0)
    if nesting[0] > limit:
        raise ToolSchemaError(
            "",
            f"a chain of {nesting[0]} nested subschemas (references and applicators "
            f"expanded), more than {limit} (max_expanded_depth): the engine would recurse "
            "that deep",
        )


def instance_units(
    instance: Any, max_depth: int, max_units: int, max_integer: int
) -> list[int] | None:
    """Work units (nodes plus string and key characters) at each depth of a JSON instance.

    A level at a time with no pointers built: this runs on every call, and stops as soon as
    the total passes `max_units`. None when the instance is deeper than `max_depth`, holds an
    integer beyond `max_integer` or is not plain JSON; `refuse_instance` then says where.
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
            elif kind is int:
                if abs(value) > max_integer:
                    return None
            elif not (kind is bool or value is None):
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


def refuse_instance(instance: Any, max_depth: int, max_integer: int) -> NoReturn:
    """Find, with pointers, what `instance_units` stopped at, and raise `ValidationError`."""
    stack: list[tuple[Any, str, int]] = [(instance, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if depth > max_depth:
            raise instance_error(pointer, f"nesting deeper than {max_depth} levels")
        if type(value) is dict:
            for key, member in cast("dict[Any, Any]", value).items():
                if type(key) is not str:
                    raise instance_error(pointer, f"object key {key!r} is not a string")
                stack.append((member, child(pointer, key), depth + 1))
        elif type(value) is list or type(value) is tuple:
            array = cast("Sequence[Any]", value)
            stack.extend((member, child(pointer, i), depth + 1) for i, member in enumerate(array))
        elif type(value) is float and not math.isfinite(value):
            raise instance_error(pointer, f"{value} is not a JSON number")
        elif type(value) is int and abs(value) > max_integer:
            why = (
                "the schema compares numbers through 64-bit floats (a float bound, const or "
                "enum, or uniqueItems), exact only within +-2**53"
                if max_integer < _BIGGEST_INTEGER
                else f"more than {MAX_INTEGER_DIGITS} digits"
            )
            raise instance_error(
                pointer,
                f"an integer of {value.bit_length()} bits cannot be compared exactly: {why}",
            )
        elif not isinstance(value, (str, int, float, type(None))):
            raise instance_error(pointer, f"{json_type(value)} is not a JSON value")
    raise instance_error("", "not a JSON value")


def instance_error(pointer: str, reason: str) -> ValidationError:
    return ValidationError("instance refused before validation", [Problem(pointer, reason)])


def integer_bound(graph: Graph) -> int:
    """The largest integer magnitude an instance may hold for this schema."""
    return MAX_SAFE_INTEGER if graph.mixes_numbers else _BIGGEST_INTEGER
