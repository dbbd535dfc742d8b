"""Editing one entry of a page's catalog: the pure logic behind the browser editor's buttons.

Nothing here knows about HTTP. A reviewer's form carries the entry's
*version* as it was shown (a hash of its msgstr, flags and ``#|`` previous
msgid); a save is applied only if the entry on disk still has that version,
so a second tab (or a ``translate`` run) that changed the entry in between is
never overwritten: the save is refused with :class:`EditConflict`, which
carries the text now on disk so the form can keep both. Other entries of the
same catalog may change meanwhile: each save re-reads the file under the
translations lock and changes only its own entry, and ``catalog.save``
replaces the file only if it still holds what was read.

Approving clears ``fuzzy`` (and the ``#|`` previous msgid, which only means
something on a fuzzy entry): the entry becomes *reviewed*. "Needs work" keeps
or makes it fuzzy and says so in a translator comment. A msgstr a person
changed is no longer a machine draft: its provenance becomes "manual draft by
NAME", so ``translate`` never replaces it with a new machine draft.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import polib

from .. import catalog, qa
from ..errors import ThinktankError
from ..glossary import load as load_glossary
from ..lock import hold
from ..provenance import Notes, Origin, Provenance
from ..review import PageStatus, page_status
from ..translation import read_segments, source_pages

ABSENT = "absent"
"""The version of a segment that has no entry in the catalog yet."""
NEEDS_WORK = "needs work"
"""How a translator comment marks an entry a reviewer sent back (``# needs work (NAME)``)."""
LOCK_WAIT = 3.0
"""Seconds a save waits for a ``translate`` run holding the translations lock before it is refused."""


class EditError(ThinktankError):
    """A reviewer's save that cannot be applied as asked (nothing was written)."""


class EditConflict(EditError):
    """The entry changed on disk since the reviewer's form was shown; nothing was written."""

    def __init__(self, path: Path, message: str, theirs: str, version: str) -> None:
        super().__init__(path, message)
        self.theirs = theirs
        """The msgstr now on disk."""
        self.version = version
        """Its version: sending the form again with it overwrites theirs on purpose."""


class Action(Enum):
    APPROVE = "approve"
    """Clear fuzzy: the entry becomes reviewed."""
    NEEDS_WORK = "needs-work"
    """Keep (or make) the entry fuzzy, marked as sent back by the reviewer."""


def entry_version(entry: polib.POEntry | None) -> str:
    """What a form remembers of the entry it shows; any change a reviewer could lose changes it."""
    if entry is None or entry.obsolete:
        return ABSENT
    data = json.dumps([entry.msgstr, sorted(entry.flags), entry.previous_msgid or "", entry.tcomment or ""])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def needs_work(entry: polib.POEntry | None) -> bool:
    return entry is not None and "fuzzy" in entry.flags and any(
        line.startswith(NEEDS_WORK) for line in (entry.tcomment or "").splitlines())


def check_page(docs_dir: Path, translations_dir: Path, langs: list[str], lang: str, uri: str) -> Path:
    """The page's catalog path, once ``lang`` is one of ours and ``uri`` one of docs/'s pages.

    A URI is accepted only if it is in ``source_pages`` (so never ``..``, a hidden
    folder or a suffixed translation), and both paths must resolve inside their folders.
    """
    if lang not in langs:
        raise EditError(translations_dir, f"{lang!r} is not a language of this site ({', '.join(langs)})")
    if uri not in source_pages(docs_dir):
        raise EditError(docs_dir, f"{uri!r} is not a page of this site")
    path = catalog.catalog_path(translations_dir, lang, uri)
    for inside, folder in ((docs_dir / uri, docs_dir), (path, translations_dir)):
        if not inside.resolve().is_relative_to(folder.resolve()):
            raise EditError(inside, f"resolves outside {folder}")
    return path


def clean_text(text: str, msgid: str, path: Path) -> str:
    """The msgstr a browser's textarea sent, as a catalog holds it: ``\\n`` line ends, the msgid's edges.

    msgfmt refuses an entry whose msgid and msgstr differ in a leading or trailing
    line break, and a textarea easily adds one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise EditError(path, "the translation contains a NUL character, which a catalog cannot hold")
    if not msgid.endswith("\n"):
        text = text.rstrip("\n")
    if not msgid.startswith("\n"):
        text = text.lstrip("\n")
    return text


@dataclass(frozen=True)
class Saved:
    entry: polib.POEntry
    written: bool
    """False when the entry already was as asked (the file keeps its bytes)."""
    status: PageStatus


def apply(docs_dir: Path, translations_dir: Path, langs: list[str], lang: str, uri: str, msgid: str, text: str,
          action: Action, version: str, reviewer: str, wait: float = LOCK_WAIT) -> Saved:
    """Apply a reviewer's save to the entry of ``msgid`` if it is still at ``version``.

    Held under the translations lock that ``translate`` takes, so the two never
    write the same catalog at once (``LockedError`` after ``wait`` seconds).
    """
    path = check_page(docs_dir, translations_dir, langs, lang, uri)
    text = clean_text(text, msgid, path)
    with hold(translations_dir, f"thinktank review --serve ({reviewer})", wait=wait):
        segments = [segment for segment in read_segments(docs_dir, uri) if segment.text == msgid]
        if not segments:
            raise EditError(docs_dir / uri, "this segment is no longer on the page (its source was edited): "
                                            "reload the page; your text is still in the form")
        po = catalog.load(path, lang, uri)
        entry = _live_entry(po, msgid)
        now = entry_version(entry)
        if now != version:
            raise EditConflict(path, "someone else saved this entry after you opened it; your text was not "
                                     "saved and is still in the form: compare it with theirs, then save again "
                                     "to replace theirs or reload to keep it", entry.msgstr if entry else "", now)
        if entry is None:
            if not text.strip():
                raise EditError(path, "write a translation first")
            entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(uri, s.location) for s in segments])
            _insert_in_page_order(po, entry, [s.text for s in read_segments(docs_dir, uri)])
        terms = load_glossary(translations_dir).for_language(lang)
        _edit(entry, text, action, reviewer, terms, path)
        written = False
        if entry_version(entry) != now:
            po.metadata["Last-Translator"] = reviewer
            written = catalog.save(po, path)
        return Saved(entry, written, page_status(docs_dir, translations_dir, lang, uri))


def _live_entry(po: polib.POFile, msgid: str) -> polib.POEntry | None:
    for entry in po:
        if entry.msgid == msgid and entry.msgctxt is None and not entry.obsolete and not entry.msgid_plural:
            return entry
    return None


def _insert_in_page_order(po: polib.POFile, entry: polib.POEntry, page: list[str]) -> None:
    """Put a new entry after the live entry of the segment before it (translate's order), else first."""
    at = page.index(entry.msgid)
    earlier = set(page[:at])
    position = 0
    for index, other in enumerate(po):
        if not other.obsolete and other.msgctxt is None and other.msgid in earlier:
            position = index + 1
    po.insert(position, entry)


def _edit(entry: polib.POEntry, text: str, action: Action, reviewer: str, terms: dict[str, str], path: Path) -> None:
    if action is Action.APPROVE and not text.strip():
        raise EditError(path, "an empty translation cannot be approved: write one first")
    if action is Action.NEEDS_WORK and not text and not entry.msgstr:
        raise EditError(path, "write a draft first, or leave the entry untranslated")
    before = catalog.notes(entry)
    edited = text != entry.msgstr
    provenance = before.provenance
    if edited:  # a person's text now: never again replaced as a machine draft
        provenance = [Provenance(Origin.MANUAL, f"{Origin.MANUAL.value} by {reviewer}")] + \
                     [item for item in provenance if not item.origin.machine_made and item.origin is not Origin.MANUAL
                      and item.origin is not Origin.KEPT]
    comments = [line for line in (entry.tcomment or "").splitlines() if not line.startswith(NEEDS_WORK)]
    entry.msgstr = text
    if action is Action.APPROVE:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        provenance = [item for item in provenance if item.origin is not Origin.KEPT]  # the reviewer checked it
        notes = Notes(provenance, qa.check(entry.msgid, text, terms))
    else:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        comments.append(f"{NEEDS_WORK} ({reviewer})")
        notes = Notes(provenance, qa.check(entry.msgid, text, terms),
                      before.suggestion, None if edited else before.earlier)
    entry.comment = notes.to_comment()
    entry.tcomment = "\n".join(comments)

