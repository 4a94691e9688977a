"""Schema sources: directory and HTTP sync, every byte checked against its sha256 pin."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcp_spec_gen.errors import PinError, SourceError
from mcp_spec_gen.pins import Pins, RevisionPin, load_pins
from mcp_spec_gen.sources import read_schema_bytes, sync

PAYLOAD = b'{"$schema": "https://json-schema.org/draft/2020-12/schema"}'


def pins_for(data: bytes) -> Pins:
    pin = RevisionPin(
        revision="r1", path="schema/r1/schema.json", sha256=hashlib.sha256(data).hexdigest()
    )
    return Pins(repository="https://github.com/o/r", commit="c" * 40, revisions=(pin,))


def layout(root: Path, data: bytes = PAYLOAD) -> Path:
    path = root / "schema" / "r1" / "schema.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    return root


def test_sync_from_a_directory_fills_the_cache(tmp_path: Path) -> None:
    source = layout(tmp_path / "src")
    cache = tmp_path / "cache"
    pins = pins_for(PAYLOAD)
    written = sync(pins, str(source), cache_dir=cache)
    assert [p.read_bytes() for p in written] == [PAYLOAD]
    assert read_schema_bytes(pins, pins.revisions[0], cache_dir=cache)[0] == PAYLOAD


def test_sha256_mismatch_names_the_file_and_both_hashes(tmp_path: Path) -> None:
    source = layout(tmp_path / "src", b"{}")
    pins = pins_for(PAYLOAD)
    with pytest.raises(PinError) as caught:
        sync(pins, str(source), cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert pins.revisions[0].sha256 in message
    assert hashlib.sha256(b"{}").hexdigest() in message
    assert "schema/r1/schema.json" in message and "revision r1" in message


def test_a_tampered_cache_is_refused(tmp_path: Path) -> None:
    pins = pins_for(PAYLOAD)
    cache = tmp_path / "cache"
    sync(pins, str(layout(tmp_path / "src")), cache_dir=cache)
    (cache / "r1" / "schema.json").write_bytes(b"{ }")
    with pytest.raises(PinError, match="sha256 mismatch"):
        read_schema_bytes(pins, pins.revisions[0], cache_dir=cache)


def test_missing_cache_says_how_to_fill_it(tmp_path: Path) -> None:
    pins = pins_for(PAYLOAD)
    with pytest.raises(SourceError, match="run `mcp-spec sync"):
        read_schema_bytes(pins, pins.revisions[0], cache_dir=tmp_path)


def test_missing_source_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a directory"):
        sync(pins_for(PAYLOAD), str(tmp_path / "nope"), cache_dir=tmp_path / "cache")


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.requests.append(self.path)
        body = self.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        _Handler.routes.clear()
        _Handler.requests.clear()


def test_sync_over_http_checks_the_hash(loopback: str, tmp_path: Path) -> None:
    _Handler.routes["/base/schema/r1/schema.json"] = PAYLOAD
    written = sync(pins_for(PAYLOAD), f"{loopback}/base", cache_dir=tmp_path)
    assert written[0].read_bytes() == PAYLOAD
    assert _Handler.requests == ["/base/schema/r1/schema.json"]


def test_http_mismatch_and_404_are_clear(loopback: str, tmp_path: Path) -> None:
    _Handler.routes["/schema/r1/schema.json"] = b"{}"
    with pytest.raises(PinError, match=r"sha256 mismatch.*http://127\.0\.0\.1"):
        sync(pins_for(PAYLOAD), loopback, cache_dir=tmp_path)
    with pytest.raises(SourceError, match="HTTP 404"):
        sync(pins_for(PAYLOAD), f"{loopback}/missing", cache_dir=tmp_path)


def test_http_size_limit(loopback: str, tmp_path: Path) -> None:
    from mcp_spec_gen.sources import fetch_url

    _Handler.routes["/big"] = b"x" * 2048
    with pytest.raises(SourceError, match="over the limit of 1024 bytes"):
        fetch_url(f"{loopback}/big", limit=1024)


def test_default_source_is_the_pinned_commit_raw_url() -> None:
    pins = load_pins()
    url = pins.raw_url(pins.pin_for("2026-07-28"))
    assert url == (
        "https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/"
        "b0f60ba5409db7a6582440a7b473cc0398890f15/schema/2026-07-28/schema.json"
    )
