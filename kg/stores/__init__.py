"""The stores of a build, behind one contract (`GraphStore`), and the one function that picks a store.

`open_source(where)` is the edge: a build folder gives the store its ``store`` link
names (or the SPARQL server its ``store.url`` names), a SPARQL server's URL gives that
server. Callers hold a `GraphStore` and never ask which kind it is; what differs is a
capability of the contract (``live``, ``path``, ``fingerprint()``).

    kg.stores.contract       GraphStore, Answer, Serialized
    kg.stores.oxigraph       the embedded store (Store, open_store); only kg.stores imports pyoxigraph
    kg.stores.evaluation     a query's deadline and row limit on Oxigraph, its errors in plain words
    kg.stores.terms          rdflib <-> pyoxigraph terms
    kg.stores.formats        content negotiation; SPARQL results JSON, CSV and TSV written once each
    kg.stores.build_folder   a build folder's snapshots, the writers' lock, the link to a server
    kg.stores.server         a SPARQL 1.1 server as the store (ServerStore), made of
    kg.stores.server_http    ... its address, authentication and HTTP,
    kg.stores.server_reads   ... its paged reads over our own graphs,
    kg.stores.server_publish ... and its publishing of whole graphs
    kg.stores.address        the only place that tells a server's URL from a folder
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from kg.stores.address import folder_of, is_server_url
from kg.stores.contract import Answer, GraphStore, Quad, Serialized

if TYPE_CHECKING:  # imported on first use: a command that never opens a server never imports requests
    from kg.stores.build_folder import (
        STORE_DIRNAME,
        link_server,
        open_build,
        server_of,
        snapshot_target,
        update_build_store,
        write_build_store,
    )
    from kg.stores.formats import GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, negotiate, serialize_answer
    from kg.stores.oxigraph import Store, open_store
    from kg.stores.server import ServerStore

__all__ = [
    "GRAPH_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "STORE_DIRNAME", "Answer", "GraphStore", "Quad", "Serialized",
    "ServerStore", "Store", "folder_of", "is_server_url", "link_server", "negotiate", "open_build", "open_source",
    "open_store", "serialize_answer", "server_of", "snapshot_target", "update_build_store", "write_build_store",
]

_LAZY = {
    **dict.fromkeys(["STORE_DIRNAME", "link_server", "open_build", "server_of", "snapshot_target",
                     "update_build_store", "write_build_store"], "kg.stores.build_folder"),
    **dict.fromkeys(["GRAPH_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "negotiate", "serialize_answer"], "kg.stores.formats"),
    **dict.fromkeys(["Store", "open_store"], "kg.stores.oxigraph"),
    "ServerStore": "kg.stores.server",
}


def open_source(where: str | os.PathLike, **options: Any) -> GraphStore:
    """The store a reading command names: a build folder, or a SPARQL server's URL.

    `options` go to `kg.stores.server.ServerStore` (page_size, timeout).

    Raises
    ------
    StoreError
        `where` is a folder that holds no build.

    Examples
    --------
    >>> open_source("http://127.0.0.1:8890/sparql")
    <ServerStore http://127.0.0.1:8890/sparql>
    >>> open_source("http://127.0.0.1:8890/sparql").live
    True
    """
    folder = folder_of(where)
    if folder is None:
        from kg.stores.server import ServerStore

        return ServerStore(str(where), **options)
    from kg.stores.build_folder import open_build

    return open_build(folder)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg.stores' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
