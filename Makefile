# Set-up is two commands on a fresh machine: `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where schema files come from: a directory laid out like the spec repository, or an
# http(s) base URL. Unset it (MCP_SPEC_SOURCE=) to fetch the pinned commit over HTTPS.
MCP_SPEC_SOURCE ?= ../shared/mcp-spec
export MCP_SPEC_SOURCE

.PHONY: install sync generate check lint typecheck test bench stress fuzz lower-bounds clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $@

install: $(VENV)/.installed

sync: install
	$(BIN)/mcp-spec sync

generate: sync
	$(BIN)/mcp-spec generate

check: sync
	$(BIN)/mcp-spec check

lint: install
	$(BIN)/ruff check generator generated runtime tests benchmarks
	$(BIN)/ruff format --check generator generated runtime tests benchmarks

typecheck: install
	$(BIN)/pyright -p pyrightconfig.json

test: sync
	$(BIN)/mcp-spec check
	$(MAKE) lint typecheck
	$(BIN)/pytest

bench: sync
	$(BIN)/python -m benchmarks

# The hostile-input suite at full size: each case in its own process (time, peak RSS, outcome).
stress: sync
	$(BIN)/python -m benchmarks.hostile

# The long differential profile (`make test` runs a bounded one): FUZZ_EXAMPLES valid draws
# and as many near misses per definition of every revision.
FUZZ_EXAMPLES ?= 1000
FUZZ_SEED ?= 0
fuzz: sync
	$(BIN)/mcp-spec fuzz --examples $(FUZZ_EXAMPLES) --seed $(FUZZ_SEED)

# The decoding and message tests against the oldest msgspec pyproject.toml allows.
MSGSPEC_LOWER ?= 0.18.6
lower-bounds: sync
	rm -rf .lower-bounds
	$(BIN)/python -m pip install -q --target .lower-bounds 'msgspec==$(MSGSPEC_LOWER)'
	PYTHONPATH=.lower-bounds $(BIN)/pytest -q -p no:cacheprovider \
		tests/test_wire.py tests/test_messages.py tests/test_validators.py

clean:
	rm -rf $(VENV) schema/cache .pytest_cache .hypothesis .lower-bounds
