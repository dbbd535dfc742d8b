"""Pseudo-localisation: deterministic, accented, longer text that keeps every token.

For previews and layout tests: a page in "pseudo-Turkish" shows at a glance
which strings went through the pipeline, and is about 30% longer, as real
translations often are.
"""

from __future__ import annotations

import re

from .. import __version__

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_TOKEN_OR_WORD = re.compile(r"(⟦\s*\d+\s*⟧)")


class PseudoEngine:
    name = "pseudo"

    def __init__(self) -> None:
        self.batches = 0
        self.segments = 0

    def check(self, target: str) -> None:
        return None

    def model(self, target: str) -> str:
        return f"pseudo-{target} {__version__}"

    def translate_batch(self, texts: list[str], target: str) -> list[str]:
        self.batches += 1
        self.segments += len(texts)
        return [pseudo_translate(text, target) for text in texts]


def pseudo_translate(text: str, target: str = "xx") -> str:
    """Accent every letter outside placeholder tokens and pad by about a third."""
    parts = _TOKEN_OR_WORD.split(text)
    accented = "".join(part if _TOKEN_OR_WORD.fullmatch(part) else part.translate(_ACCENTS) for part in parts)
    padding = "·" * max(1, len(text) // 3)
    return f"⸨{accented} {padding}⸩"
