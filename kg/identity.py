"""Wikidata identities of dictionary actors, each with how it was checked (ontology/wikidata.jsonl).

A line is ``{"id": ACTOR_ID, "qid": "Q796", "checked": "label ... via SOURCE"}``. A QID only
enters the dictionary with a check: one that could not be checked against a readable source is
not written at all (a wrong QID is worse than none). An actor whose own line in actors.jsonl
already has a QID keeps it; a check that names a different QID for it is an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError

QID_FORM = re.compile(r"Q[1-9][0-9]{0,11}")
IDENTITY_FILE = "wikidata.jsonl"


@dataclass(frozen=True)
class Identity:
    actor: str
    qid: str
    checked: str


def read_identities(path: Path) -> list[Identity]:
    """Every checked QID in `path`; a missing file has none."""
    if not path.exists():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            identity = Identity(data["id"], data["qid"], data["checked"])
        except (ValueError, KeyError, TypeError) as error:
            raise KGError(f"{path}:{number}: not an identity line ({error})") from None
        if not QID_FORM.fullmatch(str(identity.qid)) or not str(identity.checked).strip():
            raise KGError(f"{path}:{number}: a QID needs the form Q123 and a note of how it was checked")
        out.append(identity)
    return out


def apply_identities(actors: list, identities: list[Identity], path: Path) -> None:
    """Give each actor its checked QID (in place)."""
    by_id = {a.id: a for a in actors}
    for identity in identities:
        actor = by_id.get(identity.actor)
        if actor is None:
            continue  # an identity for an actor of another dictionary file
        if actor.qid and actor.qid != identity.qid:
            raise KGError(f"{path}: {identity.actor} has {actor.qid} in the dictionary but was checked as {identity.qid}")
        actor.qid = identity.qid
