"""Extract → catalog → draft: keep every page's PO catalogs in step with docs/.

For each language: read the segments of each page, find the msgids its
catalog lacks, fill them from translation memory (any catalog of that
language), from the glossary (citation labels in footnotes), or from one
batched engine call for all the rest; then merge with gettext semantics and
write only the catalogs whose bytes changed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from . import catalog, frontmatter, preview, qa
from .catalog import Draft
from .engines import PREVIEW_ENGINES, Engine
from .errors import ThinktankError
from .footnotes import parse_citation
from .glossary import Glossary
from .languages import SOURCE
from .glossary import load as load_glossary
from .fsutil import remove_stray_temporaries
from .lock import hold
from .placeholders import protect, restore
from .provenance import Origin, Provenance
from .library import is_author_page
from .schema import PageMeta
from .segments import Segment, page_segments

Progress = Callable[[str], None]


@dataclass
class LanguageReport:
    lang: str
    pages: int = 0
    written: list[Path] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    obsolete: int = 0
    from_memory: int = 0
    from_glossary: int = 0
    names: int = 0
    from_engine: int = 0
    flagged: int = 0
    seconds: float = 0.0


def source_pages(docs_dir: Path, only: list[Path] | None = None) -> list[str]:
    """docs/-relative URIs of the English pages (suffixed ``x.tr.md`` files excluded)."""
    if only:
        uris = []
        for path in only:
            resolved = path if path.is_absolute() or path.exists() else docs_dir / path
            try:
                uris.append(resolved.resolve().relative_to(docs_dir.resolve()).as_posix())
            except ValueError:
                raise ThinktankError(path, f"is not a page under {docs_dir}") from None
            if not resolved.is_file():
                raise ThinktankError(path, "no such page")
        return sorted(uris)
    pages = (p.relative_to(docs_dir) for p in docs_dir.rglob("*.md"))
    return sorted(p.as_posix() for p in pages  # hidden folders (an import's staging area) are not the site's
                  if not re.search(r"\.[a-z]{2}\.md$", p.name) and not any(part.startswith(".") for part in p.parts))


def read_segments(docs_dir: Path, uri: str) -> list[Segment]:
    """The page's segments; a note the importer recorded as a citation (``notes:``) is marked ``cites``."""
    return read_page(docs_dir, uri)[0]


def read_page(docs_dir: Path, uri: str) -> tuple[list[Segment], str]:
    """The page's segments (see :func:`read_segments`) and the language its source says it is in ("" when it
    says none: the site's source language)."""
    path = docs_dir / uri
    meta, body = frontmatter.read(path, fields=False)
    notes = PageMeta.parse(meta, path)  # the schema's check, once
    source = meta.get("source")
    language = source.get("language") if isinstance(source, dict) else None
    segments = [replace(segment, cites=True) if segment.note is not None and (found := notes.note(segment.note))
                and found.is_citation else segment for segment in page_segments(meta, body)]
    return segments, language if isinstance(language, str) else ""


class Memory:
    """Translation memory: every msgstr of a language's catalogs, reviewed ones first."""

    def __init__(self, skip: catalog.Redraft | None = None) -> None:
        self._entries: dict[str, tuple[polib.POEntry, str]] = {}
        self._skip = skip
        """Entries never offered as a draft (a preview engine's, when a real engine runs)."""

    def add(self, po: polib.POFile, origin: str) -> None:
        for entry in po:
            if entry.obsolete or not entry.msgstr or entry.msgctxt is not None or entry.msgid_plural:
                continue
            if self._skip is not None and self._skip(entry):
                continue
            if "fuzzy" in entry.flags and any(item.origin is Origin.KEPT for item in catalog.notes(entry).provenance):
                continue  # a kept msgstr translates the previous source, not this msgid
            known = self._entries.get(entry.msgid)
            if known is None or (catalog.is_reviewed(entry) and not catalog.is_reviewed(known[0])):
                self._entries[entry.msgid] = (entry, origin)

    def draft(self, msgid: str) -> Draft | None:
        found = self._entries.get(msgid)
        if found is None:
            return None
        entry, origin = found
        if catalog.is_reviewed(entry):
            return Draft(entry.msgstr, (Provenance.reused(origin, reviewed=True),), reviewed=True)
        known = catalog.notes(entry)
        return Draft(entry.msgstr, tuple(known.provenance) or (Provenance.reused(origin, reviewed=False),),
                     tuple(known.problems))


def translate(docs_dir: Path, translations_dir: Path, langs: list[str], engine: Engine,
              only: list[Path] | None = None, progress: Progress | None = None) -> list[LanguageReport]:
    """Bring the catalogs of ``langs`` up to date with the pages of ``docs_dir``."""
    for lang in langs:
        engine.check(lang)  # fail before writing anything
    with hold(translations_dir, "thinktank translate", notice=progress):
        remove_stray_temporaries(translations_dir, ".po")  # what a killed run left; every catalog is whole
        glossary = load_glossary(translations_dir)
        segments = {}
        for uri in source_pages(docs_dir, only):
            page, language = read_page(docs_dir, uri)
            if language and language != SOURCE:  # a target engine would be fed text it does not read
                if progress:
                    progress(f"warning: {docs_dir / uri}: skipped: its text is in {language!r}, not the site's "
                             f"source language {SOURCE!r} (source.language in its front matter)")
                continue
            segments[uri] = page
        return [_translate_language(lang, translations_dir, segments, engine, glossary, progress) for lang in langs]


