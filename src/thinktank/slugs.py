"""ASCII slugs transliterated from Turkish and Russian, safe as path parts."""

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
    """Latin-ASCII rendering of ``text`` (Turkish and Russian by table, the rest by NFKD)."""
    # "İ".lower() is "i̇" (i + combining dot); map it first so no dot survives.
    text = text.replace("İ", "i").lower()
    mapped = "".join(_TABLE.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", mapped)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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
