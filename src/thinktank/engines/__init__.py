"""Translation engines behind one small protocol.

An engine turns a batch of English texts (with markup already shielded by
placeholders) into a batch of target-language texts, and says which model it
used so drafts can carry their provenance. Engines count their calls so the
CLI can report, and tests can prove, how much work went to the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..errors import EngineError

ENGINES = ("argos", "pseudo")


class Engine(Protocol):
    name: str
    batches: int
    """How many times ``translate_batch`` ran."""
    segments: int
    """How many texts it was given in all."""

    def check(self, target: str) -> None:
        """Raise ``EngineError`` naming the fix when ``target`` cannot be translated."""

    def model(self, target: str) -> str:
        """The model package and version used for ``target``, for provenance comments."""

    def translate_batch(self, texts: list[str], target: str) -> list[str]:
        """Translate ``texts`` from English into ``target``, one output per input."""


def get_engine(name: str, on_progress: Callable[[int, int], None] | None = None) -> Engine:
    """The engine called ``name``; ``on_progress`` hears (done, total) during long batches."""
    if name == "pseudo":
        from .pseudo import PseudoEngine

        return PseudoEngine()
    if name == "argos":
        from .argos import ArgosEngine

        return ArgosEngine(on_progress)
    raise EngineError(None, f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
