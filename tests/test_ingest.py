"""kg.ingest: files and folders in, clean Documents out; bad files reported, never a traceback."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import BadSource
from kg.ingest import clean_text, document_from_text, find_date, iter_documents, read_file

# A forum page as a scraper saves it. Every name and event here is made up.
FORUM_PAGE = """\
Guest views are now limited to 5 pages. If you see an "Error" message, just sign in!
Sign In  |  Register
Example Security Board > Iraq & Syria > Current Events

Jump to content
  • SPECIAL OFFER!

Drones hit Camp Redwater - report

Recommended Posts

marshwren
 Share
Members
  1,204 posts

Drones hit Camp Redwater - report

March 3, 2022
04:10 PM
212

By JANE Q. WRITER
Two drones struck a fuel depot at Camp Redwater on Wednesday, officials said.
Guards inspect the gate at Camp Redwater (photo credit: JOHN ROE/EXAMPLE WIRE)
The Lakeside Brigades claimed the strike in a statement.
Advertisement
Workers cleared the wreckage by evening.

  • Thanks 2
  • Upvote 1
  • Pow! 1
Link to comment
Share on other sites

Lakeside Brigades drone video
12,345 views Mar 3, 2022
UPDATED 9:15 AM ET – Friday, March 4, 2022
Published in: Mar 03, 2022: 10:00 AM GST Last updated: Mar 03, 2022: 11:00 AM GST
A fighter loads a drone. (Photo by Sam Poe / Example Wire) (Photo by SAM POE/EXAMPLE WIRE via Getty Images)
Smoke rises over the depot - Copyright Example Wire 2022

3 hours ago, marshwren said:

Two drones struck a fuel depot at Camp Redwater on Wednesday, officials said.

The Lakeside Brigades claimed the strike

I doubt that claim. :rolleyes:

  • Sad 1
Link to comment
Share on other sites

