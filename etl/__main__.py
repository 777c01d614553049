"""Command line: `python -m etl refresh|sources|status|parse-une`."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import UTC, date, datetime

from etl.http import resolve_mirror
from etl.paths import default_paths
from etl.publish import read_package
from etl.registry import all_sources
from etl.run_log import AlreadyRunning, effective_status, load_status, refresh_in_progress
from etl.runner import Refresher
from etl.staleness import content_staleness, latest_observation
from etl.validation import read_published


def _age_days(ts: str | None, now: datetime) -> float | None:
    if not ts:
        return None
    then = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (now - then).total_seconds() / 86400


def _stop_on_sigterm(signum: int, _frame: object) -> None:
    """systemd's and cron's `timeout` stop a run with SIGTERM: unwind (a commit in progress rolls back, the lock is
    released) instead of dying mid-write. Sources not finished stay "running" in status.json: interrupted."""
    raise SystemExit(128 + signum)


def cmd_refresh(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    paths = default_paths()
    refresher = Refresher(paths, mirror=resolve_mirror(args.mirror), progress=not args.quiet and sys.stderr.isatty())
    try:
        report = refresher.refresh(args.source or None)
    except AlreadyRunning as exc:
        print(f"refresh: {exc}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except KeyError as exc:
        print(f"refresh: {exc.args[0]}", file=sys.stderr)
        return 2
    except OSError as exc:  # the run state (.cache/state) could not be written: nothing published is half-written
        print(f"refresh: {exc}", file=sys.stderr)
        return 1
    for r in report.results:
        if r.status == "failed":
            print(r.line(), file=sys.stderr)
        elif not args.quiet:
            print(r.line())
        for note in r.text_notes:  # upstream text changed before publishing: always worth a line in the log
            print(f"{r.source_id}: note — {note.line()}", file=sys.stderr)
    for note in report.notes:
        print(f"refresh: note — {note}", file=sys.stderr)
    for problem in report.problems:
        print(f"refresh: {problem}", file=sys.stderr)
    if not args.quiet:
        print("no change" if not report.changed else "published data changed")
    return 1 if report.failed or report.problems else 0


def cmd_sources(args: argparse.Namespace) -> int:
    paths = default_paths()
    status = load_status(paths)
    package = read_package(paths.datapackage)
    rows_by_source: dict[str, int] = {}
    for res in package.get("resources", []):
        rows_by_source.setdefault(res.get("x_source_id", ""), 0)
    print(f"{'id':<30} {'licence':<12} {'last success':<21} {'rows':>8}  title / production URL")
    for src in all_sources():
        st = status.get(src.id, {})
        rows = sum((st.get("tables") or {}).values()) if st.get("tables") else _rows_from_files(paths, src)
        urls = ", ".join(src.meta.urls) or src.meta.homepage
        print(
            f"{src.id:<30} {src.meta.licence.get('name', ''):<12} {st.get('last_success_at', '-'):<21} {rows:>8}  "
            f"{src.meta.title}\n{'':<75}{urls}"
        )
    return 0


def _rows_from_files(paths, src) -> int:
    total = 0
    for name in src.meta.tables:
        path = paths.data_dir / f"{name}.csv"
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                total += max(sum(1 for _ in handle) - 1, 0)
    return total


def cmd_status(args: argparse.Namespace) -> int:
    paths = default_paths()
    status = load_status(paths)
    package = read_package(paths.datapackage)
    changed = {}
    for res in package.get("resources", []):
        sid = res.get("x_source_id")
        changed[sid] = max(changed.get(sid, ""), res.get("x_last_changed", ""))
    now = datetime.now(UTC)
    bad = 0
    in_progress = refresh_in_progress(paths.state_dir)
    print(f"{'source':<30} {'last attempt':<21} {'result':<10} {'age (d)':>8} {'cadence':>8}  state")
    for src in all_sources():
        st = status.get(src.id, {})
        last_ok = st.get("last_success_at") or changed.get(src.id)
        age = _age_days(last_ok, now)
        cadence = src.meta.cadence_days
        result, message = effective_status(st, in_progress)
        if result == "failed":
            state, bad = f"FAILED: {message}", bad + 1
        elif result == "running":
            state = f"running (since {st.get('last_attempt_at', '?')})"
        elif result == "skipped":
            state = f"skipped: {message}"
        elif age is None:
            state, bad = "never refreshed", bad + 1
        elif age > 2 * cadence:
            state, bad = f"STALE (older than 2 × {cadence} days)", bad + 1
        else:
            state = "fresh"
        age_txt = f"{age:8.1f}" if age is not None else f"{'-':>8}"
        print(f"{src.id:<30} {st.get('last_attempt_at', '-'):<21} {result or '-':<10} {age_txt} {cadence:>7}d  {state}")
    stale = _print_content_staleness(paths, package, args.today or now.date())
    return 1 if bad or stale else 0


def _print_content_staleness(paths, package: dict, today: date) -> int:
    """Per published table: the latest observation against the table's expected cadence (its metadata). A fetch
    can succeed every night on a feed that stopped: this is where that shows. Returns how many tables are stale."""
    recorded = {r.get("path"): r for r in package.get("resources", [])}
    stale = 0
    print()
    print(f"{'table':<30} {'time column':<18} {'latest obs.':<11} {'cadence':>8}  content (as of {today.isoformat()})")
    for src in all_sources():
        for table in src.meta.tables.values():
            res = recorded.get(f"{table.name}.csv")
            if res is None and not (paths.data_dir / f"{table.name}.csv").exists():
                continue  # never published here: the source line above says why
            if res is not None and "x_latest_observation" in res:
                latest = res["x_latest_observation"]
            else:  # a package written before tables carried their latest observation
                df = read_published(paths, table)
                latest = latest_observation(df, table)[0] if df is not None else None
            cadence = table.expected_cadence_days
            is_stale, since = content_staleness(latest, cadence, today)
            if not table.time_column:
                state = "no time column: never stale by content"
            elif not cadence:
                state = "irregular: never stale by content"
            elif not latest:
                state = "no observations"
            elif is_stale:
                state = f"STALE since {since} (latest observation {latest}, expected every {cadence} d)"
                stale += 1
            else:
                state = "current"
            cadence_txt = f"{cadence}d" if cadence else "-"
            print(f"{table.name:<30} {table.time_column or '-':<18} {latest or '-':<11} {cadence_txt:>8}  {state}")
    return stale


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def cmd_parse_une(args: argparse.Namespace) -> int:
    from etl.une.parse_command import main

    return main(sys.stdin, sys.stdout, sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh", help="fetch, validate and publish sources")
    p.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    p.add_argument(
        "--mirror", metavar="BASE_URL", help="fetch https://HOST/PATH from BASE_URL/HOST/PATH (or $CUBA_ETL_MIRROR)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress or summary; failures still go to stderr")
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser("sources", help="list sources with licence, last success and rows")
    p.set_defaults(func=cmd_sources)
    p = sub.add_parser(
        "status",
        help="per source: last attempt, result, age, staleness; per table: latest observation against its cadence "
        "(exit 1 if any source failed, is stale or was never refreshed, or any table is stale by content)",
    )
    p.add_argument("--today", type=_iso_day, metavar="YYYY-MM-DD", help="judge content staleness on this day (UTC)")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("parse-une", help="parse UNE notes: JSON lines {date, text} on stdin → records on stdout")
    p.set_defaults(func=cmd_parse_une)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
