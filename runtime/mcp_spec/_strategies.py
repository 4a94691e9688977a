"""The machinery behind the generated `mcp_spec.<revision>.strategies` modules.

Each generated module describes its revision's definitions as a tree of the nodes below
(built from the generator's IR) and hands them to a `Registry`. A node knows how to draw
instances that are valid by construction (`valid`) and near misses (`mutations`): one thing
broken, labelled with what and where. Only hypothesis is needed; `import mcp_spec` never
imports this module.
"""

from __future__ import annotations

import base64
import math
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as missing:  # an optional extra: say which one
    raise ImportError(
        "mcp_spec strategies need hypothesis: pip install 'mcp-spec[strategies]'"
    ) from missing

from .errors import MCPSpecError

# Bounds that keep a draw small: list and map sizes, and text length.
MAX_SIZE = 3
MAX_TEXT = 8
JSON_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})

Strategy = st.SearchStrategy


class UnknownDefinitionError(MCPSpecError, LookupError):
    """A definition name the revision does not have."""

    def __str__(self) -> str:
        return str(self.args[0])


class NoNearMissError(MCPSpecError, ValueError):
    """A definition that every JSON value satisfies, so no instance of it is invalid."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class Mutation:
    """A near miss: a valid instance with one thing changed.

    `kind` says what was changed (`missing-required`, `wrong-type`, `broken-const`,
    `broken-enum`, `above-maximum`, `below-minimum`, `too-many-items`, `too-few-items`,
    `bad-format`, `bad-pattern`, `too-short`, `too-long`, `bad-key` (against
    `propertyNames`), `unknown-key`, and the probes `integral-float` and
    `attribute-name-key`), `pointer` where (a JSON pointer into `instance`). `certain` is
    True when the schema surely rejects `instance`; False when the change may be harmless
    (it sits inside a union another member may still accept, or it is a probe: `3.0` for an
    integer is valid JSON Schema).
    """

    kind: str
    pointer: str
    instance: Any
    certain: bool


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# -- shared value strategies ---------------------------------------------------------------

# Keys that could trip a Python implementation: attribute names of pydantic models and of
# Python objects, JSON Pointer's special characters, the empty key.
_TRICKY_KEYS = (
    "",
    "model_config",
    "model_fields",
    "__class__",
    "__dict__",
    "copy",
    "json",
    "a/b~c",
)


def texts() -> Strategy[str]:
    return st.text(max_size=MAX_TEXT)


def keys() -> Strategy[str]:
    return st.one_of(st.text(max_size=MAX_TEXT), st.sampled_from(_TRICKY_KEYS))


def json_scalars() -> Strategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        texts(),
    )


def json_values() -> Strategy[Any]:
    """Any JSON value, small: at most a few levels and a few leaves."""
    return st.recursive(
        json_scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=MAX_SIZE),
            st.dictionaries(keys(), children, max_size=MAX_SIZE),
        ),
        max_leaves=6,
    )


_URI_SCHEMES = ("https", "http", "file", "urn", "mcp", "git+ssh", "data")
_PATH_CHARS = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@%"


def _percent_safe(text: str) -> str:
    # A "%" must start a percent-encoding in RFC 3986; keep it valid as "%25".
    return text.replace("%", "%25")


def _uri(scheme: str, authority: str, path: str, query: str, fragment: str) -> str:
    if authority:
        path = f"/{path}" if path else ""  # path-abempty
    else:
        path = path.lstrip("/")  # path-rootless: without an authority it may not start "//"
    return f"{scheme}:{authority}{path}{query}{fragment}"


def _prefixed(prefix: str) -> Callable[[str], str]:
    return lambda text: prefix + text


def _joined(separator: str) -> Callable[[list[str]], str]:
    return lambda parts: separator.join(parts)


def uris() -> Strategy[str]:
    """Absolute URIs (RFC 3986 `URI`): scheme, optional authority, path, query, fragment."""
    segment = st.text(alphabet=_PATH_CHARS, max_size=6).map(_percent_safe)
    host = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
    authority = st.one_of(st.just(""), host.map(lambda name: f"//{name}.example"))
    path = st.lists(segment, max_size=3).map(_joined("/"))
    query = st.one_of(st.just(""), segment.map(_prefixed("?")))
    fragment = st.one_of(st.just(""), segment.map(_prefixed("#")))
    return st.builds(_uri, st.sampled_from(_URI_SCHEMES), authority, path, query, fragment)


_TEMPLATE_LITERAL = string.ascii_letters + string.digits + "-._~/:?#@!$&'()*+,;="
_TEMPLATE_OPERATORS = ("", "+", "#", ".", "/", ";", "?", "&")


def _expression(operator: str, variables: list[str]) -> str:
    return "{" + operator + ",".join(variables) + "}"


def uri_templates() -> Strategy[str]:
    """RFC 6570 URI templates: literals and `{op var,var:3*}` expressions."""
    name = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=6)
    modifier = st.sampled_from(("", "*", ":3"))
    variable: Strategy[str] = st.builds(str.__add__, name, modifier)
    expression: Strategy[str] = st.builds(
        _expression,
        st.sampled_from(_TEMPLATE_OPERATORS),
        st.lists(variable, min_size=1, max_size=3),
    )
    literal = st.text(alphabet=_TEMPLATE_LITERAL, min_size=1, max_size=6)
    parts: Strategy[str] = st.one_of(literal, expression)
    return st.lists(parts, max_size=4).map(_joined(""))


def base64_strings() -> Strategy[str]:
    """Strict base64 (RFC 4648 alphabet, padded)."""
    return st.binary(max_size=12).map(lambda data: base64.b64encode(data).decode("ascii"))


def _two(number: int) -> str:
    return f"{number:02d}"


def _offset(sign: str, hour: int, minute: int) -> str:
    return f"{sign}{_two(hour)}:{_two(minute)}"


def _clock(hms: tuple[int, int, int], fraction: str, zone: str) -> str:
    return ":".join(map(_two, hms)) + fraction + zone


def _concatenated(*parts: str) -> str:
    return "".join(parts)


def _fraction(digits: int) -> str:
    return f".{digits}"


def _address(local: str) -> str:
    return f"{local}@example.com"


def dates() -> Strategy[str]:
    """RFC 3339 `full-date` (years 1..9999, what `date.fromisoformat` reads)."""
    return st.dates().map(lambda day: day.isoformat())


def times() -> Strategy[str]:
    """RFC 3339 `full-time`: a leap second, fractions, `Z`/`z` or a numeric offset."""
    clock = st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 60))
    fraction = st.one_of(st.just(""), st.integers(0, 999_999).map(_fraction))
    offset = st.one_of(
        st.sampled_from(("Z", "z")),
        st.builds(_offset, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)),
    )
    return st.builds(_clock, clock, fraction, offset)


def date_times() -> Strategy[str]:
    """RFC 3339 `date-time`."""
    return st.builds(_concatenated, dates(), st.sampled_from("Tt"), times())


def emails() -> Strategy[str]:
    local = st.text(alphabet=string.ascii_lowercase + string.digits + "._", min_size=1, max_size=8)
    return st.builds(_address, local)


def ipv4_addresses() -> Strategy[str]:
    return st.ip_addresses(v=4).map(str)


def ipv6_addresses() -> Strategy[str]:
    return st.ip_addresses(v=6).map(str)


def uuids() -> Strategy[str]:
    return st.uuids().map(str)


_FORMATS: dict[str, Callable[[], Strategy[str]]] = {
    "uri": uris,
    "uri-template": uri_templates,
    "byte": base64_strings,
    "date-time": date_times,
    "date": dates,
    "time": times,
    "email": emails,
    "idn-email": emails,
    "ipv4": ipv4_addresses,
    "ipv6": ipv6_addresses,
    "uuid": uuids,
}
# Strings each format's check rejects.
_BAD_FORMATS: dict[str, tuple[str, ...]] = {
    "uri": ("relative/path", "no scheme", "", "http://exa mple.com", "1http://x", "ht tp:x"),
    "uri-template": ("{unclosed", "closed}", "{}", "{a b}", "{+}", "x{a}}"),
    "byte": ("not base64!", "abc", "a===", "ab$d", "YQ"),
    "date-time": (
        "2026-07-28",
        "2026-07-28 12:00:00Z",
        "2026-02-30T12:00:00Z",
        "2026-07-28T24:00:00Z",
        "2026-07-28T12:00:00",
        "2026-07-28T12:00:00+24:00",
    ),
    "date": ("2026-13-01", "2026-02-30", "26-07-28", "2026-07-28T00:00:00Z", ""),
    "time": ("24:00:00Z", "12:00:00", "12:60:00Z", "12:00Z", "12:00:61Z"),
    "email": ("no at sign", "", "example.com"),
    "idn-email": ("no at sign", "", "example.com"),
    "ipv4": ("256.0.0.1", "1.2.3", "01.2.3.4", "::1", ""),
    "ipv6": ("1.2.3.4", "::1%eth0", ":::", "12345::", ""),
    "uuid": ("550e8400e29b41d4a716446655440000", "not-a-uuid", "550e8400-e29b-41d4-a716"),
}


# Patterns draw from visible ASCII: no final newline (Python's `$` matches before one, and
# jsonschema-rs's does not) and no non-ASCII digits or letters.
_PATTERN_ALPHABET = string.ascii_letters + string.digits + string.punctuation + " "
# Strings tried as near misses of a pattern (those it does not match).
_PATTERN_PROBES = ("", " ", "!", "A", "a", "0", "_", "-", ".", "/", "AB", "a b", "é", "9a", "_x")


def _key_strings(node: Node, registry: Registry) -> Strategy[str]:
    """Keys matching a `propertyNames` node (keys are strings)."""
    return node.valid(registry).filter(lambda key: isinstance(key, str))


def _key_misses(node: Node, registry: Registry) -> Strategy[Mutation] | None:
    """Near misses of a `propertyNames` node that are strings (so they can be keys)."""
    if isinstance(node, RefNode):
        node = registry.node(node.name)
    found = [
        miss.filter(lambda m: isinstance(m.instance, str))
        for miss in node.value_mutations(registry)
    ]
    return st.one_of(found) if found else None


def _put_key(mapping: dict[str, Any], miss: Mutation, value: Any) -> Mutation:
    return Mutation(
        "bad-key", f"/{escape(miss.instance)}", {**mapping, miss.instance: value}, miss.certain
    )


def _wrong_types(admitted: frozenset[str]) -> Strategy[Any]:
    """Values of JSON types that `admitted` excludes (None when every type is admitted)."""
    candidates: list[Strategy[Any]] = []
    if "null" not in admitted:
        candidates.append(st.none())
    if "boolean" not in admitted:
        candidates.append(st.booleans())
    if "integer" not in admitted and "number" not in admitted:
        candidates.append(st.integers(-5, 5))
    if "number" not in admitted:
        # Integral floats are integers in JSON Schema; only a fraction makes a wrong type.
        candidates.append(st.sampled_from((0.5, -2.25, 1e-3)))
    if "string" not in admitted:
        candidates.append(texts())
    if "array" not in admitted:
        candidates.append(st.lists(json_scalars(), max_size=2))
    if "object" not in admitted:
        candidates.append(st.dictionaries(keys(), json_scalars(), max_size=2))
    # One branch, not one per type: `one_of` would flatten them into the caller's choice.
    return st.sampled_from(candidates).flatmap(_itself)


def _itself(strategy: Strategy[Any]) -> Strategy[Any]:
    return strategy


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    return "string"


def _mutation(kind: str, pointer: str = "", *, certain: bool = True) -> Callable[[Any], Mutation]:
    return lambda instance: Mutation(kind, pointer, instance, certain)


# -- nodes -----------------------------------------------------------------------------------


class Node:
    """One type of the schema: how to draw valid instances and near misses of it."""

    def valid(self, registry: Registry) -> Strategy[Any]:
        raise NotImplementedError

    def json_types(self, registry: Registry) -> frozenset[str]:
        """The JSON types some instance of this node has."""
        raise NotImplementedError

    def can_mutate(self, registry: Registry) -> bool:
        """Whether some JSON value is a near miss of this node."""
        return self.json_types(registry) != JSON_TYPES or self.value_mutable(registry)

    def value_mutable(self, registry: Registry) -> bool:
        """Whether some value of an admitted JSON type is a near miss (a bound, a format, a
        constant, a required key, ...)."""
        return False

    def mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        """Strategies of near misses, one per kind of change ([] when none exists).

        A wrong JSON type comes last: hypothesis favours earlier branches, and the other
        kinds are the nearer misses."""
        found = self.value_mutations(registry)
        admitted = self.json_types(registry)
        if admitted != JSON_TYPES:
            found.append(_wrong_types(admitted).map(_mutation("wrong-type")))
        return found

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        """Near misses of an admitted JSON type (see `value_mutable`)."""
        return []


class AnyNode(Node):
    def valid(self, registry: Registry) -> Strategy[Any]:
        return json_values()

    def json_types(self, registry: Registry) -> frozenset[str]:
        return JSON_TYPES


@dataclass(frozen=True, slots=True, eq=False)
class PrimitiveNode(Node):
    kinds: tuple[str, ...]
    format: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None

    def _string_constrained(self) -> bool:
        return (self.pattern, self.min_length, self.max_length) != (None, None, None)

    def _fits(self, text: str) -> bool:
        """Whether `text` meets the length bounds and the pattern (`re.search`, as the
        reference checks it)."""
        if self.min_length is not None and len(text) < self.min_length:
            return False
        if self.max_length is not None and len(text) > self.max_length:
            return False
        return self.pattern is None or re.search(self.pattern, text) is not None

    def _strings(self) -> Strategy[str]:
        if self.format in _FORMATS:
            base = _FORMATS[self.format]()
        elif self.pattern is not None:
            base = st.from_regex(self.pattern, alphabet=_PATTERN_ALPHABET)
        else:
            low = self.min_length or 0
            high = max(low, MAX_TEXT) if self.max_length is None else self.max_length
            base = st.text(min_size=low, max_size=high)
        return base.filter(self._fits) if self._string_constrained() else base

    def _string_mutations(self) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        if self.pattern is not None:
            pattern = self.pattern
            misses = [
                text
                for text in _PATTERN_PROBES
                if re.search(pattern, text) is None and self._fits_lengths(text)
            ]
            if misses:
                found.append(st.sampled_from(misses).map(_mutation("bad-pattern")))
        if self.min_length:
            found.append(st.just("a" * (self.min_length - 1)).map(_mutation("too-short")))
        if self.max_length is not None:
            found.append(st.just("a" * (self.max_length + 1)).map(_mutation("too-long")))
        return found

    def _fits_lengths(self, text: str) -> bool:
        too_short = self.min_length is not None and len(text) < self.min_length
        return not too_short and (self.max_length is None or len(text) <= self.max_length)

    def _numbers(self, integral: bool) -> Strategy[Any]:
        low = None if self.minimum is None else math.ceil(self.minimum)
        high = None if self.maximum is None else math.floor(self.maximum)
        integers = st.integers(min_value=low, max_value=high)
        if integral:
            return integers
        floats = st.floats(
            min_value=self.minimum, max_value=self.maximum, allow_nan=False, allow_infinity=False
        )
        return st.one_of(integers, floats)

    def valid(self, registry: Registry) -> Strategy[Any]:
        options: list[Strategy[Any]] = []
        for kind in self.kinds:
            if kind == "string":
                options.append(self._strings())
            elif kind == "integer":
                options.append(self._numbers(integral=True))
            elif kind == "number":
                options.append(self._numbers(integral=False))
            elif kind == "boolean":
                options.append(st.booleans())
            else:
                options.append(st.none())
        return st.one_of(options)

    def json_types(self, registry: Registry) -> frozenset[str]:
        kinds = frozenset(self.kinds)
        return kinds | {"integer"} if "number" in kinds else kinds

    def value_mutable(self, registry: Registry) -> bool:
        numeric = bool({"integer", "number"} & set(self.kinds))
        bounded = numeric and (self.minimum is not None or self.maximum is not None)
        strings = "string" in self.kinds
        return bounded or (strings and (self.format in _BAD_FORMATS or self._string_constrained()))

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        numeric = {"integer", "number"} & set(self.kinds)
        if numeric and self.minimum is not None:
            below = st.sampled_from((self.minimum - 1, self.minimum - 1000))
            found.append(below.map(_mutation("below-minimum")))
        if numeric and self.maximum is not None:
            above = st.sampled_from((self.maximum + 1, self.maximum + 1000))
            found.append(above.map(_mutation("above-maximum")))
        if "string" in self.kinds and self.format in _BAD_FORMATS:
            bad = st.sampled_from(_BAD_FORMATS[self.format])
            found.append(bad.map(_mutation("bad-format")))
        if "string" in self.kinds:
            found.extend(self._string_mutations())
        if "integer" in self.kinds and "number" not in self.kinds:
            low = -1000 if self.minimum is None else max(math.ceil(self.minimum), -1000)
            high = 1000 if self.maximum is None else min(math.floor(self.maximum), 1000)
            probe = st.integers(low, max(low, high)).map(float)
            found.append(probe.map(_mutation("integral-float", certain=False)))
        return found


@dataclass(frozen=True, slots=True, eq=False)
class LiteralNode(Node):
    values: tuple[Any, ...]

    def valid(self, registry: Registry) -> Strategy[Any]:
        return st.sampled_from(self.values)

    def json_types(self, registry: Registry) -> frozenset[str]:
        return frozenset(_json_type(value) for value in self.values)

    def value_mutable(self, registry: Registry) -> bool:
        booleans = {value for value in self.values if isinstance(value, bool)}
        return len(booleans) == 1 or any(
            isinstance(value, str | int) and not isinstance(value, bool) for value in self.values
        )

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        kind = "broken-const" if len(self.values) == 1 else "broken-enum"
        strings = [value for value in self.values if isinstance(value, str)]
        if strings:
            near = st.sampled_from(strings).flatmap(
                lambda value: st.sampled_from((value + "x", value.upper(), value[:-1], " " + value))
            )
            found.append(near.filter(lambda text: text not in strings).map(_mutation(kind)))
        integers = [v for v in self.values if isinstance(v, int) and not isinstance(v, bool)]
        if integers:
            other = st.integers(-10, 10).filter(lambda number: number not in integers)
            found.append(other.map(_mutation(kind)))
        booleans = [value for value in self.values if isinstance(value, bool)]
        if len(booleans) == 1:
            found.append(st.just(not booleans[0]).map(_mutation(kind)))
        return found


@dataclass(frozen=True, slots=True, eq=False)
class ArrayNode(Node):
    items: Node
    min_items: int | None = None
    max_items: int | None = None

    def _lists(self, registry: Registry, low: int, high: int) -> Strategy[list[Any]]:
        return st.lists(self.items.valid(registry), min_size=low, max_size=max(low, high))

    def valid(self, registry: Registry) -> Strategy[Any]:
        low = self.min_items or 0
        high = low + MAX_SIZE if self.max_items is None else min(self.max_items, low + MAX_SIZE)
        return self._lists(registry, low, high)

    def json_types(self, registry: Registry) -> frozenset[str]:
        return frozenset({"array"})

    def value_mutable(self, registry: Registry) -> bool:
        bounded = self.max_items is not None or bool(self.min_items)
        return bounded or self.items.can_mutate(registry)

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        if self.max_items is not None:
            size = self.max_items + 1
            found.append(self._lists(registry, size, size).map(_mutation("too-many-items")))
        if self.min_items:
            size = self.min_items - 1
            found.append(self._lists(registry, size, size).map(_mutation("too-few-items")))
        if self.items.can_mutate(registry):
            # The other items stay within the bounds, so only the broken item is wrong.
            low = max((self.min_items or 0) - 1, 0)
            high = low + MAX_SIZE - 1
            if self.max_items is not None:
                high = min(high, self.max_items - 1)
            if high >= low:
                found.append(
                    st.builds(
                        _insert,
                        self._lists(registry, low, high),
                        st.one_of(self.items.mutations(registry)),
                        st.integers(min_value=0, max_value=high),
                    )
                )
        return found


def _insert(items: list[Any], inner: Mutation, index: int) -> Mutation:
    position = min(index, len(items))
    instance = [*items[:position], inner.instance, *items[position:]]
    return Mutation(inner.kind, f"/{position}{inner.pointer}", instance, inner.certain)


@dataclass(frozen=True, slots=True, eq=False)
class MapNode(Node):
    values: Node
    keys: Node | None = None  # `propertyNames`

    def _keys(self, registry: Registry) -> Strategy[str]:
        return keys() if self.keys is None else _key_strings(self.keys, registry)

    def valid(self, registry: Registry) -> Strategy[Any]:
        return st.dictionaries(self._keys(registry), self.values.valid(registry), max_size=MAX_SIZE)

    def json_types(self, registry: Registry) -> frozenset[str]:
        return frozenset({"object"})

    def value_mutable(self, registry: Registry) -> bool:
        return self.values.can_mutate(registry) or self.keys is not None

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        bad_keys = None if self.keys is None else _key_misses(self.keys, registry)
        if bad_keys is not None:
            found.append(
                st.builds(_put_key, self.valid(registry), bad_keys, self.values.valid(registry))
            )
        if self.values.can_mutate(registry):
            found.append(
                st.builds(
                    _put,
                    self.valid(registry),
                    self._keys(registry),
                    st.one_of(self.values.mutations(registry)),
                )
            )
        return found


def _put(mapping: dict[str, Any], key: str, inner: Mutation) -> Mutation:
    return Mutation(
        inner.kind,
        f"/{escape(key)}{inner.pointer}",
        {**mapping, key: inner.instance},
        inner.certain,
    )


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A declared property: wire name, Python attribute name, type, required or not."""

    wire_name: str
    attr_name: str
    node: Node
    required: bool


