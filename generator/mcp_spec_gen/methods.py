"""Method tables derived from the IR: which JSON-RPC methods a revision has, who sends them,
and which definitions type their params and results.

Requests and notifications are the models whose `method` property is a constant. The union
definitions named in `schema/methods.json` (ClientRequest, ServerNotification, InputRequest,
...) give the sender. Results come from the revision's explicit `<X>ResultResponse`
definitions where it has them, else from the result types `schema/methods.json` declares for
the request, else from pairing `<X>Request` with `<X>Result` by name, else from the one result
whose description names the request's method; a request with none is a listed problem.

The era is read from the schema too: an `initialize` request makes a revision legacy;
`server/discover` with a per-request protocol version in `_meta` makes it modern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import LoweringError
from .ir import AliasDef, Definition, LiteralType, ModelDef, Ref, RevisionIR, UnionOf
from .passes import flatten_union
from .problems import Problems
from .project import current_project
from .reach import DRAFT

METHODS_FILE_NAME = "schema/methods.json"  # as problems name it


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """What `schema/methods.json` declares."""

    senders: dict[str, str]
    results: dict[str, tuple[str, ...]]  # request definition -> declared result types
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
    path = path or current_project().root / METHODS_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return MethodFacts(
            senders={str(name): str(sender) for name, sender in data["senders"].items()},
            results={
                str(request): tuple(str(result) for result in results)
                for request, results in data.get("results", {}).items()
            },
            name_header_fields=tuple(data["name_header_fields"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LoweringError(f"cannot read method facts: {exc}", file=str(path)) from None


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
        target = definitions.get(expr.name)
        if isinstance(target, AliasDef) and isinstance(target.type, UnionOf):
            return _ref_names(definitions, target.type)
        return (expr.name,)
    if isinstance(expr, UnionOf):
        return tuple(name for member in expr.members for name in _ref_names(definitions, member))
    return ()


def _result_types(
    ir: RevisionIR, request: str, method: str, facts: MethodFacts, problems: Problems
) -> tuple[str, ...]:
    definitions = ir.all_definitions()
    stem = request.removesuffix("Request")
    response = definitions.get(f"{stem}ResultResponse")
    if isinstance(response, ModelDef):
        result = response.field_by_wire_name("result")
        if result is not None:
            return _ref_names(definitions, result.type)
    declared = facts.results.get(request)
    if declared is not None:
        missing = [name for name in declared if name not in definitions]
        if missing:
            problems.add(
                LoweringError(
                    f"methods.json declares {request} answered by {missing}, which the schema "
                    "does not define",
                    revision=ir.revision,
                    file=METHODS_FILE_NAME,
                )
            )
        return declared
    if f"{stem}Result" in definitions:
        return (f"{stem}Result",)
    described = _described_results(definitions, method)
    if len(described) == 1:
        return described
    problems.add(
        LoweringError(
            f"no result type for {request} ({method}): no {stem}ResultResponse, no {stem}Result"
            + (f", several results describe it {list(described)}" if described else "")
            + '; declare it in methods.json "results"',
            revision=ir.revision,
            file=METHODS_FILE_NAME,
        )
    )
    return ()


def _described_results(definitions: dict[str, Definition], method: str) -> tuple[str, ...]:
    """Models whose description names `method` as what they answer (`... for a
    {@link DiscoverRequest server/discover} request`, cleaned to `` `server/discover` ``;
    `The server's response to a tools/list request`), other than the requests, params and
    notifications themselves."""
    phrases = (f"`{method}` request", f" {method} request")
    return tuple(
        name
        for name, definition in definitions.items()
        if not name.endswith(_NOT_RESULTS)
        and isinstance(definition, ModelDef)
        and any(phrase in (definition.description or "") for phrase in phrases)
    )


_NOT_RESULTS = ("Request", "Params", "Notification", "ResultResponse", "Meta", "MetaObject")


INITIALIZE_METHOD = "initialize"
DISCOVER_METHOD = "server/discover"
PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion"


def schema_era(ir: RevisionIR) -> str | None:
    """ "legacy" when the schema has an `initialize` request; "modern" when it has
    `server/discover` and a per-request protocol version in `_meta`; None when it shows
    neither (a listed problem)."""
    definitions = ir.all_definitions()
    methods = {_method_name(definition) for definition in definitions.values()}
    if INITIALIZE_METHOD in methods:
        return "legacy"
    per_request_version = any(
        isinstance(definition, ModelDef)
        and definition.field_by_wire_name(PROTOCOL_VERSION_META_KEY) is not None
        for definition in definitions.values()
    )
    if DISCOVER_METHOD in methods and per_request_version:
        return "modern"
    return None


def schema_wire_version(ir: RevisionIR, latest: str) -> str:
    """The protocol version a revision's peers send: a dated revision's own name; a draft
    sends the version its schema fixes for `_meta` (a `const`), else the latest dated
    revision's (today's draft examples carry 2026-07-28)."""
    if ir.revision != DRAFT:
        return ir.revision
    for definition in ir.all_definitions().values():
        if isinstance(definition, ModelDef):
            field = definition.field_by_wire_name(PROTOCOL_VERSION_META_KEY)
            if field is not None and isinstance(field.type, LiteralType):
                if len(field.type.values) == 1 and isinstance(field.type.values[0], str):
                    return field.type.values[0]
    return latest


def method_rows(
    ir: RevisionIR, facts: MethodFacts, problems: Problems | None = None, *, modern: bool
) -> list[MethodRow]:
    """The rows of a revision's method table. Every problem (a request without a known
    result, a sender union member without a constant method) goes to `problems` (without a
    collector, they are raised together)."""
    collector = problems if problems is not None else Problems()
    rows = _method_rows(ir, facts, collector, modern=modern)
    if problems is None:
        collector.raise_if_any()
    return rows


def _method_rows(
    ir: RevisionIR, facts: MethodFacts, problems: Problems, *, modern: bool
) -> list[MethodRow]:
    definitions = ir.all_definitions()
    senders: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for union_name, sender in facts.senders.items():
        union = definitions.get(union_name)
        if union is None:
            continue
        for member in _members(union, definitions):
            if member not in definitions:
                continue  # failed to lower: reported already
            if _method_name(definitions[member]) is None:
                problems.add(
                    LoweringError(
                        f"{union_name} member {member} has no constant method",
                        revision=ir.revision,
                        pointer=union.pointer,
                    )
                )
                continue
            senders.setdefault(member, set()).add(sender)
            kinds[member] = "notification" if "Notification" in union_name else "request"
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
                result_types=(
                    _result_types(ir, message_type, method, facts, problems)
                    if kind == "request"
                    else ()
                ),
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
