"""Where subschemas live in a JSON Schema document, by keyword.

One table serves every stage that walks schemas (bounds, references, lowering), so a keyword
is never treated as a subschema in one place and as data in another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

# Keywords whose value is one subschema.
SINGLE = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "else",
        "if",
        "items",
        "not",
        "propertyNames",
        "then",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
# Keywords whose value is an object of subschemas.
MAPPING = frozenset(
    {
        "$defs",
        "definitions",
        "dependentSchemas",
        "patternProperties",
        "properties",
    }
)
# Keywords whose value is an array of subschemas.
SEQUENCE = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def child_schemas(schema: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """The direct subschemas of `schema` with their JSON pointers."""
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        base = f"{pointer}/{escape_pointer_token(keyword)}"
        if keyword in SINGLE:
            if isinstance(value, list):  # draft-07 tuple form of `items`
                for index, item in enumerate(value):
                    yield f"{base}/{index}", item
            else:
                yield base, value
        elif keyword in MAPPING and isinstance(value, dict):
            for name, item in value.items():
                yield f"{base}/{escape_pointer_token(name)}", item
        elif keyword in SEQUENCE and isinstance(value, list):
            for index, item in enumerate(value):
                yield f"{base}/{index}", item
        elif keyword == "dependencies" and isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict | bool):
                    yield f"{base}/{escape_pointer_token(name)}", item


def walk(root: Any) -> Iterator[tuple[str, Any, int]]:
    """Every subschema of `root` (pointer, schema, depth), iteratively: no recursion limit."""
    stack: list[tuple[str, Any, int]] = [("", root, 0)]
    while stack:
        pointer, schema, depth = stack.pop()
        yield pointer, schema, depth
        children = list(child_schemas(schema, pointer))
        for child_pointer, child in reversed(children):
            stack.append((child_pointer, child, depth + 1))


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer ("" or "/a/b"); KeyError/IndexError when absent."""
    node = document
    if pointer == "":
        return node
    for token in pointer.lstrip("/").split("/"):
        token = unescape_pointer_token(token)
        if isinstance(node, list):
            if not token.isdigit():
                raise KeyError(token)
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(token)
    return node


# Annotation keywords: they never change a validation verdict, so validation bundles drop them.
ANNOTATIONS = frozenset({"$comment", "default", "description", "examples", "title"})


def transform(
    schema: Any, node: Callable[[dict[str, Any], str], dict[str, Any]], pointer: str = ""
) -> Any:
    """A copy of `schema` where every subschema object, children first, went through
    `node(subschema, pointer)`. Data-valued keywords (`const`, `enum`, ...) are copied as they
    are. Recursion depth is bounded by ingest's nesting bound."""
    if not isinstance(schema, dict):
        return schema
    copied: dict[str, Any] = {}
    for keyword, value in schema.items():
        base = f"{pointer}/{escape_pointer_token(keyword)}"
        if keyword in SINGLE:
            copied[keyword] = (
                [transform(item, node, f"{base}/{index}") for index, item in enumerate(value)]
                if isinstance(value, list)
                else transform(value, node, base)
            )
        elif keyword in MAPPING and isinstance(value, dict):
            copied[keyword] = {
                name: transform(item, node, f"{base}/{escape_pointer_token(name)}")
                for name, item in value.items()
            }
        elif keyword in SEQUENCE and isinstance(value, list):
            copied[keyword] = [
                transform(item, node, f"{base}/{index}") for index, item in enumerate(value)
            ]
        elif keyword == "dependencies" and isinstance(value, dict):
            copied[keyword] = {
                name: transform(item, node, f"{base}/{escape_pointer_token(name)}")
                if isinstance(item, dict | bool)
                else item
                for name, item in value.items()
            }
        else:
            copied[keyword] = value
    return node(copied, pointer)


def without_annotations(schema: Any) -> Any:
    """A copy of `schema` without annotation keywords in schema positions.

    Only keywords are dropped: a property *named* `description` stays, and so does anything
    inside `const`, `enum` or other data-valued keywords.
    """
    return transform(
        schema,
        lambda node, _: {key: value for key, value in node.items() if key not in ANNOTATIONS},
    )
