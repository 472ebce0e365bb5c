"""Every spaCy component militia-kg adds, registered in one place with its config."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.nlp.actor_ruler import ActorRuler, name_patterns


@Language.factory(
    "kg_actor_ruler",
    assigns=["doc.ents", "token.ent_type", "token.ent_id"],
    default_config={"actor_files": []},
)
def make_actor_ruler(nlp: Language, name: str, actor_files: list[str]) -> ActorRuler:
    """Every name of every actor in `actor_files` as an entity, with the actor's type as its label and
    the actor's id as its ent_id, so NER never re-types a known group as a PERSON."""
    return ActorRuler(nlp.vocab, name_patterns(nlp, [Path(p) for p in actor_files]))


@Language.component("kg_paragraph_breaks", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs across a line break, nor past a wire dateline.

    spaCy's parser happily joins a headline, a dateline and the lead into one
    sentence ("U.S. Jets Hit ... Near Kirkuk BAGHDAD, Dec. 30 — ..."); relations
    read across that seam are wrong. Boundaries set here bind the parser.
    """
    starts = []
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_ or previous.text in DATELINE_DASHES and _after_dateline(previous):
            starts.append(token)
    for token in starts:
        token.is_sent_start = True
        following = token.nbor(1) if token.i + 1 < len(doc) else None
        if following is not None and not following.is_space and following.is_sent_start is None:
            following.is_sent_start = False  # else the parser may split "Kataib | Hezbollah claimed ..."
    return doc


DATELINE_DASHES = frozenset({"—", "–", "-", "--"})


def _after_dateline(dash: Token) -> bool:
    """'BAGHDAD, Jan. 3, 2020 —' or 'BAGHDAD (Reuters) -': a capitalised place, then a date or a
    credit in brackets, before the dash, at a line start. The dateline is its own segment, so the
    place never reads as the subject of the lead ('BAGHDAD (Reuters) - Kataib Hezbollah fired')."""
    start = dash.i
    while start > 0 and dash.i - start <= 8 and "\n" not in dash.doc[start - 1].text \
            and "\n" not in dash.doc[start - 1].whitespace_:
        start -= 1  # no further than a dateline can be long: a dash deep in a long paragraph costs 9 steps
    head = dash.doc[start: dash.i]
    if not 0 < len(head) <= 10 or not head[0].text[:1].isupper() or not head[0].is_alpha:
        return False
    credited = any(t.text == "(" for t in head) and head[-1].text == ")"
    dated = any(t.like_num for t in head)
    bare = len(head) <= 2 and all(t.is_alpha and t.text.isupper() and len(t) >= 3 for t in head)  # "WASHINGTON –"
    return (dated or credited or bare and dash.text != "-") and head[0].text.isupper()
