"""Pseudo-localisation that honours its target and moves markup, as a real translation does.

For previews and tests. Each target gets its own letters, so a page in
"pseudo-Turkish" differs from one in "pseudo-Russian" and code that mixes up
languages shows it: ``tr`` swaps in Turkish letters (ı, ş, ğ, ç, ö, ü), ``ru``
writes Latin letters in Cyrillic, other targets get accented Latin. The text is
about 30% longer, as real translations often are.

Like Sphinx's ``xx`` locale, it also catches code that assumes a translation
keeps the source's order: the sentences of a line (or, in a one-sentence line,
its clauses) come back rotated, the first moved to the end, so the placeholder
tokens of footnote refs, links and emphasis come back in another order, as
Turkish word order does to them. A cut is made only where every markup pair
opened before it is closed (told by the shape of the tokens: one at the start
of a word opens, one at its end closes), so ``**bold**`` and ``[text](url)`` move
whole and the restored page stays the Markdown it was; line breaks stay where
they are, so no line starts a block its source line did not.
"""

from __future__ import annotations

import re

from .. import __version__

_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTERS = {
    "tr": str.maketrans("aciogsuICOGSU", "âçıöğşüİÇÖĞŞÜ"),
    "ru": str.maketrans(_LATIN, "абцдефгхийклмнопярстувшхызАБЦДЕФГХИЙКЛМНОПЯРСТУВШХЫЗ"),
}
_ACCENTS = str.maketrans(_LATIN, "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
"""Any other target."""
_TOKEN = re.compile(r"(⟦\s*\d+\s*⟧)")
_WORD = re.compile(r"\S+")
_OPENING = "\"“‘([«"
_CLOSING = ".,;:!?\"”’)]»"
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"”’)\]]*$")


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
    """Rotate each line's sentences (or clauses), re-letter for ``target`` outside tokens, pad by a third."""
    moved = "\n".join(reorder(line) for line in text.split("\n"))
    letters = _LETTERS.get(target, _ACCENTS)
    lettered = "".join(part if _TOKEN.fullmatch(part) else part.translate(letters) for part in _TOKEN.split(moved))
    padding = "·" * max(1, len(text) // 3)
    return f"⸨{lettered} {padding}⸩"


def reorder(line: str) -> str:
    """The line with its first sentence moved to the end (its first clause, if it is one sentence).

    Cuts fall after a word that ends a sentence (or clause), tokens after its
    punctuation included (``end.⟦3⟧``), and only where no pair of markup
    tokens is open. A line that has no such cut comes back as it was.
    """
    for ends in (_SENTENCE_END, _CLAUSE_END):
        pieces = _cut(line, ends)
        if len(pieces) > 1:
            return " ".join(pieces[1:] + pieces[:1])
    return line


def _cut(line: str, ends: re.Pattern[str]) -> list[str]:
    pieces: list[str] = []
    start = 0
    depth = 0
    for word in _WORD.finditer(line):
        depth = _depth_after(word.group(0), depth)
        if depth == 0 and ends.search(_TOKEN.sub("", word.group(0))) and line[word.end():].strip():
            pieces.append(line[start:word.end()].strip())
            start = word.end()
    pieces.append(line[start:].strip())
    return [piece for piece in pieces if piece]


def _depth_after(word: str, depth: int) -> int:
    """How many markup pairs are open after ``word``, by the shape of its tokens.

    A token with only tokens or opening punctuation before it in the word
    opens (``⟦1⟧bold``); one with only tokens or closing punctuation after it
    closes (``bold⟦2⟧``, ``bold⟦2⟧.``); a word of tokens alone, or a token
    between letters, does neither. A closing token with nothing open is a
    note ref or the like, and leaves the count at zero.
    """
    parts = _TOKEN.split(word)
    for index in range(1, len(parts), 2):
        before, after = "".join(parts[:index:2]), "".join(parts[index + 1::2])
        opens, closes = not before.strip(_OPENING), not after.strip(_CLOSING)
        if opens and not closes:
            depth += 1
        elif closes and not opens:
            depth = max(0, depth - 1)
    return depth