@dataclass(frozen=True, slots=True, eq=False)
class ModelNode(Node):
    """An object with declared properties; `extra` types unknown keys (None: closed)."""

    fields: tuple[FieldSpec, ...]
    extra: Node | None
    key_names: Node | None = None  # `propertyNames`: unknown keys are drawn to match it

    def _reserved(self) -> frozenset[str]:
        return frozenset(spec.wire_name for spec in self.fields)

    def _unknown_keys(self) -> Strategy[str]:
        """Keys the object does not declare. A Python attribute name that differs from its
        wire name (`is_error`) is one of them, and drawn often: wire input reads wire names
        only, so it must stay an unknown key, kept as it is."""
        reserved = self._reserved()
        attribute_names = sorted(
            {spec.attr_name for spec in self.fields if spec.attr_name != spec.wire_name} - reserved
        )
        candidates = keys()
        if attribute_names:
            candidates = st.one_of(candidates, st.sampled_from(attribute_names))
        return candidates.filter(lambda key: key not in reserved)

    def _extra_keys(self, registry: Registry) -> Strategy[dict[str, Any]]:
        if self.extra is None:
            return st.just({})
        if self.key_names is None:
            free_keys = self._unknown_keys()
        else:  # `propertyNames`: unknown keys must match it
            reserved = self._reserved()
            matching = _key_strings(self.key_names, registry)
            free_keys = matching.filter(lambda key: key not in reserved)
        return st.dictionaries(free_keys, self.extra.valid(registry), max_size=2)

    def valid(self, registry: Registry) -> Strategy[Any]:
        declared = st.fixed_dictionaries(
            {spec.wire_name: spec.node.valid(registry) for spec in self.fields if spec.required},
            optional={
                spec.wire_name: spec.node.valid(registry)
                for spec in self.fields
                if not spec.required
            },
        )
        return st.builds(_merged, declared, self._extra_keys(registry))

    def json_types(self, registry: Registry) -> frozenset[str]:
        return frozenset({"object"})

    def value_mutable(self, registry: Registry) -> bool:
        if self.extra is None or self.extra.can_mutate(registry) or self.key_names is not None:
            return True
        return any(spec.required or spec.node.can_mutate(registry) for spec in self.fields)

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        valid = self.valid(registry)
        required = [spec.wire_name for spec in self.fields if spec.required]
        if required:
            found.append(st.builds(_drop, valid, st.sampled_from(required)))
        if self.extra is None:
            found.append(st.builds(_add_unknown, valid, self._unknown_keys(), json_scalars()))
        elif self.extra.can_mutate(registry):
            found.append(
                st.builds(
                    _put, valid, self._unknown_keys(), st.one_of(self.extra.mutations(registry))
                )
            )
        for spec in self.fields:
            if spec.node.can_mutate(registry):
                found.append(
                    st.builds(
                        _put,
                        valid,
                        st.just(spec.wire_name),
                        st.one_of(spec.node.mutations(registry)),
                    )
                )
        bad_keys = None if self.key_names is None else _key_misses(self.key_names, registry)
        if bad_keys is not None:
            reserved = self._reserved()
            bad_keys = bad_keys.filter(lambda miss: miss.instance not in reserved)
            found.append(st.builds(_put_key, valid, bad_keys, json_scalars()))
        renamed = [spec for spec in self.fields if spec.attr_name != spec.wire_name]
        if renamed:
            renaming = st.sampled_from(renamed).flatmap(
                lambda spec: st.tuples(
                    st.just(spec), _attribute_key_value(spec, registry), st.booleans()
                )
            )
            found.append(st.builds(_rename_to_attribute, valid, renaming))
        return found


