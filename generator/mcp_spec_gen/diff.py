"""Revision diffs from the IR: what a maintainer reads when moving to a new revision.

Definitions are compared structurally (descriptions ignored): added, removed, changed, with
field-level detail; methods added and removed; deprecations declared for the newer revision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from .emit_types import Helpers, TypeRenderer
from .ir import ArrayOf, Definition, LiteralType, MapOf, ModelDef, RevisionIR, TypeExpr, UnionOf
from .methods import MethodRow


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    change: str  # added | removed | type changed | became required | became optional
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    old: str
    new: str
    added: list[str] = field(default_factory=list[str])
    removed: list[str] = field(default_factory=list[str])
    changed: dict[str, list[FieldChange]] = field(default_factory=dict[str, list[FieldChange]])
    methods_added: list[str] = field(default_factory=list[str])
    methods_removed: list[str] = field(default_factory=list[str])
    deprecated: list[str] = field(default_factory=list[str])

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _unordered(expr: TypeExpr) -> TypeExpr:
    """`expr` with union members and enum values in a canonical order: `A | B` and `B | A`
    accept the same values, so reordering them is no change."""
    if isinstance(expr, UnionOf):
        members = sorted((_unordered(member) for member in expr.members), key=repr)
        return replace(expr, members=tuple(members))
    if isinstance(expr, LiteralType):
        return replace(expr, values=tuple(sorted(expr.values, key=repr)))
    if isinstance(expr, ArrayOf):
        return replace(expr, items=_unordered(expr.items))
    if isinstance(expr, MapOf):
        return replace(expr, values=_unordered(expr.values))
    return expr


def _structure(definition: Definition) -> Definition:
    """The definition without prose, deprecation marks (listed apart) or member order, for
    comparison."""
    if isinstance(definition, ModelDef):
        fields = tuple(
            replace(item, description=None, deprecation=None, type=_unordered(item.type))
            for item in sorted(definition.fields, key=lambda item: item.wire_name)
        )
        extra = None if definition.extra is None else _unordered(definition.extra)
        return replace(
            definition, description=None, fields=fields, extra=extra, pointer="", deprecation=None
        )
    return replace(
        definition, description=None, pointer="", deprecation=None, type=_unordered(definition.type)
    )


def _field_changes(
    old: Definition, new: Definition, old_ir: RevisionIR, new_ir: RevisionIR
) -> list[FieldChange]:
    render_old = TypeRenderer(old_ir.all_definitions(), Helpers(frozenset())).render
    render_new = TypeRenderer(new_ir.all_definitions(), Helpers(frozenset())).render
    if not isinstance(old, ModelDef) or not isinstance(new, ModelDef):
        old_type = render_old(old.type) if not isinstance(old, ModelDef) else "object"
        new_type = render_new(new.type) if not isinstance(new, ModelDef) else "object"
        return [FieldChange(field="", change="type changed", old=old_type, new=new_type)]
    changes: list[FieldChange] = []
    old_fields = {item.wire_name: item for item in old.fields}
    new_fields = {item.wire_name: item for item in new.fields}
    for name in sorted(set(old_fields) | set(new_fields)):
        before, after = old_fields.get(name), new_fields.get(name)
        if before is None and after is not None:
            changes.append(FieldChange(name, "added", new=render_new(after.type)))
        elif after is None and before is not None:
            changes.append(FieldChange(name, "removed", old=render_old(before.type)))
        elif before is not None and after is not None:
            old_type, new_type = render_old(before.type), render_new(after.type)
            if old_type != new_type:
                changes.append(FieldChange(name, "type changed", old=old_type, new=new_type))
            if before.required != after.required:
                changes.append(
                    FieldChange(name, "became required" if after.required else "became optional")
                )
    return changes


def diff_revisions(
    old_ir: RevisionIR,
    new_ir: RevisionIR,
    old_methods: list[MethodRow],
    new_methods: list[MethodRow],
    deprecated: frozenset[str],
) -> RevisionDiff:
    old_defs, new_defs = old_ir.definitions, new_ir.definitions
    result = RevisionDiff(old=old_ir.revision, new=new_ir.revision)
    result.added.extend(sorted(set(new_defs) - set(old_defs)))
    result.removed.extend(sorted(set(old_defs) - set(new_defs)))
    for name in sorted(set(old_defs) & set(new_defs)):
        old_structure, new_structure = _structure(old_defs[name]), _structure(new_defs[name])
        if old_structure != new_structure:
            changes = _field_changes(old_structure, new_structure, old_ir, new_ir)
            result.changed[name] = changes
    old_names = {row.method for row in old_methods}
    new_names = {row.method for row in new_methods}
    result.methods_added.extend(sorted(new_names - old_names))
    result.methods_removed.extend(sorted(old_names - new_names))
    result.deprecated.extend(sorted(deprecated))
    return result


def markdown_section(lines: list[str], title: str, items: list[str], *, code: bool = True) -> None:
    """Append `## title (count)` and a bullet per item (`- none` when empty) to `lines`."""
    lines.extend(["", f"## {title} ({len(items)})", ""])
    lines.extend(f"- `{item}`" if code else f"- {item}" for item in items)
    if not items:
        lines.append("- none")


def to_markdown(diff: RevisionDiff) -> str:
    lines = [f"# MCP schema {diff.old} -> {diff.new}", ""]
    lines.append(
        f"{len(diff.added)} definitions added, {len(diff.removed)} removed, "
        f"{len(diff.changed)} changed; {len(diff.methods_added)} methods added, "
        f"{len(diff.methods_removed)} removed."
    )

    def section(title: str, items: list[str]) -> None:
        markdown_section(lines, title, items)

    section("Definitions added", diff.added)
    section("Definitions removed", diff.removed)
    lines.extend(["", f"## Definitions changed ({len(diff.changed)})", ""])
    for name, changes in diff.changed.items():
        lines.append(f"- `{name}`")
        for change in changes:
            detail = ""
            if change.old or change.new:
                detail = f": `{change.old or '-'}` -> `{change.new or '-'}`"
            label = f"`{change.field}` " if change.field else ""
            lines.append(f"  - {label}{change.change}{detail}")
    section("Methods added", diff.methods_added)
    section("Methods removed", diff.methods_removed)
    section(f"Deprecated in {diff.new}", diff.deprecated)
    return "\n".join(lines) + "\n"


class _Build(Protocol):
    @property
    def ir(self) -> RevisionIR: ...
    @property
    def method_rows(self) -> tuple[MethodRow, ...]: ...


def diff_builds(old: _Build, new: _Build) -> RevisionDiff:
    """`diff_revisions` of two built revisions (see `pipeline.RevisionBuild`)."""
    deprecated = new.ir.deprecated_definitions() - old.ir.deprecated_definitions()
    return diff_revisions(old.ir, new.ir, list(old.method_rows), list(new.method_rows), deprecated)
