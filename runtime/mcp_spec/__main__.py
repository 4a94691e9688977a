"""`python -m mcp_spec validate FILE --revision R (--def NAME | --message) [--json]`: the
runtime's own command, the same validation and report as the generator's `mcp-spec validate`.

Exit codes: 0 valid, 1 invalid, 2 usage or input error (printed as JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._validate import ValidateRequest, render, run_validation
from .versions import LATEST

EXIT_VALID, EXIT_INVALID, EXIT_INPUT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mcp_spec",
        description="Validate MCP documents and JSON-RPC frames against the official schema. "
        "Exit codes: 0 valid, 1 invalid, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"mcp_spec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="validate a JSON document against a definition or as a message"
    )
    validate.add_argument("file", help="a JSON file, or - for stdin")
    validate.add_argument(
        "--revision", "-r", required=True, help=f"e.g. 2025-11-25, or latest ({LATEST})"
    )
    target = validate.add_mutually_exclusive_group(required=True)
    target.add_argument("--def", dest="definition", help="a definition name, e.g. Tool")
    target.add_argument("--message", action="store_true", help="a JSON-RPC frame")
    validate.add_argument("--sender", choices=("client", "server"), help="who sent the frame")
    validate.add_argument("--request-method", help="the method a result answers (--message)")
    validate.add_argument("--json", dest="as_json", action="store_true", help="JSON output")
    return parser


def _input_error(message: str, as_json: bool) -> int:
    if as_json:
        sys.stdout.write(json.dumps({"error": {"message": message}}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"error: {message}\n")
    return EXIT_INPUT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    as_json: bool = arguments.as_json
    source: str = arguments.file
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        return _input_error(f"cannot read {source}: {exc.strerror or exc}", as_json)
    revision: str = arguments.revision
    request = ValidateRequest(
        revision=LATEST if revision == "latest" else revision,
        definition=arguments.definition,
        sender=arguments.sender,
        request_method=arguments.request_method,
        source=source,
    )
    try:
        outcome = run_validation(request, raw)
    except ValueError as exc:
        return _input_error(str(exc), as_json)
    sys.stdout.write(render(outcome, as_json=as_json))
    return EXIT_VALID if outcome.valid else EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
