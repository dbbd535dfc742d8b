"""Benchmarks with their targets: `make bench`. Speed and memory live here, not in tests.

Each line prints a measure and whether its target was met; the exit status is
non-zero when any target is missed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
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


def _median_run(action: Callable[[], object], runs: int = 3) -> tuple[float, float, float, float]:
    """Median wall seconds, min, max and median CPU seconds of ``runs`` calls of ``action``."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(walls), max(walls), statistics.median(cpus)


def bench_incremental(work: Path) -> list[str]:
    """Issue 12's translate and import targets, each the median of 3 runs; rows of the results table."""
    rows = []
    docs, translations = work / "inc-docs", work / "inc-translations"
    shutil.copytree(ROOT / "docs", docs)
    seeds = sorted((ROOT / "docs" / "analyses").glob("*-*.md"))
    for index in range(100):
        for page in seeds:
            text = page.read_text(encoding="utf-8").replace("title: ", f"title: {index} ", 1)
            (docs / "analyses" / f"{index:03d}-{page.name}").write_text(text, encoding="utf-8")
    pages = len(list(docs.rglob("*.md")))
    translate(docs, translations, ["tr"], PseudoEngine())
    wall, low, high, cpu = _median_run(lambda: translate(docs, translations, ["tr"], PseudoEngine()))
    rows.append(_row(f"translate, nothing to do ({pages} pages, 1 language)", wall, low, high, cpu, 1.0))
    report(f"translate, nothing to do ({pages} pages)", wall, "s", 1.0)
    articles = sorted((docs / "analyses").glob("0*.md"))
    per_change = {}
    for pages_changed, per_page in ((20, 1), (200, 1), (200, 10)):  # 20, 200 and 2,000 new segments
        edits = itertools.count(1)

        def edit(pages_changed: int = pages_changed, per_page: int = per_page, edits: Iterator[int] = edits) -> None:
            number = next(edits)
            for page in articles[:pages_changed]:
                text = page.read_text(encoding="utf-8")
                head, _, body = text.partition("\n---\n")
                added = "".join(f"Edit {number}.{n} of this page.\n\n" for n in range(per_page))
                page.write_text(f"{head}\n---\n\n{added}{body}", encoding="utf-8")
            translate(docs, translations, ["tr"], PseudoEngine())
        wall, low, high, cpu = _median_run(edit)
        segments = pages_changed * per_page
        per_change[segments] = cpu
        rows.append(_row(f"translate, {segments:,} new segments on {pages_changed} pages", wall, low, high, cpu, None))
    floor = _noop_cpu(rows)
    slope = (per_change[2000] - floor) / max(per_change[200] - floor, 1e-3)
    rows.append(f"| new segments 200 → 2,000: CPU above the nothing-to-do run × | {slope:.1f}× | | | "
                f"10× is linear: {'met' if slope <= 12 else 'MISSED'} |")
    words = "policy sanctions Moscow Ankara the cooperation of security energy trade and military".split()
    long_docs, long_translations = work / "long-docs", work / "long-translations"
    long_docs.mkdir()
    paragraph = " ".join(words[(i * 7) % len(words)] for i in range(100_000 // 8))
    (long_docs / "a.md").write_text(f"---\ntitle: Long\n---\n\n{paragraph}\n", encoding="utf-8")
    translate(long_docs, long_translations, ["tr"], PseudoEngine())

    words_changed = itertools.count(1)

    def one_word() -> None:
        edited = paragraph.replace(" energy ", f" oil{next(words_changed)} ", 1)
        (long_docs / "a.md").write_text(f"---\ntitle: Long\n---\n\n{edited}\n", encoding="utf-8")
        translate(long_docs, long_translations, ["tr"], PseudoEngine())
    wall, low, high, cpu = _median_run(one_word)
    rows.append(_row("translate, one word changed in a 100 KB paragraph", wall, low, high, cpu, 2.0))
    report("one word changed in a 100 KB paragraph (median of 3)", wall, "s", 2)
    rows.append(bench_import_1000(work))
    return rows


def bench_import_1000(work: Path) -> str:
    """Issue 12's import target: 1,000 text dumps (copies of the seeds, each its own title) into an empty
    docs tree, median of 3 runs, CPU ≤ 2 s; the row of the results table."""
    dumps = copies(work / "text-1000", sorted((ROOT / "sources").glob("*.txt")), 1000)
    outputs = iter(range(10))
    wall, low, high, cpu = _median_run(lambda: import_files(dumps, work / f"docs-1000-{next(outputs)}", ImportOptions()))
    report("import 1,000 text dumps, CPU (median of 3)", cpu, "s", 2)
    print(f"{'import 1,000 text dumps, wall (median, min–max)':<44} {wall:10.2f} s      {low:.2f}–{high:.2f} s")
    return _row("import 1,000 text dumps (CPU is the target)", wall, low, high, cpu, None, cpu_target=2.0)


def _noop_cpu(rows: list[str]) -> float:
    """The nothing-to-do run's median CPU seconds, the floor under every incremental run."""
    return float(rows[0].split("|")[4].strip().removesuffix(" s"))


def _row(name: str, wall: float, low: float, high: float, cpu: float, target: float | None,
         cpu_target: float | None = None) -> str:
    verdict = ""
    if target is not None:
        verdict = f"≤ {target:g} s wall: {'met' if wall <= target else 'MISSED'}"
    if cpu_target is not None:
        verdict = f"≤ {cpu_target:g} s CPU: {'met' if cpu <= cpu_target else 'MISSED'}"
    return f"| {name} | {wall:.2f} s | {low:.2f}–{high:.2f} s | {cpu:.2f} s | {verdict} |"


def write_translate_section(rows: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import results_file

    text = "\n".join([
        "## Translate and import",
        "",
        f"`make bench` (scripts/bench.py, bench_incremental), {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; pseudo engine, one language (tr); median of 3 runs, in process.",
        "",
        "| run | median wall | min–max | CPU (median) | target |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ])
    results_file.replace_section(ROOT / "benchmarks" / "results.md", "## Translate and import", text)


def bench_build(huge: bool) -> None:
    """The build table (scripts/bench_build.py), in its own processes; 10,000 articles only with ``--huge``."""
    command = [sys.executable, str(ROOT / "scripts" / "bench_build.py")] + (["--huge"] if huge else [])
    subprocess.run(command, check=False)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="the build table at 2,000 and 10,000 articles too")
    parser.add_argument("--only", choices=["incremental", "build", "import"],
                        help="run only that part (import: the 1,000-dump import alone, results.md untouched)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only == "import":
            bench_import_1000(work)
        if args.only in (None, "incremental"):
            write_translate_section(bench_incremental(work))
        if args.only in (None, "build"):
            bench_build(args.huge)
        if args.only is None:
            for step in (bench_import, bench_hostile, bench_translate, bench_long_paragraph, bench_mt):
                step(work)
            __import__("bench_weight").bench(report)  # scripts/bench_weight.py: first-visit bytes per language
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
