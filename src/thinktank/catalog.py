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
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import polib

from . import languages
from . import po as po_file
from .errors import CatalogError
from .fsutil import replace_if_unchanged
from .provenance import Notes, Origin, Provenance
from .qa import Problem
from .segments import Segment

SIMILARITY = 0.6
"""How alike an old and a new msgid must be for the new one to count as an edit of the old."""


@dataclass(frozen=True)
class Draft:
    """A proposed msgstr for a msgid, with its provenance and QA findings."""

    text: str
    provenance: tuple[Provenance, ...]
    problems: tuple[Problem, ...] = ()
    reviewed: bool = False
    """True only when reused from a reviewed entry (translation memory)."""


class EntryState(Enum):
    """What a translator has to do with an entry (``thinktank status`` counts these)."""

    REVIEWED = "reviewed"
    DRAFT = "draft"
    STALE = "stale"
    """Fuzzy because its source changed (it remembers the previous msgid)."""
    UNTRANSLATED = "untranslated"


class PageState(Enum):
    """What a reader of a translated page gets."""

    REVIEWED = "reviewed"
    """Every segment has a reviewed translation (or the page has nothing to translate)."""
    DRAFT = "draft"
    """Some translations are fuzzy or missing."""
    MISSING = "missing"
    """No translation at all: the English page is shown."""


def entry_state(entry: polib.POEntry | None) -> EntryState:
    if entry is None or entry.obsolete or not entry.msgstr:
        return EntryState.UNTRANSLATED
    if "fuzzy" not in entry.flags:
        return EntryState.REVIEWED
    return EntryState.STALE if entry.previous_msgid else EntryState.DRAFT


@dataclass
class MergeResult:
    catalog: polib.POFile
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)


def catalog_path(translations_dir: Path, lang: str, page_uri: str) -> Path:
    return translations_dir / lang / Path(page_uri).with_suffix(".po")


def new_catalog(lang: str, page_uri: str) -> polib.POFile:
    """An empty catalog whose headers (team, plural forms) come from the language's data; ``LanguageError`` without it."""
    language = languages.get(lang)
    po = po_file.Catalog()
    po.header = f"Translations of docs/{page_uri} into {language.name}.\nKept by thinktank translate; a non-fuzzy entry is a reviewed one."
    po.metadata = {
        "Project-Id-Version": f"thinktank {page_uri}",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": _now(),
        "Last-Translator": "thinktank <machine drafts>",
        "Language-Team": language.team,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
        "X-Generator": "thinktank",
    }
    return po


def load(path: Path, lang: str, page_uri: str) -> polib.POFile:
    """The catalog at ``path``, or a new empty one; ``CatalogError`` (file and line) if msgfmt would refuse it."""
    if not path.exists():
        return new_catalog(lang, page_uri)
    return po_file.read(path)


def is_reviewed(entry: polib.POEntry | po_file.Message | None) -> bool:
    """Whether ``entry``'s msgstr is a reviewed translation (:func:`entry_state` REVIEWED), for polib's entries
    and the build's plain messages alike."""
    return entry is not None and not entry.obsolete and bool(entry.msgstr) and "fuzzy" not in entry.flags


Redraft = Callable[[polib.POEntry], bool]
"""Whether an entry is a draft to make again (a preview engine's, when a real engine runs); see ``merge``."""


def needed(po: polib.POFile, segments: list[Segment], redraft: Redraft | None = None) -> list[str]:
    """The msgids of ``segments`` that have no entry in ``po`` yet, or whose live entry ``redraft`` accepts."""
    current = {entry.msgid: entry for entry in po if entry.msgctxt is None}  # an obsolete entry comes back to life
    return list(dict.fromkeys(segment.text for segment in segments if segment.text not in current or (
        redraft is not None and not current[segment.text].obsolete and redraft(current[segment.text]))))


