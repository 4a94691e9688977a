"""The pins: which upstream commit and which sha256 each revision's schema.json must have."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import PinError
from .project import current_project


@dataclass(frozen=True, slots=True)
class RevisionPin:
    revision: str
    path: str  # path of schema.json inside the spec repository
    sha256: str


@dataclass(frozen=True, slots=True)
class Pins:
    repository: str
    commit: str
    revisions: tuple[RevisionPin, ...]

    def pin_for(self, revision: str) -> RevisionPin:
        for pin in self.revisions:
            if pin.revision == revision:
                return pin
        known = ", ".join(pin.revision for pin in self.revisions)
        raise PinError(f"unknown revision {revision!r}; pinned revisions are {known}")

    def raw_url(self, pin: RevisionPin) -> str:
        owner_repo = self.repository.removeprefix("https://github.com/").rstrip("/")
        return f"https://raw.githubusercontent.com/{owner_repo}/{self.commit}/{pin.path}"


def load_pins(path: Path | None = None) -> Pins:
    path = path or current_project().pins_file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        revisions = tuple(
            RevisionPin(revision=name, path=entry["path"], sha256=entry["sha256"])
            for name, entry in data["revisions"].items()
        )
        return Pins(repository=data["repository"], commit=data["commit"], revisions=revisions)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PinError(f"cannot read pins: {exc}", file=str(path)) from None


def save_pins(pins: Pins, path: Path | None = None) -> None:
    path = path or current_project().pins_file
    data = {
        "repository": pins.repository,
        "commit": pins.commit,
        "revisions": {
            pin.revision: {"path": pin.path, "sha256": pin.sha256} for pin in pins.revisions
        },
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(pin: RevisionPin, data: bytes, *, file: str, fix: str = "") -> None:
    """Refuse `data` unless it has the pinned sha256; `fix` says what to do about it."""
    actual = sha256_hex(data)
    if actual != pin.sha256:
        raise PinError(
            f"sha256 mismatch: pinned {pin.sha256}, file has {actual}"
            + (f"; {fix}" if fix else ""),
            file=file,
            revision=pin.revision,
        )
