"""Site profiles: the data that tells the text importer what a site's dumps look like.

A profile says which lines are page chrome, where the byline stands, what a
note definition looks like and whether the lead paragraph is the summary. A
third think tank is a new profile module, not a change to the parser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

# Lines every site's dumps carry that are never article text.
COMMON_CHROME = (
    r"(?i)similar posts|related posts|related articles|read more|share( this)?( article| post)?:?",
    r"(?i)tweet|print|e-?mail|facebook|twitter|linkedin|whatsapp|telegram|download( pdf)?|pdf",
    r"(?i)(page|sayfa|страница|strona) \d+( (of|/|из|z) \d+)?",
    r"\d{1,3}",
    r"\d{1,3}\s*/\s*\d{1,3}",  # a page counter, "1/7"
    r"[-–—]\s*\d{1,3}\s*[-–—]",  # "- 3 -"
    r"(?i)(e-?)?issn:?\s*[\dx-]{8,9}.*",
    r"(?i)(skip to (main )?content|toggle navigation|main menu|back to top|subscribe|newsletter|donate|"
    r"sign in|log in|search|menu|home)",
    r"(?i)(editors?|editor-in-chief|translation|translated by|dtp|proofreading|redakcja|çeviri|editörler?|"
    r"редактор|перевод)\s*:.{0,150}",
    r"(?i)(photo|image|source|credit|fotoğraf|фото)\s*:.{0,120}",
)
"""Whole lines that are page chrome wherever they stand (a colophon, a page counter, share buttons)."""

DISCLAIMER_PHRASES = (
    "do not necessarily reflect", "do not necessarily represent", "do not necessarily state",
    "does not necessarily reflect", "does not necessarily represent", "does not necessarily state",
    "views expressed herein", "views expressed in this", "only represent the views",
    "does not take institutional positions", "all rights reserved", "sole responsibility of the author",
    "yazarın kendi görüşü", "не обязательно отражает",
)
"""What a site's disclaimer says, in lower case; found anywhere in a line of up to 600 characters (from the
start of a word, in any case), the whole line is chrome."""
DISCLAIMER = re.compile(r"(?i)\b(?:" + "|".join(re.escape(phrase) for phrase in DISCLAIMER_PHRASES) + ")")


def _never_in_ascii(phrase: str) -> bool:
    """Whether no ASCII text can hold ``phrase`` case-insensitively as the regex engine compares (which also
    takes "ı" for "i" and "ſ" for "s"): one of its characters has no ASCII equivalent."""
    return any(not any(re.fullmatch(f"(?i){re.escape(char)}", chr(code)) for code in range(128))
               for char in phrase if not char.isascii())


_ASCII_PHRASES = tuple(phrase for phrase in DISCLAIMER_PHRASES if phrase.isascii())
_ASCII_SHORTCUT = all(phrase.isascii() or _never_in_ascii(phrase) for phrase in DISCLAIMER_PHRASES)


def has_disclaimer(line: str) -> bool:
    """``DISCLAIMER.search(line)``, answered without the regex for an ASCII line that holds none of the phrases
    in lower case (the regex engine has no fast scan for a case-blind pattern: a third of reading a dump)."""
    if _ASCII_SHORTCUT and line.isascii():
        lowered = line.lower()
        if not any(phrase in lowered for phrase in _ASCII_PHRASES):
            return False
    return DISCLAIMER.search(line) is not None


def one_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of whole-line patterns (a leading ``(?i)`` scoped to its own branch): one regex
    call per line instead of one per pattern, so a 10,000-line dump stays fast."""
    branches = [f"(?i:{pattern[4:]})" if pattern.startswith("(?i)") else f"(?:{pattern})" for pattern in patterns]
    return re.compile("|".join(branches))

