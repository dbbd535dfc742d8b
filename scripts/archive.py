"""A think tank's archive of N analyses in three languages, made from the committed site, for benchmarks.

Each analysis is a copy of one of the two seed articles under its own title
and slug, with three of 40 topics and one of the seed authors; its Turkish and
Russian catalogs are copies of the seed's reviewed ones, so every page is
rendered from a real catalog (only the numbered title is left untranslated).
``python scripts/archive.py 1000 /tmp/archive`` writes a site to build with
``mkdocs build -f /tmp/archive/mkdocs.yml``.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("docs", "translations", "overrides")
TOPICS = [f"Topic {number:02d}" for number in range(40)]


def make_archive(target: Path, count: int, plugin: bool = True) -> Path:
    """The committed site with ``count`` analyses in ``target``; ``plugin=False`` turns the thinktank plugin off
    (``thinktank: {enabled: false}``), the baseline the plugin's cost is measured against. Returns mkdocs.yml."""
    if target.exists():
        shutil.rmtree(target)
    for name in SOURCES:
        shutil.copytree(ROOT / name, target / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not plugin:
        config, found = re.subn(r"^  - thinktank$", "  - thinktank:\n      enabled: false", config, flags=re.M)
        assert found == 1, "mkdocs.yml lists no thinktank plugin"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    analyses = target / "docs" / "analyses"
    seeds = sorted(path for path in (ROOT / "docs" / "analyses").glob("*.md") if path.name != "index.md")
    texts = [seed.read_text(encoding="utf-8") for seed in seeds]
    for index in range(count):
        seed, text = seeds[index % len(seeds)], texts[index % len(seeds)]
        name = f"{index:05d}-{seed.name}"
        topics = [TOPICS[(index * 7 + step * 13) % len(TOPICS)] for step in range(3)]
        head, found, body = text.partition("\ntags:\n")
        assert found, f"{seed}: no tags"
        rest = body
        while rest.startswith("- "):
            rest = rest.split("\n", 1)[1]
        text = (head.replace("title: ", f"title: {index} ", 1) + "\ntags:\n" + "".join(f"- {topic}\n" for topic in topics)
                + rest)
        (analyses / name).write_text(text, encoding="utf-8")
        for lang in ("tr", "ru"):
            catalog = ROOT / "translations" / lang / "analyses" / seed.with_suffix(".po").name
            shutil.copy(catalog, target / "translations" / lang / "analyses" / Path(name).with_suffix(".po"))
    return target / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--plugin-off", action="store_true", help="thinktank: {enabled: false}, the baseline")
    args = parser.parse_args()
    print(make_archive(args.target, args.count, plugin=not args.plugin_off))


if __name__ == "__main__":
    main()
