"""locatedIn: a base and the place the text puts it in.

  "the US embassy in Baghdad, Iraq"  -> Baghdad and Iraq
  "Ain al-Asad airbase in the western Iraqi province of Anbar" -> Anbar (and Iraq)
  "Baghdad's Green Zone houses the U.S. Embassy" -> Green Zone
  "Erbil airport" -> Erbil (the place is part of the base's name)
"near" and "north of" place nothing (SCHEME.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.context import Sentence
from kg.extract.entities import Found
from kg.model import RelationMention

PLACES = frozenset({"Location", "State"})


def find_locations(sentence: Sentence) -> Iterator[RelationMention]:
    found = ((base, place, rule, 0.7 if rule == "location.name" else 0.85, False)
             for base, place, rule in candidates(sentence))
    return sentence.relations("locatedIn", found)


def candidates(sentence: Sentence):
    for base in sentence.mentions:
        if base.type != "Base":
            continue
        for place in places_after(sentence, base):
            yield base, place, "location.in"
        for place in places_in_apposition(sentence, base):
            yield base, place, "location.apposition"
        for place in places_in_name(sentence, base):
            yield base, place, "location.name"
        for place in housing(sentence, base):
            yield base, place, "location.houses"


def places_after(sentence: Sentence, base: Found) -> list[Found]:
    """'BASE in PLACE[, STATE]': the preposition must attach to the base's phrase."""
    doc = sentence.span.doc
    i = base.end
    # skip a head noun the mention leaves out: "Ain al-Asad [airbase] in Anbar"
    words = sentence.lexicon.base_words
    while i < sentence.span.end:
        pair = doc[i: i + 2].text.lower() if i + 1 < sentence.span.end else None
        if pair in words:  # "Tower 22 [air base] in Jordan"
            i += 2
        elif doc[i].pos_ == "NOUN" and doc[i].lower_ in words or doc[i].pos_ == "ADJ" and doc[i + 1].lower_ in words:
            i += 1  # "Tower 22 [military base] in Jordan"
        else:
            break
    if i + 1 < sentence.span.end and doc[i].text == "," and doc[i + 1].lower_ in sentence.lexicon.place_prepositions:
        i += 1  # "the base at Asad, in Anbar Province"
    if i < sentence.span.end and doc[i].text == ",":
        return place_in_apposition(sentence, doc[i + 1: sentence.span.end])  # "Fort Moore, Georgia"
    if i >= sentence.span.end or doc[i].lower_ not in sentence.lexicon.place_prepositions:
        return []
    places = []
    for token in doc[i + 1: min(i + 9, sentence.span.end)]:
        found = sentence.mention_at(token) or sentence.demonym_mention(token, frozenset({"State"}))
        if found is not None:
            if found.type not in PLACES:
                break
            if found not in places:
                places.append(found)
            continue
        if token.text in (";", ".") or token.pos_ in ("VERB", "AUX") or token.lower_ in sentence.lexicon.place_list_breakers:
            break
    return places


def place_in_apposition(sentence: Sentence, rest) -> list[Found]:
    """'Fort Moore, Georgia,': a place alone between commas after the base names where it stands."""
    place = sentence.mention_at(rest[0]) if len(rest) else None
    if place is None or place.type not in PLACES or place.start != rest.start:
        return []
    after = rest.doc[place.end] if place.end < sentence.span.end else None
    return [place] if after is None or after.is_punct else []


def places_in_apposition(sentence: Sentence, base: Found) -> list[Found]:
    """'Ain al-Asad, the sprawling air base in Anbar province'."""
    places = []
    for appos in base.root.children:
        if appos.dep_ != "appos" or appos.lower_ not in sentence.lexicon.base_words:
            continue
        for prep in appos.children:
            if prep.dep_ == "prep" and prep.lower_ in sentence.lexicon.place_prepositions:
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                place = sentence.phrase_mention(obj, PLACES) if obj is not None else None
                if place is not None:
                    places.append(place)
    return places


def places_in_name(sentence: Sentence, base: Found) -> list[Found]:
    """'the U.S. Embassy in Tehran' stands in Tehran: the place its name puts it in.

    A name alone places nothing ('Erbil airport' need not be in Erbil): only 'in' inside it does.
    """
    inside = [t for t in base.span if t.lower_ in sentence.lexicon.place_prepositions]
    if not inside:
        return []
    place = base.span.doc[inside[0].i + 1: base.end]
    actor = sentence.actors.lookup(place.text)
    if actor is not None and actor.type in PLACES:
        return [Found(place, actor.type, actor.name, actor.id)]
    return [Found(place, "Location", place.text)] if place.text.istitle() else []


def housing(sentence: Sentence, base: Found) -> list[Found]:
    """'PLACE houses BASE'."""
    root = base.root
    if root.dep_ == "compound":  # "the U.S. Embassy building"
        root = root.head
    verb = root.head
    if root.dep_ != "dobj" or verb.lemma_.lower() not in sentence.lexicon.house_verbs:
        return []
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    place = sentence.phrase_mention(subject, PLACES) if subject is not None else None
    return [place] if place is not None else []
