"""The actor dictionary (ontology/actors.jsonl): real actors with their names, as data.

It feeds the EntityRuler that runs before spaCy's NER, gives the resolver its
canonical names and Wikidata QIDs, and knows officials' roles.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.model import ENTITY_TYPES

_QUOTES = "'\"`´‘’‚‛“”„‟′″ʹʺʻʼʽʾʿˈ«»‹›"
_DASHES = "-‐‑‒–—―−"
_NAME_FOLD = str.maketrans(_DASHES, " " * len(_DASHES), _QUOTES)


@functools.lru_cache(maxsize=1 << 17)  # the same names are folded again and again
def fold(name: str) -> str:
    """The form names are compared in: no accents, case, quotes, dashes, or leading 'the'.

    >>> fold("Kata'ib Hizballah") == fold("kataib hizballah")
    True
    >>> fold("The Ain al-Asad base")
    'ain al asad base'
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_NAME_FOLD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = re.sub(r"[^\w\s.]", " ", bare.casefold()).replace(".", "")
    words = bare.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 17)
def fold_without_article(name: str) -> str:
    """fold() with Arabic 'al' articles dropped: 'al-Asad' and 'Asad' meet here."""
    return " ".join(w for w in fold(name).split() if w not in ("al", "el"))


@dataclass(frozen=True)
class Role:
    role: str
    of: str
    start: str | None = None
    end: str | None = None


@dataclass
class Actor:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    qid: str | None = None
    roles: list[Role] = field(default_factory=list)
    backed_by: list[str] = field(default_factory=list)
    located_in: list[str] = field(default_factory=list)
    source: str | None = None  # where the entry's facts were checked, as the dictionary says

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ActorDictionary:
    """Actors by id and by every folded name."""

    def __init__(self, actors: Iterable[Actor]):
        self.by_id: dict[str, Actor] = {}
        self._by_name: dict[str, Actor] = {}
        self._by_bare_name: dict[str, Actor] = {}
        for actor in actors:
            self.by_id[actor.id] = actor
            for name in actor.names:
                self._by_name.setdefault(fold(name), actor)
                self._by_bare_name.setdefault(fold_without_article(name), actor)

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.by_id.values())

    def lookup(self, name: str) -> Actor | None:
        """The actor a name stands for, ignoring case, accents, quotes, dashes and 'al-'."""
        return self._by_name.get(fold(name)) or self._by_bare_name.get(fold_without_article(name))



def load_actors(paths: Iterable[Path]) -> ActorDictionary:
    """The actors of every file, each with the checked QIDs of the wikidata.jsonl beside it."""
    from kg.identity import IDENTITY_FILE, apply_identities, read_identities

    actors = []
    for path in paths:
        read = read_actor_file(Path(path))
        checks = Path(path).with_name(IDENTITY_FILE)
        apply_identities(read, read_identities(checks), checks)
        actors.extend(read)
    return ActorDictionary(actors)


def read_actor_file(path: Path) -> list[Actor]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise KGError(f"cannot read the actor dictionary {path}: {error.strerror}") from None
    actors = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            actors.append(actor_from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise KGError(f"{path}:{number}: not an actor entry ({error})") from None
    return actors


def actor_from_json(data: dict) -> Actor:
    if data["type"] not in ENTITY_TYPES:
        raise ValueError(f"type {data['type']!r} is not one of {', '.join(ENTITY_TYPES)}")
    qid = data.get("qid")
    if qid is not None and not (isinstance(qid, str) and re.fullmatch(r"Q[1-9][0-9]{0,11}", qid)):
        raise ValueError(f"qid {str(qid)[:40]!r} is not a Wikidata id such as Q794")  # it becomes part of an IRI
    return Actor(
        id=data["id"],
        name=data["name"],
        type=data["type"],
        aliases=list(data.get("aliases", [])),
        qid=data.get("qid"),
        roles=[Role(r["role"], r["of"], r.get("start"), r.get("end")) for r in data.get("roles", [])],
        backed_by=list(data.get("backedBy", [])),
        located_in=list(data.get("locatedIn", [])),
        source=data.get("source"),
    )


def spelling_variants(name: str) -> set[str]:
    """The spellings of one name a text may use: straight or curly apostrophes, or none.

    >>> sorted(spelling_variants("Kata'ib Hezbollah"))
    ["Kata'ib Hezbollah", 'Kataib Hezbollah', 'Kata’ib Hezbollah']
    """
    variants = {name}
    if re.search(r"['’`]", name):
        variants |= {re.sub(r"['’`]", "'", name), re.sub(r"['’`]", "’", name), re.sub(r"['’`]", "", name)}
    if "-" in name:
        variants.add(name.replace("-", " "))
    return variants


def is_acronym(name: str) -> bool:
    """Acronyms match case-sensitively: 'US' is a state, 'us' is a pronoun."""
    return bool(re.fullmatch(r"[A-Z][A-Z0-9.&-]{0,7}", name)) and name.upper() == name
