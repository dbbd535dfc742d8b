"""SIGKILL an import at random moments: a batch goes in whole or not at all.

Each trial starts from the same docs tree, runs ``thinktank import`` on a
generated batch as a subprocess and kills it with SIGKILL, either at a moment
drawn over the whole run, or at one drawn over the rest of the run once the
staging folder has appeared, or over the time pages take to appear in docs/
once the first one has (drawn over the whole run alone, most kills would land
in start-up, parsing and staging). Then:

- no page in docs/ is half-written: every file there is byte for byte what an
  uninterrupted import writes (or was there before);
- the batch's pages are all there, none there, or a committed journal is
  waiting for the next run to finish its moves;
- re-running the same command once leaves docs/ byte for byte as one
  uninterrupted import does: no ``.tmp`` file, no staging folder, no lock file.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from thinktank.staging import JOURNAL, STAGING_DIR

from .conftest import ROOT, snapshot

WORDS = ("policy security corridor shipping alliance energy border treaty ministry regional sanctions "
         "trade strategy port fleet deterrence Straits grain insurers convoy").split()
AUTHORS = (("Jane", "DOE"), ("John", "SMITH"), ("Ayşe", "IŞIK"), ("Ingrid", "HALVORSEN"), ("Oskar", "NOWAK"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _dump(number: int, rng: random.Random) -> str:
    """A generic-profile text dump: title, byline or author box, paragraphs with [n], a Notes section."""
    title = f"Analysis {number}: " + " ".join(rng.choice(WORDS).capitalize() for _ in range(4))
    first, last = AUTHORS[number % len(AUTHORS)]
    notes = rng.randint(1, 3)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))).capitalize() + f".[{n}]"
                  for n in range(1, notes + 1)]
    definitions = "\n".join(f"{n}. “Report {number}-{n}”, Publisher {n}, https://example.org/{number}/{n} "
                            "(accessed 5 August 2023)." for n in range(1, notes + 1))
    text = f"{title}\n\n"
    if number % 2:
        text += f"By {first} {last.capitalize()}\n\n"
    text += "\n\n".join(paragraphs) + f"\n\nNotes\n\n{definitions}\n"
    if not number % 2:  # an author box at the end, with the same bio every time
        text += f"\n{first} {last}\n{first} {last.capitalize()} is a fellow who writes about {WORDS[number % 5]}.\n"
    return text


def _batch(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    rng = random.Random(count)
    paths = []
    for number in range(count):
        path = folder / f"dump-{number:03d}.txt"
        path.write_text(_dump(number, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _initial_docs(folder: Path) -> Path:
    """A docs tree with a page and an editor's author entry the batch must not disturb."""
    (folder / "authors").mkdir(parents=True)
    (folder / "index.md").write_text("# Home\n\n<!-- thinktank:latest -->\n", encoding="utf-8")
    (folder / "authors" / "jane-doe.md").write_text("---\ntitle: Jane Doe\n---\n\nThe editors' bio.\n",
                                                    encoding="utf-8")
    return folder


def _command(dumps: list[Path], docs: Path) -> list[str]:
    return [sys.executable, "-m", "thinktank.cli", "import", *map(str, dumps), "--date", "2024-01-01",
            "--tag", "Black Sea", "--docs-dir", str(docs)]


def _committed(docs: Path) -> bool:
    return any((batch / JOURNAL).is_file() for batch in (docs / STAGING_DIR).glob("*"))


def _pages_in(docs: Path) -> int:
    try:
        return sum(1 for entry in os.scandir(docs / "analyses") if entry.name.endswith(".md"))
    except FileNotFoundError:
        return 0


def _timed_run(command: list[str], docs: Path, pages: int) -> dict[str, float]:
    """Run to the end; seconds from start until staging began, the first and the last page appeared, exit."""
    log = docs.parent / "reference.log"
    marks: dict[str, float] = {}
    with log.open("wb") as stderr:
        started = time.monotonic()
        proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=stderr)
        while proc.poll() is None:
            if STAGING not in marks and (docs / STAGING_DIR).exists():
                marks[STAGING] = time.monotonic() - started
            if "all pages" not in marks:
                count = _pages_in(docs)
                if count and FIRST_PAGE not in marks:
                    marks[FIRST_PAGE] = time.monotonic() - started
                if count == pages:
                    marks["all pages"] = time.monotonic() - started
            time.sleep(0.0002)
        marks[START] = time.monotonic() - started
    assert proc.returncode == 0, log.read_text(encoding="utf-8")
    marks.setdefault(STAGING, marks[START] * 0.8)
    marks.setdefault(FIRST_PAGE, marks[START] * 0.95)
    marks.setdefault("all pages", marks[START])
    return marks


