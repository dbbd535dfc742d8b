"""The text-dump importer: raw text copied from a web page or a PDF -> Article.

Parsing runs in small passes over blocks (runs of lines between blank lines):
drop chrome, take the title, take the notes, take the byline, mend paragraphs
broken at page boundaries, then rewrite inline markup. What the text does not
say is left empty and reported as a warning, never guessed.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..authors import author_id, normalise_name
from ..errors import ArticleFormatError
from ..footnotes import note_number
from ..models import Article
from .assemble import Parsed, assemble, names_in
from .characters import clean_source
from .decoding import decode, looks_binary
from .profile import Profile, find_date, is_date_line, language_codes
from .profiles import choose_profile
from .registry import Importer, ImportOptions

MAX_TITLE = 200
_TERMINAL = tuple(".!?:;\"”’)»]")
_DEAD_LINK = re.compile(r"\[([^\]\n]+)\]\(#\)")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_ENDS_WITH_MARKER = re.compile(r"(?:\[\d+\])+$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on",
                "or", "nor", "the", "to", "with", "vs", "via", "over", "under", "between", "against"}
_RUN_IN = re.compile(r"(?P<head>[A-Z][^.!?:\[\]*\n]{2,120}[.:])\s+(?P<rest>\S.*)", re.S)


@dataclass
class ParsedDump:
    """What the passes found, before it becomes an Article."""

    title: str
    blocks: list[list[str]]
    languages: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    bio: str = ""
    bios: dict[str, str] = field(default_factory=dict)
    date: dt.date | None = None
    removed: Counter[str] = field(default_factory=Counter)
    dropped: list[str] = field(default_factory=list)
    """Lines that were not chrome by pattern but were left out (lines above the title): said in a warning."""


@dataclass
class Head:
    """The top of a dump: chrome, then the title, then maybe a byline, its role line and a date."""

    title: str = ""
    names: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    date: dt.date | None = None
    skipped: list[str] = field(default_factory=list)
    """Candidate lines above the title: site and section names, left out with a warning."""
    after: list[str] = field(default_factory=list)
    """Candidate lines under the title and above the text: subheadings, which stay in the body."""
    end: int = 0


def accepts(data: bytes) -> bool:
    """Any text: the fallback importer takes whatever is not binary (a UTF-16 dump's NULs included)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not looks_binary(data.removeprefix(codecs.BOM_UTF8))


def declines(data: bytes) -> str:
    return "looks like a binary file"


def parse(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """Decode, pick the site profile (the one named in ``options``, else by signature lines), parse."""
    decoded = decode(data, path)
    profile = choose_profile(decoded.text, options.profile)
    article, warnings = parse_text(decoded.text, path, profile)
    if decoded.encoding != "utf-8":
        warnings.insert(0, f"{path}: not UTF-8; decoded as {decoded.encoding_name}")
    article.source_encoding = decoded.encoding
    return article, warnings


def parse_text(text: str, path: Path, profile: Profile) -> tuple[Article, list[str]]:
    """Parse one dump into an :class:`Article`; returns (article, warnings)."""
    removed: Counter[str] = Counter()
    # A form feed is a PDF's page break: a paragraph boundary, mended later if it cut a sentence.
    lines = _lines(clean_source(text.replace("\f", "\n\n"), removed))
    languages = _take_languages(lines, profile)
    running = _drop_running_lines(lines)
    head = _take_head(lines, profile, path)
    blocks = _drop_chrome([[line] for line in head.after] + _blocks(lines[head.end:]), profile)
    dump = ParsedDump(title=head.title, blocks=blocks, languages=languages, removed=removed,
                      date=head.date or next((find_date(line) for line in running if find_date(line)), None),
                      dropped=head.skipped)
    dump.notes = _take_notes(dump.blocks, profile)
    while len(dump.blocks) > 1 and len(dump.blocks[-1]) == 1 and _LABEL.fullmatch(dump.blocks[-1][0]):
        dump.dropped.append(dump.blocks.pop()[0])  # a widget's label with nothing after it ("Rate:")
    _take_byline(dump, head, profile)
    return _to_article(dump, path, profile)


# --- Lines, blocks and chrome -----------------------------------------------------

def _lines(text: str) -> list[str]:
    """Lines with runs of white space made one space; a blank line is ""."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    return [" ".join(raw.split()) for raw in text.split("\n")]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of lines between blank lines; a run of whole paragraphs (a web copy) is one block per line."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            blocks.extend([[each] for each in current] if _line_per_paragraph(current) else _wrapped(current))
            current = []
    return blocks


def _wrapped(block: list[str]) -> list[list[str]]:
    """A hard-wrapped run of lines cut into paragraphs: a paragraph's last line ends a sentence well
    short of the wrapping width (how pdftotext's output shows a paragraph end without a blank line)."""
    if len(block) < 4:
        return [block]
    width = sorted(len(line) for line in block)[len(block) * 3 // 4]
    paragraphs: list[list[str]] = [[]]
    for line in block:
        paragraphs[-1].append(line)
        if len(line) < 0.7 * width and _ENDS_WITH_MARKER.sub("", line).endswith(_SENTENCE_END):
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


def _line_per_paragraph(block: list[str]) -> bool:
    """Whether a block's lines are paragraphs of their own (copied from a web page with one newline
    between them) rather than one paragraph hard-wrapped (a PDF): the lines are long, or most of them
    end a sentence; a hard wrap ends a line at a sentence's end only by chance."""
    if len(block) < 2:
        return False
    lengths = sorted(len(line) for line in block)
    ending = sum(1 for line in block if _ENDS_WITH_MARKER.sub("", line).endswith(_SENTENCE_END))
    return lengths[len(lengths) // 2] > 120 or len(block) >= 3 and ending * 3 >= 2 * len(block)


def _take_languages(lines: list[str], profile: Profile) -> list[str]:
    pattern = re.compile(profile.languages_line)
    for index, line in enumerate(lines):
        match = pattern.fullmatch(line)
        if match:
            del lines[index]
            return language_codes(match.group("languages"))
    return []


def _drop_running_lines(lines: list[str]) -> list[str]:
    """Remove a PDF's running headers and footers; returns the lines removed.

    A running line is one that recurs (digits aside: "PISM BULLETIN 3") at
    least three times, each time at a page boundary: next to a blank line, a
    page counter or the file's edge. A note line ("[2] Ibid.") never counts.
    """
    def at_boundary(index: int) -> bool:
        return any(not 0 <= near < len(lines) or not lines[near] or _PAGE_COUNTER.fullmatch(lines[near])
                   for near in (index - 1, index + 1))

    spots: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line and len(line) <= 160:
            spots.setdefault(_DIGITS.sub("#", line), []).append(index)
    drop: list[int] = []
    for key, found in spots.items():
        if len(found) < 3 or not any(char.isalpha() for char in key) or _NOTE_LIKE.match(key) \
                or key.endswith(_SENTENCE_END) or _MARKER_IN.search(lines[found[0]]):
            continue
        boundary = [index for index in found if at_boundary(index)]
        if len(boundary) >= 3:
            drop += boundary
    drop.sort()
    removed = [lines[index] for index in drop]
    for index in reversed(drop):
        del lines[index]
    return removed


def _drop_chrome(blocks: list[list[str]], profile: Profile) -> list[list[str]]:
    kept = [[line for line in block if not profile.is_chrome(line)] for block in blocks]
    return [block for block in kept if block]


# --- Head: title, byline, date ------------------------------------------------------

def _take_head(lines: list[str], profile: Profile, path: Path) -> Head:
    """Read the top of the dump: chrome lines (a date among them is kept), title candidates, a byline.

    The title is the last candidate line before the byline or the first body
    line: site names, section names and menu words stand above it.
    """
    head = Head()
    candidates: list[str] = []
    score: list[float] = []
    index = previous = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not line:
            pass
        elif profile.is_head_chrome(line):
            head.date = head.date or find_date(line)
            if candidates and lines[previous] == candidates[-1] and is_date_line(line):
                score[-1] += 2  # a date right under a line: that line is the title
        elif candidates and (byline := _byline(line)) and _plausible_byline(line, byline[0], lines) and (
                max(score) >= 1 or _EXPLICIT_BY.match(line)):  # under only "Analiz", the line is the title
            head.names, head.role = byline
            score[-1] += 3  # the byline stands under the title
            index = _take_role_and_date(lines, index + 1, profile, head)
            break
        elif _is_body(line, following) or _title_problem(line):
            break
        else:
            candidates.append(line)
            score.append(_title_score(line) + 0.01 * len(candidates))
        if line:
            previous = index
        index += 1
    head.end = index
    if not candidates:
        first = lines[index] if index < len(lines) else ""
        problem = _title_problem(first) if first else None
        if not first:
            raise ArticleFormatError(path, "no recognisable title: the file has no text besides page chrome")
        raise ArticleFormatError(path, f"no recognisable title: the first line {problem or 'is a paragraph'}"
                                 " (put the title on a line of its own above the text)")
    best = max(range(len(candidates)), key=score.__getitem__)
    head.title, head.skipped, head.after = candidates[best], candidates[:best], candidates[best + 1:]
    if not head.names and profile.byline != "end":
        context = " ".join(line for line in lines if line != head.title)
        head.title, head.names = split_title_byline(head.title, context)
    return head


def _title_score(line: str) -> float:
    """How much a head line looks like a title rather than a site, section or menu name."""
    words = line.split()
    score = 2.0 if len(words) >= 3 or ":" in line else 0.0
    if line.isupper():
        score -= 2  # "REGIONAL AFFAIRS", "ANALYSIS": a section
    return score


def _take_role_and_date(lines: list[str], index: int, profile: Profile, head: Head) -> int:
    """After a byline: a date line, and the author's role ("Director of the Programme"), up to the body."""
    while index < len(lines):
        line = lines[index]
        if line and profile.is_head_chrome(line):
            head.date = head.date or find_date(line)
        elif (line and not head.role and _ROLE.search(line) and len(line) < 160 and not _MARKER_IN.search(line)
              and not line.endswith(_SENTENCE_END)):
            head.role.append(line)
        elif line:
            break
        index += 1
    return index


def _plausible_byline(line: str, names: list[str], lines: list[str]) -> bool:
    """A line of capitalised words under the title is a byline when it says "By", or no surname is a
    common English word ("Running Head" is a subheading), or the surname recurs (an author box)."""
    if _EXPLICIT_BY.match(line):
        return True
    common = _stoplist("English")
    if not any(name.split()[-1].lower() in common for name in names):
        return True
    return _confirmed(names, " ".join(other for other in lines if other != line))


def _byline(line: str) -> tuple[list[str], list[str]] | None:
    """(names, role) when ``line`` is a byline: "By A and B", "A, B", "A / Director of X"."""
    names = names_in(line)
    if names:
        return names, []
    for separator in (" / ", " | ", " – ", " — ", ", "):
        left, found, right = line.partition(separator)
        if found and _ROLE.search(right):
            names = names_in(left)
            if names:
                return names, [right.strip()]
    return None


def split_title_byline(title: str, context: str) -> tuple[str, list[str]]:
    """Split a byline off a title line: "Title | Evaluation Note by A and B", "Title / Name", "Title — Name".

    An explicit "by" suffices; otherwise the names must be confirmed, by the
    surname appearing elsewhere in the dump (an author box) or by having no
    common word ("Ukraine — A Year On" is a title, not a byline).
    """
    for pattern in _TITLE_BYLINES:
        match = pattern.fullmatch(title)
        if not match:
            continue
        byline = match.group("byline")
        names = names_in(byline)
        explicit = bool(re.match(r"(?i)(?:\S+\s+){0,3}by\s", byline)) or "by" in pattern.groupindex
        if names and (explicit or _confirmed(names, context)):
            return match.group("title").strip(), names
    return title, []


def _confirmed(names: list[str], context: str) -> bool:
    words = [word for name in names for word in name.split()]
    common = _common_words(context)
    folded = _fold(context)
    return all(re.search(rf"(?<!\w){re.escape(_fold(name.split()[-1]))}(?!\w)", folded) for name in names) or \
        not any(word.lower().strip(".") in common for word in words)


def _is_body(line: str, following: str) -> bool:
    """Whether ``line`` starts the article text rather than being a title or a heading above it."""
    words = line.split()
    if _IDEOGRAPHS.search(line) and len(words) < len(line) // 4:
        words = list(line[::2])  # Chinese or Japanese: no spaces, about two characters a word
    if len(line) > MAX_TITLE or _MARKER_IN.search(line):
        return True  # a title carries no note marker
    if line.endswith(_SENTENCE_END) and len(words) >= 6:
        return not line.endswith(("?", "!", "?”", "!”")) or _capital_share(words) < 0.5 or len(words) >= 14
    if following[:1].islower() and len(words) >= 3:
        return True  # a hard-wrapped paragraph goes on in lower case
    return len(words) >= 10 and bool(following) and _capital_share(words) < 0.4


def _capital_share(words: list[str]) -> float:
    """The share of longer words that are capitalised: near 1 in a headline, low in a sentence."""
    long = [word for word in words if sum(char.isalpha() for char in word) >= 4]
    return sum(1 for word in long if word[0].isupper()) / len(long) if long else 1.0


def _title_problem(line: str) -> str | None:
    if len(line) > MAX_TITLE:
        return f"is a {len(line)}-character paragraph, too long for a title"
    if not any(char.isalpha() for char in line):
        return f"{line!r} has no words"
    if line.endswith((".", ",", ";")) and not line.endswith("..."):
        return f"{line[:60]!r} reads as a sentence, not a title"
    if re.match(r"\[\d+\]", line):
        return f"{line[:60]!r} is a footnote"
    return None


# --- Notes ----------------------------------------------------------------------

def _take_notes(blocks: list[list[str]], profile: Profile) -> list[tuple[int, str]]:
    """Remove note definitions from ``blocks`` and return them as (number, text)."""
    note_line = re.compile(profile.note_line)
    listed = re.compile(profile.listed_note_line)
    heading = re.compile(profile.notes_heading) if profile.notes_heading else None
    notes: list[tuple[int, str]] = []
    kept: list[list[str]] = []
    in_list = False
    for block in blocks:
        if heading and len(block) == 1 and heading.fullmatch(block[0].rstrip(":")):
            in_list = True
            continue
        patterns = (note_line, listed) if in_list else (note_line,)
        if not _starts_note(block[0], patterns):
            kept.append(block)
            continue
        for line in block:
            match = _starts_note(line, patterns)
            if match:
                notes.append((note_number(match.group("number")), match.group("text").strip()))
            elif notes:
                notes[-1] = (notes[-1][0], f"{notes[-1][1]} {line}")
    blocks[:] = kept
    return notes


def _starts_note(line: str, patterns: tuple[re.Pattern[str], ...]) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.fullmatch(line)
        if match:
            return match
    return None


# --- Byline and author box ---------------------------------------------------------

def _take_byline(dump: ParsedDump, head: Head, profile: Profile) -> None:
    """Names from the head's byline, or from an author box at the end; the box's bio goes to the registry.

    When both are there ("By A" under the title, "A\nbio" or "A is ..." at the
    end), the names come from the byline and the bio from the box.
    """
    if head.names and profile.byline != "end":
        dump.names = head.names
    if profile.byline in ("end", "either") or dump.names:
        _take_author_box(dump, profile)
    if dump.names:
        _take_bio_paragraphs(dump)
    if head.role and dump.names and not dump.bio and not dump.bios:
        dump.bio = " ".join(head.role)  # "Director of the Programme" under the name: the only bio there is


def _take_author_box(dump: ParsedDump, profile: Profile) -> None:
    """An author box at the end: name line(s), maybe repeated, then the biography."""
    for index in range(len(dump.blocks) - 1, max(len(dump.blocks) - 4, -1), -1):
        block = dump.blocks[index]
        names = names_in(block[0])
        if not names or (dump.names and _ids(names) != _ids(dump.names)):
            continue
        rest = block[1:]
        later = dump.blocks[index + 1:]
        while rest and names_in(rest[0]) == names:
            rest = rest[1:]
        while not rest and later and len(later[0]) == 1 and names_in(later[0][0]) == names:
            later = later[1:]
        bio_blocks = [" ".join(rest)] if rest else []
        bio_blocks += [" ".join(each) for each in later]
        if (profile.byline == "either" or dump.names) and not bio_blocks:
            continue
        while index and dump.blocks[index - 1] == [block[0]]:
            index -= 1  # the name repeated above, as a box's heading
        dump.names = dump.names or names
        dump.bio = "\n\n".join(bio_blocks)
        del dump.blocks[index:]
        return


def _take_bio_paragraphs(dump: ParsedDump) -> None:
    """Closing paragraphs that open with an author's name ("A is a fellow at ...") are bios, one per name."""
    if dump.bio:
        return
    folded = {name: _fold(_HONORIFIC_OR_SUFFIX.sub("", name).strip()) for name in dump.names}
    while dump.blocks and len(dump.blocks) > 1:
        # A line that is only a name ("ION POPA") heads that author's box: it is not bio text.
        lines = [line for line in dump.blocks[-1] if _fold(line) not in folded.values()]
        if not lines:
            del dump.blocks[-1]
            continue
        text = " ".join(lines)
        if len(text) > 1500 or not _opens_with_name(text, folded.values()):
            return
        starts = "|".join(re.escape(name.split()[0]) for name in dump.names)
        pieces = re.split(rf"(?<=[.!?])\s+(?=(?i:{starts})\b)", text)
        owner = ""
        for piece in pieces:
            starter = next((name for name, fold in folded.items() if _starts_with(piece, fold)), "")
            owner = starter or owner
            dump.bios[owner] = f"{dump.bios.get(owner, '')} {piece}".strip()
        del dump.blocks[-1]
    return


def _opens_with_name(text: str, folded_names: Iterable[str]) -> bool:
    return any(_starts_with(text, fold) for fold in folded_names)


def _starts_with(text: str, folded_name: str) -> bool:
    head = _fold(text[: len(folded_name) + 1])
    return head.startswith(folded_name) and not head[len(folded_name):len(folded_name) + 1].isalpha()


def _fold(text: str) -> str:
    """Case-blind and dot-blind over i: "ÖZKIR", "Özkır" and "ÖZKİR" compare equal."""
    return text.replace("İ", "i").replace("I", "i").replace("ı", "i").casefold()


def _ids(names: list[str]) -> list[str]:
    return [author_id(normalise_name(name)) for name in names]


@functools.lru_cache(maxsize=8)
def _stoplist(language: str) -> frozenset[str]:
    import justext  # maintained stop-word lists (a trafilatura dependency already installed)

    try:
        return frozenset(justext.get_stoplist(language))
    except ValueError:
        return frozenset()


def _common_words(text: str) -> frozenset[str]:
    return _stoplist("English") | _stoplist(_STOPLIST_NAMES.get(detect_language(text), "English"))


# --- Paragraphs ---------------------------------------------------------------------

def _paragraphs(blocks: list[list[str]]) -> list[str]:
    """Join hard-wrapped lines, then paragraphs a page break cut in two.

    Pieces are collected and joined once, and every test looks only at the
    end of the text so far: a dump of one 100,000-line block stays linear.
    """
    paragraphs: list[list[str]] = []
    words = 0
    for block in blocks:
        text = _join_lines(block)
        if paragraphs and _continues(paragraphs[-1][-1], text, words):
            _join_onto(paragraphs[-1], text)
            words += text.count(" ") + 1
        else:
            paragraphs.append([text])
            words = text.count(" ") + 1
    return ["".join(pieces) for pieces in paragraphs]


def _join_lines(lines: list[str]) -> str:
    pieces = [lines[0]]
    for line in lines[1:]:
        _join_onto(pieces, line)
    return "".join(pieces)


def _join_onto(pieces: list[str], right: str) -> None:
    """Append ``right`` to the text ``pieces`` make; the last piece is always text, never a separator.

    A hyphen at a line's end before a lower-case letter breaks a word
    ("Lukashen-" "ka"); before a capital or a digit it is a real hyphen
    ("Russian-" "Turkish") and stays, without a space.
    """
    left = pieces[-1]
    if _HYPHENATED.search(left[-2:]):
        if right[:1].islower():
            pieces[-1] = left[:-1]
        pieces.append(right)
    else:
        pieces[-1] = left + " "
        pieces.append(right)


def _continues(previous: str, text: str, words: int) -> bool:
    """Whether ``text`` goes on the paragraph whose last piece is ``previous`` (of ``words`` words so far).

    A page break cuts a sentence: the next part starts in lower case, or the
    paragraph so far is long and stops on a lower-case word with no
    punctuation ("deployments of" / "Allied troops"); a short line so is a heading.
    """
    if previous.endswith(_TERMINAL) or _ENDS_WITH_MARKER.search(previous[-64:]):
        return False
    if text[:1].islower() or previous.endswith((",", "-", "–", "—")):
        return True
    last = previous.rsplit(" ", 1)[-1]
    return words >= 10 and last[:1].islower() and text[:1].isupper()


def _run_in_heading(paragraph: str) -> str:
    """Bold a leading title-case phrase that ends in a full stop ("Conclusions. ...")."""
    match = _RUN_IN.fullmatch(paragraph)
    if not match or not _is_title_case(match.group("head")):
        return paragraph
    return f"**{match.group('head')}** {match.group('rest')}"


def _is_title_case(phrase: str) -> bool:
    words = phrase.rstrip(".:").split()
    if not 2 <= len(words) <= 14:
        return False
    return all(word[0].isupper() or word[0].isdigit() or word in _SMALL_WORDS for word in words)


# --- Literal text ----------------------------------------------------------------------

def escape_markdown(paragraph: str) -> str:
    """Escape what Markdown would read as markup in a dump's plain text, so it reads as written.

    Kept: ``[n]`` note markers and ``*emphasis*`` around words (web copies
    carry it). Escaped: backslashes, code ticks, tags and entities, links and
    reference definitions, ``_x_``, stray ``*``, attribute lists, and a line
    start that would make a heading, quote, list or rule.
    """
    # Each pass runs only when its character is there: a pattern cannot match without it, and most
    # paragraphs hold no backslash, ampersand, tag, bracket or underscore at all.
    text = _ESCAPE_BACKSLASH.sub(r"\\\\", paragraph) if "\\" in paragraph else paragraph
    text = text.replace("`", "\\`").replace("{", "\\{")
    if "&" in text:
        text = _ENTITY.sub("&amp;", text)
    if "<" in text:
        text = _TAG_START.sub("&lt;", text)
    if "[" in text:
        text = _LINK.sub(lambda match: f"\\[{match.group(1)}\\](", text)
        text = text.replace("[^", "\\[^")
    if "_" in text:
        text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _escape_stars(text)
    if text.startswith("["):
        text = _REFERENCE_DEFINITION.sub(lambda match: f"\\[{match.group(1)}\\]:", text)
    return _BLOCK_START.sub(lambda match: f"{match.group(1)}\\{match.group(2)}", text)


def _escape_stars(text: str) -> str:
    if "*" not in text:
        return text
    pieces: list[str] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        pieces.append(text[position:match.start()].replace("*", "\\*"))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:].replace("*", "\\*"))
    return "".join(pieces)


# --- Language ---------------------------------------------------------------------------

def detect_language(text: str) -> str:
    """The dump's language code from its letters: the script, then (for Latin letters) which
    language's common words it uses most; "" when nothing is clear. A cheap check, no model."""
    sample = text[:20000]
    runs = _LETTER_RUN.findall(sample)  # the words; joined, the letters (one regex pass serves both)
    letters = _only_letters("".join(runs))
    if not letters:
        return ""
    scripts = _script_counts(letters)
    script, count = scripts.most_common(1)[0]
    if count * 2 < len(letters):
        return ""
    if script == "cyrillic":
        return "uk" if re.search("[іїєґ]", sample) else "bg" if sample.count("ъ") * 200 > len(letters) else "ru"
    if script == "arabic":
        return "fa" if re.search("[پچژگ]", sample) else "ar"
    if script == "han":
        return "ja" if scripts["kana"] else "zh"
    if script != "latin":
        return script if len(script) == 2 else ""
    words = runs[:3000]
    if len(words) < 5:
        return ""
    counts = Counter(map(str.lower, words))  # each language's function words looked up once, not once per word
    scores = {code: sum(counts[word] for word in _FUNCTION_WORDS[code] if word in counts) / len(words)
              for code in _FUNCTION_WORDS}
    code, score = max(scores.items(), key=lambda pair: pair[1])
    return code if score >= 0.08 else ""


def _letters(sample: str) -> str:
    """The alphabetic characters of ``sample`` (``str.isalpha``), kept by the regex engine."""
    return _only_letters(_NOT_LETTER.sub("", sample))


def _only_letters(kept: str) -> str:
    """What is not "non-word, digit or underscore" is isalpha plus the few numeric non-digits ("²", "½"),
    which a second, rare pass drops."""
    return kept if kept.isalpha() or not kept else "".join(char for char in kept if char.isalpha())


def _script_counts(letters: str) -> Counter[str]:
    """``Counter(_script(char) for char in letters)``: one regex pass over runs of one script's letters
    rather than a Python call per letter (the per-letter loop was a third of importing a text dump), so
    Python works once per change of script, not per letter. A Counter keeps the order in which keys first
    arrive, which is the order of first appearance, as the per-letter Counter's: ``most_common`` breaks
    ties the same way."""
    counts: Counter[str] = Counter()
    for run in _SCRIPT_RUN.finditer(letters):
        counts[run.lastgroup] += run.end() - run.start()  # type: ignore[index]
    return counts


def _script(char: str) -> str:
    point = ord(char)
    if point < 0x250:
        return "latin"
    for low, high, name in _SCRIPTS:
        if low <= point <= high:
            return name
    return "other"


# --- Article ---------------------------------------------------------------------

def _to_article(dump: ParsedDump, path: Path, profile: Profile) -> tuple[Article, list[str]]:
    paragraphs = [escape_markdown(_DEAD_LINK.sub(r"\1", paragraph)) for paragraph in _paragraphs(dump.blocks)]
    summary = ""
    if profile.lead_is_summary and len(paragraphs) > 1:
        summary = paragraphs.pop(0)
    if profile.run_in_headings:
        paragraphs = [_run_in_heading(paragraph) for paragraph in paragraphs]
    language = detect_language("\n".join([dump.title, *paragraphs]))
    parsed = Parsed(title=dump.title, paragraphs=paragraphs, notes=dump.notes, names=dump.names,
                    bio=escape_markdown(dump.bio), bios={name: escape_markdown(bio) for name, bio in dump.bios.items()},
                    summary=summary, languages=dump.languages, removed=dump.removed, date=dump.date,
                    language="" if language == "en" else language)
    article, warnings = assemble(parsed, path, profile)
    if dump.dropped:
        shown = ", ".join(repr(line[:60]) for line in dump.dropped[:6])
        warnings.append(f"{path}: left out {len(dump.dropped)} line(s) above the title as page chrome: {shown}")
    return article, warnings


_SENTENCE_END = (".", "!", "?", "…", ".”", ".\"", "?”", "!”", ".’", ".»", "。", "！", "？", "؟", "۔")
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_PAGE_COUNTER = re.compile(r"(?i)\d{1,3}\s*/\s*\d{1,3}|(page|sayfa|страница|strona)\s+\d+(\s*(of|/|из|z)\s*\d+)?"
                           r"|[-–—]?\s*\d{1,3}\s*[-–—]?")
_HONORIFIC_OR_SUFFIX = re.compile(r",?\s+(?:PhD|Ph\.D\.|MA|MSc|MBA|Jr\.|Sr\.)$|^(?:Dr|Prof)\.\s+")
_EXPLICIT_BY = re.compile(r"(?i)(?:\S+\s+){0,3}by\s|authors?\s*:|yazar(?:lar)?\s*:|автор(?:ы)?\s*:")
_MARKER_IN = re.compile(r"\S\[\d+\]")
_LABEL = re.compile(r"[^\s:][^:]{0,40}:")
_NOTE_LIKE = re.compile(r"\[?[\d#]+[\].)]")
_DIGITS = re.compile(r"\d+")
_ROLE = re.compile(r"(?i)\b(director|fellow|researcher|analyst|professor|lecturer|head|expert|chair|president|"
                   r"editor|associate|adviser|advisor|university|institute|centre|center|programme|program|"
                   r"директор|эксперт|научный|профессор|университет|руководитель|araştırmacı|uzman|profesör|"
                   r"üniversite|direktör|başkan|koordinatör)")
_TITLE_BYLINES = (
    re.compile(r"(?P<title>.+?)\s*\|\s*(?P<byline>[^|]+)"),
    re.compile(r"(?P<title>.+?)\s+[—–]\s+(?P<byline>[^—–]+)"),
    re.compile(r"(?P<title>.+?)\s+/\s+(?P<byline>[^/]+)"),
    re.compile(r"(?P<title>.+?),?\s+(?i:by)\s+(?P<by>(?P<byline>.+))"),
)
_STOPLIST_NAMES = {"tr": "Turkish", "ru": "Russian", "pl": "Polish", "de": "German", "fr": "French",
                   "es": "Spanish", "it": "Italian", "uk": "Ukrainian"}
_FUNCTION_WORDS = {
    "en": frozenset("the of and to in is that for on with as by are was it this from be an which".split()),
    "tr": frozenset("ve bir bu ile için da de olarak olan gibi daha çok ise ancak kadar sonra en ne".split()),
    "pl": frozenset("i w z na się nie do że jest to o jak po od przez oraz także jego dla".split()),
    "de": frozenset("der die und in den von zu das mit sich des auf für ist im nicht ein eine als".split()),
    "fr": frozenset("le la les de des et en un une du est que pour dans qui au sur par pas".split()),
    "es": frozenset("el la de que y en los del se las por un para con una su al es lo".split()),
    "it": frozenset("il di che e la in un per è del della una non con sono le si al".split()),
}
_SCRIPTS = (
    (0x370, 0x3FF, "el"), (0x400, 0x52F, "cyrillic"), (0x530, 0x58F, "hy"), (0x590, 0x5FF, "he"),
    (0x600, 0x6FF, "arabic"), (0x750, 0x77F, "arabic"), (0x10A0, 0x10FF, "ka"), (0x1E00, 0x1EFF, "latin"),
    (0x3040, 0x30FF, "kana"), (0x3400, 0x9FFF, "han"), (0xAC00, 0xD7AF, "ko"), (0xF900, 0xFAFF, "han"),
)
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _script_class(name: str) -> str:
    ranges = ([(0, 0x24F)] if name == "latin" else []) + [(low, high) for low, high, key in _SCRIPTS if key == name]
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


_SCRIPT_NAMES = tuple(dict.fromkeys(["latin"] + [key for _, _, key in _SCRIPTS]))
_SCRIPT_RUN = re.compile("|".join(f"(?P<{name}>[{_script_class(name)}]+)" for name in _SCRIPT_NAMES)
                         + f"|(?P<other>[^{''.join(_script_class(name) for name in _SCRIPT_NAMES)}]+)")
"""A run of one script's letters (its ranges in :data:`_SCRIPTS`; Latin below U+0250 too), or of letters in
none of them: the group that matched names the script."""
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ESCAPE_BACKSLASH = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!>&<|:])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINK = re.compile(r"\[([^\]\n]*)\]\(")
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_EMPHASIS = re.compile(r"(?<![\w*\\])(\*{1,2})(?=[^\s*])[^*\n]*?[^\s*\\]\1(?![\w*])")
_REFERENCE_DEFINITION = re.compile(r"^\[([^\]\n]+)\]:")
_BLOCK_START = re.compile(r"^(\s*\d{0,9})([#>+=]|[-*](?=\s|$|[-*=\s]*$)|(?<=\d)[.)](?=\s|$))")


IMPORTER = Importer("text", "a text dump copied from a web page or PDF (site profile chosen by content)",
                    accepts, declines, parse)
