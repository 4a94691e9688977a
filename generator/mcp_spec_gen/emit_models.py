"""Emitter: the models module of one revision, from its IR."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from .emit_types import Helpers, TypeRenderer, is_nullable, references
from .errors import LoweringError
from .ir import AliasDef, AnyType, Definition, Field, ModelDef, Ref, RevisionIR
from .passes import deprecation_message
from .render import docstring, render_template


@dataclass(frozen=True, slots=True)
class _FieldView:
    declaration: str
    docstring: str | None


@dataclass(frozen=True, slots=True)
class _ModelView:
    kind = "class"
    name: str
    base: str
    docstring: str
    config: str | None
    fields: tuple[_FieldView, ...]
    decorator: str | None = None


@dataclass(frozen=True, slots=True)
class _AliasView:
    kind = "alias"
    declaration: str
    docstring: str | None


def _field_view(
    field: Field, renderer: TypeRenderer, revision: str, *, inline: bool
) -> tuple[_FieldView, str | None, bool]:
    """A field's declaration, and what goes into its class's records (`class X(MCPModel,
    wire_names=..., not_null=...)`) instead: the wire name (when it differs from the attribute
    name) and whether an explicit `null` is rejected.

    `inline` writes both into the declaration (`Field(validation_alias=...)`,
    `Annotated[X | None, NOT_NULL]`) instead: pydantic takes 10-18 µs per field to process
    those at import, while MCPModel applies the class records for next to nothing.
    """
    helper = renderer.helper
    annotation = renderer.render(field.type)
    if field.values_deprecation is not None:
        subject = f"`{field.wire_name}` values {', '.join(map(str, field.deprecated_values))}"
        message = deprecation_message(field.values_deprecation, subject, revision)
        values = ", ".join(json.dumps(value) for value in field.deprecated_values)
        marker = f"{helper('DeprecatedValues')}(({values},), {json.dumps(message)})"
        annotation = f"{helper('Annotated')}[{annotation}, {marker}]"
    inline = inline or field.deprecation is not None  # a deprecated field has a Field() anyway
    arguments: list[str] = []
    not_null = False
    if not field.required:
        arguments.append("default=None")
        if not is_nullable(field.type):
            optional = renderer.union([annotation, "None"])
            if inline:
                annotation = f"{helper('Annotated')}[{optional}, {helper('NOT_NULL')}]"
            else:
                annotation = optional
                not_null = True
    wire_name = None
    if field.wire_name != field.attr_name:
        if inline:
            # Not `alias`: type checkers name constructor parameters after `alias`, and Python
            # code builds models with the Python names; wire input reads the validation alias.
            wire = json.dumps(field.wire_name)
            arguments.append(f"validation_alias={wire}, serialization_alias={wire}")
        else:
            wire_name = field.wire_name
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
    declaration = f"{field.attr_name}: {annotation}{default}"
    if field.deprecation is not None:
        # Type checkers see a descriptor whose read is @deprecated (reportDeprecated flags
        # `caps.roots`); the constructor keyword keeps the field's type.
        marker = helper("DeprecatedField")
        typed = f"{field.attr_name}: {marker}[{annotation}]"
        declaration = (
            f"if {helper('TYPE_CHECKING')}:\n"
            f"    {typed}{f' = {marker}()' if not field.required else ''}\n"
            f"else:\n"
            f"    {declaration}"
        )
    view = _FieldView(
        declaration=declaration,
        docstring=docstring(description) if description else None,
    )
    return view, wire_name, not_null


def _records(wire_names: dict[str, str], not_null: list[str]) -> list[str]:
    """The class keywords with the field records MCPModel applies when the class is created."""
    keywords: list[str] = []
    if wire_names:
        pairs = ", ".join(
            f"{json.dumps(name)}: {json.dumps(wire)}" for name, wire in wire_names.items()
        )
        keywords.append(f"wire_names={{{pairs}}}")
    if not_null:
        names = ", ".join(json.dumps(name) for name in not_null)
        keywords.append(f"not_null=({names}{',' if len(not_null) == 1 else ''})")
    return keywords


def _model_view(
    model: ModelDef, renderer: TypeRenderer, revision: str, *, recursive: bool
) -> _ModelView:
    helper = renderer.helper
    # A field of a recursive group may name a class not defined yet: pydantic rebuilds such a
    # field from its declaration on first use, so the declaration must say everything.
    fields: list[_FieldView] = []
    wire_names: dict[str, str] = {}
    not_null: list[str] = []
    for field in model.fields:
        view, wire_name, rejects_null = _field_view(field, renderer, revision, inline=recursive)
        fields.append(view)
        if wire_name is not None:
            wire_names[field.attr_name] = wire_name
        if rejects_null:
            not_null.append(field.attr_name)
    # An unknown key may carry a field's Python name; when that field is optional and
    # nullable, only the input tells an explicit `null` from an absent key.
    nullable_renamed = any(
        not field.required and field.attr_name != field.wire_name and is_nullable(field.type)
        for field in model.fields
    )
    bases = [helper("NullableRenamedMCPModel" if nullable_renamed else "MCPModel")]
    description = model.description or f"The `{model.name}` object."
    decorator = None
    if model.deprecation is not None:
        message = deprecation_message(model.deprecation, f"`{model.name}`", revision)
        bases = (
            [helper("DeprecatedMCPModel"), *bases[:1]]
            if nullable_renamed
            else [helper("DeprecatedMCPModel")]
        )
        # For type checkers (reportDeprecated) only: DeprecatedMCPModel warns at runtime,
        # when a model is built (validated or constructed), not only when constructed.
        quoted = json.dumps(message, ensure_ascii=False)
        decorator = f"@{helper('deprecated')}({quoted}, category=None)"
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
        config = (
            f"model_config: {helper('ClassVar')}[{helper('ConfigDict')}] = "
            f'{helper("ConfigDict")}(extra="forbid")'
        )
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
    statements = ([config] if config else []) + [view.declaration for view in fields]
    _check_no_shadowing(model, statements, revision)
    return _ModelView(
        name=model.name,
        base=", ".join(bases + _records(wire_names, not_null)),
        docstring=docstring(description),
        config=config,
        fields=tuple(fields),
        decorator=decorator,
    )


def _check_no_shadowing(model: ModelDef, statements: list[str], revision: str) -> None:
    """Annotations are evaluated in the class body, where an attribute assigned earlier (or by
    the same statement) hides a module-level name: `list: ... = None` then `x: list[str]`."""
    bound: set[str] = set()
    for statement in statements:
        node = ast.parse(statement).body[0]
        if isinstance(node, ast.If):  # `if TYPE_CHECKING: ... else: <the runtime field>`
            node = node.orelse[0]
        assert isinstance(node, ast.AnnAssign | ast.Assign)
        target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
        assert isinstance(target, ast.Name)
        if node.value is not None:
            bound.add(target.id)
        expressions = [node.value] + ([node.annotation] if isinstance(node, ast.AnnAssign) else [])
        used = {
            name.id
            for expression in expressions
            if expression is not None
            for name in ast.walk(expression)
            if isinstance(name, ast.Name)
        }
        if used & bound:
            raise LoweringError(
                f"{model.name}: attribute(s) {sorted(used & bound)} would hide the name(s) the "
                f"annotation of {target.id!r} uses",
                pointer=model.pointer,
                revision=revision,
            )


def _strict(annotation: str, helper: Helpers) -> str:
    """An alias's type, strict even when validated alone (`TypeAdapter(RequestId)`)."""
    return f"{helper('Annotated')}[{annotation}, {helper('STRICT')}]"


