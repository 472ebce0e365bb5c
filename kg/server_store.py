"""The old home of the SPARQL-server store, kept so that code not yet moved to `kg.stores` still imports.

New code imports from `kg.stores` (`open_source`, `is_server_url`) or `kg.stores.server`;
this one only re-exports.
"""

from kg.stores import is_server_url
from kg.stores.server import META_GRAPH, ServerEndpoint, ServerStore

__all__ = ["META_GRAPH", "ServerEndpoint", "ServerStore", "is_server_url"]
