"""Place each base and place of a graph: the dictionary's checked point for a base, the gazetteer's town for a place."""

from __future__ import annotations

from pathlib import Path

from kg.actors import Actor, ActorDictionary, fold_without_article
from kg.config import ONTOLOGY_DIR
from kg.geo.gazetteer import find_town, version
from kg.geo.tables import GeoTables, Province, load_tables
from kg.model import Entity, Graph, Place

_AREA_WORDS = ("province", "governorate")


def locate(graph: Graph, actors: ActorDictionary, ontology_dir: Path = ONTOLOGY_DIR) -> dict[str, Place]:
    """A `Place` for every Base the dictionary places and every Location the gazetteer knows.

    Parameters
    ----------
    graph : kg.model.Graph
        A resolved graph; its State entities are what places link to.
    actors : kg.actors.ActorDictionary
        The dictionary the graph was resolved with.
    ontology_dir : pathlib.Path
        The folder of bases.jsonl and provinces.json.

    Returns
    -------
    dict
        Entity id -> Place. An entity nothing places is left out.

    Examples
    --------
    >>> from kg.actors import load_actors
    >>> from kg.model import Entity, Graph
    >>> actors = load_actors([ONTOLOGY_DIR / "actors.jsonl"])
    >>> g = Graph(entities={"ain-al-asad": Entity("ain-al-asad", "Ain al-Asad", "Base"),
    ...                     "iraq": Entity("iraq", "Iraq", "State")})
    >>> p = locate(g, actors)["ain-al-asad"]
    >>> p.lat, p.lon, p.province_name, p.state, p.source
    (33.79, 42.44, 'Anbar', 'iraq', 'dictionary')
    """
    tables = load_tables(Path(ontology_dir))
    states = _state_entities(graph, actors)
    provinces = _province_index(tables)
    places = {}
    for entity in graph.entities.values():
        if entity.type not in ("Base", "Location"):
            continue
        actor = actors.lookup(entity.name)
        if actor is not None and actor.type != entity.type:
            actor = None
        if entity.type == "Base":
            place = _base_place(entity, actor, tables, states)
        else:
            place = _gazetteer_place(entity, actor, tables, states, provinces)
        if place is not None:
            places[entity.id] = place
    return places


def _base_place(entity: Entity, actor: Actor | None, tables: GeoTables, states: dict[str, str]) -> Place | None:
    point = tables.bases.get(actor.id) if actor is not None else None
    if point is None or point.lat is None:
        return None
    province = tables.provinces.get(point.province or "")
    return Place(entity.id, "dictionary", point.checked, point.lat, point.lon, point.precision,
                 province.key if province else None, province.name if province else None,
                 province.aliases if province else (), states.get(point.state or ""))


def _gazetteer_place(entity: Entity, actor: Actor | None, tables: GeoTables, states: dict[str, str],
                     provinces: dict[str, list[Province]]) -> Place | None:
    names = list(dict.fromkeys([entity.name, *entity.aliases, *(actor.names if actor is not None else ())]))
    iso_of = {state: iso for iso, state in tables.countries.items()}
    country = next((iso_of[s] for s in (actor.located_in if actor else ()) if s in iso_of), None)
    # A name that is also a province's ("Kirkuk province") is the town only when the town stands in
    # that province: Anbar is the Iraqi governorate, not the town of that name in Turkey.
    is_area = any(w in n.lower() for n in names for w in _AREA_WORDS)
    province = next((p for n in names for p in provinces.get(fold_without_article(n), ())
                     if country in (None, p.key[:2])), None) if is_area else None
    region = frozenset(tables.countries)
    for name in names:
        town = find_town(name, region, country) if region else None
        if town is not None and province is not None and town.admin1 != province.key:
            break
        if town is not None:
            found = tables.provinces.get(town.admin1)
            return Place(entity.id, "gazetteer", f"{version()}: {town.name} (geonameid {town.geonameid})",
                         round(town.lat, 2), round(town.lon, 2), "town", found.key if found else None,
                         found.name if found else None, found.aliases if found else (),
                         states.get(tables.countries.get(town.country, "")))
    # No town of that name (or one elsewhere): the province, when one of its names says it is one,
    # so that a sea or region sharing a governorate's name ("Red Sea") is not taken for it.
    return _area(entity, province, tables, states) if province is not None else None


def _area(entity: Entity, province: Province, tables: GeoTables, states: dict[str, str]) -> Place:
    """A province itself: no point, its own province and its state."""
    return Place(entity.id, "gazetteer", f"GeoNames admin-1 {province.key}", province=province.key,
                 province_name=province.name, province_aliases=province.aliases,
                 state=states.get(tables.countries.get(province.key[:2], "")))


def _state_entities(graph: Graph, actors: ActorDictionary) -> dict[str, str]:
    """State actor id -> the graph's entity id for it."""
    out = {}
    for entity in graph.entities.values():
        if entity.type == "State":
            actor = actors.lookup(entity.name)
            out[actor.id if actor is not None else entity.id] = entity.id
    return out


def _province_index(tables: GeoTables) -> dict[str, list[Province]]:
    index: dict[str, list[Province]] = {}
    for province in tables.provinces.values():
        for name in {province.name, *province.aliases}:
            index.setdefault(fold_without_article(name), []).append(province)
    return index
