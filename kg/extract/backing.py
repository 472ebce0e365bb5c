"""backedBy: a militia and the state or organisation that arms, funds or directs it.

  adjectival   "Iran-backed Kataib Hezbollah", "pro-Iranian factions such as Badr"
  prepositional "militias loyal to Iran", "X, which is affiliated with the Iraqi military"
  verbal       "Iran has supplied rockets and drones to Hamas and Hezbollah"
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.context import Sentence, child, is_definite
from kg.extract.entities import Found
from kg.model import RelationMention

BACKER_TYPES = frozenset({"State", "Organization"})
MILITIA = frozenset({"Militia"})


def find_backing(sentence: Sentence) -> Iterator[RelationMention]:
    return sentence.relations("backedBy", candidates(sentence))


def candidates(sentence: Sentence):
    lex = sentence.lexicon
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if token.lower_ in lex.backing_adjectives or lemma in lex.backing_adjectives:
            backer = hyphenated_backer(sentence, token) or prepositional_backer(sentence, token)
            if backer is not None:
                for militia in beneficiaries(sentence, token):
                    yield militia, backer, "backing.adjective", 0.85, sentence.is_hedged(token)
        elif token.lower_ in lex.pro_prefixes and token.i + 2 < sentence.span.end and token.nbor(1).text == "-":
            backer = sentence.mention_at(token.nbor(2)) or sentence.demonym_mention(token.nbor(2), BACKER_TYPES)
            if backer is not None and backer.type in BACKER_TYPES:
                for militia in beneficiaries(sentence, token):
                    yield militia, backer, "backing.pro", 0.85, sentence.is_hedged(token)
        elif token.lower_ in lex.proxy_nouns and (token.pos_ == "NOUN" or token.dep_ in ("amod", "compound")):
            backer = owner(sentence, token)
            rule = "backing.proxy"
            if backer is not None:
                sentence.discourse.patrons.append((sentence.index, backer))
            elif is_definite(proxy_phrase(token), lex):
                backer, rule = sentence.discourse.last_patron(sentence.index, sentence.window), "backing.proxy-told"
            if backer is not None:
                for militia in proxies(sentence, proxy_phrase(token)):
                    yield militia, backer, rule, 0.8, sentence.is_hedged(token)
        if lemma in lex.backing_verbs and token.pos_ == "VERB":
            yield from verbal(sentence, token)
        elif lemma in lex.receiving_verbs and token.pos_ == "VERB":
            yield from received(sentence, token)


def hyphenated_backer(sentence: Sentence, token: Token) -> Found | None:
    """'Iran-backed' / 'Iranian-backed': the word before the hyphen."""
    i = token.i
    if i < 2 or token.doc[i - 1].text != "-":
        return None
    before = token.doc[i - 2]  # "Tehran-backed": a capital stands for its government
    backer = sentence.actor_mention(before, BACKER_TYPES) or sentence.demonym_mention(before, BACKER_TYPES)
    return backer if backer is not None and backer.type in BACKER_TYPES else None


def prepositional_backer(sentence: Sentence, token: Token) -> Found | None:
    """'loyal to Iran', 'backed by Tehran', 'affiliated with the Iraqi military'."""
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in sentence.lexicon.backing_prepositions:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    backer = sentence.actor_mention(obj, BACKER_TYPES)
                    if backer is None:
                        backer = next((m for m in sentence.members(obj, BACKER_TYPES)), None)
                    if backer is not None:
                        return backer
    return None


def owner(sentence: Sentence, noun: Token) -> Found | None:
    """Whose proxy: "Iran's proxy", "a proxy of Iran", "Iranian proxies"."""
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound") and c.i < noun.i:
            found = sentence.mention_at(c) or sentence.demonym_mention(c, BACKER_TYPES)
            if found is not None and found.type in BACKER_TYPES:
                return found
        if c.dep_ == "prep" and c.lower_ in sentence.lexicon.owner_prepositions:
            found = sentence.phrase_mention(next((o for o in c.children if o.dep_ == "pobj"), c), BACKER_TYPES)
            if found is not None:
                return found
    return None


def proxy_phrase(token: Token) -> Token:
    """'proxy groups': the phrase's head noun, which holds its list."""
    return token.head if token.dep_ in ("compound", "amod") else token


