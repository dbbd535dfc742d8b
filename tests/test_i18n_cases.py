"""Extraction, merge and rendering against fixture files, one case per file stem (as markdown-it-py and Sphinx do).

For ``tests/i18n/<case>.md``:

- ``<case>.expect.po`` is the catalog a fresh ``translate`` writes for the page
  (with :class:`FixtureEngine`, dates normalised), or, when ``<case>.old.md``
  and ``<case>.po`` exist, the catalog ``translate`` makes of ``<case>.po``
  (a reviewed catalog of the old page) after the page became ``<case>.md``:
  catalog.merge's kept translations, fuzzy edits and obsolete entries;
- ``<case>.expect.md`` is the page rendered in Turkish from ``<case>.po``.

Every case is translated with ``glossary.yml`` of this folder.

A new case is new files, no code. ``pytest --update-golden`` rewrites the
expectations from the current output; review the diff before committing it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from thinktank import catalog, frontmatter
from thinktank.localize import Localizer
from thinktank.segments import page_segments
from thinktank.translation import read_segments, translate

CASES = Path(__file__).parent / "i18n"
LANG = "tr"
STEMS = sorted(path.name.removesuffix(".md") for path in CASES.glob("*.md")
               if not path.name.endswith((".expect.md", ".old.md")))
FRESH = [stem for stem in STEMS if not (CASES / f"{stem}.old.md").exists()]
EDITED = [stem for stem in STEMS if (CASES / f"{stem}.old.md").exists()]
RENDERED = [stem for stem in FRESH if (CASES / f"{stem}.po").exists()]
_TOKEN = re.compile(r"(⟦\s*\d+\s*⟧)")


class FixtureEngine:
    """Upper-cases the text outside placeholder tokens: output unlike its input, with no version or date in it."""

    name = "fixture"

    def __init__(self) -> None:
        self.batches = 0
        self.segments = 0

    def check(self, target: str) -> None:
        return None

    def model(self, target: str) -> str:
        return f"fixture-{target}"

    def translate_batch(self, texts: list[str], target: str) -> list[str]:
        self.batches += 1
        self.segments += len(texts)
        return ["".join(part if _TOKEN.fullmatch(part) else part.upper() for part in _TOKEN.split(text))
                for text in texts]


def _normalised(po_text: str) -> str:
    """The catalog without what changes from run to run: the revision date."""
    return re.sub(r'(?m)^"PO-Revision-Date: [^"\\]*\\n"\n', "", po_text)


def _translate(tmp_path: Path, stem: str, page: Path, catalog_file: Path | None = None) -> str:
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    docs.mkdir()
    shutil.copy(page, docs / f"{stem}.md")
    target = catalog.catalog_path(translations, LANG, f"{stem}.md")
    target.parent.mkdir(parents=True)
    shutil.copy(CASES / "glossary.yml", translations / "glossary.yml")
    if catalog_file is not None:
        shutil.copy(catalog_file, target)
    translate(docs, translations, [LANG], FixtureEngine())
    return _normalised(target.read_text(encoding="utf-8"))


def test_every_case_has_its_expectations() -> None:
    assert {"footnotes", "tables-empty-cells", "nested-lists", "admonitions", "closed-headings",
            "kept-translation"} <= set(STEMS)
    for stem in STEMS:
        assert (CASES / f"{stem}.expect.po").exists() or stem in EDITED, stem
    for stem in EDITED:
        assert (CASES / f"{stem}.po").exists(), f"{stem}.old.md needs {stem}.po, its catalog"


@pytest.mark.parametrize("stem", FRESH)
def test_extraction_writes_the_expected_catalog(stem: str, tmp_path: Path, golden) -> None:
    golden(CASES / f"{stem}.expect.po", _translate(tmp_path, stem, CASES / f"{stem}.md"))


@pytest.mark.parametrize("stem", EDITED)
def test_merge_after_an_edit_writes_the_expected_catalog(stem: str, tmp_path: Path, golden) -> None:
    old = CASES / f"{stem}.old.md"
    reviewed = catalog.load(CASES / f"{stem}.po", LANG, f"{stem}.md")
    segments = {segment.text for segment in read_segments(old.parent, old.name)}
    assert {entry.msgid for entry in reviewed if not entry.obsolete} == segments, \
        f"{stem}.po must be the catalog of {stem}.old.md"
    assert all(catalog.is_reviewed(entry) for entry in reviewed), f"{stem}.po holds reviewed translations"
    golden(CASES / f"{stem}.expect.po", _translate(tmp_path, stem, CASES / f"{stem}.md", CASES / f"{stem}.po"))


@pytest.mark.parametrize("stem", RENDERED)
def test_rendering_from_a_catalog_gives_the_expected_page(stem: str, tmp_path: Path, golden) -> None:
    translations = tmp_path / "translations"
    target = catalog.catalog_path(translations, LANG, f"{stem}.md")
    target.parent.mkdir(parents=True)
    shutil.copy(CASES / f"{stem}.po", target)
    meta, body = frontmatter.read(CASES / f"{stem}.md")
    page = Localizer(translations, LANG).page(f"{stem}.md", meta, body)
    missing = [s.text for s in page_segments(meta, body) if Localizer(translations, LANG).lookup(f"{stem}.md", s.text)
               is None]
    assert not missing, f"{stem}.po lacks translations for {missing}"
    golden(CASES / f"{stem}.expect.md", frontmatter.dump(page.meta, page.markdown))
