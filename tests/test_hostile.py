"""The hostile-input suite's outcomes (`benchmarks/hostile.py`), at test sizes: every case
ends with the verdict or documented error it must (times are the suite's business).

Cases that need a process of their own (a thread with a 256 KB stack, fork) run in one; the
others run here, where an escape would fail the test the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.hostile import CASES, Case, run_isolated

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case_ends_as_documented(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.isolated:
        monkeypatch.chdir(ROOT)
        outcome = run_isolated(case.name, full=False, timeout=120)["outcome"]
    else:
        outcome = case.run(case.build(False))
    assert outcome == case.expect
