"""A small hand-built graph for the path tests, written into a build folder as `kg build` would."""

from __future__ import annotations

from pathlib import Path

from kg.model import Attack, Document, Entity, Evidence, Graph, Relation
from kg.rdf import graph_to_quads
from kg.stores import open_store

DOCS = [
    Document("ap-2021-07-07", "ap", "(text)", title="Rockets hit Ain al-Asad", date="2021-07-07"),
    Document("reuters-2021-07-08", "reuters", "(text)", title="Iran-backed group blamed", date="2021-07-08"),
    Document("ina-2021-07-09", "ina", "(text)", title="Spokesman condemns attack", date="2021-07-09"),
    Document("forum-2021-07-10", "forum", "(text)", title="Brigade statement", date="2021-07-10"),
    Document("wire-2020-01-05", "wire", "(text)", title="US accuses Iran", date="2020-01-05"),
]


def sample_graph() -> Graph:
    entities = [
        Entity("kataib-hezbollah", "Kataib Hezbollah", "Militia", aliases=["KH", "Kata'ib Hizballah"], mentions=6),
        Entity("iran", "Iran", "State", qid="Q794", mentions=4),
        Entity("iraq", "Iraq", "State", qid="Q796", mentions=2),
        Entity("ain-al-asad", "Ain al-Asad", "Base", aliases=["Al Asad Airbase"], mentions=3),
        Entity("al-muhandis-revenge-brigade", "Al-Muhandis Revenge Brigade", "Militia", mentions=1),
        Entity("yahya-rasool", "Yahya Rasool", "Official", mentions=1),
        Entity("saraya-awliya-al-dam", "Saraya Awliya al-Dam", "Militia", mentions=1),
    ]
    relations = [
        Relation("kataib-hezbollah", "backedBy", "iran", [
            Evidence("wire-2020-01-05", "US officials accused Iran of arming Kataib Hezbollah.", 0, 52,
                     date="2020-01-05", rule="backing.accused", confidence=0.7, hedged=True),
            Evidence("reuters-2021-07-08", "Kataib Hezbollah, which is backed by Iran, denied involvement.", 0, 61,
                     date="2021-07-08", rule="backing.appositive", confidence=0.9),
        ]),
        Relation("kataib-hezbollah", "attacked", "ain-al-asad", [
            Evidence("ap-2021-07-07", "Kataib Hezbollah fired 14 rockets at Ain al-Asad on Wednesday.", 120, 183,
                     date="2021-07-07", rule="attack.fired_at"),
        ]),
        Relation("yahya-rasool", "condemned", "kataib-hezbollah", [
            Evidence("ina-2021-07-09", "Yahya Rasool condemned Kataib Hezbollah for the rocket fire.", 0, 60,
                     date="2021-07-09", rule="condemnation.verb"),
        ]),
        Relation("ain-al-asad", "locatedIn", "iraq", [
            Evidence("ap-2021-07-07", "Ain al-Asad, a base in western Iraq, hosts US troops.", 200, 252,
                     date="2021-07-07", rule="location.appositive"),
        ]),
    ]
    attacks = [
        Attack("a1", target="ain-al-asad", attacker="kataib-hezbollah", date="2021-07-07", weapon="rockets",
               evidence=[relations[1].evidence[0]]),
        Attack("a2", target="ain-al-asad", claimed_by=["al-muhandis-revenge-brigade"], date="2021-07-10",
               weapon="drone", evidence=[Evidence("forum-2021-07-10", "We struck Ain al-Asad.", 0, 22)]),
    ]
    return Graph(entities={e.id: e for e in entities}, relations=relations, attacks=attacks, documents=DOCS)


def write_build(folder: Path, graph: Graph | None = None) -> Path:
    """`folder` with a store holding `graph` (the sample by default), as a build leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(folder / "store")
    store.load(graph_to_quads(graph or sample_graph()))
    store.flush()
    del store  # release RocksDB's lock so the folder can be opened read-only
    return folder
