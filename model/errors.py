"""The project's own errors share one base, so a page can turn any of them into its message in the
user's language (`messages(lang)`), and nothing else needs to know which module raised it."""

from __future__ import annotations


class PlannerError(ValueError):
    """Base of every error the model raises for the user: bad input, a file that cannot be used."""

    def messages(self, lang: str) -> list[str]:  # pragma: no cover - every subclass says its own
        return [str(self)]


class FileProblems(PlannerError):
    """Every problem found in one file, each as (Vietnamese, English); nothing was loaded."""

    def __init__(self, problems: list[tuple[str, str]], source: str = ""):
        self.problems, self.source = problems, source
        super().__init__("; ".join(en for _, en in problems))

    def messages(self, lang: str) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + (vi if lang == "vi" else en) for vi, en in self.problems]