def _translate_language(lang: str, translations_dir: Path, segments: dict[str, list[Segment]],
                        engine: Engine, glossary: Glossary, progress: Progress | None) -> LanguageReport:
    started = time.perf_counter()
    report = LanguageReport(lang, pages=len(segments))
    catalogs = {uri: catalog.load(catalog.catalog_path(translations_dir, lang, uri), lang, uri) for uri in segments}
    # A real engine drafts again what a preview engine drafted and nobody approved (and never reuses it).
    redraft = None if engine.name in PREVIEW_ENGINES else preview.replaceable
    memory = _memory(translations_dir, lang, catalogs, skip=redraft)
    firsts: dict[str, Segment] = {}
    for uri, page in segments.items():
        first_of = {segment.text: segment for segment in reversed(page)}  # first occurrence wins
        for msgid in catalog.needed(catalogs[uri], page, redraft):
            firsts.setdefault(msgid, first_of[msgid])
    names = {segment.text for uri, page in segments.items() if is_author_page(uri)
             for segment in page if segment.kind == "meta" and segment.location == "title"}
    drafts: dict[str, Draft] = {}
    pending = []
    for msgid, segment in firsts.items():
        draft = memory.draft(msgid)
        if draft is not None:
            report.from_memory += 1
        elif msgid in names:  # a person's name is not text to translate
            draft = Draft(msgid, (Provenance.name(),))
            report.names += 1
        elif segment.kind == "footnote" and (draft := _citation_draft(segment, lang, glossary)) is not None:
            report.from_glossary += 1
        else:
            pending.append(msgid)
            continue
        drafts[msgid] = draft
    if pending:
        if progress:
            progress(f"{lang}: {len(pending)} segment(s) → {engine.name} ({engine.model(lang)})")
        drafts.update(machine_drafts(pending, lang, engine, glossary))
        report.from_engine = len(pending)
    for uri, page in segments.items():
        path = catalog.catalog_path(translations_dir, lang, uri)
        merged, written = _merge_and_save(catalogs[uri], page, uri, lang, path, drafts, redraft)
        report.added += len(merged.added)
        report.changed += len(merged.changed)
        report.obsolete += len(merged.obsolete)
        if written:
            report.written.append(path)
    report.flagged = sum(1 for draft in drafts.values() if draft.problems)
    report.seconds = time.perf_counter() - started
    return report


SAVE_ATTEMPTS = 3


def _merge_and_save(po: polib.POFile, page: list[Segment], uri: str, lang: str, path: Path,
                    drafts: dict[str, Draft], redraft: catalog.Redraft | None = None
                    ) -> tuple[catalog.MergeResult, bool]:
    """Merge and write one catalog; if someone saved it meanwhile, merge into their version instead.

    A translator's editor does not take our lock, so a save can land between our
    read and our write. ``catalog.save`` then refuses to replace the file, and the
    merge is redone on what is on disk now, which only needs drafts we already
    have unless the translator deleted entries; then the run stops, naming the file.
    """
    for _ in range(SAVE_ATTEMPTS):
        merged = catalog.merge(po, page, uri, drafts, redraft)
        try:
            return merged, catalog.save(merged.catalog, path)
        except catalog.ConflictError:
            po = catalog.load(path, lang, uri)
            if any(msgid not in drafts for msgid in catalog.needed(po, page, redraft)):
                break
    raise catalog.ConflictError(path, "was saved by someone else while translate ran; their version was kept "
                                      "as it is: run translate again")


def _memory(translations_dir: Path, lang: str, loaded: dict[str, polib.POFile],
            skip: catalog.Redraft | None = None) -> Memory:
    """Memory of every catalog of ``lang`` but the entries ``skip`` accepts; those in ``loaded`` (by page)
    are not read again."""
    memory = Memory(skip)
    folder = translations_dir / lang
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        uri = path.relative_to(folder).with_suffix(".md").as_posix()
        po = loaded[uri] if uri in loaded else catalog.load(path, lang, uri)
        memory.add(po, path.relative_to(translations_dir).as_posix())
    return memory


def _citation_draft(segment: Segment, lang: str, glossary: Glossary) -> Draft | None:
    """A note that cites a source keeps title and publisher verbatim; only its labels change.

    The importer's ``notes:`` record says which notes are citations; for a page
    without one (written by hand), the note's text is parsed as the importer would.
    """
    msgid = segment.text
    labels = glossary.labels_for(lang)
    if segment.cites:
        is_citation = True
    else:
        citation = parse_citation(msgid)
        is_citation = bool(citation.title or citation.accessed or citation.url or msgid.strip() in labels)
    if not is_citation:
        return None
    text = msgid
    for source in sorted(labels, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(source)}(?!\w)", labels[source], text)
    return Draft(text, (Provenance.citation(),))


def machine_drafts(msgids: list[str], lang: str, engine: Engine, glossary: Glossary) -> dict[str, Draft]:
    """One batched engine call for ``msgids``: shield markup, translate, restore, check."""
    terms = glossary.for_language(lang)
    shielded = [protect(msgid, terms) for msgid in msgids]
    outputs = engine.translate_batch([item.text for item in shielded], lang)
    made_by = (Provenance.machine(engine.name, engine.model(lang)),)
    drafts = {}
    for msgid, item, output in zip(msgids, shielded, outputs, strict=True):
        text, lost = restore(output, item)
        problems = [qa.problem_from_message(message) for message in lost] + qa.check(msgid, text, terms)
        drafts[msgid] = Draft(text, made_by, tuple(dict.fromkeys(problems)))
    return drafts
