"""The project's own errors share one base, so a page can turn any of them into its message in the
user's language (`messages(lang)`), and nothing else needs to know which module raised it."""

from __future__ import annotations


class PlannerError(ValueError):
    """Base of every error the model raises for the user: bad input, a file that cannot be used."""

    def messages(self, lang: str) -> list[str]:  # pragma: no cover - every subclass says its own
        return [str(self)]
