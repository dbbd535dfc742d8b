"""Author names and the authors registry (one Markdown page per person).

The registry lives in ``docs/authors/<id>.md``: front matter ``title`` (display
name) and ``affiliation``, the biography as the page body. Being ordinary pages,
entries get an author page on the site and are translated like any page.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from . import frontmatter
from .models import Author
from .slugs import slugify

REGISTRY_DIR = "authors"
_TURKISH_LETTERS = set("ÇĞİŞçğış")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SUFFIX_PATTERN = r"Ph\.\s?D\.?|PhD|DPhil|MA|M\.A\.|MSc|M\.Sc\.|MBA|MPhil|LLM|LL\.M\.|BA|BSc|Jr\.?|Sr\.?|II|III|IV|OBE|CBE|KCMG"
_SUFFIX = re.compile(rf"(?:{SUFFIX_PATTERN})")
_HONORIFICS = re.compile(r"^(?:(?:Assoc|Asst|Assist)\.\s*Prof\.?|Prof\.?\s*Dr\.?|Doç\.?\s*Dr\.?|Dr\.?\s*Öğr\.?\s*Üyesi|"
                         r"Dr\.?|Prof\.?|Professor|Doç\.?|Mr\.?|Mrs\.?|Ms\.?|Sir)\s+")
_ADDRESS = re.compile(r"<?\b(?:https?://|www\.)\S+|<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
_PARTICLES = frozenset("van von de der den da di du la le bin ibn al el y ten ter".split())


def lower(text: str, locale: str | None) -> str:
    """Lowercase with the Turkish dotted/dotless i rules when ``locale`` is "tr"."""
    if locale == "tr":
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def casing_locale(name: str, default: str | None = None) -> str | None:
    """The locale whose case rules fit ``name``: Turkish when its letters say so."""
    return "tr" if _TURKISH_LETTERS & set(name) else default


def is_suffix(word: str) -> bool:
    """A degree or generational suffix ("PhD", "MA", "Jr."), which keeps its case and is not in the id."""
    return bool(_SUFFIX.fullmatch(word.strip(",")))


def clean_name(name: str) -> str:
    """A name without a URL or e-mail address beside it ("Jane Doe (jane@x.org)" -> "Jane Doe")."""
    name = _ADDRESS.sub(" ", name)
    name = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", " ", name)
    return " ".join(name.split()).strip(" ,;|/-–—")


def spellings(text: str, keys: Collection[str] | None = None) -> dict[str, str]:
    """The text's own mixed-case spelling of each word, keyed by its capitals (both i rules):
    "Yıldırım" under "YILDIRIM", "McDonald" under "MCDONALD"; where two spellings share a key, the
    first in the text.

    ``keys`` limits the answer to those capitals (the SHOUTED words of the names being recased,
    :func:`shouted_words`): a lookup of one of them answers as the full table would.
    """
    found: dict[str, str] = {}
    for word in dict.fromkeys(_WORD.findall(text)):  # each word once, in the order of the text
        if word.islower() or not word[0].isupper() or word.isupper() or len(word) < 2:
            continue
        for key in (word.upper(), upper(word, "tr")):
            if keys is None or key in keys:
                found.setdefault(key, word)
    return found


def shouted_words(name: str) -> set[str]:
    """The words of ``name`` that :func:`normalise_name` may look up in a spellings table: those of two
    letters or more in capitals. A name without one needs no table at all."""
    return {word for word in _WORD.findall(name) if len(word) >= 2 and word.isupper()}


def upper(text: str, locale: str | None) -> str:
    """Uppercase with the Turkish dotted/dotless i rules when ``locale`` is "tr"."""
    if locale == "tr":
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def normalise_name(name: str, locale: str | None = None, known: dict[str, str] | None = None) -> str:
    """Recase words that arrive SHOUTED ("GÜLTEN" -> "Gülten"); leave mixed case alone.

    The article's own spelling of the word wins (``known``, from
    :func:`spellings`: "YILDIRIM" -> "Yıldırım", "MCDONALD" -> "McDonald");
    otherwise Turkish rules apply when ``locale`` is "tr" or the name holds a
    letter only Turkish uses, so "IŞIK" becomes "Işık" and never "Işik".
    Degrees ("MA", "PhD") keep their case; "VAN DER" particles become lower case.
    """
    name = " ".join(name.split())
    locale = casing_locale(name, locale)
    words = name.split(" ")

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 2 or not word.isupper():
            return word
        if known and word in known:
            return known[word]
        return word[0] + lower(word[1:], locale)

    fixed = []
    for position, word in enumerate(words):
        if is_suffix(word) and position:
            fixed.append(word.capitalize() if word.upper().startswith(("JR", "SR")) else word)
        elif position and word.isupper() and word.lower() in _PARTICLES and position < len(words) - 1:
            fixed.append(word.lower())
        else:
            fixed.append(_WORD.sub(fix, word))
    return " ".join(fixed)


def author_id(name: str) -> str:
    """Registry id of a person: the ASCII slug of the name without honorific, degree or address
    ("Dr. Jane Doe, PhD" and "Jane Doe" are one person)."""
    name = clean_name(name)
    while _HONORIFICS.match(name):
        name = _HONORIFICS.sub("", name, count=1)
    words = name.replace(",", " ").split()
    kept = [word for position, word in enumerate(words) if not (position and is_suffix(word))]
    return slugify(" ".join(kept))


def page_uri(author_id: str) -> str:
    """The docs/-relative path of an author's registry page (and site page)."""
    return f"{REGISTRY_DIR}/{author_id}.md"


def registry_path(docs_dir: Path, author: Author) -> Path:
    return docs_dir / page_uri(author.id)


def render_entry(author: Author) -> str:
    """The registry page of one author."""
    meta = {"title": author.name}
    if author.affiliation:
        meta["affiliation"] = author.affiliation
    return frontmatter.dump(meta, author.bio)


def load_author(path: Path) -> Author:
    meta, body = frontmatter.read(path)
    return Author(
        id=path.stem,
        name=str(meta.get("title") or path.stem),
        affiliation=str(meta.get("affiliation") or ""),
        bio=body.strip(),
    )


def load_registry(docs_dir: Path) -> dict[str, Author]:
    """Every author of the registry, by id."""
    folder = docs_dir / REGISTRY_DIR
    if not folder.is_dir():
        return {}
    return {
        path.stem: load_author(path)
        for path in sorted(folder.glob("*.md"))
        if path.name != "index.md" and "." not in path.stem
    }


def merge_entry(existing: Author | None, incoming: Author, force: bool) -> tuple[Author | None, str]:
    """Decide what to write for ``incoming``; returns (entry to write or None, note).

    The registry is the editors': a name or affiliation they corrected stays,
    an empty bio is filled in (that adds and loses nothing), and a different
    bio replaces theirs only with ``force``. An empty incoming bio never erases one.
    """
    if existing is None:
        return incoming, ""
    if not incoming.bio or incoming.bio == existing.bio:
        return None, ""
    if existing.bio and not force:
        return None, "registry entry kept; the bio in this file differs (use --force to replace it)"
    return replace(existing, bio=incoming.bio), ""
