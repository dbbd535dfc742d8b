"""The argos engine: installed argostranslate packages, batched CTranslate2 inference.

We split sentences ourselves (no stanza/spaCy model is needed at run time),
tokenize with the package's SentencePiece model, and send every pending
sentence of the run to ``Translator.translate_batch`` at once. argostranslate
and ctranslate2 are imported lazily: importing thinktank never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EngineError
from . import sentences

SOURCE = "en"
BATCH_SIZE = 32
BEAM_SIZE = 2


class ArgosEngine:
    name = "argos"

    def __init__(self, on_progress: Callable[[int, int], None] | None = None) -> None:
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
        self.package(target)

    def model(self, target: str) -> str:
        from . import argos_packages

        return argos_packages.describe(self.package(target))

    def _translator(self, target: str) -> Any:
        if target not in self._translators:
            try:
                import ctranslate2
            except ImportError:
                raise EngineError(None, "ctranslate2 is not installed; install the engine with: "
                                        "pip install -e '.[argos]'") from None

            model_dir = Path(self.package(target).package_path) / "model"
            self._translators[target] = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1)
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
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        # translate_iterable batches internally (max_batch_size) and yields in order,
        # so a long run can report progress without giving up batching.
        results = self._translator(target).translate_iterable(
            tokens, target_prefix=prefix, max_batch_size=BATCH_SIZE, beam_size=BEAM_SIZE,
            max_decoding_length=max(len(t) for t in tokens) * 2 + 8)
        decoded = []
        for done, result in enumerate(results, start=1):
            decoded.append(self._decode(package, result.hypotheses[0]))
            if self.on_progress is not None:
                self.on_progress(done, len(tokens))
        sentences_out = iter(decoded)
        return [" ".join(next(sentences_out) for _ in group) for group in split]

    @staticmethod
    def _decode(package: Any, tokens: list[str]) -> str:
        if package.target_prefix and tokens and tokens[0] == package.target_prefix:
            tokens = tokens[1:]
        return " ".join(package.tokenizer.decode(tokens).split())
