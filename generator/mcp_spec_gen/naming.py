"""Names: Python identifiers derived from wire names and schema paths, deterministically."""

from __future__ import annotations

import keyword
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
# A reverse-DNS key prefix such as `io.modelcontextprotocol/` says who owns a `_meta` key; the
# attribute name keeps the part after it.
_VENDOR_PREFIX = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def pascal_case(text: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(text)) or "Value"


def snake_case(text: str) -> str:
    return "_".join(word.lower() for word in words(_VENDOR_PREFIX.sub("", text)))


def revision_module(revision: str) -> str:
    """The module name of a revision: "2026-07-28" -> "v2026_07_28", "draft" -> "draft"."""
    return revision if not revision[:1].isdigit() else "v" + revision.replace("-", "_")


def attribute_name(wire_name: str, reserved: frozenset[str]) -> str:
    """A snake_case attribute for a wire name; a trailing underscore avoids keywords and names
    the model base class already uses."""
    name = snake_case(wire_name) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if keyword.iskeyword(name) or name in reserved or name.startswith("model_"):
        name += "_"
    return name
