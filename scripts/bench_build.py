"""The build table of issue 12: the site at N analyses with the thinktank plugin on against the same site off.

Each archive is made by ``scripts/archive.py`` (three languages, real catalogs);
every build is a fresh ``mkdocs build`` process with PDFs off (``THINKTANK_PDF=0``:
WeasyPrint would measure itself, not the build). Runs are interleaved (on, off,
on, off, ...) so a change in the machine's load falls on both sides; the figure
is the median of the runs with their min–max. Memory is the peak of the build's
processes together: the plugin builds half of the translated languages in a
fork (``thinktank.mkdocs_plugin.passes``), so the figure is the sum of the PSS
(each shared page counted once, in shares) of mkdocs and its children, sampled
every 20 ms from this process, in one more run a side after the timed ones
(reading ``smaps_rollup`` takes the CPU a two-process build would use, so timed
runs are not sampled); the largest single process's peak RSS and the CPU seconds
of them all (``os.wait4``) come from the timed runs.

The plugin's side is measured twice a run: a first build (its build cache removed) and a rebuild with
nothing edited (reading that cache).

``python scripts/bench_build.py [--sizes 10 100 1000] [--runs 3] [--huge]`` prints
the table and writes it to the ``## Build`` section of benchmarks/results.md.
Benchmarks never fail CI: the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive  # noqa: E402
import results_file  # noqa: E402

MKDOCS = Path(sys.executable).with_name("mkdocs")
RATIO_TARGET = 1.3
LINEAR_TARGET = 2.1
MEMORY_TARGET = 1.5


@dataclass
class Run:
    seconds: float
    memory: float
    """Peak of the summed PSS of mkdocs and its children, MiB."""
    rss: float
    """Peak RSS of the largest of them, MiB."""
    cpu: float
    """User and system seconds of them all."""


@dataclass
class Side:
    seconds: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.seconds.append(run.seconds)
        self.rss.append(run.rss)
        self.cpu.append(run.cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def span(self) -> str:
        return f"{min(self.seconds):.1f}–{max(self.seconds):.1f} s"


def build_once(config: Path, site: Path, sample: bool = False) -> Run:
    """One ``mkdocs build`` in a fresh process: wall seconds, the peak memory of its processes together (when
    ``sample``; else 0), the largest one's peak RSS and their CPU seconds (from ``os.wait4``, which counts the
    children it waited for)."""
    env = {**os.environ, "THINKTANK_PDF": "0", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    process = subprocess.Popen([str(MKDOCS), "build", "-q", "-f", str(config), "-d", str(site)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if sample:
            peak = max(peak, _tree_pss(process.pid))
        time.sleep(0.02 if sample else 0.05)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return Run(seconds, peak / 1024, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def _tree_pss(pid: int) -> int:
    """The summed PSS (KiB) of process ``pid`` and its descendants; 0 for one that has just ended."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            total += next((int(line.split()[1]) for line in stream if line.startswith("Pss:")), 0)
        children = [int(child) for task in os.listdir(f"/proc/{pid}/task")
                    for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        return total
    return total + sum(_tree_pss(child) for child in children)


SIDES = ("on", "warm", "off")
"""The plugin on with no build cache (a first build: the cache is removed before each run), on with the cache
the previous run left (a rebuild, nothing edited), and off."""


def measure(sizes: list[int], runs: int, work: Path) -> dict[int, dict[str, Side]]:
    table: dict[int, dict[str, Side]] = {}
    for size in sizes:
        on = archive.make_archive(work / f"on-{size}", size, plugin=True)
        configs = {"on": on, "warm": on, "off": archive.make_archive(work / f"off-{size}", size, plugin=False)}
        table[size] = {name: Side() for name in SIDES}
        for run in range(1 if size >= 10000 else runs):  # 10,000: one run a side (~5 min each)
            # Cold before warm (warm reads the cache cold wrote); off first or last, in turn.
            for name in ("on", "warm", "off") if run % 2 == 0 else ("off", "on", "warm"):
                if name == "on":
                    shutil.rmtree(on.parent / "build", ignore_errors=True)
                result = build_once(configs[name], work / f"site-{name}-{size}")
                table[size][name].add(result)
                print(f"{size:>6} {name:<4} run {run + 1}: {result.seconds:6.1f} s (largest process "
                      f"{result.rss:.0f} MiB) {result.cpu:6.1f} s CPU", flush=True)
        for name in ("on", "warm", "off"):  # memory, sampled
            if name == "on":
                shutil.rmtree(on.parent / "build", ignore_errors=True)
            memory = build_once(configs[name], work / f"site-{name}-{size}", sample=True).memory
            table[size][name].memory.append(memory)
            print(f"{size:>6} {name:<4} memory: {memory:6.0f} MiB", flush=True)
    return table


def markdown(table: dict[int, dict[str, Side]], runs: int, load: tuple[float, float]) -> str:
    lines = [
        "## Build",
        "",
        f"`python scripts/bench_build.py` (`make bench`; 10,000 with `make bench BENCH_ARGS=--huge`), "
        f"{time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load[0]:.1f} before and {load[1]:.1f} after. The archive of `scripts/archive.py` (three languages, real "
        f"catalogs), plugin on against `thinktank: {{enabled: false}}`; each figure the median of {runs} interleaved "
        "runs (one at 10,000), each a fresh `mkdocs build` with `THINKTANK_PDF=0`.",
        "",
        "\"On\" is a first build (no build cache: `build/cache/` is removed before each run); \"rebuild\" is the "
        "next build with nothing edited, reading the cache the first one wrote (`thinktank.build_cache`). The "
        "plugin builds half of the translated languages in a fork beside the other half "
        "(`thinktank.mkdocs_plugin.passes`), so the build uses both cores: the CPU column is the seconds of all its "
        "processes (median), and memory is the peak of their PSS summed (a page the fork shares is counted once; "
        "sampled every 20 ms in one more run a side, as sampling takes CPU from a build on two cores), the largest "
        "single process's peak RSS in brackets.",
        "",
        "| articles (3 languages) | plugin on | min–max | rebuild | min–max | off | min–max | ratio on / rebuild "
        "| CPU on / rebuild / off | peak memory on / rebuild / off (largest process) | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, sides in table.items():
        on, warm, off = sides["on"], sides["warm"], sides["off"]
        lines.append(f"| {size:,} | {on.median:.1f} s | {on.span()} | {warm.median:.1f} s | {warm.span()} | "
                     f"{off.median:.1f} s | {off.span()} | {on.median / off.median:.2f}× / "
                     f"{warm.median / off.median:.2f}× | {statistics.median(on.cpu):.1f} / "
                     f"{statistics.median(warm.cpu):.1f} / {statistics.median(off.cpu):.1f} s | "
                     f"{max(on.memory):.0f} / {max(warm.memory):.0f} / {max(off.memory):.0f} MiB "
                     f"({max(on.rss):.0f} / {max(warm.rss):.0f} / {max(off.rss):.0f}) | "
                     f"{max(on.memory + warm.memory) / max(off.memory):.2f}× |")
    lines.append("")
    verdicts = []
    if 1000 in table:
        ratio = table[1000]["on"].median / table[1000]["off"].median
        rebuild = table[1000]["warm"].median / table[1000]["off"].median
        memory = max(table[1000]["on"].memory + table[1000]["warm"].memory) / max(table[1000]["off"].memory)
        verdicts.append(f"on/off at 1,000: {ratio:.2f}× for a first build, {rebuild:.2f}× for a rebuild (target ≤ "
                        f"{RATIO_TARGET}×: {_met(ratio <= RATIO_TARGET)} / {_met(rebuild <= RATIO_TARGET)})")
        verdicts.append(f"peak memory on/off at 1,000: {memory:.2f}× (target ≤ {MEMORY_TARGET}×: "
                        f"{_met(memory <= MEMORY_TARGET)})")
    if 1000 in table and 2000 in table:
        linear = table[2000]["on"].median / table[1000]["on"].median
        verdicts.append(f"2,000 against 1,000: {linear:.2f}× (target ≤ {LINEAR_TARGET}×: "
                        f"{_met(linear <= LINEAR_TARGET)})")
    lines += [f"- {line}" for line in verdicts]
    return "\n".join(lines) + "\n"


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--huge", action="store_true", help="add 2,000 and 10,000 articles (one run each of 10,000)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results.md")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes) | ({2000, 10000} if args.huge else set()))
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        table = measure(sizes, args.runs, Path(tmp))
    text = markdown(table, args.runs, (before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        results_file.replace_section(ROOT / "benchmarks" / "results.md", "## Build", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
