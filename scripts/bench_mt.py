"""MT speed: our argos engine against stock argostranslate, on equal work.

    python scripts/bench_mt.py            # prints a table, writes benchmarks/results.md's MT section
    python scripts/bench_mt.py --runs 5

Real argos models cannot be downloaded here, so both sides run the same
random-weight model of a real model's shape, built by
``scripts/build_test_model.py --realistic`` (6+6 layers, d_model 512, FFN
2048, 8 heads, vocabulary padded to 32k, int8) and cached under
``build/bench-models/``. Random weights never emit end-of-sentence at the
same place twice, so each side's ``ctranslate2.Translator`` is replaced by a
subclass whose ``translate_batch`` forces ``min_decoding_length`` =
``max_decoding_length`` = 32 (``translate_iterable`` goes through it): every
sentence costs exactly 32 decoding steps per beam on either side, and the
subclass counts sentences, source tokens and output lengths to prove it.

"Stock" is ``argostranslate.translate.translate(text, "en", "tr")`` once
per segment, as argostranslate's users call it, through its own code:
``CachedTranslation`` → ``PackageTranslation.hypotheses`` → its sentencizer →
``apply_packaged_translation`` (one ``translate_batch`` per paragraph,
``batch_type="tokens"``, ``max_batch_size=32``, ``beam_size=4``,
``length_penalty=0.2``, ``return_scores``). Its default sentencizer
(MiniSBD) downloads an ONNX model and stanza needs its own download, so the
stock side runs argostranslate's spaCy sentencizer (``ARGOS_CHUNK_TYPE=SPACY``)
with a spaCy pipeline shipped inside the package (``spacy/``, a blank English
pipeline to which argostranslate adds its rule-based ``sentencizer``), and
its ``cache_spacy`` download hook disabled. The neural MiniSBD would only
add time to stock, so the ratios are, if anything, understated.

Each figure is the median of ``--runs`` (≥ 3) runs, interleaved (stock, ours,
ours, stock, ...), each in a fresh process reporting its own peak RSS
(``VmHWM``) and CPU time. Timing starts after one warm-up sentence (model loaded) and
covers the whole corpus: the article pages of ``docs/analyses``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench-models"
RESULTS = ROOT / "benchmarks" / "results.md"
DECODE = 32
"""Decoding steps per sentence and beam on both sides."""
TARGET_RATIO = 6.0
"""Issue 12: ours ≥ 6× stock at equal beam 4."""
SECTION = "## MT: argos engine against stock argostranslate"


@dataclass(frozen=True)
class Variant:
    label: str
    side: str
    """stock; ours; naive (ours before issue 12: 32 sentences a batch, unsorted, CTranslate2's default
    threads); intra (ours with one worker of ``intra_threads`` = every core instead of one worker per core)."""
    beam: int


STOCK = "stock argostranslate, beam 4 (as shipped)"
EQUAL = "ours, beam 4 (equal beam)"
VARIANTS = (
    Variant(STOCK, "stock", 4),
    Variant("ours before issue 12 (32 a batch, unsorted), beam 4", "naive", 4),
    Variant("ours, one worker × intra_threads=cores, beam 4", "intra", 4),
    Variant(EQUAL, "ours", 4),
    Variant("ours, beam 2 (as shipped)", "ours", 2),
)


# ---------------------------------------------------------------- child side


def corpus() -> list[str]:
    """Every segment of the article pages, as translate would send them."""
    from thinktank import frontmatter, segments

    texts = []
    for page in sorted((ROOT / "docs" / "analyses").glob("*-*.md")):
        meta, body = frontmatter.read(page)
        texts += [segment.text for segment in segments.page_segments(meta, body)]
    return texts


class Counts:
    calls = 0
    sentences = 0
    source_tokens = 0
    output_lengths: set[int] = set()


def pin_decoding(ctranslate2: Any) -> None:
    """Make every ``Translator`` decode exactly ``DECODE`` steps, and count what it is given."""

    class Pinned(ctranslate2.Translator):  # type: ignore[misc, name-defined]
        def translate_batch(self, source: list[list[str]], *args: Any, **kwargs: Any) -> Any:
            kwargs["min_decoding_length"] = kwargs["max_decoding_length"] = DECODE
            results = super().translate_batch(source, *args, **kwargs)
            if not kwargs.get("asynchronous"):
                Counts.output_lengths.update(len(result.hypotheses[0]) for result in results)
            Counts.calls += 1
            Counts.sentences += len(source)
            Counts.source_tokens += sum(map(len, source))
            return results

        def translate_iterable(self, source: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["min_decoding_length"] = kwargs["max_decoding_length"] = DECODE
            for result in super().translate_iterable(source, *args, **kwargs):
                Counts.output_lengths.add(len(result.hypotheses[0]))
                yield result

    ctranslate2.Translator = Pinned


def child(side: str, beam: int) -> None:
    """One measured run, in its own process; prints one JSON line."""
    import ctranslate2

    pin_decoding(ctranslate2)
    texts = corpus()
    if side == "stock":
        os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"
        os.environ["ARGOS_BEAM_SIZE"] = str(beam)
        from argostranslate import networking

        networking.cache_spacy = lambda: None  # the package ships its pipeline: never download one
        from argostranslate import translate as stock

        def run(batch: list[str]) -> list[str]:
            return [stock.translate(text, "en", "tr") for text in batch]
    else:
        from thinktank.engines import argos, get_engine

        argos.BEAM_SIZE = beam
        if side == "intra":
            argos.thread_layout = lambda cores: (1, cores)
        engine = get_engine("argos", device="cpu")
        if side == "naive":
            naive(engine)
        run = lambda batch: engine.translate_batch(batch, "tr")  # noqa: E731
    run(["Warm up, once."])
    Counts.calls = Counts.sentences = Counts.source_tokens = 0
    Counts.output_lengths = set()
    start, cpu_start = time.perf_counter(), time.process_time()
    outputs = run(texts)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert len(outputs) == len(texts)
    peak_mib = peak_rss_mib()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "texts": len(texts), "calls": Counts.calls, "sentences": Counts.sentences,
                      "source_tokens": Counts.source_tokens, "output_lengths": sorted(Counts.output_lengths),
                      "rss_mib": peak_mib}))


def peak_rss_mib() -> float:
    """This process's peak RSS. ``VmHWM`` restarts at exec; ``ru_maxrss`` would keep the forking parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive(engine: Any) -> None:
    """The engine as it was before issue 12, for the before/after line: batches of 32 sentences in input
    order, ``intra_threads`` left to CTranslate2."""
    import ctranslate2

    from thinktank.engines import argos

    def translator(target: str) -> Any:
        if target not in engine._translators:
            model_dir = Path(engine.package(target).package_path) / "model"
            engine._translators[target] = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1)
        return engine._translators[target]

    def translate_batch(texts: list[str], target: str) -> list[str]:
        package = engine.package(target)
        split = [argos.sentences.split(text) for text in texts]
        tokens = [package.tokenizer.encode(sentence) for group in split for sentence in group]
        results = translator(target).translate_iterable(tokens, max_batch_size=32, beam_size=argos.BEAM_SIZE)
        decoded = iter([engine._decode(package, result.hypotheses[0]) for result in results])
        return [" ".join(next(decoded) for _ in group) for group in split]

    engine.translate_batch = translate_batch


