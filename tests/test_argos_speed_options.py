"""The argos engine's speed options (issue 12): length-sorted token batches, threads, ``device``.

Order and batching are checked twice: in-process with an echoing translator
(the exact order CTranslate2 is given and the order results go back), and
on the real path with the tiny model, where a text must translate the same
wherever it stands in a shuffled run cut into many batches. Devices: the
CPU path runs for real; CUDA is only resolved, with
``ctranslate2.get_cuda_device_count`` patched, since no GPU is at hand.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from thinktank.engines import DEVICES, get_engine
from thinktank.engines import argos
from thinktank.errors import EngineError

from .test_argos import load_builder

CUDA_ABSENT = ("--device cuda: CTranslate2 sees no CUDA GPU (no device, no driver, or a CPU-only ctranslate2 "
               "build); use --device cpu or auto")


class EchoTokenizer:
    """Words as tokens; decoding joins them, so an echoed sentence comes back as itself."""

    def encode(self, sentence: str) -> list[str]:
        return sentence.split()

    def decode(self, tokens: list[str]) -> str:
        return " ".join(tokens)


class EchoTranslator:
    """Records what ``translate_iterable`` is given and yields each source back as its hypothesis."""

    def __init__(self) -> None:
        self.sources: list[list[str]] = []
        self.options: dict[str, Any] = {}

    def translate_iterable(self, source: list[list[str]], **options: Any) -> Iterator[Any]:
        self.sources = list(source)
        self.options = options
        for tokens in self.sources:
            yield types.SimpleNamespace(hypotheses=[list(tokens)])


def echo_engine(monkeypatch: pytest.MonkeyPatch) -> tuple[argos.ArgosEngine, EchoTranslator]:
    engine = argos.ArgosEngine(device="cpu")
    translator = EchoTranslator()
    engine._packages["tr"] = types.SimpleNamespace(tokenizer=EchoTokenizer(), target_prefix="")
    monkeypatch.setattr(engine, "_translator", lambda target: translator)
    return engine, translator


def generated_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = "policy Moscow Ankara sanctions energy trade security the of and cooperation".split()
    texts = []
    for index in range(count):
        sentences = [" ".join([f"S{index}.{n}"] + rng.choices(words, k=rng.randint(0, 30))) + "."
                     for n in range(rng.randint(1, 4))]
        texts.append(" ".join(sentences))
    return texts


def test_sentences_go_to_ctranslate2_shortest_first_in_token_batches_and_come_back_in_input_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine, translator = echo_engine(monkeypatch)
    texts = generated_texts(300, seed=12)
    seen: list[tuple[int, int]] = []
    engine.on_progress = lambda done, total: seen.append((done, total))

    assert engine.translate_batch(texts, "tr") == texts
    lengths = [len(tokens) for tokens in translator.sources]
    assert lengths == sorted(lengths) and len(set(lengths)) > 10, "sentences must be sorted by length"
    assert translator.options["batch_type"] == "tokens"
    assert translator.options["max_batch_size"] == argos.MAX_BATCH_TOKENS
    total = len(translator.sources)
    assert seen == [(done, total) for done in range(1, total + 1)]


def test_equal_lengths_keep_input_order_so_the_batches_are_the_same_every_run() -> None:
    tokens = [["a"] * length for length in (3, 1, 3, 2, 1, 3)]
    assert argos.by_length(tokens) == [1, 4, 3, 0, 2, 5]


def test_threads_follow_the_cpu_affinity_not_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    assert argos.cpu_threads() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5})
    assert argos.cpu_threads() == 3
    assert argos.thread_layout(3) == (3, 1)


def fake_ctranslate2(gpus: int) -> Any:
    return types.SimpleNamespace(get_cuda_device_count=lambda: gpus)


def test_auto_takes_cuda_only_when_ctranslate2_sees_a_gpu() -> None:
    assert argos.resolve_device("auto", fake_ctranslate2(0)) == "cpu"
    assert argos.resolve_device("auto", fake_ctranslate2(1)) == "cuda"
    assert argos.resolve_device("cpu", fake_ctranslate2(1)) == "cpu"
    assert argos.resolve_device("cuda", fake_ctranslate2(2)) == "cuda"


def test_cuda_without_a_gpu_is_one_line_naming_the_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    engine = get_engine("argos", device="cuda")
    engine._packages["tr"] = types.SimpleNamespace(tokenizer=EchoTokenizer(), target_prefix="")  # type: ignore[attr-defined]
    with pytest.raises(EngineError) as raised:
        engine.check("tr")
    assert str(raised.value) == CUDA_ABSENT


def test_get_engine_passes_the_device_and_refuses_an_unknown_one_in_one_line() -> None:
    assert DEVICES == ("auto", "cpu", "cuda")
    assert get_engine("argos").device == "auto"  # type: ignore[attr-defined]
    assert get_engine("argos", device="cuda").device == "cuda"  # type: ignore[attr-defined]
    assert get_engine("pseudo", device="cuda").translate_batch(["Hello."], "tr")  # no model, runs anywhere
    with pytest.raises(EngineError) as raised:
        get_engine("argos", device="tpu")
    assert str(raised.value) == "unknown device 'tpu'; choose one of auto, cpu, cuda"


# ------------------------------------------------------------- the real path, tiny model

@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pytest.importorskip("argostranslate", reason="install the argos extra: pip install -e '.[argos]'")
    root = tmp_path_factory.mktemp("speed")
    archive = load_builder().build("tr", root / "models")
    home = root / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "ARGOS_PACKAGES_DIR": str(root / "packages"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache")}
    code = "import sys; from argostranslate import package; package.install_from_path(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(archive)], env=env, check=True)
    return env


REAL_RUN = """
import json, os, random, sys
import ctranslate2
from thinktank.engines import argos, get_engine
ctranslate2.get_cuda_device_count = lambda: 0  # as on any machine without a GPU
texts = json.loads(sys.argv[1])
if sys.argv[2] == "one-core":
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
argos.MAX_BATCH_TOKENS = 64  # many batches
out = {}
for device in ("cpu", "auto"):
    engine = get_engine("argos", device=device)
    engine.check("tr")
    out[device] = engine.translate_batch(texts, "tr")
    translator = engine._translator("tr")
    out[device + " translator"] = [translator.device, translator.num_translators]
