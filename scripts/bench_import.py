"""Benchmark: import throughput and peak memory on synthetic dumps built from the seeds.

Run with ``make bench``. Prints one line per measure; targets live here, not in tests.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from thinktank.importers import ImportOptions, import_files

ROOT = Path(__file__).resolve().parent.parent
COPIES = 200
TARGET_SECONDS_PER_ARTICLE = 0.05


def main() -> int:
    seeds = sorted((ROOT / "sources").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dumps = []
        for index in range(COPIES):
            seed = seeds[index % len(seeds)]
            title, rest = seed.read_text(encoding="utf-8").lstrip("\n").split("\n", 1)
            dump = work / f"{index:04d}-{seed.name}"
            dump.write_text(f"{title} {index}\n{rest}", encoding="utf-8")
            dumps.append(dump)
        tracemalloc.start()
        start = time.perf_counter()
        report = import_files(dumps, work / "docs", ImportOptions())
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    per_article = elapsed / len(report.pages)
    print(f"imported {len(report.pages)} articles in {elapsed:.2f} s ({per_article * 1000:.1f} ms each)")
    print(f"peak traced memory {peak / 1024 / 1024:.1f} MiB")
    ok = per_article <= TARGET_SECONDS_PER_ARTICLE
    print(f"target {TARGET_SECONDS_PER_ARTICLE * 1000:.0f} ms per article: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
