"""The argos engine: installed argostranslate packages, batched CTranslate2 inference.

We split sentences ourselves (no stanza/spaCy model is needed at run time),
tokenize with the package's SentencePiece model, and send every pending
sentence of the run to CTranslate2 at once, sorted by length and cut into
batches of at most ``MAX_BATCH_TOKENS`` tokens: sentences of like length
share a batch, so little of each batch is padding, and a batch of many short
sentences is as cheap as one of few long ones. Results come back in input
order whatever the batching. Each translator uses every core this process
may run on (its CPU affinity, not the machine's core count): one batch per
core in flight, or a CUDA GPU when asked (``device``). argostranslate and ctranslate2 are imported
lazily: importing thinktank never loads them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import EngineError
from . import DEVICES, sentences

SOURCE = "en"
MAX_BATCH_TOKENS = 2048
"""Source tokens per CTranslate2 batch (``batch_type="tokens"``); see benchmarks/results.md."""
BEAM_SIZE = 2


def cpu_threads() -> int:
    """Cores this process may use: its CPU affinity (a container or ``taskset`` may allow fewer than exist)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no sched_getaffinity (macOS)
        return os.cpu_count() or 1


def thread_layout(cores: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) for ``cores`` allowed cores: one single-threaded worker per core.

    A run holds many batches, so each core can translate its own; measured on 2 cores against one
    worker with ``intra_threads=2``, this spends ~12% less CPU per sentence (no thread synchronisation
    inside each matrix product) and degrades less when other processes compete for the cores
    (benchmarks/results.md has both lines).
    """
    return cores, 1


def by_length(tokens: Sequence[Sequence[str]]) -> list[int]:
    """Indexes of ``tokens`` shortest first; equal lengths keep input order, so batching is deterministic."""
    return sorted(range(len(tokens)), key=lambda index: len(tokens[index]))


def resolve_device(device: str, ctranslate2: Any) -> str:
    """``cpu`` or ``cuda`` for ``device``; asking for CUDA on a machine without a GPU is one clear line."""
    if device not in DEVICES:
        raise EngineError(None, f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"
    gpus = ctranslate2.get_cuda_device_count()
    if device == "cuda" and gpus == 0:
        raise EngineError(None, "--device cuda: CTranslate2 sees no CUDA GPU (no device, no driver, "
                                "or a CPU-only ctranslate2 build); use --device cpu or auto")
    return "cuda" if gpus > 0 else "cpu"


class ArgosEngine:
    name = "argos"

    def __init__(self, on_progress: Callable[[int, int], None] | None = None, device: str = "auto") -> None:
        if device not in DEVICES:
            raise EngineError(None, f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
        self.device = device
        """As asked (auto, cpu, cuda); ``check`` resolves it, so a missing GPU fails before any work."""
        self.batches = 0
        self.segments = 0
        self.on_progress = on_progress
        """Called with (sentences done, sentences in all) as the batch advances."""
        self._packages: dict[str, Any] = {}
        self._translators: dict[str, Any] = {}

    def package(self, target: str) -> Any:
        """The installed en→``target`` package; ``EngineError`` with the install command if none."""
        if target not in self._packages:
            from . import argos_packages

            found = argos_packages.installed_package(SOURCE, target)
            if found is None:
                raise EngineError(None, f"no argos model for {SOURCE}→{target} is installed; "
                                        f"install one with: thinktank models install {target}")
            if getattr(found, "tokenizer", None) is None:
                raise EngineError(found.package_path, "argos package has no sentencepiece.model or bpe.model")
            self._packages[target] = found
        return self._packages[target]

    def check(self, target: str) -> None:
        """The device first (a machine's problem, the same for every language), then the language's model."""
        self.resolved_device()
        self.package(target)

    def resolved_device(self) -> str:
        """``cpu`` or ``cuda``: what ``device`` means on this machine."""
        return resolve_device(self.device, self._ctranslate2())

    @staticmethod
    def _ctranslate2() -> Any:
        try:
            import ctranslate2
        except ImportError:
            raise EngineError(None, "ctranslate2 is not installed; install the engine with: "
                                    "pip install -e '.[argos]'") from None
        return ctranslate2

    def model(self, target: str) -> str:
        from . import argos_packages

        return argos_packages.describe(self.package(target))

    def _translator(self, target: str) -> Any:
        if target not in self._translators:
            ctranslate2 = self._ctranslate2()
            model_dir = Path(self.package(target).package_path) / "model"
            device = self.resolved_device()
            inter, intra = thread_layout(cpu_threads()) if device == "cpu" else (1, 1)
            self._translators[target] = ctranslate2.Translator(
                str(model_dir), device=device, inter_threads=inter, intra_threads=intra)
        return self._translators[target]

    def translate_batch(self, texts: list[str], target: str) -> list[str]:
        self.batches += 1
        self.segments += len(texts)
        package = self.package(target)
        split = [sentences.split(text) for text in texts]
        flat = [sentence for group in split for sentence in group]
        if not flat:
            return ["" for _ in texts]
        tokens = [package.tokenizer.encode(sentence) for sentence in flat]
        order = by_length(tokens)
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        # translate_iterable cuts the sorted stream into token-bounded batches and yields
        # results in the order given, so a long run reports progress as it goes.
        results = self._translator(target).translate_iterable(
            [tokens[index] for index in order], target_prefix=prefix, max_batch_size=MAX_BATCH_TOKENS,
            batch_type="tokens", beam_size=BEAM_SIZE, max_decoding_length=max(len(t) for t in tokens) * 2 + 8)
        decoded = [""] * len(tokens)
        for done, (index, result) in enumerate(zip(order, results, strict=True), start=1):
            decoded[index] = self._decode(package, result.hypotheses[0])
            if self.on_progress is not None:
                self.on_progress(done, len(tokens))
        sentences_out = iter(decoded)
        return [" ".join(next(sentences_out) for _ in group) for group in split]

    @staticmethod
    def _decode(package: Any, tokens: list[str]) -> str:
        if package.target_prefix and tokens and tokens[0] == package.target_prefix:
            tokens = tokens[1:]
        return " ".join(package.tokenizer.decode(tokens).split())
