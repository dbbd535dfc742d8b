"""Preview-engine drafts: found in the catalogs, and kept off a published site.

The ``pseudo`` engine exists for previews and tests: its text (``⸨Ţĥé …⸩``) is
not a translation. ``translate --engine pseudo`` writes it into the same
catalogs a real engine would, so without a check the next ``make site`` or
``thinktank deploy`` would publish it (issue 11). A catalog entry holds a
preview draft when the msgstr a reader would see has the pseudo engine's
shape (``⸨…·⸩``), whatever its flags and comments: pseudo text someone
bulk-approved (``msgattrib --clear-fuzzy``) is caught, while a person's real
text under the engine's old comment (a PO editor keeps automatic comments)
is not. A real engine's run drafts the unapproved ones again
(:func:`replaceable`), so ``thinktank translate`` after a preview is the fix.

Obsolete entries and a kept translation's suggestion (a comment) never reach
a page, so they do not count.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from . import po as po_file
from .engines import PREVIEW_ENGINES
from .errors import ThinktankError
from .provenance import Notes, Origin


ALLOW_ENV = "THINKTANK_ALLOW_PREVIEW"
"""Set to 1 to build a site that shows preview drafts (``make site ALLOW_PREVIEW=1``)."""
HOW_TO_ALLOW_ENV = "THINKTANK_HOW_TO_ALLOW_PREVIEW"
"""What the refusal tells the reader to do to allow them, set by a caller that builds for them (``deploy``:
its ``--allow-preview``, since an exported ``THINKTANK_ALLOW_PREVIEW`` does not count there)."""
HOW_TO_ALLOW = (f"build a preview anyway with {ALLOW_ENV}=1 (make site ALLOW_PREVIEW=1; "
                "thinktank deploy --allow-preview)")

SHOWN = 8
"""How many catalogs the refusal names before it says how many more there are."""


@dataclass(frozen=True)
class PreviewCatalog:
    path: Path
    entries: int
    """How many of its entries a reader would see as preview text."""


def how_to_allow() -> str:
    """The refusal's last words: the caller's (``HOW_TO_ALLOW_ENV``) or the build's own."""
    return os.environ.get(HOW_TO_ALLOW_ENV, "").strip() or HOW_TO_ALLOW


def allowed_by_environment() -> bool:
    """Whether ``THINKTANK_ALLOW_PREVIEW`` says yes (1, true, yes)."""
    return os.environ.get(ALLOW_ENV, "").strip().lower() in {"1", "true", "yes"}


def _from_preview_engine(notes: Notes) -> bool:
    return any(p.origin is Origin.MACHINE and p.detail.split(" ", 1)[0] in PREVIEW_ENGINES for p in notes.provenance)


def looks_pseudo(text: str) -> bool:
    """The pseudo engine's output: one ``⸨…⸩`` span padded with middle dots (``engines.pseudo.pseudo_translate``)."""
    stripped = text.strip()
    return stripped.startswith("⸨") and stripped.endswith("·⸩")


def is_preview(entry: polib.POEntry) -> bool:
    """Whether a reader would see this entry's msgstr, and it is a preview engine's text."""
    if entry.obsolete:
        return False
    shown = [entry.msgstr, *entry.msgstr_plural.values()]
    if not any(shown):
        return False
    return any(looks_pseudo(text) for text in shown)


def replaceable(entry: polib.POEntry) -> bool:
    """Whether a real engine's run may draft this entry again: a preview engine's draft nobody approved.

    Such text was never a translation. Its msgstr must still have the pseudo
    engine's shape: a PO editor keeps the automatic comment when a person
    rewrites the msgstr, so the comment alone would not tell their text from
    the engine's, and nothing a person wrote is ever replaced. Pseudo text
    someone approved stays too, and the build refusal names it.
    """
    return (not entry.obsolete and "fuzzy" in entry.flags and looks_pseudo(entry.msgstr)
            and _from_preview_engine(Notes.from_comment(entry.comment)))


def preview_catalogs(translations_dir: Path, langs: list[str]) -> list[PreviewCatalog]:
    """Every catalog of ``langs`` holding preview drafts, in path order; a catalog that cannot be read is skipped
    here (the build reports it with its line)."""
    found: list[PreviewCatalog] = []
    for lang in langs:
        folder = translations_dir / lang
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.po")):
            if not _may_hold_pseudo(path):
                continue
            try:
                catalog = po_file.read(path)
            except ThinktankError:  # the build reads it for real and reports its line
                continue
            count = sum(1 for entry in catalog if is_preview(entry))
            if count:
                found.append(PreviewCatalog(path, count))
    return found


_PSEUDO_MARK = "⸨".encode()
_ESCAPE = re.compile(rb"\\(?:[0-7]|x[0-9A-Fa-f])")
"""A PO string escape that could spell the mark (``\\342\\270\\250``) in a catalog's bytes."""


def _may_hold_pseudo(path: Path) -> bool:
    """Whether the catalog's bytes could hold the pseudo engine's mark: parsing every catalog of a
    1,000-article site at each build's start took 1.5 s, and almost none holds one."""
    try:
        data = path.read_bytes()
    except OSError:
        return True  # the read below reports it
    return _PSEUDO_MARK in data or _ESCAPE.search(data) is not None


class PreviewError(ThinktankError):
    """A site would publish preview-engine drafts."""


def describe(found: list[PreviewCatalog], translations_dir: Path) -> str:
    """Which catalogs hold preview drafts, and how many entries: "3 preview-engine (pseudo) draft entries in …"."""
    def name(item: PreviewCatalog) -> str:
        try:
            return item.path.relative_to(translations_dir.parent).as_posix()
        except ValueError:
            return item.path.as_posix()

    total = sum(item.entries for item in found)
    listed = ", ".join(f"{name(item)} ({item.entries})" for item in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    engines = "/".join(sorted(PREVIEW_ENGINES))
    return (f"{total} preview-engine ({engines}) draft entr{'y' if total == 1 else 'ies'} in {len(found)} "
            f"catalog{'' if len(found) == 1 else 's'}: {listed}{more}")


def refusal(found: list[PreviewCatalog], translations_dir: Path, how_to_allow: str) -> PreviewError:
    """The one-line refusal: what would be published, how to fix it, how to allow it."""
    return PreviewError(translations_dir, f"would publish {describe(found, translations_dir)}; translate with a "
                                          f"real engine (thinktank translate drafts them again), or review them, "
                                          f"or {how_to_allow}")
