"""The ``thinktank`` command: parse arguments, call the library, print a summary.

Every user error is a ``ThinktankError``, caught here once and printed as one
line naming the file; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ThinktankError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    from .engines import DEVICES, ENGINES
    from .importers import profile_choices

    parser = argparse.ArgumentParser(prog="thinktank", description="Multilingual publishing pipeline for think tanks.")
    parser.add_argument("--version", action="version", version=f"thinktank {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import raw article dumps into docs/")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--section", default="analyses", help="docs/ subfolder for the pages (default: analyses)")
    imp.add_argument("--date", type=_date, help="publication date, YYYY-MM-DD, over the one found (dumps rarely carry one)")
    imp.add_argument("--title", help="the article's title (and so its slug), over the one found; one file only")
    imp.add_argument("--author", action="append", default=[], dest="authors",
                     help="an author's name as it should read, over those found; repeat for co-authors, in order")
    imp.add_argument("--category", help="the article's category, over the site profile's")
    profiles = profile_choices()
    imp.add_argument("--profile", default="auto", choices=[name for name, _ in profiles],
                     help="; ".join(f"{name}: {description}" for name, description in profiles))
    imp.add_argument("--tag", action="append", default=[], dest="tags", help="a topic tag; repeat for more")
    imp.add_argument("--force", action="store_true", help="overwrite existing pages")
    imp.add_argument("--strict", action="store_true",
                     help="refuse an article whose note markers and notes do not pair up (default: import it, "
                          "keeping the unmatched ones as plain text, with a warning)")
    imp.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the site's docs directory (default: docs)")
    imp.set_defaults(handler=_cmd_import)

    tra = commands.add_parser("translate", help="update PO catalogs and machine-translate new segments")
    tra.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="pages to translate (default: all of docs/)")
    tra.add_argument("--to", type=_languages, help="target languages, comma-separated "
                                                   "(default: the i18n languages of mkdocs.yml but the default one)")
    tra.add_argument("--engine", default="argos", choices=list(ENGINES),
                     help="; ".join(f"{entry.name}: {entry.description}" for entry in ENGINES.values()))
    tra.add_argument("--device", choices=DEVICES, default="auto",
                     help="where the argos engine runs: auto (a CUDA GPU when CTranslate2 sees one), cpu, cuda")
    _add_dirs(tra)
    tra.set_defaults(handler=_cmd_translate)

    sta = commands.add_parser("status", help="per-language, per-page review progress")
    sta.add_argument("--lang", type=_languages, help="languages to show, comma-separated "
                                                     "(default: the i18n languages of mkdocs.yml but the default one)")
    _add_dirs(sta)
    sta.set_defaults(handler=_cmd_status)

    rev = commands.add_parser("review", help="review drafts in a browser editor (--serve), or write a side-by-side "
                                             "HTML review sheet for one page")
    rev.add_argument("lang", nargs="?", help="the language (with --serve: only this one; default: the site's)")
    rev.add_argument("page", nargs="?", type=Path, help="the page, e.g. docs/analyses/x.md or analyses/x.md "
                                                        "(with --serve: the page to open first)")
    rev.add_argument("-o", "--output", type=Path, help="where to write the sheet (default: build/review/LANG/PAGE.html)")
    rev.add_argument("--serve", action="store_true", help="start the browser editor until Ctrl+C")
    rev.add_argument("--host", default="127.0.0.1", help="with --serve: the address to listen on (default: 127.0.0.1; "
                                                         "any other needs --token)")
    rev.add_argument("--port", type=int, default=8765, help="with --serve: the port (default: 8765)")
    rev.add_argument("--reviewer", help="with --serve: your name, written as the catalogs' Last-Translator "
                                        "(default: your login name)")
    rev.add_argument("--token", help="with --serve: a secret every request must carry (required with a --host "
                                     "other than loopback)")
    _add_dirs(rev)
    rev.set_defaults(handler=_cmd_review)

    mod = commands.add_parser("models", help="list or install argos translation models")
    mod_commands = mod.add_subparsers(dest="models_command", required=True)
    mls = mod_commands.add_parser("list", help="installed models (and, with --index, those on offer)")
    mls.add_argument("--index", help="package index URL or folder (e.g. file:///srv/argos-index/)")
    mls.set_defaults(handler=_cmd_models_list)
    mins = mod_commands.add_parser("install", help="install en→LANG models from the index, or a file")
    mins.add_argument("langs", nargs="*", metavar="LANG")
    mins.add_argument("--from", dest="file", type=Path, help="install this .argosmodel file")
    mins.add_argument("--index", default=DEFAULT_INDEX, help="package index URL or folder (default: argos' public index)")
    mins.set_defaults(handler=_cmd_models_install)

    dep = commands.add_parser("deploy", help="build the site and publish it")
    where = dep.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", type=Path, metavar="DIR", help="publish as an atomic release under DIR (serve DIR/current)")
    where.add_argument("--gh-pages", metavar="REMOTE", help="push the site to REMOTE's gh-pages branch")
    dep.add_argument("--rollback", action="store_true", help="with --to: make the previous release live again")
    dep.add_argument("--keep", type=_at_least_one, help="with --to: releases to keep, at least 1 (default: 5); "
                                                         "the live and the previous release are always kept")
    dep.add_argument("--wait", type=_seconds, metavar="SECONDS",
                     help="with --to: how long to wait for another deploy or rollback of DIR to finish "
                          "(default: 120; 0 fails at once)")
    dep.add_argument("--branch", help="with --gh-pages: the branch (default: gh-pages)")
    dep.add_argument("--allow-preview", action="store_true",
                     help="publish even if catalogs hold preview-engine (pseudo) drafts (default: refuse, "
                          "naming the catalogs)")
    dep.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    dep.set_defaults(handler=_cmd_deploy, parser=dep)
    return parser


def _at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: at least 1 release must be kept (the live one)")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 <= number < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r}: give 0 or more seconds")
    return number


DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def _languages(value: str) -> list[str]:
    langs = [lang.strip() for lang in value.split(",") if lang.strip()]
    bad = [lang for lang in langs if not lang.isalpha() or len(lang) not in (2, 3)]
    if not langs or bad:
        raise argparse.ArgumentTypeError(f"{value!r} is not a comma-separated list of language codes")
    return langs


def _add_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the English pages (default: docs)")
    parser.add_argument("--translations-dir", type=Path, default=Path("translations"),
                        help="the PO catalogs (default: translations)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml: its languages and their data (default: mkdocs.yml)")


def _site_languages(config_file: Path, given: list[str] | None, option: str = "--to") -> list[str]:
    """``given``, or the site's target languages; either way the site's language data is the one in use.

    A language the site does not configure is refused (its pages would never be
    built, so its catalogs would be work nobody reads), naming those it does.
    """
    from . import languages

    site = languages.activate_config(config_file)
    if given and site is not None:
        foreign = [code for code in dict.fromkeys(given) if code not in site.targets]
        if foreign:
            offered = ", ".join(site.targets) or "none"
            source = f"; {site.default} is the source language" if site.default in foreign else ""
            raise languages.LanguageError(
                config_file, f"{option} {','.join(foreign)}: not a language this site translates into "
                             f"(it configures {offered}{source}); add a language to the i18n plugin's languages "
                             "first (README: Adding a language)")
    if given:
        return given
    if site is None:
        targets = languages.packaged_targets()
        print(f"warning: {config_file}: no such file, so using every packaged language but {languages.SOURCE}: "
              f"{','.join(targets)} (give --to/--lang, or --config-file)", file=sys.stderr)
        return targets
    if not site.targets:
        raise languages.LanguageError(config_file, f"configures no language besides {site.default!r} "
                                                   "(add one to the i18n plugin's languages, or give --to/--lang)")
    return site.targets


def _page_uri(page: Path, docs_dir: Path) -> str:
    from .translation import source_pages

    return source_pages(docs_dir, [page])[0]


def _cmd_translate(args: argparse.Namespace) -> int:
    from .engines import get_engine
    from .translation import translate

    targets = _site_languages(args.config_file, args.to)
    engine = get_engine(args.engine, _progress_bar if sys.stderr.isatty() else None, device=args.device)
    reports = translate(args.docs_dir, args.translations_dir, targets, engine, args.paths or None,
                        progress=lambda line: print(line, file=sys.stderr))
    for report in reports:
        print(f"{report.lang}: {report.pages} pages, {len(report.written)} catalogs written; "
              f"{report.added} new, {report.changed} changed, {report.obsolete} obsolete entries; "
              f"{report.from_engine} from {engine.name}, {report.from_memory} from memory, "
              f"{report.from_glossary} citations, {report.names} names kept; {report.flagged} flagged by QA ({report.seconds:.1f} s)")
    print(f"engine {engine.name}: {engine.batches} batch call(s), {engine.segments} segment(s)")
    return 0


def _progress_bar(done: int, total: int) -> None:
    """One self-updating line on a terminal: sentences translated so far."""
    filled = round(30 * done / total)
    end = "\n" if done == total else ""
    print(f"\r  {'█' * filled}{'░' * (30 - filled)} {done}/{total} sentences", end=end, file=sys.stderr, flush=True)


def _cmd_status(args: argparse.Namespace) -> int:
    from .review import status

    langs = _site_languages(args.config_file, args.lang, "--lang")
    pages = status(args.docs_dir, args.translations_dir, langs)
    width = max((len(page.uri) for page in pages), default=10)
    for lang in langs:
        rows = [page for page in pages if page.lang == lang]
        print(f"{lang}  {'page':<{width}}  reviewed  draft  stale  untranslated")
        for page in rows:
            print(f"    {page.uri:<{width}}  {page.reviewed:>8}  {page.draft:>5}  {page.stale:>5}  "
                  f"{page.untranslated:>12}  {page.bar()} {page.percent:>3}%")
        total = sum(page.total for page in rows) or 1
        reviewed = sum(page.reviewed for page in rows)
        print(f"    {'all pages':<{width}}  {reviewed:>8} of {total} segments reviewed ({round(100 * reviewed / total)}%)")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from .review import write_review_sheet

    if args.serve:
        from .review_server import serve

        langs = _site_languages(args.config_file, [args.lang] if args.lang else None, "language")
        start = _page_uri(args.page, args.docs_dir) if args.page else None
        return serve(args.docs_dir, args.translations_dir, langs, host=args.host, port=args.port,
                     reviewer=args.reviewer, token=args.token, page=start)
    if args.lang is None or args.page is None:
        raise ThinktankError(None, "review needs LANG and PAGE to write a sheet (or --serve for the browser editor)")
    _site_languages(args.config_file, [args.lang], "language")
    uri = _page_uri(args.page, args.docs_dir)
    output = args.output or Path("build") / "review" / args.lang / Path(uri).with_suffix(".html")
    write_review_sheet(args.docs_dir, args.translations_dir, args.lang, uri, output)
    print(f"review sheet: {output}")
    return 0


def _cmd_models_list(args: argparse.Namespace) -> int:
    from .engines.argos_packages import list_models

    models = list_models(args.index)
    if not models:
        print("no argos models installed; install with: thinktank models install tr ru")
    for model in models:
        state = "installed" if model.installed else "available"
        print(f"{model.name:<20} {model.version:<10} {model.source}→{model.target}  {state}")
    return 0


def _cmd_models_install(args: argparse.Namespace) -> int:
    from .engines.argos_packages import install_file, install_languages

    if not args.file and not args.langs:
        raise ThinktankError(None, "name languages (thinktank models install tr ru) or a file (--from FILE)")
    installed = [install_file(args.file)] if args.file else []
    if args.langs:
        installed += install_languages(args.langs, args.index)
    for name in installed:
        print(f"installed {name}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .importers import ImportOptions, import_files

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    if args.title is not None and len(args.paths) > 1:
        print("error: --title names one article; import the files one at a time to give each its title",
              file=sys.stderr)
        return 2
    options = ImportOptions(section=args.section, date=args.date, profile=args.profile, force=args.force,
                            tags=tuple(args.tags), strict=args.strict, title=args.title,
                            authors=tuple(args.authors), category=args.category)
    report = import_files(args.paths, args.docs_dir, options, notice=warn)
    for warning in report.warnings:
        warn(warning)
    for article, page in zip(report.articles, report.pages, strict=True):
        names = ", ".join(author.name for author in article.authors) or "no author"
        print(f"imported {page}  ({names}; {len(article.footnotes)} notes; profile {article.profile})")
    for entry in report.authors:
        print(f"author   {entry}")
    entries = f"{len(report.authors)} author entr{'y' if len(report.authors) == 1 else 'ies'} written"
    print(f"{len(report.pages)} article(s) imported, {len(report.unchanged)} already up to date, {entries}")
    return 0


def _cmd_deploy(args: argparse.Namespace) -> int:
    from . import deploy

    misplaced = ([name for name, value in (("--rollback", args.rollback), ("--keep", args.keep),
                                           ("--wait", args.wait)) if value] if args.gh_pages
                 else ["--branch"] if args.branch else [])
    if args.rollback:
        misplaced += [name for name, value in (("--keep", args.keep), ("--allow-preview", args.allow_preview)) if value]
    if misplaced:
        args.parser.error(f"{', '.join(misplaced)} does not apply here: --rollback, --keep and --wait go with --to "
                          "(and --keep and --allow-preview not with --rollback), --branch with --gh-pages")

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    wait = deploy.WAIT if args.wait is None else args.wait
    if args.gh_pages:
        branch = deploy.deploy_gh_pages(args.gh_pages, args.config_file.resolve(), args.branch or "gh-pages",
                                        allow_preview=args.allow_preview)
        print(f"published to {args.gh_pages} ({branch})")
    elif args.rollback:
        release = deploy.rollback(args.to, wait=wait, notice=warn)
        print(f"rolled back: {args.to / deploy.CURRENT} -> {release.name}")
    else:
        release = deploy.deploy_to(args.to, args.config_file.resolve(), args.keep or deploy.KEEP,
                                   wait=wait, notice=warn, allow_preview=args.allow_preview)
        print(f"deployed: {args.to / deploy.CURRENT} -> {release.name}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ThinktankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
