"""Smoke test of an installed runtime distribution `mcp-spec` (run outside the repository).

Imports the package, validates a definition, a JSON-RPC frame and an untrusted tool schema,
and checks that no generator code came with it. Exit status 0 means every check passed.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import mcp_spec
from mcp_spec.errors import ValidationError
from mcp_spec.latest import Tool
from mcp_spec.messages import validate_message
from mcp_spec.tool_schemas import ToolSchemaError, compile_tool_schema
from mcp_spec.v2026_07_28 import validators

location = Path(mcp_spec.__file__ or "").resolve()
assert "site-packages" in location.parts, f"mcp_spec imported from {location}, not an install"
assert importlib.util.find_spec("mcp_spec_gen") is None, "the runtime ships generator code"

tool = Tool.model_validate({"name": "get_weather", "inputSchema": {"type": "object"}})
assert tool.model_dump(mode="json", by_alias=True, exclude_unset=True)["name"] == "get_weather"
assert validators.is_valid("Tool", {"name": "x", "inputSchema": {"type": "object"}})
assert not validators.is_valid("Tool", {"name": 5})

message = validate_message(
    "2025-11-25", b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}', sender="client"
)
assert (message.kind, message.method) == ("request", "ping"), message
try:
    validate_message("2025-11-25", b"{not json", sender="client")
except ValidationError as error:
    assert error.code == -32700, error.code
else:
    raise AssertionError("malformed JSON accepted")

schema = compile_tool_schema({"type": "object", "properties": {"n": {"type": "integer"}}})
assert schema.is_valid({"n": 1}) and not schema.is_valid({"n": "one"})
try:
    compile_tool_schema({"$ref": "http://127.0.0.1:9/x.json"})
except ToolSchemaError:
    pass
else:
    raise AssertionError("a remote $ref was accepted")

# The runtime's own command: exit 1 on an invalid document, with the pointer.
command = [sys.executable, "-m", "mcp_spec", "validate", "-", "-r", "latest", "--def", "Tool"]
run = subprocess.run(command, input=b'{"name": 5}', capture_output=True, check=False)
assert run.returncode == 1 and b"/name: 5 is not of type" in run.stdout, run

print(
    f"smoke ok: mcp_spec {mcp_spec.__version__} (schema {mcp_spec.SCHEMA_COMMIT[:12]}) "
    f"on Python {sys.version.split()[0]} from {location.parent}"
)
