"""English sentence splitting for the MT engine: ours, so no NLP stack is needed.

A split happens after ., ! or ? (and a closing quote or bracket) followed by
space and an upper-case letter, digit, opening quote or placeholder, unless
the word before is a known abbreviation ("U.S.", "e.g.", "Dr.").
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vol", "pp", "p", "fig", "eg", "ie", "etc", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "us", "uk", "un", "eu", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "inc", "ltd", "co", "jr", "sr",
}
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’)\]]*)\s+(?=[\"“‘(\[⟦A-Z0-9À-ÖØ-ÞА-Я])")


def split(text: str) -> list[str]:
    """Sentences of ``text``; joining them with single spaces gives the text back."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        if _is_abbreviation(text[start:end]):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _is_abbreviation(sentence: str) -> bool:
    words = sentence.rstrip("\"”’)]").split()
    if not words:
        return False
    last = words[-1].rstrip(".").replace(".", "").lower()
    return last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())
