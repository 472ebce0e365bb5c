"""The results of a walk and their text: Step, Path, Link and Event, each with str(), explain() and to_dict()."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kg.model import Entity, Evidence

__all__ = ["Event", "Link", "Path", "Step"]


def _evidence_line(e: Evidence, dated: bool = True) -> str:
    notes = [e.doc]
    if e.hedged:
        notes.append("hedged")
    if e.confidence < 1:
        notes.append(f"confidence {e.confidence:g}")
    quote = f'"{e.sentence}"' if e.sentence else "(no sentence stored)"
    line = f"{quote}  [{', '.join(notes)}]"
    return f"{e.date or 'undated':<10}  {line}" if dated else line


@dataclass
class Step:
    """One hop of a walk, from `source` to `target`.

    `forward` is False when the walk went against the stated direction: the
    relation then reads ``target -relation-> source``. `evidence` holds every
    sentence that states it (within the date window asked for).
    """

    source: Entity
    relation: str
    target: Entity
    forward: bool = True
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def subject(self) -> Entity:
        """The entity the relation is stated of (``subject -relation-> object``)."""
        return self.source if self.forward else self.target

    @property
    def object(self) -> Entity:
        return self.target if self.forward else self.source

    @property
    def hedged(self) -> bool:
        """True when every sentence attributes the relation by belief, accusation or blame."""
        return bool(self.evidence) and all(e.hedged for e in self.evidence)

    @property
    def docs(self) -> list[str]:
        """The documents that state it, each once."""
        return list(dict.fromkeys(e.doc for e in self.evidence))

    def __str__(self) -> str:
        arrow = f"-{self.relation}->" if self.forward else f"<-{self.relation}-"
        return f"{self.source.name} {arrow} {self.target.name}"

    def explain(self, *, max_evidence: int | None = 3, dated: bool = True) -> str:
        """This step, then one indented line per sentence: date, quote, [document, hedged, confidence]."""
        shown = self.evidence if max_evidence is None else self.evidence[:max_evidence]
        lines = [str(self) + (" (hedged)" if self.hedged else "")]
        lines += ["  " + _evidence_line(e, dated) for e in shown]
        if len(shown) < len(self.evidence):
            lines.append(f"  ... and {len(self.evidence) - len(shown)} more")
        if not self.evidence:
            lines.append("  (no evidence stored)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON; ``text`` is ``str(self)``."""
        return {"text": str(self), **asdict(self), "hedged": self.hedged}


@dataclass
class Path:
    """A walk of one or more steps; ``str(path)`` reads
    ``Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad``."""

    steps: list[Step] = field(default_factory=list)

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def nodes(self) -> list[Entity]:
        """The entities walked through, from the first to the last."""
        return [self.steps[0].source] + [s.target for s in self.steps] if self.steps else []

    @property
    def hedged(self) -> bool:
        """True when any step is only hedged."""
        return any(s.hedged for s in self.steps)

    def __str__(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].source.name]
        for s in self.steps:
            parts.append(f"-{s.relation}->" if s.forward else f"<-{s.relation}-")
            parts.append(s.target.name)
        return " ".join(parts)

    def explain(self, *, max_evidence: int | None = 3) -> str:
        """The path, then each step with its evidence."""
        if len(self.steps) == 1:
            return self.steps[0].explain(max_evidence=max_evidence)
        lines = [str(self)]
        for step in self.steps:
            lines += ["  " + line for line in step.explain(max_evidence=max_evidence).splitlines()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"text": str(self), "hops": self.hops, "steps": [s.to_dict() for s in self.steps]}


@dataclass
class Link:
    """An entity linked to the one asked about: how far, and the best few of its shortest paths.

    `path_count` is how many shortest paths there are (each parallel relation counted);
    `paths` holds at most `max_paths` of them, best evidenced first.
    """

    entity: Entity
    hops: int
    paths: list[Path] = field(default_factory=list)
    path_count: int = 0

    def __str__(self) -> str:
        qid = f", {self.entity.qid}" if self.entity.qid else ""
        plural = "s" if self.path_count != 1 else ""
        return (f"{self.entity.name} ({self.entity.type}{qid}): "
                f"{self.hops} hop{'s' if self.hops != 1 else ''}, {self.path_count} path{plural}")

    def explain(self, *, max_evidence: int | None = 3) -> str:
        lines = [str(self)]
        for path in self.paths:
            lines += ["  " + line for line in path.explain(max_evidence=max_evidence).splitlines()]
        if len(self.paths) < self.path_count:
            lines.append(f"  ... and {self.path_count - len(self.paths)} more paths")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": asdict(self.entity), "hops": self.hops, "path_count": self.path_count,
            "paths": [p.to_dict() for p in self.paths],
        }


@dataclass
class Event:
    """One dated entry of a timeline: a relation of the entity, with that day's evidence."""

    date: str | None
    step: Step

    def __str__(self) -> str:
        return f"{self.date or 'undated':<10}  {self.step}"

    def explain(self, *, max_evidence: int | None = 3) -> str:
        head, *rest = self.step.explain(max_evidence=max_evidence, dated=False).splitlines()
        pad = " " * 12
        return "\n".join([f"{self.date or 'undated':<10}  {head}"] + [pad + line.strip() for line in rest])

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "step": self.step.to_dict()}
