"""militia-kg: news and forum text about armed groups in, a knowledge graph out."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on first use, so `import kg` stays cheap
    from kg.export.files import write_gexf, write_graphml, write_html, write_ntriples, write_tables
    from kg.export.rdf import write_rdf
    from kg.knowledge_graph import KnowledgeGraph

__all__ = ["KnowledgeGraph", "write_gexf", "write_graphml", "write_html", "write_ntriples", "write_rdf", "write_tables"]

_LAZY = {"KnowledgeGraph": "kg.knowledge_graph", "write_gexf": "kg.export.files", "write_graphml": "kg.export.files",
         "write_html": "kg.export.files", "write_ntriples": "kg.export.files", "write_rdf": "kg.export.rdf",
         "write_tables": "kg.export.files"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
