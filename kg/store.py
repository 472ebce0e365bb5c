"""The old home of the embedded store, kept so that code not yet moved to `kg.stores` still imports.

New code imports from `kg.stores` (the contract, `open_source`, the build folder) or its
modules; this one only re-exports.
"""

from kg.stores import (
    GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, STORE_DIRNAME, Answer, GraphStore, Serialized, Store, link_server,
    negotiate, open_build, open_source, open_store, serialize_answer, server_of, update_build_store,
    write_build_store,
)
from kg.stores.terms import as_term, from_ox_term, from_ox_value, to_ox_quad, to_ox_quads, to_ox_term

__all__ = [
    "GRAPH_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "STORE_DIRNAME", "Answer", "GraphStore", "Serialized", "Store",
    "as_term", "from_ox_term", "from_ox_value", "link_server", "negotiate", "open_build", "open_source",
    "open_store", "serialize_answer", "server_of", "to_ox_quad", "to_ox_quads", "to_ox_term", "update_build_store",
    "write_build_store",
]
