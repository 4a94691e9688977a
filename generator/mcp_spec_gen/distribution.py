"""What the runtime distribution `mcp-spec` declares: its dependencies, Python versions and
links. The generator writes them into the generated tree's pyproject.toml, so any tree it
writes (generated/ or `generate --output DIR`) is an installable distribution.
"""

from __future__ import annotations

# Lower-bounded ranges (SDKs co-install them with other packages); `make test-pythons` runs
# the runtime tests with exactly the lower bounds on the oldest Python.
RUNTIME_DEPENDENCIES = (
    "pydantic>=2.11,<3",
    # PEP 728 `extra_items` and `closed` of the wire TypedDicts.
    "typing-extensions>=4.13",
    # Compiled JSON Schema validation (offline mode; linear-time regex).
    "jsonschema-rs>=0.60.3,<1",
    # `format: uri-template` checked exactly as the reference (`jsonschema`) checks it.
    "uri-template>=1.3",
    # Exact JSON decoding at about orjson's speed (typed loading, validate_message).
    "msgspec>=0.18.6",
)
# The `strategies` extra. 6.168 is the newest hypothesis that still installs on Python 3.10.
STRATEGIES_DEPENDENCIES = ("hypothesis>=6.168,<7",)
PYTHON_MINORS = (10, 11, 12, 13)
PYTHON_RANGE = ">=3.10"
URLS = (
    ("Specification", "https://modelcontextprotocol.io/specification"),
    ("Schema", "https://github.com/modelcontextprotocol/modelcontextprotocol"),
)
# Files of the distribution besides the package: (path in the tree, shipped resource).
LEGAL_FILES = ("LICENSE", "NOTICE", "LICENSES/Apache-2.0.txt")
