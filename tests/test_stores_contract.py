"""kg.stores: both stores keep one contract, one edge picks the store, and the package has no import circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import StoreError
from kg.stores import GraphStore, ServerStore, folder_of, open_source, open_store, write_build_store
from kg.stores.contract import GraphStore as Contract

KG_DIR = Path(__file__).resolve().parent.parent / "kg"
QUAD = (URIRef("urn:s"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))


def members(protocol: type) -> set[str]:
    names = {name for name in vars(protocol) if not name.startswith("_") or name == "__len__"}
    return (names | set(protocol.__annotations__)) - {"__annotations__"}


@pytest.mark.parametrize("make", [open_store, lambda: ServerStore("http://127.0.0.1:1/sparql")])
def test_each_store_has_every_verb_of_the_contract(make):
    store = make()
    missing = sorted(name for name in members(Contract) if not hasattr(store, name))
    assert missing == [], f"{type(store).__name__} lacks {missing}"


def test_the_edge_picks_the_store_by_what_the_address_names(tmp_path):
    write_build_store(tmp_path, [QUAD])
    local = open_source(tmp_path)
    remote = open_source("https://example.org/sparql")
    assert isinstance(local, GraphStore) and isinstance(remote, GraphStore)
    assert (local.live, remote.live) == (False, True)
    assert folder_of(tmp_path) == tmp_path and folder_of("HTTP://example.org/sparql") is None
    with pytest.raises(StoreError, match="not a militia-kg build"):
        open_source(tmp_path / "nothing here")


def test_a_fingerprint_changes_with_the_content(tmp_path):
    memory = open_store()
    before = memory.fingerprint()
    memory.load([QUAD])
    assert memory.fingerprint() != before
    write_build_store(tmp_path, [QUAD])
    first = open_source(tmp_path).fingerprint()
    write_build_store(tmp_path, [QUAD, (URIRef("urn:s2"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))])
    assert open_source(tmp_path).fingerprint() != first


def imports_of(path: Path) -> set[str]:
    """The kg modules a module imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kg")}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(KG_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_stores_and_the_endpoint_import_no_circle():
    paths = [*sorted((KG_DIR / "stores").glob("*.py")), *(KG_DIR / f"{n}.py" for n in
                                                             ("endpoint", "serve", "query", "query_pool"))]
    graph = {module_name(p): imports_of(p) for p in paths}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, {name}))
    assert circles == []
    too_long = {module_name(p): n for p in paths if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert too_long == {}
