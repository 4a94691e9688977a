# Set-up is two commands on a fresh machine: `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where schema files come from: a directory laid out like the spec repository, or an
# http(s) base URL. Unset it (MCP_SPEC_SOURCE=) to fetch the pinned commit over HTTPS.
MCP_SPEC_SOURCE ?= ../shared/mcp-spec
export MCP_SPEC_SOURCE

.PHONY: install sync generate check lint typecheck test test-pythons wheels bench stress fuzz clean

# The generator (this directory) and the runtime (generated/, its pyproject.toml written by
# the generator), both editable, with the development groups (pip >= 25.1 for --group).
$(VENV)/.installed: pyproject.toml generated/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e . -e './generated[strategies]' --group dev --group bench
	touch $@

install: $(VENV)/.installed

sync: install
	$(BIN)/mcp-spec sync

generate: sync
	$(BIN)/mcp-spec generate

check: sync
	$(BIN)/mcp-spec check

lint: install
	$(BIN)/ruff check generator generated runtime tests benchmarks .ci
	$(BIN)/ruff format --check generator generated runtime tests benchmarks .ci

typecheck: install
	$(BIN)/pyright -p pyrightconfig.json

test: sync
	$(BIN)/mcp-spec check
	$(MAKE) lint typecheck
	$(BIN)/pytest

# The runtime's tests on every Python 3.10-3.13 found (SKIP lines where absent); the oldest
# gets exactly the runtime's lower bounds. TESTS=tests for the whole suite.
test-pythons: sync
	.ci/test-pythons.sh

# Build both wheels; install each in fresh venvs outside the repository on every Python found
# and run the smoke test and every generator command there.
wheels: sync
	.ci/wheels.sh

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

clean:
	rm -rf $(VENV) .venv-py3.* .wheels schema/cache .pytest_cache .hypothesis
