"""Mentions -> Entities: one node per real thing, within and across documents.

A mention the actor dictionary knows joins that actor. Any other name is
folded (case, accents, apostrophes, hyphens, 'al-', titles, possessives) and
joins an entity of the same type with the same folded name, an acronym of it
(or one the text defines in brackets, "X (LTQ)"), the same group name with or
without its designator ("Liwa X", "the X Brigade", "X": kg/resolve/group_names.py),
or a close spelling (rapidfuzz, gated by type). Relations and attacks are then
re-pointed at the merged entities, keeping all their evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from kg.actors import ActorDictionary, fold, fold_without_article
from kg.model import (
    Attack, DocumentExtraction, Entity, Evidence, Graph, Mention, Relation,
)
from kg.extract.events import EventCues, default_cues
from kg.resolve.events import merge_attacks, with_sources
from kg.signatures import relation_signatures
from kg.resolve.group_names import defined_acronyms, group_redirects, mergeable
from kg.resolve.tenure import dictionary_roles, text_roles
from kg.vocab import slug


@dataclass
class Cluster:
    key: str
    type_votes: Counter = field(default_factory=Counter)
    surfaces: Counter = field(default_factory=Counter)
    docs: set[str] = field(default_factory=set)
    actor_id: str | None = None


class Resolver:
    """Assigns every mention to a cluster; `graph()` turns the clusters into entities."""

    def __init__(self, actors: ActorDictionary, fuzzy_threshold: float = 92.0):
        self.actors = actors
        self.fuzzy_threshold = fuzzy_threshold
        self.clusters: dict[str, Cluster] = {}
        self._by_folded: dict[str, str] = {}  # folded name -> cluster key
        self._blocks: dict[tuple[str, str], list[str]] = defaultdict(list)  # (type, block key) -> folded names
        self._actor_matches: dict[tuple[str, str], object] = {}  # (folded text, type) -> actor or None
        self._actor_names = {fold(n): a.id for a in actors for n in a.names}
        self._keys: dict[Mention, str] = {}
        self.defined: dict[str, str] = {}  # an acronym's cluster -> the name a text defined it for: "X (LTQ)"

    def cluster_of(self, mention: Mention) -> Cluster:
        key = self.key(mention)
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, actor_id=key if key in self.actors.by_id else None)
        cluster.type_votes[mention.type] += 1
        cluster.surfaces[mention.text] += 1
        cluster.docs.add(mention.doc)
        return cluster

    def key(self, mention: Mention) -> str:
        if mention not in self._keys:
            self._keys[mention] = self._key(mention)
        return self._keys[mention]

    def _key(self, mention: Mention) -> str:
        if mention.key and mention.key in self.actors.by_id:
            return mention.key
        actor = self.actors.lookup(mention.text) or self._fuzzy_actor(mention)
        if actor is not None:
            return actor.id
        folded = fold_without_article(mention.text)
        known = self._by_folded.get(folded) or self._fuzzy_cluster(folded, mention.type)
        if known is None:
            known = f"{slug(mention.text)}--new"
            self._by_folded[folded] = known
            for block in block_keys(folded):
                self._blocks[mention.type, block].append(folded)
        return known

    def _fuzzy_actor(self, mention: Mention):
        """The dictionary's actor a close spelling names. The dictionary is fixed, so this costs the
        same for every mention; a name seen before is not matched again."""
        if len(mention.text) < 6:
            return None
        folded = fold(mention.text)
        if (folded, mention.type) not in self._actor_matches:
            match = process.extractOne(folded, self._actor_names.keys(), scorer=fuzz.ratio,
                                       score_cutoff=self.fuzzy_threshold)
            actor = self.actors.by_id[self._actor_names[match[0]]] if match else None
            self._actor_matches[folded, mention.type] = actor if actor and actor.type == mention.type else None
        return self._actor_matches[folded, mention.type]

    def _fuzzy_cluster(self, folded: str, entity_type: str) -> str | None:
        """A cluster of this type with a close spelling. Only names that share a block key are
        compared, so a corpus of N names costs about N small comparisons, not N x N."""
        if len(folded) < 6:
            return None
        # Sorted: on a tie extractOne takes the first, and a set's order changes with the hash seed.
        candidates = sorted({name for block in block_keys(folded) for name in self._blocks.get((entity_type, block), ())})
        match = process.extractOne(folded, candidates, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
        return self._by_folded[match[0]] if match else None

    def merge_short_forms(self) -> dict[str, str]:
        """Surnames and acronyms that stand for one longer name: 'Soleimani', 'JOC'.

        Returns a map from the short form's cluster to the full one's. A short
        form that could stand for two names stays on its own.
        """
        by_surname: dict[str, set[str]] = defaultdict(set)
        by_initials: dict[str, set[str]] = defaultdict(set)
        by_stem: dict[tuple[str, str], set[str]] = defaultdict(set)
        entities = {key: self.entity(cluster) for key, cluster in self.clusters.items()}
        for key, entity in entities.items():
            words = fold_without_article(entity.name).split()
            if len(words) < 2:
                continue
            if entity.type == "Official":
                by_surname[words[-1]].add(key)
            initials = "".join(w[0] for w in words if w not in ("of", "and", "for", "the"))
            by_initials[initials].add(key)
            if "in" in words[1:-1]:  # "Islamic Resistance" is short for "Islamic Resistance in Iraq"
                by_stem[(" ".join(words[: words.index("in", 1)]), entity.type)].add(key)
        redirect = {}
        bases = {key: base_words(e.name) for key, e in entities.items() if e.type == "Base"}
        bases_with_word: dict[str, set[str]] = defaultdict(set)
        for key, words in bases.items():
            for word in words:
                bases_with_word[word].add(key)
        for key, cluster in self.clusters.items():
            if cluster.actor_id is not None:
                continue
            surface = cluster.surfaces.most_common(1)[0][0]
            folded = fold_without_article(surface)
            if key in self.defined:
                targets = {self.defined[key]}
            elif key in bases:  # "the new US consulate" is the "US Consulate in Erbil" the text names in full
                targets = fuller_bases(key, bases, bases_with_word)
            elif (folded, entities[key].type) in by_stem:
                targets = by_stem[(folded, entities[key].type)]
            elif " " in folded:
                continue
            else:
                targets = by_initials.get(folded, set()) if surface.isupper() else by_surname.get(folded, set())
                targets = {t for t in targets if mergeable(entities[key].type, entities[t].type)}
            if len(targets) == 1 and key not in targets:
                redirect[key] = next(iter(targets))
        unknown = {k: e.name for k, e in entities.items() if self.clusters[k].actor_id is None and k not in redirect}
        redirect |= group_redirects(unknown, {k: e.type for k, e in entities.items()})
        redirect = {short: final(full, redirect) for short, full in redirect.items()}
        for short, full in redirect.items():
            self.clusters[full].surfaces.update(self.clusters[short].surfaces)
            self.clusters[full].docs |= self.clusters[short].docs
        return redirect

    def entity(self, cluster: Cluster) -> Entity:
        actor = self.actors.by_id.get(cluster.actor_id or "")
        if actor is not None:
            name, entity_type, qid = actor.name, actor.type, actor.qid
            aliases = list(dict.fromkeys([*actor.aliases, *cluster.surfaces]))
        else:
            entity_type = cluster.type_votes.most_common(1)[0][0]
            name = canonical_surface(cluster.surfaces)
            qid = None
            aliases = list(cluster.surfaces)
        aliases = [a for a in aliases if a != name]
        return Entity(id=slug(name), name=name, type=entity_type, aliases=aliases, qid=qid,
                      mentions=sum(cluster.surfaces.values()), docs=sorted(cluster.docs))


def final(key: str, redirect: dict[str, str]) -> str:
    """Where a chain of redirects ends: 'LTQ' -> 'Liwa Thar al-Qadisiya' -> 'Thar al-Qadisiya Brigade'."""
    seen = {key}
    while key in redirect and redirect[key] not in seen:
        key = redirect[key]
        seen.add(key)
    return key


def block_keys(folded: str) -> set[str]:
    """Where a folded name is filed for fuzzy matching: itself and each way of dropping one
    character of it (a deletion neighbourhood, as in SymSpell). Two spellings one insertion,
    deletion, substitution or swap apart share a key, so each name is compared only with the few
    such names, however large the corpus. That covers every pair a ratio of 92 merges up to
    ~18 characters and the usual one-letter variants of longer names ('Hezbolah', 'Hizbollah').

    >>> sorted(block_keys("kh-12"))
    ['h-12', 'k-12', 'kh-1', 'kh-12', 'kh-2', 'kh12']
    """
    return {folded, *(folded[:i] + folded[i + 1:] for i in range(len(folded)))}


def fuller_bases(key: str, bases: dict[str, frozenset[str]], bases_with_word: dict[str, set[str]]) -> set[str]:
    """The bases whose names hold every word of `key`'s and more (looked up by word, not by
    testing every base against every other)."""
    words = bases[key]
    if not words:
        candidates = set(bases)
    else:
        rarest = min(words, key=lambda w: len(bases_with_word[w]))
        candidates = bases_with_word[rarest]
    return {k for k in candidates if k != key and words < bases[k]}


GENERIC_BASE_WORDS = frozenset({"new", "old", "main", "compound", "building", "complex", "premises", "facility",
                                "base", "garrison", "installation", "site"})


def base_words(name: str) -> frozenset[str]:
    return frozenset(fold_without_article(name).split()) - GENERIC_BASE_WORDS


def canonical_surface(surfaces: Counter) -> str:
    """The fullest common form: most frequent among the longest few ('Wayne Marotto' over 'Marotto')."""
    longest = max(len(s.split()) for s in surfaces)
    candidates = [s for s in surfaces if len(s.split()) == longest]
    return max(candidates, key=lambda s: (surfaces[s], len(s)))


def resolve(extractions: Iterable[DocumentExtraction], actors: ActorDictionary,
            fuzzy_threshold: float = 92.0, cues: EventCues | None = None) -> Graph:
    """Merge what every document says into one Graph.

    Resolution numbers and merges in reading order; taken in id order, the graph depends only on
    which documents there are, not on the order they arrive in (appends, Dask workers, a rerun).
    """
    extractions = sorted(extractions, key=lambda e: e.document.id)
    resolver = Resolver(actors, fuzzy_threshold)
    for extraction in extractions:
        for mention in all_mentions(extraction):
            resolver.cluster_of(mention)
    for extraction in extractions:
        for acronym, name in defined_acronyms(extraction):
            short, full = resolver.key(acronym), resolver.key(name)
            if short != full and resolver.clusters[short].actor_id is None:
                resolver.defined[short] = full
    redirect = resolver.merge_short_forms()
    entities_by_cluster = unique_ids({key: resolver.entity(c) for key, c in resolver.clusters.items()
                                      if key not in redirect})
    entities_by_cluster |= {short: entities_by_cluster[full] for short, full in redirect.items()}
    graph = Graph(documents=[e.document for e in extractions])
    graph.entities = {e.id: e for e in entities_by_cluster.values()}

    def entity_of(mention: Mention) -> Entity:
        return entities_by_cluster[resolver.key(mention)]

    documents = {d.id: d for d in graph.documents}
    graph.relations = merge_relations(
        (entity_of(r.subject), r.predicate, entity_of(r.object), with_sources(r.evidence, documents))
        for extraction in extractions for r in extraction.relations
    )
    weapons = (cues or default_cues()).compatible_weapons
    graph.attacks = merge_attacks(
        ((replace(a, evidence=with_sources(a.evidence, documents)), a.target and entity_of(a.target),
          a.attacker and entity_of(a.attacker), a.claimed_by and entity_of(a.claimed_by), a.place and entity_of(a.place))
         for extraction in extractions for a in extraction.attacks),
        weapons,
        located={r.subject: r.object for r in graph.relations if r.predicate == "locatedIn"},
    )
    attach_claims(graph)
    graph.roles = text_roles(extractions, entity_of, lambda told: with_sources(told, documents)) + dictionary_roles(
        actors, {key: e for key, e in entities_by_cluster.items() if key in actors.by_id})
    return graph


def all_mentions(extraction: DocumentExtraction) -> Iterable[Mention]:
    yield from extraction.mentions
    for relation in extraction.relations:
        yield relation.subject
        yield relation.object
    for attack in extraction.attacks:
        yield from (m for m in (attack.target, attack.attacker, attack.claimed_by, attack.place) if m is not None)
    for role in extraction.roles:
        yield from (m for m in (role.holder, role.body) if m is not None)


def unique_ids(entities: dict[str, Entity]) -> dict[str, Entity]:
    """Two different things with one slug (a town and a person named alike) get typed ids."""
    counts = Counter(e.id for e in entities.values())
    for entity in entities.values():
        if counts[entity.id] > 1:
            entity.id = f"{entity.id}-{entity.type.lower()}"
    merged: dict[str, Entity] = {}
    first_with_id: dict[str, Entity] = {}
    for key, entity in entities.items():  # clusters that turned out to be one actor share one Entity
        merged[key] = merged.get(key) or first_with_id.setdefault(entity.id, entity)
    return merged


def merge_relations(readings: Iterable[tuple[Entity, str, Entity, Evidence]]) -> list[Relation]:
    """One Relation per (subject, predicate, object), with every evidence; a relation whose ends are not of
    the types its shape in ontology/shapes.ttl allows (kg.signatures) is dropped."""
    signatures = relation_signatures()
    merged: dict[tuple[str, str, str], Relation] = {}
    seen: set[tuple[tuple[str, str, str], Evidence]] = set()  # not a scan of the relation's evidence list
    for subject, predicate, obj, evidence in readings:
        allowed_subjects, allowed_objects = signatures[predicate]
        if subject.id == obj.id or subject.type not in allowed_subjects or obj.type not in allowed_objects:
            continue
        key = (subject.id, predicate, obj.id)
        relation = merged.get(key) or merged.setdefault(key, Relation(subject.id, predicate, obj.id))
        if (key, evidence) not in seen:
            seen.add((key, evidence))
            relation.evidence.append(evidence)
    return list(merged.values())


def attach_claims(graph: Graph) -> None:
    """A claim points the attack it is about at its claimant: same target, told in the same document."""
    on_target: dict[str, list[Attack]] = defaultdict(list)  # each claim looks only at attacks on its target
    for attack in graph.attacks:
        if attack.target is not None:
            on_target[attack.target].append(attack)
    for relation in graph.relations:
        if relation.predicate != "claimed":
            continue
        claim_docs = {e.doc for e in relation.evidence}
        for attack in on_target.get(relation.object, ()):
            same_report = claim_docs & {e.doc for e in attack.evidence}
            if attack.target is not None and attack.target == relation.object and same_report \
                    and relation.subject not in attack.claimed_by:
                attack.claimed_by.append(relation.subject)
