"""Author names arrive shouted; the registry belongs to the editors."""

from __future__ import annotations

from pathlib import Path

import pytest

from thinktank import frontmatter
from thinktank.authors import merge_entry, normalise_name
from thinktank.models import Author


@pytest.mark.parametrize(
    ("raw", "locale", "expected"),
    [
        ("Zeki Talustan GÜLTEN", "tr", "Zeki Talustan Gülten"),
        ("AYŞE IŞIK", None, "Ayşe Işık"),  # Turkish letters alone switch on Turkish rules
        ("IŞIK", "tr", "Işık"),
        ("EMRE YILMAZ", "tr", "Emre Yılmaz"),
        ("AHMET İNCE", None, "Ahmet İnce"),
        ("OSKAR PIETREWICZ", "pl", "Oskar Pietrewicz"),
        ("JEAN-PIERRE DUBOIS", None, "Jean-Pierre Dubois"),
        ("Oskar Pietrewicz", "pl", "Oskar Pietrewicz"),
        ("Mary McDONALD", None, "Mary McDONALD"),  # mixed case is the author's own choice
        ("ИВАН ПЕТРОВ", None, "Иван Петров"),
    ],
)
def test_normalise_name(raw: str, locale: str | None, expected: str) -> None:
    assert normalise_name(raw, locale) == expected


def test_registry_bio_is_never_overwritten_without_force(run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    entry = docs / "authors" / "jane-doe.md"
    entry.parent.mkdir(parents=True)
    entry.write_text("---\ntitle: Jane Doe\n---\n\nThe editors' own bio.\n", encoding="utf-8")
    dump = tmp_path / "a.txt"
    dump.write_text("A Short Analysis\n\nOne paragraph.\n\nJane DOE\nJane Doe writes about other things.\n", encoding="utf-8")
    result = run_cli("import", dump, "--docs-dir", docs)
    assert result.code == 0
    assert "registry entry kept" in result.err
    assert frontmatter.read(entry)[1] == "The editors' own bio.\n"


def test_empty_registry_bio_is_filled_and_incoming_empty_bio_erases_nothing() -> None:
    empty = Author("jane-doe", "Jane Doe", "PISM", "")
    full = Author("jane-doe", "Jane DOE", "", "A bio.")
    assert merge_entry(empty, full, force=False) == (Author("jane-doe", "Jane Doe", "PISM", "A bio."), "")
    assert merge_entry(full, empty, force=True) == (None, "")
