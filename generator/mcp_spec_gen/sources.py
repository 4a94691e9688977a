"""Schema sources: fill the git-ignored cache from a directory or URL and read it back verified.

A source is laid out like the spec repository (`schema/<rev>/schema.json`): a local checkout,
`../shared/mcp-spec`, or an http(s) base URL. Without a source, `sync` fetches the raw files of
the pinned commit over HTTPS. Every byte that enters the cache or the generator is checked
against its sha256 pin.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import SourceError
from .pins import Pins, RevisionPin, verify
from .project import current_project

SOURCE_ENV = "MCP_SPEC_SOURCE"
# The largest official file is under 200 KB; anything near this is not a schema we expect.
MAX_SCHEMA_BYTES = 4 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 30.0


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def cache_path(pin: RevisionPin, cache_dir: Path | None = None) -> Path:
    return (cache_dir or current_project().cache_dir) / pin.revision / "schema.json"


def _read_limited_file(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(f"file is {size} bytes, over the limit of {limit}", file=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", file=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", file=str(path)) from None


def fetch_url(
    url: str, *, limit: int = MAX_SCHEMA_BYTES, timeout: float = HTTP_TIMEOUT_SECONDS
) -> bytes:
    """GET `url` with a timeout and a size limit (only called when the user asked for it)."""
    request = urllib.request.Request(url, headers={"User-Agent": "mcp-spec-sync"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise SourceError(f"HTTP {exc.code} {exc.reason}", file=url) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"cannot fetch: {reason}", file=url) from None
    if len(data) > limit:
        raise SourceError(f"response is over the limit of {limit} bytes", file=url)
    return data


def read_unverified(
    pins: Pins, pin: RevisionPin, source: str | None, *, limit: int = MAX_SCHEMA_BYTES
) -> tuple[bytes, str]:
    """One revision's schema from `source` (None: the pinned commit over HTTPS), unchecked:
    only `pin` computing a new hash wants this; everything else calls `read_from_source`."""
    if source is None:
        where = pins.raw_url(pin)
        data = fetch_url(where, limit=limit)
    elif is_url(source):
        where = f"{source.rstrip('/')}/{pin.path}"
        data = fetch_url(where, limit=limit)
    else:
        root = Path(source)
        if not root.is_dir():
            raise SourceError(
                f"schema source is not a directory: pass --source (or set ${SOURCE_ENV}) to a "
                "checkout of the spec repository or a directory laid out like one "
                "(schema/<revision>/schema.json), or an http(s) base URL",
                file=str(root.absolute()),
            )
        path = root / pin.path
        where = str(path)
        data = _read_limited_file(path, limit)
    return data, where


def read_from_source(
    pins: Pins, pin: RevisionPin, source: str | None, *, limit: int = MAX_SCHEMA_BYTES
) -> tuple[bytes, str]:
    """One revision's schema from `source`, checked against its sha256 pin."""
    data, where = read_unverified(pins, pin, source, limit=limit)
    verify(
        pin,
        data,
        file=where,
        fix=f"the source is not at the pinned commit {pins.commit[:12]}: check out that commit, "
        "or move the pins with `mcp-spec pin --commit SHA --source SRC` and then run "
        "`mcp-spec sync`",
    )
    return data, where


def sync(
    pins: Pins,
    source: str | None,
    revisions: Iterable[RevisionPin] | None = None,
    *,
    cache_dir: Path | None = None,
    on_file: Callable[[RevisionPin, str], None] | None = None,
) -> list[Path]:
    """Copy every pinned revision from `source` into the cache, verifying each sha256 first."""
    written: list[Path] = []
    for pin in revisions if revisions is not None else pins.revisions:
        data, where = read_from_source(pins, pin, source)
        target = cache_path(pin, cache_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
        written.append(target)
        if on_file is not None:
            on_file(pin, where)
    return written


def read_schema_bytes(
    pins: Pins, pin: RevisionPin, source: str | None = None, *, cache_dir: Path | None = None
) -> tuple[bytes, str]:
    """The verified bytes of one revision: from `source` when given, else from the cache."""
    if source is not None:
        return read_from_source(pins, pin, source)
    path = cache_path(pin, cache_dir)
    if not path.exists():
        hint = os.environ.get(SOURCE_ENV)
        suggestion = f"mcp-spec sync --source {hint}" if hint else "mcp-spec sync --source DIR"
        raise SourceError(
            f"schema not in the cache; run `{suggestion}` first",
            file=str(path),
            revision=pin.revision,
        )
    data = _read_limited_file(path, MAX_SCHEMA_BYTES)
    verify(pin, data, file=str(path), fix="the cache is stale: run `mcp-spec sync` to refill it")
    return data, str(path)
