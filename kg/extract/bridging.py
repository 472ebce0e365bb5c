"""An attack on a base the text has not named yet, named a few sentences later.

Reports often open with a description and name the place after it: "A barrage of rockets hit
a base housing U.S. troops north of the capital on Saturday." ... "Two soldiers were wounded
in the attack at Camp X." The first telling has the date and often the attacker; the second
names the base and states no date of its own. Both tell one attack: the described base is the
base named next, within the coreference window, and the later telling takes the first's date
and attacker, so the merge makes them one event.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.model import AttackMention

__all__ = ["DescribedBases", "describes_unnamed_base"]

ARGUMENTS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "compound"})  # "hit a base", "a base was hit"


def describes_unnamed_base(sentence) -> bool:
    """Whether the sentence talks of 'a base' or 'an American outpost' that no mention names."""
    lex = sentence.lexicon
    for token in sentence.span:
        if token.lemma_.lower() not in lex.base_words or token.dep_ not in ARGUMENTS:
            continue
        if any(f.type == "Base" and f.covers(token) for f in sentence.mentions):
            continue
        if any(c.dep_ == "det" and c.lower_ in lex.indefinite_articles for c in token.children):
            return True
    return False


@dataclass
class DescribedBases:
    """Attacks told on an unnamed base, waiting for the sentence that names it. `told` is the
    document's list of attack events so far; waiting attacks are kept by their place in it."""

    told: list[AttackMention]
    window: int = 4
    waiting: list[tuple[int, int]] = field(default_factory=list)  # (sentence index, position in told)

    def read(self, sentence, events: list[AttackMention]) -> list[AttackMention]:
        """This sentence's events, the ones that name a waiting attack's base taking its date and
        attacker; the waiting attack takes the base as its target."""
        self.waiting = [(i, at) for i, at in self.waiting if sentence.index - i <= self.window]
        named = []
        for event in events:
            at = self.waiting[-1][1] if self.waiting else None
            waiting = self.told[at] if at is not None else None
            if waiting is not None and event.target is not None and event.target.type == "Base" \
                    and event.date in (None, waiting.date):  # "the attack at Camp X": no day of its own
                self.waiting.pop()
                self.told[at] = replace(waiting, target=event.target)
                event = replace(event, date=waiting.date, attacker=event.attacker or waiting.attacker)
                for record in sentence.discourse.told_here(sentence.index):  # a later "the strike at X" finds its day
                    if record.target is not None and record.target.span.start_char == event.target.start:
                        record.date = record.date or waiting.date
            named.append(event)
        if describes_unnamed_base(sentence):
            self.waiting.extend((sentence.index, len(self.told) + n) for n, e in enumerate(named)
                                if e.date is not None and (e.target is None or e.target.type != "Base"))
        return named
