"""Site profiles: the data that tells the text importer what a site's dumps look like.

A profile says which lines are page chrome, where the byline stands, what a
note definition looks like and whether the lead paragraph is the summary. A
third think tank is a new profile module, not a change to the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# Lines every site's dumps carry that are never article text.
COMMON_CHROME = (
    r"(?i)similar posts|related posts|related articles|read more|share( this)?( article| post)?:?",
    r"(?i)tweet|print|e-?mail|facebook|twitter|linkedin|whatsapp|telegram",
    r"(?i)page \d+( of \d+)?",
    r"\d{1,3}",
)

LANGUAGE_NAMES = {
    "english": "en", "türkçe": "tr", "turkish": "tr", "русский": "ru", "russian": "ru",
    "polski": "pl", "deutsch": "de", "français": "fr", "español": "es", "العربية": "ar",
    "中文": "zh", "日本語": "ja", "한국어": "ko", "українська": "uk", "azərbaycan": "az",
}


@dataclass(frozen=True)
class Profile:
    name: str
    publisher: str = ""
    category: str = ""
    casing_locale: str | None = None
    """Locale whose case rules fix SHOUTED names ("tr" for Turkish sites)."""
    chrome: tuple[str, ...] = ()
    """Regexes matching whole lines of page chrome, dropped before parsing."""
    languages_line: str = r"This post is also available in:\s*(?P<languages>.*)"
    """A line listing the languages the source site offered; recorded, then dropped."""
    signatures: tuple[str, ...] = ()
    """Regexes (whole line) that identify this site's dumps for ``--profile auto``."""
    byline: Literal["after_title", "end", "either"] = "either"
    lead_is_summary: bool = False
    run_in_headings: bool = True
    note_line: str = r"\[(?P<number>[0-9]+)\]\s*(?P<text>.*)"
    notes_heading: str | None = r"(?i)(?:end)?notes|footnotes|references|sources"
    """A line that opens a notes list whose items may also read ``1. text``."""
    # Note numbers have no digit limit here: a definition not matched would be
    # glued to the note before it; footnotes.MAX_NOTES refuses absurd numbers.
    listed_note_line: str = r"(?P<number>[0-9]+)[.)]\s+(?P<text>.*)"
    chrome_patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = tuple(re.compile(pattern) for pattern in (*COMMON_CHROME, *self.chrome))
        object.__setattr__(self, "chrome_patterns", compiled)

    def is_chrome(self, line: str) -> bool:
        return any(pattern.fullmatch(line) for pattern in self.chrome_patterns)

    def matches(self, lines: list[str]) -> int:
        """How many signature lines of this profile the dump has."""
        return sum(1 for line in lines for pattern in self.signatures if re.fullmatch(pattern, line))


def language_codes(names: str) -> list[str]:
    """Codes for a switcher's language names ("Türkçe Русский" -> ["tr", "ru"])."""
    codes = []
    for word in re.split(r"[\s,|/]+", names.strip()):
        code = LANGUAGE_NAMES.get(word.lower())
        if code and code not in codes:
            codes.append(code)
    return codes