shuffled = list(enumerate(texts))
random.Random(5).shuffle(shuffled)
engine = get_engine("argos", device="cpu")
mixed = engine.translate_batch([text for _, text in shuffled], "tr")
out["shuffled"] = [translation for _, translation in sorted(zip([i for i, _ in shuffled], mixed))]
out["cores"] = len(os.sched_getaffinity(0))
print(json.dumps(out))
"""


def real_run(env: dict[str, str], texts: list[str], affinity: str = "all") -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", REAL_RUN, json.dumps(texts), affinity],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_cpu_path_is_deterministic_and_batching_never_mixes_up_sentences(installed: dict[str, str]) -> None:
    texts = generated_texts(40, seed=3)
    first, second = real_run(installed, texts), real_run(installed, texts)
    assert first["cpu"] == second["cpu"], "the same input must give the same translation"
    assert first["auto"] == first["cpu"]  # no GPU seen: auto is the CPU
    assert first["cpu translator"] == first["auto translator"] == ["cpu", first["cores"]]
    assert len(set(first["cpu"])) == len(texts)
    assert first["shuffled"] == first["cpu"], "a text's translation must not depend on its place in the batch"


def test_one_allowed_core_means_one_worker(installed: dict[str, str]) -> None:
    result = real_run(installed, generated_texts(3, seed=4), affinity="one-core")
    assert result["cores"] == 1 and result["cpu translator"] == ["cpu", 1]


def test_translate_device_cuda_without_a_gpu_is_refused_before_anything_is_written(
        monkeypatch: pytest.MonkeyPatch, run_cli, repo_copy) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    before = sorted(path.read_bytes() for path in (repo_copy / "translations").rglob("*.po"))
    result = run_cli("translate", "--device", "cuda", "--docs-dir", repo_copy / "docs",
                     "--translations-dir", repo_copy / "translations", "-f", repo_copy / "mkdocs.yml")
    assert result.code == 1 and result.err == f"error: {CUDA_ABSENT}\n"
    assert sorted(path.read_bytes() for path in (repo_copy / "translations").rglob("*.po")) == before
    assert run_cli("translate", "--device", "tpu").code == 2  # argparse names the choices
