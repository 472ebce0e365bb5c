"""`kg query`'s table: columns line up as a terminal shows them, whatever the script of the names."""

from __future__ import annotations

from rdflib import Literal, URIRef
from wcwidth import wcswidth

from kg.query import format_results


def columns_start(line: str, cells: list[str]) -> list[int]:
    """The display column where each cell of a table line starts."""
    starts, at = [], 0
    for cell in cells:
        at = line.index(cell, at)
        starts.append(wcswidth(line[:at]))
        at += len(cell)
    return starts


def test_columns_align_by_display_width():
    names = ["Kataib Hezbollah", "كَتائِب حِزب الله", "真主党旅", "Iran"]
    rows = [{"name": Literal(n), "group": URIRef(f"https://w3id.org/militia-kg/id/g{i}")} for i, n in enumerate(names)]
    lines = format_results(rows, "table").split("\n")
    assert lines[0].split() == ["name", "group"] and set(lines[1]) == {"-", " "}
    starts = {tuple(columns_start(line, [n, f"id:g{i}"])) for i, (n, line) in enumerate(zip(names, lines[2:]))}
    assert len(starts) == 1, lines  # every row's second column starts at the same screen column
    assert all(line == line.rstrip() for line in lines)


def test_an_empty_answer_is_its_header_and_rule():
    from kg.stores import Answer

    header, rule, *rest = format_results(Answer("select", ("a", "bb"), []), "table").split("\n")
    assert header.split() == ["a", "bb"] and rule.split() == ["-", "--"] and rest == []


def test_hostile_cells_cannot_draw_lines_or_move_the_cursor():
    rows = [{"a": Literal("\x01"), "b": Literal("x")}, {"a": Literal("red \x1b[31m"), "b": Literal("\x01")}]
    lines = format_results(rows, "table").split("\n")
    assert len(lines) == 4 and lines[2].split() == ["\ufffd", "x"]
    assert "\x1b" not in lines[3] and lines[3].split() == ["red", "\ufffd[31m", "\ufffd"]
