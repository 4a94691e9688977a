"""The JSON Schema dialects a tool schema may use, and how each dialect's keywords apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._limits import ToolSchemaError

# `$schema` URIs accepted for each dialect (trailing "#" and http/https both accepted).
_DIALECTS: dict[str, str] = {
    "json-schema.org/draft/2020-12/schema": "2020-12",
    "json-schema.org/draft/2019-09/schema": "2019-09",
    "json-schema.org/draft-07/schema": "draft-07",
}
CANONICAL_SCHEMA_URI: dict[str, str] = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
}
DEFAULT_DIALECT = "2020-12"

# How a subschema keyword applies: in place (same instance location) or to children.
IN_PLACE, CHILD, CONTAINER = "in-place", "child", "container"
# Keywords whose number the engine compares with an instance number.
NUMERIC_KEYWORDS = frozenset(
    ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
)


def dialect_of(schema: Mapping[str, Any]) -> str:
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
            f"unsupported dialect {uri[:200]!r}; supported: JSON Schema 2020-12 (the "
            "default), 2019-09 and draft-07",
        )
    return _DIALECTS[key]


def keywords(dialect: str) -> dict[str, tuple[str, str]]:
    """keyword -> (shape, application); shape is "schema", "array", "map" or "items"."""
    table: dict[str, tuple[str, str]] = {
        "not": ("schema", IN_PLACE),
        "if": ("schema", IN_PLACE),
        "then": ("schema", IN_PLACE),
        "else": ("schema", IN_PLACE),
        "allOf": ("array", IN_PLACE),
        "anyOf": ("array", IN_PLACE),
        "oneOf": ("array", IN_PLACE),
        "dependencies": ("dependencies", IN_PLACE),
        "additionalProperties": ("schema", CHILD),
        "propertyNames": ("schema", CHILD),
        "contains": ("schema", CHILD),
        "properties": ("map", CHILD),
        "patternProperties": ("map", CHILD),
        "$defs": ("map", CONTAINER),
        "definitions": ("map", CONTAINER),
    }
    if dialect == "draft-07":
        table["items"] = ("items", CHILD)
        table["additionalItems"] = ("schema", CHILD)
        return table
    table.update(
        {
            "dependentSchemas": ("map", IN_PLACE),
            "unevaluatedItems": ("schema", CHILD),
            "unevaluatedProperties": ("schema", CHILD),
            "contentSchema": ("schema", CHILD),
        }
    )
    if dialect == "2019-09":
        table["items"] = ("items", CHILD)
        table["additionalItems"] = ("schema", CHILD)
    else:
        table["items"] = ("schema", CHILD)
        table["prefixItems"] = ("array", CHILD)
    return table
