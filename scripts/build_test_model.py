"""Build a tiny, random-weight argos model (.argosmodel) from scratch, offline.

Real argos models cannot be downloaded on our build machines, yet the argos
engine must be tested on its real path: package install, SentencePiece
tokenizer, CTranslate2 batched inference. This script makes a package that
exercises all of it:

- a SentencePiece model trained on the seed texts in sources/;
- a one-layer Transformer built with ctranslate2.specs and numpy weights
  (seeded, so the same command always builds the same model);
- metadata.json as argostranslate reads it; all zipped as <name>.argosmodel.

Its translations are nonsense by design. With ``--index`` it also writes an
index.json whose links are file:// URLs, i.e. a local package index.

    python scripts/build_test_model.py --to tr ru --out build/models --index
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
D_MODEL, FFN, HEADS, VOCAB = 32, 64, 2, 320
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


def _shape(name: str, vocab: int) -> tuple[int, ...]:
    if name.endswith(("gamma", "beta")):
        return (D_MODEL,)
    if "embeddings" in name or "projection" in name:
        return (vocab, D_MODEL)
    layer = name.rsplit("/", 2)
    block, linear = layer[-3].rsplit("/", 1)[-1], layer[-2]
    if block == "ffn":
        return (FFN, D_MODEL) if linear == "linear_0" else (D_MODEL, FFN)
    if block == "self_attention":
        return (3 * D_MODEL, D_MODEL) if linear == "linear_0" else (D_MODEL, D_MODEL)
    return (2 * D_MODEL, D_MODEL) if linear == "linear_1" else (D_MODEL, D_MODEL)  # cross-attention


def build_model(folder: Path, vocabulary: list[str], seed: int) -> Path:
    import numpy as np
    from ctranslate2.specs import model_spec, transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(1, HEADS)
    rng = np.random.default_rng(seed)
    unset: list[tuple[object, str]] = []
    model_spec.visit_spec(spec, lambda layer, name, value: unset.append((layer, name)) if value is None else None)
    for layer, name in unset:
        shape = _shape(name, len(vocabulary))
        value = np.ones(shape) if name.endswith("gamma") else rng.normal(0, 0.5, shape)
        setattr(layer, name.rsplit("/", 1)[-1], value.astype(np.float32))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    model_dir = folder / "model"
    model_dir.mkdir()
    spec.save(str(model_dir))
    return model_dir


def build(target: str, out: Path, version: str = VERSION) -> Path:
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
        build_model(package, vocabulary, seed=sum(map(ord, target)))
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
    args = parser.parse_args()
    archives = [build(target, args.out) for target in args.to]
    for archive in archives:
        print(archive)
    if args.index:
        print(write_index(archives, args.out))


if __name__ == "__main__":
    main()
