"""The house rules of kg/, checked on the source: modules of at most 400 lines, imports that flow one way
without circles, and IRIs spelled only in kg/vocab.py (issue 15). Each failure names the offenders."""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import REPO

KG = REPO / "kg"
MAX_LINES = 400

# The data flow, lowest layer first: a module may import its own layer and the layers below, never one above.
# Patterns are fnmatch'ed against dotted module names; a package's modules go with the package.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("data", ("kg.errors", "kg.config", "kg.vocab", "kg.model", "kg.atomic", "kg.actors", "kg.titles",
              "kg.signatures", "kg.months", "kg.identity", "kg.forked")),
    ("ingest", ("kg.ingest", "kg.ingest.*", "kg.office", "kg.html_depth")),
    ("nlp", ("kg.nlp", "kg.nlp.*")),
    ("extract", ("kg.extract", "kg.extract.*", "kg.distributed")),
    ("resolve", ("kg.resolve", "kg.resolve.*", "kg.geo", "kg.geo.*")),
    ("rdf and stores", ("kg.rdf", "kg.sparql_text", "kg.cache", "kg.stores", "kg.stores.*")),
    ("query and graph", ("kg.held", "kg.tenure", "kg.query", "kg.query_pool", "kg.names", "kg.paths", "kg.paths.*", "kg.knowledge_graph",
                         "kg.validate")),
    ("export", ("kg.export", "kg.export.*")),
    ("orchestration", ("kg", "kg.__main__", "kg.build", "kg.endpoint", "kg.serve", "kg.serve.*", "kg.cli", "kg.cli.*",
                       "kg.cli_progress")),
]

# Upward imports not fixed yet, (importer pattern, imported pattern): why, and what fixes it.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}
# Import circles not broken yet: the modules in the circle, and why.
KNOWN_CIRCLES: dict[frozenset[str], str] = {}


# Hosts of vocabulary namespaces; an IRI of one of them belongs in kg/vocab.py.
VOCABULARY_IRI = re.compile(r"https?://[^\s\"'<>]*(w3\.org|w3id\.org|schema\.org|purl\.org|wikidata|xmlns|"
                            r"graphdrawing\.org|gexf\.net|ontology|/ns/|/vocab)", re.I)
# (module, IRI) pairs allowed outside kg/vocab.py, with the reason.
KNOWN_IRIS: dict[tuple[str, str], str] = {}


def modules() -> dict[str, Path]:
    """Every module of kg/ by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(KG.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


@cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once per test session."""
    return ast.parse(path.read_text(encoding="utf-8"))


def relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# ---------------------------------------------------------------- (a) module size


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("name", [relative(path) for path in modules().values()])
def test_module_is_at_most_400_lines(name):
    lines = line_count(REPO / name)
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES}): split it by job"


# ---------------------------------------------------------------- (b) the import graph


def is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def imported_modules(path: Path, package: str, known: dict[str, Path]) -> set[str]:
    """The kg modules a module imports at run time: at the top, in functions, anywhere but under TYPE_CHECKING.
    `from X import a` imports X.a when that is a module, else X."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            names.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(parsed(path))
    return {name for name in names if name in known}


@cache
def import_graph() -> nx.DiGraph:
    """kg's modules, an edge from each to each kg module it imports."""
    known = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph.add_edges_from((name, target) for target in imported_modules(path, package, known) if target != name)
    return graph


def layer_of(name: str) -> int:
    for rank, (_, patterns) in enumerate(LAYERS):
        if any(fnmatch(name, pattern) for pattern in patterns):
            return rank
    raise LookupError(name)


def test_every_module_has_a_layer():
    missing = [name for name in modules() if not any(fnmatch(name, p) for _, ps in LAYERS for p in ps)]
    assert not missing, f"add these modules to LAYERS in tests/test_house.py: {missing}"


def upward_imports(graph: nx.DiGraph) -> list[tuple[str, str]]:
    return sorted((a, b) for a, b in graph.edges if layer_of(a) < layer_of(b))


def known_upward(edge: tuple[str, str]) -> str | None:
    return next((why for (a, b), why in KNOWN_UPWARD.items() if fnmatch(edge[0], a) and fnmatch(edge[1], b)), None)


def test_no_import_goes_up_the_data_flow():
    up = [(a, b) for a, b in upward_imports(import_graph()) if known_upward((a, b)) is None]
    assert not up, "upward imports (layer of the importer < layer of the imported): " + ", ".join(
        f"{a} ({LAYERS[layer_of(a)][0]}) -> {b} ({LAYERS[layer_of(b)][0]})" for a, b in up)


def test_no_import_circle():
    circles = [frozenset(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    unknown = [sorted(c) for c in circles if c not in KNOWN_CIRCLES]
    assert not unknown, f"import circles: {unknown}"


def test_the_known_exceptions_still_hold():
    """An exception fixed is taken off the lists, so they stay a true list of what is left to do."""
    graph = import_graph()
    up = upward_imports(graph)
    stale = [pair for pair in KNOWN_UPWARD if not any(fnmatch(a, pair[0]) and fnmatch(b, pair[1]) for a, b in up)]
    circles = {frozenset(c) for c in nx.strongly_connected_components(graph) if len(c) > 1}
    stale += [sorted(c) for c in KNOWN_CIRCLES if c not in circles]
    stale += [pair for pair in KNOWN_IRIS if pair not in set(vocabulary_iris())]
    assert not stale, f"fixed: remove from tests/test_house.py: {stale}"


def test_the_import_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert graph.has_edge("kg.cli.build", "kg.build")  # imported inside the `build` command
    assert graph.has_edge("kg.build", "kg.stores")  # `from kg import stores as kg_store`, inside a function
    assert not graph.has_edge("kg", "kg.knowledge_graph")  # only under TYPE_CHECKING (and loaded lazily)


# ---------------------------------------------------------------- (c) IRIs only in kg/vocab.py


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@cache
def vocabulary_iris() -> tuple[tuple[str, str], ...]:
    """(module, IRI) for each vocabulary IRI in a string of kg/ outside kg/vocab.py and outside docstrings."""
    found = []
    for path in modules().values():
        if path == KG / "vocab.py":
            continue
        tree = parsed(path)
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                found += [(relative(path), m.group(0)) for m in re.finditer(r"https?://[^\s\"'<>]*", node.value)
                          if VOCABULARY_IRI.match(m.group(0))]
    return tuple(found)


def test_no_iri_is_written_outside_vocab():
    written = [(module, iri) for module, iri in vocabulary_iris() if (module, iri) not in KNOWN_IRIS]
    assert not written, f"IRIs belong in kg/vocab.py: {written}"


def test_the_iri_check_finds_what_it_looks_for():
    assert VOCABULARY_IRI.match("http://www.w3.org/ns/shacl#ValidationResult")
    assert VOCABULARY_IRI.match("https://w3id.org/militia-kg/ontology#Militia")
    assert VOCABULARY_IRI.match("http://www.wikidata.org/entity/Q42")
    assert not VOCABULARY_IRI.match("http://127.0.0.1:8890/sparql")
    tree = ast.parse('"""Doc: http://www.w3.org/x"""\nX = "http://www.w3.org/y"\n')
    skip = docstrings(tree)
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in skip]
    assert strings == ["http://www.w3.org/y"]