HEAD_CHROME = (
    r"[^\s:][^:]{0,40}:",  # a label: "Analysis:", "Commentary:"
    r"(?i)(upload(ed)?|published|updated|posted|date|yayın tarihi|tarih|güncelleme|опубликовано|"
    r"обновлено|дата)( on)?\s*:?\s+.{0,60}",
    r"[^>»]{1,60}(\s+[>»]\s+[^>»]{1,60}){1,6}",  # a breadcrumb: "Home > Analyses > ..."
    r"[^/]{1,40}(\s+/\s+[^/]{1,40}){2,6}",  # "Home / Analyses / Europe" (one slash may be "Title / Name")
    r"(?i)no\.?\s*\d+\s*\(\d+\).{0,80}",  # "No. 12 (1234), 8 July 2015"
    r"(?i).{0,80}\b(number|nr|no|issue|sayı|выпуск)\.?\s+\d+\b.{0,40}(www\.|https?://)\S+",  # a PDF header
    r"(https?://|www\.)\S+|\S+@\S+\.\w+",  # an address alone
    r".{0,60}©.{0,60}",
)
"""Lines that are chrome before the title only (in the body a label or a date line may be text)."""

MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
):
    for _number, _name in enumerate(_names.split(), 1):
        MONTHS.setdefault(_name, _number)
MONTHS["sept"] = 9
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_DATES = (
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<num>\d{1,2})\.(?P<year>(19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(19|20)\d\d)-(?P<num>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"(?i)\b(?P<day>\d{{1,2}})(st|nd|rd|th)?\s+(of\s+)?{_MONTH},?\s+(?P<year>(19|20)\d\d)\b"),
    re.compile(rf"(?i)\b{_MONTH}\s+(?P<day>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<year>(19|20)\d\d)\b"),
)
_DATE_ONLY = re.compile(r"(?i)[^\W\d_]{0,12},?\s*(?P<date>.{6,30}?)\s*(г\.|yıl)?\s*(\d{1,2}:\d\d(:\d\d)?)?")


def find_date(text: str) -> dt.date | None:
    """The first real calendar date written in ``text`` ("08.07.2015", "July 8, 2015", "8 Temmuz 2015",
    "08 июля 2015", "2015-07-08"), or None; ambiguous slashed dates are never guessed."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["num"]) if parts.get("num") else MONTHS.get(parts["month"].lower())
            if month is None:
                continue
            try:
                found.append((match.start(), dt.date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


def is_date_line(line: str) -> bool:
    """A line that is only a date (a weekday or a time beside it allowed): "Wednesday, 8 July 2015 14:22"."""
    match = _DATE_ONLY.fullmatch(line)
    return bool(match) and find_date(line) is not None and len(line) <= 48

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
    languages_line: str = (r"(?:This post is also available in|Bu yazı aynı zamanda şu dillerde de mevcuttur|"
                           r"Эта запись также доступна на):\s*(?P<languages>.*)")
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
    chrome_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    head_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    signature_patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chrome_pattern", one_pattern((*COMMON_CHROME, *self.chrome)))
        object.__setattr__(self, "head_pattern", one_pattern(HEAD_CHROME))
        object.__setattr__(self, "signature_patterns", tuple(re.compile(pattern) for pattern in self.signatures))

    def is_chrome(self, line: str) -> bool:
        return bool(self.chrome_pattern.fullmatch(line)) or len(line) <= 600 and has_disclaimer(line)

    def is_head_chrome(self, line: str) -> bool:
        """Chrome that only stands before the title: labels, dates, breadcrumbs, PDF headers (or anywhere's)."""
        return self.is_chrome(line) or is_date_line(line) or bool(self.head_pattern.fullmatch(line))

    def matches(self, lines: list[str]) -> int:
        """How many signature lines of this profile the dump has."""
        return sum(1 for line in lines for pattern in self.signature_patterns if pattern.fullmatch(line))


def language_codes(names: str) -> list[str]:
    """Codes for a switcher's language names ("Türkçe Русский" -> ["tr", "ru"])."""
    codes = []
    for word in re.split(r"[\s,|/]+", names.strip()):
        code = LANGUAGE_NAMES.get(word.lower())
        if code and code not in codes:
            codes.append(code)
    return codes
