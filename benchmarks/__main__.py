"""`python -m benchmarks`: import time of a revision module, generation time, validation.

Each import is timed in a fresh interpreter (median of several runs) for our
`mcp_spec.v2026_07_28` and the official `mcp_types._v2026_07_28` (mcp-types==2.3.0), and
generation of all six revisions is timed in-process, from the verified cache.

Imports are timed two ways, both in isolated interpreters (`-I`: no PYTHON* variables, so
PYTHONDONTWRITEBYTECODE cannot silently turn a warm run into a compiling one):
- warm: bytecode for every module already written (one untimed run first), the usual case;
- cold: a fresh, empty bytecode cache per run, so everything imported (the standard library
  and pydantic included) is compiled from source, as on a first run after installation.
The pydantic floor rows say what any pydantic-based package pays before its own models: the
import of `BaseModel`, and that plus one model class with a deferred schema (the first class
imports pydantic.fields), which the "above the floor" row subtracts.
Validation and typed parse are compared with orjson, jsonschema, jsonschema-rs and mcp-types
(validation.py); then the untrusted tool schema attack suite (tool_schemas.py), and last session
checking throughput and the `mcp-spec proxy` relay latency (session.py).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

from rich.console import Console
from rich.table import Table

RUNS = 9
COLD_RUNS = 5
# The revision package imports its models on first access, so the models are imported by name.
OURS = "import mcp_spec.v2026_07_28.models"
THEIRS = "import mcp_types._v2026_07_28"
# What an SDK that wants typed data without pydantic imports and does first: the wire types,
# the validators, and one message validated (bytes in).
_FRAME = (
    b'{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"_meta":'
    b'{"io.modelcontextprotocol/protocolVersion":"2026-07-28",'
    b'"io.modelcontextprotocol/clientCapabilities":{},'
    b'"io.modelcontextprotocol/clientInfo":{"name":"c","version":"1"}},'
    b'"name":"get_weather","arguments":{"city":"Paris"}}}'
)
OURS_WIRE = (
    "from mcp_spec.v2026_07_28 import validators\n"
    "from mcp_spec.v2026_07_28.wire import CallToolRequest, load_json\n"
    "from mcp_spec.messages import validate_message\n"
    f"validate_message('2026-07-28', {_FRAME!r}, sender='client')"
)
PYDANTIC = "from pydantic import BaseModel"
# The cheapest model class: schema build deferred, as in the generated models.
PYDANTIC_AND_A_MODEL = (
    "from pydantic import BaseModel, ConfigDict\n"
    "class Probe(BaseModel):\n"
    "    model_config = ConfigDict(defer_build=True)\n"
    "    x: int"
)
# CPU time of the import, so other processes on a shared machine do not count.
PROBE = "import time\nstart = time.thread_time()\n{statement}\nprint(time.thread_time() - start)"


def _run(statement: str, bytecode_cache: str) -> float:
    out = subprocess.run(
        [sys.executable, "-I", "-X", f"pycache_prefix={bytecode_cache}", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip() or "0")


def import_seconds(statements: list[str], *, cold: bool = False) -> list[float]:
    """Median time of each statement in fresh interpreters, with warm or cold bytecode.

    The statements take turns, run after run, so a change in the machine's load (it is shared)
    weighs on all of them alike and their ratios stay fair.
    """
    samples: list[list[float]] = [[] for _ in statements]
    with tempfile.TemporaryDirectory(prefix="mcp-spec-bench-") as warm_cache:
        if not cold:
            for statement in statements:
                _run(statement, warm_cache)  # writes the bytecode the timed runs read
        for _ in range(COLD_RUNS if cold else RUNS):
            for statement, times in zip(statements, samples, strict=True):
                probe = PROBE.format(statement=statement)
                if cold:
                    with tempfile.TemporaryDirectory(prefix="mcp-spec-bench-") as fresh_cache:
                        times.append(_run(probe, fresh_cache))
                else:
                    times.append(_run(probe, warm_cache))
    return [statistics.median(times) for times in samples]


def generation_seconds(runs: int = 3) -> float:
    from mcp_spec_gen.pipeline import generate

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        generate()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _markdown(table: Table) -> str:
    """A rich table as a Markdown table (for the README: `python -m benchmarks --markdown`)."""
    columns = [str(column.header) for column in table.columns]
    cells = [[str(cell) for cell in column.cells] for column in table.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in zip(*cells, strict=True)]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Every benchmark, as rich tables; `--markdown` also prints the import and validation
    tables as Markdown."""
    console = Console(width=110)
    ours, theirs, floor, floor_with_model, ours_wire = import_seconds(
        [OURS, THEIRS, PYDANTIC, PYDANTIC_AND_A_MODEL, OURS_WIRE]
    )
    ours_cold, theirs_cold, floor_cold = import_seconds([OURS, THEIRS, PYDANTIC], cold=True)
    generation = generation_seconds()
    table = Table(
        title=(
            f"mcp-spec benchmarks (median; imports: fresh isolated processes, "
            f"{RUNS} warm / {COLD_RUNS} cold)"
        )
    )
    table.add_column("measure")
    table.add_column("mcp-spec", justify="right")
    table.add_column("mcp-types 2.3.0", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("goal", justify="right")
    table.add_row(
        "import 2026-07-28 wire types + validators, validate one message",
        _ms(ours_wire),
        _ms(theirs),
        f"{ours_wire / theirs:.2f}x",
        "<= 0.25x",
    )
    table.add_row(
        "import 2026-07-28 models, pydantic's own import subtracted",
        _ms(ours - floor),
        _ms(theirs - floor),
        f"{(ours - floor) / (theirs - floor):.2f}x",
        "<= 0.25x",
    )
    table.add_row(
        "import 2026-07-28 models (warm bytecode)",
        _ms(ours),
        _ms(theirs),
        f"{ours / theirs:.2f}x",
        "-",
    )
    table.add_row(
        "  of which above the pydantic floor (+ one model)",
        _ms(ours - floor_with_model),
        _ms(theirs - floor_with_model),
        f"{(ours - floor_with_model) / (theirs - floor_with_model):.2f}x",
        "-",
    )
    table.add_row(
        "import 2026-07-28 models (cold: no bytecode)",
        _ms(ours_cold),
        _ms(theirs_cold),
        f"{ours_cold / theirs_cold:.2f}x",
        "-",
    )
    table.add_row(
        "pydantic floor: `from pydantic import BaseModel`", _ms(floor), _ms(floor), "-", "-"
    )
    table.add_row(
        "pydantic floor + one (deferred) model class",
        _ms(floor_with_model),
        _ms(floor_with_model),
        "-",
        "-",
    )
    table.add_row("pydantic floor (cold)", _ms(floor_cold), _ms(floor_cold), "-", "-")
    table.add_row("generate all six revisions", f"{generation:.2f} s", "-", "-", "<= 15 s")
    console.print(table)
    validation = validation_table()
    Console(width=max(console.width, 118)).print(validation)
    if "--markdown" in argv:
        print(_markdown(table), _markdown(validation), sep="\n\n")
    from benchmarks import tool_schemas

    tool_schemas.main(console)
    from benchmarks import session

    session.main(console)


def validation_table() -> Table:
    from .validation import measure

    table = Table(
        title="validation, typed loading and typed parse (CPU µs per call, median of 15 "
        "interleaved repeats, gc off)"
    )
    for column in ("revision", "measure"):
        table.add_column(column)
    for column in ("µs", "ratio", "goal"):
        table.add_column(column, justify="right")
    for row in measure():
        table.add_row(row.revision, row.measure, f"{row.micros:,.1f}", row.ratio, row.goal)
    return table


if __name__ == "__main__":
    main(sys.argv[1:])
