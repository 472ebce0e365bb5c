"""A synthetic militia-kg build of about N triples, in the real shape (kg.model -> kg.rdf.graph_to_quads).

Used by benchmarks/sparql.py and benchmarks/serve.py. Per news document there are
a few relation statements (each a direct triple and a kg:Statement node beside it
in the document's named graph) and, now and then, an attack event; about 52
triples per document in all. Who appears is drawn from a power law, so a few
militias, states and bases are hubs, as they are in real news. Entity 0 is
"Kataib Hezbollah" (aliases "KH", "Kata'ib Hizballah"), the one the `entity`
saved query asks about.
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import accumulate

from kg.model import Attack, Document, Entity, Evidence, Graph, Relation

TRIPLES_PER_DOCUMENT = 52
TYPE_SHARE = {"Militia": 0.15, "Official": 0.30, "Base": 0.10, "State": 0.02, "Organization": 0.15, "Location": 0.28}
# (predicate, subject types, object types, share of statements)
RELATION_SHAPES = [
    ("backedBy", ("Militia",), ("State", "Organization"), 0.15),
    ("attacked", ("Militia", "State"), ("Base", "State", "Militia"), 0.30),
    ("claimed", ("Militia",), ("Base",), 0.12),
    ("condemned", ("Official", "State", "Organization"), ("Militia", "State"), 0.23),
    ("leaderOf", ("Official",), ("Militia", "Organization", "State"), 0.10),
    ("locatedIn", ("Base",), ("Location", "State"), 0.10),
]
WEAPONS = ("rockets", "drone", "IED", "mortar", "ballistic missile", None)
SYLLABLES = ("ka", "ta", "ib", "hez", "bol", "lah", "nu", "ja", "ba", "sa", "rai", "ya", "qa", "dir", "mun", "sur")
FAMOUS = {"Militia": "Kataib Hezbollah", "State": "Iran", "Base": "Ain al-Asad", "Official": "Abu Fadak"}


def synthetic_graph(triples: int, *, seed: int = 7) -> Graph:
    """A Graph whose quads number about `triples`; the same seed gives the same graph."""
    rng = random.Random(seed)
    n_docs = max(10, triples // TRIPLES_PER_DOCUMENT)
    n_entities = max(60, n_docs // 4)
    entities, by_type = _entities(rng, n_entities)
    cumulative = {kind: list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(ids))))
                  for kind, ids in by_type.items()}

    def pick(types: tuple[str, ...]) -> str:
        kind = rng.choice(types)
        return rng.choices(by_type[kind], cum_weights=cumulative[kind])[0]

    documents = []
    relations: dict[tuple[str, str, str], Relation] = {}
    attacks = []
    shapes = [s[:3] for s in RELATION_SHAPES]
    shares = [s[3] for s in RELATION_SHAPES]
    for k in range(n_docs):
        day = rng.randrange(3650)
        date = f"{2015 + day // 365}-{1 + day % 365 // 31:02d}-{1 + day % 28:02d}"
        doc = Document(id=f"wire-{k // 100}.jsonl#story-{k}", source=f"wire-{k // 100}.jsonl", text="",
                       title=f"Report {k}", date=date, url=f"https://news.example/{k}")
        documents.append(doc)
        for n in range(rng.choice((2, 3, 3, 4))):
            predicate, subject_types, object_types = rng.choices(shapes, weights=shares)[0]
            s, o = pick(subject_types), pick(object_types)
            if s == o:
                continue
            sentence = f"{entities[s].name} {predicate} {entities[o].name}, officials said on {date}."
            evidence = Evidence(doc.id, sentence, n * 100, n * 100 + len(sentence), date=date,
                                rule=f"synthetic.{predicate}", confidence=rng.choice((1.0, 0.9, 0.75)),
                                hedged=rng.random() < 0.2)
            relations.setdefault((s, predicate, o), Relation(s, predicate, o)).evidence.append(evidence)
        if rng.random() < 0.45:
            attacks.append(_attack(rng, len(attacks), doc, pick))
    return Graph(entities=entities, relations=list(relations.values()), attacks=attacks, documents=documents)


def _entities(rng: random.Random, n: int) -> tuple[dict[str, Entity], dict[str, list[str]]]:
    entities: dict[str, Entity] = {}
    by_type: dict[str, list[str]] = defaultdict(list)
    kinds = rng.choices(list(TYPE_SHARE), weights=list(TYPE_SHARE.values()), k=n)
    kinds[:4] = ["Militia", "State", "Base", "Official"]  # the famous ones come first, as hubs
    for i, kind in enumerate(kinds):
        name = FAMOUS.get(kind) if i < 4 else None
        name = name or f"{''.join(rng.choices(SYLLABLES, k=3)).title()} {kind} {i}"
        aliases = ["KH", "Kata'ib Hizballah"] if name == "Kataib Hezbollah" else \
            [f"{kind[:3].upper()}-{i}"] if rng.random() < 0.4 else []
        eid = f"{kind.lower()}-{i}"
        entities[eid] = Entity(eid, name, kind, aliases, qid=f"Q{10_000 + i}" if rng.random() < 0.3 else None,
                               mentions=rng.randint(1, 500))
        by_type[kind].append(eid)
    return entities, by_type


def _attack(rng: random.Random, k: int, doc: Document, pick) -> Attack:
    target = pick(("Base", "Base", "Base", "State", "Militia"))
    attacker = pick(("Militia",)) if rng.random() < 0.6 else None
    claimed = [pick(("Militia",))] if rng.random() < 0.3 else []
    sentence = f"An attack hit {target} on {doc.date}."
    return Attack(id=f"a{k}", target=target, attacker=attacker, claimed_by=claimed, date=doc.date,
                  weapon=rng.choice(WEAPONS), count=rng.choice((None, 1, 3, 6)), killed=rng.choice((None, 0, 2)),
                  wounded=rng.choice((None, 0, 1, 5)), place=None,
                  evidence=[Evidence(doc.id, sentence, 0, len(sentence), date=doc.date, rule="synthetic.attack")])


# Text reports, for benchmarks that read text (benchmarks/build.py): news-like sentences of the
# shapes the extractors read (attacks, claims, backing, leadership, condemnation, places), with
# known groups and invented ones, so resolution meets both dictionary names and new names.
REPORT_GROUPS = ("Kataib Hezbollah", "Asaib Ahl al-Haq", "Harakat Hezbollah al-Nujaba", "Kataib Sayyid al-Shuhada",
                 "Saraya Awliya al-Dam", "the Popular Mobilization Forces")
REPORT_BASES = ("Ain al-Asad air base", "Erbil airport", "Camp Victory", "the Green Zone", "Balad air base",
                "Camp Taji", "al-Tanf garrison")
REPORT_PLACES = ("Baghdad", "Erbil", "Anbar", "Kirkuk", "Deir ez-Zor", "Basra", "Mosul")
REPORT_PEOPLE = ("Abu Fadak al-Mohammadawi", "Qais al-Khazali", "Akram al-Kaabi", "Mustafa al-Kadhimi")
REPORT_SENTENCES = (
    "{n} rockets struck {base} near {place} on {day}, officials said.",
    "{group}, an Iran-backed militia, claimed responsibility for the attack on {base}.",
    "A drone hit a convoy outside {place} and wounded {k} soldiers, the coalition said.",
    "{person}, the leader of {new}, denied any role in the strike.",
    "The United States condemned the attack and blamed {group}.",
    "{new}, a little-known group backed by Iran, said it fired the {weapon}.",
    "Security sources in {place} said {k} people were killed when a mortar round landed near {base}.",
    "Iraqi Prime Minister Mustafa al-Kadhimi ordered an investigation into the attacks on {base}.",
    "Analysts said {new} is a front for {group}, which has carried out similar strikes since {year}.",
    "No group claimed the attack, but officials in {place} suspected {group}.",
)


def synthetic_report(k: int, *, seed: int = 7) -> str:
    """The text of generated report number `k` (about 150 words); the same k and seed give the same text."""
    rng = random.Random(seed * 1_000_003 + k)
    new_groups = [f"{''.join(rng.choices(SYLLABLES, k=3)).title()} Brigades" for _ in range(2)]
    day = rng.randrange(3650)
    lines = [f"Report {k}: attacks near {rng.choice(REPORT_PLACES)}", ""]
    for _ in range(rng.randint(8, 12)):
        lines.append(rng.choice(REPORT_SENTENCES).format(
            n=rng.choice(("Two", "Three", "Several", "Six")), base=rng.choice(REPORT_BASES),
            place=rng.choice(REPORT_PLACES), day=f"{2015 + day // 365}-{1 + day % 365 // 31:02d}-{1 + day % 28:02d}",
            group=rng.choice(REPORT_GROUPS), k=rng.randint(1, 9), person=rng.choice(REPORT_PEOPLE),
            new=rng.choice(new_groups), weapon=rng.choice(("rockets", "drone", "mortar rounds")),
            year=rng.randrange(2014, 2024)))
    return "\n".join(lines) + "\n"
