"""Build a tiny, random-weight argos model (.argosmodel) from scratch, offline.

Real argos models cannot be downloaded on our build machines, yet the argos
engine must be tested on its real path: package install, SentencePiece
tokenizer, CTranslate2 batched inference. This script makes a package that
exercises all of it:

- a SentencePiece model trained on the seed texts in sources/;
- a Transformer built with ctranslate2.specs and numpy weights (seeded, so
  the same command always builds the same model): by default one tiny layer
  (tests stay fast); with ``--realistic`` the shape of a real argos model
  (6+6 layers, d_model 512, FFN 2048, 8 heads, vocabulary padded to 32k,
  int8), which the MT benchmark uses so that speed is measured on real work;
- metadata.json as argostranslate reads it; all zipped as <name>.argosmodel.

Its translations are nonsense by design. With ``--index`` it also writes an
index.json whose links are file:// URLs, i.e. a local package index.

    python scripts/build_test_model.py --to tr ru --out build/models --index
    python scripts/build_test_model.py --to tr --realistic --out build/bench-models
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCAB = 320
"""SentencePiece pieces trained on the seeds; more would not fit their few thousand lines."""


@dataclass(frozen=True)
class Shape:
    """The Transformer's size. Weights are random either way: only the work they cost differs."""

    layers: int
    d_model: int
    ffn: int
    heads: int
    vocabulary: int
    """Vocabulary size after padding with unused pieces (the tokenizer only ever emits the first VOCAB)."""
    quantization: str | None
    std: float
    """Standard deviation of the random weights; small enough in deep models that activations stay finite."""


TINY = Shape(layers=1, d_model=32, ffn=64, heads=2, vocabulary=VOCAB, quantization=None, std=0.5)
REALISTIC = Shape(layers=6, d_model=512, ffn=2048, heads=8, vocabulary=32_000, quantization="int8", std=0.05)
VERSION = "0.0.1"
NAMES = {"tr": "Turkish", "ru": "Russian", "en": "English"}


def train_tokenizer(folder: Path) -> Path:
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    lines = [line for path in sorted((ROOT / "sources").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prefix = folder / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=VOCAB, model_type="unigram",
        character_coverage=1.0, num_threads=1, seed_sentencepiece_size=10000, minloglevel=2,
        input_sentence_size=0, shuffle_input_sentence=False)
    return prefix.with_suffix(".model")


def _shape(name: str, vocab: int, shape: Shape) -> tuple[int, ...]:
    d_model, ffn = shape.d_model, shape.ffn
    if name.endswith(("gamma", "beta")):
        return (d_model,)
    if "embeddings" in name or "projection" in name:
        return (vocab, d_model)
    layer = name.rsplit("/", 2)
    block, linear = layer[-3].rsplit("/", 1)[-1], layer[-2]
    if block == "ffn":
        return (ffn, d_model) if linear == "linear_0" else (d_model, ffn)
    if block == "self_attention":
        return (3 * d_model, d_model) if linear == "linear_0" else (d_model, d_model)
    return (2 * d_model, d_model) if linear == "linear_1" else (d_model, d_model)  # cross-attention


def padded(vocabulary: list[str], size: int) -> list[str]:
    """``vocabulary`` followed by unused pieces up to ``size`` (a real model's output layer is that wide)."""
    return vocabulary + [f"<unused{index}>" for index in range(size - len(vocabulary))]


def build_model(folder: Path, vocabulary: list[str], seed: int, shape: Shape = TINY) -> Path:
    import numpy as np
    from ctranslate2.specs import model_spec, transformer_spec

    vocabulary = padded(vocabulary, shape.vocabulary)
    spec = transformer_spec.TransformerSpec.from_config(shape.layers, shape.heads)
    rng = np.random.default_rng(seed)
    unset: list[tuple[object, str]] = []
    model_spec.visit_spec(spec, lambda layer, name, value: unset.append((layer, name)) if value is None else None)
    for layer, name in unset:
        size = _shape(name, len(vocabulary), shape)
        value = np.ones(size) if name.endswith("gamma") else rng.normal(0, shape.std, size)
        setattr(layer, name.rsplit("/", 1)[-1], value.astype(np.float32))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    if shape.quantization is not None:
        spec.optimize(quantization=shape.quantization)
    model_dir = folder / "model"
    model_dir.mkdir()
    spec.save(str(model_dir))
    return model_dir


def build(target: str, out: Path, version: str = VERSION, shape: Shape = TINY) -> Path:
    """Write ``translate-en_<target>-<version>.argosmodel`` into ``out`` and return its path."""
    import sentencepiece as spm

    out.mkdir(parents=True, exist_ok=True)
    name = f"translate-en_{target}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / name
        package.mkdir()
        sp_model = train_tokenizer(Path(tmp))
        shutil.copy(sp_model, package / "sentencepiece.model")
        processor = spm.SentencePieceProcessor(model_file=str(sp_model))
        vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        build_model(package, vocabulary, seed=sum(map(ord, target)), shape=shape)
        metadata = {
            "package_version": version, "argos_version": "1.9.0", "from_code": "en", "from_name": "English",
            "to_code": target, "to_name": NAMES.get(target, target), "type": "translate",
            "links": [(out / f"{name}.argosmodel").resolve().as_uri()],
        }
        (package / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (package / "README.md").write_text(
            f"Test model en→{target}, random weights, built by scripts/build_test_model.py. Output is nonsense.\n",
            encoding="utf-8")
        archive_path = out / f"{name}.argosmodel"
        with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(package.rglob("*")):
                archive.write(file, file.relative_to(Path(tmp)).as_posix())
    return archive_path


def write_index(archives: list[Path], out: Path) -> Path:
    """A package index (index.json) listing ``archives`` with file:// links."""
    entries = []
    for archive in archives:
        with zipfile.ZipFile(archive) as zipped:
            meta_name = next(n for n in zipped.namelist() if n.endswith("/metadata.json"))
            entries.append(json.loads(zipped.read(meta_name)))
    index = out / "index.json"
    index.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", nargs="+", default=["tr", "ru"], help="target languages")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "models")
    parser.add_argument("--index", action="store_true", help="also write index.json (a file:// package index)")
    parser.add_argument("--realistic", action="store_true",
                        help="a real model's shape (6+6 layers, d_model 512, 32k vocabulary, int8) for benchmarks")
    args = parser.parse_args()
    shape = REALISTIC if args.realistic else TINY
    archives = [build(target, args.out, shape=shape) for target in args.to]
    for archive in archives:
        print(archive)
    if args.index:
        print(write_index(archives, args.out))


if __name__ == "__main__":
    main()
