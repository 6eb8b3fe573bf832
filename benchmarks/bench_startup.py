"""Start-up time of `skillprobe` against a bare Textual hello-world, and answer latency.

    .venv/bin/python benchmarks/bench_startup.py [--runs 9] [--check]

Both programs run in a real pseudo-terminal (120x40); the time from launch
until a marker is written to the terminal is measured for each, alternating,
several times, and medians are compared:

* hello-world: its first paint;
* "paint": skillprobe's Home painted (SKILLPROBE_EXIT_AFTER=paint);
* "usable": Home fully usable by a returning learner: the new-quiz form with
  its areas, the last report's summary and the unfinished quiz on screen
  (from Home's snapshot, tui/home_snapshot.py, while the database opens);
* "ready": the database open and Home's fresh data on screen.

The shipped bank is imported into a temporary database beforehand and the
learner has a finished and an unfinished quiz, so the start measured is that
of a returning learner (a first run, not timed, writes Home's snapshot).

The second part drives a 10-question exam quiz in-process (Pilot, fixed
seed): the time from Start to the first question, and from an answer to the
next question on screen. With --check the script exits 1 when paint is above
1.5x or usable above 3x the hello-world, or the median answer latency is
above 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RATIO_LIMIT = 1.5  # Home painted, against the hello-world's first paint
USABLE_LIMIT = 3.0  # Home usable for a returning learner, against the same
LATENCY_LIMIT = 0.050
SIZE = (40, 120)  # rows, columns

HELLO = """\
from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static("Hello, world")

    def on_mount(self):
        self.call_after_refresh(self.exit)


Hello().run()
"""


APP_ONLY = (
    "import argparse, sys; from engine.cli.app import run_app; "
    "sys.exit(run_app(argparse.Namespace(db={url!r})))"
)


def timed_run(
    command: list[str], env: dict[str, str], marker: bytes, timeout: float = 60.0
) -> tuple[float, float]:
    """Seconds from launch until `marker` is written to the terminal, and until exit.

    The first is the time to the first painted screen; the second adds shutdown.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[0], SIZE[1], 0, 0))
    seen: list[float] = []

    def drain() -> None:
        output = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            if not seen:
                output += chunk
                if marker in output:
                    seen.append(time.perf_counter())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        code = process.wait(timeout=timeout)
    finally:
        elapsed = time.perf_counter() - started
        reader.join(timeout=5)
        os.close(master)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    if not seen:
        raise SystemExit(f"{' '.join(command)} never showed {marker!r}")
    return seen[0] - started, elapsed


