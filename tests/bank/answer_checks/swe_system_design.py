"""Answer checks for quizzes/swe/system-design.yaml: each computes the keyed answer from first principles."""

import math
from fractions import Fraction


def _system_design_005() -> float:
    hit_rate, hit_ms, miss_ms = 0.85, 2.0, 60.0
    return hit_rate * hit_ms + (1 - hit_rate) * miss_ms


def _system_design_011() -> float:
    # Little's law: L = lambda * W  =>  lambda = L / W
    in_flight, seconds_per_request = 32, 0.200
    return in_flight / seconds_per_request


def _system_design_013() -> float:
    users, dims, bytes_per_float32 = 50_000_000, 256, 4
    return users * dims * bytes_per_float32 / 1e9


def _system_design_017() -> float:
    users, cpu_seconds_each, cores = 40_000_000, 0.003, 50
    return users * cpu_seconds_each / cores / 60


def _system_design_018() -> float:
    # Event simulation of a continuously refilled token bucket, in exact arithmetic.
    capacity, rate, horizon = Fraction(20), Fraction(5), Fraction(10)
    tokens, t, accepted = capacity, Fraction(0), 0
    while True:
        while tokens >= 1:  # the client sends as fast as it can
            tokens -= 1
            accepted += 1
        wait = (1 - tokens) / rate  # time until the next whole token
        if t + wait > horizon:
            break
        t += wait
        tokens = min(capacity, tokens + wait * rate)
    assert accepted == capacity + rate * horizon
    return accepted


def _system_design_022() -> float:
    spike_s, arrive_spike, consume, arrive_after = 600, 500, 450, 300
    backlog = (arrive_spike - consume) * spike_s
    return backlog / (consume - arrive_after)


def _percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]


def _system_design_023() -> bool:
    # Counterexample: nine fast replicas, one slow one, equal traffic.
    fast = [10.0 + (i % 10) for i in range(1000)]  # 10..19 ms
    slow = [500.0 + (i % 10) for i in range(1000)]  # 500..509 ms
    replicas = [fast] * 9 + [slow]
    mean_of_p99s = sum(_percentile(r, 99) for r in replicas) / len(replicas)
    fleet_p99 = _percentile([x for r in replicas for x in r], 99)
    return math.isclose(mean_of_p99s, fleet_p99)


def _system_design_024() -> float:
    per_day, peak_factor, per_replica, zones = 259_200_000, 2.5, 150, 3
    peak_rps = per_day / 86_400 * peak_factor
    needed = math.ceil(peak_rps / per_replica)
    per_zone = math.ceil(needed / (zones - 1))  # survivors must carry the peak
    return per_zone * zones


def _system_design_026() -> float:
    old_n, new_n = 4, 5
    period = math.lcm(old_n, new_n)
    moved = sum(1 for h in range(period) if h % old_n != h % new_n)
    return 100 * moved / period


_QUORUMS = {
    "N = 3, W = 2, R = 2": (3, 2, 2),
    "N = 3, W = 3, R = 1": (3, 3, 1),
    "N = 5, W = 2, R = 4": (5, 2, 4),
    "N = 3, W = 1, R = 1": (3, 1, 1),
    "N = 5, W = 3, R = 2": (5, 3, 2),
}


def _quorums_always_overlap(n: int, w: int, r: int) -> bool:
    # Worst case: the read set avoids the write set as long as there are enough other replicas.
    return r > n - w


def _system_design_027() -> set[str]:
    return {text for text, (n, w, r) in _QUORUMS.items() if _quorums_always_overlap(n, w, r)}


def _system_design_030() -> float:
    # Two hard dependencies in series, each available 99.9% of the time independently, in percent.
    return 100 * 0.999 * 0.999


def _system_design_032() -> float:
    # M/M/1 mean time in system W = 1 / (mu - lambda); also via Little's law from L = rho / (1 - rho).
    mu, lam = 100.0, 95.0
    rho = lam / mu
    mean_in_system = rho / (1 - rho)
    w_seconds = mean_in_system / lam
    assert abs(w_seconds - 1 / (mu - lam)) < 1e-12
    return 1000 * w_seconds


CHECKS = {
    "system-design-005": _system_design_005,
    "system-design-011": _system_design_011,
    "system-design-013": _system_design_013,
    "system-design-017": _system_design_017,
    "system-design-018": _system_design_018,
    "system-design-022": _system_design_022,
    "system-design-023": _system_design_023,
    "system-design-024": _system_design_024,
    "system-design-026": _system_design_026,
    "system-design-027": _system_design_027,
    "system-design-030": _system_design_030,
    "system-design-032": _system_design_032,
}
