"""The error of plant records that cannot be used."""

from __future__ import annotations


class RecordsError(ValueError):
    """Plant records (or a plan file) that cannot be used: ``problems`` lists one line per
    problem, each naming the file, the row and the column."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the records\n" + "\n".join(
            f"  {p}" for p in self.problems))