# ---------------------------------------------------------------- parent side


def model_archive() -> tuple[Path, float | None]:
    """The realistic en→tr model, built once into build/bench-models (seconds it took, None if cached)."""
    import build_test_model as builder  # beside this script, so on sys.path however it is run
    archive = CACHE / "translate-en_tr-0_0_1.argosmodel"
    if archive.exists():
        return archive, None
    start = time.perf_counter()
    built = builder.build("tr", CACHE, shape=builder.REALISTIC)
    return built, time.perf_counter() - start


def environment(work: Path) -> dict[str, str]:
    """A private argos home: packages, settings and caches under ``work``; our source first on the path."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "HOME": str(home), "ARGOS_PACKAGES_DIR": str(work / "packages"),
            "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": path}


def install(archive: Path, env: dict[str, str]) -> None:
    """Install through argostranslate's own code, then ship the spaCy pipeline stock's sentencizer loads."""
    code = ("import sys, spacy; from argostranslate import package\n"
            "package.install_from_path(sys.argv[1])\n"
            "installed = [p for p in package.get_installed_packages() if p.to_code == 'tr'][0]\n"
            "spacy.blank('en').to_disk(installed.package_path / 'spacy')\n")
    subprocess.run([sys.executable, "-c", code, str(archive)], env=env, check=True)


def measure(variant: Variant, env: dict[str, str]) -> dict[str, Any]:
    """One run in a fresh process: its JSON line (with its own peak RSS)."""
    process = subprocess.run([sys.executable, __file__, "--child", variant.side, str(variant.beam)],
                             env=env, capture_output=True, text=True)
    if process.returncode != 0:
        raise RuntimeError(f"{variant.label} failed:\n{process.stderr}")
    result: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    return result


@dataclass(frozen=True)
class Figure:
    label: str
    seconds: list[float]
    cpu: list[float]
    rss_mib: list[float]
    sentences: int
    source_tokens: int
    output_lengths: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def figures(runs: dict[str, list[dict[str, Any]]]) -> list[Figure]:
    made = []
    for label, results in runs.items():
        first = results[0]
        assert all(r["sentences"] == first["sentences"] and r["source_tokens"] == first["source_tokens"]
                   for r in results), f"{label}: runs did unequal work"
        made.append(Figure(label, [r["seconds"] for r in results], [r["cpu"] for r in results],
                           [r["rss_mib"] for r in results], first["sentences"], first["source_tokens"],
                           sorted({n for r in results for n in r["output_lengths"]})))
    return made


def ratio(stock: Figure, figure: Figure) -> tuple[float, float]:
    """(time ratio, per-sentence ratio): stock's spaCy split may yield a few more sentences than ours."""
    plain = stock.median / figure.median
    return plain, plain * figure.sentences / stock.sentences


