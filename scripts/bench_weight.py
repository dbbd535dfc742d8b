"""First-visit weight: the bytes a reader's browser receives for one article per language, then for one search.

``python scripts/bench_weight.py [--articles 1000] [--runs 3] [--write]`` (also run by ``make bench``) builds
an archive of N analyses (``scripts/archive.py``; PDFs off), serves it with README's nginx block (gzip on) and
visits one article per language in Debian's Chromium through Playwright, each visit in a fresh browser context
(empty cache: a first visit), every request to another host aborted and counted. Bytes are nginx's
``$bytes_sent`` per response (headers and gzipped body, what crossed the wire), summed over the visit's lines
of the access log; Chromium's own count (CDP ``Network.loadingFinished`` ``encodedDataLength``) is printed
beside it as a cross-check. Three variants of the same build:

- ``material, index at load``: Material's search as shipped (the index fetched by every page), the code
  before issue 12, made by removing our on-demand script from the visited pages;
- ``material, index on demand``: the site as built (``overrides/partials/thinktank-search.html``);
- ``pagefind``: the same pages indexed by Pagefind (``pagefind[bin]`` from PyPI, run as
  ``python -m pagefind``, its default UI added to the visited pages), when the package is installed.

The target (issue 12) is the first visit: ≤ 300 KB in every language. The search bytes are recorded, not
targeted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_archive  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-gpu", "--disable-sync"]
TARGET_KB = 300
QUERIES = {"en": "cooperation", "tr": "işbirliği", "ru": "сотрудничество"}
ARTICLE = "analyses/00000-background-of-russia-north-korea-cooperation/"
ON_DEMAND = re.compile(r'<script id="thinktank-search-on-demand">.*?</script>', re.S)
ARTICLE_BODY = '<article class="md-content__inner md-typeset">'
PAGEFIND_UI = ('<link rel="stylesheet" href="/pagefind/pagefind-ui.css"><script src="/pagefind/pagefind-ui.js"></script>'
               '<div id="tt-pagefind"></div><script>window.addEventListener("DOMContentLoaded", function () {'
               ' new PagefindUI({element: "#tt-pagefind", showImages: false}); });</script>')
INDEX_FILE = re.compile(r"search_index\.json|/pagefind/(?:pagefind-entry\.json|.*\.pf_)")
"""A search index's files: Material's, or Pagefind's entry point, metadata, index chunks and fragments."""
LOG_FORMAT = "log_format weight '$request_uri $status $bytes_sent';"


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def build(count: int, work: Path) -> Path:
    """The archive of ``count`` analyses built into ``work/site`` (PDFs off: they are not what a visit loads)."""
    config = make_archive(work / "archive", count)
    env = {**os.environ, "THINKTANK_PDF": "0", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    site = work / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   env=env, check=True)
    return site


def _rewrite(path: Path, change: Callable[[str], str]) -> None:
    """Replace a (possibly hard-linked) file by a changed copy, leaving the other link's file as it was."""
    text = change(path.read_text(encoding="utf-8"))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def variant(site: Path, target: Path) -> Path:
    """A hard-linked copy of the built site, to change a few files of."""
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["cp", "-al", str(site), str(target)], check=True)
    return target


def material_at_load(site: Path, work: Path) -> Path:
    """The site as before issue 12: every visited page fetches its language's index when it loads."""
    copy = variant(site, work / "at-load")
    for lang in QUERIES:
        _rewrite(copy / prefix(lang) / ARTICLE / "index.html", lambda html: ON_DEMAND.sub("", html))
    return copy


