"""The two seed articles import exactly as the committed pages and golden files say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from thinktank import frontmatter
from thinktank.importers import ImportOptions, parse_file

from .conftest import ROOT, snapshot

MANIFEST = yaml.safe_load((ROOT / "sources" / "manifest.yml").read_text(encoding="utf-8"))
ANKASAM = ROOT / "sources" / "ankasam-russia-north-korea-cooperation.txt"
PISM = ROOT / "sources" / "pism-north-korea-strengthens-cooperation-with-russia.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ as re-imported from sources/ with the manifest's options."""
    from thinktank.cli import main

    docs = tmp_path_factory.mktemp("reimport") / "docs"
    for item in MANIFEST:
        assert main(["import", str(ROOT / "sources" / item["file"]), *item["args"], "--docs-dir", str(docs)]) == 0
    return docs


def test_reimport_reproduces_committed_pages_byte_for_byte(imported: Path) -> None:
    committed = ROOT / "docs"
    for name, data in snapshot(imported).items():
        assert (committed / name).read_bytes() == data, f"docs/{name} differs from a fresh import"


def test_reimport_matches_golden_files(imported: Path, golden) -> None:
    for name, data in snapshot(imported).items():
        golden(ROOT / "tests" / "golden" / "seeds" / name, data.decode("utf-8"))
    expected = {p.relative_to(ROOT / "tests/golden/seeds").as_posix() for p in (ROOT / "tests/golden/seeds").rglob("*.md")}
    assert expected == set(snapshot(imported)), "golden files and import output name different pages"


def _page(docs: Path, slug: str) -> tuple[dict, str]:
    return frontmatter.read(docs / "analyses" / f"{slug}.md")


def test_ankasam_title_chrome_and_languages(imported: Path) -> None:
    meta, body = _page(imported, "background-of-russia-north-korea-cooperation")
    assert meta["title"] == "Background of Russia-North Korea Cooperation"
    assert "Similar Posts" not in body and "also available in" not in body
    assert meta["source"]["languages"] == ["tr", "ru"]
    assert meta["authors"] == ["zeki-talustan-gulten"]


def test_ankasam_markers_become_footnotes_where_they_stood(imported: Path) -> None:
    _, body = _page(imported, "background-of-russia-north-korea-cooperation")
    source = ANKASAM.read_text(encoding="utf-8")
    for number in range(1, 7):
        before = source.split(f"[{number}]")[0].rsplit("\n", 1)[-1][-40:]
        assert f"{before}[^{number}]" in body, f"note {number} moved"
        assert f"\n[^{number}]: " in body
    assert "[^5]: Ibid." in body and "[^6]: Ibid." in body
    assert "[1]" not in body


def test_ankasam_notes_are_structured_and_ibid_resolves_to_note_4(imported: Path) -> None:
    meta, _ = _page(imported, "background-of-russia-north-korea-cooperation")
    notes = {note["number"]: note for note in meta["notes"]}
    assert notes[1] == {"number": 1, "title": "Russia’s Putin to Visit North Korea Soon, State Media Says",
                        "publisher": "Cable News Network World", "accessed": dt.date(2024, 2, 1)}
    assert notes[2]["publisher"] == "Reuters"
    assert notes[3]["title"] == "Putin Willing to Visit North Korea at ‘Early Date,’ Pyongyang Says"
    assert notes[5] == {"number": 5, "ibid": 4} and notes[6] == {"number": 6, "ibid": 4}

    article, _ = parse_file(ANKASAM, ImportOptions())
    resolved = {note.number: note for note in article.footnotes}
    assert resolved[5].citation == resolved[4].citation == resolved[6].citation
    assert resolved[5].text == "Ibid."


def test_ankasam_author_bio_goes_to_registry_not_body(imported: Path) -> None:
    _, body = _page(imported, "background-of-russia-north-korea-cooperation")
    assert "graduated from Yalova University" not in body
    assert "GÜLTEN" not in body and "Gülten" not in body
    meta, bio = frontmatter.read(imported / "authors" / "zeki-talustan-gulten.md")
    assert meta["title"] == "Zeki Talustan Gülten"
    assert bio.startswith("Zeki Talustan Gülten graduated from Yalova University")
    assert bio.count("\n") == 1, "the doubled name line must be gone from the bio"


def test_pism_title_author_summary(imported: Path) -> None:
    meta, body = _page(imported, "north-korea-strengthens-cooperation-with-russia")
    assert meta["title"] == "North Korea Strengthens Cooperation with Russia"
    assert meta["authors"] == ["oskar-pietrewicz"]
    assert meta["summary"].startswith("Kim Jong Un's visit to Russia from 12 to 17 September")
    assert "Oskar Pietrewicz" not in body


def test_pism_author_has_empty_bio_and_a_warning(run_cli, tmp_path: Path) -> None:
    result = run_cli("import", PISM, "--docs-dir", tmp_path / "docs")
    assert result.code == 0
    assert "no biography for Oskar Pietrewicz" in result.err
    meta, bio = frontmatter.read(tmp_path / "docs" / "authors" / "oskar-pietrewicz.md")
    assert meta["title"] == "Oskar Pietrewicz" and bio == ""


def test_pism_run_in_headings_artefacts_and_links(imported: Path) -> None:
    _, body = _page(imported, "north-korea-strengthens-cooperation-with-russia")
    for heading in ("Development of North Korea's Political Dialogue with Russia.",
                    "Manifestations and Potential for Cooperation.", "Conclusions and Perspectives."):
        assert f"\n\n**{heading}** " in body
    assert "PISM BULLETIN" not in body
    assert "Su-35 and Su-57 fighter jets in Komsomolsk-on-Amur." in body
    assert "it is not internationally isolated." in body
    assert "](#)" not in body
    assert "North Korea was ready to strengthen political contacts with Russia." in body
    assert "NATO's deepening political and intelligence cooperation with its Indo-Pacific partners." in body
    assert "*Marshal Shaposhnikov*" in body


def test_missing_date_warns_and_given_date_is_recorded(run_cli, tmp_path: Path) -> None:
    result = run_cli("import", ANKASAM, "--docs-dir", tmp_path / "a")
    assert "no publication date" in result.err
    result = run_cli("import", ANKASAM, "--date", "2024-02-01", "--docs-dir", tmp_path / "b")
    assert "no publication date" not in result.err
    meta, _ = frontmatter.read(tmp_path / "b" / "analyses" / "background-of-russia-north-korea-cooperation.md")
    assert meta["date"] == dt.date(2024, 2, 1)


def test_auto_profile_recognises_each_seed() -> None:
    assert parse_file(ANKASAM, ImportOptions())[0].profile == "ankasam"
    assert parse_file(PISM, ImportOptions())[0].profile == "pism"
