"""Which topics practice targets; time limits and the clock read from text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.bank.model import AreaInfo, CutScores, TopicInfo
from engine.clock import ClockError, SystemClock, clock_text, describe_duration, parse_instant
from engine.practice.topics import WEAKEST_TOPICS, request_problem, target_topics
from engine.quiz.time_limit import TimeLimitError, parse_time_limit
from engine.report.weak_topics import TopicFinding

CUTS = CutScores(-1.0, 0.0, 1.0)
AREAS = (
    AreaInfo(
        "math",
        "Mathematics",
        "",
        CUTS,
        tuple(TopicInfo(t, "math", t.title(), "", ()) for t in ("probability", "statistics")),
    ),
    AreaInfo(
        "swe",
        "Software engineering",
        "",
        CUTS,
        tuple(TopicInfo(t, "swe", t.upper(), "", ()) for t in ("git", "mlops", "sql", "linux")),
    ),
)


def _finding(area: str, topic: str, p_weak: float, weak: bool = False) -> TopicFinding:
    return TopicFinding(area, topic, topic, 2, 0, 1.0, p_weak, -1.0, 0.5, weak, ())


def test_unknown_names_get_one_line_with_a_suggestion() -> None:
    assert request_problem(AREAS, ("probabilty",), ()) == (
        "unknown topic 'probabilty'; did you mean 'probability'?"
    )
    assert request_problem(AREAS, (), ("mth",)) == "unknown area 'mth'; did you mean 'math'?"
    assert request_problem(AREAS, ("zzz",), ()).startswith("unknown topic 'zzz'; topics: ")
    assert request_problem(AREAS, ("git",), ("swe",)) == "give topics or areas, not both"
    assert request_problem(AREAS, ("git", "sql"), ()) is None


def test_topics_asked_for_come_first() -> None:
    chosen = target_topics(
        AREAS, topics=("sql", "git"), focus=[_finding("math", "statistics", 0.9, True)], quiz_id=3
    )
    assert [t.topic for t in chosen.topics] == ["sql", "git"]
    assert chosen.reason == "the topics you asked for"


def test_the_focus_list_is_used_when_it_has_topics() -> None:
    focus = [_finding("swe", "mlops", 0.95, True)]
    chosen = target_topics(AREAS, focus=focus, findings=focus, quiz_id=3)
    assert [t.topic for t in chosen.topics] == ["mlops"]
    assert "focus list" in chosen.reason and "quiz 3" in chosen.reason


def test_without_a_focus_list_the_most_probably_weak_topics() -> None:
    findings = [
        _finding("math", "probability", 0.2),
        _finding("swe", "git", 0.6),
        _finding("swe", "sql", 0.4),
        _finding("math", "statistics", 0.5),
        _finding("swe", "linux", 0.1),
    ]
    chosen = target_topics(AREAS, findings=findings, quiz_id=3)
    assert [t.topic for t in chosen.topics] == ["git", "statistics", "sql"][:WEAKEST_TOPICS]
    in_math = target_topics(AREAS, area_ids=("math",), findings=findings, quiz_id=3)
    assert [t.topic for t in in_math.topics] == ["statistics", "probability"]
    assert "in Mathematics" in in_math.reason


def test_with_no_quiz_every_topic() -> None:
    chosen = target_topics(AREAS)
    assert len(chosen.topics) == 6
    assert "no quiz" in chosen.reason


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("1h", 3600), ("1h30m", 5400), (" 2M ", 120), ("10s", 10)],
)
def test_time_limits_with_units(text: str, seconds: int) -> None:
    assert parse_time_limit(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5m", "time limit '-5m' must be positive; write e.g. 90s, 30m or 1h"),
        ("banana", "time limit 'banana' is not a duration; write e.g. 90s, 30m or 1h"),
        ("30", "time limit '30' is not a duration; write e.g. 90s, 30m or 1h"),
        ("", "time limit '' is not a duration; write e.g. 90s, 30m or 1h"),
        ("0m", "time limit '0m': must be between 10 seconds and 24 hours"),
        ("25h", "time limit '25h': must be between 10 seconds and 24 hours"),
    ],
)
def test_bad_time_limits_say_why(text: str, message: str) -> None:
    with pytest.raises(TimeLimitError) as raised:
        parse_time_limit(text)
    assert str(raised.value) == message


@given(st.integers(min_value=10, max_value=24 * 3600))
def test_any_limit_in_seconds_reads_back(seconds: int) -> None:
    assert parse_time_limit(f"{seconds}s") == seconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    assert parse_time_limit(f"{hours}h{minutes}m{secs}s") == seconds


def test_durations_and_the_countdown_in_words() -> None:
    assert [describe_duration(s) for s in (90, 1800, 3600, 5400, 150)] == [
        "90 s",
        "30 min",
        "1 h",
        "1 h 30 min",
        "2 min 30 s",
    ]
    # Rounded up: the clock shows 0:00 only when the time is really up.
    assert [clock_text(s) for s in (61.2, 60.0, 0.4, 0.0, -3.0, 3600.0)] == [
        "1:02",
        "1:00",
        "0:01",
        "0:00",
        "0:00",
        "1:00:00",
    ]


def test_skillprobe_now_pins_the_clock_and_keeps_its_zone() -> None:
    clock = SystemClock.from_environment({"SKILLPROBE_NOW": "2026-03-02T09:30:00+01:00"})
    assert clock.pinned
    assert clock.now() == dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)
    assert clock.now().utcoffset() == dt.timedelta(hours=1)
    assert parse_instant("2026-03-02") == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert parse_instant("2026-03-02T09:30:00Z").tzinfo is not None
    assert not SystemClock.from_environment({}).pinned
    with pytest.raises(ClockError, match="SKILLPROBE_NOW='tomorrow' is not an ISO 8601"):
        SystemClock.from_environment({"SKILLPROBE_NOW": "tomorrow"})
