"""When an attack happened: the date its own clause states, resolved against the story's dateline
(kg.extract.dates), else the date the text gave it before ("the Sunday attack" ... "the attack
hit"); never the document's date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import is_definite
from kg.extract.dates import line_lead_date, mentioned_date, story_anchor
from kg.extract.events import EventCues, is_caption

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extract.entities import Found

__all__ = ["event_date", "governed_date", "note_attack_days", "the_attack_told"]


def event_date(sentence, trigger: Token, target: Found | None, cues: EventCues) -> str | None:
    """The day, month or year the text gives this attack: the sentence's own date nearest the
    attack word (relative days against the story's dateline), else the date the document gave an
    earlier telling of an attack on the same target; never the document's date. A caption dates
    nothing."""
    text = sentence.span.text
    if is_caption(text, cues):
        return None
    anchor = story_anchor(sentence.span.doc, sentence.span.start_char, sentence.document.date)
    near = (governed_date(trigger) or trigger).idx - sentence.span.start_char
    return (mentioned_date(text, anchor, near=near)
            or line_lead_date(sentence.span.doc.text, sentence.span.start_char, anchor)
            or sentence.discourse.date_of_attack_on(target)
            or (the_attack_told(sentence) if trigger.pos_ == "NOUN" and is_definite(trigger, sentence.lexicon) else None))


def note_attack_days(sentence) -> None:
    """Remember the dates attack words carry ("details of the Sunday attack emerged"), even where
    no target is named, for a later "the attack hit ..." that states none."""
    anchor = None
    for token in sentence.span:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in sentence.lexicon.attack_nouns or token.tag_ == "NNS":
            continue
        day = governed_date(token)
        if day is None:
            continue
        anchor = anchor or story_anchor(sentence.span.doc, sentence.span.start_char, sentence.document.date)
        value = mentioned_date(sentence.span.text, anchor, near=day.idx - sentence.span.start_char)
        if value is not None:
            sentence.discourse.attack_days.append((sentence.index, value))


def the_attack_told(sentence) -> str | None:
    """The date of the attack the text last spoke of with a date, within the coreference window: one
    it told ("Iran launched a barrage ... early on Wednesday") or only named ("the Sunday attack")."""
    now, window = sentence.index, sentence.window
    told = next(((a.sentence, a.date) for a in sentence.discourse.recent_attacks(now, window) if a.date and a.single),
                None)
    named = next(((index, day) for index, day in reversed(sentence.discourse.attack_days) if now - index <= window),
                 None)
    latest = max((found for found in (told, named) if found is not None), default=None, key=lambda found: found[0])
    return latest[1] if latest is not None else None


def governed_date(trigger: Token) -> Token | None:
    """The date the attack word's own clause states: "an attack ... was thwarted on Monday", "strikes
    on June 28", so another clause's date in the sentence does not date it."""
    holders = [trigger] + ([trigger.head] if trigger.dep_ in ("nsubj", "nsubjpass", "dobj") else [])
    for holder in holders:
        for c in holder.children:
            node = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else \
                c if c.dep_ in ("npadvmod", "tmod") or c.dep_ == "compound" and holder is trigger else None
            if node is not None and node.ent_type_ == "DATE":
                return node
    return None
