"""Regenerate the docs' generated parts: the README's console examples, from a real build of
examples/corpus, and docs/model.md's ontology picture and table, from ontology/kg.ttl.

    .venv/bin/python docs/regenerate.py           # rewrite README.md and docs/model.md in place
    .venv/bin/python docs/regenerate.py --check   # change nothing; exit 1 with a diff if either is stale

README: every `$ kg ...` line in a ```console block is run as written (in a scratch folder
where `examples/` is this repository's and `exports/example` is what the block's own
`kg build` writes), and the lines under it are replaced by what it prints, stdout and
stderr as a terminal shows them. Where the old output ended with a line `...`, only as
many lines as stood before it are kept, and the `...` stays. Commands that need a SPARQL
server (a block with a `--store` command is left whole) and lines that are not `kg` commands
are left as they are.

docs/model.md: the text between `<!-- generated: NAME -->` and `<!-- end generated -->` is
rewritten (NAME: relations, events, table). tests/test_readme.py and tests/test_model_doc.py
fail when either file differs from what this script writes.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

README = REPO / "README.md"
MODEL = REPO / "docs" / "model.md"
_CONSOLE = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
_GENERATED = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)

Run = Callable[[list[str]], str]

# ---------------------------------------------------------------- README console blocks


def runnable(argv: list[str]) -> bool:
    """A `kg` command that runs here: not one that needs a SPARQL server."""
    return bool(argv) and argv[0] == "kg" and not any(a == "--store" or "://" in a for a in argv)


def run_kg(argv: list[str]) -> str:
    """What `kg ARGS` prints to a terminal (stdout and stderr in order), run in this process."""
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, argv[1:])
    if result.exit_code != 0 or (result.exception is not None and not isinstance(result.exception, SystemExit)):
        raise SystemExit(f"`{shlex.join(argv)}` failed (exit {result.exit_code}):\n{result.output}")
    return result.output


def regenerate_readme(text: str, run: Run = run_kg) -> str:
    """The README with the output of each runnable console command replaced by what it prints now."""
    return _CONSOLE.sub(lambda m: "```console\n" + _render_block(m.group(1), run) + "```", text)


def _render_block(body: str, run: Run) -> str:
    lines = body.split("\n")[:-1]  # the block ends with a newline
    commands = [shlex.split(line[2:].split("  #", 1)[0]) for line in lines if line.startswith("$ ")]
    if any(argv and argv[0] == "kg" and not runnable(argv) for argv in commands):
        return body  # a block about a SPARQL server: its commands go together, and need the server
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if not line.startswith("$ "):
            continue
        old: list[str] = []
        while i < len(lines) and not lines[i].startswith("$ "):
            old.append(lines[i])
            i += 1
        argv = shlex.split(line[2:].split("  #", 1)[0])
        out.extend(_fresh_output(old, run(argv)) if runnable(argv) else old)
    return "".join(f"{line}\n" for line in out)


def _fresh_output(old: list[str], printed: str) -> list[str]:
    trailing = len(old) - len(_without_trailing_blanks(old))
    kept = old[: len(old) - trailing]
    new = printed.rstrip("\n").split("\n") if printed.strip() else []
    new = [line.rstrip() for line in new]
    if kept and kept[-1] == "...":
        shown = len(kept) - 1
        new = new[:shown] + ["..."] if len(new) > shown else new
    return new + [""] * trailing


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    return lines[:end]


def readme_in_scratch(text: str, run: Run = run_kg) -> str:
    """regenerate_readme in a scratch folder laid out as the README assumes (examples/, exports/)."""
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="kg-readme-") as scratch:
        (Path(scratch) / "examples").symlink_to(REPO / "examples")
        os.chdir(scratch)
        try:
            return regenerate_readme(text, run)
        finally:
            os.chdir(here)


# ---------------------------------------------------------------- docs/model.md


def regenerate_model(text: str) -> str:
    """docs/model.md with each generated section rewritten from the ontology."""
    sections = model_sections()

    def replace(match: re.Match) -> str:
        name = match.group(2)
        if name not in sections:
            raise SystemExit(f"docs/model.md: unknown generated section {name!r}; known: {', '.join(sections)}")
        return match.group(1) + sections[name] + match.group(4)

    return _GENERATED.sub(replace, text)


def model_sections() -> dict[str, str]:
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    from kg.config import DEFAULT_CONFIG
    from kg.signatures import relation_signatures
    from kg.vocab import KG

    onto = Graph().parse(DEFAULT_CONFIG.ontology_path)
    signatures = relation_signatures(DEFAULT_CONFIG.shapes_path)

    def name(term) -> str:
        text = onto.namespace_manager.normalizeUri(term)
        return text.removeprefix("kg:")

    def one(subject, predicate) -> str:
        values = sorted(name(v) for v in onto.objects(subject, predicate))
        return ", ".join(values)

    def comment(subject) -> str:
        value = onto.value(subject, RDFS.comment)
        return " ".join(str(value).split()).replace("|", "\\|") if value else ""

    relations = ["```mermaid", "flowchart LR"]  # one row per relation: every type pair drawn is a hairball
    for predicate, (domain, range_) in signatures.items():
        relations.append(f'  {predicate}_s["{" / ".join(sorted(domain))}"] -->|{predicate}| '
                         f'{predicate}_o["{" / ".join(sorted(range_))}"]')
    relations.append("```")

    events = ["```mermaid", "flowchart LR",
              "  Statement -->|rdf:subject| Subject[Actor]",
              '  Statement -->|rdf:predicate| Relation["backedBy, attacked, ... (one of the six)"]',
              "  Statement -->|rdf:object| Object[Actor]",
              "  Statement -->|prov:wasDerivedFrom| Document",
              "  Attack -->|prov:wasDerivedFrom| Document"]
    for prop in sorted(onto.subjects(RDFS.domain, KG.Attack)):
        if (prop, RDF.type, OWL.ObjectProperty) in onto:
            target = one(prop, RDFS.range)
            events.append(f"  Attack -->|{name(prop)}| {name(prop)}_range[{target}]")
    events.append("```")

    table = ["| term | kind | links | meaning |", "|---|---|---|---|"]
    classes = sorted(onto.subjects(RDF.type, OWL.Class), key=name)
    for cls in classes:
        parents = one(cls, RDFS.subClassOf)
        table.append(f"| `kg:{name(cls)}` | class | {'subclass of ' + parents if parents else ''} | {comment(cls)} |")
    for kind, label in ((OWL.ObjectProperty, "relation"), (OWL.DatatypeProperty, "value")):
        for prop in sorted(onto.subjects(RDF.type, kind), key=name):
            short = name(prop)
            if short in signatures:
                domain, range_ = signatures[short]
                links = f"{' / '.join(sorted(domain))} → {' / '.join(sorted(range_))}"
            else:
                links = f"{one(prop, RDFS.domain) or 'any'} → {one(prop, RDFS.range)}"
            meaning = comment(prop) or str(onto.value(prop, RDFS.label) or "")
            table.append(f"| `kg:{short}` | {label} | {links} | {meaning} |")
    return {"relations": "\n".join(relations) + "\n", "events": "\n".join(events) + "\n",
            "table": "\n".join(table) + "\n"}


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description="Regenerate README.md's console examples and docs/model.md.")
    parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if a file is stale.")
    args = parser.parse_args()
    stale = 0
    for path, make in ((MODEL, regenerate_model), (README, readme_in_scratch)):
        old = path.read_text(encoding="utf-8")
        new = make(old)
        if new == old:
            print(f"{path.relative_to(REPO)}: up to date", file=sys.stderr)
            continue
        stale += 1
        if args.check:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       str(path.relative_to(REPO)), "regenerated"))
        else:
            path.write_text(new, encoding="utf-8")
            print(f"{path.relative_to(REPO)}: rewritten", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
