"""ASCII slugs in any script, safe as path parts.

Turkish and Russian go through our own tables (the forms our readers expect:
"ş" → "s", "щ" → "shch"); every other script through anyascii, a maintained
transliteration table (Chinese "北约" → "bei-yue", Greek, Arabic...).
"""

from __future__ import annotations

import re
import unicodedata

_TURKISH = {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
_TABLE = {**_TURKISH, **_RUSSIAN}
_SAFE_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80


def transliterate(text: str) -> str:
    """Latin-ASCII rendering of ``text`` (Turkish and Russian by table, accents by NFKD, the rest by
    anyascii; each ideograph is a word of its own, so a Chinese title's slug has hyphens)."""
    from anyascii import anyascii

    # "İ".lower() is "i̇" (i + combining dot); map it first so no dot survives.
    text = text.replace("İ", "i").lower()
    mapped = "".join(_TABLE.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", mapped)
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char if char.isascii() else (f" {anyascii(char)} " if _is_ideograph(char) else anyascii(char))
                   for char in kept).lower()


def _is_ideograph(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and (0x2E80 <= ord(char) <= 0x9FFF or 0xAC00 <= ord(char) <= 0xD7AF
                                                    or 0xF900 <= ord(char) <= 0xFAFF or ord(char) >= 0x20000)


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """A lowercase ``a-z0-9-`` slug; empty when ``text`` has nothing to keep."""
    ascii_text = transliterate(text).replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


def is_safe_part(part: str) -> bool:
    """True when ``part`` can be one path component under docs/ and nothing more."""
    return bool(_SAFE_PART.fullmatch(part))
