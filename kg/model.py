"""The values passed between stages: ingest -> extract -> resolve -> graph.

Each stage takes the previous stage's values and returns new ones; nothing here
knows about spaCy, RDF or files.

    Document            ingest's output: one article or forum post
    Mention             a name found in a document, with its type and offsets
    Evidence            where a relation was read: document, sentence, offsets, rule
    RelationMention     extract's output: (subject mention, predicate, object mention)
    AttackMention       extract's output: one attack as an event
    DocumentExtraction  everything extract found in one document
    Entity, Relation, Attack, Graph   resolve's output: one node per real thing
    Place               where a base or place stands: point, province, state, and whence
    RoleMention         extract's output: a post held, begun or ended, as one sentence says
    Entity, Relation, Attack, Role, Graph   resolve's output: one node per real thing
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

ENTITY_TYPES = ("Militia", "Official", "Base", "State", "Organization", "Location")
RELATION_TYPES = ("backedBy", "attacked", "claimed", "condemned", "leaderOf", "locatedIn")


@dataclass(frozen=True)
class Document:
    """One text to read. `id` is stable across runs and unique within a build."""

    id: str
    source: str
    text: str
    title: str = ""
    date: str | None = None  # ISO 8601 day, from metadata or the text
    url: str = ""

    @property
    def content_hash(self) -> str:
        """Changes when the text or its metadata change; an unchanged document is not read again."""
        payload = "\x1f".join((self.text, self.title, self.date or "", self.url))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mention:
    """A name in a document. `key` is the actor dictionary's id when the name is a known actor."""

    text: str
    type: str
    start: int
    end: int
    doc: str = ""
    key: str | None = None


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a relation, with its offsets in the document text."""

    doc: str
    sentence: str
    start: int
    end: int
    date: str | None = None
    rule: str = ""
    confidence: float = 1.0
    hedged: bool = False
    source: str = ""  # the publisher (a wire the story credits, else the document's source); set when resolved
    title: str = ""  # an official's title as the sentence gives it ("Maj. Gen. ... commander"), on leaderOf


@dataclass(frozen=True)
class RelationMention:
    subject: Mention
    predicate: str
    object: Mention
    evidence: Evidence


@dataclass(frozen=True)
class AttackMention:
    """One reported attack. A self-claim sets `claimed_by`, never `attacker` (SCHEME.md)."""

    target: Mention | None  # None when only the place is named ("a drone strike in Baghdad")
    evidence: Evidence
    attacker: Mention | None = None
    claimed_by: Mention | None = None
    date: str | None = None
    weapon: str | None = None
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    place: Mention | None = None


@dataclass(frozen=True)
class RoleMention:
    """What a sentence says of a post: held (`held`), held before (`past`: "former", "then-", "the late"),
    begun (`start`: "was named", "succeeded Y as") or ended (`end`: "was killed", "resigned"). A death or
    dismissal may name no body or title: it ends every post the holder had."""

    holder: Mention
    event: str  # one of ROLE_EVENTS
    evidence: Evidence
    body: Mention | None = None
    title: str = ""


ROLE_EVENTS = ("held", "past", "start", "end")


@dataclass
class DocumentExtraction:
    document: Document
    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationMention] = field(default_factory=list)
    attacks: list[AttackMention] = field(default_factory=list)
    roles: list[RoleMention] = field(default_factory=list)


# ---------------------------------------------------------------- resolved


@dataclass
class Entity:
    """One real thing. `id` is a slug of its canonical name and type, stable across builds."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    qid: str | None = None
    mentions: int = 0
    docs: list[str] = field(default_factory=list)


@dataclass
class Relation:
    subject: str  # Entity.id
    predicate: str
    object: str  # Entity.id
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def hedged(self) -> bool:
        return bool(self.evidence) and all(e.hedged for e in self.evidence)

    @property
    def corroboration(self) -> int:
        """How many distinct sources (publishers) state it: a repost of one wire story counts once."""
        return len({e.source or e.doc for e in self.evidence})


@dataclass
class Attack:
    """One real attack, from every sentence that told of it (`evidence`). `date` is as precise as
    the text: "2021-07-07", "2021-07" or "2017"; `alleged` when every sentence naming the
    attacker only alleges it ("believed to be behind")."""

    id: str
    target: str | None  # Entity.id; None when only the place is named
    attacker: str | None = None
    claimed_by: list[str] = field(default_factory=list)
    date: str | None = None
    weapon: str | None = None
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    place: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    alleged: bool = False

    @property
    def corroboration(self) -> int:
        """How many distinct sources (publishers) tell of it."""
        return len({e.source or e.doc for e in self.evidence})


@dataclass(frozen=True)
class Place:
    """Where an entity stands, as the actor dictionary or the gazetteer (never a text) says.

    `source` is "dictionary" or "gazetteer"; `checked` names what the point was checked against;
    `precision` is "site" (the place itself), "nearby" (an airfield beside it) or "town" (the
    town it stands in or by). `province` is a GeoNames admin-1 key such as "IQ.01"."""

    entity: str  # Entity.id
    source: str
    checked: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: str = ""
    province: str | None = None
    province_name: str | None = None
    province_aliases: tuple[str, ...] = ()
    state: str | None = None  # Entity.id of the State, when the graph has it


@dataclass
class Role:
    """A post held for a time: `holder` (an Official's Entity.id) was `title` of `body` from `start` to
    `end` (ISO dates as precise as known: "1998", "2020-01-03"; None when not known). `source` is
    "dictionary" (the actor dictionary, `cited` its own source) or "text" (`evidence`: the sentences)."""

    holder: str
    body: str
    title: str
    start: str | None = None
    end: str | None = None
    source: str = "text"
    cited: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Graph:
    """The merged graph of a build, before it becomes RDF."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    attacks: list[Attack] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)  # Entity.id -> where it stands
    roles: list[Role] = field(default_factory=list)
