"""Bad pages under docs/ give one line naming the page and the field, wherever pages are read."""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import pytest

from thinktank import frontmatter, library
from thinktank.errors import ArticleFormatError

from .conftest import ROOT

PAGE = ROOT / "docs" / "analyses" / "north-korea-strengthens-cooperation-with-russia.md"
BAD_FIELDS = [
    ("date: 2024-13-45", "date: '2024-13-45' is not a date (YYYY-MM-DD)"),
    ("date: 1 Feb 2024", "date: '1 Feb 2024' is not a date (YYYY-MM-DD)"),
    ("date: 2024-02-30 25:61:00", "date: '2024-02-30 25:61:00' is not a date (YYYY-MM-DD)"),
    ("authors: 5", "authors: 5 is not a list"),
    ("authors: [5]", "authors: item 5 is not text"),
    ("title: [a, b]", "title: ['a', 'b'] is not text"),
    ("title: 1984", "title: 1984 is not text"),
    ("tags: 3", "tags: 3 is not a list"),
    ("source: ANKASAM", "source: 'ANKASAM' is not a mapping"),
    ("count: !!int many", "invalid YAML front matter: 'many' is not a valid int (line 2, column 8)"),
    ("flag: !!bool maybe", "invalid YAML front matter: 'maybe' is not a valid bool"),
    ("when: !!timestamp soon", None),  # not a field we read: kept as text
]


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    return docs


def _with_field(docs: Path, line: str) -> Path:
    """The committed PISM page with ``line`` first in its front matter (and the old key of that name gone)."""
    key = line.split(":", 1)[0]
    text = PAGE.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    kept: list[str] = []
    dropping = False
    for old in head.split("\n")[1:]:
        if old.startswith(f"{key}:"):
            dropping = True
        elif dropping and old.startswith((" ", "- ")):
            continue  # the old value's items
        else:
            dropping = False
            kept.append(old)
    page = docs / "analyses" / PAGE.name
    page.write_text("\n".join(["---", line, *kept]) + "\n---\n" + body, encoding="utf-8")
    return page


@pytest.mark.parametrize(("line", "expect"), BAD_FIELDS, ids=[line for line, _ in BAD_FIELDS])
def test_bad_field_is_one_line_naming_page_and_field(tmp_path: Path, line: str, expect: str | None) -> None:
    docs = _docs(tmp_path)
    page = _with_field(docs, line)
    if expect is None:
        meta, _ = frontmatter.read(page)
        assert meta["when"] == "soon"
        return
    with pytest.raises(ArticleFormatError) as caught:
        library.load_library(docs, ["analyses"])
    assert str(caught.value).startswith(f"{page}: {expect}") and "\n" not in str(caught.value)


def test_cli_status_and_translate_print_the_bad_page(tmp_path: Path, run_cli) -> None:
    docs = _docs(tmp_path)
    page = _with_field(docs, "date: 2024-13-45")
    for command in (("status",), ("translate", "--engine", "pseudo")):
        result = run_cli(*command, "--docs-dir", docs, "--translations-dir", tmp_path / "translations")
        assert result.code == 1, result
        assert result.err == f"error: {page}: date: '2024-13-45' is not a date (YYYY-MM-DD)\n"