def table(found: list[Figure]) -> list[str]:
    stock = next(figure for figure in found if figure.label == STOCK)
    lines = ["| run | median | min–max | CPU (median) | × stock | × stock per sentence | peak RSS | "
             "sentences | source tokens |", "|---|---|---|---|---|---|---|---|---|"]
    for figure in found:
        plain, per_sentence = ratio(stock, figure)
        lines.append(f"| {figure.label} | {figure.median:.2f} s | {min(figure.seconds):.2f}–{max(figure.seconds):.2f} s "
                     f"| {statistics.median(figure.cpu):.2f} s | {plain:.2f}× | {per_sentence:.2f}× "
                     f"| {statistics.median(figure.rss_mib):.0f} MiB | {figure.sentences} | {figure.source_tokens} |")
    return lines


def section(found: list[Figure], runs: int, build_seconds: float | None, load: tuple[float, float]) -> str:
    import ctranslate2
    from importlib.metadata import version

    equal = next(figure for figure in found if figure.label == EQUAL)
    stock = next(figure for figure in found if figure.label == STOCK)
    _, per_sentence = ratio(stock, equal)
    lengths = sorted({n for figure in found for n in figure.output_lengths})
    built = (f"built in {build_seconds:.0f} s" if build_seconds is not None
             else "taken from the build/bench-models cache (building it takes ~10 s)")
    return "\n".join([
        SECTION, "",
        f"`python scripts/bench_mt.py` (also run by `make bench`), {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} cores, {len(os.sched_getaffinity(0))} allowed, load average "
        f"{load[0]:.1f} before and {load[1]:.1f} after; ctranslate2 {ctranslate2.__version__}, "
        f"argostranslate {version('argostranslate')}. Median of {runs} interleaved runs each, every run a "
        "fresh process; wall time after one warm-up sentence.", "",
        f"Model: random weights, 6+6 layers, d_model 512, FFN 2048, 8 heads, vocabulary padded to 32k, int8 "
        f"(`scripts/build_test_model.py --realistic`, {built}). Decoding pinned to {DECODE} steps per "
        f"sentence on both sides (every output measured {lengths} tokens long). Corpus: the "
        f"{equal.sentences}-sentence article pages of docs/analyses, one text per segment. Stock is "
        "`argostranslate.translate.translate` per segment through its own pipeline, with its spaCy "
        "sentencizer (a blank English pipeline in the package; its default MiniSBD model cannot be "
        "downloaded here and would only add time).", "",
        *table(found), "",
        f"Target (issue 12): ours ≥ {TARGET_RATIO:g}× stock at equal beam 4, per sentence: "
        f"{per_sentence:.2f}× — {'met' if per_sentence >= TARGET_RATIO else 'MISSED'}.", "",
    ])


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's section of results.md (other benchmarks own the rest of the file)."""
    from thinktank.fsutil import atomic_write_text

    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    if SECTION in old:
        before, rest = old.split(SECTION, 1)
        after = rest[rest.find("\n## ") + 1:] if "\n## " in rest else ""
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, new)


def run(runs: int = 3, write: bool = True) -> tuple[list[Figure], float]:
    """Measure every variant; returns the figures and the equal-beam per-sentence ratio."""
    import tempfile

    runs = max(3, runs)
    load_before = os.getloadavg()[0]
    archive, build_seconds = model_archive()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        install(archive, env)
        results: dict[str, list[dict[str, Any]]] = {variant.label: [] for variant in VARIANTS}
        for _ in range(runs):
            for variant in VARIANTS:
                results[variant.label].append(measure(variant, env))
    found = figures(results)
    text = section(found, runs, build_seconds, (load_before, os.getloadavg()[0]))
    if write:
        write_section(text)
    stock = next(figure for figure in found if figure.label == STOCK)
    equal = next(figure for figure in found if figure.label == EQUAL)
    print(text)
    return found, ratio(stock, equal)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "BEAM"), help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (at least 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results.md alone")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    run(args.runs, write=not args.no_write)
    return 0  # a benchmark never fails the build


if __name__ == "__main__":
    sys.exit(main())
