"""PO catalogs, one per page and language, with gettext merge semantics.

``translations/<lang>/<page>.po`` mirrors ``docs/<page>.md``. An entry is
*reviewed* when it is not fuzzy; machine drafts are fuzzy and say where they
came from in an automatic comment. Merging a page's current segments never
touches an entry whose msgid is still current; a changed segment gets a new
fuzzy entry that keeps the old msgid as ``#|``; a vanished one becomes
obsolete. Files are written only when their bytes change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import CatalogError
from .fsutil import atomic_write_text
from .segments import Segment

PLURAL_FORMS = {
    "tr": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
LANGUAGE_TEAMS = {"tr": "Turkish", "ru": "Russian"}
SIMILARITY = 0.6
"""How alike an old and a new msgid must be for the new one to count as an edit of the old."""


@dataclass(frozen=True)
class Draft:
    """A proposed msgstr for a msgid, with its provenance and QA findings."""

    text: str
    comment: str
    """Provenance, e.g. "machine draft: argos translate-en_tr 1.9"."""
    problems: tuple[str, ...] = ()
    reviewed: bool = False
    """True only when reused from a reviewed entry (translation memory)."""


@dataclass
class MergeResult:
    catalog: polib.POFile
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)


def catalog_path(translations_dir: Path, lang: str, page_uri: str) -> Path:
    return translations_dir / lang / Path(page_uri).with_suffix(".po")


def new_catalog(lang: str, page_uri: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.header = f"Translations of docs/{page_uri} into {LANGUAGE_TEAMS.get(lang, lang)}.\nKept by thinktank translate; a non-fuzzy entry is a reviewed one."
    po.metadata = {
        "Project-Id-Version": f"thinktank {page_uri}",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": _now(),
        "Last-Translator": "thinktank <machine drafts>",
        "Language-Team": LANGUAGE_TEAMS.get(lang, lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(lang, "nplurals=2; plural=(n != 1);"),
        "X-Generator": "thinktank",
    }
    return po


def load(path: Path, lang: str, page_uri: str) -> polib.POFile:
    """The catalog at ``path``, or a new empty one; ``CatalogError`` if it is not valid PO."""
    if not path.exists():
        return new_catalog(lang, page_uri)
    try:
        _check_syntax(path.read_text(encoding="utf-8"), path)
        po = polib.pofile(str(path), wrapwidth=0, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(path, f"not a readable PO file: {exc}") from exc
    po.wrapwidth = 0
    return po


_PO_LINE = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"')


def _check_syntax(text: str, path: Path) -> None:
    """Refuse what polib would silently accept, such as an unterminated string.

    A catalog polib misread would be rewritten from the misreading, losing a
    translator's work, so a broken file stops the run instead.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
            raise CatalogError(path, f"not a readable PO file: line {number} is not PO syntax: {stripped[:60]!r}")


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def needed(po: polib.POFile, segments: list[Segment]) -> list[str]:
    """The msgids of ``segments`` that have no entry in ``po`` yet."""
    current = {entry.msgid for entry in po}  # an obsolete entry comes back to life
    return list(dict.fromkeys(segment.text for segment in segments if segment.text not in current))


def merge(po: polib.POFile, segments: list[Segment], page_uri: str, drafts: dict[str, Draft]) -> MergeResult:
    """Bring ``po`` in line with ``segments``; ``drafts`` supplies every new msgid's msgstr."""
    result = MergeResult(po)
    live = {entry.msgid: entry for entry in po if not entry.obsolete}
    dormant = {entry.msgid: entry for entry in po if entry.obsolete}
    wanted = _occurrences(segments, page_uri)
    vanished = [msgid for msgid in live if msgid not in wanted]
    entries = []
    for msgid, occurrences in wanted.items():
        entry = live.get(msgid)
        if entry is None and msgid in dormant:
            entry = dormant.pop(msgid)
            entry.obsolete = False
        if entry is None:
            previous = _closest(msgid, vanished)
            if previous is not None:
                vanished.remove(previous)
                result.changed.append(msgid)
            else:
                result.added.append(msgid)
            entry = _draft_entry(msgid, drafts[msgid], previous)
        entry.occurrences = occurrences
        entries.append(entry)
    for msgid in vanished:
        old = live[msgid]
        old.obsolete = True
        old.occurrences = []
        result.obsolete.append(msgid)
        entries.append(old)
    entries += [entry for entry in dormant.values() if entry.msgid not in vanished]
    po[:] = entries
    return result


def _occurrences(segments: list[Segment], page_uri: str) -> dict[str, list[tuple[str, str]]]:
    wanted: dict[str, list[tuple[str, str]]] = {}
    for segment in segments:
        wanted.setdefault(segment.text, []).append((page_uri, segment.location))
    return wanted


def _closest(msgid: str, candidates: list[str]) -> str | None:
    best, best_ratio = None, SIMILARITY
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, msgid, candidate, autojunk=False).ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


def _draft_entry(msgid: str, draft: Draft, previous: str | None) -> polib.POEntry:
    comments = [draft.comment, *(f"qa: {problem}" for problem in draft.problems)]
    entry = polib.POEntry(msgid=msgid, msgstr=draft.text, comment="\n".join(comments))
    if not draft.reviewed:
        entry.flags.append("fuzzy")
        if previous is not None:  # "#|" only means something on a fuzzy entry
            entry.previous_msgid = previous
    return entry


def render(po: polib.POFile) -> str:
    return str(po) if str(po).endswith("\n") else f"{po}\n"


_REVISION = re.compile(r'^"PO-Revision-Date: [^"]*"$', re.M)


def _now() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds), in PO header form."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


def save(po: polib.POFile, path: Path) -> bool:
    """Write ``po`` if it differs from the file in more than its revision date.

    Like Sphinx's ``should_write``: an unchanged catalog keeps its bytes, so a
    run with no source change leaves every file as it was.
    """
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if _REVISION.sub("", old) == _REVISION.sub("", render(po)):
            return False
    po.metadata["PO-Revision-Date"] = _now()
    atomic_write_text(path, render(po))
    return True


def translations(po: polib.POFile) -> dict[str, polib.POEntry]:
    """Live entries with a msgstr, by msgid: what a page can be rendered from."""
    return {entry.msgid: entry for entry in po if not entry.obsolete and entry.msgstr}
