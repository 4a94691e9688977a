"""Validate a file and report for people or tools: `python -m mcp_spec validate` (the
runtime's command) and the generator's `mcp-spec validate` both run this.

Input problems (unknown revision or definition, bad options) raise ValueError, which the
commands turn into exit code 2; a verdict is an `Outcome`.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any, cast


@dataclass(frozen=True, slots=True)
class ValidateRequest:
    revision: str
    definition: str | None  # None: validate a JSON-RPC message
    sender: str | None = None
    request_method: str | None = None
    source: str = "-"
    max_problems: int = 50  # mcp_spec.errors.MAX_PROBLEMS


@dataclass(frozen=True, slots=True)
class Outcome:
    request: ValidateRequest
    valid: bool
    what: str  # "Tool", or "request tools/call", ...
    message: str = ""
    code: int | None = None
    problems: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    omitted: int | None = 0  # problems not listed; None: not counted (a large document)


def _infer_sender(revision: str, frame: Any) -> str:
    """The peer that sends `frame`: the method table's sender, else the server (responses)."""
    from .versions import methods_for

    method: object = (
        cast("dict[str, Any]", frame).get("method") if isinstance(frame, dict) else None
    )
    if isinstance(method, str):
        row = methods_for(revision).lookup(method)
        if row is not None and row.sender == "server":
            return "server"
        return "client"
    return "server"


def run_validation(request: ValidateRequest, raw: bytes) -> Outcome:
    from ._json import load_json
    from .errors import MCPSpecError, ValidationError
    from .versions import check_version, module_name

    try:
        check_version(request.revision)
    except MCPSpecError as exc:
        raise ValueError(str(exc)) from None
    if request.sender not in (None, "client", "server"):
        raise ValueError(f"--sender must be client or server, not {request.sender!r}")
    if request.definition is not None:
        validators = importlib.import_module(
            f".{module_name(request.revision)}.validators", __package__
        )
        if request.definition not in validators.DEFINITIONS:
            raise ValueError(
                f"revision {request.revision} has no definition {request.definition!r}"
            )
        try:
            # The schema's verdict (not the typed model's): see the models' listed deviations.
            engine = validators._ENGINE  # the engine's validate takes max_problems
            engine.validate(request.definition, load_json(raw), max_problems=request.max_problems)
        except ValidationError as exc:
            return _invalid(request, request.definition, exc)
        return Outcome(request, True, request.definition)

    from .messages import validate_decoded

    try:
        frame = load_json(raw)
        sender = request.sender or _infer_sender(request.revision, frame)
        validated = validate_decoded(  # load_json decoded it: no second pass of the rules
            request.revision,
            frame,
            sender,  # pyright: ignore[reportArgumentType]
            request.request_method,
            request.max_problems,
        )
    except ValidationError as exc:
        return _invalid(request, "message", exc)
    what = f"{validated.kind} {validated.method or ''}".strip()
    return Outcome(request, True, f"{what} ({validated.type_name})")  # no model needed


def _invalid(request: ValidateRequest, what: str, error: Any) -> Outcome:
    return Outcome(
        request,
        False,
        what,
        message=error.message,
        code=error.code,
        problems=[(problem.pointer, problem.message) for problem in error.problems],
        omitted=error.omitted,
    )


def render(outcome: Outcome, *, as_json: bool) -> str:
    request = outcome.request
    if as_json:
        data: dict[str, Any] = {
            "file": request.source,
            "revision": request.revision,
            "mode": "definition" if request.definition else "message",
            "target": outcome.what,
            "valid": outcome.valid,
        }
        if not outcome.valid:
            data["error"] = {"code": outcome.code, "message": outcome.message}
            data["problems"] = [
                {"pointer": pointer, "message": message} for pointer, message in outcome.problems
            ]
            data["omitted"] = outcome.omitted
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if outcome.valid:
        return f"{request.source}: valid {outcome.what} (MCP {request.revision})\n"
    lines = [
        f"{request.source}: INVALID {outcome.what} (MCP {request.revision})",
        f"  {outcome.message} [JSON-RPC {outcome.code}]",
    ]
    lines += [f"  {pointer or '/'}: {message}" for pointer, message in outcome.problems]
    if outcome.omitted is None:
        lines.append("  ... further problems not listed (a large document reports its first)")
    elif outcome.omitted:
        lines.append(f"  ... and {outcome.omitted} more problems (--max-problems)")
    return "\n".join(lines) + "\n"
