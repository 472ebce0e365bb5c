"""Per-document extraction results on disk, keyed by content hash and document id.

Reading a document is the slow step; resolving and storing are fast. Keeping
each document's DocumentExtraction lets `--append` re-read only what changed,
and `kg remove` drop a document without reading the others again. Two documents
with the same text (one story saved twice) keep a file each: an extraction names
its document, and a shared file would hand one document's id to the other.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

import orjson

from kg.atomic import write_text_atomically
from kg.model import AttackMention, Document, DocumentExtraction, Evidence, Mention, RelationMention, RoleMention

CACHE_VERSION = 3  # 2: events dated by the text, not the document; places; no general statements; 3: roles


def cache_path(cache_dir: Path, document: Document) -> Path:
    return cache_dir / cache_name(document.content_hash, document.id)


def cache_name(content_hash: str, doc_id: str) -> str:
    id_hash = hashlib.sha256(doc_id.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]
    return f"{content_hash}-{id_hash}.json"


def save_extraction(cache_dir: Path, extraction: DocumentExtraction) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    # orjson writes the dataclasses as asdict() + json.dumps would, twenty times faster
    payload = {"version": CACHE_VERSION, **{f.name: getattr(extraction, f.name) for f in fields(extraction)}}
    # no sweep for orphans per file: build_graph sweeps the folder once (kg.atomic.remove_orphans)
    write_text_atomically(cache_path(cache_dir, extraction.document), orjson.dumps(payload).decode("utf-8"), sweep=False)


def load_extraction(cache_dir: Path, document: Document) -> DocumentExtraction | None:
    """The cached extraction of this exact document, or None."""
    return load_cached(cache_dir, document.content_hash, document.id)


def load_cached(cache_dir: Path, content_hash: str, doc_id: str) -> DocumentExtraction | None:
    """The cached extraction of document `doc_id` with this content, or None.

    Builds made before ids were part of the name keep "<hash>.json", used when it names `doc_id`.
    """
    for name in (cache_name(content_hash, doc_id), f"{content_hash}.json"):
        extraction = _read_cached(cache_dir / name)
        if extraction is not None and extraction.document.id == doc_id:
            return extraction
    return None


def _read_cached(path: Path) -> DocumentExtraction | None:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    try:
        return extraction_from_dict(data)
    except (KeyError, TypeError):
        return None


def extraction_from_dict(data: dict) -> DocumentExtraction:
    def mention(d):
        return Mention(**d) if d else None

    def relation(d):
        return RelationMention(mention(d["subject"]), d["predicate"], mention(d["object"]), Evidence(**d["evidence"]))

    def attack(d):
        ends = {k: mention(d[k]) for k in ("target", "attacker", "claimed_by", "place")}
        rest = {k: v for k, v in d.items() if k not in ends and k != "evidence"}
        return AttackMention(**ends, evidence=Evidence(**d["evidence"]), **rest)

    def role(d):
        return RoleMention(mention(d["holder"]), d["event"], Evidence(**d["evidence"]), mention(d["body"]), d["title"])

    return DocumentExtraction(
        document=Document(**data["document"]),
        mentions=[mention(m) for m in data["mentions"]],
        relations=[relation(r) for r in data["relations"]],
        attacks=[attack(a) for a in data["attacks"]],
        roles=[role(r) for r in data["roles"]],
    )


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename over it: a reader sees the old file or the new one."""
    write_text_atomically(path, text)
