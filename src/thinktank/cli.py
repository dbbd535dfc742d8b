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
    parser = argparse.ArgumentParser(prog="thinktank", description="Multilingual publishing pipeline for think tanks.")
    parser.add_argument("--version", action="version", version=f"thinktank {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import raw article dumps into docs/")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--section", default="analyses", help="docs/ subfolder for the pages (default: analyses)")
    imp.add_argument("--date", type=_date, help="publication date, YYYY-MM-DD (dumps rarely carry one)")
    imp.add_argument("--profile", default="auto", choices=["auto", "ankasam", "pism", "generic"])
    imp.add_argument("--tag", action="append", default=[], dest="tags", help="a topic tag; repeat for more")
    imp.add_argument("--force", action="store_true", help="overwrite existing pages")
    imp.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the site's docs directory (default: docs)")
    imp.set_defaults(handler=_cmd_import)
    return parser


def _cmd_import(args: argparse.Namespace) -> int:
    from .importers import ImportOptions, import_files

    options = ImportOptions(section=args.section, date=args.date, profile=args.profile,
                            force=args.force, tags=tuple(args.tags))
    report = import_files(args.paths, args.docs_dir, options)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for article, page in zip(report.articles, report.pages):
        names = ", ".join(author.name for author in article.authors) or "no author"
        print(f"imported {page}  ({names}; {len(article.footnotes)} notes; profile {article.profile})")
    for entry in report.authors:
        print(f"author   {entry}")
    print(f"{len(report.pages)} article(s) imported, {len(report.authors)} author entr{'y' if len(report.authors) == 1 else 'ies'} written")
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
