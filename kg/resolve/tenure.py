"""RoleMentions and the actor dictionary -> Roles: who held which post of which body, from when to when.

Text: one Role per (holder, body, post). Its start is the earliest appointment read; its end the
earliest end read: a death or dismissal of the holder (every post), a successor taking the post,
or a past marker ("former X", "then-X": the post had ended by the story's date, written as that
date). Every sentence that told of it is its evidence.

Dictionary: every role of ontology/actors.jsonl whose holder and body are both entities of the
build, with the dictionary's dates; its provenance is the dictionary (and the entry's `source`),
never a sentence. The dictionary's facts are not changed by the text: a question as of a date
weighs both (kg.tenure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from kg.actors import ActorDictionary
from kg.extract.dates import first_day
from kg.model import DocumentExtraction, Entity, Evidence, Mention, Role, RoleMention

HOLDER_TYPES = frozenset({"Official"})
BODY_TYPES = frozenset({"Militia", "State", "Organization"})


def text_roles(extractions: Iterable[DocumentExtraction], entity_of: Callable[[Mention], Entity],
               with_source: Callable[[Evidence], Evidence]) -> list[Role]:
    """The posts the documents tell of, each with its start, end and sentences."""
    groups: dict[tuple[str, str, str], list[tuple[RoleMention, Evidence]]] = defaultdict(list)
    ends: dict[str, list[tuple[RoleMention, Evidence]]] = defaultdict(list)  # holder -> ends of every post
    for extraction in extractions:
        for mention in extraction.roles:
            holder = entity_of(mention.holder)
            if holder.type not in HOLDER_TYPES:
                continue
            evidence = with_source(mention.evidence)
            if mention.body is None:
                ends[holder.id].append((mention, evidence))
                continue
            body = entity_of(mention.body)
            if body.type in BODY_TYPES and body.id != holder.id:
                groups[holder.id, body.id, mention.title].append((mention, evidence))
    _fold_untitled(groups)
    roles = []
    for (holder, body, post), told in sorted(groups.items()):
        told = told + ends[holder]
        starts = [e.date for m, e in told if m.event == "start" and m.body is not None and e.date]
        start = min(starts, key=_day) if starts else None
        stops = [e.date for m, e in told if m.event in ("end", "past") and e.date
                 and (start is None or _day(e.date) >= _day(start))]
        evidence = sorted(dict.fromkeys(e for _, e in told), key=lambda e: (e.date or "", e.doc, e.start))
        roles.append(Role(holder, body, post, start, min(stops, key=_day) if stops else None, "text",
                          evidence=evidence))
    return roles


def _fold_untitled(groups: dict[tuple[str, str, str], list]) -> None:
    """A sentence that names no post ('X succeeded Y at the head of Z' for Y) tells of the holder's
    one post of that body, when there is exactly one."""
    for holder, body, post in [k for k in groups if not k[2]]:
        titled = [k for k in groups if k[:2] == (holder, body) and k[2]]
        if len(titled) == 1:
            groups[titled[0]] += groups.pop((holder, body, post))


def dictionary_roles(actors: ActorDictionary, entity_of_actor: dict[str, Entity]) -> list[Role]:
    """The dictionary's roles whose holder and body the build has."""
    roles = []
    for actor_id, holder in sorted(entity_of_actor.items()):
        actor = actors.by_id.get(actor_id)
        if actor is None or holder.type not in HOLDER_TYPES:
            continue
        for role in actor.roles:
            body = entity_of_actor.get(role.of)
            if body is not None and body.type in BODY_TYPES:
                roles.append(Role(holder.id, body.id, role.role, role.start, role.end, "dictionary",
                                  cited=actor.source or ""))
    return roles


def _day(value: str) -> str:
    return first_day(value)
