"""Read a dump's bytes as text, telling UTF-8 from Windows-1254 and Windows-1251.

Editors receive dumps saved by old Windows tools in Turkish or Cyrillic code
pages; guessing wrong would put mojibake on the site, so each candidate is
scored by the letters its decoding produces and the winner is reported.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArticleFormatError

MAX_BYTES = 60 * 1024 * 1024
"""Beyond this no file is read at all; each importer has its own, smaller limit."""
MAX_TEXT_BYTES = 20 * 1024 * 1024
_TURKISH = set("çğıöşüÇĞİÖŞÜâîûÂÎÛ")
_NOT_CONTROL = bytes(byte for byte in range(256) if not (byte < 32 and byte not in (9, 10, 12, 13)))
"""Every byte but the control characters ``looks_binary`` counts (C0 except tab, newline, form feed, return)."""
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1254": "Windows-1254", "cp1251": "Windows-1251"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    """Python codec name: "utf-8", "utf-16", "cp1254" or "cp1251"."""

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; ``ArticleFormatError`` for missing, empty or oversized files."""
    if not path.exists():
        raise ArticleFormatError(path, "no such file")
    if path.is_dir():
        raise ArticleFormatError(path, "is a directory, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArticleFormatError(path, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not an article")
    if size == 0:
        raise ArticleFormatError(path, "file is empty")
    return path.read_bytes()


def decode(data: bytes, path: Path | str = "<bytes>") -> DecodedText:
    if len(data) > MAX_TEXT_BYTES:
        raise ArticleFormatError(path, f"text is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB; not an article dump")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(DecodedText(data.decode("utf-16"), "utf-16"), path)
        except UnicodeDecodeError as exc:  # an odd byte count, a lone surrogate
            raise ArticleFormatError(path, f"starts as UTF-16 but is invalid at byte {exc.start} ({exc.reason}); "
                                           "save it again as UTF-8") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise ArticleFormatError(path, "file is empty")
    if looks_binary(data):
        raise ArticleFormatError(path, "looks like a binary file, not a text dump")
    try:
        return _checked(DecodedText(data.decode("utf-8"), "utf-8"), path)
    except UnicodeDecodeError:
        pass
    candidates = [DecodedText(data.decode(codec, errors="replace"), codec) for codec in ("cp1254", "cp1251")]
    best = max(candidates, key=lambda candidate: _score(candidate, data))
    if _score(best, data) <= 0:
        raise ArticleFormatError(path, "text is neither UTF-8 nor Windows-1254/1251; save it as UTF-8")
    return _checked(best, path)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 1% control characters, in the first 8 KB."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # what deleting every other byte leaves
    return controls > len(sample) // 100


def _score(candidate: DecodedText, data: bytes) -> float:
    """Share of non-ASCII bytes that decode to letters this code page's language uses."""
    high = sum(1 for byte in data if byte >= 0x80) or 1
    text = candidate.text
    if candidate.encoding == "cp1254":
        good = sum(1 for char in text if char in _TURKISH)
    else:
        good = sum(1 for word in text.split() for char in word if _is_cyrillic(char) and _all_cyrillic(word))
    return good / high


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _all_cyrillic(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return bool(letters) and all(_is_cyrillic(char) for char in letters)


def _checked(decoded: DecodedText, path: Path | str) -> DecodedText:
    if not decoded.text.strip():
        raise ArticleFormatError(path, "file is empty")
    return decoded
