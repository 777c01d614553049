"""Bootstrap's stylesheet cut to the rules this site can use: `dashboard/assets/00-bootstrap.min.css`.

The full Bootstrap 5.3.9 (232 KB, 35 KB compressed) blocked the first paint of every page: on a 400 kbit/s link it
alone took a second (issue 18). This keeps every rule without a class (the reboot: elements, :root variables), and of
the others the selectors whose classes all occur in the site's code (every word of every string in dashboard/*.py,
dashboard/**/*.py and the site's own scripts): what a page can ever put in its markup. A class used only in a new
file is found when the subset is rebuilt; tests/browser/test_static_first.py fails while a class the code uses is missing.

Run: python scripts/bootstrap_subset.py [--check]   (--check: exit 1 if the committed subset is out of date)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FULL = REPO / "dashboard" / "static" / "vendor" / "bootstrap-5.3.9.min.css"
SUBSET = REPO / "dashboard" / "assets" / "00-bootstrap.min.css"
SOURCES = ("dashboard/**/*.py", "dashboard/assets/*.js", "dashboard/static/*.js")
CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
WORD = re.compile(r"[_a-zA-Z][_a-zA-Z0-9-]*")
HEADER = "/* A subset of Bootstrap v5.3.9 (MIT, see static/vendor/LICENSE-bootstrap) built by scripts/bootstrap_subset.py */\n"


def used_words(root: Path = REPO) -> set[str]:
    """Every word that can be a class name in the site's code (generous: any identifier-like token of any file)."""
    words: set[str] = set()
    for pattern in SOURCES:
        for path in root.glob(pattern):
            words.update(WORD.findall(path.read_text(encoding="utf-8")))
    return words


def bootstrap_classes(css: str) -> set[str]:
    return set(CLASS.findall(_without_urls(css)))


def _without_urls(text: str) -> str:
    return re.sub(r'url\((?:"[^"]*"|\'[^\']*\'|[^)]*)\)', "url()", text)


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet; a body is the text between the matching braces."""
    out = []
    i = 0
    n = len(css)
    while i < n:
        start = css.find("{", i)
        if start < 0:
            break
        semi = css.find(";", i)
        if 0 <= semi < start and css[i:semi].lstrip().startswith("@"):  # @charset "UTF-8"; and the like
            out.append((css[i : semi + 1], ""))
            i = semi + 1
            continue
        depth = 0
        j = start
        quote = ""
        while j < n:
            c = css[j]
            if quote:
                if c == quote and css[j - 1] != "\\":
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append((css[i:start], css[start + 1 : j]))
        i = j + 1
    return out


def _keep_selector(selector: str, words: set[str]) -> bool:
    return all(name in words for name in CLASS.findall(selector))


def subset(css: str, words: set[str]) -> str:
    out = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if head.startswith("@charset") or (head.startswith("/*") and not body):
            continue
        comment = ""
        if head.startswith("/*"):  # the licence comment before the first rule
            end = head.find("*/") + 2
            comment, head = head[:end], head[end:].strip()
        if head.startswith(("@media", "@supports", "@container", "@layer")):
            inner = subset(body, words)
            if inner:
                out.append(f"{comment}{head}{{{inner}}}")
        elif head.startswith("@"):  # @keyframes and other at-rules: kept whole
            out.append(f"{comment}{head}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(head) if _keep_selector(s, words)]
            if kept:
                out.append(f"{comment}{','.join(kept)}{{{body}}}")
    return "".join(out)


def _split_selectors(selector: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for c in selector:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def build() -> str:
    return HEADER + subset(FULL.read_text(encoding="utf-8"), used_words()) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = SUBSET.read_text(encoding="utf-8") if SUBSET.exists() else ""
        if current != text:
            print(f"{SUBSET.relative_to(REPO)} is out of date: run python scripts/bootstrap_subset.py", file=sys.stderr)
            return 1
        return 0
    SUBSET.write_text(text, encoding="utf-8")
    print(f"{SUBSET.relative_to(REPO)}: {len(text):,} bytes (from {FULL.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
