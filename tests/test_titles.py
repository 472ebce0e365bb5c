"""A document's title is its headline, never the advert or banner above it."""

from __future__ import annotations

import pytest

from kg.ingest import document_from_text, read_file
from kg.titles import best_title, headline, is_title

FORUM_PAGE = """Guest views are now limited to 12 pages. If you get an error, just sign in!

Jump to content
  • WIN FREE CRYPTO NOW!

    Huge bonus on this exclusive opportunity - get in while you can!

Militia rockets hit the Camp Redwater base again - discussion

someuser42
 Share

Recommended Posts

Rockets fell on Camp Redwater for the second night in a row, the coalition said on Thursday, July 8, 2021.
"""


def test_a_forum_page_is_titled_by_its_thread_not_its_advert():
    doc = document_from_text(FORUM_PAGE, id="thread.txt")
    assert doc.title == "Militia rockets hit the Camp Redwater base again - discussion"


@pytest.mark.parametrize("first_lines, title", [
    ("EXAMPLE NEWS DESK\nStatements roundup: reactions to the strike on Erbil\n", "Statements roundup: reactions to the strike on Erbil"),
    ("PROFILE\n\nThe commander who never left the front\n\nUpdated 15 March 2024\n", "The commander who never left the front"),
    ("Breaking News\n\nDrone downed near Erbil airport\n", "Drone downed near Erbil airport"),
    ("Subscribe to our newsletter today\n\nDrone downed near Erbil airport\n", "Drone downed near Erbil airport"),
    ("July 8, 2021\n\nThree rockets fell on the base overnight.\n\nA Later Heading Is Not The Title\n", ""),
])
def test_kickers_mastheads_banners_and_dates_are_passed_over(first_lines, title):
    text = first_lines + "\nThe strike came after a week of attacks on the bases in the north, officials said on Monday.\n"
    assert document_from_text(text, id="t.txt").title == title


def test_html_title_skips_an_advert_heading_and_the_site_name(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Drone strike hits depot near Baghdad | Example Wire</title>"
                    '<meta property="og:title" content="CLICK HERE for a casino bonus!"></head>'
                    "<body><article><h1>Sponsored: buy now</h1><p>A drone struck a depot near Baghdad on "
                    "Tuesday, police said.</p></article></body></html>", encoding="utf-8")
    assert read_file(path)[0].title == "Drone strike hits depot near Baghdad"


def test_a_given_title_is_kept_as_it_is():
    assert document_from_text("Three rockets fell.", id="x", title="Wire: rockets").title == "Wire: rockets"


def test_title_rules():
    assert is_title("Iraqi paramilitary deputy blames U.S. for depot blasts")
    assert not is_title("Three rockets fell on the base overnight.")
    assert not is_title("yota691") and not is_title("Share on other sites,")
    assert best_title(["", "Get 50% off — shop now!", "Iran fires missiles at U.S. forces"]) == \
        "Iran fires missiles at U.S. forces"
    assert headline("") == ""
