"""Problems collected across a whole run, reported together.

Stale errata, deprecations naming what a schema lacks, requests without a result type,
constructs the IR cannot express: each is a `GeneratorError` (what, where), and a run
collects all of them before it fails once with the full list.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import GeneratorError


class ProblemsError(GeneratorError):
    """Several problems, all found in one run."""

    def __init__(self, problems: Iterable[GeneratorError]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} to fix before generating:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class Problems:
    """A collector: `add` each problem found, `raise_if_any` at the end of the run."""

    def __init__(self) -> None:
        self.found: list[GeneratorError] = []

    def add(self, problem: GeneratorError) -> None:
        if isinstance(problem, ProblemsError):
            self.found.extend(problem.problems)
        elif str(problem) not in {str(known) for known in self.found}:
            self.found.append(problem)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise ProblemsError(self.found)
