"""What every relation extractor sees: one sentence, its mentions, and the document so far.

`Sentence` answers the questions the extractors share over the dependency parse:
which mention a token stands for, which mentions a noun phrase lists, whether a
word is negated or hedged. Its `discourse` (kg.extract.discourse) remembers what
earlier sentences said.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.actors import ActorDictionary
from kg.extract.discourse import Discourse
from kg.extract.entities import Found, state_named_by
from kg.extract.lexicon import Lexicon
from kg.model import Document, Evidence, Mention, RelationMention

ACTOR_TYPES = frozenset({"Militia", "State", "Organization", "Official"})
PLACE_TYPES = frozenset({"Base", "Location", "State"})
NON_STATE = frozenset({"Militia", "Organization"})
# Edges that keep a noun phrase's members together: "militias, led by KH, AAH and Badr".
LIST_EDGES = frozenset({"appos", "conj", "compound", "prep", "pobj", "acl", "agent", "nmod", "npadvmod", "dobj"})


@dataclass
class Sentence:
    span: Span
    index: int
    mentions: list[Found]
    document: Document
    lexicon: Lexicon
    actors: ActorDictionary
    discourse: Discourse
    window: int = 4
    by_token: dict[int, Found] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_token = {i: found for found in reversed(self.mentions) for i in range(found.start, found.end)}

    # ------------------------------------------------------------ mentions

    def mention_at(self, token: Token) -> Found | None:
        return self.by_token.get(token.i)

    def phrase_mention(self, token: Token, types: frozenset[str] = ACTOR_TYPES) -> Found | None:
        """The mention a noun phrase headed by `token` names: itself, or a modifier.

        'U.S. forces' -> United States, 'Prime Minister X's spokesperson, Y' -> Y,
        'the Iraqi government' -> Iraq.
        """
        found = self.mention_at(token)
        if found and found.type in types:
            return found
        for child in token.children:
            if child.dep_ == "appos":
                found = self.mention_at(child)
                if found and found.type in types:
                    return found
        personnel = token.lower_ in self.lexicon.personnel_words or token.lemma_.lower() in self.lexicon.personnel_words
        if token.lower_ in self.lexicon.state_body_words and "State" in types:
            leader = next((self.mention_at(c) for c in token.children if c.dep_ == "poss"), None)
            state = self.body_led_by(leader, frozenset({"State"})) if leader is not None and leader.type == "Official" else None
            if state is not None:  # "Sudani's government" is Iraq
                return state
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and child.i < token.i:
                # "American troops" is the United States; "the Syrian border" is no actor
                found = self.mention_at(child) or (self.demonym_mention(child, types) if personnel else None)
                if found and found.type == "Official" and personnel and child.dep_ == "poss":
                    found = self.body_led_by(found, types)  # "Soleimani's forces" are the force he led
                if found and found.type in types:
                    return found
        return None

    def body_led_by(self, official: Found, types: frozenset[str]) -> Found | None:
        """What an official leads, as the text said before or the actor dictionary knows, at the official's words."""
        led = self.discourse.leaders.get(official.name)
        if led is not None:
            return Found(official.span, led.type, led.name, led.key) if led.type in types else None
        actor = self.actors.by_id.get(official.key or "")
        bodies = [self.actors.by_id.get(role.of) for role in actor.roles] if actor is not None else []
        body = next((b for b in bodies if b is not None and b.type in types), None)
        return Found(official.span, body.type, body.name, body.id) if body is not None else None

    def actor_mention(self, token: Token | None, types: frozenset[str]) -> Found | None:
        """Like refers_to, and a capital stands for its government: 'Washington said' (SCHEME.md)."""
        found = self.refers_to(token, types | {"Location"})
        if found is not None and found.type == "Location":
            state = self.lexicon.capitals.get(found.name.lower())
            actor = self.actors.lookup(state) if state else None
            if actor is None or "State" not in types:
                return None
            return Found(found.span, "State", actor.name, actor.id)
        return found

    def refers_to(self, token: Token | None, types: frozenset[str]) -> Found | None:
        """A mention, or what 'it', 'they', 'the group', 'the militia' refers back to."""
        if token is None:
            return None
        found = self.phrase_mention(token, types) or self.named_as(token, types)
        if found is not None:
            return found
        if token.lower_ in self.lexicon.group_pronouns:
            return self.speaker_of_clause(token, types) or self.discourse.last_subject(self.index, types)
        if token.lower_ in self.lexicon.relative_pronouns and token.head.dep_ == "relcl":
            return self.antecedent(token.head.head, types)  # "an umbrella label that has claimed ..."
        pronoun = next((c for c in token.children if c.dep_ == "poss" and c.lower_ in self.lexicon.possessive_pronouns), None)
        if pronoun is not None:  # "Central Command said its forces struck ..."
            owner = self.possessor(pronoun, types)
            if owner is not None:
                return owner
        if is_definite(token, self.lexicon) and token.lower_ in self.lexicon.referring_nouns:  # the group that last acted, else the last one named
            groups = types & NON_STATE  # "the group", "the force": never a state
            return self.discourse.last_agent(self.index, groups, 2) or self.discourse.last_actor(self.index, groups, 2)
        return None

    def antecedent(self, noun: Token, types: frozenset[str]) -> Found | None:
        """What a relative clause's noun names: itself, or the name it stands in apposition to."""
        found = self.phrase_mention(noun, types)
        if found is None and noun.dep_ == "appos":
            found = self.phrase_mention(noun.head, types)
        return found

    def named_as(self, token: Token, types: frozenset[str]) -> Found | None:
        """'an umbrella group for Iran-backed factions known as X': the phrase names X."""
        for node in token.subtree:
            if node.dep_ == "acl" and node.lemma_.lower() in self.lexicon.naming_verbs:
                for named in (o for p in node.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"):
                    found = self.mention_at(named)
                    if found is not None and found.type in types:
                        return found
        return None

    def speaker_of_clause(self, pronoun: Token, types: frozenset[str]) -> Found | None:
        """'The army said it struck ...': a pronoun in reported speech is its speaker."""
        clause = next((n for n in pronoun.ancestors if n.dep_ == "ccomp"), None)
        if clause is None or clause.head.lemma_.lower() not in self.lexicon.speech_verbs:
            return None
        speaker = child(clause.head, "nsubj")
        if speaker is None or speaker.lower_ in self.lexicon.group_pronouns:
            return None
        return self.actor_mention(speaker, types)

    def possessor(self, pronoun: Token, types: frozenset[str]) -> Found | None:
        """Whose 'its' or 'their': a subject of this sentence before it, else the previous sentence's subject.

        "The Quds Force was led by X after Y, its long-time commander" -> the Quds Force;
        "The Foreign Ministry condemned it. Its spokesman, Z, ..." -> the Foreign Ministry.
        """
        owner = next((s for s in self.main_subjects() if s.start < pronoun.i and s.type in types), None)
        return owner or self.discourse.last_subject(self.index, types)

    def main_subjects(self) -> list[Found]:
        """The mentions that are subjects of the sentence's main verbs."""
        found = []
        for verb in (self.span.root, *self.span.root.conjuncts):
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            mention = self.phrase_mention(subject, ACTOR_TYPES | PLACE_TYPES) if subject is not None else None
            if mention is not None:
                found.append(mention)
        return found

    def demonym_mention(self, token: Token, types: frozenset[str]) -> Found | None:
        """'Iranian' as a mention of Iran, where a relation needs the state."""
        if "State" not in types:
            return None
        state = state_named_by(token, self.lexicon, self.actors)
        if state is None or token.lower_ not in self.lexicon.demonyms:
            return None
        return Found(token.doc[token.i: token.i + 1], "State", state.name, state.id)

    def members(self, token: Token, types: frozenset[str]) -> list[Found]:
        """The mentions a phrase lists: 'militias, led by KH, AAH and Badr' -> KH, AAH, Badr."""
        found, seen = [], set()
        stack = [token]
        while stack:
            node = stack.pop()
            mention = self.mention_at(node)
            if mention is not None:
                if mention.type in types and mention.start not in seen:
                    seen.add(mention.start)
                    found.append(mention)
            for child in node.children:
                if child.dep_ not in LIST_EDGES:
                    continue
                if child.dep_ == "prep" and child.lower_ not in self.lexicon.list_prepositions:
                    continue
                if child.dep_ == "acl" and child.lemma_.lower() not in self.lexicon.list_verbs:
                    continue
                if child.dep_ == "dobj" and node.lemma_.lower() not in self.lexicon.list_verbs:
                    continue
                stack.append(child)
        return sorted(found, key=lambda f: f.start)

    def listed_after(self, noun: Token, types: frozenset[str], reach: int = 6) -> list[Found]:
        """The mentions a list opened just after `noun` names, read off the surface where the parse is torn:
        'the proxy groups — including X and Iraq-based Y —', 'several targets near the border, including X'."""
        lex, doc = self.lexicon, self.span.doc
        window = doc[noun.i + 1: min(noun.i + 1 + reach, self.span.end)]
        opener = next((t for t in window if t.lower_ in lex.list_openers), None)
        if opener is None or any(t.pos_ in ("VERB", "AUX") for t in doc[noun.i + 1: opener.i]):
            return []
        end = next((t.i for t in doc[opener.i + 1: self.span.end] if t.text in lex.list_closers), self.span.end)
        listed = [m for m in self.mentions if opener.i < m.start and m.end <= end and m.type in types]
        # an item, not a place inside one: "including near the border with X" lists no X
        return [m for m in listed if not any(t.pos_ == "ADP" for t in doc[opener.i + 1: m.start])]

    def with_conjuncts(self, found: Found) -> list[Found]:
        """'Hamas and Hezbollah' -> both."""
        result = [found]
        for conj in found.root.conjuncts:
            other = self.mention_at(conj)
            if other is not None and other.type == found.type and other not in result:
                result.append(other)
        return result

    # ------------------------------------------------------------ modality

    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, or its governing verb's: 'Iran denied X and condemned Y', 'It returned to fight'."""
        for node in (verb, *verb.ancestors):
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                return subject if subject.dep_ == "nsubj" else None
            if node.dep_ not in ("conj", "xcomp", "advcl"):
                return None
        return None

    def is_negated(self, token: Token) -> bool:
        """'has not claimed', 'no group claimed', 'no immediate claims'."""
        negations = self.lexicon.negations
        if any(c.dep_ == "neg" or c.lower_ in negations for c in token.children):
            return True
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ in self.lexicon.negative_determiners for g in child.subtree):
                return True
        head = token.head
        return head is not token and head.pos_ in ("AUX", "VERB") and any(c.dep_ == "neg" for c in head.children)

    def is_hedged(self, token: Token) -> bool:
        """'believed to be behind', 'accused X of', 'allegedly fired': a hedge over this word."""
        lex = self.lexicon
        for node in (token, *token.ancestors):
            if node.lower_ in lex.hedge_words or node.lemma_.lower() in lex.hedge_words:
                return True
            if any(c.dep_ in ("advmod", "aux", "amod") and c.lower_ in lex.hedge_words for c in node.children):
                return True  # "allegedly fired", "the alleged attack"
            if node is not token and node.pos_ in ("NOUN", "PROPN"):
                return False  # "officials blamed X, the Iran-backed group": the blame does not hedge X's backing
            if any(c.dep_ == "prep" and c.lower_ in lex.hedge_prepositions for c in node.children):
                return True  # "according to Iraqi officials"
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in lex.third_party_claim_verbs:
                return True  # "Washington claimed that X fired the rockets"
            if node.dep_ in ("oprd", "ccomp", "xcomp") and node.head.lemma_.lower() in lex.attribution_verbs:
                return True  # "officials held X responsible"
        return False

    # ------------------------------------------------------------ output

    def mention(self, found: Found) -> Mention:
        return Mention(found.name, found.type, found.span.start_char, found.span.end_char, self.document.id, found.key)

    def relations(self, predicate: str, found) -> Iterator[RelationMention]:
        """One relation per distinct (subject, object) of `found`: (subject, object, rule, confidence, hedged)."""
        seen = set()
        for subject, obj, rule, confidence, hedged in found:
            if subject.name == obj.name or (subject.name, obj.name) in seen:
                continue
            seen.add((subject.name, obj.name))
            yield RelationMention(self.mention(subject), predicate, self.mention(obj),
                                  self.evidence(rule, confidence, hedged=hedged))

    def evidence(self, rule: str, confidence: float, hedged: bool = False) -> Evidence:
        return Evidence(doc=self.document.id, sentence=self.span.text.strip(), start=self.span.start_char,
                        end=self.span.end_char, date=self.document.date, rule=rule, confidence=confidence,
                        hedged=hedged)


def child(token: Token | None, dep: str) -> Token | None:
    """The first child of `token` attached by `dep`, or None."""
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == dep), None)


def is_definite(token: Token, lexicon: Lexicon) -> bool:
    """'the attack', 'these groups': a noun the reader takes as told before."""
    return any(c.dep_ == "det" and c.lower_ in lexicon.definite_determiners for c in token.children)


def is_strike(word: str, lexicon: Lexicon) -> bool:
    """Reports call a state's strikes 'strikes' or 'raids' and a militia's 'attacks': keep them apart."""
    return word.lower() in lexicon.strike_words

