"""Emitter: the models module of one revision, from its IR."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .emit_types import Helpers, TypeRenderer, is_nullable, references
from .ir import AliasDef, AnyType, Definition, Field, ModelDef, Ref, RevisionIR
from .passes import deprecation_message
from .render import docstring, render_template


@dataclass(frozen=True, slots=True)
class _FieldView:
    declaration: str
    docstring: str | None


@dataclass(frozen=True, slots=True)
class _ModelView:
    name: str
    base: str
    docstring: str
    config: str | None
    fields: tuple[_FieldView, ...]


@dataclass(frozen=True, slots=True)
class _AliasView:
    declaration: str
    docstring: str | None


def _field_view(field: Field, renderer: TypeRenderer, revision: str) -> _FieldView:
    helper = renderer.helper
    annotation = renderer.render(field.type)
    if field.values_deprecation is not None:
        subject = f"`{field.wire_name}` values {', '.join(map(str, field.deprecated_values))}"
        message = deprecation_message(field.values_deprecation, subject, revision)
        values = ", ".join(json.dumps(value) for value in field.deprecated_values)
        marker = f"{helper('DeprecatedValues')}(({values},), {json.dumps(message)})"
        annotation = f"{helper('Annotated')}[{annotation}, {marker}]"
    arguments: list[str] = []
    if not field.required:
        arguments.append("default=None")
        if not is_nullable(field.type):
            annotation = f"{helper('Annotated')}[{annotation} | None, {helper('NOT_NULL')}]"
    if field.wire_name != field.attr_name:
        arguments.append(f"alias={json.dumps(field.wire_name)}")
    description = field.description
    if field.deprecation is not None:
        message = deprecation_message(field.deprecation, f"`{field.wire_name}`", revision)
        # pydantic warns (DeprecationWarning) when the attribute is read.
        arguments.append(f"deprecated={json.dumps(message, ensure_ascii=False)}")
        description = f"Deprecated: {message}\n\n{description or ''}"
    if arguments == ["default=None"]:
        default = " = None"
    else:
        default = f" = {helper('Field')}({', '.join(arguments)})" if arguments else ""
    return _FieldView(
        declaration=f"{field.attr_name}: {annotation}{default}",
        docstring=docstring(description) if description else None,
    )


def _model_view(model: ModelDef, renderer: TypeRenderer, revision: str) -> _ModelView:
    helper = renderer.helper
    fields = [_field_view(field, renderer, revision) for field in model.fields]
    base = helper("MCPModel")
    description = model.description or f"The `{model.name}` object."
    if model.deprecation is not None:
        message = deprecation_message(model.deprecation, f"`{model.name}`", revision)
        base = helper("DeprecatedMCPModel")
        description = f"Deprecated: {message}\n\n{description}"
        fields.insert(
            0,
            _FieldView(
                declaration=f"__mcp_deprecation__ = {json.dumps(message, ensure_ascii=False)}",
                docstring=None,
            ),
        )
    config = None
    if model.extra is None:
        config = f'{helper("ConfigDict")}(extra="forbid")'
    elif not isinstance(model.extra, AnyType):
        extra_type = renderer.render(model.extra)
        fields.append(
            _FieldView(
                declaration=(
                    f"__pydantic_extra__: dict[str, {extra_type}] = {helper('Field')}(init=False)"
                ),
                docstring=docstring(
                    "Unknown keys, each validated as the schema's `additionalProperties` says."
                ),
            )
        )
    return _ModelView(
        name=model.name,
        base=base,
        docstring=docstring(description),
        config=config,
        fields=tuple(fields),
    )


def _alias_cycles(aliases: dict[str, AliasDef]) -> set[str]:
    """Aliases that refer to themselves through other aliases (Tarjan's SCC, iterative)."""
    graph = {
        name: [ref for ref in references(alias.type) if ref in aliases]
        for name, alias in aliases.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: set[str] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    cyclic.update(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return cyclic


def _alias_order(aliases: dict[str, AliasDef], cyclic: set[str]) -> list[str]:
    """Aliases after the aliases they use (file order otherwise); cycles go first, lazily."""
    # Within a cycle, self-referencing aliases first: pyright accepts the forward references
    # of JSONValue -> "JSONObject" but not JSONObject -> "JSONValue" before JSONValue exists.
    file_order = list(aliases)
    ordered: list[str] = sorted(
        cyclic,
        key=lambda name: (name not in references(aliases[name].type), file_order.index(name)),
    )
    placed = set(ordered)
    remaining = [name for name in aliases if name not in placed]
    while remaining:
        progress = False
        for name in list(remaining):
            needs = [ref for ref in references(aliases[name].type) if ref in aliases]
            if all(ref in placed or ref == name for ref in needs):
                ordered.append(name)
                placed.add(name)
                remaining.remove(name)
                progress = True
        if not progress:  # pragma: no cover - cycles were placed first
            raise AssertionError(f"unordered aliases {remaining}")
    return ordered


def emit_models(ir: RevisionIR, *, commit: str, source_path: str) -> str:
    definitions: dict[str, Definition] = ir.all_definitions()
    helper = Helpers(frozenset(definitions))
    renderer = TypeRenderer(definitions, helper)
    models = sorted(
        (definition for definition in definitions.values() if isinstance(definition, ModelDef)),
        key=lambda model: model.name,
    )
    aliases: dict[str, AliasDef] = {}
    subclasses: list[_ModelView] = []
    for definition in definitions.values():
        if not isinstance(definition, AliasDef):
            continue
        target = definitions.get(definition.type.name) if isinstance(definition.type, Ref) else None
        if isinstance(target, ModelDef):
            # A definition that is just another object (EmptyResult = Result) gets its own
            # class, so it keeps its name and documentation.
            subclasses.append(
                _ModelView(
                    name=definition.name,
                    base=target.name,
                    docstring=docstring(
                        definition.description or f"The `{definition.name}` object."
                    ),
                    config=None,
                    fields=(),
                )
            )
        else:
            aliases[definition.name] = definition
    subclasses.sort(key=lambda view: view.name)
    model_views = [_model_view(model, renderer, ir.revision) for model in models] + subclasses
    early_aliases, late_aliases = _alias_views(aliases, definitions, helper)
    exports = sorted([view.name for view in model_views] + list(aliases))
    return render_template(
        "revision/models.py.jinja",
        revision=ir.revision,
        commit=commit,
        sha256=ir.sha256,
        source_path=source_path,
        patches=ir.patches,
        imports=helper.imports(),
        exports=exports,
        models=model_views,
        early_aliases=early_aliases,
        aliases=late_aliases,
    )


def _alias_views(
    aliases: dict[str, AliasDef], definitions: dict[str, Definition], helper: Helpers
) -> tuple[list[_AliasView], list[_AliasView]]:
    """Aliases in dependency order, as (before the classes, after the classes).

    An alias in a cycle (JSONValue <-> JSONObject) becomes a TypeAliasType placed before the
    classes, quoting every name not defined yet, so type checkers resolve it before any class
    annotation uses it. The others are plain TypeAlias after the classes they name.
    """
    cyclic = _alias_cycles(aliases)
    defined: set[str] = set()
    expanding: list[str] = []

    def name_of(name: str) -> str:
        # pyright rejects mutually recursive TypeAliasTypes, so an alias of the cycle that is
        # not defined yet is written out in place (JSONValue holds `dict[str, "JSONValue"]`
        # rather than "JSONObject"); only self-references stay quoted.
        if name in defined:
            return name
        if name in aliases and name not in expanding:
            expanding.append(name)
            try:
                return lazy_renderer.render(aliases[name].type)
            finally:
                expanding.pop()
        return json.dumps(name)

    lazy_renderer = TypeRenderer(definitions, helper, name_of=name_of, union_style="typing")
    renderer = TypeRenderer(definitions, helper)
    early: list[_AliasView] = []
    late: list[_AliasView] = []
    for name in _alias_order(aliases, cyclic):
        alias = aliases[name]
        if name in cyclic:
            expanding.append(name)
            value = lazy_renderer.render(alias.type)
            expanding.pop()
            # Type checkers read the plain recursive alias; pydantic needs a TypeAliasType to
            # build a recursive schema (a plain one recurses forever at runtime).
            declaration = (
                f"if {helper('TYPE_CHECKING')}:\n"
                f"    {name}: {helper('TypeAlias')} = {value}\n"
                f"else:\n"
                f'    {name} = {helper("TypeAliasType")}("{name}", {value})'
            )
        else:
            declaration = f"{name}: {helper('TypeAlias')} = {renderer.render(alias.type)}"
        defined.add(name)
        view = _AliasView(
            declaration=declaration,
            docstring=docstring(alias.description) if alias.description else None,
        )
        (early if name in cyclic else late).append(view)
    return early, late


def model_exports(ir: RevisionIR) -> list[str]:
    return sorted(ir.all_definitions())
