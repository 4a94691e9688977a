"""Typical SDK code against mcp_spec, type-checked by tests/test_typing.py (pyright strict).

`assert_type` lines pin what a type checker sees; a line ending in `# expect: <rule>` must be
reported with that rule (deprecated use), and nothing else may be reported. The functions
also run (tests/test_typing.py calls `main`), so what is typed here is what happens.
"""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import assert_never, assert_type

from mcp_spec.messages import MCPModel, validate_message
from mcp_spec.v2025_11_25 import Tool as LegacyTool
from mcp_spec.v2026_07_28 import (
    AudioContent,
    CallToolRequest,
    CallToolRequestParams,
    ClientCapabilities,
    ContentBlock,
    CreateMessageRequest,  # expect: reportDeprecated
    EmbeddedResource,
    ImageContent,
    Implementation,
    ListToolsResult,
    RequestMetaObject,
    ResourceLink,
    ServerCapabilities,
    TextContent,
    Tool,
    ToolInputSchema,
    validators,
)
from mcp_spec.versions import methods_for

VERSION = "2026-07-28"


def build_request(city: str) -> bytes:
    """Build a 2026-07-28 tools/call request with Python names, send its wire form."""
    meta = RequestMetaObject(
        protocol_version=VERSION,
        client_capabilities=ClientCapabilities(),
        client_info=Implementation(name="my-sdk", version="1.0.0"),
    )
    params = CallToolRequestParams(name="get_weather", arguments={"city": city}, meta=meta)
    request = CallToolRequest(jsonrpc="2.0", id=1, method="tools/call", params=params)
    assert_type(request.params.meta.protocol_version, str)
    assert_type(request.id, str | int)
    return request.model_dump_json().encode()


def handle_request(frame: bytes) -> dict[str, Any]:
    """Receive a frame as a server: validate, narrow, read the arguments."""
    message = validate_message(VERSION, frame, sender="client")
    assert_type(message.model, MCPModel)
    assert_type(message.id, str | int | None)
    if not isinstance(message.model, CallToolRequest):
        raise ValueError(f"not a tools/call: {message.method}")
    arguments = message.model.params.arguments
    assert_type(arguments, dict[str, Any] | None)
    return arguments or {}


def tool_names(raw: bytes) -> list[str]:
    """Parse a tools/list result; 2026-07-28 input schemas take any JSON Schema keyword, so
    `properties` is one of the schema's own keys (`model_extra`), not a declared field."""
    result = validators.parse_json("ListToolsResult", raw)
    assert_type(result, ListToolsResult)
    names: list[str] = []
    for tool in result.tools:
        assert_type(tool, Tool)
        assert_type(tool.input_schema, ToolInputSchema)
        assert_type(tool.input_schema.type, Literal["object"])
        keywords = tool.input_schema.model_extra or {}
        names.append(f"{tool.name}({', '.join(keywords.get('properties', {}))})")
    return names


def legacy_parameters(tool: LegacyTool) -> list[str]:
    """2025-11-25 declares `properties` (and `required`) on a tool's input schema."""
    properties = tool.input_schema.properties
    assert_type(properties, dict[str, dict[str, Any] | bool] | None)
    required = tool.input_schema.required or []
    return [name for name in properties or {} if name in required]


def render(block: ContentBlock) -> str:
    """An exhaustive match over the content block union."""
    match block:
        case TextContent():
            return block.text
        case ImageContent() | AudioContent():
            return f"<{block.mime_type}>"
        case ResourceLink():
            return block.uri
        case EmbeddedResource():
            return f"<embedded {block.resource.uri}>"
        case _:
            assert_never(block)


def method_row() -> tuple[str, str | None]:
    row = methods_for(VERSION).METHODS["tools/call"]
    assert_type(row.result_types, tuple[str, ...])
    return row.sender, row.params_type


def deprecated_use(capabilities: ClientCapabilities, server: ServerCapabilities) -> list[object]:
    """Each use of a deprecated definition is flagged for the type checker."""
    return [
        capabilities.roots,  # expect: reportDeprecated
        server.logging,  # expect: reportDeprecated
        CreateMessageRequest,  # expect: reportDeprecated
        capabilities.elicitation,  # not deprecated
    ]


def main() -> None:
    frame = build_request("Oslo")
    assert handle_request(frame) == {"city": "Oslo"}
    listed = (
        b'{"tools": [{"name": "get_weather", "inputSchema": {"type": "object",'
        b' "properties": {"city": {"type": "string"}}}}], "resultType": "complete",'
        b' "ttlMs": 0, "cacheScope": "private"}'
    )
    assert tool_names(listed) == ["get_weather(city)"]
    assert render(TextContent(type="text", text="hi")) == "hi"
    legacy = LegacyTool.model_validate(
        {"name": "t", "inputSchema": {"type": "object", "properties": {"a": {}}, "required": ["a"]}}
    )
    assert legacy_parameters(legacy) == ["a"]
    assert method_row() == ("client", "CallToolRequestParams")