def merge(po: polib.POFile, segments: list[Segment], page_uri: str, drafts: dict[str, Draft],
          redraft: Redraft | None = None) -> MergeResult:
    """Bring ``po`` in line with ``segments``; ``drafts`` supplies every new msgid's msgstr, and the new
    msgstr of a live entry ``redraft`` accepts (its translator comment kept; nothing a person wrote is
    ever accepted: :func:`thinktank.preview.replaceable` takes only fuzzy preview-engine drafts).

    Entries are keyed by (msgctxt, msgid); pages only make context-less ones, so an
    entry with a msgctxt is never matched, only kept (obsolete once its page lacks it).
    A changed segment's entry keeps a translator's msgstr as a fuzzy msgstr, with
    the new machine draft beside it as a suggestion (see ``_edited``).
    """
    result = MergeResult(po)
    live = {(entry.msgctxt, entry.msgid): entry for entry in po if not entry.obsolete}
    dormant: dict[str, polib.POEntry] = {}
    for entry in po:
        if entry.obsolete and entry.msgctxt is None:
            dormant.setdefault(entry.msgid, entry)
    wanted = _occurrences(segments, page_uri)
    vanished = [key for key in live if key[0] is not None or key[1] not in wanted or live[key].msgid_plural]
    # Pages make neither contexts nor plurals: such entries are only kept (obsolete once unused).
    candidates = [msgid for context, msgid in vanished if context is None and not live[(context, msgid)].msgid_plural]
    entries = []
    for msgid, occurrences in wanted.items():
        entry = live.get((None, msgid))
        if entry is not None and entry.msgid_plural:
            entry = None
        if entry is None and msgid in dormant and not dormant[msgid].msgid_plural:
            entry = dormant[msgid]
            entry.obsolete = False
        if entry is not None and redraft is not None and msgid in drafts and redraft(entry):
            replaced = _draft_entry(msgid, drafts[msgid])
            replaced.tcomment = entry.tcomment
            result.changed.append(msgid)
            entry = replaced
        if entry is None:
            draft = drafts[msgid]
            previous = None if draft.reviewed else _closest(msgid, candidates)
            if previous is not None:
                candidates.remove(previous)
                vanished.remove((None, previous))
                result.changed.append(msgid)
                entry = _edited(msgid, live[(None, previous)], draft)
            else:
                result.added.append(msgid)
                entry = _draft_entry(msgid, draft)
        entry.occurrences = occurrences
        entries.append(entry)
    for key in vanished:
        old = live[key]
        old.obsolete = True
        old.occurrences = []
        result.obsolete.append(key[1])
        entries.append(old)
    placed = {id(entry) for entry in entries}
    entries += [entry for entry in po if entry.obsolete and id(entry) not in placed]
    po[:] = entries
    return result


def _occurrences(segments: list[Segment], page_uri: str) -> dict[str, list[tuple[str, str]]]:
    wanted: dict[str, list[tuple[str, str]]] = {}
    for segment in segments:
        wanted.setdefault(segment.text, []).append((page_uri, segment.location))
    return wanted


LONG = 20_000
"""Above this many characters, edit matching compares shared beginnings and ends (linear) instead
of the full Indel similarity, whose cost grows with the product of the two lengths."""


def _closest(msgid: str, candidates: list[str]) -> str | None:
    """The vanished msgid ``msgid`` is most likely an edit of (rapidfuzz: bit-parallel Indel)."""
    if not candidates:
        return None
    from rapidfuzz import fuzz, process

    short = [candidate for candidate in candidates if max(len(candidate), len(msgid)) <= LONG]
    found = process.extractOne(msgid, short, scorer=fuzz.ratio, score_cutoff=SIMILARITY * 100) if short else None
    best, best_ratio = (found[0], found[1] / 100) if found is not None else (None, SIMILARITY)
    for candidate in candidates:
        if max(len(candidate), len(msgid)) > LONG and (ratio := _ends_ratio(msgid, candidate)) >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


def _ends_ratio(a: str, b: str) -> float:
    """Similarity of two long texts as the share of both covered by their common prefix and suffix."""
    prefix = len(os.path.commonprefix([a, b]))
    suffix = len(os.path.commonprefix([a[prefix:][::-1], b[prefix:][::-1]]))
    return 2 * (prefix + suffix) / (len(a) + len(b))


def notes(entry: polib.POEntry | po_file.Message) -> Notes:
    """The entry's automatic comments, typed."""
    return notes_of(entry.comment)


def notes_of(comment: str) -> Notes:
    """Automatic comments (an entry's ``#.`` lines), typed."""
    return Notes.from_comment(comment)


