"""`python -m benchmarks`: import time of a revision module, generation time, validation.

Each import is timed in a fresh interpreter (median of several runs) for our
`mcp_spec.v2026_07_28` and the official `mcp_types._v2026_07_28` (mcp-types==2.3.0), and
generation of all six revisions is timed in-process, from the verified cache. Validation and
typed parse are compared with orjson, jsonschema, jsonschema-rs and mcp-types (validation.py).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from rich.console import Console
from rich.table import Table

RUNS = 7
IMPORT_PROBE = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)


def import_seconds(module: str, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE.format(module=module)],
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def generation_seconds(runs: int = 3) -> float:
    from mcp_spec_gen.pipeline import generate

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        generate()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    console = Console()
    ours = import_seconds("mcp_spec.v2026_07_28")
    theirs = import_seconds("mcp_types._v2026_07_28")
    generation = generation_seconds()
    table = Table(title=f"mcp-spec benchmarks (median; imports: {RUNS} fresh processes)")
    table.add_column("measure")
    table.add_column("mcp-spec", justify="right")
    table.add_column("mcp-types 2.3.0", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("goal", justify="right")
    table.add_row(
        "import 2026-07-28 module",
        f"{ours * 1000:.1f} ms",
        f"{theirs * 1000:.1f} ms",
        f"{ours / theirs:.2f}x",
        "<= 0.25x",
    )
    table.add_row("generate all six revisions", f"{generation:.2f} s", "-", "-", "<= 15 s")
    console.print(table)
    Console(width=max(console.width, 118)).print(validation_table())


def validation_table() -> Table:
    from .validation import measure

    table = Table(title="validation and typed parse (µs per call, best of 9 interleaved repeats)")
    for column in ("revision", "measure"):
        table.add_column(column)
    for column in ("µs", "ratio", "goal"):
        table.add_column(column, justify="right")
    for row in measure():
        table.add_row(row.revision, row.measure, f"{row.micros:,.1f}", row.ratio, row.goal)
    return table


if __name__ == "__main__":
    main()
