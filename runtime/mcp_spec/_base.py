"""The base of every generated model, and the annotation that keeps JSON Schema's `null` rules.

Generated models follow JSON Schema: strict types (no coercion of "5" to 5 or true to 1),
unknown keys kept so a round trip is exact, and validation deferred to first use so importing
a revision stays cheap.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["NOT_NULL", "DeprecatedMCPModel", "DeprecatedValues", "MCPModel"]


class MCPModel(BaseModel):
    """Base class of the generated models."""

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
        protected_namespaces=(),
    )


class DeprecatedMCPModel(MCPModel):
    """Base of the models a revision deprecates: building one emits a DeprecationWarning that
    names the feature, the revision and the migration path."""

    __mcp_deprecation__: ClassVar[str] = "deprecated"

    def model_post_init(self, context: Any, /) -> None:
        warnings.warn(self.__mcp_deprecation__, DeprecationWarning, stacklevel=2)


class _NotNull:
    """Annotation for an optional property whose schema does not admit `null`.

    The attribute reads None when the key is absent, but an explicit `null` is rejected, as
    JSON Schema says. It strips the nullable wrapper at schema-build time, so validation runs
    no Python code for it.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if schema["type"] == "nullable":
            return schema["schema"]
        return schema

    def __repr__(self) -> str:
        return "NOT_NULL"


NOT_NULL = _NotNull()


class DeprecatedValues:
    """Annotation for a field some of whose values are deprecated: validating one of them
    emits a DeprecationWarning with `message`."""

    def __init__(self, values: tuple[object, ...], message: str) -> None:
        self.values = frozenset(values)
        self.message = message

    def _check(self, value: Any) -> Any:
        if value in self.values:
            warnings.warn(f"{value!r}: {self.message}", DeprecationWarning, stacklevel=2)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __repr__(self) -> str:
        return f"DeprecatedValues({sorted(map(str, self.values))})"
