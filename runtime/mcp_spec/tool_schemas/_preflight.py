"""The pre-flight: one iterative walk of the schema that checks its shape, collects its
subschemas into a graph, and resolves every reference exactly as the engine will.

References resolve as the engine (the `referencing` crate) resolves them: the fragment is
percent-decoded as a whole (strict UTF-8), then read as a JSON pointer (split at `/`, each
token unescaped `~1` -> `/`, `~0` -> `~`) when it is empty or starts with `/`, else as an
anchor name. A reference the pre-flight cannot resolve to the same subschema (a pointer into
something that is not a subschema, an array index the engine would read differently such
as `01`, an invalid escape) is refused, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .._json import escape_token
from ._dialects import CONTAINER, IN_PLACE, NUMERIC_KEYWORDS, keywords
from ._document import as_array, as_object, child, json_type, printable
from ._limits import ToolSchemaError, ToolSchemaLimits

# What RFC 3986 allows in a fragment, as the engine's URI parser checks it.
_URI_FRAGMENT = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")
# Links of a refused reference cycle named in its message.
_SHOWN_LINKS = 20


@dataclass
class Graph:
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
    # Regular expressions in the schema (`pattern`, `patternProperties` keys).
    patterns: int = 0
    # Whether the engine may compare an instance integer with a float (a float literal in
    # a numeric keyword, `const` or `enum`) or with other instance numbers (`uniqueItems`):
    # it does so through 64-bit floats, exact only within +-2**53.
    mixes_numbers: bool = False

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


def fragment_pointer(fragment: str) -> str | None:
    """The canonical JSON pointer the engine reads from a URI fragment ("" for the root),
    or None when the fragment is an anchor name. Raises ValueError for what the engine
    would read differently or not at all."""
    if _URI_FRAGMENT.fullmatch(fragment) is None:
        raise ValueError("it is not a URI fragment (RFC 3986: percent-encode other characters)")
    decoded = unquote(fragment, errors="strict")  # UnicodeDecodeError is a ValueError
    if decoded and not decoded.startswith("/"):
        return None
    tokens: list[str] = []
    for token in decoded.split("/")[1:]:
        if "~" in token.replace("~0", "").replace("~1", ""):
            raise ValueError(f"invalid escape in the pointer token {token!r}")
        tokens.append(token.replace("~1", "/").replace("~0", "~"))
    return "".join(f"/{printable(escape_token(token))}" for token in tokens)


class Preflight:
    """One iterative walk of the schema document: shape, bounds, references, cost graph."""

    def __init__(self, schema: Mapping[str, Any], dialect: str, limits: ToolSchemaLimits):
        self.schema = schema
        self.dialect = dialect
        self.limits = limits
        self.keywords = keywords(dialect)
        self.graph = Graph()
        self.references: list[_Reference] = []
        self.anchors: dict[str, int] = {}
        self.dynamic_anchors: dict[str, list[int]] = {}
        self.recursive_anchors: list[int] = []
        self.root_id: str | None = None
        # (source subschema, target pointer, application), numbered once the walk is done.
        self.pending_edges: list[tuple[int, str, str]] = []

    def run(self) -> Graph:
        self._walk()
        self._resolve_references()
        self._order_in_place()
        return self.graph

    # -- the walk (the document is already measured: JSON, within size and depth) ----------

    def _walk(self) -> None:
        limits = self.limits
        # (value, pointer, owner, is_schema): owner is the subschema whose enum/const a
        # plain JSON value belongs to, or -1.
        stack: list[tuple[Any, str, int, bool]] = [(self.schema, "", -1, True)]
        while stack:
            value, pointer, owner, is_schema = stack.pop()
            if owner >= 0 and not is_schema:
                self.graph.weights[owner] += 1
                if isinstance(value, float):
                    self.graph.mixes_numbers = True
            if is_schema:
                schema = as_object(value)
                if schema is None and not isinstance(value, bool):
                    raise ToolSchemaError(
                        pointer,
                        f"a schema must be a JSON object or a boolean, not {json_type(value)}",
                    )
                if len(self.graph.pointers) >= limits.max_subschemas:
                    raise ToolSchemaError(
                        pointer, f"more than {limits.max_subschemas} subschemas (max_subschemas)"
                    )
                number = self.graph.add(pointer)
                if schema is not None:
                    stack.extend(self._schema_members(schema, pointer, number))
            elif (mapping := as_object(value)) is not None:
                stack.extend(
                    (member, child(pointer, key), owner, False) for key, member in mapping.items()
                )
            elif (array := as_array(value)) is not None:
                stack.extend(
                    (member, child(pointer, i), owner, False) for i, member in enumerate(array)
                )

    def _schema_members(
        self, schema: Mapping[Any, Any], pointer: str, number: int
    ) -> list[tuple[Any, str, int, bool]]:
        members: list[tuple[Any, str, int, bool]] = []
        for keyword, value in schema.items():
            array, mapping = as_array(value), as_object(value)
            here = child(pointer, keyword)
            self._check_keyword(keyword, value, pointer, here, number)
            shape, application = self.keywords.get(keyword, ("json", ""))
            if keyword in ("enum", "const"):
                members.append((value, here, number, False))
                continue
            if shape == "json":
                members.append((value, here, -1, False))
                continue
            targets: list[tuple[Any, str]] = []
            if shape == "schema" or (shape == "items" and array is None):
                targets.append((value, here))
            elif shape in ("array", "items"):
                if array is None or (shape == "array" and not array):
                    raise ToolSchemaError(here, f"{keyword} must be a non-empty array of schemas")
                targets.extend((item, child(here, i)) for i, item in enumerate(array))
            else:  # "map" or "dependencies"
                if mapping is None:
                    raise ToolSchemaError(here, f"{keyword} must be an object of schemas")
                for name, item in mapping.items():
                    if keyword == "patternProperties":
                        self._check_pattern(str(name), here)
                    if shape == "dependencies" and as_array(item) is not None:
                        members.append((item, child(here, name), -1, False))
                        continue
                    targets.append((item, child(here, name)))
            for target, target_pointer in targets:
                # The target's number is assigned when it is popped; edges are added after.
                members.append((target, target_pointer, -1, True))
                if application != CONTAINER:
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
            self.graph.mixes_numbers = True
        elif keyword in NUMERIC_KEYWORDS and isinstance(value, float):
            self.graph.mixes_numbers = True
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
                f"embedded $id {value[:200]!r} is not supported in a tool schema (it would "
                "start a separate schema resource); use $defs with same-document $ref",
            )
        base, fragment = urldefrag(value)
        if not urlsplit(base).scheme or fragment:
            raise ToolSchemaError(
                here, f"the root $id {value[:200]!r} must be an absolute URI without a fragment"
            )
        self.root_id = base

    def _add_anchor(self, name: str, number: int, here: str) -> None:
        if name in self.anchors and self.anchors[name] != number:
            raise ToolSchemaError(here, f"duplicate anchor {name[:200]!r}")
        self.anchors[name] = number

    def _check_pattern(self, pattern: str, here: str) -> None:
        self.graph.patterns += 1
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
            if application == IN_PLACE:
                graph.in_place[source].append(target)
            else:
                graph.children[source].append(target)
        for reference in self.references:
            for target in self._targets(reference):
                graph.in_place[reference.source].append(target)

    def _unresolved(self, reference: _Reference, why: str) -> ToolSchemaError:
        return ToolSchemaError(
            reference.pointer,
            f"{reference.keyword} {reference.value[:200]!r} {why} (unresolved references are "
            "refused, not ignored)",
        )

    def _targets(self, reference: _Reference) -> list[int]:
        base, fragment = urldefrag(reference.value)
        if base:
            resolved = urljoin(self.root_id, base) if self.root_id else base
            if resolved != self.root_id:
                raise ToolSchemaError(
                    reference.pointer,
                    f"{reference.keyword} {reference.value[:200]!r} points outside this "
                    "schema; only same-document references are allowed and nothing is fetched",
                )
        if reference.keyword == "$recursiveRef":
            if reference.value != "#":
                raise ToolSchemaError(reference.pointer, '$recursiveRef must be "#"')
            return [0, *self.recursive_anchors]
        try:
            pointer = fragment_pointer(fragment)
        except ValueError as error:
            why = f"cannot be read as the engine reads it: {error}"
            raise self._unresolved(reference, why) from None
        if pointer is not None:
            target = self.graph.index.get(pointer)
            if target is None:
                raise self._unresolved(reference, "does not resolve to a subschema of this schema")
            return [target]
        name = unquote(fragment)
        targets: list[int] = []
        if name in self.anchors:
            targets.append(self.anchors[name])
        if reference.keyword == "$dynamicRef":
            targets.extend(self.dynamic_anchors.get(name, []))
        if not targets:
            raise self._unresolved(reference, f"names no anchor of this schema ({name[:200]!r})")
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
                    shown = [graph.pointers[n] or "#" for n in loop[:_SHOWN_LINKS]]
                    if len(loop) > _SHOWN_LINKS:
                        shown.append(f"... ({len(loop)} links)")
                    raise ToolSchemaError(
                        graph.pointers[loop[-2]],
                        "reference cycle that never descends into the instance: "
                        + " -> ".join(shown),
                    )
                if state[target] == 0:
                    state[target] = 1
                    path.append(target)
                    stack.append(iter(graph.in_place[target]))
        order.reverse()
        graph.order = order