Create an account or sign in to comment
Home  |  Forums  |  Privacy Policy
Powered by a forum engine
"""


# ---------------------------------------------------------------- readers


def test_txt_file_becomes_one_document(tmp_path):
    path = tmp_path / "report-1.txt"
    path.write_text("Rockets hit Camp Redwater\n\nJuly 8, 2021\n\nThree rockets hit the camp on Thursday.\n")

    [doc] = read_file(path)

    assert doc.id == "report-1.txt"
    assert doc.source == str(path)
    assert doc.title == "Rockets hit Camp Redwater"
    assert doc.date == "2021-07-08"
    assert doc.text == "Rockets hit Camp Redwater\n\nJuly 8, 2021\n\nThree rockets hit the camp on Thursday."


def test_txt_title_is_empty_when_the_first_line_is_a_sentence(tmp_path):
    path = tmp_path / "lede.txt"
    path.write_text("Three rockets hit the camp on Thursday.\nNobody was hurt.\n")

    assert read_file(path)[0].title == ""


def test_markdown_loses_its_markup_and_keeps_sentences_whole(tmp_path):
    path = tmp_path / "brief.md"
    path.write_text(
        "---\ndate: 2022-03-03\nurl: https://example.org/brief\n---\n"
        "# Drones hit *Camp Redwater*\n\n"
        "The [Lakeside Brigades](https://example.org/lb) **claimed** the strike\n"
        "in a statement on `Telegram`.\n\n"
        "- Two drones were used.\n"
        "- Nobody was hurt.\n\n"
        "![a drone](drone.jpg)\n"
    )

    [doc] = read_file(path)

    assert doc.title == "Drones hit Camp Redwater"
    assert doc.date == "2022-03-03"
    assert doc.url == "https://example.org/brief"
    assert doc.text == (
        "Drones hit Camp Redwater\n\n"
        "The Lakeside Brigades claimed the strike in a statement on Telegram.\n\n"
        "Two drones were used.\n\n"
        "Nobody was hurt."
    )


def test_html_reads_the_article_without_page_chrome(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(
        """<!doctype html><html><head>
        <title>Drones hit Camp Redwater | Example News</title>
        <meta property="og:title" content="Drones hit Camp Redwater">
        <meta property="article:published_time" content="2022-03-03T16:10:00+03:00">
        <style>p { color: red }</style><script>var tracking = 1;</script>
        </head><body>
        <header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
        <aside>Most read: something else entirely</aside>
        <article>
          <h1>Drones hit Camp Redwater</h1>
          <p>Two drones struck a fuel depot
             at Camp Redwater on Wednesday.</p>
          <figure><img src="d.jpg"><figcaption>Smoke over the depot. (Example Wire)</figcaption></figure>
          <div>The Lakeside Brigades <b>claimed</b> the strike.<br>Nobody was hurt.</div>
          <span class="photo-credit">JOHN ROE/EXAMPLE WIRE</span>
        </article>
        <footer>Copyright Example News 2022</footer>
        </body></html>"""
    )

    [doc] = read_file(path)

    assert doc.title == "Drones hit Camp Redwater"
    assert doc.date == "2022-03-03"
    assert doc.text == (
        "Drones hit Camp Redwater\n\n"
        "Two drones struck a fuel depot at Camp Redwater on Wednesday.\n\n"
        "The Lakeside Brigades claimed the strike.\n\n"
        "Nobody was hurt."
    )


@pytest.mark.parametrize(
    "head, body",
    [
        ("", '<time datetime="2022-03-03T10:00">Thursday</time>'),
        ('<script type="application/ld+json">{"@graph": [{"datePublished": "2022-03-03"}]}</script>', ""),
        ('<meta name="pubdate" content="March 3, 2022">', ""),
    ],
)
def test_html_date_comes_from_page_metadata(tmp_path, head, body):
    path = tmp_path / "story.htm"
    path.write_text(f"<html><head>{head}</head><body>{body}<p>Two drones struck a depot.</p></body></html>")

    assert read_file(path)[0].date == "2022-03-03"


def test_html_title_falls_back_to_the_headline_not_the_site_name(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(
        "<html><head><title>Drones hit Camp Redwater | Example News</title></head>"
        "<body><header><h1>Example News</h1></header><main><h1>Drones hit Camp Redwater</h1>"
        "<p>Two drones struck a depot.</p></main></body></html>"
    )

    assert read_file(path)[0].title == "Drones hit Camp Redwater"


def test_jsonl_gives_one_document_per_line(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        {"id": "a1", "title": "Strike on depot", "url": "https://example.org/a1", "date": "2022-03-03T09:00:00Z",
         "source": "Example Wire", "text": "Two drones struck a depot."},
        {"text": "Nobody was hurt.\n\nAdvertisement"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")

    first, second = read_file(path)

    assert (first.id, first.title, first.url, first.date, first.source, first.text) == (
        "wire.jsonl#a1", "Strike on depot", "https://example.org/a1", "2022-03-03", "Example Wire",
        "Two drones struck a depot.",
    )  # fmt: skip
    assert (second.id, second.source, second.text) == ("wire.jsonl#2", str(path), "Nobody was hurt.")


def test_folder_is_walked_sorted_skipping_hidden_and_readme_and_naming_unknown_files(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "b").mkdir(parents=True)
    (corpus / ".cache").mkdir()
    (corpus / "report-1.txt").write_text("First report text.")
    (corpus / "b" / "report-2.md").write_text("Second report text.")
    (corpus / "a.txt").write_text("Third report text.")
    (corpus / "README.md").write_text("# About this corpus")
    (corpus / ".hidden.txt").write_text("Hidden text.")
    (corpus / ".cache" / "old.txt").write_text("Cached text.")
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n")
    (corpus / "notes").write_text("No extension.")
    errors = []

    docs = list(iter_documents([corpus], on_error=errors.append))

    assert [d.id for d in docs] == ["corpus/a.txt", "corpus/b/report-2.md", "corpus/report-1.txt"]
    assert docs[0].source == str(corpus / "a.txt")
    assert [(e.source, e.problem.split(";")[0]) for e in errors] == [
        (str(corpus / "notes"), "unknown file type (no extension)"),
        (str(corpus / "photo.png"), "unknown file type '.png'")]


def test_ids_stay_unique_and_each_file_is_read_once(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"Text from folder {folder}.")

    docs = list(iter_documents([tmp_path / "x" / "same.txt", tmp_path / "y" / "same.txt", tmp_path / "x"]))

    assert [d.id for d in docs] == ["same.txt", "same.txt~2"]
    assert [d.text for d in docs] == ["Text from folder x.", "Text from folder y."]


# ---------------------------------------------------------------- cleaning


def test_clean_text_drops_forum_furniture():
    text = clean_text(FORUM_PAGE)

    for furniture in ("Guest views", "Jump to content", "Recommended Posts", "Share", "04:10", "212",
                      "JANE Q. WRITER", "photo credit", "Advertisement", "Thanks", "Upvote", "Pow!",
                      "Link to comment", "12,345 views", "UPDATED", "Published in", "Getty", "Copyright",
                      "said:", ":rolleyes:", "Sad 1", "Sign In", "Board >", "Members", "posts",
                      "Privacy", "Powered"):  # fmt: skip
        assert furniture not in text
    assert text == (
        "SPECIAL OFFER!\n\n"  # a site's own banner is not recognisable as furniture
        "Drones hit Camp Redwater - report\n\n"
        "marshwren\n\n"
        "March 3, 2022\n\n"
        "Two drones struck a fuel depot at Camp Redwater on Wednesday, officials said.\n\n"
        "Guards inspect the gate at Camp Redwater\n\n"
        "The Lakeside Brigades claimed the strike in a statement.\n\n"
        "Workers cleared the wreckage by evening.\n\n"
        "Lakeside Brigades drone video\n\n"
        "A fighter loads a drone.\n\n"  # a caption's own sentence is text; only its credits go
        "Smoke rises over the depot\n\n"
        "I doubt that claim."
    )


def test_quoted_sentence_is_kept_once_and_the_reply_stays():
    thread = (
        "The Lakeside Brigades claimed the strike on Camp Redwater in a statement.\n"
        "  • Thanks 1\n"
        "Link to comment\n\n"
        "On 3/3/2022 at 4:12 PM, marshwren said:\n\n"
        "The Lakeside Brigades claimed the strike on Camp Redwater\n\n"
        "They claim everything.\n"
    )

    text = clean_text(thread)

    assert text.count("claimed the strike") == 1
    assert text == (
        "The Lakeside Brigades claimed the strike on Camp Redwater in a statement.\n\n"
        "They claim everything."
    )


def test_quoted_text_not_seen_before_is_kept():
    thread = "18 minutes ago, marshwren said:\n\nThe depot burned all night.\n\nSo it did.\n"

    assert clean_text(thread) == "The depot burned all night.\n\nSo it did."


def test_a_paragraph_repeated_later_is_dropped():
    page = "Map of Camp Redwater (Example Wire)\n\nTwo drones hit it.\n\nMap of Camp Redwater. (Example Wire)"

    assert clean_text(page) == "Map of Camp Redwater (Example Wire)\n\nTwo drones hit it."


def test_clean_text_normalises_whitespace_and_drops_control_characters():
    raw = "First\u00a0para\u200bgraph.\r\nSecond paragraph.\x07  \t\n\n\n\n\nThird\tparagraph.   \n"

    assert clean_text(raw) == "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def test_a_wrapped_sentence_is_joined_back():
    assert clean_text("Two drones struck a depot at\ncamp Redwater on Wednesday.") == (
        "Two drones struck a depot at camp Redwater on Wednesday."
    )


def test_a_lone_lower_case_user_name_is_not_joined_to_the_title_above():
    assert clean_text("Drones hit Camp Redwater\nmarshwren\nTwo drones hit.") == (
        "Drones hit Camp Redwater\n\nmarshwren\n\nTwo drones hit."
    )


def test_news_page_furniture_goes():
    page = (
        "Soldiers at the gate of Camp Redwater (Photo by SAM POE / EXAMPLE WIRE)\n"
        "© 2022 Example Wire. All rights reserved.\n"
        "Example Wire drone footage\n"
        "663 viewsMar 4, 2022\n"
        "Photo: Example Wire\n"
        "14:25 GMT\n"
        "Two drones struck the depot.\n"
    )

    assert clean_text(page) == (
        "Soldiers at the gate of Camp Redwater\n\nExample Wire drone footage\n\nTwo drones struck the depot."
    )


def test_bylines_naming_people_go_and_agency_bylines_stay():
    assert clean_text("By JANE Q. WRITER and Sam Poe\nBy Reuters\nTwo drones hit.") == "By Reuters\n\nTwo drones hit."


def test_document_from_text_cleans_like_a_file():
    doc = document_from_text("Drones hit depot\n\n  • Upvote 4\n\nTwo drones hit.", id="t1", date="2022-03-03T09:00")

    assert (doc.id, doc.title, doc.date) == ("t1", "Drones hit depot", "2022-03-03")
    assert doc.text == "Drones hit depot\n\nTwo drones hit."


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rockets hit base\nJuly 8, 2021\nThree rockets fell.", "2021-07-08"),
        ("By SETH ROE\nJULY 8, 2021 14:25\nText.", "2021-07-08"),
        ("Published: Jul 07, 2021: 09:52 AM", "2021-07-07"),
        ("Baghdad, 8 July 2021 - Three rockets fell.", "2021-07-08"),
        ("Posted on 2021-07-08 by the desk", "2021-07-08"),
        ("Date: 2021-07-08", "2021-07-08"),
        ("(29 Jun 2021) Hundreds gathered in Baghdad.", "2021-06-29"),
        ("The strike on Jan. 3, 2020 killed two commanders.", "2020-01-03"),
        ("Sept. 11th, 2001 changed everything.", "2001-09-11"),
        ("First June 2, 2021, then July 8, 2021.", "2021-06-02"),
        ("Three rockets fell on Thursday.", None),
        ("February 30, 2021 is not a day.", None),
        ("Signed 7/8/2021, which could be either day.", None),
        ("x" * 700 + " July 8, 2021", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


# ---------------------------------------------------------------- bad inputs


def read_all(*inputs, **options):
    """(documents, error messages) of iter_documents over `inputs`."""
    errors: list[BadSource] = []
    docs = list(iter_documents(inputs, on_error=errors.append, **options))
    return docs, [str(error) for error in errors]


def assert_one_line_naming(messages, path, problem):
    assert len(messages) == 1
    assert messages[0].startswith(f"{path}: ")
    assert problem in messages[0]
    assert "\n" not in messages[0]


def test_binary_file_is_reported(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    docs, errors = read_all(path)

    assert docs == []
    assert_one_line_naming(errors, path, "binary file, not text")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n"])
def test_empty_file_is_reported(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)

    docs, errors = read_all(path)

    assert docs == []
    assert_one_line_naming(errors, path, "empty file")


def test_file_of_furniture_only_is_reported(tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text("Link to comment\nShare on other sites\n  • Thanks 2\n")

    assert_one_line_naming(read_all(path)[1], path, "no text left after removing page furniture")


def test_latin1_file_is_decoded(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Le café de Zürich a été fermé après l'attaque. Les élèves étaient à l'école."
    path.write_bytes(text.encode("latin-1"))

    assert read_file(path)[0].text == text


def test_utf8_with_byte_order_mark_and_utf16_are_decoded(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffCafé in Erbil.".encode("utf-8"))
    (tmp_path / "wide.txt").write_text("Café in Erbil.", encoding="utf-16")

    assert [d.text for d in read_all(tmp_path)[0]] == ["Café in Erbil.", "Café in Erbil."]


def test_mixed_encodings_are_reported(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("هجوم على أربيل — قال المتحدث ".encode("utf-8") + "café à Zürich".encode("latin-1"))

    docs, errors = read_all(path)

    assert docs == []
    assert_one_line_naming(errors, path, "cannot decode text (mixed encodings")


def test_malformed_jsonl_line_is_reported_and_the_others_are_read(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"id": "a1", "text": "First story."}\n'
        '{"id": "a2", "text": \n'  # cut short
        "[1, 2]\n"
        '{"text": "Fourth story."}\n'
    )

    docs, errors = read_all(path)

    assert [d.id for d in docs] == ["wire.jsonl#a1", "wire.jsonl#4"]
    assert len(errors) == 2
    assert errors[0].startswith(f"{path}:2: malformed JSON")
    assert errors[1] == f"{path}:3: expected a JSON object, not list"


def test_missing_file_is_reported(tmp_path):
    path = tmp_path / "nowhere.txt"

    assert_one_line_naming(read_all(path)[1], path, "no such file or folder")


def test_unknown_extension_is_an_error_when_named_directly(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n")

    assert_one_line_naming(read_all(path)[1], path, "unknown file type '.png'")


def test_symlink_loop_in_a_folder_is_survived(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "story.txt").write_text("Two drones hit a depot.")
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)
    (corpus / "self").symlink_to(".", target_is_directory=True)
    (corpus / "ping.txt").symlink_to(corpus / "pong.txt")
    (corpus / "pong.txt").symlink_to(corpus / "ping.txt")

    docs, errors = read_all(corpus)

    assert [d.id for d in docs] == ["corpus/story.txt"]
    assert len(errors) == 2  # the two links that point at each other
    assert all("cannot read (too many levels of symbolic links)" in e for e in errors)


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Secret text.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions do not stop reading")
        docs, errors = read_all(path)
    finally:
        path.chmod(0o644)

    assert docs == []
    assert_one_line_naming(errors, path, "permission denied")


def test_file_over_the_size_limit_is_reported(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Two drones hit a depot. " * 10)

    docs, errors = read_all(path, max_bytes=100)

    assert docs == []
    assert_one_line_naming(errors, path, "too large (240 bytes; the limit is 100 bytes)")


def test_strict_raises_the_first_bad_source(tmp_path):
    (tmp_path / "a.txt").write_text("Fine text.")
    (tmp_path / "b.txt").write_bytes(b"")

    with pytest.raises(BadSource, match=r"b\.txt: empty file") as raised:
        list(iter_documents([tmp_path], strict=True))
    assert raised.value.source == str(tmp_path / "b.txt")


def test_strict_raises_on_a_malformed_jsonl_line(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text('{"text": "Fine."}\nnot json\n')

    with pytest.raises(BadSource, match=r"wire\.jsonl:2: malformed JSON"):
        list(iter_documents([path], strict=True))


def test_read_file_raises_for_a_folder(tmp_path):
    with pytest.raises(BadSource, match="is a folder, not a file"):
        read_file(tmp_path)


# ---------------------------------------------------------------- properties


@given(st.text(), st.text(), st.text())
def test_document_from_text_never_raises_and_leaves_no_control_characters(text, title, date):
    doc = document_from_text(text, id="prop", title=title, date=date)

    assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in doc.text + doc.title)
    assert not doc.text.startswith("\n") and not doc.text.endswith((" ", "\n"))
    assert doc.content_hash  # the text encodes as UTF-8


def test_a_headline_loses_its_site_name_after_a_pipe():
    assert clean_text("Drones hit Camp Redwater | Example Channel\n\nA | B stays.") == "Drones hit Camp Redwater\n\nA | B stays."
