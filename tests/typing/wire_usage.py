"""Typical SDK code on the wire types, checked by pyright strict (tests/test_wire_typing.py)."""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import assert_type

from mcp_spec.v2026_07_28 import wire


def list_tool_names(raw: bytes) -> list[str]:
    result = wire.load_json("ListToolsResult", raw)
    assert_type(result, wire.ListToolsResult)
    names: list[str] = []
    for tool in result["tools"]:
        assert_type(tool, wire.Tool)
        assert_type(tool["inputSchema"], wire.ToolInputSchema)
        assert_type(tool.get("title"), str | None)
        names.append(tool["name"])
    return names


def protocol_version(frame: object) -> str:
    request = wire.load("CallToolRequest", frame)
    assert_type(request["method"], Literal["tools/call"])
    meta = request["params"]["_meta"]
    assert_type(meta, wire.RequestMetaObject)
    return meta["io.modelcontextprotocol/protocolVersion"]


def any_name(name: str, frame: object) -> Any:
    return wire.load(name, frame)  # a name that is not a literal: Any


def build_request() -> wire.CallToolRequest:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {
            "name": "get_weather",
            "arguments": {"city": "Oslo"},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "c", "version": "1"},
            },
        },
    }


def must_be_flagged() -> None:
    tool = wire.load_json("Tool", b"{}")
    tool["inputSchema"] = 5  # pyright: ignore[reportGeneralTypeIssues]  # must stay an error
