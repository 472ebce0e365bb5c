"""A small resolved Graph, built by hand, that the store, query and endpoint tests share.

Kataib Hezbollah (aliases KH, Kata'ib Hizballah) is backed by Iran (two documents, one
hedged), attacked and claimed Ain al-Asad, and is condemned by the United States. Two
attack events hit Ain al-Asad. One militia has a hostile name: quotes, a backslash, a
newline, braces and a hash, as a scraped forum post might give.
"""

from __future__ import annotations

from kg.model import Attack, Document, Entity, Evidence, Graph, Relation

HOSTILE = 'Saraya "Awliya" al-Dam \\ } UNION { ?s ?p ?o } #\nx'
HOSTILE_ALIAS = "'; DROP } # \"al-Dam\""


def sample_graph() -> Graph:
    entities = {e.id: e for e in [
        Entity("kataib-hezbollah", "Kataib Hezbollah", "Militia", ["KH", "Kata'ib Hizballah"], qid="Q1209446"),
        Entity("iran", "Iran", "State", ["Islamic Republic of Iran"]),
        Entity("ain-al-asad", "Ain al-Asad", "Base", ["Al Asad Airbase"]),
        Entity("united-states", "United States", "State", ["US"]),
        Entity("hostile", HOSTILE, "Militia", [HOSTILE_ALIAS]),
    ]}
    documents = [
        Document("wire.jsonl#1", "wire.jsonl", "text one", title="Rockets hit Ain al-Asad", date="2021-07-07"),
        Document("wire.jsonl#2", "wire.jsonl", "text two", title="Group claims attack", date="2021-07-08"),
        Document("forum.html", "forum.html", "text three", title="", date="2021-08-02"),
    ]

    def ev(doc: str, sentence: str, date: str | None, hedged: bool = False) -> Evidence:
        return Evidence(doc, sentence, 0, len(sentence), date=date, rule="test", hedged=hedged)

    relations = [
        Relation("kataib-hezbollah", "backedBy", "iran", [
            ev("wire.jsonl#1", "Kataib Hezbollah, backed by Iran, fired rockets.", "2021-07-07"),
            ev("forum.html", "KH is believed to be funded by Tehran.", "2021-08-02", hedged=True),
        ]),
        Relation("kataib-hezbollah", "attacked", "ain-al-asad", [
            ev("wire.jsonl#1", "Kataib Hezbollah fired rockets at Ain al-Asad.", "2021-07-07"),
        ]),
        Relation("kataib-hezbollah", "claimed", "ain-al-asad", [
            ev("wire.jsonl#2", "Kataib Hezbollah claimed the attack on Ain al-Asad.", "2021-07-08"),
        ]),
        Relation("united-states", "condemned", "kataib-hezbollah", [
            ev("wire.jsonl#2", "The United States condemned Kataib Hezbollah.", "2021-07-08"),
        ]),
        Relation("hostile", "backedBy", "iran", [ev("forum.html", "al-Dam is backed by Iran.", None)]),
    ]
    attacks = [
        Attack("a1", "ain-al-asad", attacker="kataib-hezbollah", date="2021-07-07", weapon="rockets", count=14,
               killed=0, wounded=2, evidence=[ev("wire.jsonl#1", "Fourteen rockets hit Ain al-Asad.", "2021-07-07")]),
        Attack("a2", "ain-al-asad", claimed_by=["hostile"], date="2021-08-01", weapon="drone",
               evidence=[ev("forum.html", "A drone struck Ain al-Asad.", "2021-08-01")]),
    ]
    return Graph(entities=entities, relations=relations, attacks=attacks, documents=documents)
