"""The modules of each app import one another in one direction: from the request to the worker to
the renderer, never back (the document folder had a five-module circle: drafts, generate, jobs,
pages and tasks). Read from the source, module-level imports only; an import inside a function
runs when called, after every module has loaded, so it makes no circle at import time."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("workflow", "naskah", "iku", "api", "laporan", "notices", "webhooks", "worktime", "filestore", "operations")


def module_imports(app: str) -> dict[str, set[str]]:
    """Each module of `app` (dotted name) with the modules of `app` it imports at module level."""
    root = Path(settings.BASE_DIR)
    modules = {".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): path
               for path in (root / app).rglob("*.py") if "migrations" not in path.parts}
    found = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
                imported.add(base)
                imported |= {f"{base}.{alias.name}" for alias in node.names}
        found[name] = {m for m in imported if m in modules and m != name}
    return found


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports in `graph`, if any."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_itself_in_a_circle(app):
    graph = module_imports(app)
    assert graph, app
    assert cycle(graph) is None, " -> ".join(cycle(graph))
