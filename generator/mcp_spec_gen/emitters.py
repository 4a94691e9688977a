"""The per-revision emitters: each turns one revision's IR into files of its package.

Every emitter reads the same IR (and the facts in `EmitContext`); none re-parses raw JSON.
To add a product (validators, strategies, ...), write `emit_<product>.py` with a function of
this shape and list it in `REVISION_EMITTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from .emit_models import emit_models
from .emit_strategies import emit_strategies
from .emit_validators import emit_validators
from .ir import RevisionIR
from .methods import MethodRow
from .pins import RevisionPin
from .render import render_template


@dataclass(frozen=True, slots=True)
class EmitContext:
    """What emitters know besides the IR."""

    commit: str
    pin: RevisionPin
    era: str  # "legacy" | "modern"
    method_rows: tuple[MethodRow, ...]
    deprecated_types: frozenset[str]


# An emitter returns file contents keyed by path relative to the revision's package.
RevisionEmitter = Callable[[RevisionIR, EmitContext], dict[str, str]]


def emit_model_module(ir: RevisionIR, context: EmitContext) -> dict[str, str]:
    return {"models.py": emit_models(ir, commit=context.commit, source_path=context.pin.path)}


def emit_method_table(ir: RevisionIR, context: EmitContext) -> dict[str, str]:
    rows = [
        {**asdict(row), "deprecated": row.message_type in context.deprecated_types}
        for row in context.method_rows
    ]
    text = render_template(
        "revision/methods.py.jinja",
        revision=ir.revision,
        era=context.era,
        rows=rows,
        requests=sum(row.kind == "request" for row in context.method_rows),
        notifications=sum(row.kind == "notification" for row in context.method_rows),
    )
    return {"methods.py": text}


def emit_validator_module(ir: RevisionIR, context: EmitContext) -> dict[str, str]:
    return emit_validators(ir, commit=context.commit)


def emit_strategy_module(ir: RevisionIR, context: EmitContext) -> dict[str, str]:
    return {"strategies.py": emit_strategies(ir)}


REVISION_EMITTERS: tuple[RevisionEmitter, ...] = (
    emit_model_module,
    emit_method_table,
    emit_validator_module,
    emit_strategy_module,
)
