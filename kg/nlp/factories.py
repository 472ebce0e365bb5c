"""Every spaCy component militia-kg adds, registered in one place with its config."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.pipeline import EntityRuler

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
    ruler.add_patterns(list(actor_patterns(actors)))
    return ruler


def actor_patterns(actors):
    for actor in actors:
        for name in actor.names:
            for variant in spelling_variants(name):
                if is_acronym(variant):
                    # Acronyms match as written, token by token: "US" the state, never "us".
                    pattern = [{"ORTH": part} for part in variant.split()]
                else:
                    pattern = variant
                yield {"label": actor.type, "pattern": pattern, "id": actor.id}
