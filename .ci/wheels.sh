#!/usr/bin/env bash
# `make wheels`: build both distributions and prove them outside the repository, on every
# Python 3.10-3.13 found (a SKIP line where one is absent):
# - the runtime wheel (mcp-spec) in a fresh venv: .ci/smoke.py (import, validators,
#   validate_message, compile_tool_schema; no generator code) and no installed command;
# - the generator wheel (mcp-spec-generator) in another fresh venv, in an empty directory:
#   mcp-spec --version, init, sync --source, generate --output NEWDIR, check, diff, fuzz
#   --examples 2, then the generated tree itself installed and smoke-tested.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="$(cd "$repo" && realpath "${MCP_SPEC_SOURCE:-../shared/mcp-spec}")"
# Commands below run from other directories: hand them the source as an absolute path.
export MCP_SPEC_SOURCE="$source_dir"
dist="$repo/.wheels"
work="$(mktemp -d /tmp/mcp-spec-wheels.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rm -rf "$dist"
# The runtime sdist is built from a tree with copies of the runtime (links out of the tree
# would dangle in an sdist); its wheel is built from that sdist, as pip would.
build() {  # build DIRECTORY: an sdist, and the wheel from it; the log only on failure
    "$repo/.venv/bin/python" -m build -o "$dist" "$1" >"$work/build.log" 2>&1 \
        || { cat "$work/build.log"; exit 1; }
}
"$repo/.venv/bin/mcp-spec" generate --output "$work/runtime-tree" --copy-runtime || exit 1
build "$work/runtime-tree"
build "$repo"
runtime_wheel="$(ls "$dist"/mcp_spec-*.whl)"
generator_wheel="$(ls "$dist"/mcp_spec_generator-*.whl)"
for wheel in "$runtime_wheel" "$generator_wheel"; do
    echo "== $(basename "$wheel")"
    "$repo/.venv/bin/python" -m zipfile -l "$wheel" | awk 'NR > 1 {print "  " $1 "  " $NF}'
done

step() {  # step NAME COMMAND...: run, print the outcome, remember failures
    local name="$1"
    shift
    if "$@" >"$work/step.log" 2>&1; then
        echo "  ok    $name$(tail -n 1 "$work/step.log" | cut -c 1-110 | sed 's/^./: &/')"
    else
        echo "  FAIL  $name"
        sed 's/^/        /' "$work/step.log" | tail -20
        failed=1
    fi
}

status=0
results=()
while read -r version python; do
    if [ "$python" = SKIP ]; then
        echo "SKIP: Python $version not found"
        results+=("$version SKIP (not found)")
        continue
    fi
    echo "== Python $version ($python)"
    failed=0
    here="$work/py$version"
    mkdir -p "$here/empty"
    cd "$here/empty" || exit 1
    step "runtime venv" "$python" -m venv "$here/runtime"
    step "pip install runtime wheel" "$here/runtime/bin/python" -m pip install -q "$runtime_wheel"
    step "smoke test" "$here/runtime/bin/python" "$repo/.ci/smoke.py"
    # The runtime installs no command, so none can crash.
    step "no command installed" test -z "$(ls "$here/runtime/bin" | grep -i mcp)"
    step "generator venv" "$python" -m venv "$here/generator"
    step "pip install generator wheel" "$here/generator/bin/python" -m pip install -q "$generator_wheel"
    gen="$here/generator/bin/mcp-spec"
    step "mcp-spec --version" "$gen" --version
    step "mcp-spec --help" "$gen" --help
    step "mcp-spec init" "$gen" init
    step "mcp-spec sync --source" "$gen" sync --source "$source_dir"
    step "mcp-spec generate --output NEWDIR" "$gen" generate --output NEWDIR
    step "mcp-spec check --output NEWDIR" "$gen" check --output NEWDIR
    step "mcp-spec diff 2025-11-25 latest" "$gen" diff 2025-11-25 latest
    step "mcp-spec fuzz --examples 2" "$gen" fuzz --examples 2 --output NEWDIR
    step "mcp-spec generate (the project's generated/)" "$gen" generate
    step "mcp-spec validate" "$gen" validate "$source_dir/schema/2026-07-28/examples/Tool/$(ls "$source_dir/schema/2026-07-28/examples/Tool" | head -1)" -r latest --def Tool
    step "pip install NEWDIR (the generated tree)" "$here/runtime/bin/python" -m pip install -q --force-reinstall --no-deps ./NEWDIR
    step "smoke test of NEWDIR" "$here/runtime/bin/python" "$repo/.ci/smoke.py"
    step "generate refuses a foreign directory" bash -c "mkdir mine && echo x > mine/app.py \
        && ! '$gen' generate --output mine && test \"\$(ls mine)\" = app.py"
    cd "$repo" || exit 1
    if [ "$failed" = 0 ]; then results+=("$version passed"); else results+=("$version FAILED"); status=1; fi
done < <("$repo/.ci/pythons.sh")
echo "== summary"
printf '%s\n' "${results[@]}"
exit $status
