#!/usr/bin/env bash
# End-to-end in a real terminal: skillprobe under tmux, keyboard only. Exits non-zero on failure.
#
# 1. 120x40, shipped bank: a new learner lands on Home, takes a 10-question practice
#    quiz in Mathematics, reads the report and exports it.
# 2. 80x24, a three-question bank made for it: a several-answer question (ticks shown
#    as [x], every option marked in the feedback), a numeric question whose answer box
#    starts below the screen (typing must show), a code question whose last option and
#    long code line must be reachable; the quiz says the bank ran out; a learner name
#    with markup is shown literally.
# 3. A day later (SKILLPROBE_NOW, the clock every command reads), on part 1's database:
#    `skillprobe practice` opens on a practice session whose due reviews come first.
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

day_one="2026-03-02T10:00:00Z"     # the clock every command reads (a testing aid)
day_two="2026-03-03T10:00:00Z"

# [now=TIME] start WIDTH HEIGHT DB LEARNER [COMMAND...]: skillprobe in a fresh tmux session.
start() {
    tmx kill-server >/dev/null 2>&1 || true
    # kill-server returns before the server has gone; a new session started on its way
    # out fails with "server exited unexpectedly". Wait until no server answers.
    for _ in $(seq 1 50); do
        tmx list-sessions >/dev/null 2>&1 || break
        sleep 0.1
    done
    sleep 0.2
    tmx new-session -d -s "$session" -x "$1" -y "$2" \
        env -u SKILLPROBE_DATABASE_URL XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
        SKILLPROBE_LEARNER="$4" SKILLPROBE_NOW="${now:-$day_one}" TEXTUAL_ANIMATIONS=none \
        TERM=xterm-256color LANG=C.UTF-8 "$skillprobe" --db "sqlite:///$3" "${@:5}"
    tmx set-option -t "$session" remain-on-exit on >/dev/null
}

# quit: Ctrl+Q, and the process must end.
quit() {
    keys C-q
    for _ in $(seq 1 50); do
        [[ "$(tmx display-message -p -t "$session" '#{pane_dead}' 2>/dev/null)" == "1" ]] && return
        sleep 0.2
    done
    fail "skillprobe did not quit on Ctrl+Q"
}

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

cd "$tmp"
start 120 40 "$tmp/e2e.db" e2e

echo "e2e: waiting for Home"
wait_for "Learner" 30
wait_for "Mathematics" 60          # the shipped bank is imported on first start
wait_for "No finished quiz yet" 30

echo "e2e: starting a 10-question practice quiz in Mathematics"
keys Down Space                    # Areas: Programming is first, Mathematics second
sleep 0.3
keys s
wait_for "Practice quiz" 30

for number in $(seq 1 10); do
    wait_for "Question $number of 10" 30
    answer
    wait_for_match "next question|see your report" 30  # practice mode: feedback, then the next key
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

quit
echo "e2e: part 1 OK (120x40: Home -> 10-question practice quiz -> report -> export)"

# -- part 3 (on part 1's database): a day later, practice -----------------------------
echo "e2e: a day later, a practice session: the missed questions are due first"
now="$day_two" start 120 40 "$tmp/e2e.db" e2e practice
wait_for "not counted in your readiness" 60
for number in 1 2 3; do
    wait_for "Question $number of 15" 30
    wait_for "Review" 10               # the due-review marker, painted with the question
    answer
    wait_for_match "Correct|Not quite|Skipped" 30
    keys Enter
done
wait_for "Question 4 of 15" 30
keys Escape                        # leave: every answer is saved
wait_for "practice answers saved" 30
wait_for "Practice" 10             # Home's practice panel
quit
echo "e2e: part 3 OK (a day later: practice opens on the due reviews)"

# -- part 2: 80x24 ------------------------------------------------------------------
bank="$tmp/small-bank"
mkdir -p "$bank/math"
cp "$repo/quizzes/areas.yaml" "$bank/areas.yaml"
prose="The model trains for several epochs on a shuffled dataset, and the team logs every run."
cat > "$bank/math/probability.yaml" <<YAML
- id: probability-001
  type: multiple
  difficulty: 1
  shuffle: false
  prompt: Which of these are valid probabilities? Select all that apply.
  options:
    - text: "0, the probability of an event that cannot happen"
      correct: true
    - text: "1.5, a value above one"
      feedback: Probabilities never exceed 1.
    - text: "0.5, an even chance"
      correct: true
    - text: "-0.1, a value below zero"
      feedback: Probabilities are never negative.
  explanation: A probability lies between 0 and 1 inclusive.
- id: probability-002
  type: numeric
  difficulty: 3
  prompt: |
    $prose $prose $prose

    $prose $prose $prose

    What is 1/2 as a decimal?
  answer: 0.5
  explanation: One divided by two.
- id: probability-003
  type: single
  difficulty: 5
  shuffle: false
  prompt: |
    $prose $prose

    What does this print?

    \`\`\`python
    xs, ys = [1, 2, 3, 4], [1, 0, 3, 0]
    print(sum(1 for x, y in zip(xs, ys) if x == y) / len(ys), "matches of the four predictions")
    \`\`\`
  options:
    - text: "0.5 matches of the four predictions"
      correct: true
    - text: "2 matches of the four predictions"
    - text: "0.25 matches of the four predictions"
    - text: "It raises TypeError"
  explanation: Two of four predictions match.
YAML
"$skillprobe" --db "sqlite:///$tmp/small.db" bank import "$bank" >/dev/null \
    || fail "the small bank did not import"

echo "e2e: part 2, 80x24: a several-answer, a numeric and a code question"
start 80 24 "$tmp/small.db" 'eve[/]x'
wait_for "Learner" 30
wait_for "eve[/]x" 10                # a name with markup, shown as typed
wait_for "[ ] Mathematics" 30        # unticked boxes read without colour
keys Down Space                      # tick Mathematics: it has 3 questions, 10 are chosen
wait_for "[x] Mathematics" 10
keys s
wait_for "Practice quiz" 30

for number in 1 2 3; do
    wait_for "Question $number of 3" 30   # the bank has 3: the quiz says so up front
    wait_for "I don't know" 10
    bar="$(key_bar)"
    if [[ "$bar" == *"tick"* ]]; then
        keys a
        wait_for "[x] A" 10          # ticked, without colour
        keys b Enter                 # A right, B wrong
        wait_for "Not quite" 30
        wait_for "you ticked it" 10  # every option, marked, in screen order
        wait_for "B [x] ✗ 1.5" 10
        wait_for "C [ ] ✓ 0.5" 10
        wait_for "Probabilities never exceed 1." 10
    elif [[ "$bar" == *"choose"* ]]; then
        keys Down Down Down          # to the last option: it scrolls into view
        wait_for "▶ (•) D" 10
        keys PageUp                  # PgUp scrolls the question from the options
        wait_for "↩" 10              # the long code line wraps, marked, nothing lost
        keys Enter
        wait_for "Not quite" 30
    else
        keys 0
        sleep 0.2
        keys .
        sleep 0.2
        keys 5
        wait_for_match "▊ +0\.5" 10   # what is typed is on screen
        keys Enter
        wait_for "Correct" 30
    fi
    keys Enter
done

wait_for "Quiz complete" 60
wait_for "the quiz stopped" 30       # the bank ran out before the length chosen
quit
echo "e2e: OK (120x40 journey; practice a day later; 80x24 several-answer, numeric and code questions)"
