"""Every spaCy component militia-kg adds, registered in one place with its config."""

from __future__ import annotations

import re

from pathlib import Path

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Token

from kg.actors import is_acronym, load_actors, spelling_variants


@Language.factory(
    "kg_actor_ruler",
    assigns=["doc.ents", "token.ent_type", "token.ent_id"],
    default_config={"actor_files": []},
)
def make_actor_ruler(nlp: Language, name: str, actor_files: list[str]) -> EntityRuler:
    """An EntityRuler whose patterns are every name of every actor in the dictionary.

    Its labels are our entity types and its ids the actors' ids, so NER never
    re-types a known group as a PERSON.
    """
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="LOWER", overwrite_ents=True)
    actors = load_actors(Path(p) for p in actor_files)
    # A LOWER phrase pattern needs only the tokenizer. EntityRuler.add_patterns disables the pipes
    # after itself, but a ruler not yet placed in the pipeline disables only the last one, and
    # then runs tok2vec, tagger and parser over ~6,000 names: 4 s of every start-up.
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(list(actor_patterns(actors)))
    return ruler


def actor_patterns(actors):
    for actor in actors:
        for name in actor.names:
            for variant in spelling_variants(name):
                if is_acronym(variant):
                    # Acronyms match as written, token by token: "US" the state, never "us".
                    # "IRGC-QF" is three tokens to spaCy: IRGC, -, QF
                    pattern = [{"ORTH": part} for part in re.split(r"\s+|(-)", variant) if part]
                else:
                    pattern = variant
                yield {"label": actor.type, "pattern": pattern, "id": actor.id}


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