def _edited(msgid: str, old: polib.POEntry, draft: Draft) -> polib.POEntry:
    """The entry for ``msgid``, an edit of ``old``'s source, as msgmerge would make it.

    A machine draft is simply replaced by the new draft. Anything a person wrote
    (a reviewed msgstr, a manual draft, a kept one) stays the msgstr, now fuzzy,
    with ``#|`` pointing at the source it translates and the new machine draft
    offered in a comment: never instead of the translator's text.
    """
    before = notes(old)
    if not old.msgstr or ("fuzzy" in old.flags and before.machine_made):
        entry = _draft_entry(msgid, draft, previous=old.msgid)
        entry.tcomment = old.tcomment
        if old.msgstr and old.msgstr != draft.text:  # a reviewer may have corrected it without approving
            made = notes(entry)
            made.earlier = old.msgstr
            entry.comment = made.to_comment()
        return entry
    previous = old.previous_msgid if "fuzzy" in old.flags and old.previous_msgid else old.msgid
    # The old draft's provenance no longer describes this msgstr: a person wrote or approved it.
    kept = [Provenance.kept()] + [item for item in before.provenance
                                   if not item.origin.machine_made and item.origin is not Origin.KEPT]
    suggestion = draft.text if draft.text and draft.text != old.msgstr else None
    flags = [flag for flag in old.flags if flag != "fuzzy"] + ["fuzzy"]
    return polib.POEntry(msgid=msgid, msgstr=old.msgstr, comment=Notes(kept, [], suggestion).to_comment(),
                         tcomment=old.tcomment, flags=flags, previous_msgid=previous)


def _draft_entry(msgid: str, draft: Draft, previous: str | None = None) -> polib.POEntry:
    comment = Notes(list(draft.provenance), list(draft.problems)).to_comment()
    entry = polib.POEntry(msgid=msgid, msgstr=draft.text, comment=comment)
    if not draft.reviewed:
        entry.flags.append("fuzzy")
        if previous is not None:  # "#|" only means something on a fuzzy entry
            entry.previous_msgid = previous
    return entry


def render(po: polib.POFile) -> str:
    return po_file.render(po)


def _now() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds), in PO header form."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


class ConflictError(CatalogError):
    """The catalog changed on disk after it was read; it was not overwritten."""


def save(po: polib.POFile, path: Path) -> bool:
    """Write ``po`` if it differs from the file in more than its revision date.

    Like Sphinx's ``should_write``: an unchanged catalog keeps its bytes, so a
    run with no source change leaves every file as it was. The file is replaced
    only if it still holds what was read (``ConflictError`` otherwise), so a
    translator's save in between is never overwritten.
    """
    origin = getattr(po, "origin", None)
    if origin is not None and not po_file.changed(po):
        return False
    po.metadata["PO-Revision-Date"] = _now()
    expected = origin.data if origin is not None else None
    written = replace_if_unchanged(path, render(po).encode("utf-8"), expected)
    if isinstance(written, Path):
        raise ConflictError(path, f"was saved twice while thinktank was writing it; the newer save is kept as "
                                  f"{written.name}: compare the two and keep one")
    if not written:
        raise ConflictError(path, "changed on disk while thinktank was working on it; it was left as it is")
    return True


def translations(po: polib.POFile) -> dict[str, polib.POEntry]:
    """Live context-less entries with a msgstr, by msgid: what a page can be rendered from."""
    return {entry.msgid: entry for entry in po if not entry.obsolete and entry.msgstr and entry.msgctxt is None}


def shown(path: Path, data: bytes | None = None) -> dict[str, po_file.Message]:
    """:func:`translations` of the catalog at ``path`` (whose bytes are ``data``, when read already) as plain
    messages: what the site build keeps of a page's catalog until the page is rendered. Refused exactly as
    :func:`load` refuses (``po.messages``), at a third of its cost and a fraction of its memory (polib's
    objects and the file's layout are for writing back)."""
    found = po_file.read_messages(path) if data is None else po_file.messages(data, path)
    return {message.msgid: message for message in found
            if not message.obsolete and message.msgstr and message.msgctxt is None}
