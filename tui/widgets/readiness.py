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
from textual.widgets import Static

from engine.report.readiness import AreaReadiness
from tui.formatting import LEVEL_CLASSES, plus_minus, theta
from tui.text import literal

if TYPE_CHECKING:
    from engine.report.readiness import Readiness

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

    def __init__(self, area: Readiness, *, id: str | None = None) -> None:
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


def too_early_words(area: Readiness) -> str:
    """Why there is no level yet, in plain words (the report's own rule, its own numbers)."""
    from engine.report.wording import MAX_CALLABLE_SE, MIN_AREA_ANSWERS

    answers = f"{area.answered} answer{'' if area.answered == 1 else 's'}"
    return (
        f"Too early to call: {answers} so far, precision {plus_minus(area.se)}; a level needs "
        f"at least {MIN_AREA_ANSWERS} answers and precision {plus_minus(MAX_CALLABLE_SE)} or "
        "better. A longer quiz in this area will tell."
    )


def level_line(area: Readiness) -> str:
    """The level the report names, with the chance it holds ("Developing or Job-ready (93%)")."""
    from engine.report.wording import level_words

    if area.levels is None:
        return area.level
    return level_words(area.level, area.levels.named.probability, area.enough_evidence)


def level_chances(area: Readiness) -> str:
    """Every level's model-based chance: "Foundations <1% · Developing 40% · ..."."""
    from engine.report.wording import level_words

    if area.levels is None:
        return ""
    return " · ".join(
        level_words(name, probability, True)
        for name, probability in zip(LEVELS, area.levels.probabilities, strict=True)
    )


class AreaCard(Vertical):
    """An area's readiness in words: the level named, the verdict, the bar and the chances.

    The numbers behind it (estimate, 90% interval, standard error) show with
    ``numbers`` (the report's `d` key), not by default.
    """

    def __init__(self, area: Readiness, title: str, *, numbers: bool = False) -> None:
        named = area.levels.names if area.levels is not None and area.enough_evidence else ()
        level_class = LEVEL_CLASSES.get(named[0], "") if len(named) == 1 else ""
        super().__init__(classes=f"area-card {level_class}")
        self.area = area
        self.title = title
        self.numbers = numbers

    def compose(self) -> ComposeResult:
        area = self.area
        yield Static(
            Content.assemble(
                literal(self.title, "bold"),
                ("  ·  ", "$text-muted"),
                literal(level_line(area), "bold"),
            ),
            classes="area-title",
            markup=False,
        )
        if area.enough_evidence:
            verdict = getattr(area, "verdict", "")
            if verdict:
                yield Static(literal(verdict), classes="verdict", markup=False)
            yield ReadinessBar(area)
            yield Static(literal(level_chances(area)), classes="chances", markup=False)
        else:
            yield Static(literal(too_early_words(area)), classes="verdict", markup=False)
            yield ReadinessBar(area)
        yield Static(self._evidence(), classes="evidence", markup=False)
        numbers = Static(self._numbers(), classes="area-numbers", markup=False)
        numbers.display = self.numbers
        yield numbers

    def _evidence(self) -> Content:
        area = self.area
        if not isinstance(area, AreaReadiness):
            return Content.styled(
                f"The mean of the areas' abilities, from {area.answered} answers.", "$text-muted"
            )
        from engine.report.wording import starting_point

        start = starting_point(area.carry_over, area.answer_share, area.starts_from_previous)
        return literal(f"{area.correct} of {area.answered} right. {start}", "$text-muted")

    def _numbers(self) -> Content:
        area = self.area
        low, high = area.interval
        return Content.assemble(
            ("estimate ", "$text-muted"),
            (theta(area.estimate), "bold"),
            ("  90% interval ", "$text-muted"),
            f"{theta(low)} … {theta(high)}",
            ("  standard error ", "$text-muted"),
            f"{area.se:.2f}",
            ("  P(job-ready) ", "$text-muted"),
            f"{area.p_job_ready:.2f}",
        )

    def show_numbers(self, numbers: bool) -> None:
        self.numbers = numbers
        self.query_one(".area-numbers").display = numbers
