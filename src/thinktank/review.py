"""What translators need: per-page progress, and a side-by-side review sheet.

Counts are taken against the page as it is now in docs/: a segment whose
entry is missing or empty is *untranslated*, a fuzzy entry that remembers a
previous msgid is *stale* (its source changed), another fuzzy entry is a
*draft*, and a non-fuzzy one is *reviewed*.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import polib

from . import catalog, qa
from .catalog import EntryState, entry_state
from .fsutil import atomic_write_text
from .glossary import load as load_glossary
from .provenance import Provenance
from .translation import read_segments, source_pages

BAR_WIDTH = 20


@dataclass(frozen=True)
class PageStatus:
    lang: str
    uri: str
    reviewed: int
    draft: int
    stale: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.reviewed + self.draft + self.stale + self.untranslated

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 100

    def bar(self, width: int = BAR_WIDTH) -> str:
        filled = round(width * self.percent / 100)
        return "█" * filled + "░" * (width - filled)


def page_status(docs_dir: Path, translations_dir: Path, lang: str, uri: str) -> PageStatus:
    po = catalog.load(catalog.catalog_path(translations_dir, lang, uri), lang, uri)
    entries = catalog.translations(po)
    counts = dict.fromkeys((state.value for state in EntryState), 0)
    for msgid in dict.fromkeys(segment.text for segment in read_segments(docs_dir, uri)):
        counts[entry_state(entries.get(msgid)).value] += 1
    return PageStatus(lang, uri, **counts)


def status(docs_dir: Path, translations_dir: Path, langs: list[str]) -> list[PageStatus]:
    return [page_status(docs_dir, translations_dir, lang, uri) for lang in langs for uri in source_pages(docs_dir)]


_SHEET = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Review: {uri} ({lang})</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .5rem; vertical-align: top; text-align: left; }}
td.source, td.target {{ width: 40%; white-space: pre-wrap; }}
tr.reviewed td.state {{ background: #e3f5e1; }} tr.draft td.state {{ background: #fff4d6; }}
tr.stale td.state, tr.untranslated td.state {{ background: #fde2e1; }}
.qa {{ color: #a40000; }} .provenance, .previous {{ color: #555; font-size: 90%; }}
.suggestion {{ background: #eef3ff; padding: .25rem; white-space: pre-wrap; }}
</style></head><body>
<h1>{uri} → {lang}</h1>
<p>{summary}. Edit <code>{po}</code> in a PO editor; clearing the <em>fuzzy</em> flag marks an entry reviewed.</p>
<table><thead><tr><th>#</th><th>Source (English)</th><th>Translation</th><th>State, notes</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""


@dataclass(frozen=True)
class ReviewRow:
    """One segment of a page as a reviewer sees it: what both the sheet and the browser editor show."""

    number: int
    msgid: str
    entry: polib.POEntry | None
    state: EntryState
    provenance: tuple[Provenance, ...]
    problems: tuple[qa.Problem, ...]
    """QA run again on the msgstr as it is, plus what the draft's ``qa:`` comments recorded."""
    suggestion: str | None
    """A machine draft offered beside a kept translation."""

    @property
    def msgstr(self) -> str:
        return self.entry.msgstr if self.entry is not None else ""

    @property
    def previous(self) -> str | None:
        """The source this entry translated before its source changed (``#|``)."""
        return self.entry.previous_msgid if self.entry is not None and self.entry.previous_msgid else None


def review_rows(docs_dir: Path, translations_dir: Path, lang: str, uri: str,
                terms: dict[str, str] | None = None) -> list[ReviewRow]:
    """The page's segments in page order (each msgid once), with their entries, state, provenance and QA.

    QA runs again on every entry, reviewed ones too: a translator's msgstr can add
    structure (a heading, a note) that the machine draft's checks never saw.
    """
    entries = catalog.translations(catalog.load(catalog.catalog_path(translations_dir, lang, uri), lang, uri))
    if terms is None:
        terms = load_glossary(translations_dir).for_language(lang)
    rows = []
    for number, msgid in enumerate(dict.fromkeys(s.text for s in read_segments(docs_dir, uri)), start=1):
        entry = entries.get(msgid)
        known = catalog.notes(entry) if entry is not None else None
        problems = tuple(dict.fromkeys(known.problems + qa.check(msgid, entry.msgstr, terms))) \
            if entry is not None and known is not None else ()
        rows.append(ReviewRow(number, msgid, entry, entry_state(entry), tuple(known.provenance) if known else (),
                              problems, known.suggestion if known else None))
    return rows


def review_sheet(docs_dir: Path, translations_dir: Path, lang: str, uri: str) -> str:
    """A self-contained HTML page: source beside draft, with state, provenance and QA notes."""
    path = catalog.catalog_path(translations_dir, lang, uri)
    rows = []
    for row in review_rows(docs_dir, translations_dir, lang, uri):
        state = row.state.value
        notes = [f"<strong>{state}</strong>"]
        if row.entry is not None:
            drafted = "first drafted as: " if state == "reviewed" else ""  # a reviewer approved what it says
            notes += [f'<div class="provenance">{drafted}{html.escape(item.line)}</div>' for item in row.provenance]
            notes += [f'<div class="qa {problem.severity.value}">qa ({problem.severity.value}): '
                      f'{html.escape(problem.message)}</div>' for problem in row.problems]
            if row.previous:
                notes.append(f'<div class="previous">was: {html.escape(row.previous)}</div>')
            if row.suggestion is not None:
                notes.append(f'<div class="suggestion"><em>machine draft for the new source:</em> '
                             f'{html.escape(row.suggestion)}</div>')
        rows.append(f'<tr class="{state}"><td>{row.number}</td><td class="source">{html.escape(row.msgid)}</td>'
                    f'<td class="target">{html.escape(row.msgstr)}</td><td class="state">{"".join(notes)}</td></tr>')
    page = page_status(docs_dir, translations_dir, lang, uri)
    summary = (f"{page.reviewed} reviewed, {page.draft} draft, {page.stale} stale, "
               f"{page.untranslated} untranslated of {page.total}")
    return _SHEET.format(lang=lang, uri=html.escape(uri), summary=summary, po=html.escape(str(path)),
                         rows="\n".join(rows))


def write_review_sheet(docs_dir: Path, translations_dir: Path, lang: str, uri: str, output: Path) -> Path:
    atomic_write_text(output, review_sheet(docs_dir, translations_dir, lang, uri))
    return output
