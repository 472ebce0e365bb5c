"""PDF and Word files are read; files of other types in a folder are named, counted and fail --strict."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.errors import BadSource
from kg.ingest import iter_documents, read_file

HEADLINE = "Rockets strike Camp Redwater near the river"
BODY = [
    "Three rockets struck Camp Redwater on Thursday, July 8, 2021, the coalition",
    "said in a statement. Nobody was hurt, and the damage to the runway was",
    "slight. The Lions of the Valley Brigade claimed the attack in a message",
    "posted online late that night.",
]


def pdf_bytes(lines: list[str], *, title: str | None = None) -> bytes:
    """A one-page PDF with `lines` as text, written by hand (no PDF writer needed)."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 14 TL 72 720 Td " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title is not None:
        objects.append(f"<< /Title ({escape(title)}) >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    info = f" /Info {len(objects)} 0 R" if title is not None else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def docx_file(path, *, title: str | None = None, heading: str | None = HEADLINE) -> None:
    import docx

    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    if heading:
        document.add_heading(heading, level=1)
    document.add_paragraph(" ".join(BODY))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Spokesman"
    table.rows[0].cells[1].text = "Colonel Example Person"
    document.save(path)


# ---------------------------------------------------------------- PDF


def test_pdf_text_is_read_with_lines_joined_into_sentences(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([HEADLINE, "", *BODY]))
    [doc] = read_file(path)
    assert doc.title == HEADLINE
    assert doc.date == "2021-07-08"
    assert "the coalition said in a statement." in doc.text  # a line break inside a sentence is a space
    assert "Lions of the Valley Brigade claimed the attack in a message posted online late that night." in doc.text


def test_pdf_title_comes_from_its_properties_unless_it_is_a_file_name(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(BODY, title="Attack on Camp Redwater: the coalition statement"))
    assert read_file(path)[0].title == "Attack on Camp Redwater: the coalition statement"
    path.write_bytes(pdf_bytes([HEADLINE, "", *BODY], title="Microsoft Word - draft3.docx"))
    assert read_file(path)[0].title == HEADLINE


@pytest.mark.parametrize("data, problem", [
    (pdf_bytes([]), "PDF holds no text"),
    (b"%PDF-1.4\nthis is not really a PDF\n", "cannot read PDF"),
])
def test_unreadable_pdfs_are_named_with_the_reason(tmp_path, data, problem):
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    with pytest.raises(BadSource, match=problem) as caught:
        read_file(path)
    assert "scan.pdf" in str(caught.value)


# ---------------------------------------------------------------- Word


def test_docx_paragraphs_tables_and_heading_are_read(tmp_path):
    path = tmp_path / "brief.docx"
    docx_file(path)
    [doc] = read_file(path)
    assert doc.title == HEADLINE
    assert " ".join(BODY) in doc.text
    assert "Spokesman; Colonel Example Person" in doc.text
    assert doc.date == "2021-07-08"


def test_docx_title_property_wins_over_the_heading(tmp_path):
    path = tmp_path / "brief.docx"
    docx_file(path, title="Weekly brief: attacks on bases in western Iraq", heading=None)
    assert read_file(path)[0].title == "Weekly brief: attacks on bases in western Iraq"


def test_a_damaged_or_old_word_file_is_refused_by_name(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(BadSource, match=r"broken\.docx: cannot read Word file"):
        read_file(tmp_path / "broken.docx")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 binary")
    with pytest.raises(BadSource, match=r"unknown file type '\.doc'; expected one of .*\.docx.*\.pdf"):
        read_file(tmp_path / "old.doc")


# ---------------------------------------------------------------- a mixed folder


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a-wire.txt").write_text(f"{HEADLINE}\n\n" + " ".join(BODY) + "\n", encoding="utf-8")
    (folder / "b-report.pdf").write_bytes(pdf_bytes([HEADLINE, "", *BODY]))
    (folder / "c-photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "d-brief.docx").write_bytes(b"")
    docx_file(folder / "d-brief.docx")
    (folder / ".hidden.png").write_bytes(b"x")
    (folder / "README.md").write_text("# About this folder\n", encoding="utf-8")
    return folder


def test_a_folder_reads_pdf_and_docx_and_names_the_png(mixed_folder):
    problems = []
    docs = list(iter_documents([mixed_folder], on_error=problems.append))
    assert [d.id for d in docs] == ["inbox/a-wire.txt", "inbox/b-report.pdf", "inbox/d-brief.docx"]
    assert [(p.source.rsplit("/", 1)[-1], p.problem.split(";")[0]) for p in problems] == [
        ("c-photo.png", "unknown file type '.png'")]


def test_strict_stops_at_an_unsupported_file_in_a_folder(mixed_folder):
    with pytest.raises(BadSource, match="c-photo.png: unknown file type"):
        list(iter_documents([mixed_folder], strict=True))


def test_kg_build_names_each_skipped_file_counts_it_and_exits_1(mixed_folder, tmp_path, extractor, monkeypatch):
    from kg import build
    from kg.cli import cli

    monkeypatch.setattr(build, "make_extractor", lambda config: extractor)
    result = CliRunner().invoke(cli, ["build", str(mixed_folder), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 1 and "c-photo.png: unknown file type '.png'" in skipped[0]
    assert "3 documents (3 read, 0 unchanged, 1 skipped)" in result.stderr
    strict = CliRunner().invoke(cli, ["build", str(mixed_folder), "--out", str(tmp_path / "out2"), "--strict", "-q"])
    assert strict.exit_code == 1 and "c-photo.png: unknown file type" in strict.stderr
    assert not (tmp_path / "out2" / "graph.ttl").exists()