def _alias_cycles(aliases: dict[str, AliasDef]) -> set[str]:
    """Aliases that refer to themselves through other aliases."""
    graph = {
        name: [ref for ref in references(alias.type) if ref in aliases]
        for name, alias in aliases.items()
    }
    return {
        name
        for component in _components(graph)
        if len(component) > 1 or component[0] in graph[component[0]]
        for name in component
    }


def _components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components, each after the components it refers to (Tarjan's,
    iterative; deterministic for a graph in a deterministic order)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
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
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _alias_order(aliases: dict[str, AliasDef], cyclic: set[str]) -> list[str]:
    """The aliases of cycles, in the order they are written (file order otherwise)."""
    # Self-referencing aliases first: pyright accepts the forward references of
    # JSONValue -> "JSONObject" but not JSONObject -> "JSONValue" before JSONValue exists.
    file_order = list(aliases)
    return sorted(
        cyclic,
        key=lambda name: (name not in references(aliases[name].type), file_order.index(name)),
    )


def _subclass_base(definition: Definition, definitions: dict[str, Definition]) -> str | None:
    """The model a definition that is just another object (EmptyResult = Result) extends."""
    if isinstance(definition, AliasDef) and isinstance(definition.type, Ref):
        if isinstance(definitions.get(definition.type.name), ModelDef):
            return definition.type.name
    return None


def _dependencies(definition: Definition) -> list[str]:
    """The definitions a definition's annotations (or base class) name, in order."""
    if isinstance(definition, AliasDef):
        return references(definition.type)
    names = [name for field in definition.fields for name in references(field.type)]
    if definition.extra is not None:
        names.extend(references(definition.extra))
    return list(dict.fromkeys(names))


