"""Groups the dictionary does not know: a name, its short forms, its bracketed acronym and
'the X Brigade' are one node within and across documents; types gate every merge."""

from __future__ import annotations

from kg.model import Document
from kg.resolve.aliases import resolve
from kg.resolve.group_names import group_core, group_redirects, mergeable


def resolved(extractor, *texts: str):
    docs = [Document(f"g{i}.txt", f"g{i}.txt", text, date="2021-05-01") for i, text in enumerate(texts)]
    return resolve(list(extractor.extract(docs)), extractor.actors)


def test_a_new_group_its_acronym_and_its_brigade_form_are_one_node_across_documents(extractor):
    graph = resolved(extractor,
                     "A little-known group calling itself Liwa Thar al-Qadisiya (LTQ) claimed a rocket attack on "
                     "Ain al-Asad air base on Monday. The Thar al-Qadisiya Brigade said it would continue.",
                     "The Thar al-Qadisiya Brigade claimed a drone attack on Erbil airport on Tuesday. LTQ is "
                     "believed to be a front for Kataib Hezbollah.")
    groups = [e for e in graph.entities.values() if "Qadisiya" in e.name or e.name == "LTQ"]
    assert len(groups) == 1
    [group] = groups
    assert group.type == "Militia"
    assert {"LTQ", "Liwa Thar al-Qadisiya"} <= {group.name, *group.aliases}


def test_an_acronym_defined_in_brackets_joins_its_name_even_when_its_letters_differ(extractor):
    text = ("A new group calling itself Saraya Rijal al-Fajr (SRAF) claimed the rocket attack on Monday. "
            "SRAF said it acted alone.")
    [group] = [e for e in resolved(extractor, text).entities.values() if e.type in ("Militia", "Organization")]
    assert (group.name, group.aliases) == ("Saraya Rijal al-Fajr", ["SRAF"])


def test_designators_are_read_in_arabic_and_english():
    assert group_core("Liwa Thar al-Qadisiya") == group_core("the Thar al-Qadisiya Brigade") == ("thar qadisiya", "brigade")
    assert group_core("Thar al-Qadisiya") == ("thar qadisiya", None)


def test_a_militia_never_merges_with_a_location_of_the_same_name():
    assert not mergeable("Militia", "Location")
    assert group_redirects({"a": "Qadisiya", "b": "Qadisiya Brigade"}, {"a": "Location", "b": "Militia"}) == {}
    assert group_redirects({"a": "Qadisiya", "b": "Qadisiya Brigade"}, {"a": "Militia", "b": "Militia"}) == {"a": "b"}


def test_a_bare_name_two_units_share_stays_on_its_own():
    names = {"a": "Thar", "b": "Thar Brigade", "c": "Thar Battalion"}
    assert group_redirects(names, dict.fromkeys(names, "Militia")) == {}


def test_two_officials_sharing_a_surname_stay_apart(extractor):
    graph = resolved(extractor, "Col. Ali Rashidi, a spokesman for the Thar al-Qadisiya Brigade, spoke on Monday.",
                     "Maj. Gen. Ahmed Rashidi, the commander of Kataib Hezbollah, visited Basra.")
    assert {e.name for e in graph.entities.values() if e.type == "Official"} >= {"Ali Rashidi", "Ahmed Rashidi"}
