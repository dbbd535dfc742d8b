"""``python -m thinktank.review_server``: the editor without the CLI (tests run it so; ``thinktank review --serve`` is the same call)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ThinktankError
from . import DEFAULT_HOST, DEFAULT_PORT, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thinktank.review_server")
    parser.add_argument("--docs-dir", type=Path, default=Path("docs"))
    parser.add_argument("--translations-dir", type=Path, default=Path("translations"))
    parser.add_argument("--lang", default="tr,ru", help="languages, comma-separated")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--reviewer")
    parser.add_argument("--token")
    parser.add_argument("--lock-wait", type=float, help="seconds a save waits for a translate run (default: 3)")
    args = parser.parse_args(argv)
    try:
        return serve(args.docs_dir, args.translations_dir, [code for code in args.lang.split(",") if code],
                     host=args.host, port=args.port, reviewer=args.reviewer, token=args.token,
                     lock_wait=args.lock_wait)
    except ThinktankError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
