"""One area of the report: where the estimate sits among the readiness levels."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.formatting import LEVEL_CLASSES, theta

if TYPE_CHECKING:
    from engine.report.readiness import AreaReadiness

SCALE = (-3.0, 3.0)
LEVELS = ("Foundations", "Developing", "Job-ready", "Strong")
SHORT = {"Foundations": "Fnd", "Developing": "Dev", "Job-ready": "Job", "Strong": "Str"}


class ReadinessBar(Widget):
    """Two lines: the level bands with the interval (━) and estimate (●) on top, then names."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "readiness-bar--foundations",
        "readiness-bar--developing",
        "readiness-bar--job-ready",
        "readiness-bar--strong",
        "readiness-bar--interval",
        "readiness-bar--estimate",
        "readiness-bar--label",
    }

    def __init__(self, area: AreaReadiness, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.area = area

    def _level(self, value: float) -> str:
        cuts = self.area.cut_scores
        if value >= cuts.strong:
            return LEVELS[3]
        if value >= cuts.job_ready:
            return LEVELS[2]
        if value >= cuts.developing:
            return LEVELS[1]
        return LEVELS[0]

    def render(self) -> Text:
        width = max(10, self.content_region.width or self.size.width)
        low, high = SCALE

        def column(value: float) -> int:
            value = min(high, max(low, value))
            return round((value - low) / (high - low) * (width - 1))

        def value_at(x: int) -> float:
            return low + (x + 0.5) * (high - low) / width

        styles = {
            level: self.get_component_rich_style(f"readiness-bar--{LEVEL_CLASSES[level][6:]}")
            for level in LEVELS
        }
        # Only the colour and weight of these: the band's background shows through.
        interval = self.get_component_rich_style("readiness-bar--interval")
        interval_style = Style(color=interval.color, bold=interval.bold)
        estimate = self.get_component_rich_style("readiness-bar--estimate")
        estimate_style = Style(color=estimate.color, bold=estimate.bold)
        label_style = self.get_component_rich_style("readiness-bar--label")
        start, end = (column(v) for v in self.area.interval)
        marker = column(self.area.estimate)
        line = Text()
        regions: list[tuple[str, int, int]] = []
        for x in range(width):
            level = self._level(value_at(x))
            if regions and regions[-1][0] == level:
                regions[-1] = (level, regions[-1][1], x)
            else:
                regions.append((level, x, x))
            if x == marker:
                line.append("●", styles[level] + estimate_style)
            elif start <= x <= end:
                line.append("━", styles[level] + interval_style)
            else:
                line.append(" ", styles[level])
        labels = [" "] * width
        for level, first, last in regions:
            span = last - first + 1
            name = level if len(level) + 2 <= span else SHORT[level] if span >= 5 else ""
            offset = first + (span - len(name)) // 2
            for i, character in enumerate(name):
                labels[offset + i] = character
        line.append("\n")
        line.append("".join(labels), label_style)
        return line

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2


class AreaCard(Vertical):
    """An area's readiness: level, verdict, the bar, and the numbers behind it."""

    def __init__(self, area: AreaReadiness) -> None:
        super().__init__(classes=f"area-card {LEVEL_CLASSES.get(area.level, '')}")
        self.area = area

    def compose(self) -> ComposeResult:
        area = self.area
        level = area.level if area.enough_evidence else f"{area.level} (provisional)"
        yield Static(
            Content.assemble((area.title, "bold"), ("  ·  ", "$text-muted"), (level, "bold")),
            classes="area-title",
        )
        yield Label(area.verdict, classes="verdict")
        yield ReadinessBar(area)
        low, high = area.interval
        yield Static(
            Content.assemble(
                ("estimate ", "$text-muted"),
                (theta(area.estimate), "bold"),
                ("  90% interval ", "$text-muted"),
                f"{theta(low)} … {theta(high)}",
                ("  ·  ", "$text-muted"),
                f"{area.correct} of {area.answered} right",
            ),
            classes="area-numbers",
        )
