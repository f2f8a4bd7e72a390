"""The parser's result, shaped as ../shared/plan-format.md describes.

Dataclasses keep the stages honest; ``PlanDocument.to_dict()`` gives the JSON contract.
"""

from __future__ import annotations

from .records import asdict, dataclass, field


@dataclass
class Section:
    number: str  # "三", "(一)", "第二章"
    title: str  # Simplified, no trailing punctuation
    parent: str | None = None  # number of the enclosing section
    level: int = 1

    @property
    def label(self) -> str:
        """How the heading is written in a section path: 三、主要任务 / (一)开展… / 第二章 总则."""
        if self.number.startswith(("(", "第")):
            sep = " " if self.number.startswith("第") else ""
            return f"{self.number}{sep}{self.title}"
        return f"{self.number}、{self.title}"


@dataclass
class Task:
    number: str
    title: str
    section: str  # path of headings: "三、主要任务/(一)开展5G“头雁”行动"
    text: str  # the whole item, source script
    lead_units: list[str] = field(default_factory=list)
    all_units: list[str] = field(default_factory=list)
    responsibility_raw: str = ""  # every responsibility parenthesis, verbatim, joined with " | "
    deadline: str | None = None  # the time limit as written: 2024年底前 / 2025年9月底前 / 持续推进
    deadline_date: str | None = None  # ISO last day of the period named; None for 持续推进 or none
    flags: list[dict] = field(default_factory=list)  # {"kind", "message", "span"}: where unsure


@dataclass
class Target:
    text: str  # verbatim span of the source text
    indicator: str
    value: float | int
    value_max: float | int | None = None
    unit: str = ""
    comparator: str = "="
    year: int | None = None
    per_year: bool = False
    task_number: str | None = None
    section: str | None = None  # extra field: path of the headings the target sits under
    flags: list[dict] = field(default_factory=list)


@dataclass
class PlanDocument:
    title: str | None
    script: str  # "simplified" | "traditional"
    period: dict | None
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    source: str | None = None  # file name the plan came from; extra field
    flags: list[dict] = field(default_factory=list)  # extra field: doubts outside any task

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "script": self.script,
            "period": self.period,
            "source": self.source,
            "sections": [
                {"number": s.number, "title": s.title, "parent": s.parent, "level": s.level}
                for s in self.sections
            ],
            "tasks": [asdict(t) for t in self.tasks],
            "targets": [asdict(t) for t in self.targets],
            "flags": list(self.flags),
        }
