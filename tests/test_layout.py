"""The package layout tells the architecture, and stays true: lower parts never import higher
ones, no import cycles, and each third-party library is known only where it belongs.

The data flows one way: store -> snapshot -> findings -> progress -> status tabs / pack.
RANKS is that order; a module may import only parts ranked below its own (and its own part).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kspo_sheets"

RANKS = {
    # the ground floor: plain data, errors, log events
    "model": 0,
    "errors": 0,
    "logs": 1,  # run events; an unusable log file is a KspoError
    "codes": 1,  # the catalogue of finding codes, which parsers and checks both name
    "thai": 2,
    "config": 3,
    "stores": 4,
    "checks": 5,
    "progress": 6,
    "status": 7,
    "pack": 7,
    "commands": 8,
    "pipeline": 8,
    "standin": 8,
    "cli": 9,
    "__main__": 10,
    "__init__": 0,
}

# Where each third-party library may be imported (a prefix of the module's dotted name).
LIBRARIES = {
    "click": ("cli",),
    "xlsxwriter": ("pack",),
    "openpyxl": ("stores.xlsx", "commands"),
    "gspread": ("stores.google", "standin"),
    "google": ("stores.google", "standin"),
    "google_auth_oauthlib": ("stores.google",),
    "requests": ("stores.google", "standin"),
    "yaml": ("config",),
    "jsonschema": ("config",),
    # aggregation of tables: the breakdowns by amphoe, the pack's producers summary
    "pandas": ("progress.breakdowns", "pack.producers"),
}

# Siblings inside a part that must not know each other.
SEPARATE = [("stores.google", "stores.xlsx")]


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        name = (
            ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)
        )
        out[name] = path
    return out


def import_graph(root: Path = PACKAGE) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Module -> the package's modules it imports (anywhere in the file, lazy imports too),
    and module -> the third-party top-level packages it imports."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    prefix = root.name + "."
    for name, path in modules.items():
        deps: set[str] = set()
        libs: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name.rpartition(".")[0] if path.name != "__init__.py" else name
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
                libs.update(t.split(".")[0] for t in targets)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (node.level - 1)]
                    mod = ".".join([*base, *([node.module] if node.module else [])])
                    targets = [prefix + mod] if mod else [root.name]
                else:
                    targets = [node.module or ""]
                    libs.add(targets[0].split(".")[0])
                # `from pkg import submodule` depends on the submodule, not on what the
                # package's __init__ holds
                subs = [f"{targets[0]}.{a.name}" for a in node.names]
                inside = [s[len(prefix) :] for s in subs if s.startswith(prefix)]
                if inside and all(s in modules for s in inside):
                    targets = subs
                else:
                    targets += subs
            for t in targets:
                if t == root.name or t.startswith(prefix):
                    inner = t[len(prefix) :] if t != root.name else ""
                    while inner and inner not in modules:
                        inner = inner.rpartition(".")[0]
                    if inner and inner != name:
                        deps.add(inner)
        graph[name] = deps
        external[name] = libs - {root.name}
    return graph, external


def part(module: str) -> str:
    return module.split(".")[0]


def layering_violations(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Every import of a part ranked at or above the importer's own (other than itself)."""
    bad = []
    for mod, deps in graph.items():
        for dep in deps:
            a, b = part(mod), part(dep)
            if a == b:
                continue
            if a not in RANKS or b not in RANKS:
                bad.append(f"{mod} -> {dep}: part not in RANKS (add it with its place in the flow)")
            elif RANKS[b] >= RANKS[a]:
                bad.append(f"{mod} (rank {RANKS[a]}) imports {dep} (rank {RANKS[b]})")
    for one, other in SEPARATE:
        for mod, deps in graph.items():
            for dep in deps:
                for x, y in ((one, other), (other, one)):
                    if mod.startswith(x + ".") and dep.startswith(y + "."):
                        bad.append(f"{mod} imports {dep}: {x} and {y} are kept apart")
    return sorted(bad)


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def part_graph(graph: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        out.setdefault(part(mod), set()).update(part(d) for d in deps if part(d) != part(mod))
    return out


@pytest.fixture(scope="module")
def graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return import_graph()


def test_no_lower_part_imports_a_higher_one(graphs) -> None:
    graph, _ = graphs
    assert layering_violations(graph) == []


def test_no_import_cycle_between_modules(graphs) -> None:
    graph, _ = graphs
    assert cycles(graph) == []


def test_no_import_cycle_between_parts(graphs) -> None:
    graph, _ = graphs
    assert cycles(part_graph(graph)) == []


def test_every_module_sits_in_a_ranked_part(graphs) -> None:
    graph, _ = graphs
    assert sorted({part(m) for m in graph} - set(RANKS)) == []


def test_libraries_are_known_only_where_they_belong(graphs) -> None:
    _, external = graphs
    bad = []
    for mod, libs in external.items():
        for lib in libs:
            allowed = LIBRARIES.get(lib)
            if allowed is not None and not any(
                mod == p or mod.startswith(p + ".") for p in allowed
            ):
                bad.append(f"{mod} imports {lib} (allowed in {', '.join(allowed)})")
    assert bad == []


def test_the_standin_shares_no_code_with_the_client(graphs) -> None:
    # The stand-in plays Google for the tests: code shared with the client would let a
    # bug agree with itself.
    graph, _ = graphs
    leaks = [f"{m} -> {d}" for m, deps in graph.items() if part(m) == "standin" for d in deps]
    leaks = [x for x in leaks if not x.split(" -> ")[1].startswith("standin")]
    assert leaks == []
    users = sorted(
        m
        for m, deps in graph.items()
        if part(m) != "standin" and any(part(d) == "standin" for d in deps)
    )
    assert users == ["cli"]


def test_every_part_says_what_it_holds_and_may_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80, f"{init}: describe the part in its docstring"
        if init.parent.name != "standin":
            assert "May import" in doc, f"{init}: say what the part may import"


# The checks above must be able to fail: each one, on a graph that breaks it.


def test_the_layering_check_catches_an_upward_import() -> None:
    graph = {"thai.dates": {"pack.build"}, "pack.build": {"thai.dates"}}
    assert layering_violations(graph) == ["thai.dates (rank 2) imports pack.build (rank 7)"]


def test_the_layering_check_catches_siblings_and_unknown_parts() -> None:
    assert layering_violations({"status.tabs": {"pack.build"}}) == [
        "status.tabs (rank 7) imports pack.build (rank 7)"
    ]
    assert layering_violations({"stores.google.store": {"stores.xlsx.store"}}) == [
        "stores.google.store imports stores.xlsx.store: stores.google and stores.xlsx are kept apart"
    ]
    assert "part not in RANKS" in layering_violations({"cli": {"utils"}})[0]


def test_the_cycle_check_catches_a_cycle() -> None:
    graph = {"config.province": {"config.indicators"}, "config.indicators": {"config.province"}}
    assert cycles(graph) == [["config.indicators", "config.province"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "kspo_sheets"
    (pkg / "thai").mkdir(parents=True)
    (pkg / "pack").mkdir()
    for d in (pkg, pkg / "thai", pkg / "pack"):
        (d / "__init__.py").write_text('"""x"""\n')
    (pkg / "pack" / "build.py").write_text("x = 1\n")
    (pkg / "thai" / "dates.py").write_text(
        "def f():\n    from kspo_sheets.pack.build import x\n    import click\n    return x\n"
    )
    (pkg / "thai" / "text.py").write_text("from . import dates\nfrom ..pack import build\n")
    graph, external = import_graph(pkg)
    assert graph["thai.dates"] == {"pack.build"}
    assert graph["thai.text"] == {"thai.dates", "pack.build"}
    assert external["thai.dates"] == {"click"}
