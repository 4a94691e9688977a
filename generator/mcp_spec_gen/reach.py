"""Which revisions a declared fact (an erratum, a deprecation) covers.

A fact declares its reach as `{"from": "2026-07-28"}` (that revision and every later one,
the draft included), `{"from": A, "through": B}` (a closed range) or `{"only": [A, B]}`.
An open reach carries the fact forward to a revision added later, where it is asserted
again against the new file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DRAFT = "draft"


def revision_key(revision: str) -> tuple[int, str]:
    """Dated revisions in date order; the draft after all of them."""
    return (1, "") if revision == DRAFT else (0, revision)


@dataclass(frozen=True, slots=True)
class Reach:
    first: str | None = None
    through: str | None = None
    only: tuple[str, ...] | None = None

    def covers(self, revision: str) -> bool:
        if self.only is not None:
            return revision in self.only
        key = revision_key(revision)
        if self.first is not None and key < revision_key(self.first):
            return False
        return self.through is None or key <= revision_key(self.through)

    @property
    def open_ended(self) -> bool:
        return self.only is None and self.through is None

    def closed_at(self, revision: str) -> Reach:
        return Reach(first=self.first, through=revision)

    def to_json(self) -> dict[str, Any]:
        if self.only is not None:
            return {"only": list(self.only)}
        data: dict[str, Any] = {}
        if self.first is not None:
            data["from"] = self.first
        if self.through is not None:
            data["through"] = self.through
        return data

    def __str__(self) -> str:
        if self.only is not None:
            return ", ".join(self.only)
        if self.through is None:
            return f"from {self.first} on" if self.first else "every revision"
        if self.first == self.through:
            return str(self.first)
        return f"{self.first or 'the first'} through {self.through}"


def parse_reach(data: Any) -> Reach:
    """A reach from its JSON form; ValueError naming what is wrong."""
    if not isinstance(data, dict) or not data or set(data) - {"from", "through", "only"}:
        raise ValueError(f"revisions must be an object with from/through or only, not {data!r}")
    if "only" in data:
        only = data["only"]
        if (
            set(data) != {"only"}
            or not isinstance(only, list)
            or not all(isinstance(item, str) for item in only)
        ):
            raise ValueError(f"revisions.only must be the only key and a list of names: {data!r}")
        return Reach(only=tuple(only))
    first, through = data.get("from"), data.get("through")
    for value in (first, through):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"revisions from/through must be revision names: {data!r}")
    if first is not None and through is not None and revision_key(through) < revision_key(first):
        raise ValueError(f"revisions.through {through} is before from {first}")
    return Reach(first=first, through=through)
