"""Synthetic, realistic MCP messages for the validation benchmarks (built in code).

`tools_list_result(revision)` is a `tools/list` result of 100 tools, each with an input and an
output schema, annotations, `_meta` and an icon (about 80 KB of compact JSON); `tools_call_request`
is a `tools/call` request frame. Both follow the revision's schema (legacy: 2025-11-25,
modern: 2026-07-28 with the per-request `_meta` keys).
"""

from __future__ import annotations

from typing import Any

DOMAINS = ("weather", "calendar", "files", "issues", "billing", "search", "mail", "metrics")
VERBS = ("get", "list", "create", "update", "delete", "search", "summarize", "export")
MODERN = "2026-07-28"


def _input_schema(index: int) -> dict[str, Any]:
    domain = DOMAINS[index % len(DOMAINS)]
    return {
        "type": "object",
        "properties": {
            "query": {
                "type": "string",
                "description": f"Free-text query over {domain}.",
            },
            "limit": {
                "type": "integer",
                "description": "Maximum number of items.",
                "minimum": 1,
                "maximum": 100,
                "default": 20,
            },
        },
        "required": ["query"],
        "additionalProperties": False,
    }


def _output_schema(index: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                    },
                    "required": ["id", "title"],
                },
            },
        },
        "required": ["items"],
    }


def _tool(index: int) -> dict[str, Any]:
    domain = DOMAINS[index % len(DOMAINS)]
    verb = VERBS[(index // len(DOMAINS)) % len(VERBS)]
    name = f"{verb}_{domain}_{index:03d}"
    return {
        "name": name,
        "title": f"{verb.capitalize()} {domain} ({index})",
        "description": (f"{verb.capitalize()} {domain} records visible to the current user."),
        "inputSchema": _input_schema(index),
        "outputSchema": _output_schema(index),
        "annotations": {
            "readOnlyHint": verb in ("get", "list", "search", "summarize", "export"),
            "destructiveHint": verb == "delete",
            "idempotentHint": verb != "create",
            "openWorldHint": domain in ("search", "mail"),
        },
        "icons": [{"src": f"https://cdn.example.com/icons/{domain}.png", "mimeType": "image/png"}],
        "_meta": {"com.example/team": "platform"},
    }


def tools_list_result(revision: str) -> dict[str, Any]:
    """The `result` of a `tools/list` response with 100 tools."""
    result: dict[str, Any] = {"tools": [_tool(index) for index in range(100)]}
    result["nextCursor"] = "eyJwYWdlIjogMn0="
    if revision == MODERN:
        result.update(resultType="complete", cacheScope="public", ttlMs=60000)
    return result


def request_meta(revision: str) -> dict[str, Any]:
    if revision != MODERN:
        return {"progressToken": "call-42"}
    return {
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
        "io.modelcontextprotocol/clientInfo": {"name": "bench-client", "version": "1.0.0"},
        "progressToken": "call-42",
    }


def tools_call_request(revision: str) -> dict[str, Any]:
    """A `tools/call` request frame."""
    return {
        "jsonrpc": "2.0",
        "id": 42,
        "method": "tools/call",
        "params": {
            "_meta": request_meta(revision),
            "name": "search_issues_005",
            "arguments": {
                "query": "label:bug is:open",
                "limit": 25,
            },
        },
    }