def proxies(sentence: Sentence, noun: Token) -> list[Found]:
    """'Hezbollah, Iran's main proxy' and "Iran's proxies such as Kataib Hezbollah"."""
    if noun.dep_ == "appos":
        head = sentence.mention_at(noun.head)
        return [head] if head is not None and head.type == "Militia" else []
    if noun.dep_ in ("attr", "acomp") and noun.head.lemma_ in sentence.lexicon.copulas:  # "Hezbollah is Iran's proxy"
        subject = sentence.phrase_mention(child(noun.head, "nsubj"), MILITIA) if child(noun.head, "nsubj") else None
        return [subject] if subject is not None else []
    listed = [m for m in sentence.members(noun, MILITIA) if m.start > noun.i]
    return listed + [m for m in sentence.listed_after(noun, MILITIA) if m not in listed]


def beneficiaries(sentence: Sentence, cue: Token) -> list[Found]:
    """The militias a backing word describes: its head noun phrase and the groups it lists."""
    lex = sentence.lexicon
    quantifier = child(cue, "nsubj") or (cue.head if cue.dep_ == "amod" else None)
    if quantifier is not None and is_them_all(sentence, quantifier):  # "KH, Nujaba and others, all of them Iran-backed"
        return listed_before(sentence, quantifier)
    head = cue
    for _ in range(4):  # backed -> (amod) militias, or backed -> (acomp) are -> (relcl) Forces
        own = sentence.mention_at(head)
        if own is not None and own.type == "Militia" and head is not cue:
            return sentence.with_conjuncts(own) + [m for m in sentence.members(head, MILITIA) if m is not own]
        if head.dep_ == "appos" and head is not cue:  # "Kataib Sayyid al-Shuhada, an Iran-aligned faction"
            head = head.head
        elif head.dep_ == "pobj" and head.head.lower_ in lex.genitive_prepositions and head.head.head.lower_ in lex.part_words:
            head = head.head.head  # "one of the Iran-backed groups", "part of the pro-Iran factions"
        elif head.dep_ == "attr" and head is not cue:  # "KH is one of ...": on to the verb and its subject
            head = head.head
        elif head.dep_ in ("amod", "acl", "compound", "npadvmod", "advmod") or head is cue:
            if head.head is head:
                break
            head = head.head
        elif head.dep_ in ("acomp", "relcl", "ccomp", "auxpass", "ROOT") or head.pos_ in ("AUX", "VERB"):
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.lower_ in lex.relative_pronouns and head.dep_ == "relcl":
                head = head.head
            elif subject is not None:
                head = subject
            elif head.dep_ == "relcl":
                head = head.head
            else:
                break
        else:
            break
    own = sentence.mention_at(head)
    if own is not None and own.type == "Militia":
        return sentence.with_conjuncts(own)
    whole = gathering(sentence, head)
    if whole:
        return whole
    subject = head.dep_ in ("nsubj", "nsubjpass")  # "several factions, including X and Y, are backed by Iran"
    listed = [m for m in sentence.members(head, MILITIA) if subject or m.start > cue.i]
    if not listed and (head.lower_ in lex.referring_nouns or head.lower_ in lex.group_pronouns):  # told before
        told = sentence.refers_to(head, MILITIA)
        listed = [told] if told is not None else []
    if not listed and head.dep_ == "pobj" and head.head.head.dep_ == "appos":
        # "the Islamic Resistance in Iraq, an umbrella of Iran-backed groups": the umbrella is backed too
        umbrella = sentence.mention_at(head.head.head.head)
        return [umbrella] if umbrella is not None and umbrella.type == "Militia" else []
    return listed


