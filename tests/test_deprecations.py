"""Deprecations declared in schema/deprecations.json fire exactly where declared."""

from __future__ import annotations

import warnings

import pytest

from mcp_spec import v2025_11_25, v2026_07_28


def test_deprecated_model_warns_with_feature_revision_and_migration() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"`Root` is deprecated in MCP 2026-07-28 "
        r"\(Roots, since 2026-07-28, SEP-2577\): Pass the relevant locations",
    ):
        v2026_07_28.Root.model_validate({"uri": "file:///tmp"})


def test_same_model_in_an_older_revision_warns_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v2025_11_25.Root.model_validate({"uri": "file:///tmp"})
        v2025_11_25.ClientCapabilities.model_validate({"roots": {}}).roots  # noqa: B018


@pytest.mark.parametrize(
    "name", ["CreateMessageRequest", "ListRootsRequest", "LoggingMessageNotification", "ModelHint"]
)
def test_each_deprecated_feature_warns(name: str) -> None:
    model = getattr(v2026_07_28, name)
    assert model.__mcp_deprecation__.startswith(f"`{name}` is deprecated in MCP 2026-07-28")


def test_deprecated_capability_field_warns_on_access() -> None:
    capabilities = v2026_07_28.ClientCapabilities.model_validate({"sampling": {}})
    with pytest.warns(DeprecationWarning, match="`sampling` is deprecated.*Sampling"):
        _ = capabilities.sampling


def test_undeprecated_models_warn_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v2026_07_28.Tool.model_validate({"name": "t", "inputSchema": {"type": "object"}})
        v2026_07_28.ClientCapabilities.model_validate({"elicitation": {}}).elicitation  # noqa: B018


def test_deprecated_type_alias_warns_on_import_from_the_revision() -> None:
    with pytest.warns(DeprecationWarning, match="`LoggingLevel` is deprecated in MCP 2026-07-28"):
        from mcp_spec.v2026_07_28 import LoggingLevel  # noqa: F401
    with pytest.warns(DeprecationWarning, match="`SamplingMessageContentBlock` is deprecated"):
        from mcp_spec.latest import SamplingMessageContentBlock  # noqa: F401


def test_older_revision_alias_is_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from mcp_spec.v2025_11_25 import LoggingLevel  # noqa: F401


def test_deprecated_include_context_values_warn_since_2025_11_25() -> None:
    data = {"messages": [], "maxTokens": 5, "includeContext": "thisServer"}
    with pytest.warns(DeprecationWarning, match="'thisServer': `includeContext` values"):
        v2025_11_25.CreateMessageRequestParams.model_validate(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v2025_11_25.CreateMessageRequestParams.model_validate({**data, "includeContext": "none"})
        from mcp_spec import v2025_06_18

        v2025_06_18.CreateMessageRequestParams.model_validate(data)


def test_log_level_request_meta_key_is_deprecated_on_access() -> None:
    meta = v2026_07_28.RequestMetaObject.model_validate(
        {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/logLevel": "info",
        }
    )
    with pytest.warns(DeprecationWarning, match="`io.modelcontextprotocol/logLevel` is deprecated"):
        _ = meta.log_level
