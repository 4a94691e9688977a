"""Passes over the IR: each takes a RevisionIR-shaped set of definitions and returns a refined one.

- `assign_attribute_names`: snake_case attributes for wire names, collisions refused.
- `clean_descriptions`: the TypeScript renderer's `{@link X}` artefacts made readable.
- `find_discriminators`: unions whose members carry distinct constant tags become
  discriminated (a 17-member request union validates in 6 us instead of 72 us).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from .errors import LoweringError
from .ir import (
    AliasDef,
    ArrayOf,
    Definition,
    Deprecation,
    LiteralType,
    MapOf,
    ModelDef,
    Ref,
    TypeExpr,
    UnionOf,
)
from .naming import attribute_name
from .problems import Problems
from .reach import Reach

# Names a generated model must not shadow: pydantic's BaseModel attributes.
RESERVED_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "fields",
        "register",
    }
)
# Preferred tag names, tried first; any other constant property may serve.
_PREFERRED_TAGS = ("type", "method", "resultType", "kind")
DEPRECATIONS_FILE_NAME = "schema/deprecations.json"
_LINK = re.compile(r"\{@link\s+([^}]+)\}")


def assign_attribute_names(
    definitions: Mapping[str, Definition], *, revision: str, file: str
) -> dict[str, Definition]:
    result: dict[str, Definition] = {}
    for name, definition in definitions.items():
        if isinstance(definition, ModelDef):
            seen: dict[str, str] = {}
            fields = []
            for field in definition.fields:
                attr = attribute_name(field.wire_name, RESERVED_ATTRIBUTES)
                if attr in seen:
                    raise LoweringError(
                        f"{name}: properties {seen[attr]!r} and {field.wire_name!r} would both "
                        f"become attribute {attr!r}",
                        file=file,
                        pointer=definition.pointer,
                        revision=revision,
                    )
                seen[attr] = field.wire_name
                fields.append(replace(field, attr_name=attr))
            definition = replace(definition, fields=tuple(fields))
        result[name] = definition
    return result


def clean_description(text: str | None, known_names: frozenset[str]) -> str | None:
    """`{@link X}` -> `X`. The renderer fuses `{@link Target | label}` into `{@link Targetlabel}`
    (`{@link ElicitRequestelicitation/create}`); the label is split off again where the link
    starts with a known definition name."""
    if text is None:
        return None

    def show(label: str) -> str:
        label = label.strip()
        return label if ("`" in label or " " in label) else f"`{label}`"

    def replace_link(match: re.Match[str]) -> str:
        content = match.group(1).strip()
        if "|" in content:
            return show(content.partition("|")[2])
        for end in range(len(content) - 1, 0, -1):
            if content[:end] in known_names and not content[end : end + 1].isupper():
                return show(content[end:])
        return f"`{content}`"

    return _LINK.sub(replace_link, text).strip()


def clean_descriptions(definitions: Mapping[str, Definition]) -> dict[str, Definition]:
    known = frozenset(definitions)
    result: dict[str, Definition] = {}
    for name, definition in definitions.items():
        description = clean_description(definition.description, known)
        if isinstance(definition, ModelDef):
            fields = tuple(
                replace(field, description=clean_description(field.description, known))
                for field in definition.fields
            )
            definition = replace(definition, description=description, fields=fields)
        else:
            definition = replace(definition, description=description)
        result[name] = definition
    return result


def flatten_union(
    members: tuple[TypeExpr, ...], definitions: Mapping[str, Definition]
) -> list[TypeExpr]:
    """Members of nested unions (through aliases) as one list, in order, without repeats."""
    flat: list[TypeExpr] = []
    for member in members:
        target = definitions.get(member.name) if isinstance(member, Ref) else None
        if isinstance(target, AliasDef) and isinstance(target.type, UnionOf):
            nested = flatten_union(target.type.members, definitions)
        elif isinstance(member, UnionOf):
            nested = flatten_union(member.members, definitions)
        else:
            nested = [member]
        flat.extend(item for item in nested if item not in flat)
    return flat


def _tag_values(model: ModelDef, wire_name: str) -> tuple[object, ...] | None:
    field = model.field_by_wire_name(wire_name)
    if field is None or not field.required or not isinstance(field.type, LiteralType):
        return None
    return field.type.values


def _discriminate(union: UnionOf, definitions: Mapping[str, Definition]) -> UnionOf:
    members = flatten_union(union.members, definitions)
    models = [
        definitions.get(member.name) if isinstance(member, Ref) else None for member in members
    ]
    if len(members) < 2 or not all(isinstance(model, ModelDef) for model in models):
        return union
    typed_models = [model for model in models if isinstance(model, ModelDef)]
    candidates = list(_PREFERRED_TAGS) + [field.wire_name for field in typed_models[0].fields]
    for tag in candidates:
        seen: set[object] = set()
        for model in typed_models:
            values = _tag_values(model, tag)
            if values is None or seen & set(values):
                break
            seen.update(values)
        else:
            return UnionOf(tuple(members), discriminator=tag)
    return union


def _rewrite(expr: TypeExpr, definitions: Mapping[str, Definition]) -> TypeExpr:
    if isinstance(expr, UnionOf):
        rewritten = UnionOf(tuple(_rewrite(member, definitions) for member in expr.members))
        return _discriminate(rewritten, definitions)
    if isinstance(expr, ArrayOf):
        return replace(expr, items=_rewrite(expr.items, definitions))
    if isinstance(expr, MapOf):
        return replace(expr, values=_rewrite(expr.values, definitions))
    return expr


def find_discriminators(definitions: Mapping[str, Definition]) -> dict[str, Definition]:
    result: dict[str, Definition] = {}
    for name, definition in definitions.items():
        if isinstance(definition, ModelDef):
            fields = tuple(
                replace(field, type=_rewrite(field.type, definitions))
                for field in definition.fields
            )
            extra = None if definition.extra is None else _rewrite(definition.extra, definitions)
            result[name] = replace(definition, fields=fields, extra=extra)
        else:
            result[name] = replace(definition, type=_rewrite(definition.type, definitions))
    return result


def apply_deprecations(
    definitions: Mapping[str, Definition],
    revision: str,
    declared: list[dict[str, object]],
    problems: Problems,
    *,
    unlowered: frozenset[str] = frozenset(),
) -> dict[str, Definition]:
    """Mark the definitions and fields `schema/deprecations.json` declares for `revision`
    (its reach covers it); every name the schema lacks is added to `problems`.
    `unlowered` are definitions that exist but failed to lower (already reported)."""
    result = dict(definitions)

    def stale(entry: dict[str, object], what: str) -> None:
        problems.add(
            LoweringError(
                f"deprecations.json: {entry['feature']!r} ({entry['reach']}) names {what}; "
                "narrow its revisions or fix the name",
                revision=revision,
                file=DEPRECATIONS_FILE_NAME,
            )
        )

    for entry in declared:
        reach = entry["reach"]
        if not isinstance(reach, Reach) or not reach.covers(revision):
            continue
        deprecation = Deprecation(
            feature=str(entry["feature"]),
            since=str(entry["since"]),
            migration=str(entry["migration"]),
            reference=str(entry["reference"]),
        )
        for name in entry.get("definitions", []):  # type: ignore[union-attr]
            target = result.get(str(name))
            if target is None:
                if str(name) not in unlowered:
                    stale(entry, f"unknown definition {name!r}")
                continue
            result[str(name)] = replace(target, deprecation=deprecation)
        for dotted in entry.get("fields", []):  # type: ignore[union-attr]
            owner, _, wire_name = str(dotted).partition(".")
            model = result.get(owner)
            if not isinstance(model, ModelDef) or model.field_by_wire_name(wire_name) is None:
                if owner not in unlowered:
                    stale(entry, f"unknown field {dotted!r}")
                continue
            fields = tuple(
                replace(item, deprecation=deprecation) if item.wire_name == wire_name else item
                for item in model.fields
            )
            result[owner] = replace(model, fields=fields)
        values = entry.get("values", {})
        assert isinstance(values, dict)
        for dotted, deprecated_values in values.items():
            owner, _, wire_name = str(dotted).partition(".")
            model = result.get(owner)
            target = model.field_by_wire_name(wire_name) if isinstance(model, ModelDef) else None
            if not isinstance(model, ModelDef) or target is None:
                if owner not in unlowered:
                    stale(entry, f"unknown field {dotted!r}")
                continue
            allowed = target.type.values if isinstance(target.type, LiteralType) else ()
            unknown = [value for value in deprecated_values if value not in allowed]
            if unknown:
                stale(entry, f"values {unknown} that {dotted} does not have")
                continue
            fields = tuple(
                replace(
                    item, deprecated_values=tuple(deprecated_values), values_deprecation=deprecation
                )
                if item.wire_name == wire_name
                else item
                for item in model.fields
            )
            result[owner] = replace(model, fields=fields)
    return result


def deprecation_message(deprecation: Deprecation, subject: str, revision: str) -> str:
    return (
        f"{subject} is deprecated in MCP {revision} ({deprecation.feature}, since "
        f"{deprecation.since}, {deprecation.reference}): {deprecation.migration}"
    )
