"""Find an entity by any of its names, spelled the way an analyst types it.

Self-contained on purpose: extraction resolves mentions with kg/resolve/aliases.py;
this module only answers "which node of the built graph does this name mean?".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kg.errors import NoSuchEntity

__all__ = ["NameIndex", "normalise_name"]

_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4]")
_WORD = re.compile(r"[^\W_]+")
_ARTICLES = frozenset({"al"})
_QID = re.compile(r"[Qq][1-9][0-9]*")

FUZZY_CUTOFF = 88.0  # a misspelling this close resolves on its own
SUGGEST_CUTOFF = 60.0  # ... and this close is offered as a suggestion


def normalise_name(text: str) -> str:
    """The form two spellings of one name share.

    Case, accents, apostrophes and hyphens are dropped, and so is the Arabic
    article "al" when it stands as its own word.

    Parameters
    ----------
    text : str
        A name as written or typed.

    Returns
    -------
    str
        Lower-case ASCII-ish words joined by single spaces.

    Examples
    --------
    >>> normalise_name("Kata'ib Hizballah")
    'kataib hizballah'
    >>> normalise_name("Ain al-Asad") == normalise_name("AIN ASAD")
    True
    >>> normalise_name("Ḥashd al-Shaʿbi")
    'hashd shabi'
    """
    bare = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    words = _WORD.findall(_APOSTROPHES.sub("", bare.casefold()))
    kept = [w for w in words if w not in _ARTICLES]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Match:
    """One candidate for a name: the node it names, the name that matched, and how well (0-100)."""

    node: str
    name: str
    score: float


class NameIndex:
    """Every name of every node, for exact and then fuzzy lookup.

    Parameters
    ----------
    names : iterable of (node, name, is_canonical)
        Each node's canonical name and its aliases.
    ids : iterable of str
        Node ids, which also resolve ("kataib-hezbollah").
    qids : iterable of (node, qid)
        Wikidata ids, which also resolve ("Q794").
    weight : dict
        Breaks ties between nodes that share a name: the heavier (better connected) wins.

    Examples
    --------
    >>> index = NameIndex([("kh", "Kataib Hezbollah", True), ("kh", "KH", False)])
    >>> index.lookup("kata'ib-hezbollah")
    'kh'
    >>> index.lookup("Kataeb Hezbollah")
    'kh'
    """

    def __init__(
        self,
        names: Iterable[tuple[str, str, bool]],
        ids: Iterable[str] = (),
        qids: Iterable[tuple[str, str]] = (),
        weight: dict[str, float] | None = None,
    ):
        self._weight = weight or {}
        self._ids = set(ids)
        self._qids: dict[str, list[str]] = {}
        for node, qid in qids:
            self._qids.setdefault(qid.upper(), []).append(node)
        self._canonical: dict[str, str] = {}
        self._exact: dict[str, list[str]] = {}  # the canonical name as written
        self._normal: dict[str, tuple[list[str], list[str]]] = {}  # form -> (canonical of, alias of)
        for node, name, canonical in names:
            self._ids.add(node)
            if canonical:
                self._canonical.setdefault(node, name)
                self._exact.setdefault(name, []).append(node)
            by_canonical, by_alias = self._normal.setdefault(normalise_name(name), ([], []))
            (by_canonical if canonical else by_alias).append(node)
        self._forms = list(self._normal)

    @classmethod
    def of_entities(
        cls, entities: Iterable[tuple[str, str, Iterable[str], str | None]], weight: dict[str, float] | None = None
    ) -> NameIndex:
        """An index of entities given as ``(id, name, aliases, qid)``: each resolves by its id, QID,
        name and aliases.

        >>> NameIndex.of_entities([("iran", "Iran", ["Islamic Republic of Iran"], "Q794")]).lookup("q794")
        'iran'
        """
        entities = list(entities)
        return cls(
            ((node, label, canonical) for node, name, aliases, _ in entities
             for label, canonical in [(name, True), *((a, False) for a in aliases)]),
            ids=(node for node, *_ in entities),
            qids=((node, qid) for node, _, _, qid in entities if qid),
            weight=weight,
        )

    def lookup(self, text: str, *, cutoff: float = FUZZY_CUTOFF) -> str:
        """The node `text` names.

        Tried in order: a node id, a Wikidata QID, a canonical name as written, a
        canonical name or alias after `normalise_name`, then a fuzzy match scoring at
        least `cutoff`. When several nodes tie, the best connected wins; two different
        nodes tying on a fuzzy match is an error.

        Raises
        ------
        NoSuchEntity
            When nothing matches well enough, with the closest names as suggestions.
        """
        text = text.strip()
        if text in self._ids:
            return text
        if _QID.fullmatch(text) and text.upper() in self._qids:
            return self._best(self._qids[text.upper()])
        if text in self._exact:
            return self._best(self._exact[text])
        form = normalise_name(text)
        if form in self._normal:
            by_canonical, by_alias = self._normal[form]
            return self._best(by_canonical or by_alias)
        matches = self.search(text, limit=5, cutoff=min(cutoff, SUGGEST_CUTOFF))
        good = [m for m in matches if m.score >= cutoff]
        if good and all(m.node == good[0].node or m.score < good[0].score for m in good[1:]):
            return good[0].node
        raise NoSuchEntity(text, list(dict.fromkeys(self.name(m.node) for m in matches))[:3])

    def search(self, text: str, *, limit: int = 5, cutoff: float = SUGGEST_CUTOFF) -> list[Match]:
        """The nodes whose names come closest to `text`, best first, one match per node."""
        form = normalise_name(text)
        hits = process.extract(form, self._forms, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        best: dict[str, Match] = {}
        for matched, score, _ in hits:
            by_canonical, by_alias = self._normal[matched]
            for node in by_canonical + by_alias:
                if node not in best or score > best[node].score:
                    best[node] = Match(node, matched, score)
        ranked = sorted(best.values(), key=lambda m: (-m.score, -self._weight.get(m.node, 0), m.node))
        return ranked[:limit]

    def name(self, node: str) -> str:
        return self._canonical.get(node, node)

    def _best(self, nodes: list[str]) -> str:
        return min(nodes, key=lambda n: (-self._weight.get(n, 0), n))