def _definition_order(
    definitions: dict[str, Definition], placed: set[str]
) -> tuple[list[str], set[str]]:
    """Every definition not yet placed, after the definitions it uses; and the recursive ones.

    Annotations are evaluated when the module runs (no `from __future__ import annotations`,
    so pydantic has no strings to evaluate), hence each name must exist before it is used.
    Only a recursive group (a strongly connected component) cannot be ordered; within one,
    names go alphabetically, a subclass after its base, and the forward references are quoted.
    """
    graph = {
        name: [ref for ref in _dependencies(definitions[name]) if ref not in placed]
        for name in sorted(definitions)
        if name not in placed
    }
    order: list[str] = []
    recursive: set[str] = set()
    for component in _components(graph):
        if len(component) > 1 or component[0] in graph[component[0]]:
            recursive.update(component)
        pending = sorted(component)
        while pending:
            # Bases are models, which extend nothing generated: some member is always ready.
            ready = next(
                name
                for name in pending
                if _subclass_base(definitions[name], definitions) not in pending
            )
            order.append(ready)
            pending.remove(ready)
    return order, recursive


def emit_models(ir: RevisionIR, *, commit: str, source_path: str) -> str:
    definitions: dict[str, Definition] = ir.all_definitions()
    helper = Helpers(frozenset(definitions))
    renderer = TypeRenderer(definitions, helper)
    aliases = {
        name: definition
        for name, definition in definitions.items()
        if isinstance(definition, AliasDef) and _subclass_base(definition, definitions) is None
    }
    early_aliases, defined = _cyclic_alias_views(aliases, definitions, helper)
    views: list[_ModelView | _AliasView] = []
    order, recursive = _definition_order(definitions, set(defined))
    for name in order:
        definition = definitions[name]
        forward = {ref for ref in _dependencies(definition) if ref not in defined}
        if forward:  # a recursive group: quote what is not defined yet; "A" | None would fail
            local = TypeRenderer(
                definitions,
                helper,
                name_of=lambda ref, forward=forward: json.dumps(ref) if ref in forward else ref,
                union_style="typing",
            )
        else:
            local = renderer
        base = _subclass_base(definition, definitions)
        if isinstance(definition, ModelDef):
            views.append(_model_view(definition, local, ir.revision, recursive=name in recursive))
        elif base is not None:
            # A definition that is just another object gets its own class, so it keeps its
            # name and documentation.
            views.append(
                _ModelView(
                    name=name,
                    base=base,
                    docstring=docstring(definition.description or f"The `{name}` object."),
                    config=None,
                    fields=(),
                )
            )
        else:
            views.append(
                _AliasView(
                    declaration=(
                        f"{name}: {helper('TypeAlias')} = "
                        f"{_strict(local.render(definition.type), helper)}"
                    ),
                    docstring=docstring(definition.description) if definition.description else None,
                )
            )
        defined.add(name)
    return render_template(
        "revision/models.py.jinja",
        revision=ir.revision,
        commit=commit,
        sha256=ir.sha256,
        source_path=source_path,
        patches=ir.patches,
        imports=helper.imports(),
        exports=model_exports(ir),
        early_aliases=early_aliases,
        definitions=views,
    )


def _cyclic_alias_views(
    aliases: dict[str, AliasDef], definitions: dict[str, Definition], helper: Helpers
) -> tuple[list[_AliasView], set[str]]:
    """The aliases in a cycle (JSONValue <-> JSONObject), and their names.

    Each becomes a TypeAliasType placed before everything else, quoting every name not defined
    yet, so type checkers resolve it before any annotation uses it.
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
    early: list[_AliasView] = []
    for name in _alias_order(aliases, cyclic):
        alias = aliases[name]
        expanding.append(name)
        value = lazy_renderer.render(alias.type)
        expanding.pop()
        # Type checkers read the plain recursive alias; pydantic needs a TypeAliasType to
        # build a recursive schema (a plain one recurses forever at runtime).
        declaration = (
            f"if {helper('TYPE_CHECKING')}:\n"
            f"    {name}: {helper('TypeAlias')} = {value}\n"
            f"else:\n"
            f'    {name} = {helper("TypeAliasType")}("{name}", {_strict(value, helper)})'
        )
        defined.add(name)
        early.append(
            _AliasView(
                declaration=declaration,
                docstring=docstring(alias.description) if alias.description else None,
            )
        )
    return early, defined


def model_exports(ir: RevisionIR) -> list[str]:
    return sorted(ir.all_definitions())
