"""`mcp_spec.session`: every finding code fires on its bad transcript and stays silent on the
good twin that differs only in the broken detail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from mcp_spec.session import RULES, Finding, Session

PV = "io.modelcontextprotocol/protocolVersion"
CAPS = "io.modelcontextprotocol/clientCapabilities"
Frame = tuple[str, Any]


def request(sender: str, id: int | str, method: str, params: dict[str, Any] | None = None) -> Frame:
    frame: dict[str, Any] = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        frame["params"] = params
    return (sender, frame)


def notification(sender: str, method: str, params: dict[str, Any] | None = None) -> Frame:
    frame: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        frame["params"] = params
    return (sender, frame)


def result(sender: str, id: int | str, body: dict[str, Any]) -> Frame:
    return (sender, {"jsonrpc": "2.0", "id": id, "result": body})


def error(sender: str, id: int | str, code: int, data: Any = None) -> Frame:
    body: dict[str, Any] = {"code": code, "message": "no"}
    if data is not None:
        body["data"] = data
    return (sender, {"jsonrpc": "2.0", "id": id, "error": body})


def handshake(
    version: str = "2025-11-25",
    client_caps: dict[str, Any] | None = None,
    server_caps: dict[str, Any] | None = None,
    initialized: bool = True,
) -> list[Frame]:
    frames = [
        request(
            "client",
            0,
            "initialize",
            {
                "protocolVersion": version,
                "capabilities": client_caps or {},
                "clientInfo": {"name": "c", "version": "1"},
            },
        ),
        result(
            "server",
            0,
            {
                "protocolVersion": version,
                "capabilities": {"tools": {"listChanged": True}}
                if server_caps is None
                else server_caps,
                "serverInfo": {"name": "s", "version": "1"},
            },
        ),
    ]
    if initialized:
        frames.append(notification("client", "notifications/initialized"))
    return frames


def modern(
    id: int | str,
    method: str,
    params: dict[str, Any] | None = None,
    version: str = "2026-07-28",
    caps: dict[str, Any] | None = None,
) -> Frame:
    body = dict(params or {})
    body["_meta"] = {PV: version, CAPS: caps or {}, **body.get("_meta", {})}
    return request("client", id, method, body)


def modern_result(id: int | str, body: dict[str, Any]) -> Frame:
    return result("server", id, {"resultType": "complete", **body})


def tools_listed(id: int, *tools: dict[str, Any]) -> list[Frame]:
    return [request("client", id, "tools/list"), result("server", id, {"tools": list(tools)})]


TOOL = {
    "name": "add",
    "inputSchema": {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
        "required": ["a"],
    },
    "outputSchema": {
        "type": "object",
        "properties": {"sum": {"type": "integer"}},
        "required": ["sum"],
    },
}


def call(id: int, name: str, arguments: dict[str, Any]) -> Frame:
    return request("client", id, "tools/call", {"name": name, "arguments": arguments})


def call_result(id: int, structured: Any) -> Frame:
    return result(
        "server",
        id,
        {"content": [{"type": "text", "text": "x"}], "structuredContent": structured},
    )


def run(frames: list[Frame], **options: Any) -> list[Finding]:
    session = Session(**options)
    found: list[Finding] = []
    for sender, frame in frames:
        found.extend(session.feed(sender, frame))  # pyright: ignore[reportArgumentType]
    found.extend(session.close())
    return found


def codes(frames: list[Frame], **options: Any) -> set[str]:
    return {finding.code for finding in run(frames, **options)}


def discover(id: int, caps: dict[str, Any]) -> list[Frame]:
    return [
        modern(id, "server/discover"),
        modern_result(
            id,
            {
                "supportedVersions": ["2026-07-28"],
                "capabilities": caps,
                "cacheScope": "public",
                "ttlMs": 0,
            },
        ),
    ]


H = handshake()
CASES: dict[str, tuple[list[Frame], list[Frame]]] = {
    "invalid-json": (
        [*H, ("client", b'{"jsonrpc": "2.0", "id": 1,')],
        [*H, ("client", b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}')],
    ),
    "invalid-envelope": (
        [*H, ("client", {"jsonrpc": "1.0", "id": 1, "method": "ping"})],
        [*H, request("client", 1, "ping")],
    ),
    "schema-violation": (
        [*H, request("client", 1, "tools/call", {"name": 5})],
        [*H, request("client", 1, "tools/call", {"name": "add"})],
    ),
    # The example: a server sending a request its negotiated revision does not have
    # (elicitation arrived in 2025-06-18).
    "method-not-in-revision": (
        [
            *handshake("2024-11-05"),
            request(
                "server",
                1,
                "elicitation/create",
                {"message": "?", "requestedSchema": {"type": "object", "properties": {}}},
            ),
        ],
        [
            *handshake("2025-06-18", client_caps={"elicitation": {}}),
            request(
                "server",
                1,
                "elicitation/create",
                {"message": "?", "requestedSchema": {"type": "object", "properties": {}}},
            ),
        ],
    ),
    "wrong-sender": (
        [*H, request("client", 1, "roots/list")],
        [*handshake(client_caps={"roots": {}}), request("server", 1, "roots/list")],
    ),
    "deprecated-method": (
        [
            modern(1, "tools/list"),
            notification("server", "notifications/message", {"level": "info", "data": "x"}),
        ],
        [
            modern(1, "tools/list"),
            notification("server", "notifications/progress", {"progressToken": "t", "progress": 1}),
        ],
    ),
    "deprecated-feature": (
        [
            *handshake(client_caps={"sampling": {}}),
            request(
                "server",
                1,
                "sampling/createMessage",
                {"messages": [], "maxTokens": 5, "includeContext": "thisServer"},
            ),
        ],
        [
            *handshake(client_caps={"sampling": {}}),
            request(
                "server",
                1,
                "sampling/createMessage",
                {"messages": [], "maxTokens": 5, "includeContext": "none"},
            ),
        ],
    ),
    "unknown-protocol-version": (
        [modern(1, "tools/list", version="2099-01-01")],
        [modern(1, "tools/list")],
    ),
    "unsupported-version-error-invalid": (
        [
            modern(1, "tools/list"),
            error("server", 1, -32022, {"requested": "2026-07-28", "supported": ["2026-07-28"]}),
        ],
        [
            modern(1, "tools/list", version="2099-01-01"),
            error("server", 1, -32022, {"requested": "2099-01-01", "supported": ["2026-07-28"]}),
        ],
    ),
    "mixed-era": (
        [*H, modern(1, "tools/list")],
        [*H, request("client", 1, "tools/list")],
    ),
    "before-initialize": (
        [request("client", 1, "tools/list"), *H],
        [request("client", 1, "ping"), *H],
    ),
    "initialize-repeated": ([*H, *handshake()], H),
    "initialized-missing": (
        [*handshake(initialized=False), request("client", 1, "tools/list")],
        [*H, request("client", 1, "tools/list")],
    ),
    "duplicate-request-id": (
        [*H, request("client", 7, "ping"), request("client", 7, "ping")],
        [*H, request("client", 7, "ping"), request("client", 8, "ping")],
    ),
    "reused-request-id": (
        [*H, request("client", 7, "ping"), result("server", 7, {}), request("client", 7, "ping")],
        [*H, request("client", 7, "ping"), result("server", 7, {}), request("client", 8, "ping")],
    ),
    "unknown-response-id": (
        [*H, request("client", 7, "ping"), result("server", 99, {})],
        [*H, request("client", 7, "ping"), result("server", 7, {})],
    ),
    "duplicate-response": (
        [*H, request("client", 7, "ping"), result("server", 7, {}), result("server", 7, {})],
        [*H, request("client", 7, "ping"), result("server", 7, {})],
    ),
    "cancel-unknown-request": (
        [
            *H,
            request("client", 7, "ping"),
            notification("client", "notifications/cancelled", {"requestId": 42}),
        ],
        [
            *H,
            request("client", 7, "ping"),
            notification("client", "notifications/cancelled", {"requestId": 7}),
        ],
    ),
    "cancel-initialize": (
        [H[0], notification("client", "notifications/cancelled", {"requestId": 0})],
        [
            *H,
            request("client", 7, "ping"),
            notification("client", "notifications/cancelled", {"requestId": 7}),
        ],
    ),
    "progress-unknown-token": (
        [
            *H,
            request("client", 7, "tools/call", {"name": "add", "_meta": {"progressToken": "p"}}),
            notification("server", "notifications/progress", {"progressToken": "q", "progress": 1}),
        ],
        [
            *H,
            request("client", 7, "tools/call", {"name": "add", "_meta": {"progressToken": "p"}}),
            notification("server", "notifications/progress", {"progressToken": "p", "progress": 1}),
        ],
    ),
    "progress-not-increasing": (
        [
            *H,
            request("client", 7, "tools/call", {"name": "add", "_meta": {"progressToken": 3}}),
            notification("server", "notifications/progress", {"progressToken": 3, "progress": 2}),
            notification("server", "notifications/progress", {"progressToken": 3, "progress": 2}),
        ],
        [
            *H,
            request("client", 7, "tools/call", {"name": "add", "_meta": {"progressToken": 3}}),
            notification("server", "notifications/progress", {"progressToken": 3, "progress": 2}),
            notification("server", "notifications/progress", {"progressToken": 3, "progress": 2.5}),
        ],
    ),
    "undeclared-capability": (
        [*handshake(server_caps={}), request("client", 1, "tools/list")],
        [*handshake(server_caps={"tools": {}}), request("client", 1, "tools/list")],
    ),
    "tool-not-listed": (
        [*H, *tools_listed(1, TOOL), call(2, "subtract", {"a": 1})],
        [*H, *tools_listed(1, TOOL), call(2, "add", {"a": 1})],
    ),
    "tool-arguments-invalid": (
        [*H, *tools_listed(1, TOOL), call(2, "add", {"a": "one"})],
        [*H, *tools_listed(1, TOOL), call(2, "add", {"a": 1})],
    ),
    "structured-content-invalid": (
        [*H, *tools_listed(1, TOOL), call(2, "add", {"a": 1}), call_result(2, {"sum": "2"})],
        [*H, *tools_listed(1, TOOL), call(2, "add", {"a": 1}), call_result(2, {"sum": 2})],
    ),
    "tool-schema-refused": (
        [
            *H,
            *tools_listed(
                1,
                {
                    "name": "evil",
                    "inputSchema": {
                        "type": "object",
                        "properties": {"a": {"$ref": "http://127.0.0.1:9/x.json"}},
                    },
                },
            ),
            call(2, "evil", {"a": 1}),
        ],
        [
            *H,
            *tools_listed(1, {"name": "fine", "inputSchema": {"type": "object"}}),
            call(2, "fine", {"a": 1}),
        ],
    ),
}


def test_before_initialized_the_server_may_notify_and_ping() -> None:
    early = handshake(initialized=False)
    quiet = [
        *early,
        notification("server", "notifications/tools/list_changed"),
        request("server", 5, "ping"),
        notification("client", "notifications/initialized"),
    ]
    assert run(quiet) == []
    loud = [*early, request("server", 5, "roots/list")]
    assert "before-initialize" in codes(loud)


def test_deprecated_method_is_reported_once() -> None:
    # Its models warn too (LoggingMessageNotification): that adds no second finding.
    bad, _ = CASES["deprecated-method"]
    assert [f.code for f in run(bad)] == ["deprecated-method"]


def test_every_code_has_a_case() -> None:
    # frame-not-checked comes from the proxy (`Session.skip`), tested below and in test_proxy.
    assert set(CASES) | {"frame-not-checked"} == set(RULES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_fires_on_its_bad_case_only(code: str) -> None:
    bad, good = CASES[code]
    assert code in codes(bad), run(bad)
    assert code not in codes(good), run(good)


@pytest.mark.parametrize("code", sorted(CASES))
def test_findings_are_complete(code: str) -> None:
    bad, _ = CASES[code]
    finding = next(f for f in run(bad) if f.code == code)
    rule = RULES[code]
    assert finding.severity == rule.severity and finding.rule == rule.text
    assert finding.link.startswith("https://modelcontextprotocol.io/specification/")
    assert finding.sender in ("client", "server")
    assert 0 <= finding.index <= len(bad)
    assert finding.pointer == "" or finding.pointer.startswith("/")
    assert json.loads(json.dumps(finding.to_json()))["code"] == code


def test_clean_sessions_have_no_findings() -> None:
    legacy = [
        *handshake(
            client_caps={"sampling": {}},
            server_caps={"tools": {"listChanged": True}, "logging": {}},
        ),
        *tools_listed(1, TOOL),
        request(
            "client",
            2,
            "tools/call",
            {"name": "add", "arguments": {"a": 1}, "_meta": {"progressToken": "p"}},
        ),
        notification(
            "server", "notifications/progress", {"progressToken": "p", "progress": 1, "total": 2}
        ),
        request("server", "s1", "sampling/createMessage", {"messages": [], "maxTokens": 5}),
        result(
            "client",
            "s1",
            {"role": "assistant", "content": {"type": "text", "text": "hi"}, "model": "m"},
        ),
        notification(
            "server", "notifications/progress", {"progressToken": "p", "progress": 2, "total": 2}
        ),
        call_result(2, {"sum": 1}),
        notification("server", "notifications/tools/list_changed"),
        notification("server", "notifications/message", {"level": "info", "data": "x"}),
        request("client", 3, "ping"),
        result("server", 3, {}),
    ]
    assert run(legacy) == []
    modern_session = [
        *discover(1, {"tools": {}}),
        modern(2, "tools/list"),
        modern_result(2, {"tools": [TOOL], "cacheScope": "public", "ttlMs": 0}),
        modern(3, "tools/call", {"name": "add", "arguments": {"a": 1}}),
        modern_result(3, {"content": [], "structuredContent": {"sum": 1}}),
    ]
    assert run(modern_session) == []


def test_results_are_checked_against_the_request_they_answer() -> None:
    # A ListToolsResult shape answering prompts/list is wrong only in context.
    frames = [
        *handshake(server_caps={"prompts": {}, "tools": {}}),
        request("client", 1, "prompts/list"),
        result("server", 1, {"tools": []}),
    ]
    found = run(frames)
    assert [f.code for f in found] == ["schema-violation"]
    assert found[0].pointer.startswith("/result")
    assert "ListPromptsResult" in found[0].message


def test_modern_input_requests_need_the_request_capabilities() -> None:
    input_required = {
        "resultType": "input_required",
        "inputRequests": {
            "ask": {
                "method": "elicitation/create",
                "params": {
                    "mode": "form",
                    "message": "?",
                    "requestedSchema": {"type": "object", "properties": {}},
                },
            }
        },
    }
    bad = [modern(1, "tools/call", {"name": "x"}), result("server", 1, input_required)]
    good = [
        modern(1, "tools/call", {"name": "x"}, caps={"elicitation": {}}),
        result("server", 1, input_required),
    ]
    assert "undeclared-capability" in codes(bad)
    assert "undeclared-capability" not in codes(good)


def test_pre_handshake_version_and_fixed_version() -> None:
    # A transcript that starts after the handshake: `version=` fixes the revision.
    frames = [
        request(
            "server",
            1,
            "elicitation/create",
            {"message": "?", "requestedSchema": {"type": "object", "properties": {}}},
        )
    ]
    assert "method-not-in-revision" in codes(frames, version="2025-03-26")
    assert "method-not-in-revision" not in codes(frames, version="2025-06-18")


def test_batches_only_in_2025_03_26() -> None:
    batch = (
        "client",
        [
            {"jsonrpc": "2.0", "id": 1, "method": "ping"},
            {"jsonrpc": "2.0", "id": 2, "method": "ping"},
        ],
    )
    assert codes([*handshake("2025-03-26"), batch]) == set()
    assert "invalid-envelope" in codes([*H, batch])


def test_skip_reports_and_counts() -> None:
    session = Session()
    found = session.skip("server", "20000000 bytes, more than the frame limit")
    assert [f.code for f in found] == ["frame-not-checked"]
    assert found[0].severity == "warning" and session.frames == 1


def test_memory_is_bounded() -> None:
    session = Session(version="2025-11-25", max_pending=10, max_remembered_ids=10)
    for number in range(1000):
        session.feed("client", {"jsonrpc": "2.0", "id": number, "method": "ping"})
    sides = session._sides  # pyright: ignore[reportPrivateUsage]
    assert len(sides["client"].pending) == 10
    for number in range(990, 1000):
        session.feed("server", {"jsonrpc": "2.0", "id": number, "result": {}})
    assert len(sides["client"].finished) == 10


def test_bad_sender_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="sender"):
        Session().feed("proxy", {})  # pyright: ignore[reportArgumentType]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
METHODS = sorted(
    {
        "initialize",
        "tools/call",
        "tools/list",
        "notifications/progress",
        "notifications/cancelled",
        "server/discover",
        "ping",
        "elicitation/create",
        "notifications/initialized",
    }
)
frames = st.fixed_dictionaries(
    {"jsonrpc": st.just("2.0")},
    optional={
        "id": st.integers(0, 3) | st.sampled_from(["a", None, 1.5]),
        "method": st.sampled_from(METHODS),
        "params": st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "arguments",
                    "requestId",
                    "progressToken",
                    "progress",
                    "_meta",
                    "protocolVersion",
                    "capabilities",
                ]
            ),
            json_values
            | st.fixed_dictionaries({PV: st.sampled_from(["2026-07-28", "2025-11-25", "x"])}),
            max_size=4,
        ),
        "result": st.dictionaries(
            st.sampled_from(
                [
                    "tools",
                    "protocolVersion",
                    "capabilities",
                    "structuredContent",
                    "resultType",
                    "content",
                ]
            ),
            json_values,
            max_size=3,
        ),
        "error": st.fixed_dictionaries(
            {"code": st.sampled_from([-32022, -32601, 5]), "message": st.text(max_size=3)},
            optional={"data": json_values},
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["client", "server"]), frames | json_values), max_size=12)
)
def test_any_conversation_gives_findings_never_an_exception(
    conversation: list[tuple[str, Any]],
) -> None:
    session = Session()
    for sender, frame in conversation:
        for finding in session.feed(sender, frame):  # pyright: ignore[reportArgumentType]
            assert finding.code in RULES
    session.close()
