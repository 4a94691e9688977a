"""A small, ordinary python-sdk (`mcp` 2.x) server for the integration tests: run by the
test's own virtual environment (never ours), on stdio, dual-era as `MCPServer.run` is."""

from mcp.server.mcpserver import Context, MCPServer
from pydantic import BaseModel

server = MCPServer("mcp-spec-test-peer")


class Weather(BaseModel):
    city: str
    celsius: float


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def weather(city: str) -> Weather:
    """Structured output: the result has an outputSchema."""
    return Weather(city=city, celsius=21.5)


@server.tool()
async def count(steps: int, ctx: Context) -> str:
    """Reports progress once per step."""
    for step in range(1, steps + 1):
        await ctx.report_progress(step, steps)
    return f"counted {steps}"


@server.resource("memo://greeting")
def greeting() -> str:
    return "hello"


@server.prompt()
def review(code: str) -> str:
    return f"Review this code: {code}"


if __name__ == "__main__":
    server.run()
