"""Documents -> DocumentExtraction: mentions, relations with evidence, attack events.

One spaCy pass per document; then each sentence goes through the relation
extractors in reading order, sharing a Discourse so later sentences can refer
back to earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from kg.actors import ActorDictionary, load_actors
from kg.config import DEFAULT_CONFIG, Config
from kg.errors import BadSource
from kg.extract.attacks import find_attacks
from kg.extract.bridging import DescribedBases
from kg.extract.backing import find_backing
from kg.extract.claims import find_claims
from kg.extract.condemnation import find_condemnations
from kg.extract.context import Sentence
from kg.extract.discourse import Discourse
from kg.extract.entities import add_surname_mentions, capitals_never_places, find_mentions
from kg.extract.events import EventCues, load_event_cues
from kg.extract.when import note_attack_days
from kg.extract.leadership import find_leadership
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.location import find_locations
from kg.extract.parallel import Outcome, chunked, read_in_processes
from kg.extract.tenure import read_tenure
from kg.forked import usable_cores
from kg.model import Document, DocumentExtraction


class Extractor:
    """Reads documents with the spaCy pipeline and the extractors. Build it once, reuse it."""

    def __init__(self, config: Config = DEFAULT_CONFIG, nlp: Language | None = None):
        from kg.nlp.pipeline import make_nlp  # spaCy loads only when extraction is asked for

        self.config = config
        self.nlp = nlp if nlp is not None else make_nlp(config)
        self.lexicon: Lexicon = load_lexicon(config.lexicon_path)
        self.actors: ActorDictionary = load_actors([config.actors_path, *config.extra_actor_files])
        self.cues: EventCues = load_event_cues(config.events_path)

    def extract(self, all_documents: Iterable[Document],
                on_error: Callable[[BadSource], None] | None = None) -> Iterator[DocumentExtraction]:
        """Each document's extraction, in order, read in one process per usable core where there is
        more than one core and one chunk of documents (kg.extract.parallel). A document the extractors
        fail on is reported through `on_error` and skipped (or raised as BadSource without it): one
        strange text never costs the rest of a build."""
        documents = []
        for document in all_documents:
            if len(document.text) > self.nlp.max_length:  # spaCy raises for the whole batch (E088)
                failure = BadSource(document.id, f"too long to read ({len(document.text):,} characters after "
                                                 f"cleaning; the limit is {self.nlp.max_length:,})")
                if on_error is None:
                    raise failure
                on_error(failure)
            else:
                documents.append(document)
        chunks = list(chunked(documents, self.config.chunk_words))
        processes = min(self.config.processes or usable_cores(), usable_cores(), len(chunks))
        if processes > 1:
            outcomes = read_in_processes(chunks, self._read_chunk, processes)
        else:
            outcomes = zip(documents, self._read_here(documents))
        for document, outcome in outcomes:
            if isinstance(outcome, DocumentExtraction):
                yield outcome
                continue
            # a bug of ours must not lose the other documents
            failure = BadSource(document.id, f"extraction failed ({type(outcome).__name__}: {outcome}); "
                                             "please report it")
            if on_error is None:
                raise failure from outcome
            on_error(failure)

    def _read_here(self, documents: Sequence[Document]) -> Iterator[Outcome]:
        """Parse and extract in this process, one document after another as spaCy yields them."""
        for document, doc in zip(documents, self.nlp.pipe((d.text for d in documents),
                                                          batch_size=self.config.batch_size)):
            yield self._attempt(doc, document)

    def _read_chunk(self, documents: Sequence[Document]) -> list[Outcome]:
        return list(self._read_here(documents))

    def _attempt(self, doc: Doc, document: Document) -> Outcome:
        try:
            return self._extract_one(doc, document)
        except Exception as error:  # noqa: BLE001  one strange text never costs the rest of a build
            return error

    def _extract_one(self, doc: Doc, document: Document) -> DocumentExtraction:
        return extract_document(doc, document, self.lexicon, self.actors, self.config.coreference_window, self.cues)


def extract_document(doc: Doc, document: Document, lexicon: Lexicon, actors: ActorDictionary,
                     window: int = 4, cues: EventCues | None = None) -> DocumentExtraction:
    found = find_mentions(doc, lexicon, actors)
    found = add_surname_mentions(doc, found, lexicon)
    result = DocumentExtraction(document)
    discourse = Discourse(named=frozenset(f.key for f in found if f.key), authors=statement_authors(doc, found, lexicon))
    pending_claims: list[int] = []
    described = DescribedBases(result.attacks, window)
    metonyms = capitals_never_places(found, lexicon)
    for sentence in document_sentences(doc, found, document, lexicon, actors, discourse, window):
        index, in_sentence = sentence.index, sentence.mentions
        result.mentions.extend(sentence.mention(f) for f in in_sentence if f.name not in metonyms)
        leaders, roles = read_tenure(sentence, list(find_leadership(sentence)))
        result.relations.extend(leaders)
        result.roles.extend(roles)
        result.relations.extend(find_backing(sentence))
        result.relations.extend(find_locations(sentence))
        attacked, events = find_attacks(sentence, cues)
        events = described.read(sentence, events)
        note_attack_days(sentence)
        result.relations.extend(attacked)
        result.attacks.extend(events)
        result.relations.extend(find_claims(sentence, pending_claims))
        result.relations.extend(find_condemnations(sentence))
        pending_claims[:] = [i for i in pending_claims if index - i < 2]  # a claim's group is named soon or never
        discourse.subjects.extend((index, f) for f in sentence.main_subjects())
        discourse.officials.extend((index, f) for f in in_sentence if f.type == "Official")
        discourse.actors.extend((index, f) for f in in_sentence if f.type != "Official")
    return result


def document_sentences(doc: Doc, found: list, document: Document, lexicon: Lexicon, actors: ActorDictionary,
                       discourse: Discourse, window: int = 4) -> list[Sentence]:
    """The doc's sentences as the extractors read them, each with the mentions of `found` inside it,
    all sharing `discourse`. Rule tests build them from a hand-made parse (tests/extract/parses.py)."""
    spans = list(doc.sents)
    return [Sentence(sent, index, in_sentence, document, lexicon, actors, discourse, window)
            for index, (sent, in_sentence) in enumerate(zip(spans, mentions_by_sentence(spans, found, len(doc))))]


def mentions_by_sentence(sentences: list, found: list, n_tokens: int) -> list[list]:
    """Each sentence's mentions (those wholly inside it), in `found`'s order: one pass over the
    tokens and one over the mentions, where testing every mention against every sentence grew
    with their product."""
    sentence_of = [0] * n_tokens
    for index, sent in enumerate(sentences):
        sentence_of[sent.start:sent.end] = [index] * (sent.end - sent.start)
    grouped: list[list] = [[] for _ in sentences]
    for f in found:
        if 0 <= f.start < n_tokens:
            index = sentence_of[f.start]
            if f.end <= sentences[index].end:
                grouped[index].append(f)
    return grouped


def statement_authors(doc: Doc, found: list, lexicon: Lexicon) -> tuple:
    """The states and organisations a statement's heading names ('Joint Statement by the Governments of
    X, Y and Z'): who its 'we' is. A document that does not open as a statement has none."""
    heading = next(iter(doc.sents), None)
    if heading is None or not any(t.lower_ in lexicon.statement_words for t in heading):
        return ()
    return tuple(f for f in found if heading.start <= f.start < heading.end and f.type in ("State", "Organization"))
