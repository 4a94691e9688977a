"""Session-level validation: a whole MCP conversation judged, not one frame at a time.

`Session` is sans-IO: feed it every frame of one connection with the peer that sent it, in the
order they crossed the wire, and it returns findings. On top of `validate_message` (each frame
against the schema of the revision in use, a result against the request it answers) it tracks:

- the era and version: the legacy handshake (`initialize` -> result -> `initialized`) or the
  modern per-request `_meta` protocol version, `server/discover`, `UnsupportedProtocolVersionError`;
- requests in flight per direction: responses paired by id, duplicate and reused ids, responses
  to unknown or finished requests, cancellations and progress tied to known requests and tokens;
- capabilities: a peer using a feature the other side did not declare;
- tools: `tools/call` arguments against the listed tool's `inputSchema`, `structuredContent`
  against its `outputSchema` (the hardened `tool_schemas` validator), calls to unlisted tools;
- methods outside the revision in use, and deprecated methods (a warning).

Every finding has a severity (`error`: a MUST of the spec or the schema is broken; `warning`: a
SHOULD, or something that could not be checked), a stable code (`RULES` lists them all), the
frame index and sender, a JSON pointer into the frame, a message, the rule and a link to it.
Memory is bounded: at most `max_pending` requests in flight per direction are remembered (the
oldest is forgotten first), `max_remembered_ids` finished ids per direction, `max_tools` tools.
"""

from __future__ import annotations

import importlib
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from ._decode import decode_json_with_nesting
from ._json import escape_token
from .errors import INVALID_REQUEST, METHOD_NOT_FOUND, MCPSpecError, Problem, ValidationError
from .messages import Peer, validate_decoded, validate_message
from .versions import KNOWN_VERSIONS, REVISIONS, Era, compare, era_of, methods_for, module_name

__all__ = ["Finding", "Session"]

Severity = Literal["error", "warning"]

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"
UNSUPPORTED_PROTOCOL_VERSION = -32022
LATEST_LEGACY = max(
    (version for version in KNOWN_VERSIONS if era_of(version) is Era.LEGACY),
    key=REVISIONS.index,
)
LATEST_MODERN = max(
    (version for version in KNOWN_VERSIONS if era_of(version) is Era.MODERN),
    key=REVISIONS.index,
)
SPEC = "https://modelcontextprotocol.io/specification"
MAX_LISTED_PROBLEMS = 5
MAX_PROBLEM_CHARS = 240
_OTHER: dict[str, Peer] = {"client": "server", "server": "client"}


@dataclass(frozen=True, slots=True)
class Rule:
    """What a finding code means: its severity, the rule broken and where the spec says so
    (a page path under the revision's specification)."""

    severity: Severity
    text: str
    page: str


