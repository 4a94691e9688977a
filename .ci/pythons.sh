#!/usr/bin/env bash
# Find each Python 3.10-3.13 (python3.X on PATH, else pyenv's versions); print one line per
# version: its interpreter, or a visible SKIP when absent. Used by tests-pythons.sh and wheels.sh.
set -euo pipefail
for minor in ${PYTHON_MINORS:-10 11 12 13}; do
    found=""
    for candidate in "$(command -v "python3.$minor" 2>/dev/null || true)" \
        "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$minor".*/bin/python; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] \
            && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != (3, $minor))" 2>/dev/null; then
            found="$candidate"
            break
        fi
    done
    echo "3.$minor ${found:-SKIP}"
done
