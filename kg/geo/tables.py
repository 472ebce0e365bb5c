"""The geographic tables of the ontology folder: base points (bases.jsonl) and provinces (provinces.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import KGError

BASES_FILE = "bases.jsonl"
PROVINCES_FILE = "provinces.json"


@dataclass(frozen=True)
class BasePoint:
    id: str
    lat: float | None
    lon: float | None
    precision: str
    checked: str
    province: str | None
    state: str | None  # the State's actor id


@dataclass(frozen=True)
class Province:
    key: str  # GeoNames admin-1 key, "IQ.01"
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class GeoTables:
    bases: dict[str, BasePoint]
    provinces: dict[str, Province]
    countries: dict[str, str]  # ISO 3166-1 alpha-2 -> State actor id


@lru_cache(maxsize=8)
def load_tables(ontology_dir: Path) -> GeoTables:
    """The tables in `ontology_dir`; a folder without them places nothing."""
    bases: dict[str, BasePoint] = {}
    path = ontology_dir / BASES_FILE
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                bases.update(_base(path, number, line))
    provinces: dict[str, Province] = {}
    countries: dict[str, str] = {}
    path = ontology_dir / PROVINCES_FILE
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            countries = dict(data["countries"])
            provinces = {k: Province(k, v["name"], tuple(v.get("aliases", ()))) for k, v in data["provinces"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise KGError(f"{path}: not a provinces table ({error})") from None
    return GeoTables(bases, provinces, countries)


def _base(path: Path, number: int, line: str) -> dict[str, BasePoint]:
    try:
        d = json.loads(line)
        lat, lon = d.get("lat"), d.get("lon")
        if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
            raise ValueError("latitude and longitude go together, within -90..90 and -180..180")
        if lat is not None and not d.get("checked"):
            raise ValueError("a point needs the source it was checked against")
        point = BasePoint(d["id"], lat, lon, d.get("precision", ""), d.get("checked") or "",
                          d.get("province"), d.get("state"))
    except (ValueError, KeyError, TypeError) as error:
        raise KGError(f"{path}:{number}: not a base point ({error})") from None
    return {point.id: point}