def test_invalid_utf8_page(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    page = docs / "authors" / "oskar-pietrewicz.md"
    page.write_bytes(page.read_bytes().replace(b"Oskar", b"Osk\xe1r", 1))
    with pytest.raises(ArticleFormatError, match=r"not valid UTF-8 \(byte 0xe1 at offset \d+\); save the page as UTF-8"):
        library.load_library(docs, ["analyses"])


def test_invalid_yaml_is_one_line_with_the_page_line(tmp_path: Path) -> None:
    with pytest.raises(ArticleFormatError) as caught:
        frontmatter.parse("---\ntitle: Fine\ntags: [a, b\n---\nBody\n", Path("docs/x.md"))
    message = str(caught.value)
    assert message.startswith("docs/x.md: invalid YAML front matter: ") and "\n" not in message
    assert "(line 4, column 1)" in message


def test_datetime_is_listed_by_its_date(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    _with_field(docs, "date: 2024-02-01 10:30:00")
    dates = [entry.date for entry in library.load_library(docs, ["analyses"]).articles]
    assert dates[0] is not None and dates[0].isoformat() == "2024-02-01" and type(dates[0]).__name__ == "date"


def _bomb(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "---\ntitle: Laughs\n" + "\n".join(lines) + "\n---\nBody\n"


def test_alias_bomb_is_refused_quickly_with_small_memory(tmp_path: Path) -> None:
    page = tmp_path / "bomb.md"
    page.write_text(_bomb(), encoding="utf-8")  # 9**9 = 387 million strings if expanded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(ArticleFormatError) as caught:
        frontmatter.read(page)
    assert time.perf_counter() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024  # KB: under 20 MB more
    assert str(caught.value) == (f"{page}: invalid YAML front matter: YAML anchors and aliases (&name, *name) "
                                 "are not allowed in page front matter (line 3, column 7)")


def test_one_alias_is_refused_too() -> None:
    with pytest.raises(ArticleFormatError, match="anchors and aliases"):
        frontmatter.parse("---\nauthors: &a [x]\ntags: *a\n---\n", Path("docs/x.md"))


@pytest.mark.parametrize("levels", [21, 25, 5000])
def test_deep_nesting_is_refused_not_a_recursion_error(levels: int) -> None:
    """Past 20 levels our check refuses; past 1,000 libyaml's scanner may refuse first: one line either way."""
    nested = "[" * levels + "]" * levels
    for text in (f"---\ntitle: Deep\nx: {nested}\n---\n", "---\ntitle: Deep\n" + "".join(
            f"{'  ' * depth}k:\n" for depth in range(min(levels, 200))) + f"{'  ' * min(levels, 200)}v\n---\n"):
        with pytest.raises(ArticleFormatError, match=r"nested more than 20 levels deep|maximum nesting depth") as caught:
            frontmatter.parse(text, Path("docs/x.md"))
        assert "\n" not in str(caught.value)


def test_twenty_levels_are_allowed() -> None:
    meta, _ = frontmatter.parse("---\nx: " + "[" * 18 + "1" + "]" * 18 + "\n---\n", Path("docs/x.md"), fields=False)
    assert str(meta["x"]) == "[" * 18 + "1" + "]" * 18


def test_huge_front_matter_is_refused_unread() -> None:
    head = "title: Big\nnotes:\n" + "- number: 1\n  title: a long cited title that repeats\n" * 50_000
    with pytest.raises(ArticleFormatError, match=r"front matter is larger than 2 MB"):
        frontmatter.parse(f"---\n{head}---\nBody\n", Path("docs/x.md"))



def test_a_yaml_bomb_in_the_glossary_is_refused_in_one_line(tmp_path: Path) -> None:
    """The glossary is edited by hand too: the pages' loader (no aliases) reads it."""
    from thinktank.errors import CatalogError
    from thinktank.glossary import load

    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    (tmp_path / "glossary.yml").write_text("\n".join(lines) + "\nterms: []\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="anchors and aliases"):
        load(tmp_path)


def test_a_yaml_bomb_in_a_plain_page_stops_the_build_before_mkdocs_reads_it(repo_copy: Path) -> None:
    """MkDocs' own front-matter parser expands aliases; the plugin reads every page with ours first."""
    import subprocess
    import sys

    page = repo_copy / "docs" / "about.md"
    body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
             for i in range(8)]
    page.write_text("---\ntitle: About\n" + "\n".join(bomb) + "\n---\n" + body, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(repo_copy / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=repo_copy, timeout=120)
    assert result.returncode != 0
    assert "about.md" in result.stderr and "anchors and aliases" in result.stderr