RULES: Mapping[str, Rule] = {
    "invalid-json": Rule("error", "Every message is a UTF-8 encoded JSON-RPC object", "basic"),
    "invalid-envelope": Rule(
        "error", "Messages MUST follow JSON-RPC 2.0 (requests, responses, notifications)", "basic"
    ),
    "schema-violation": Rule(
        "error", "Messages MUST match the revision's schema (params, results, errors)", "schema"
    ),
    "method-not-in-revision": Rule(
        "error", "Only methods of the negotiated protocol revision may be used", "basic/lifecycle"
    ),
    "wrong-sender": Rule(
        "error", "A method is sent only by the peer the schema names", "basic/lifecycle"
    ),
    "deprecated-method": Rule(
        "warning", "Deprecated features SHOULD NOT be used by new implementations", "changelog"
    ),
    "deprecated-feature": Rule(
        "warning",
        "Deprecated definitions and values SHOULD NOT be used by new implementations",
        "changelog",
    ),
    "unknown-protocol-version": Rule(
        "warning",
        "A version this package does not know cannot be checked against a schema",
        "basic/versioning",
    ),
    "unsupported-version-error-invalid": Rule(
        "error",
        "An UnsupportedProtocolVersionError lists the supported versions, not the requested one",
        "basic/versioning",
    ),
    "mixed-era": Rule(
        "warning",
        "One stdio connection speaks one era; a client falls back to initialize on a new "
        "server process",
        "basic/versioning",
    ),
    "before-initialize": Rule(
        "warning",
        "Before initialization completes, the client SHOULD send only pings (until the "
        "initialize result) and the server only pings and logging (until initialized)",
        "basic/lifecycle",
    ),
    "initialize-repeated": Rule(
        "error", "Initialization MUST be the first interaction, and happens once", "basic/lifecycle"
    ),
    "initialized-missing": Rule(
        "error",
        "After a successful initialize the client MUST send notifications/initialized",
        "basic/lifecycle",
    ),
    "duplicate-request-id": Rule(
        "error", "A request id MUST NOT be one the requestor already has in flight", "basic"
    ),
    "reused-request-id": Rule(
        "error",
        "A request id MUST NOT have been used before by the requestor in the same session",
        "basic",
    ),
    "unknown-response-id": Rule(
        "error", "A response MUST carry the id of a request it answers", "basic"
    ),
    "duplicate-response": Rule("error", "Each request gets exactly one response", "basic"),
    "cancel-unknown-request": Rule(
        "warning",
        "A cancellation SHOULD only name a request the sender issued and believes in progress",
        "basic/utilities/cancellation",
    ),
    "cancel-initialize": Rule(
        "error", "The initialize request MUST NOT be cancelled", "basic/utilities/cancellation"
    ),
    "progress-unknown-token": Rule(
        "error",
        "Progress notifications MUST only reference tokens of active requests",
        "basic/utilities/progress",
    ),
    "progress-not-increasing": Rule(
        "error",
        "The progress value MUST increase with each notification",
        "basic/utilities/progress",
    ),
    "undeclared-capability": Rule(
        "error", "Only capabilities the other side declared may be used", "basic/lifecycle"
    ),
    "tool-not-listed": Rule(
        "warning", "A client calls tools the server listed (tools/list)", "server/tools"
    ),
    "tool-arguments-invalid": Rule(
        "error", "tools/call arguments MUST match the tool's inputSchema", "server/tools"
    ),
    "structured-content-invalid": Rule(
        "error",
        "With an outputSchema, structuredContent MUST be present and conform to it",
        "server/tools",
    ),
    "tool-schema-refused": Rule(
        "warning",
        "A tool schema that is unsafe or invalid cannot be used to check calls",
        "server/tools",
    ),
    "frame-not-checked": Rule(
        "warning",
        "A frame the checker skipped (over its size limit, or dropped while it fell behind); "
        "later findings may follow from the gap",
        "basic/transports",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong in a conversation: where (frame index, sender, pointer) and why."""

    severity: Severity
    code: str
    index: int
    sender: Peer
    pointer: str
    message: str
    rule: str
    link: str

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "index": self.index,
            "sender": self.sender,
            "pointer": self.pointer,
            "message": self.message,
            "rule": self.rule,
            "link": self.link,
        }

    def __str__(self) -> str:
        return (
            f"{self.severity} {self.code} frame {self.index} ({self.sender}) "
            f"{self.pointer or '/'}: {self.message}"
        )


@dataclass(slots=True)
class _Pending:
    """A request in flight: what it asked, in which revision, and what it started."""

    method: str
    version: str | None
    index: int
    progress_token: str | int | None = None
    last_progress: float | None = None
    tool: str | None = None
    client_capabilities: Mapping[str, Any] | None = None


@dataclass(slots=True)
class _Side:
    """Per-requestor bookkeeping (requests this peer sent)."""

    pending: OrderedDict[str | int, _Pending] = field(
        default_factory=OrderedDict[str | int, _Pending]
    )
    finished: OrderedDict[str | int, None] = field(default_factory=OrderedDict[str | int, None])


# Capability a method needs from the peer that receives it: (path into its capabilities, the
# first revision that has the capability). Notifications are checked against the sender's own
# declaration (a server sending tools/list_changed declares tools.listChanged).
_CLIENT_USES_SERVER: dict[str, tuple[str, ...]] = {
    "tools/list": ("tools",),
    "tools/call": ("tools",),
    "resources/list": ("resources",),
    "resources/read": ("resources",),
    "resources/templates/list": ("resources",),
    "resources/subscribe": ("resources", "subscribe"),
    "resources/unsubscribe": ("resources", "subscribe"),
    "prompts/list": ("prompts",),
    "prompts/get": ("prompts",),
    "logging/setLevel": ("logging",),
    "completion/complete": ("completions",),
}
_SERVER_USES_CLIENT: dict[str, tuple[str, ...]] = {
    "sampling/createMessage": ("sampling",),
    "elicitation/create": ("elicitation",),
    "roots/list": ("roots",),
}
_SERVER_DECLARES: dict[str, tuple[str, ...]] = {
    "notifications/tools/list_changed": ("tools", "listChanged"),
    "notifications/prompts/list_changed": ("prompts", "listChanged"),
    "notifications/resources/list_changed": ("resources", "listChanged"),
    "notifications/resources/updated": ("resources", "subscribe"),
    "notifications/message": ("logging",),
}
_CLIENT_DECLARES: dict[str, tuple[str, ...]] = {
    "notifications/roots/list_changed": ("roots", "listChanged"),
}
# `completions` became a server capability in 2025-03-26; 2024-11-05 servers answer
# completion/complete without declaring anything.
_CAPABILITY_SINCE: dict[str, str] = {"completions": "2025-03-26"}


def _declares(capabilities: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = capabilities
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False
        node = cast(Mapping[str, Any], node)[key]
    # A boolean flag (listChanged, subscribe) must be true; an object means "supported".
    return node is not False and node is not None


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_PROBLEM_CHARS else text[: MAX_PROBLEM_CHARS - 3] + "..."


def _is_request_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _request_id(value: object) -> str | int | None:
    """`value` when it is a valid request id (a string or an integer), else None."""
    return cast(str | int, value) if _is_request_id(value) else None


def _as_dict(value: object) -> dict[str, Any] | None:
    return cast(dict[str, Any], value) if isinstance(value, dict) else None


class Session:
    """The checks of one MCP connection, fed frame by frame (sans-IO, not thread-safe).

    `version` fixes the revision when the transcript starts after the handshake (or for a
    modern session whose requests lack `_meta`); otherwise the legacy handshake or each modern
    request's `_meta` protocol version decides, and frames before either are checked against
    the latest legacy revision.
    """

    def __init__(
        self,
        *,
        version: str | None = None,
        max_pending: int = 10_000,
        max_remembered_ids: int = 100_000,
        max_tools: int = 10_000,
    ) -> None:
        self.version: str | None = version
        self.era: Era | None = None if version is None else era_of(version)
        self.frames = 0
        self.counts: dict[Severity, int] = {"error": 0, "warning": 0}
        self._max_pending = max_pending
        self._max_ids = max_remembered_ids
        self._max_tools = max_tools
        self._sides: dict[Peer, _Side] = {"client": _Side(), "server": _Side()}
        self._initialize_id: str | int | None = None
        self._initialize_answered = version is not None
        self._initialized = version is not None
        self._initialized_reported = False
        self._modern_confirmed = False
        self._client_capabilities: Mapping[str, Any] | None = None
        self._server_capabilities: Mapping[str, Any] | None = None
        self._tools: dict[str, Mapping[str, Any]] = {}
        self._tool_validators: dict[tuple[str, str], Any] = {}
        self._findings: list[Finding] = []
        self._index = 0
        self._sender: Peer = "client"
        self._deprecated_method = False  # the frame's method is: its models' warnings add nothing
        # The frame being checked was decoded here (the decoding rules hold; `_nesting` bounds
        # its depth when measured), so its messages skip the rules' pass over parsed values.
        self._decoded = False
        self._nesting: int | None = None

    # ------------------------------------------------------------------ public

    def feed(
        self, sender: Peer, frame: bytes | bytearray | memoryview | str | Any
    ) -> list[Finding]:
        """Check one frame (bytes, text or parsed JSON) sent by `sender`; its findings."""
        if sender not in _OTHER:
            raise ValueError(f"sender must be 'client' or 'server', not {sender!r}")
        self._index = self.frames
        self.frames += 1
        self._sender = sender
        self._findings = []
        self._deprecated_method = False
        data: Any = frame
        self._decoded, self._nesting = False, None
        if isinstance(frame, (bytes, bytearray, memoryview, str)):  # noqa: UP038
            try:
                data, self._nesting = decode_json_with_nesting(frame)  # pyright: ignore[reportUnknownArgumentType]
                self._decoded = True
            except ValidationError as error:
                self._report(
                    "invalid-json", "", error.problems[0].message if error.problems else str(error)
                )
                return self._done()
        if isinstance(data, list) and self._version_in_use() == "2025-03-26":
            # 2025-03-26 (only) allows JSON-RPC batches: each element is a message of its own.
            for position, element in enumerate(cast(list[Any], data)):
                self._message(element, f"/{position}")
        else:
            self._message(data, "")
        return self._done()

    def skip(self, sender: Peer, reason: str) -> list[Finding]:
        """Count a frame that was relayed but not checked (too large, dropped), reporting why."""
        self._index = self.frames
        self.frames += 1
        self._sender = sender
        self._findings = []
        self._report("frame-not-checked", "", reason)
        return self._done()

    def close(self) -> list[Finding]:
        """End of the connection: findings only the whole conversation shows."""
        self._index = self.frames
        self._findings = []
        if self._initialize_answered and not self._initialized and self.era is Era.LEGACY:
            self._sender = "client"
            self._report_initialized_missing()
        return self._done()

    # ------------------------------------------------------------------ plumbing

    def _done(self) -> list[Finding]:
        found = self._findings
        self._findings = []
        return found

    def _link(self, rule: Rule, version: str | None) -> str:
        revision = version or self.version or LATEST_LEGACY
        if rule.page == "schema":
            return f"{SPEC}/{revision}/schema"
        return f"{SPEC}/{revision}/{rule.page}" if rule.page else f"{SPEC}/{revision}"

    def _report(
        self,
        code: str,
        pointer: str,
        message: str,
        *,
        version: str | None = None,
        sender: Peer | None = None,
    ) -> None:
        rule = RULES[code]
        self.counts[rule.severity] += 1
        self._findings.append(
            Finding(
                severity=rule.severity,
                code=code,
                index=self._index,
                sender=sender or self._sender,
                pointer=pointer,
                message=message,
                rule=rule.text,
                link=self._link(rule, version),
            )
        )

    def _report_invalid(self, error: ValidationError, version: str, prefix: str) -> None:
        if error.code == METHOD_NOT_FOUND:
            code = "method-not-in-revision"
        elif error.code == INVALID_REQUEST:
            code = "invalid-envelope"
        else:
            code = "schema-violation"
        self._report_problems(code, error.message, error.problems, version, prefix)

    def _report_problems(
        self,
        code: str,
        headline: str,
        problems: tuple[Problem, ...] | list[Problem],
        version: str | None,
        prefix: str,
    ) -> None:
        # A problem repeating the headline adds nothing; the engine's messages quote the
        # instance, so each is cut short (the pointer says where to look).
        listed = [p for p in problems if p.message != headline]
        shown = [
            f"{prefix}{p.pointer} {_shorten(p.message)}".strip()
            for p in listed[:MAX_LISTED_PROBLEMS]
        ]
        more = len(listed) - len(shown)
        detail = "; ".join(shown) + (f"; ... and {more} more" if more > 0 else "")
        pointer = prefix + (problems[0].pointer if problems else "")
        suffix = f" (MCP {version})" if version and f"MCP {version}" not in headline else ""
        self._report(
            code,
            pointer,
            f"{headline}{suffix}: {detail}" if detail else headline + suffix,
            version=version,
        )

    def _version_in_use(self) -> str:
        return self.version or LATEST_LEGACY

    def _remember_finished(self, side: _Side, request_id: str | int) -> None:
        side.finished[request_id] = None
        if len(side.finished) > self._max_ids:
            side.finished.popitem(last=False)

    # ------------------------------------------------------------------ messages

    def _message(self, data: Any, prefix: str) -> None:
        frame = _as_dict(data)
        if frame is None or (
            "method" not in frame and "result" not in frame and "error" not in frame
        ):
            self._validate(data, self._version_in_use(), prefix)  # reports the envelope problem
            return
        if "method" in frame:
            method = frame["method"]
            if not isinstance(method, str) or "result" in frame or "error" in frame:
                self._validate(frame, self._version_in_use(), prefix)
                return
            if "id" in frame:
                self._request(frame, method, prefix)
            else:
                self._notification(frame, method, prefix)
        else:
            self._response(frame, prefix)

    def _validate(
        self, frame: Any, version: str, prefix: str, request_method: str | None = None
    ) -> Any:
        """The typed message, or None after reporting why the frame is invalid.

        The models warn (DeprecationWarning) when a deprecated definition or value is built;
        here each such warning becomes a `deprecated-feature` finding instead.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DeprecationWarning)
            try:
                if self._decoded:
                    message = validate_decoded(
                        version, frame, self._sender, request_method, nesting=self._nesting
                    )
                else:
                    message = validate_message(
                        version, frame, sender=self._sender, request_method=request_method
                    )
                # Models are built on first access: build it here, where its deprecation
                # warnings (and the models' listed deviation) are caught.
                _ = message.model
            except ValidationError as error:
                self._report_invalid(error, version, prefix)
                return None
        if caught and not self._deprecated_method:
            seen: set[str] = set()
            for warning in caught:
                text = str(warning.message)
                if issubclass(warning.category, DeprecationWarning) and text not in seen:
                    seen.add(text)
                    self._report("deprecated-feature", prefix, text, version=version)
        return message

    def _check_method(self, method: str, version: str, prefix: str) -> bool:
        """Whether `method` exists in `version` and the sender may send it (reported if not)."""
        row = methods_for(version).METHODS.get(method)
        if row is None:
            self._report(
                "method-not-in-revision",
                f"{prefix}/method",
                f"MCP {version} has no method {method!r}",
                version=version,
            )
            return False
        if not row.sent_by(self._sender):
            who = (
                "an input request, carried inside an InputRequiredResult"
                if row.sender == "input_request"
                else f"sent only by the {row.sender}"
            )
            self._report(
                "wrong-sender",
                f"{prefix}/method",
                f"a {self._sender} sent {method!r}, which in MCP {version} is {who}",
                version=version,
            )
            return False
        if row.deprecated:
            self._deprecated_method = True
            self._report(
                "deprecated-method",
                f"{prefix}/method",
                f"{method!r} is deprecated in MCP {version}",
                version=version,
            )
        return True

    # -------------------------------------------------------------- requests

    def _request_version(self, frame: dict[str, Any], method: str, prefix: str) -> str | None:
        """The revision a request is checked against (None: not checkable), updating the era."""
        params = _as_dict(frame.get("params"))
        meta = _as_dict(params.get("_meta")) if params else None
        stated = meta.get(PROTOCOL_VERSION_KEY) if meta else None
        if self._sender == "server":
            return self._version_in_use()
        if method == "initialize":
            if self.era is Era.MODERN and self._modern_confirmed:
                self._report(
                    "mixed-era",
                    f"{prefix}/method",
                    "initialize after modern requests succeeded on this connection",
                )
            requested = params.get("protocolVersion") if params else None
            if isinstance(requested, str) and requested in KNOWN_VERSIONS:
                return requested if era_of(requested) is Era.LEGACY else LATEST_LEGACY
            return LATEST_LEGACY
        if isinstance(stated, str) and stated in REVISIONS and era_of(stated) is Era.MODERN:
            if self.era is Era.LEGACY and self._initialize_answered:
                self._report(
                    "mixed-era",
                    f"{prefix}/params/_meta/{escape_token(PROTOCOL_VERSION_KEY)}",
                    f"a modern request (protocol version {stated!r}) in a legacy session "
                    f"opened with initialize ({self.version})",
                )
                return self._version_in_use()
            self.era = Era.MODERN
            if self.version is None or era_of(self.version) is Era.MODERN:
                self.version = stated
            return stated
        if isinstance(stated, str) and self.era is not Era.LEGACY:
            self._report(
                "unknown-protocol-version",
                f"{prefix}/params/_meta/{escape_token(PROTOCOL_VERSION_KEY)}",
                f"protocol version {stated!r} is not a modern revision this package knows; "
                "the request and its response are not checked against a schema",
            )
            return None
        return self._version_in_use()

    def _request(self, frame: dict[str, Any], method: str, prefix: str) -> None:
        sender = self._sender
        request_id = frame["id"]
        version = self._request_version(frame, method, prefix)
        valid = version is not None and self._check_method(method, version, prefix)
        if valid and version is not None:
            valid = self._validate(frame, version, prefix) is not None
        if not _is_request_id(request_id):
            return  # the envelope finding says it all; nothing can answer it
        side = self._sides[sender]
        if request_id in side.pending:
            self._report(
                "duplicate-request-id",
                f"{prefix}/id",
                f"id {request_id!r} is still in flight "
                f"(sent at frame {side.pending[request_id].index})",
            )
        elif request_id in side.finished and self.era is not Era.MODERN:
            self._report("reused-request-id", f"{prefix}/id", f"id {request_id!r} was used before")
        params = _as_dict(frame.get("params")) or {}
        pending = _Pending(method=method, version=version, index=self._index)
        meta = _as_dict(params.get("_meta"))
        if meta is not None:
            token = meta.get("progressToken")
            if _is_request_id(token):
                pending.progress_token = token
            capabilities = _as_dict(meta.get(CLIENT_CAPABILITIES_KEY))
            if capabilities is not None and sender == "client":
                pending.client_capabilities = capabilities
        side.pending[request_id] = pending
        side.pending.move_to_end(request_id)
        if len(side.pending) > self._max_pending:
            side.pending.popitem(last=False)
        if method == "initialize" and sender == "client":
            self._on_initialize(request_id, params, prefix)
        elif method != "ping" and version is not None:
            self._before_initialize(method, prefix)
        if valid and version is not None:
            self._check_capability(method, version, prefix, pending)
        if method == "tools/call" and valid and version is not None:
            self._on_tool_call(params, prefix, pending)

    def _on_initialize(self, request_id: str | int, params: dict[str, Any], prefix: str) -> None:
        if self._initialize_id is not None or self._initialize_answered:
            self._report(
                "initialize-repeated", f"{prefix}/method", "a second initialize on this connection"
            )
        self._initialize_id = request_id
        capabilities = _as_dict(params.get("capabilities"))
        if capabilities is not None:
            self._client_capabilities = capabilities

    def _before_initialize(self, method: str, prefix: str) -> None:
        if self.era is Era.MODERN:
            return
        if self._sender == "client" and self._initialize_answered and not self._initialized:
            self._report_initialized_missing(f"{prefix}/method", f" before sending {method!r}")
            return
        if self._sender == "client" and not self._initialize_answered:
            waiting = "the initialize result" if self._initialize_id is not None else "initialize"
            self._report(
                "before-initialize",
                f"{prefix}/method",
                f"{method!r} sent before {waiting}",
            )
        elif self._sender == "server" and not self._initialized:
            self._report(
                "before-initialize",
                f"{prefix}/method",
                f"the server sent {method!r} before notifications/initialized",
            )

    def _report_initialized_missing(self, pointer: str = "", where: str = "") -> None:
        if self._initialized_reported:
            return
        self._initialized_reported = True
        self._report(
            "initialized-missing",
            pointer,
            f"the initialize result was answered but the client never sent "
            f"notifications/initialized{where}",
        )

    def _check_capability(
        self, method: str, version: str, prefix: str, pending: _Pending | None
    ) -> None:
        if self._sender == "client":
            needed = _CLIENT_USES_SERVER.get(method) or _CLIENT_DECLARES.get(method)
            declared = (
                self._server_capabilities
                if method in _CLIENT_USES_SERVER
                else self._client_capabilities
            )
            if method in _CLIENT_DECLARES and pending is None and self.era is Era.MODERN:
                return  # modern client capabilities travel per request
            owner = "server" if method in _CLIENT_USES_SERVER else "client"
        else:
            needed = _SERVER_USES_CLIENT.get(method) or _SERVER_DECLARES.get(method)
            declared = (
                self._client_capabilities
                if method in _SERVER_USES_CLIENT
                else self._server_capabilities
            )
            owner = "client" if method in _SERVER_USES_CLIENT else "server"
        if needed is None or declared is None:
            return  # nothing declared yet (a transcript without the handshake): nothing to hold
        since = _CAPABILITY_SINCE.get(needed[0])
        if since is not None and compare(version, since) < 0:
            return
        if not _declares(declared, needed):
            self._report(
                "undeclared-capability",
                f"{prefix}/method",
                f"{method!r} needs the {owner} capability {'.'.join(needed)}, which the "
                f"{owner} did not declare",
                version=version,
            )

    # ---------------------------------------------------------- notifications

    def _notification(self, frame: dict[str, Any], method: str, prefix: str) -> None:
        version = self._version_in_use()
        if not self._check_method(method, version, prefix):
            return
        if self._validate(frame, version, prefix) is None:
            return
        params = _as_dict(frame.get("params")) or {}
        if method == "notifications/initialized" and self._sender == "client":
            if not self._initialize_answered and self.era is not Era.MODERN:
                self._report(
                    "before-initialize",
                    f"{prefix}/method",
                    "notifications/initialized sent before the initialize result",
                )
            self._initialized = True
        elif method == "notifications/cancelled":
            self._on_cancelled(params, prefix)
        elif method == "notifications/progress":
            self._on_progress(params, prefix)
        self._check_capability(method, version, prefix, None)

    def _on_cancelled(self, params: dict[str, Any], prefix: str) -> None:
        request_id = params.get("requestId")
        known = _request_id(request_id)
        pending = None if known is None else self._sides[self._sender].pending.get(known)
        if pending is None:
            self._report(
                "cancel-unknown-request",
                f"{prefix}/params/requestId",
                f"the {self._sender} has no request {request_id!r} in flight",
            )
        elif pending.method == "initialize":
            self._report("cancel-initialize", f"{prefix}/params/requestId", "initialize cancelled")

    def _on_progress(self, params: dict[str, Any], prefix: str) -> None:
        token = params.get("progressToken")
        requestor = self._sides[_OTHER[self._sender]]
        pending = next(
            (
                p
                for p in reversed(requestor.pending.values())
                if p.progress_token == token and token is not None
            ),
            None,
        )
        if pending is None:
            self._report(
                "progress-unknown-token",
                f"{prefix}/params/progressToken",
                f"progress token {token!r} belongs to no active request of the "
                f"{_OTHER[self._sender]}",
            )
            return
        progress = params.get("progress")
        if isinstance(progress, (int, float)) and not isinstance(progress, bool):  # noqa: UP038
            if pending.last_progress is not None and progress <= pending.last_progress:
                self._report(
                    "progress-not-increasing",
                    f"{prefix}/params/progress",
                    f"progress {progress} after {pending.last_progress} ({pending.method} "
                    f"at frame {pending.index})",
                )
            pending.last_progress = float(progress)

    # -------------------------------------------------------------- responses

    def _response(self, frame: dict[str, Any], prefix: str) -> None:
        request_id = _request_id(frame.get("id"))
        requestor = self._sides[_OTHER[self._sender]]
        pending = None if request_id is None else requestor.pending.pop(request_id, None)
        if pending is None:
            self._validate(frame, self._version_in_use(), prefix)
            if request_id is not None:
                if request_id in requestor.finished:
                    self._report(
                        "duplicate-response",
                        f"{prefix}/id",
                        f"request {request_id!r} was already answered",
                    )
                else:
                    self._report(
                        "unknown-response-id",
                        f"{prefix}/id",
                        f"the {_OTHER[self._sender]} sent no request with id {request_id!r}",
                    )
            return
        assert request_id is not None  # pending was found by it
        self._remember_finished(requestor, request_id)
        error = _as_dict(frame.get("error"))
        if error is not None and error.get("code") == UNSUPPORTED_PROTOCOL_VERSION:
            self._on_unsupported_version(frame, error, pending, prefix)
            return
        if pending.version is None:
            return  # an unknown version: nothing to check against
        if error is not None:
            if self._validate(frame, pending.version, prefix) is not None and (
                pending.method == "initialize"
            ):
                self._initialize_id = None  # a failed initialize may be retried
            return
        # A request the revision lacks was reported already; its result is checked as a Result.
        known = pending.method in methods_for(pending.version).METHODS
        message = self._validate(frame, pending.version, prefix, pending.method if known else None)
        if message is None:
            return
        result = _as_dict(frame.get("result")) or {}
        if pending.method == "initialize":
            self._on_initialize_result(result, prefix)
        elif pending.method == "server/discover":
            self._modern_confirmed = True
            capabilities = _as_dict(result.get("capabilities"))
            if capabilities is not None:
                self._server_capabilities = capabilities
        elif pending.method == "tools/list":
            self._on_tools_listed(result)
        elif pending.method == "tools/call":
            self._on_tool_result(result, pending, prefix)
        if result.get("resultType") == "input_required":
            self._on_input_requests(result, pending, prefix)
        if self.era is Era.MODERN:
            self._modern_confirmed = True

    def _on_unsupported_version(
        self, frame: dict[str, Any], error: dict[str, Any], pending: _Pending, prefix: str
    ) -> None:
        """An UnsupportedProtocolVersionError, checked as the modern revision that defines it
        (the request's own, or the latest known when the request named an unknown one)."""
        version = pending.version
        if version is None or era_of(version) is not Era.MODERN:
            version = LATEST_MODERN
        validators = importlib.import_module(f"{__package__}.{module_name(version)}.validators")
        problems = list(validators.iter_errors("UnsupportedProtocolVersionError", frame))
        if problems:
            self._report_problems(
                "schema-violation",
                "invalid UnsupportedProtocolVersionError",
                problems,
                version,
                prefix,
            )
            return
        data = cast(dict[str, Any], error["data"])
        if data["requested"] in data["supported"]:
            self._report(
                "unsupported-version-error-invalid",
                f"{prefix}/error/data/supported",
                f"the server says it does not support {data['requested']!r} but lists it "
                "as supported",
                version=version,
            )

    def _on_input_requests(self, result: dict[str, Any], pending: _Pending, prefix: str) -> None:
        """Modern era: each input request needs a capability the client declared in the
        `_meta` of the request being answered."""
        requests = _as_dict(result.get("inputRequests"))
        declared = pending.client_capabilities
        if requests is None or declared is None:
            return
        for key, request in requests.items():
            method = (_as_dict(request) or {}).get("method")
            needed = _SERVER_USES_CLIENT.get(method) if isinstance(method, str) else None
            if needed is not None and not _declares(declared, needed):
                self._report(
                    "undeclared-capability",
                    f"{prefix}/result/inputRequests/{escape_token(key)}/method",
                    f"input request {method!r} needs the client capability "
                    f"{'.'.join(needed)}, which the request's _meta did not declare",
                    version=pending.version,
                )

    def _on_initialize_result(self, result: dict[str, Any], prefix: str) -> None:
        chosen = result.get("protocolVersion")
        self._initialize_answered = True
        self.era = Era.LEGACY
        capabilities = _as_dict(result.get("capabilities"))
        if capabilities is not None:
            self._server_capabilities = capabilities
        if isinstance(chosen, str) and chosen in KNOWN_VERSIONS and era_of(chosen) is Era.LEGACY:
            self.version = chosen
        else:
            self._report(
                "unknown-protocol-version",
                f"{prefix}/result/protocolVersion",
                f"the server chose protocol version {chosen!r}, not a legacy revision this "
                f"package knows; the session is checked as {LATEST_LEGACY}",
            )
            self.version = LATEST_LEGACY

    # ------------------------------------------------------------------ tools

    def _on_tools_listed(self, result: dict[str, Any]) -> None:
        tools = result.get("tools")
        if not isinstance(tools, list):
            return
        for tool in cast(list[Any], tools):
            listed = _as_dict(tool)
            if listed is None or not isinstance(listed.get("name"), str):
                continue
            name: str = listed["name"]
            if name not in self._tools and len(self._tools) >= self._max_tools:
                continue
            self._tools[name] = listed
            self._tool_validators.pop((name, "inputSchema"), None)
            self._tool_validators.pop((name, "outputSchema"), None)

    def _tool_validator(self, name: str, key: str, prefix: str) -> Any:
        """The compiled schema of a listed tool (cached per listing), or None."""
        cache_key = (name, key)
        if cache_key in self._tool_validators:
            return self._tool_validators[cache_key]
        from .tool_schemas import ToolSchemaError, compile_tool_schema

        schema = self._tools[name].get(key)
        validator: Any = None
        if schema is not None:
            try:
                validator = compile_tool_schema(schema)
            except ToolSchemaError as error:
                self._report(
                    "tool-schema-refused",
                    prefix,
                    f"{key} of tool {name!r} refused at {error.pointer or '/'}: {error.reason}; "
                    "its calls are not checked",
                )
        self._tool_validators[cache_key] = validator
        return validator

    def _on_tool_call(self, params: dict[str, Any], prefix: str, pending: _Pending) -> None:
        name = params.get("name")
        if not isinstance(name, str):
            return
        pending.tool = name
        if name not in self._tools:
            if self._tools:
                self._report(
                    "tool-not-listed",
                    f"{prefix}/params/name",
                    f"tool {name!r} was not in any tools/list result of this session",
                )
            return
        validator = self._tool_validator(name, "inputSchema", f"{prefix}/params/name")
        if validator is None:
            return
        arguments = params.get("arguments")
        problems = self._schema_problems(validator, {} if arguments is None else arguments)
        if problems:
            self._report_problems(
                "tool-arguments-invalid",
                f"arguments do not match the inputSchema of tool {name!r}",
                problems,
                pending.version,
                f"{prefix}/params/arguments",
            )

    def _on_tool_result(self, result: dict[str, Any], pending: _Pending, prefix: str) -> None:
        name = pending.tool
        if name is None or name not in self._tools or result.get("isError") is True:
            return  # an error result carries no structured content to hold to the schema
        if "content" not in result and "structuredContent" not in result:
            return  # e.g. an InputRequiredResult: the call is not finished
        validator = self._tool_validator(name, "outputSchema", f"{prefix}/result")
        if validator is None:
            return
        content = result.get("structuredContent")
        if content is None:
            self._report(
                "structured-content-invalid",
                f"{prefix}/result",
                f"tool {name!r} declares an outputSchema but the result has no structuredContent",
                version=pending.version,
            )
            return
        problems = self._schema_problems(validator, content)
        if problems:
            self._report_problems(
                "structured-content-invalid",
                f"structuredContent does not match the outputSchema of tool {name!r}",
                problems,
                pending.version,
                f"{prefix}/result/structuredContent",
            )

    @staticmethod
    def _schema_problems(validator: Any, instance: Any) -> tuple[Problem, ...]:
        try:
            return tuple(validator.errors(instance))
        except MCPSpecError as error:  # an instance over the limits is refused, not validated
            return (Problem("", str(error)),)
