"""Answer checks for quizzes/swe/linux-shell.yaml: each computes the keyed answer from first principles.

Shell behaviour is emulated in pure Python (no dependence on the test machine's shell or coreutils).
"""

import calendar
import os
import re
import shutil
import subprocess
import tempfile

_BITS = {"r": 4, "w": 2, "x": 1}
_WHO = {"u": 6, "g": 3, "o": 0}  # bit shift of each class in the mode


def _mode_from_string(perms: str) -> int:
    """'rwxr-x---' -> 0o750."""
    mode = 0
    for i, ch in enumerate(perms):
        if ch != "-":
            mode |= 1 << (8 - i)
    return mode


def _apply_symbolic(mode: int, spec: str) -> int:
    """Apply a chmod symbolic spec such as 'u+x,g+w,o-r' (no 'a', no '=' needed here)."""
    for clause in spec.split(","):
        who, op, perms = re.fullmatch(r"([ugo]+)([+-])([rwx]+)", clause).groups()
        for w in who:
            bits = sum(_BITS[p] for p in perms) << _WHO[w]
            mode = mode | bits if op == "+" else mode & ~bits
    return mode


def _octal_digits(mode: int) -> int:
    return int(format(mode, "o"))


def _linux_shell_005() -> float:
    return _octal_digits(_mode_from_string("rwxr-x---"))


def _linux_shell_008() -> str:
    # sed 's/cat/dog/' without g replaces the first match on each line.
    return "`" + re.sub("cat", "dog", "cat cat cat", count=1) + "`"


_LABELS = """img001.jpg,cat
img002.jpg,cat
img003.jpg,dog
img004.jpg,cat
img005.jpg,bird
img006.jpg,dog
img007.jpg,dog
"""


def _linux_shell_011() -> float:
    column = [line.split(",")[1] for line in _LABELS.splitlines()]
    # uniq collapses only adjacent duplicates
    collapsed = [v for i, v in enumerate(column) if i == 0 or column[i - 1] != v]
    return len(collapsed)


def _linux_shell_014() -> str:
    minute, hour, dom, month, dow = "30 2 * * 1".split()
    assert dom == "*" and month == "*"
    # cron: 0 and 7 are Sunday, 1 is Monday; Python's calendar: 0 is Monday.
    day_name = calendar.day_name[(int(dow) - 1) % 7]
    return f"At {int(hour):02d}:{int(minute):02d} every {day_name}."


def _linux_shell_016() -> float:
    return _octal_digits(_apply_symbolic(0o644, "u+x,g+w,o-r"))


_RUNS = """run,status,gpu_hours
r1,done,2.5
r2,failed,0.5
r3,done,4
r4,done,1.5
"""


def _linux_shell_017() -> float:
    total = 0.0
    for nr, line in enumerate(_RUNS.splitlines(), start=1):
        fields = line.split(",")
        if nr > 1 and fields[1] == "done":
            total += float(fields[2])
    return total


def _linux_shell_020() -> float:
    return _octal_digits(0o666 & ~0o027)


def _linux_shell_022() -> bool:
    with tempfile.TemporaryDirectory() as d:
        data, soft, hard = (os.path.join(d, n) for n in ("data.csv", "soft.csv", "hard.csv"))
        with open(data, "w") as f:
            f.write("x,y\n1,2\n")
        os.symlink("data.csv", soft)
        os.link(data, hard)
        os.remove(data)
        with open(hard) as f:
            hard_ok = f.read() == "x,y\n1,2\n"
        try:
            open(soft).close()
            soft_ok = True
        except FileNotFoundError:
            soft_ok = False
        return hard_ok and not soft_ok


def _linux_shell_025() -> str:
    params = ["train set.csv", "labels.csv"]
    unquoted_at = [word for p in params for word in p.split()]  # word splitting on IFS whitespace
    quoted_at = list(params)  # one word per parameter
    quoted_star = [" ".join(params)]  # one word, joined by the first char of IFS
    return ", ".join(str(len(words)) for words in (unquoted_at, quoted_at, quoted_star))


_TRAIN_LOG = """step 10 loss=0.71
step 20 loss=nan grad_norm=nan
step 30 loss=NaN
timing: 512 nanoseconds per sample
step 40 loss=0.69
"""


def _linux_shell_031() -> float:
    # grep -c counts matching lines; -i ignores case; a substring inside a word matches too.
    return sum("nan" in line.lower() for line in _TRAIN_LOG.splitlines())


_SUBSHELL_SCRIPT = """count=0
cat ids.txt | while read -r id; do
  count=$((count + 1))
done
echo "$count"
"""


def _linux_shell_032() -> float:
    # bash runs every element of a pipeline in a subshell: the loop changes a copy of `count`.
    main_shell = {"count": 0}
    loop_subshell = dict(main_shell)
    for _ in ["u1", "u2", "u3"]:
        loop_subshell["count"] += 1
    emulated = main_shell["count"]
    bash = shutil.which("bash")
    if bash is not None:  # confirm the emulation with the real shell where there is one
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "ids.txt"), "w") as f:
                f.write("u1\nu2\nu3\n")
            printed = subprocess.run(
                [bash, "--norc", "-c", _SUBSHELL_SCRIPT],
                cwd=d,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        assert int(printed) == emulated
    return emulated


CHECKS = {
    "linux-shell-005": _linux_shell_005,
    "linux-shell-008": _linux_shell_008,
    "linux-shell-011": _linux_shell_011,
    "linux-shell-014": _linux_shell_014,
    "linux-shell-016": _linux_shell_016,
    "linux-shell-017": _linux_shell_017,
    "linux-shell-020": _linux_shell_020,
    "linux-shell-022": _linux_shell_022,
    "linux-shell-025": _linux_shell_025,
    "linux-shell-031": _linux_shell_031,
    "linux-shell-032": _linux_shell_032,
}
