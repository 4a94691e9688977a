"""Message-level fuzzing: frames drawn from the generated strategies through `validate_message`.

Whatever the frame, `validate_message` returns a `Message` or raises the documented
`ValidationError` (nothing else), and the JSON-RPC code is the right one: valid frames of
every method pass as their own kind, frames whose params are near misses fail with
INVALID_PARAMS exactly when the reference rejects them, envelopes that are wrong are
INVALID_REQUEST, and bytes that are not JSON are PARSE_ERROR.
"""

from __future__ import annotations

import copy
import importlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mcp_spec.errors import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    ValidationError,
)
from mcp_spec.messages import validate_message
from mcp_spec.versions import Era, era_of
from mcp_spec_gen.reference import reference_is_valid

from .conftest import MODULES, REVISIONS

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
DOCUMENTED_CODES = {PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS}
PROFILE = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def strategies(rev: str) -> Any:
    return importlib.import_module(f"mcp_spec.{MODULES[rev]}.strategies")


def rows(rev: str, *, with_params: bool = False) -> list[Any]:
    table = importlib.import_module(f"mcp_spec.{MODULES[rev]}.methods").METHODS
    return [
        row
        for _, row in sorted(table.items())
        if row.sender != "input_request" and (row.params_type or not with_params)
    ]


def sender_of(row: Any) -> Any:
    return "client" if row.sender in ("client", "both") else "server"


def as_frame(rev: str, row: Any, drawn: Any) -> dict[str, Any]:
    """A drawn message made a frame: the envelope filled in where the revision's message
    types leave it out (2024-11-05 ...), and in the modern era the protocol version that
    `validate_message` compares with the one validated."""
    frame = copy.deepcopy(drawn)
    frame.setdefault("jsonrpc", "2.0")
    if row.kind == "request":
        frame.setdefault("id", 1)
    meta = frame.get("params", {}).get("_meta") if isinstance(frame.get("params"), dict) else None
    if era_of(rev) is Era.MODERN and row.kind == "request" and isinstance(meta, dict):
        meta[PROTOCOL_VERSION_KEY] = rev
    return frame


def version_mismatch(rev: str, frame: dict[str, Any]) -> bool:
    params = frame.get("params")
    meta = params.get("_meta") if isinstance(params, dict) else None
    stated = meta.get(PROTOCOL_VERSION_KEY) if isinstance(meta, dict) else None
    return era_of(rev) is Era.MODERN and rev != "draft" and stated != rev


@pytest.mark.parametrize("rev", REVISIONS)
def test_valid_frames_of_every_method_pass_as_their_kind(rev: str) -> None:
    @PROFILE
    @given(data=st.data(), row=st.sampled_from(rows(rev)))
    def check(data: st.DataObject, row: Any) -> None:
        frame = as_frame(rev, row, data.draw(strategies(rev).from_def(row.message_type)))
        message = validate_message(rev, frame, sender=sender_of(row))
        assert (message.kind, message.method) == (row.kind, row.method)
        assert type(message.model).__name__ == row.message_type

    check()


@pytest.mark.parametrize("rev", REVISIONS)
def test_near_miss_params_are_invalid_params_exactly_when_the_reference_rejects(rev: str) -> None:
    @PROFILE
    @given(data=st.data(), row=st.sampled_from(rows(rev, with_params=True)))
    def check(data: st.DataObject, row: Any) -> None:
        module = strategies(rev)
        frame = as_frame(rev, row, data.draw(module.from_def(row.message_type)))
        if not module.has_near_misses(row.params_type):
            return
        mutation = data.draw(module.invalid_from_def(row.params_type))
        frame["params"] = mutation.instance
        expected_valid = reference_is_valid(rev, row.message_type, frame)
        # schema/deviations.json `integer-rejects-integral-float`: the typed model that
        # validate_message returns keeps integers exact, so 3.0 is refused (as invalid params).
        typed_model_deviation = mutation.kind == "integral-float"
        try:
            validate_message(rev, frame, sender=sender_of(row))
        except ValidationError as error:
            assert error.code == INVALID_PARAMS, (error.code, str(error))
            assert not expected_valid or version_mismatch(rev, frame) or typed_model_deviation, str(
                error
            )
        else:
            assert expected_valid, json.dumps(frame)[:400]

    check()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@pytest.mark.parametrize("rev", REVISIONS)
def test_any_frame_raises_only_the_documented_error(rev: str) -> None:
    methods = [row.method for row in rows(rev)]
    frames = st.fixed_dictionaries(
        {},
        optional={
            "jsonrpc": st.sampled_from(["2.0", "1.0", 2]) | JSON_VALUES,
            "id": st.integers() | st.text(max_size=4) | JSON_VALUES,
            "method": st.sampled_from(methods) | st.text(max_size=12),
            "params": JSON_VALUES,
            "result": JSON_VALUES,
            "error": JSON_VALUES,
        },
    )

    @PROFILE
    @given(frame=frames | JSON_VALUES, sender=st.sampled_from(["client", "server"]))
    def check(frame: Any, sender: Any) -> None:
        try:
            validate_message(rev, frame, sender=sender)
        except ValidationError as error:
            assert error.code in DOCUMENTED_CODES
            assert error.problems
            if not isinstance(frame, dict) or frame.get("jsonrpc") != "2.0":
                assert error.code == INVALID_REQUEST
            elif "id" in frame and (
                isinstance(frame["id"], bool) or not isinstance(frame["id"], (int, str))
            ):
                assert error.code == INVALID_REQUEST  # never taken for a notification
            elif "method" in frame and ("result" in frame or "error" in frame):
                assert error.code == INVALID_REQUEST
            elif isinstance(frame.get("method"), str) and frame["method"] not in methods:
                assert error.code == METHOD_NOT_FOUND

    check()


@PROFILE
@given(raw=st.binary(max_size=40))
def test_bytes_that_are_not_json_are_a_parse_error(raw: bytes) -> None:
    try:
        json.loads(raw)
    except ValueError:
        is_json = False
    else:
        is_json = True
    try:
        validate_message("2025-11-25", raw, sender="client")
    except ValidationError as error:
        assert (error.code == PARSE_ERROR) == (not is_json), (raw, error.code)