def searchable_pages(site: Path, lang: str) -> set[str]:
    """The pages Material's index holds for ``lang`` (listing pages are excluded by ``framing.search_settings``)."""
    index = json.loads((site / prefix(lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {prefix(lang) + doc["location"].split("#", 1)[0] for doc in index["docs"]}


def pagefind(site: Path, work: Path) -> Path | None:
    """The same pages indexed by Pagefind (only what Material's index holds, the article body), its UI on the
    visited pages; ``None`` without the ``pagefind`` package."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    copy = variant(site, work / "pagefind")
    shutil.rmtree(copy / "pagefind", ignore_errors=True)
    for lang in QUERIES:
        for page in searchable_pages(site, lang):
            path = copy / page / "index.html" if not page.endswith(".html") else copy / page
            if path.exists():
                _rewrite(path, lambda html: html.replace(ARTICLE_BODY, ARTICLE_BODY[:-1] + " data-pagefind-body>", 1))
        _rewrite(copy / prefix(lang) / ARTICLE / "index.html",
                 lambda html: re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + PAGEFIND_UI, html, count=1))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy)], check=True, stdout=subprocess.DEVNULL)
    return copy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


GZIP_EXTRA: list[str] = []
"""MIME types added to README's ``gzip_types`` (``--gzip-type``), to measure a change to it."""


def nginx_conf(root: Path, work: Path, port: int) -> str:
    """README's Publishing block on this port and root, logging each response's bytes sent."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```nginx\n(server \{.*?\n\})\n```", text[text.index("\n## Publishing\n"):], re.S)
    assert match, "README's Publishing section has no nginx server block"
    server = re.sub(r"^(\s*)listen [^;]+;", rf"\g<1>listen 127.0.0.1:{port};", match.group(1), count=1, flags=re.M)
    server = re.sub(r"^(\s*)root [^;]+;", rf"\g<1>root {root};", server, count=1, flags=re.M)
    server = re.sub(r"^\s*server_name [^;]+;\n", "", server, flags=re.M)
    if GZIP_EXTRA:
        server = re.sub(r"^(\s*gzip_types [^;]+);", lambda m: m.group(1) + "".join(f" {t}" for t in GZIP_EXTRA) + ";",
                        server, count=1, flags=re.M)
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    temps = "".join(f"    {name}_temp_path {work}/{name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}\ndaemon off;\nworker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n    {LOG_FORMAT}\n"
            f"    access_log {work}/access.log weight;\n{temps}{server}\n}}\n")


@contextmanager
def nginx(root: Path, work: Path) -> Iterator[tuple[str, Path]]:
    """nginx serving ``root``; yields its URL and its access log."""
    work.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    (work / "nginx.conf").write_text(nginx_conf(root, work, port), encoding="utf-8")
    process = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-p", str(work)])
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", work / "access.log"
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Visit:
    first: int
    """Bytes sent by nginx for the first visit (page load, then idle)."""
    search: int
    """Bytes sent for one search after it (opening the field, the query, its results)."""
    first_cdp: int
    """Chromium's count of the same first visit (encoded data length), a cross-check."""
    blocked: int
    """Requests to another host, aborted."""
    index_at_load: bool
    """Whether a search index file was requested before search was opened."""
    files: list[tuple[str, int]]
    """The first visit's responses: path and bytes sent."""
    search_files: list[tuple[str, int]]
    """The search's responses."""


def _log_bytes(log: Path, start: int) -> tuple[int, list[tuple[str, int]]]:
    """Bytes sent since ``start`` in the access log, and each response's path and bytes."""
    with log.open("rb") as handle:
        handle.seek(start)
        lines = handle.read().decode().splitlines()
    files = [(line.split(" ", 1)[0], int(line.rsplit(" ", 1)[1])) for line in lines]
    return sum(size for _, size in files), files


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)


def visit(browser, url: str, log: Path, lang: str, kind: str) -> Visit:
    """One first visit of ``url`` in a fresh context, then one search; bytes counted from the access log."""
    host = urlsplit(url).netloc
    context = browser.new_context()
    blocked: list[str] = []
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == host
                  else (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: seen.append(int(event["encodedDataLength"])))
    start = log.stat().st_size if log.exists() else 0
    page.goto(url)
    _settle(page)
    time.sleep(0.2)  # nginx writes its log line after the response
    first, files = _log_bytes(log, start)
    first_cdp = sum(seen)
    middle = log.stat().st_size
    if kind == "pagefind":
        page.fill(".pagefind-ui__search-input", QUERIES[lang])
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=60_000)
    else:
        page.click("input.md-search__input")
        page.keyboard.type(QUERIES[lang])
        page.keyboard.press("End")  # Material listens for key-up; see tests/test_browser.py
        page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
    _settle(page)
    time.sleep(0.2)
    search, search_files = _log_bytes(log, middle)
    context.close()
    return Visit(first, search, first_cdp, len(blocked), any(INDEX_FILE.search(path) for path, _ in files), files,
                 search_files)


def measure(variants: dict[str, Path], work: Path, runs: int) -> dict[tuple[str, str], list[Visit]]:
    """``runs`` interleaved rounds: each round visits every variant in every language once."""
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str], list[Visit]] = {}
    with sync_playwright() as playwright, ExitStack() as servers:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        served = {name: servers.enter_context(nginx(root, work / f"nginx-{index}"))
                  for index, (name, root) in enumerate(variants.items())}
        servers.callback(browser.close)
        for _ in range(runs):
            for name, (url, log) in served.items():
                kind = "pagefind" if name == "pagefind" else "material"
                for lang in QUERIES:
                    results.setdefault((name, lang), []).append(
                        visit(browser, f"{url}/{prefix(lang)}{ARTICLE}", log, lang, kind))
    return results


