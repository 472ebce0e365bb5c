"""Who and what an attack phrase names: its target and its attacker, read off the parse.

  target    "the base", "facilities used by X", "Iraqi bases housing US troops", "the USS Carney",
            "several targets, including X", "on/against/at/into X"
  attacker  a mention, a reference back, "a drone launched by X", "an American drone"
  told      "the attack", "the strikes": the target of the attack the text told of by that word
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Sentence, child, is_definite, is_strike
from kg.extract.entities import Found

ATTACKERS = frozenset({"Militia", "State", "Organization"})
TARGETS = frozenset({"Base", "Location", "State", "Militia"})


def told_target(sentence: Sentence, act: Token, *, by_preposition: bool = True) -> Found | None:
    """The target an attack's noun names ('the attack on X', 'the Tower 22 strike'), or else
    the target of the attack the text last told of by that name."""
    acts = [act, *act.conjuncts] if by_preposition else []  # "attacks on tankers, rocket volleys against X"
    target = next((t for a in acts if (t := prepositional_target(sentence, a)) is not None), None)
    modifiers = (c for c in act.children if c.dep_ in ("compound", "nmod") and c.i < act.i)
    target = target or next((t for c in modifiers if (t := target_of(sentence, c)) is not None), None)
    named = any(c.dep_ == "prep" and c.lower_ in sentence.lexicon.target_prepositions for a in acts for c in a.children)
    if target is None and not named:  # "attacks on oil tankers" named theirs, one we have no node for
        told = sentence.discourse.attack_called(is_strike(act.lemma_, sentence.lexicon), sentence.index, sentence.window)
        target = told.target if told else None
    return target


def counted_phrase(sentence: Sentence, noun: Token) -> Token:
    """'hundreds of air strikes', 'a wave of attacks': the counting noun stands where the attacks do."""
    head = noun
    while head.dep_ == "pobj" and head.head.lower_ in sentence.lexicon.genitive_prepositions \
            and head.head.head.lower_ in sentence.lexicon.quantity_nouns:
        head = head.head.head
    return head


def prepositional_target(sentence: Sentence, holder: Token | None, allow_of: bool = False,
                         inside: bool = False) -> Found | None:
    if holder is None:
        return None
    lex = sentence.lexicon
    for prep in holder.children:
        if prep.dep_ == "prep" and (prep.lower_ in lex.target_prepositions or allow_of and prep.lower_ in lex.genitive_prepositions
                                    or inside and prep.lower_ in lex.impact_prepositions):
            target = target_of(sentence, prep_object(prep))
            if target is not None:
                return target
        if prep.dep_ == "prep" and prep.lower_ in lex.incursion_prepositions:  # "rockets into northern Israel"
            target = target_of(sentence, child(prep, "pobj"))
            if target is not None and target.type in ("State", "Militia"):
                return target
    return None


def prep_object(prep: Token) -> Token | None:
    """What a preposition governs: its object, or the thing a free relative names ("against what
    officials said were weapons depots of X": the depots)."""
    obj = child(prep, "pobj")
    clause = child(prep, "pcomp") if obj is None else None
    while obj is None and clause is not None:
        obj = child(clause, "attr") or child(clause, "oprd")
        clause = child(clause, "ccomp")
    return obj


def target_of(sentence: Sentence, token: Token | None) -> Found | None:
    """The target a phrase names: itself, 'facilities used by KH', 'the remnants of ISIS'."""
    if token is None:
        return None
    navy = ship_state(sentence, token)
    if navy is not None:  # "the USS Carney": a navy's ship stands for its state
        return navy
    if token.lemma_.lower() in sentence.lexicon.base_words:  # "an outpost in Jordan known as Tower 22"
        after = [p for p in token.head.children if p.dep_ == "prep" and p.i == token.right_edge.i + 1]
        for phrase in (token, *after):  # the parser may hang "in Jordan known as ..." on the verb
            named = sentence.named_as(phrase, frozenset({"Base"}))
            if named is not None:
                return named
    found = sentence.phrase_mention(token, TARGETS)
    if found is not None and found.covers(token):
        return found
    near = [*token.children, *(g for c in token.children if c.dep_ == "prep" for p in c.children for g in p.children)]
    for c in near:  # "facilities used by X", "facilities in Iraq used by X", "Iraqi bases housing US troops"
        holder = holder_of(sentence, c)
        if holder is not None:
            return holder
    if found is None and token.tag_ in ("NNPS", "NNS"):  # "a drone attack against the Americans": their forces
        found = collective_people(sentence, token)
    if found is not None and found.type == "Location":
        return None  # "Red Sea shipping", "the Baghdad protests": the place names where, not what
    if found is not None:
        return found
    official = sentence.phrase_mention(token, frozenset({"Official"}))
    if official is not None:  # a strike that kills a group's commander attacks the group (SCHEME.md)
        return sentence.body_led_by(official, frozenset({"Militia"}))
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in sentence.lexicon.genitive_prepositions and child(c, "pobj") is not None:
            found = sentence.phrase_mention(child(c, "pobj"), TARGETS)
            if found is not None:
                return found
    # "a number of targets along the border, including X": an item of the list the phrase opens
    listed = sentence.members(token, TARGETS - {"Location"}) or sentence.listed_after(token, TARGETS - {"Location"})
    return listed[0] if listed else None


def collective_people(sentence: Sentence, token: Token) -> Found | None:
    """'the Americans', 'the Israelis': a people taken together stands for its state's forces; 'two
    Americans' (people, not a state) does not."""
    lower = token.lower_  # a plural (the caller checks the tag): "americans" -> "american"
    if lower[:-1] not in sentence.lexicon.demonyms:
        return None
    if not is_definite(token, sentence.lexicon):
        return None
    state = sentence.actors.lookup(sentence.lexicon.demonyms[lower[:-1]])
    return Found(token.doc[token.i: token.i + 1], "State", state.name, state.id) if state and state.type == "State" else None


def ship_state(sentence: Sentence, token: Token) -> Found | None:
    """The state whose navy a named ship ('USS Carney', 'HMS Diamond') belongs to."""
    first = token.doc[token.left_edge.i] if token.left_edge.lower_ not in sentence.lexicon.articles \
        else token.doc[token.left_edge.i + 1]
    state = sentence.lexicon.ship_prefixes.get(first.lower_)
    actor = sentence.actors.lookup(state) if state else None
    return Found(token.doc[first.i: token.i + 1], "State", actor.name, actor.id) if actor is not None else None


def holder_of(sentence: Sentence, clause: Token) -> Found | None:
    """Whose the targets were: 'used by X', 'belonging to X', 'housing U.S. troops'."""
    if clause.dep_ != "acl":
        return None
    lemma = clause.lemma_.lower()
    if lemma in sentence.lexicon.house_verbs:  # "bases housing U.S. troops" were the state's
        obj = child(clause, "dobj")
        return sentence.phrase_mention(obj, frozenset({"State"})) if obj is not None else None
    if lemma not in sentence.lexicon.holding_verbs:
        return None
    agent = child(clause, "agent") or next((p for p in clause.children if p.dep_ == "prep" and p.lower_ in sentence.lexicon.recipient_prepositions), None)
    return sentence.refers_to(child(agent, "pobj"), TARGETS) if agent is not None else None


def attacker_of(sentence: Sentence, token: Token | None) -> Found | None:
    """Who attacked: a mention, a reference back, or 'a drone launched by X'."""
    found = sentence.actor_mention(token, ATTACKERS)
    if found is None and child(token, "appos") is not None and token.ent_type_ in ("DATE", "TIME"):
        return attacker_of(sentence, child(token, "appos"))  # "13 March, a salvo of missiles ... struck"
    if found is not None or token is None:
        return found
    of = child(token, "prep")
    weapon = child(of, "pobj") if of is not None and of.lower_ in sentence.lexicon.genitive_prepositions else None  # "a salvo of missiles"
    if token.lower_ not in sentence.lexicon.weapons and (weapon is None or weapon.lower_ not in sentence.lexicon.weapons):
        return None
    launchers = [c for holder in (token, weapon) if holder is not None for c in holder.children if c.dep_ == "acl"]
    if token.dep_ == "nsubj" and token.head.pos_ == "VERB":
        launchers.append(token.head)  # "missiles fired by X struck Y", parsed as "missiles fired", "struck Y"
    for launched in launchers:
        agent = child(launched, "agent")
        if agent is not None:
            return sentence.refers_to(child(agent, "pobj"), ATTACKERS)
    return None
