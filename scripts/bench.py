"""Benchmarks with their targets: `make bench`. Speed and memory live here, not in tests.

Each line prints a measure and whether its target was met; the exit status is
non-zero when any target is missed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

from thinktank.engines.pseudo import PseudoEngine
from thinktank.errors import ThinktankError
from thinktank.importers import ImportOptions, import_files
from thinktank.translation import translate

ROOT = Path(__file__).resolve().parent.parent
RESULTS: list[bool] = []


def report(name: str, value: float, unit: str, target: float) -> None:
    ok = value <= target
    RESULTS.append(ok)
    print(f"{name:<44} {value:10.1f} {unit:<6} target ≤ {target:g} {unit}: {'met' if ok else 'MISSED'}")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def copies(work: Path, seeds: list[Path], count: int) -> list[Path]:
    """``count`` distinct dumps made from the seeds (each with its own title)."""
    work.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        seed = seeds[index % len(seeds)]
        text = seed.read_bytes().decode("utf-8")
        if seed.suffix == ".html":
            text = text.replace("<title>", f"<title>{index} ").replace('og:title" content="', f'og:title" content="{index} ')
        else:
            title, rest = text.lstrip("\n").split("\n", 1)
            text = f"{title} {index}\n{rest}"
        target = work / f"{index:04d}-{seed.name}"
        target.write_text(text, encoding="utf-8")
        made.append(target)
    return made


def bench_import(work: Path) -> None:
    dumps = copies(work / "text", sorted((ROOT / "sources").glob("*.txt")), 200)
    tracemalloc.start()
    seconds = timed(lambda: import_files(dumps, work / "docs-text", ImportOptions()))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("text import, per article (200 dumps)", seconds / len(dumps) * 1000, "ms", 50)
    report("text import, peak traced memory", peak / 1024 / 1024, "MiB", 64)
    pages = copies(work / "html", [ROOT / "tests/html/wordpress-footnote-block.html",
                                   ROOT / "tests/html/text-markers-author-box.html"], 40)
    seconds = timed(lambda: import_files(pages, work / "docs-html", ImportOptions()))
    report("HTML import, per page (40 pages)", seconds / len(pages) * 1000, "ms", 300)


def refused(path: Path) -> float:
    def attempt() -> None:
        try:
            import_files([path], path.parent / "docs", ImportOptions())
        except ThinktankError:
            return
        raise AssertionError(f"{path} was not refused")

    return timed(attempt)


def bench_hostile(work: Path) -> None:
    huge = work / "huge.html"
    with huge.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><body>")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(b"<p>" + b"word " * 2000 + b"</p>\n")
    report("50 MB HTML refused in", refused(huge) * 1000, "ms", 1000)
    bomb = work / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w") as padding:
            for _ in range(200):
                padding.write(bytes(1024 * 1024))
    report("zip bomb (.docx, 200 MB unpacked) refused in", refused(bomb) * 1000, "ms", 1000)


def bench_translate(work: Path) -> None:
    docs = work / "site-docs"
    shutil.copytree(ROOT / "docs", docs)
    for index in range(100):
        for page in (ROOT / "docs" / "analyses").glob("*-*.md"):
            text = page.read_text(encoding="utf-8").replace("title: ", f"title: {index} ", 1)
            (docs / "analyses" / f"{index:03d}-{page.name}").write_text(text, encoding="utf-8")
    engine = PseudoEngine()
    seconds = timed(lambda: translate(docs, work / "translations", ["tr", "ru"], engine))
    report(f"pseudo translate, {engine.segments} segments, 2 languages", seconds, "s", 20)
    again = PseudoEngine()
    seconds = timed(lambda: translate(docs, work / "translations", ["tr", "ru"], again))
    report("second run, nothing changed (engine calls: %d)" % again.batches, seconds, "s", 10)


def bench_long_paragraph(work: Path) -> None:
    """One changed word in a huge paragraph once made translate quadratic (167 s at 100 KB)."""
    words = "policy sanctions Moscow Ankara the cooperation of security energy trade and military".split()
    for size in (100_000, 1_000_000):
        docs, translations = work / f"long-{size}" / "docs", work / f"long-{size}" / "translations"
        docs.mkdir(parents=True)
        paragraph = " ".join(words[(i * 7) % len(words)] for i in range(size // 8))
        (docs / "a.md").write_text(f"---\ntitle: Long\n---\n\n{paragraph}\n", encoding="utf-8")
        translate(docs, translations, ["tr"], PseudoEngine())
        edited = paragraph.replace(" energy ", " oil ", 1)
        (docs / "a.md").write_text(f"---\ntitle: Long\n---\n\n{edited}\n", encoding="utf-8")
        seconds = timed(lambda docs=docs, translations=translations: translate(docs, translations, ["tr"], PseudoEngine()))
        report(f"one word changed in a {size // 1000} KB paragraph", seconds, "s", 2)


def bench_mt(work: Path) -> None:
    """Argos against stock argostranslate on the realistic random model (~5 min); its table goes to
    benchmarks/results.md. Skipped without the argos extra."""
    try:
        import argostranslate  # noqa: F401
        import ctranslate2  # noqa: F401
    except ImportError:
        print("MT against stock argostranslate: skipped (pip install -e '.[argos]')")
        return
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_mt

    _, per_sentence = bench_mt.run()
    ok = per_sentence >= bench_mt.TARGET_RATIO
    RESULTS.append(ok)
    print(f"{'MT, ours × stock at equal beam 4':<44} {per_sentence:10.2f} {'×':<6} "
          f"target ≥ {bench_mt.TARGET_RATIO:g} ×: {'met' if ok else 'MISSED'}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for step in (bench_import, bench_hostile, bench_translate, bench_long_paragraph, bench_mt):
            step(work)
        __import__("bench_weight").bench(report)  # scripts/bench_weight.py: first-visit bytes per language
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