def kb(values: list[int]) -> str:
    numbers = [value / 1024 for value in values]
    return f"{statistics.median(numbers):,.1f} KB ({min(numbers):,.1f}–{max(numbers):,.1f})"


def table(results: dict[tuple[str, str], list[Visit]], count: int, runs: int, index_sizes: dict[str, int]) -> str:
    lines = [f"`python scripts/bench_weight.py` (also run by `make bench`), {time.strftime('%Y-%m-%d')}: "
             f"{count:,} analyses in three languages, nginx with README's block (gzip on), Chromium {CHROMIUM} via "
             f"Playwright, each visit a fresh context (empty cache), other hosts blocked. Bytes as sent by nginx "
             f"(`$bytes_sent`: headers and gzipped body); median of {runs} interleaved runs (min–max). "
             f"Raw index sizes: " + ", ".join(f"{lang} {size / 1024 / 1024:.1f} MB" for lang, size in index_sizes.items())
             + ".", "",
             "| variant | lang | first visit | Chromium's count | then one search | index before search? | other hosts |",
             "|---|---|---|---|---|---|---|"]
    for (name, lang), visits in results.items():
        lines.append(f"| {name} | {lang} | {kb([v.first for v in visits])} | {kb([v.first_cdp for v in visits])} | "
                     f"{kb([v.search for v in visits])} | {'yes' if visits[0].index_at_load else 'no'} | "
                     f"{max(v.blocked for v in visits)} |")
    for (name, lang), visits in results.items():
        if lang == "en":
            for label, files in (("first visit", visits[0].files), ("search", visits[0].search_files)):
                listed = ", ".join(f"`{path}` {size / 1024:,.1f}" for path, size in files)
                lines.append(f"\n{name}, en, {label} (KB sent): {listed or 'nothing'}.")
    return "\n".join(lines)


def write_section(text: str, results_file: Path = ROOT / "benchmarks" / "results.md") -> None:
    """Replace (or append) the ``## First visit`` section of the results file."""
    current = results_file.read_text(encoding="utf-8") if results_file.exists() else "# Benchmark results\n"
    section = f"## First visit\n\n{text}\n"
    pattern = re.compile(r"^## First visit\n.*?(?=^## |\Z)", re.S | re.M)
    updated = pattern.sub(lambda _: section + "\n", current, count=1) if pattern.search(current) \
        else current.rstrip("\n") + "\n\n" + section
    results_file.write_text(updated, encoding="utf-8")


def run(count: int, runs: int, work: Path, site: Path | None = None) -> tuple[str, dict[tuple[str, str], list[Visit]]]:
    site = site or build(count, work)
    variants = {"material, index at load": material_at_load(site, work),
                "material, index on demand": site}
    indexed = pagefind(site, work)
    if indexed is not None:
        variants["pagefind"] = indexed
    sizes = {lang: (site / prefix(lang) / "search" / "search_index.json").stat().st_size for lang in QUERIES}
    results = measure(variants, work, runs)
    return table(results, count, runs, sizes), results


def bench(report: Callable[[str, float, str, float], None]) -> None:
    """``make bench``'s step: the shipped variant's first visit per language against the target. Its own
    temporary folder, since nginx's unprivileged worker must be able to enter it."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        text, results = run(1000, 3, Path(tmp))
    print(text)
    for (name, lang), visits in results.items():
        if name == "material, index on demand":
            report(f"first visit of an article, {lang} (1,000)", statistics.median(v.first for v in visits) / 1024,
                   "KB", TARGET_KB)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an archive already built (skips the build)")
    parser.add_argument("--gzip-type", action="append", default=[], metavar="MIME",
                        help="add a type to README's gzip_types (e.g. text/xml), to measure that change")
    parser.add_argument("--write", action="store_true", help="write the table to benchmarks/results.md")
    args = parser.parse_args()
    GZIP_EXTRA.extend(args.gzip_type)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        text, results = run(args.articles, args.runs, work, args.site)
    print(text)
    if args.write:
        write_section(text)
    shipped = [statistics.median(v.first for v in visits) for (name, _), visits in results.items()
               if name == "material, index on demand"]
    return 0 if all(value <= TARGET_KB * 1024 for value in shipped) else 1


if __name__ == "__main__":
    sys.exit(main())
