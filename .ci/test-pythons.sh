#!/usr/bin/env bash
# `make test-pythons`: the runtime's tests on every Python 3.10-3.13 found (a SKIP line where
# one is absent), each in its own venv (.venv-py3.X) with the runtime and the generator (the
# tests' reference verdict) installed editable. The oldest Python found gets exactly the
# runtime's lower bounds. TESTS=tests runs the whole suite instead.
set -uo pipefail
cd "$(dirname "$0")/.."
export MCP_SPEC_SOURCE="${MCP_SPEC_SOURCE:-../shared/mcp-spec}"
# What `mcp_spec` does at run time: models, examples, deprecations, method tables,
# validators, validate_message and its command, HTTP headers, tool schemas, strategies, wire
# types and what an SDK does with the models (test_sdk).
TESTS="${TESTS:-tests/test_models.py tests/test_examples.py tests/test_deprecations.py
    tests/test_methods.py tests/test_validators.py tests/test_messages.py
    tests/test_cli_validate.py tests/test_http_headers.py tests/test_tool_schemas.py
    tests/test_strategies.py tests/test_wire.py tests/test_sdk.py}"
lower_bounds="$(mktemp)"
trap 'rm -f "$lower_bounds"' EXIT
# "name>=X,<Y" -> "name==X" for every runtime and strategies requirement.
.venv/bin/python - "$lower_bounds" <<'PY'
import re, sys
from mcp_spec_gen.distribution import RUNTIME_DEPENDENCIES, STRATEGIES_DEPENDENCIES
with open(sys.argv[1], "w") as out:
    for requirement in RUNTIME_DEPENDENCIES + STRATEGIES_DEPENDENCIES:
        name, lower = re.match(r"([A-Za-z0-9_.-]+)>=([^,;]+)", requirement).groups()
        out.write(f"{name}=={lower}\n")
PY
status=0
oldest=1
results=()
while read -r version python; do
    if [ "$python" = SKIP ]; then
        echo "SKIP: Python $version not found (install it, e.g. pyenv install $version)"
        results+=("$version SKIP (not found)")
        continue
    fi
    venv=".venv-py$version"
    constraints=()
    label="newest dependencies"
    if [ "$oldest" = 1 ]; then
        constraints=(-c "$lower_bounds")
        label="lower bounds: $(tr '\n' ' ' < "$lower_bounds")"
    fi
    oldest=0
    echo "== Python $version ($python), $label"
    if ! { [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"; } \
        || ! "$venv/bin/python" -m pip install -q --upgrade pip \
        || ! "$venv/bin/python" -m pip install -q "${constraints[@]}" \
            -e . -e './generated[strategies]' --group test; then
        results+=("$version FAILED to install ($label)")
        status=1
        continue
    fi
    # shellcheck disable=SC2086  # TESTS is a list of paths
    if "$venv/bin/python" -m pytest -q -p no:cacheprovider $TESTS; then
        results+=("$version passed ($label)")
    else
        results+=("$version FAILED ($label)")
        status=1
    fi
done < <(.ci/pythons.sh)
echo "== summary"
printf '%s\n' "${results[@]}"
exit $status
