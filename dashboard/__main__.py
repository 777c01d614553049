"""`python -m dashboard [--host H] [--port P]` serves the app; `python -m dashboard export OUT_DIR` writes a static
copy of every chart (see dashboard/export.py)."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        from dashboard.export import main as export_main

        return export_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash dev tools and reloader (never in production)")
    args = parser.parse_args(argv)
    from dashboard import settings
    from dashboard.app import create_app, warm_up

    # Links point to $CUBA_SITE_URL, or to this development server's own address (never to a request's Host).
    host = "localhost" if args.host in ("0.0.0.0", "::") else f"[{args.host}]" if ":" in args.host else args.host
    local = f"http://{host}:{args.port}"
    app = create_app(site_url=settings.site_url() if os.environ.get(settings.SITE_URL_ENV) else local)
    warm_up()
    print(f"Cuba Energy Crisis Dashboard on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
