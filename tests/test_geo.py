"""Where bases and places stand: the dictionary's checked points, the gazetteer, GeoSPARQL, attacks by province."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF

from kg.actors import load_actors
from kg.config import DEFAULT_CONFIG
from kg.errors import KGError
from kg.geo import locate
from kg.geo.tables import load_tables
from kg.model import Attack, Entity, Graph
from kg.query import run, run_saved
from kg.rdf import graph_to_quads
from kg.stores import open_store
from kg.vocab import GEO, KG, entity_iri, fact_source_iri, geometry_iri, province_iri

ONTOLOGY = DEFAULT_CONFIG.ontology_dir


@pytest.fixture(scope="module")
def actors():
    return load_actors([DEFAULT_CONFIG.actors_path])


@pytest.fixture(scope="module")
def tables():
    return load_tables(ONTOLOGY)


def _graph(*entities: Entity, attacks=()) -> Graph:
    return Graph(entities={e.id: e for e in entities}, attacks=list(attacks))


# ------------------------------------------------------------------ the data


def test_every_dictionary_base_has_a_row_and_almost_every_one_a_checked_point(actors, tables):
    bases = [a for a in actors if a.type == "Base"]
    assert {a.id for a in bases} == set(tables.bases)
    placed = [tables.bases[a.id] for a in bases if tables.bases[a.id].lat is not None]
    assert len(placed) >= 70, f"{len(placed)} of {len(bases)} bases placed"
    states = {a.id for a in actors if a.type == "State"}
    for point in placed:
        assert point.lat == round(point.lat, 2) and point.lon == round(point.lon, 2), point
        assert point.checked and point.precision in ("site", "nearby", "town"), point
        if point.id != "diego-garcia":  # a British territory in the Indian Ocean: no province, no state here
            assert point.province in tables.provinces, point
            assert point.state in states, point
    for point in (p for p in tables.bases.values() if p.lat is None):
        assert point.checked == "" and point.province is None  # unplaced, not guessed


def test_provinces_carry_their_spellings(tables):
    anbar = tables.provinces["IQ.01"]
    assert anbar.name == "Anbar"
    assert {"Al Anbar", "al-Anbar", "Anbar province"} <= set(anbar.aliases)
    assert tables.countries["IQ"] == "iraq" and tables.countries["SY"] == "syria"


def test_a_bad_base_table_is_one_clear_error(tmp_path):
    (tmp_path / "bases.jsonl").write_text('{"id": "x", "lat": 33.1, "lon": 44.2}\n', encoding="utf-8")
    with pytest.raises(KGError, match=r"bases.jsonl:1: not a base point \(a point needs the source"):
        load_tables(tmp_path)
    (tmp_path / "bases.jsonl").write_text('{"id": "x", "lat": 133.1, "lon": 44.2, "checked": "s"}\n', encoding="utf-8")
    load_tables.cache_clear()
    with pytest.raises(KGError, match="within -90..90"):
        load_tables(tmp_path)


# ------------------------------------------------------------------ locating


def test_a_base_takes_the_dictionary_point_province_and_state(actors):
    g = _graph(Entity("ain-al-asad", "Ain al-Asad", "Base"), Entity("iraq", "Iraq", "State"))
    place = locate(g, actors)["ain-al-asad"]
    assert (place.lat, place.lon, place.precision) == (33.79, 42.44, "site")
    assert (place.province, place.province_name, place.state, place.source) == ("IQ.01", "Anbar", "iraq", "dictionary")
    assert "ORAA" in place.checked


def test_a_place_takes_the_gazetteer_town_by_any_spelling(actors):
    g = _graph(Entity("ramadi", "Ar Ramadi", "Location"), Entity("iraq", "Iraq", "State"),
               Entity("anah", "Anah", "Location"))  # not in the dictionary: the gazetteer alone
    places = locate(g, actors)
    assert places["ramadi"].province_name == "Anbar" and places["ramadi"].state == "iraq"
    assert places["ramadi"].source == "gazetteer" and "GeoNames" in places["ramadi"].checked
    assert abs(places["ramadi"].lat - 33.42) < 0.05 and abs(places["ramadi"].lon - 43.30) < 0.05
    assert places["anah"].province == "IQ.01"


@pytest.mark.parametrize("spelling", ["Anbar", "al-Anbar", "Al Anbar", "Anbar province"])
def test_a_province_by_any_spelling_is_the_governorate_not_a_town_of_that_name(actors, spelling):
    place = locate(_graph(Entity("anbar", spelling, "Location")), actors)["anbar"]
    assert place.province == "IQ.01" and place.lat is None  # not the town of Anbar in Turkey


def test_a_sea_sharing_a_governorates_name_is_not_placed(actors):
    assert locate(_graph(Entity("red-sea", "Red Sea", "Location")), actors) == {}


# ------------------------------------------------------------------ RDF and the saved query


def test_places_are_geosparql_points_marked_by_their_source(actors):
    g = _graph(Entity("ain-al-asad", "Ain al-Asad", "Base"), Entity("iraq", "Iraq", "State"),
               Entity("ramadi", "Ramadi", "Location"))
    g.places = locate(g, actors)
    quads = {(s, p, o) for s, p, o, _ in graph_to_quads(g)}
    base, geometry = entity_iri("ain-al-asad"), geometry_iri("ain-al-asad")
    assert (base, GEO.hasGeometry, geometry) in quads
    assert (geometry, GEO.asWKT, Literal("POINT(42.44 33.79)", datatype=GEO.wktLiteral)) in quads  # lon first
    assert (geometry, PROV.wasDerivedFrom, fact_source_iri("dictionary")) in quads
    assert (entity_iri("ramadi"), KG.placedBy, fact_source_iri("gazetteer")) in quads
    assert (base, KG.province, province_iri("IQ.01")) in quads and (base, KG.inState, entity_iri("iraq")) in quads
    assert (province_iri("IQ.01"), RDF.type, KG.Province) in quads
    assert not any(p == RDF.type and o == KG.Statement for _, p, o in quads)  # no sentence behind them
    store = open_store()
    store.load(graph_to_quads(g))
    rows = run(store, "SELECT ?wkt WHERE { ?b geo:hasGeometry/geo:asWKT ?wkt }").rows
    assert "POINT(42.44 33.79)" in {str(r["wkt"]) for r in rows} and len(rows) == 2


def test_attacks_by_province_counts_targets_and_places(actors):
    g = _graph(Entity("ain-al-asad", "Ain al-Asad", "Base"), Entity("iraq", "Iraq", "State"),
               Entity("ramadi", "Ramadi", "Location"), Entity("erbil", "Erbil", "Location"),
               Entity("kh", "Kataib Hezbollah", "Militia"),
               attacks=[Attack("a1", "ain-al-asad", attacker="kh", date="2020-01-08"),
                        Attack("a2", "ain-al-asad", date="2021-03-03", place="ramadi"),  # counted once, in Anbar
                        Attack("a3", None, place="ramadi", date="2019-12-01"),
                        Attack("a4", "erbil", date="2020-09-30")])
    g.places = locate(g, actors)
    store = open_store()
    store.load(graph_to_quads(g))
    rows = run_saved(store, "attacks-by-province").rows
    got = [(str(r["provinceName"]), str(r["stateName"]), int(r["attacks"]), str(r["first"]), str(r["last"])) for r in rows]
    assert got == [("Anbar", "Iraq", 3, "2019-12-01", "2021-03-03"), ("Erbil", "Iraq", 1, "2020-09-30", "2020-09-30")]


def test_the_example_build_answers_attacks_by_province(example_build):
    from kg.stores import open_build

    out, _ = example_build
    rows = run_saved(open_build(out), "attacks-by-province").rows
    names = [str(r["provinceName"]) for r in rows]
    assert "Baghdad" in names and "Anbar" in names
    assert all(int(r["attacks"]) >= 1 for r in rows)
    assert all(re.fullmatch(r"[A-Z][\w' -]+", n) for n in names)


def test_ontology_declares_the_geo_terms():
    text = (ONTOLOGY / "kg.ttl").read_text(encoding="utf-8")
    for term in ("kg:Province", "kg:province", "kg:inState", "kg:placedBy", "kg:precision", "kg:checkedAgainst"):
        assert re.search(rf"^{term} a owl:", text, flags=re.M), term
    assert json.loads((ONTOLOGY / "provinces.json").read_text(encoding="utf-8"))["provinces"]


def test_the_regional_gazetteer_is_kept_in_the_user_cache_and_read_back_the_same(tmp_path, monkeypatch):
    from kg.geo import gazetteer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    countries = frozenset({"IQ", "JO"})
    gazetteer._towns.cache_clear()
    built = gazetteer._towns(countries)
    [cached] = (tmp_path / "militia-kg" / "gazetteer").glob("towns-*.json")
    gazetteer._towns.cache_clear()
    with monkeypatch.context() as patched:
        patched.setattr(gazetteer, "_index", lambda countries: pytest.fail("read the package again"))
        assert gazetteer._towns(countries) == built  # read back from the cache, not the package
    cached.write_text("{not json", encoding="utf-8")
    gazetteer._towns.cache_clear()
    assert gazetteer._towns(countries) == built  # a broken cache is rebuilt, never an error
    gazetteer._towns.cache_clear()
