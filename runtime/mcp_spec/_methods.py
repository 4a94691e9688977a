"""The row type of the generated method tables (`mcp_spec.<revision>.methods`), and the
table's own type (what `versions.methods_for` returns)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = ["Kind", "MethodInfo", "MethodTable", "Sender"]

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


class MethodTable(Protocol):
    """A revision's generated `methods` module, as `versions.methods_for(version)` gives it."""

    @property
    def METHODS(self) -> Mapping[str, MethodInfo]: ...

    @property
    def NAME_HEADER_FIELDS(self) -> Mapping[str, str]: ...

    def lookup(self, method: str) -> MethodInfo | None:
        """The row of `method`, or None when the revision has no such method."""
        ...

    def model_of(self, type_name: str) -> object:
        """The model class or type alias a row names (`row.params_type`, ...)."""
        ...