def _merged(known: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    return {**unknown, **known}


def _drop(instance: dict[str, Any], key: str) -> Mutation:
    rest = {name: value for name, value in instance.items() if name != key}
    return Mutation("missing-required", f"/{escape(key)}", rest, True)


def _add_unknown(instance: dict[str, Any], key: str, value: Any) -> Mutation:
    return Mutation("unknown-key", f"/{escape(key)}", {**instance, key: value}, True)


def _attribute_key_value(spec: FieldSpec, registry: Registry) -> Strategy[Any]:
    """A value the field itself would reject, where one exists: an implementation that takes
    the attribute name for the field rejects it, one that keeps it as an unknown key (as the
    schema does) accepts it where the object is open."""
    admitted = spec.node.json_types(registry)
    if admitted == JSON_TYPES:
        return spec.node.valid(registry)
    return _wrong_types(admitted)


def _rename_to_attribute(
    instance: dict[str, Any], renaming: tuple[FieldSpec, Any, bool]
) -> Mutation:
    # A probe, not a sure miss: in an open object the attribute name is an unknown key, and
    # dropping an optional wire key is harmless.
    spec, value, keep_wire_key = renaming
    rest = {
        name: item for name, item in instance.items() if keep_wire_key or name != spec.wire_name
    }
    return Mutation(
        "attribute-name-key", f"/{escape(spec.attr_name)}", {**rest, spec.attr_name: value}, False
    )


@dataclass(frozen=True, slots=True, eq=False)
class UnionNode(Node):
    """`anyOf`; `discriminator` is the wire name of the constant tag that tells members apart."""

    members: tuple[Node, ...]
    discriminator: str | None = None

    def valid(self, registry: Registry) -> Strategy[Any]:
        return st.one_of([member.valid(registry) for member in self.members])

    def json_types(self, registry: Registry) -> frozenset[str]:
        return frozenset[str]().union(*(member.json_types(registry) for member in self.members))

    def value_mutable(self, registry: Registry) -> bool:
        if any(isinstance(member, AnyNode) for member in self.members):
            return False
        return any(member.value_mutable(registry) for member in self.members)

    def value_mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        found: list[Strategy[Mutation]] = []
        for member in self.members:
            if member.can_mutate(registry):
                found.append(st.one_of(member.mutations(registry)).map(self._member_miss))
        return found

    def _member_miss(self, inner: Mutation) -> Mutation:
        # Another member may accept what one member rejects, unless the constant tag pins the
        # member and the change is elsewhere.
        tag = self.discriminator
        pinned = tag is not None and inner.pointer not in ("", f"/{escape(tag)}")
        pinned = pinned and not inner.pointer.startswith(f"/{escape(tag or '')}/")
        return Mutation(inner.kind, inner.pointer, inner.instance, inner.certain and pinned)


@dataclass(frozen=True, slots=True, eq=False)
class RefNode(Node):
    name: str

    def valid(self, registry: Registry) -> Strategy[Any]:
        return registry.valid(self.name)

    def json_types(self, registry: Registry) -> frozenset[str]:
        return registry.json_types(self.name)

    def can_mutate(self, registry: Registry) -> bool:
        return registry.can_mutate(self.name)

    def value_mutable(self, registry: Registry) -> bool:
        return registry.value_mutable(self.name)

    def mutations(self, registry: Registry) -> list[Strategy[Mutation]]:
        return [registry.invalid(self.name)] if registry.can_mutate(self.name) else []


# -- registry ----------------------------------------------------------------------------------


class Registry:
    """A revision's definitions as nodes, with their strategies built once and shared.

    References go through `st.deferred`, so recursive definitions (`JSONValue`) work and each
    strategy is built only when first drawn from.
    """

    def __init__(self, revision: str, nodes: dict[str, Node]) -> None:
        self.revision = revision
        self.nodes = nodes
        self._valid: dict[str, Strategy[Any]] = {}
        self._invalid: dict[str, Strategy[Mutation]] = {}
        self._types: dict[str, frozenset[str]] | None = None
        self._mutable: dict[str, tuple[bool, bool]] | None = None

    def node(self, name: str) -> Node:
        found = self.nodes.get(name)
        if found is None:
            raise UnknownDefinitionError(
                f"revision {self.revision} has no definition {name!r}"
                f" (it has {len(self.nodes)}, e.g. {', '.join(sorted(self.nodes)[:5])})"
            )
        return found

    def valid(self, name: str) -> Strategy[Any]:
        cached = self._valid.get(name)
        if cached is None:
            node = self.node(name)
            cached = st.deferred(lambda: node.valid(self))
            self._valid[name] = cached
        return cached

    def invalid(self, name: str) -> Strategy[Mutation]:
        cached = self._invalid.get(name)
        if cached is None:
            node = self.node(name)
            if not self.can_mutate(name):
                raise NoNearMissError(
                    f"{name} ({self.revision}) accepts every JSON value: it has no near misses"
                )
            cached = st.deferred(lambda: st.one_of(node.mutations(self)))
            self._invalid[name] = cached
        return cached

    def json_types(self, name: str) -> frozenset[str]:
        self.node(name)
        if self._types is None:
            # Least fixpoint over references, so recursive aliases get their full type set.
            self._types = dict.fromkeys(self.nodes, frozenset[str]())
            changed = True
            while changed:
                changed = False
                for key, node in self.nodes.items():
                    types = node.json_types(self)
                    if types != self._types[key]:
                        self._types[key] = types
                        changed = True
        return self._types[name]

    def can_mutate(self, name: str) -> bool:
        self.node(name)
        return self._mutability()[name][0]

    def value_mutable(self, name: str) -> bool:
        self.node(name)
        return self._mutability()[name][1]

    def _mutability(self) -> dict[str, tuple[bool, bool]]:
        if self._mutable is None:
            # Least fixpoint: a recursive definition is mutable only through a finite path.
            self._mutable = dict.fromkeys(self.nodes, (False, False))
            changed = True
            while changed:
                changed = False
                for key, node in self.nodes.items():
                    found = (node.can_mutate(self), node.value_mutable(self))
                    if found != self._mutable[key]:
                        self._mutable[key] = found
                        changed = True
        return self._mutable
