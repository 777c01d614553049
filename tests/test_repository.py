"""Promises about the code as a whole: no import cycle in `dashboard/` or `etl/` (nor inside the claims engine,
`etl/claims/`), and CI runs the README's test command.

Imports are read with `ast` (nothing is imported or run): module-level ones and those inside functions, since an
import moved into a function to dodge a cycle is still a cycle. Imports under `if TYPE_CHECKING:` are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dashboard", "etl")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith("TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif not _type_checking_only(node):
            found.extend(_imports(node))
    return found


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module → the modules of `packages` it imports (`from pkg import mod` counts as importing `pkg.mod`)."""
    files = {module_name(p, root): p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..a import b
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: each strongly connected group of two or more modules, as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, group) for group in groups]


def _one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path start → … → start inside one strongly connected group (breadth-first, so a shortest one)."""
    start = min(group)
    paths = {nxt: [start, nxt] for nxt in sorted(graph[start] & group)}
    queue = list(paths)
    while queue:
        node = queue.pop(0)
        if start in graph[node]:
            return [*paths[node], start]
        for nxt in sorted(graph[node] & group):
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError("a strongly connected group always holds a cycle")


def test_dashboard_and_etl_have_no_import_cycle():
    found = cycles(import_graph(ROOT))
    assert not found, (
        "import cycles (move what both sides need into a module that imports neither, as chart definitions import "
        "dashboard/chart_registry.py and not dashboard/charts.py):\n" + "\n".join(" → ".join(c) for c in found)
    )


def test_the_claims_engine_imports_point_one_way():
    """`etl/claims/` was cut from one module whose sections imported each other: its modules form no cycle among
    themselves, and the engine sits below what runs it (no dashboard, no source but the base contract)."""
    graph = import_graph(ROOT)
    engine = {name: targets for name, targets in graph.items() if name.startswith("etl.claims.")}
    assert engine, "etl/claims has no modules"
    inside = {name: {t for t in targets if t in engine} for name, targets in engine.items()}
    assert not cycles(inside), cycles(inside)
    upward = {
        name: sorted(t for t in targets if t.startswith(("dashboard", "etl.sources")) and t != "etl.sources.base")
        for name, targets in engine.items()
    }
    assert not any(upward.values()), {name: found for name, found in upward.items() if found}


def test_claims_engine_modules_stay_small():
    """One concern per module: none of `etl/claims/` over 500 lines."""
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "etl" / "claims").glob("*.py")}
    assert all(n <= 500 for n in sizes.values()), sizes


def test_the_cycle_check_finds_cycles_direct_relative_and_inside_functions(tmp_path):
    pkg = tmp_path / "dashboard"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text('"""A package."""\n')
    (pkg / "registry.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from dashboard import a\n"
    )
    (pkg / "a.py").write_text("from dashboard.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..a import thing\n")
    (pkg / "c.py").write_text("import dashboard.registry\n")
    (tmp_path / "etl").mkdir()
    graph = import_graph(tmp_path)
    assert graph["dashboard.a"] == {"dashboard.sub", "dashboard.sub.b"}
    assert graph["dashboard.sub.b"] == {"dashboard.a"}
    assert graph["dashboard.registry"] == set()  # TYPE_CHECKING only
    assert graph["dashboard.c"] == {"dashboard.registry"}
    assert cycles(graph) == [["dashboard.a", "dashboard.sub.b", "dashboard.a"]]


def test_ci_runs_the_readme_test_command():
    """`.ci/run` runs the README's test command exactly, so what the README tells a newcomer is what CI checks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("python3.11 -m venv") and "pytest" in line)
    assert command in ci.splitlines()


def test_tests_mirror_the_code():
    """Tests live beside what they protect: tests/etl, tests/dashboard, tests/http (the app over HTTP),
    tests/browser (real Chromium); only promises about the whole repository stay at the root. Names say what is
    protected, not which issue asked for it."""
    tests = ROOT / "tests"
    loose = sorted(p.name for p in tests.glob("test_*.py") if p.name != "test_repository.py")
    assert loose == []
    folders = {p.parent.name for p in tests.rglob("test_*.py") if p.parent != tests}
    assert folders <= {"etl", "dashboard", "http", "browser"}
    assert all((tests / f / "__init__.py").exists() for f in folders)
    named_after_issues = [
        p.name for p in tests.rglob("test_*.py") if re.search(r"issue|\d{2,}|hardening|_unit\b", p.stem)
    ]
    assert named_after_issues == []
