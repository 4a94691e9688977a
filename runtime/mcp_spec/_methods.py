"""The row type of the generated method tables (`mcp_spec.<revision>.methods`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Kind", "MethodInfo", "Sender"]

Kind = Literal["request", "notification"]
Sender = Literal["client", "server", "both", "input_request"]


@dataclass(frozen=True, slots=True)
class MethodInfo:
    """One JSON-RPC method of one protocol revision, derived from its schema.

    Type fields name definitions of the revision's models module; `params_model()` and
    friends on the revision's `methods` module resolve them to classes lazily.
    """

    method: str
    kind: Kind
    sender: Sender
    message_type: str
    params_type: str | None
    params_required: bool
    result_types: tuple[str, ...]
    era: Literal["legacy", "modern"]
    deprecated: bool = False
    name_header_field: str | None = None

    def sent_by(self, peer: Literal["client", "server"]) -> bool:
        """Whether `peer` may send this method as a JSON-RPC message of its own."""
        return self.sender == peer or self.sender == "both"
