"""mcp-spec-generator: the MCP schema-to-code generator (`mcp-spec` command)."""

__version__ = "0.2.0"
