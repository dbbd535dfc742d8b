"""Fuzzing the importers and the page reader: a result or our typed error, nothing else.

Each test mutates real fixtures (see :mod:`tests.fuzzing`) with a fixed seed.
The default run feeds a short series per importer; ``make test-slow`` feeds
5,000 inputs each. A failure names the exception and where its input was saved.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from thinktank import frontmatter
from thinktank import library as library_mod
from thinktank.importers import ImportOptions, parse_file

from . import fuzzing
from .conftest import ROOT
from .test_import_html_docx import WORD_SOURCE

SHORT, LONG = 200, 5000
SHORT_DOCX = 120
"""Word inputs cost ~40 ms each (a pandoc process); the short run keeps to a few seconds."""
TEXTS = sorted((ROOT / "tests" / "cases").glob("*.txt")) + sorted((ROOT / "sources").glob("*.txt"))
HTMLS = sorted((ROOT / "tests" / "html").glob("*.html"))
PAGES = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "tests" / "golden" / "seeds").rglob("*.md"))
YAML_TOKENS = [
    b"date: 2024-13-45\n", b"date: 1 Feb 2024\n", b"date: 2024-01-01 25:00:00\n", b"authors: 5\n", b"tags: 3\n",
    b"title: [a, b]\n", b"title: 1984\n", b"source: x\n", b"&a ", b"*a", b"<<: *a\n", b"!!python/object:os.system ",
    b"!!int ", b"!!bool ", b"!!timestamp ", b"!!binary ", b"!!set ", b"? ", b": ", b"- ", b"[", b"]", b"{", b"}",
    b"\t", b"'", b'"', b"#", b"|", b">", b"%YAML 1.1\n", b"---\n", b"...\n", b"\n  ", b"9" * 5000, b"[" * 50,
]


@pytest.fixture(scope="module")
def docx_seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    pypandoc = pytest.importorskip("pypandoc", reason="pip install pypandoc-binary (builds the Word fixtures)")
    target = tmp_path_factory.mktemp("docx") / "seed.docx"
    pypandoc.convert_text(WORD_SOURCE, "docx", format="markdown", outputfile=str(target))
    return target.read_bytes()


def _importer(tmp_path: Path, profile: str) -> Callable[[bytes], object]:
    source = tmp_path / "input"

    def call(data: bytes) -> object:
        source.write_bytes(data)
        return parse_file(source, ImportOptions(profile=profile))

    return call


def _fuzz(name: str, count: int, make: Callable[[random.Random], bytes], call: Callable[[bytes], object],
          seed: int = 8) -> None:
    rng = random.Random(f"{name}-{seed}")
    for index in range(count):
        fuzzing.run_case(f"{name}-{seed}-{index}", make(rng), call)


def _text(rng: random.Random) -> bytes:
    return fuzzing.mutate(rng, rng.choice(TEXTS).read_bytes(), fuzzing.TEXT_TOKENS)


def _html(rng: random.Random) -> bytes:
    return fuzzing.mutate(rng, rng.choice(HTMLS).read_bytes(), fuzzing.HTML_TOKENS)


def _any(docx: bytes) -> Callable[[random.Random], bytes]:
    def make(rng: random.Random) -> bytes:
        choice = rng.randrange(4)
        if choice == 0:
            return fuzzing.random_bytes(rng)
        if choice == 1:
            return fuzzing.mutate_docx(rng, docx)
        seeds = [path.read_bytes() for path in (rng.choice(TEXTS), rng.choice(HTMLS))] + [docx]
        return fuzzing.mutate(rng, rng.choice(seeds), fuzzing.TEXT_TOKENS + fuzzing.HTML_TOKENS)

    return make


def _page(rng: random.Random) -> bytes:
    return fuzzing.mutate(rng, rng.choice(PAGES).read_bytes(), YAML_TOKENS + fuzzing.CONTROL_TOKENS)


def _page_reader(tmp_path: Path) -> Callable[[bytes], object]:
    """The page as docs/analyses/x.md and as an author page, read the three ways the tools read pages."""
    docs = tmp_path / "docs"
    (docs / "analyses").mkdir(parents=True)
    (docs / "authors").mkdir()

    def call(data: bytes) -> object:
        (docs / "analyses" / "x.md").write_bytes(data)
        (docs / "authors" / "someone.md").write_bytes(data)
        text = data.decode("utf-8", errors="replace")
        frontmatter.parse(text, Path("x.md"))
        return library_mod.load_library(docs, ["analyses"])  # reads the authors registry too

    return call


def test_fuzz_text_dumps(tmp_path: Path) -> None:
    _fuzz("text", SHORT, _text, _importer(tmp_path, "auto"))


def test_fuzz_html_pages(tmp_path: Path) -> None:
    _fuzz("html", SHORT, _html, _importer(tmp_path, "html"))


def test_fuzz_word_files(tmp_path: Path, docx_seed: bytes) -> None:
    _fuzz("docx", SHORT_DOCX, lambda rng: fuzzing.mutate_docx(rng, docx_seed), _importer(tmp_path, "docx"))


def test_fuzz_auto_detection(tmp_path: Path, docx_seed: bytes) -> None:
    _fuzz("auto", SHORT, _any(docx_seed), _importer(tmp_path, "auto"))


def test_fuzz_front_matter(tmp_path: Path) -> None:
    _fuzz("page", SHORT, _page, _page_reader(tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["text", "html", "docx", "auto", "page"])
def test_fuzz_long(kind: str, tmp_path: Path, docx_seed: bytes) -> None:
    makers: dict[str, tuple[Callable[[random.Random], bytes], Callable[[bytes], object]]] = {
        "text": (_text, _importer(tmp_path, "auto")),
        "html": (_html, _importer(tmp_path, "html")),
        "docx": (lambda rng: fuzzing.mutate_docx(rng, docx_seed), _importer(tmp_path, "docx")),
        "auto": (_any(docx_seed), _importer(tmp_path, "auto")),
        "page": (_page, _page_reader(tmp_path)),
    }
    make, call = makers[kind]
    _fuzz(f"long-{kind}", LONG, make, call, seed=2024)
