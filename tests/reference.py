"""The reference verdict lives in the generator package (the `mcp-spec fuzz` CLI uses it too)."""

from mcp_spec_gen.reference import (
    FORMAT_CHECKER,
    reference_errors,
    reference_is_valid,
    reference_validator,
)

__all__ = ["FORMAT_CHECKER", "reference_errors", "reference_is_valid", "reference_validator"]
