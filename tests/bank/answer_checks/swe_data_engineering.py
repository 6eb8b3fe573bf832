"""Answer checks for quizzes/swe/data-engineering.yaml: each computes the keyed answer from first principles.

Spark is not installed in CI: the Spark items' answers follow from Spark's documented semantics
(shuffle partitions, one output file per task and partition value), which these checks restate as
small simulations.
"""

import csv
import io
from datetime import date, timedelta


def _data_engineering_006() -> float:
    # Type inference: every value of the column parses as an integer, so the column becomes int.
    column = ["02134", "10001"]
    assert all(value.isdigit() for value in column)
    return int(column[0])


def _data_engineering_007() -> str:
    line = 'r7,"Paris, France",0.93\n'
    naive = len(line.strip().split(","))
    parsed = len(next(csv.reader(io.StringIO(line))))
    return f"`{naive} {parsed}`"


def _data_engineering_008() -> float:
    table_gb, columns, columns_read = 120, 60, 4
    return table_gb * columns_read / columns


def _data_engineering_015() -> float:
    first, last = date(2024, 2, 25), date(2024, 3, 5)
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    assert date(2024, 2, 29) in days  # 2024 is a leap year
    return len(days)


def _data_engineering_022() -> float:
    # Without adaptive execution, a DataFrame shuffle produces spark.sql.shuffle.partitions
    # partitions, whose documented default is 200, whatever the input partitioning was.
    documented_default_shuffle_partitions = 200
    return documented_default_shuffle_partitions


def _data_engineering_027() -> float:
    # drop_duplicates(keep="last") keeps the last row per key in frame order, ignoring timestamps.
    rows = [(1, "new"), (2, "new"), (1, "paid"), (3, "new"), (2, "cancelled")]
    last_by_position = {}
    for order_id, status in rows:
        last_by_position[order_id] = status
    return sum(status == "new" for status in last_by_position.values())


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _data_engineering_029() -> float:
    arrivals = [
        "10:01",
        "10:04",
        "10:12",
        "10:08",
        "10:17",
        "10:09",
        "10:14",
        "10:26",
        "10:19",
        "10:22",
    ]
    window, lateness = 10, 5
    watermark = None
    max_seen = None
    dropped = 0
    for event in map(_minutes, arrivals):
        window_end = (event // window + 1) * window
        if watermark is not None and window_end <= watermark:
            dropped += 1
        max_seen = event if max_seen is None else max(max_seen, event)
        watermark = max_seen - lateness
    return dropped


def _data_engineering_031() -> float:
    # partitionBy: each write task writes one file per partition value among its rows.
    tasks = 200
    countries_per_task = [set(range(30)) for _ in range(tasks)]
    return sum(len(countries) for countries in countries_per_task)


CHECKS = {
    "data-engineering-006": _data_engineering_006,
    "data-engineering-007": _data_engineering_007,
    "data-engineering-008": _data_engineering_008,
    "data-engineering-015": _data_engineering_015,
    "data-engineering-022": _data_engineering_022,
    "data-engineering-027": _data_engineering_027,
    "data-engineering-029": _data_engineering_029,
    "data-engineering-031": _data_engineering_031,
}
