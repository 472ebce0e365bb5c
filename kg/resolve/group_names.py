"""Names of armed groups the dictionary does not know: which forms stand for one group.

    group_core(name)                      ('thar qadisiya', 'brigade') for 'Liwa Thar al-Qadisiya' and
                                          for 'the Thar al-Qadisiya Brigade'; (words, None) without a designator
    defined_acronyms(extraction)          (acronym, name) pairs a text defines: 'Liwa Thar al-Qadisiya (LTQ)'
    group_redirects(names, types)         which unknown group's forms join which

The designators and the types that may merge are data: ontology/group_names.json.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from kg.actors import fold_without_article, is_acronym
from kg.config import ONTOLOGY_DIR
from kg.model import DocumentExtraction, Mention

_BRACKETED = re.compile(r"\s*\(([A-Z][A-Za-z0-9.&-]{1,9})\)")

__all__ = ["defined_acronyms", "group_core", "group_redirects", "mergeable"]


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, str], frozenset[str]]:
    data = json.loads((ONTOLOGY_DIR / "group_names.json").read_text(encoding="utf-8"))
    return dict(data["designators"]), frozenset(data["mergeable_types"])


def mergeable(a: str, b: str) -> bool:
    """Whether forms typed `a` and `b` may be one group: a Militia and an Organization may, a Militia
    and a Location may not."""
    return a == b or (a in _data()[1] and b in _data()[1])


def group_core(name: str) -> tuple[str, str | None]:
    """A group's name without its designator, and the designator it had (its first or last word).

    >>> group_core("Liwa Thar al-Qadisiya"), group_core("the Thar al-Qadisiya Brigade")
    (('thar qadisiya', 'brigade'), ('thar qadisiya', 'brigade'))
    >>> group_core("Thar al-Qadisiya")
    ('thar qadisiya', None)
    """
    designators = _data()[0]
    words = fold_without_article(name).split()
    if len(words) > 1 and words[0] in designators:
        return " ".join(words[1:]), designators[words[0]]
    if len(words) > 1 and words[-1] in designators:
        return " ".join(words[:-1]), designators[words[-1]]
    return " ".join(words), None


def defined_acronyms(extraction: DocumentExtraction) -> Iterator[tuple[Mention, Mention]]:
    """An acronym in brackets right after a name defines it: 'Liwa Thar al-Qadisiya (LTQ)'. Yields
    (a mention of the acronym anywhere in the document, the name), whether or not NER found the
    bracketed one."""
    text = extraction.document.text
    by_text: dict[str, Mention] = {}
    for mention in extraction.mentions:
        by_text.setdefault(mention.text, mention)
    for name in extraction.mentions:
        match = _BRACKETED.match(text, name.end)
        acronym = by_text.get(match.group(1)) if match else None
        if acronym is not None and is_acronym(acronym.text) and not is_acronym(name.text) \
                and mergeable(name.type, acronym.type):
            yield acronym, name


def group_redirects(names: dict[str, str], types: dict[str, str]) -> dict[str, str]:
    """Cluster key -> the key of the group it is a form of, for unknown groups (`names`: key -> name).

    Forms with one core and one designator are one group, and a form with no designator joins
    them; a bare form that two designators share ('Thar' of 'Thar Brigade' and 'Thar Battalion')
    stays on its own. The group is the form with the longest name."""
    by_core: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, name in names.items():
        if types[key] in _data()[1]:
            core, designator = group_core(name)
            if core:
                by_core[core][designator].append(key)
    redirect = {}
    for forms in by_core.values():
        named = [d for d in forms if d is not None]
        if len(named) != 1 or len(forms[named[0]]) + len(forms.get(None, [])) < 2:
            continue
        keys = forms[named[0]] + forms.get(None, [])
        target = max(forms[named[0]], key=lambda k: (len(names[k]), names[k]))
        redirect.update({k: target for k in keys if k != target})
    return redirect
