"""Translation engines behind one small protocol.

An engine turns a batch of English texts (with markup already shielded by
placeholders) into a batch of target-language texts, and says which model it
used so drafts can carry their provenance. Engines count their calls so the
CLI can report, and tests can prove, how much work went to the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..errors import EngineError

Progress = Callable[[int, int], None]
"""Hears (done, total) during long batches."""

DEVICES = ("auto", "cpu", "cuda")
"""Where an engine may run: ``auto`` takes a CUDA GPU when one is seen; engines without a model run anywhere."""


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


@dataclass(frozen=True)
class EngineEntry:
    name: str
    description: str
    """One line for ``--help``."""
    factory: Callable[[Progress | None, str], Engine]
    """Builds the engine from (on_progress, device); imports its module only when called, so a heavy engine
    costs nothing until chosen."""
    preview: bool = False
    """Its drafts are previews, never publishable text: a build refuses them and a real engine drafts them
    again (:mod:`thinktank.preview`)."""


def _argos(on_progress: Progress | None, device: str) -> Engine:
    from .argos import ArgosEngine

    return ArgosEngine(on_progress, device=device)


def _pseudo(on_progress: Progress | None, device: str) -> Engine:
    from .pseudo import PseudoEngine

    return PseudoEngine()


ENGINES: dict[str, EngineEntry] = {entry.name: entry for entry in (
    EngineEntry("argos", "offline machine translation with installed argos models (thinktank models install)", _argos),
    EngineEntry("pseudo", "pseudo-localisation per language, markup reordered: for previews and tests", _pseudo,
                preview=True),
)}


PREVIEW_ENGINES = frozenset(entry.name for entry in ENGINES.values() if entry.preview)
"""The names of the preview engines."""


def get_engine(name: str, on_progress: Progress | None = None, device: str = "auto") -> Engine:
    """The engine called ``name`` on ``device`` (one of ``DEVICES``); ``on_progress`` hears (done, total)
    during long batches."""
    entry = ENGINES.get(name)
    if entry is None:
        raise EngineError(None, f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
    if device not in DEVICES:
        raise EngineError(None, f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    return entry.factory(on_progress, device)
