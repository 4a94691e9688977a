"""Method tables derived from the IR: which JSON-RPC methods a revision has, who sends them,
and which definitions type their params and results.

Requests and notifications are the models whose `method` property is a constant. The union
definitions named in `schema/methods.json` (ClientRequest, ServerNotification, InputRequest,
...) give the sender. Results come from the revision's explicit `<X>ResultResponse`
definitions where it has them, else from pairing `<X>Request` with `<X>Result` by name, except
the requests declared (as data) to be answered with EmptyResult.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import LoweringError
from .ir import AliasDef, Definition, LiteralType, ModelDef, Ref, RevisionIR, UnionOf
from .passes import flatten_union
from .project import current_project

METHODS_FILE_NAME = "methods.json"


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """What `schema/methods.json` declares."""

    senders: dict[str, str]
    empty_result_requests: frozenset[str]
    empty_result_definition: str
    modern_since: str
    name_header_fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodRow:
    method: str
    kind: str  # "request" | "notification"
    sender: str  # "client" | "server" | "both" | "input_request"
    message_type: str  # the request or notification definition
    params_type: str | None
    params_required: bool
    result_types: tuple[str, ...]  # requests only
    name_header_field: str | None  # params field mirrored as Mcp-Name (modern HTTP)


def load_method_facts(path: Path | None = None) -> MethodFacts:
    path = path or current_project().schema_dir / METHODS_FILE_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    return MethodFacts(
        senders=dict(data["senders"]),
        empty_result_requests=frozenset(data["empty_result_requests"]),
        empty_result_definition=data["empty_result_definition"],
        modern_since=data["modern_since"],
        name_header_fields=tuple(data["name_header_fields"]),
    )


def _members(definition: Definition, definitions: dict[str, Definition]) -> list[str]:
    if isinstance(definition, ModelDef):
        return [definition.name]  # 2026-07-28's ClientNotification is one inlined object
    members = (
        flatten_union(definition.type.members, definitions)
        if isinstance(definition.type, UnionOf)
        else [definition.type]
    )
    return [member.name for member in members if isinstance(member, Ref)]


def _method_name(model: Definition) -> str | None:
    if not isinstance(model, ModelDef):
        return None
    field = model.field_by_wire_name("method")
    if field is None or not isinstance(field.type, LiteralType) or len(field.type.values) != 1:
        return None
    value = field.type.values[0]
    return value if isinstance(value, str) else None


def _ref_names(definitions: dict[str, Definition], expr: object) -> tuple[str, ...]:
    if isinstance(expr, Ref):
        target = definitions[expr.name]
        if isinstance(target, AliasDef) and isinstance(target.type, UnionOf):
            return _ref_names(definitions, target.type)
        return (expr.name,)
    if isinstance(expr, UnionOf):
        return tuple(name for member in expr.members for name in _ref_names(definitions, member))
    return ()


def _result_types(ir: RevisionIR, request: str, facts: MethodFacts) -> tuple[str, ...]:
    definitions = ir.all_definitions()
    stem = request.removesuffix("Request")
    response = definitions.get(f"{stem}ResultResponse")
    if isinstance(response, ModelDef):
        result = response.field_by_wire_name("result")
        if result is not None:
            return _ref_names(definitions, result.type)
    if request in facts.empty_result_requests:
        return (facts.empty_result_definition,)
    if f"{stem}Result" in definitions:
        return (f"{stem}Result",)
    raise LoweringError(
        f"no result type for {request}: neither {stem}ResultResponse nor "
        f"{stem}Result exists and it is not declared an EmptyResult request",
        revision=ir.revision,
        file=str(current_project().schema_dir / METHODS_FILE_NAME),
    )


def method_rows(ir: RevisionIR, facts: MethodFacts) -> list[MethodRow]:
    definitions = ir.all_definitions()
    senders: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for union_name, sender in facts.senders.items():
        union = definitions.get(union_name)
        if union is None:
            continue
        for member in _members(union, definitions):
            if _method_name(definitions[member]) is None:
                raise LoweringError(
                    f"{union_name} member {member} has no constant method",
                    revision=ir.revision,
                    pointer=union.pointer,
                )
            senders.setdefault(member, set()).add(sender)
            kinds[member] = "notification" if "Notification" in union_name else "request"
    modern = ir.revision == "draft" or ir.revision >= facts.modern_since
    by_method: dict[str, list[str]] = {}
    for message_type in senders:
        method = _method_name(definitions[message_type])
        assert method is not None
        by_method.setdefault(method, []).append(message_type)
    rows: list[MethodRow] = []
    for method in sorted(by_method):
        # 2026-07-28 inlines ClientNotification (notifications/cancelled) beside the named
        # CancelledNotification: one row, the named definition, both senders.
        types = sorted(by_method[method], key=lambda name: (name in facts.senders, name))
        message_type = types[0]
        who = set().union(*(senders[name] for name in types))
        model = definitions[message_type]
        assert isinstance(model, ModelDef)
        sender = "both" if who == {"client", "server"} else "/".join(sorted(who))
        params = model.field_by_wire_name("params")
        params_type = params.type.name if params and isinstance(params.type, Ref) else None
        kind = kinds[message_type]
        rows.append(
            MethodRow(
                method=method,
                kind=kind,
                sender=sender,
                message_type=message_type,
                params_type=params_type,
                params_required=bool(params and params.required),
                result_types=_result_types(ir, message_type, facts) if kind == "request" else (),
                name_header_field=(
                    _name_header_field(definitions, params_type, facts)
                    if modern and kind == "request"
                    else None
                ),
            )
        )
    return rows


def _name_header_field(
    definitions: dict[str, Definition], params_type: str | None, facts: MethodFacts
) -> str | None:
    """The params field a request targets by (`name` or `uri`), when it is required."""
    params = definitions.get(params_type) if params_type else None
    if not isinstance(params, ModelDef):
        return None
    for wire_name in facts.name_header_fields:
        field = params.field_by_wire_name(wire_name)
        if field is not None and field.required:
            return wire_name
    return None