START, STAGING, FIRST_PAGE = "start", "staging", "first page"
"""What a trial waits for before its random delay: the start, the staging folder, a first page in docs/."""


def _wait_for(docs: Path, proc: subprocess.Popen[bytes], event: str) -> None:
    ready = {START: lambda: True, STAGING: (docs / STAGING_DIR).exists, FIRST_PAGE: lambda: _pages_in(docs) > 0}[event]
    while proc.poll() is None and not ready():
        time.sleep(0.0001)


def _kill_at(command: list[str], docs: Path, event: str, delay: float) -> bool:
    """Start an import, SIGKILL it ``delay`` seconds after ``event``; False if it finished first."""
    proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(docs, proc, event)
    time.sleep(delay)
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return not finished


def _phase(docs: Path, batch_pages: set[str], present: set[str]) -> str:
    if _committed(docs):
        return "committed, moves pending"
    if (docs / STAGING_DIR).exists():
        return "staging, not committed"
    return "all pages in" if present == batch_pages else "nothing written"


def _kill_trials(tmp_path: Path, files: int, kills: int, seed: int,
                 enough: Callable[[Counter[str]], bool] | None = None, most: int = 0) -> Counter[str]:
    """``kills`` trials; with ``enough``, more (up to ``most``) until it holds of the phases the kills hit (a
    faster import leaves narrower windows, and a fixed count would then prove less by chance)."""
    dumps = _batch(tmp_path / "dumps", files)
    initial = _initial_docs(tmp_path / "initial")
    reference_docs = tmp_path / "reference"
    shutil.copytree(initial, reference_docs)
    marks = _timed_run(_command(dumps, reference_docs), reference_docs, files)
    windows = {START: marks[START], STAGING: marks[START] - marks[STAGING],
               FIRST_PAGE: marks["all pages"] - marks[FIRST_PAGE]}
    reference = snapshot(reference_docs)
    before = snapshot(initial)
    batch_pages = set(reference) - set(before)
    assert len(batch_pages) >= files
    rng = random.Random(seed)
    phases: Counter[str] = Counter()
    trial = -1
    while True:
        trial += 1
        if trial >= kills and (enough is None or enough(phases) or trial >= most):
            break
        docs = tmp_path / f"trial-{trial}"
        shutil.copytree(initial, docs)
        command = _command(dumps, docs)
        event = (START, STAGING, FIRST_PAGE)[trial % 3]
        killed = _kill_at(command, docs, event, rng.uniform(0, max(windows[event], 0.001)))
        now = snapshot(docs)
        for name, data in now.items():
            if STAGING_DIR in name or name == ".thinktank.lock":
                continue
            assert reference.get(name) == data, f"trial {trial}: {name} is half-written or not the import's"
        present = {name for name in now if name in batch_pages}
        phase = _phase(docs, batch_pages, present) if killed else "finished before the kill"
        assert present in (set(), batch_pages) or phase == "committed, moves pending", (
            f"trial {trial}: {len(present)} of {len(batch_pages)} pages and no committed journal")
        phases[phase] += 1
        rerun = subprocess.run(command, env=ENV, capture_output=True, text=True)
        assert rerun.returncode == 0 and "error:" not in rerun.stderr, rerun.stderr
        after = snapshot(docs)
        assert after == reference, (f"trial {trial} ({phase}): differs from an uninterrupted import: "
                                    f"{sorted(set(after) ^ set(reference)) or 'contents'}")
        shutil.rmtree(docs)
    return phases


def test_a_killed_import_is_all_or_nothing_and_a_rerun_finishes_it(tmp_path: Path) -> None:
    phases = _kill_trials(tmp_path, files=30, kills=3, seed=8)
    assert sum(phases.values()) == 3


@pytest.mark.slow
def test_a_300_file_import_killed_at_random_moments(tmp_path: Path) -> None:
    def enough(phases: Counter[str]) -> bool:
        return phases["staging, not committed"] >= 3 and phases["committed, moves pending"] >= 3

    phases = _kill_trials(tmp_path, files=300, kills=32, seed=300, enough=enough, most=128)
    print(dict(phases))
    assert sum(phases.values()) - phases["finished before the kill"] >= 20, phases
    # The targeted kills must actually land in both halves of the writing phase, or the test proves little.
    assert phases["staging, not committed"] >= 3 and phases["committed, moves pending"] >= 3, phases