def gathering(sentence: Sentence, head: Token) -> list[Found]:
    """The group that gathers backed groups, or the group counted among them.

    'X, an umbrella of a number of Iran-backed militias', "Iraq's PMF umbrella grouping of Iran-backed
    militias", 'an alliance of Iran-backed factions known as X', 'X and other Iran-backed groups'.
    """
    lex = sentence.lexicon
    if head.dep_ == "conj" and any(c.lower_ in lex.other_words for c in head.children):
        first = sentence.mention_at(head.head)
        return [first] if first is not None and first.type == "Militia" else []
    node = head
    while node.dep_ == "pobj" and node.head.lower_ in lex.owner_prepositions and node.head.head.pos_ in ("NOUN", "PROPN"):
        node = node.head.head
        words = {node.lower_, node.lemma_.lower()} | {c.lower_ for c in node.children if c.dep_ == "compound"}
        if words & lex.collective_nouns:  # "an umbrella group of", "a coalition of"
            break
    else:
        return []
    if node.lower_ in lex.quantity_nouns and node.dep_ == "pobj":
        return gathering(sentence, node)  # "an umbrella group of a number of ..."
    for holder in (node, node.head) if node.dep_ in ("compound", "appos") else (node,):
        named = [sentence.mention_at(c) for c in holder.children if c.dep_ in ("compound", "nmod", "poss")]
        if holder.dep_ == "appos":
            named.append(sentence.mention_at(holder.head))
        for verb in (c for c in holder.children if c.dep_ == "acl" and c.lemma_.lower() in lex.naming_verbs):
            named += [sentence.mention_at(o) for p in verb.children if p.dep_ == "prep" for o in p.children]
        militias = [m for m in named if m is not None and m.type == "Militia"]
        if militias:
            return militias
    # where the parse tears the name from its noun: "the PMF umbrella grouping of ...", read off the surface
    return [m for m in sentence.mentions if m.type == "Militia" and 0 <= node.i - m.end <= 2]


def is_them_all(sentence: Sentence, token: Token) -> bool:
    """'all of them', 'both of them', 'each of whom'."""
    lex = sentence.lexicon
    of = child(token, "prep")
    return token.lower_ in lex.totality_words and of is not None and of.lower_ in lex.genitive_prepositions \
        and any(c.lower_ in lex.plural_object_pronouns for c in of.children)


def listed_before(sentence: Sentence, token: Token) -> list[Found]:
    """The groups listed just before `token`: the nearest militia and those coordinated with it."""
    before = [m for m in sentence.mentions if m.end <= token.i and m.type == "Militia"]
    if not before:
        return []
    top = before[-1].root  # the list's first item: up through "Harakat al-Nujaba and ..." to "Kataib Hezbollah"
    while top.dep_ in ("conj", "appos") and sentence.mention_at(top.head) is not None:
        top = top.head
    listed = {t.i for t in top.subtree}
    return [m for m in before if m.root.i in listed]


def verbal(sentence: Sentence, verb: Token):
    """'Iran supplied rockets to Hamas and Hezbollah', 'Iran backs Kataib Hezbollah'."""
    subject = sentence.subject_of(verb)
    if subject is None or sentence.is_negated(verb):
        return
    backer = sentence.actor_mention(subject, BACKER_TYPES)
    if backer is None:
        return
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    objects += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in sentence.lexicon.recipient_prepositions for o in p.children if o.dep_ == "pobj"]
    for obj in objects:
        found = sentence.mention_at(obj)
        if found is not None and found.type == "Militia":
            for militia in sentence.with_conjuncts(found):
                yield militia, backer, "backing.verb", 0.8, sentence.is_hedged(verb)


def received(sentence: Sentence, verb: Token):
    """'Kataib Hezbollah receives funding and weapons from the IRGC': the giver backs the receiver."""
    subject = sentence.subject_of(verb)
    militia = sentence.refers_to(subject, MILITIA) if subject is not None else None
    if militia is None or sentence.is_negated(verb):
        return
    given = [c for c in verb.children if c.dep_ == "dobj"]
    for prep in (c for holder in (verb, *given) for c in holder.children):  # "from" hangs on the verb or what was given
        if prep.dep_ == "prep" and prep.lower_ in sentence.lexicon.source_of_support_prepositions:
            backer = sentence.actor_mention(child(prep, "pobj"), BACKER_TYPES)
            if backer is not None:
                yield militia, backer, "backing.received", 0.8, sentence.is_hedged(verb)