def prepare(folder: Path) -> tuple[str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPROBE_")}
    env.update(
        XDG_DATA_HOME=str(folder / "data"),
        TERM=env.get("TERM", "xterm-256color") or "xterm-256color",
        COLUMNS=str(SIZE[1]),
        LINES=str(SIZE[0]),
        SKILLPROBE_LEARNER="bench",
    )
    env["XDG_CACHE_HOME"] = str(folder / "cache")
    url = f"sqlite:///{folder / 'bench.db'}"
    skillprobe = [str(BIN / "skillprobe"), "--db", url]
    subprocess.run([*skillprobe, "bank", "import"], env=env, check=True, capture_output=True)
    # A returning learner: one finished quiz, one unfinished.
    for length, answers in ((8, 8), (10, 3)):
        subprocess.run(
            [*skillprobe, "quiz", "--plain", "--areas", "math,ml", "--length", str(length)],
            input="1\n" * answers,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return url, env


def startup(runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="skillprobe-bench-") as tmp:
        folder = Path(tmp)
        url, env = prepare(folder)
        hello = folder / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        # name: (command, environment, text that shows the screen is painted)
        commands = {
            "hello": ([sys.executable, str(hello)], env, b"Hello"),
            "paint": (
                [str(BIN / "skillprobe"), "--db", url],
                {**env, "SKILLPROBE_EXIT_AFTER": "paint"},
                b"Learner",
            ),
            "usable": (
                [str(BIN / "skillprobe"), "--db", url],
                {**env, "SKILLPROBE_EXIT_AFTER": "usable"},
                "bench · usable".encode(),
            ),
            "ready": (
                [str(BIN / "skillprobe"), "--db", url],
                {**env, "SKILLPROBE_EXIT_AFTER": "ready"},
                "bench · ready".encode(),
            ),
            # The app without `engine.cli.main`, which imports every sub-command module
            # (and with them SQLAlchemy, NumPy and pydantic) before it looks at argv.
            "app": (
                [sys.executable, "-c", APP_ONLY.format(url=url)],
                {**env, "SKILLPROBE_EXIT_AFTER": "paint"},
                b"Learner",
            ),
        }
        for command, command_env, marker in commands.values():  # warm the file cache
            timed_run(command, command_env, marker)
        times: dict[str, list[float]] = {name: [] for name in commands}
        exits: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, command_env, marker) in commands.items():
                painted, exited = timed_run(command, command_env, marker)
                times[name].append(painted)
                exits[name].append(exited)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"start-up to the screen on the terminal, {runs} runs each, medians (min-max):")
    labels = {
        "hello": "Textual hello-world, first paint",
        "paint": "skillprobe, Home painted",
        "usable": "skillprobe, Home usable (returning)",
        "ready": "skillprobe, database open, fresh data",
        "app": "engine.cli.app alone, Home painted",
    }
    for name, values in times.items():
        print(
            f"  {labels[name]:<36} {medians[name] * 1000:7.0f} ms "
            f"({min(values) * 1000:.0f}-{max(values) * 1000:.0f}); "
            f"to exit {statistics.median(exits[name]) * 1000:.0f} ms"
        )
    ratio = medians["paint"] / medians["hello"]
    usable = medians["usable"] / medians["hello"]
    print(f"  ratio Home painted / hello-world: {ratio:.2f} (limit {RATIO_LIMIT})")
    print(f"  ratio Home usable / hello-world: {usable:.2f} (limit {USABLE_LIMIT})")
    print(f"  ratio fresh data / hello-world: {medians['ready'] / medians['hello']:.2f}")
    print(f"  ratio app alone / hello-world: {medians['app'] / medians['hello']:.2f}")
    return ratio, usable


def answer_latency() -> tuple[float, float]:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with tempfile.TemporaryDirectory(prefix="skillprobe-bench-") as tmp:
        os.environ["XDG_DATA_HOME"] = tmp
        from engine.service.bank_service import import_bank
        from engine.service.storage import open_database
        from tui.app import SkillprobeApp
        from tui.clock import FrozenClock
        from tui.screens.quiz import QuizScreen

        url = f"sqlite:///{tmp}/latency.db"
        opened = open_database(url)
        import_bank(opened.database)
        opened.database.dispose()
        app = SkillprobeApp(url, "bench", clock=FrozenClock(), seed=11)
        latencies: list[float] = []
        first: list[float] = []

        async def drive() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                while app.state.loading:
                    await pilot.pause(0.01)
                await pilot.press("down", "space", "tab", "down", "enter")  # math, exam
                started = time.perf_counter()
                await pilot.press("s")
                while not isinstance(app.screen, QuizScreen):
                    await pilot.pause(0.005)
                screen = app.screen
                while screen.phase != "asking":
                    await pilot.pause(0.005)
                first.append(time.perf_counter() - started)
                for _ in range(10):
                    while screen.phase != "asking":
                        await pilot.pause(0.01)
                    question = screen.question
                    assert question is not None  # asking: a question is on screen
                    if question.type in ("single", "multiple", "true_false"):
                        await pilot.press("a", "enter")
                    else:
                        await pilot.press("1", "enter")
                    while screen.phase == "sending" or (
                        screen.phase == "asking" and screen.question == question
                    ):
                        await pilot.pause(0.005)
                latencies.extend(screen.latencies)

        asyncio.run(drive())
    median = statistics.median(latencies)
    print(f"Start -> first question on screen (Home loaded): {first[0] * 1000:.0f} ms")
    print(
        f"answer -> next question on screen, {len(latencies)} answers: median "
        f"{median * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms "
        f"(limit {LATENCY_LIMIT * 1000:.0f} ms)"
    )
    return median, first[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each program (default 9)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over the limits")
    args = parser.parse_args()
    ratio, usable = startup(args.runs)
    latency, _first = answer_latency()
    if args.check and (ratio > RATIO_LIMIT or usable > USABLE_LIMIT or latency > LATENCY_LIMIT):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
