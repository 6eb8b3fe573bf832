#!/usr/bin/env bash
# End-to-end in a real terminal: skillprobe under tmux (120x40), keyboard only.
# A new learner on a fresh database lands on Home, takes a 10-question practice
# quiz in Mathematics, reads the report and exports it; a day later
# (SKILLPROBE_NOW) `skillprobe practice` opens on a practice session whose due
# reviews come first. Exits non-zero on failure.
#
#   bash tests/e2e/tmux_quiz.sh            (SKILLPROBE=/path/to/skillprobe to override)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
skillprobe="${SKILLPROBE:-$repo/.venv/bin/skillprobe}"
[[ -x "$skillprobe" ]] || skillprobe="$(command -v skillprobe || true)"
[[ -n "$skillprobe" ]] || { echo "e2e: skillprobe not found" >&2; exit 1; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/skillprobe-e2e.XXXXXX")"
session="skillprobe-e2e-$$"
socket="$tmp/tmux.sock"
tmx() { tmux -u -S "$socket" "$@"; }

cleanup() {
    tmx kill-server >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

screen_text() { tmx capture-pane -p -t "$session" 2>/dev/null || true; }

fail() {
    echo "e2e: FAILED: $*" >&2
    echo "----- screen -----" >&2
    screen_text >&2
    echo "------------------" >&2
    exit 1
}

# wait_for TEXT [SECONDS]: poll the screen until TEXT (a fixed string) shows.
wait_for() {
    local text="$1" limit="${2:-30}" waited=0
    until screen_text | grep -qF -- "$text"; do
        sleep 0.2
        waited=$((waited + 1))
        (( waited <= limit * 5 )) || fail "timed out after ${limit}s waiting for: $text"
    done
}

# wait_for_match PATTERN [SECONDS]: the same for an extended regular expression.
wait_for_match() {
    local pattern="$1" limit="${2:-30}" waited=0
    until screen_text | grep -qE -- "$pattern"; do
        sleep 0.2
        waited=$((waited + 1))
        (( waited <= limit * 5 )) || fail "timed out after ${limit}s waiting for: $pattern"
    done
}

keys() { tmx send-keys -t "$session" "$@"; }

# The bottom line is the key bar; it says what the quiz screen expects.
key_bar() { screen_text | tail -n 1; }

cd "$tmp"
day_one="2026-03-02T10:00:00Z"     # the clock every command reads (a testing aid)
day_two="2026-03-03T10:00:00Z"
tmx new-session -d -s "$session" -x 120 -y 40 \
    env -u SKILLPROBE_DATABASE_URL XDG_DATA_HOME="$tmp/data" SKILLPROBE_LEARNER=e2e \
    SKILLPROBE_NOW="$day_one" TEXTUAL_ANIMATIONS=none TERM=xterm-256color LANG=C.UTF-8 \
    "$skillprobe" --db "sqlite:///$tmp/e2e.db"
tmx set-option -t "$session" remain-on-exit on >/dev/null

echo "e2e: waiting for Home"
wait_for "Learner" 30
wait_for "Mathematics" 60          # the shipped bank is imported on first start
wait_for "No finished quiz yet" 30

echo "e2e: starting a 10-question practice quiz in Mathematics"
keys Down Space                    # Areas: Programming is first, Mathematics second
sleep 0.3
keys s
wait_for "Practice quiz" 30

# answer: reply to the question on screen by its kind (the key bar says which).
answer() {
    local bar
    wait_for "I don't know" 10     # the key bar of a question waiting for its answer
    bar="$(key_bar)"
    if [[ "$bar" == *"tick"* ]]; then
        keys a Enter               # several answers: tick A, answer
    elif [[ "$bar" == *"T/F"* ]]; then
        keys t Enter
    elif [[ "$bar" == *"choose"* ]]; then
        keys b Enter
    else
        keys 1 Enter               # a number or a short text
    fi
}

for number in $(seq 1 10); do
    wait_for "Question $number of 10" 30
    answer
    wait_for "next question" 30    # practice mode: feedback, then the next key
    # The key bar changes as the answer is stored; the panel is painted a frame or two later.
    wait_for_match "Correct|Not quite|Skipped" 10
    keys Enter
done

echo "e2e: reading the report"
wait_for "Quiz complete" 60
wait_for "Readiness" 30
screen_text | grep -qF "Mathematics" || fail "the report does not name Mathematics"
screen_text | grep -qF "Focus next" || fail "the report has no focus list"
screen_text | grep -qE "of 10 right" || fail "the report does not count the answers"

keys e
wait_for "Saved to" 30
ls "$tmp"/skillprobe-report-e2e-*.md >/dev/null 2>&1 || fail "no Markdown export in $tmp"

keys C-q
for _ in $(seq 1 50); do
    [[ "$(tmx display-message -p -t "$session" '#{pane_dead}' 2>/dev/null)" == "1" ]] && break
    sleep 0.2
done
[[ "$(tmx display-message -p -t "$session" '#{pane_dead}' 2>/dev/null)" == "1" ]] \
    || fail "skillprobe did not quit on Ctrl+Q"

echo "e2e: a day later, a practice session: the missed questions are due first"
tmx kill-session -t "$session" >/dev/null 2>&1 || true
tmx new-session -d -s "$session" -x 120 -y 40 \
    env -u SKILLPROBE_DATABASE_URL XDG_DATA_HOME="$tmp/data" SKILLPROBE_LEARNER=e2e \
    SKILLPROBE_NOW="$day_two" TEXTUAL_ANIMATIONS=none TERM=xterm-256color LANG=C.UTF-8 \
    "$skillprobe" --db "sqlite:///$tmp/e2e.db" practice
tmx set-option -t "$session" remain-on-exit on >/dev/null
wait_for "not counted in your readiness" 60
for number in 1 2 3; do
    wait_for "Question $number of 15" 30
    screen_text | grep -qF "Review" || fail "question $number is not a due review"
    answer
    wait_for_match "Correct|Not quite|Skipped" 30
    keys Enter
done
wait_for "Question 4 of 15" 30
keys Escape                        # leave: every answer is saved
wait_for "practice answers saved" 30
wait_for "Practice" 10             # Home's practice panel
keys C-q

echo "e2e: OK (Home -> 10-question practice quiz -> report -> export; next day: practice)"
