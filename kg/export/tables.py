"""The graph as three CSV tables for a spreadsheet or pandas: entities.csv, relations.csv, attacks.csv.

One row per entity, per relation and per attack event, so the row counts are the
build's counts. UTF-8, comma-separated, RFC 4180 quoting (a cell may hold line
breaks: a relation's evidence is one sentence a line). Text read from the web may
start with "=", "+", "-" or "@", which a spreadsheet runs as a formula; such a
cell is written with a leading apostrophe, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

from kg.model import Attack, Entity, Graph, Relation

__all__ = ["ATTACK_COLUMNS", "ENTITY_COLUMNS", "RELATION_COLUMNS", "TABLES", "write_tables"]

ENTITY_COLUMNS = ("id", "name", "type", "qid", "mentions", "documents", "aliases")
RELATION_COLUMNS = ("subject_id", "subject", "predicate", "object_id", "object", "hedged", "confidence",
                    "statements", "documents", "first", "last", "evidence", "sources")
ATTACK_COLUMNS = ("id", "date", "attacker_id", "attacker", "target_id", "target", "claimed_by", "place", "weapon",
                  "count", "killed", "wounded", "evidence", "sources")
TABLES = ("entities.csv", "relations.csv", "attacks.csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_tables(graph: Graph, folder: str | os.PathLike, *, write=None) -> list[Path]:
    """Write entities.csv, relations.csv and attacks.csv into `folder` (created if missing).

    `write(path, fill)` may wrap each file's writing (the build writes to a temporary
    name and renames); by default files are written in place.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    names = {e.id: e.name for e in graph.entities.values()}
    day_of = {d.id: d.date for d in graph.documents if d.date}
    tables = (
        (ENTITY_COLUMNS, (entity_row(e) for e in graph.entities.values())),
        (RELATION_COLUMNS, (relation_row(r, names, day_of) for r in graph.relations)),
        (ATTACK_COLUMNS, (attack_row(a, names) for a in graph.attacks)),
    )
    paths = []
    for name, (columns, rows) in zip(TABLES, tables):
        path = out / name
        (write or _write_in_place)(path, lambda p, columns=columns, rows=rows: _write_csv(p, columns, rows))
        paths.append(path)
    return paths


def entity_row(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "qid": entity.qid or "",
            "mentions": entity.mentions, "documents": len(entity.docs), "aliases": "; ".join(entity.aliases)}


def relation_row(relation: Relation, names: dict[str, str], day_of: dict[str, str]) -> dict:
    evidence = sorted(relation.evidence, key=lambda e: -e.confidence)
    days = sorted(d for d in (e.date or day_of.get(e.doc) for e in evidence) if d)
    return {
        "subject_id": relation.subject, "subject": names.get(relation.subject, relation.subject),
        "predicate": relation.predicate,
        "object_id": relation.object, "object": names.get(relation.object, relation.object),
        "hedged": "true" if relation.hedged else "false",
        "confidence": round(evidence[0].confidence, 3) if evidence else "",
        "statements": len(evidence), "documents": relation.corroboration,
        "first": days[0] if days else "", "last": days[-1] if days else "",
        "evidence": "\n".join(_unique(e.sentence for e in evidence)),
        "sources": "; ".join(_unique(e.doc for e in evidence)),
    }


def attack_row(attack: Attack, names: dict[str, str]) -> dict:
    def name(entity_id: str | None) -> str:
        return names.get(entity_id, entity_id) if entity_id else ""

    return {
        "id": attack.id, "date": attack.date or "",
        "attacker_id": attack.attacker or "", "attacker": name(attack.attacker),
        "target_id": attack.target or "", "target": name(attack.target),
        "claimed_by": "; ".join(name(g) for g in attack.claimed_by),
        "place": name(attack.place), "weapon": attack.weapon or "",
        "count": _number(attack.count), "killed": _number(attack.killed), "wounded": _number(attack.wounded),
        "evidence": "\n".join(_unique(e.sentence for e in attack.evidence if e.sentence)),
        "sources": "; ".join(_unique(e.doc for e in attack.evidence)),
    }


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet will show, not run.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("Iran"), safe_cell(3)
    ('\\'=HYPERLINK("http://x")', 'Iran', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})


def _write_in_place(path: Path, fill) -> None:
    fill(path)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _number(value: int | None) -> int | str:
    return "" if value is None else value
