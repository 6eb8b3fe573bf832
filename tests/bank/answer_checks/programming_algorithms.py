"""Answer checks for quizzes/programming/algorithms.yaml: each computes the keyed answer from first principles."""

import heapq
import itertools
import math
import random


def _algorithms_002() -> str:
    # Count inner-loop iterations for two sizes; doubling n must quadruple the work for O(n^2).
    def iterations(n: int) -> int:
        count = 0
        xs = list(range(n))
        for _a in xs:
            for _b in xs:
                count += 1
        return count

    ratio = iterations(400) / iterations(200)
    exponents = {"O(n)": 1, "O(n²)": 2}
    return min(exponents, key=lambda k: abs(2 ** exponents[k] - ratio))


def _algorithms_005() -> float:
    # Worst case: the largest number of probes over all targets, simulated on a smaller
    # equivalent (probe count depends only on n), and confirmed with the 2^k - 1 rule.
    n = 1_000_000
    k = 0
    while 2**k - 1 < n:
        k += 1

    def probes(n_items: int, target: float) -> int:
        lo, hi, count = 0, n_items - 1, 0
        while lo <= hi:
            mid = (lo + hi) // 2
            count += 1
            if mid == target:
                return count
            if mid < target:
                lo = mid + 1
            else:
                hi = mid - 1
        return count

    # Absent targets between every pair of elements, plus both ends, on the real n.
    worst = max(probes(n, t + 0.5) for t in range(-1, n, 997))
    worst = max(worst, probes(n, n - 0.5), probes(n, -0.5))
    assert worst <= k
    return k


def _algorithms_007() -> bool:
    # Statement: `in` on a sorted list uses binary search (O(log n) comparisons).
    comparisons = 0

    class Counted:
        def __init__(self, v):
            self.v = v

        def __eq__(self, other):
            nonlocal comparisons
            comparisons += 1
            return self.v == other.v

    items = [Counted(i) for i in range(1000)]
    assert Counted(999) in items
    return comparisons <= 2 * math.ceil(math.log2(1000))


def _algorithms_011() -> float:
    calls = {0: 1, 1: 1}
    for n in range(2, 11):
        calls[n] = 1 + calls[n - 1] + calls[n - 2]
    return calls[10]


def _algorithms_016() -> bool:
    # Brute force over every directed graph (no self-loops) on 4 nodes.
    nodes = range(4)
    pairs = [(u, v) for u in nodes for v in nodes if u != v]

    def has_cycle(edges) -> bool:
        adj = {u: [v for (a, v) in edges if a == u] for u in nodes}
        state = dict.fromkeys(nodes, 0)

        def visit(u) -> bool:
            state[u] = 1
            for v in adj[u]:
                if state[v] == 1 or (state[v] == 0 and visit(v)):
                    return True
            state[u] = 2
            return False

        return any(state[u] == 0 and visit(u) for u in nodes)

    def has_topo_order(edges) -> bool:
        for perm in itertools.permutations(nodes):
            pos = {u: i for i, u in enumerate(perm)}
            if all(pos[u] < pos[v] for u, v in edges):
                return True
        return False

    for mask in range(1 << len(pairs)):
        edges = [p for i, p in enumerate(pairs) if mask >> i & 1]
        if has_topo_order(edges) == has_cycle(edges):
            return False
    return True


def _dijkstra(edges, source):
    adj = {}
    for u, v, w in edges:
        adj.setdefault(u, []).append((v, w))
    dist, done, heap = {source: 0}, set(), [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)  # textbook Dijkstra: a popped node is final
        for v, w in adj.get(u, []):
            if v not in done and d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def _bellman_ford(edges, source):
    nodes = {u for u, _, _ in edges} | {v for _, v, _ in edges}
    dist = dict.fromkeys(nodes, math.inf)
    dist[source] = 0
    for _ in range(len(nodes) - 1):
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    return dist


def _algorithms_017() -> float:
    edges = [
        ("A", "B", 4),
        ("A", "C", 1),
        ("C", "B", 2),
        ("B", "D", 1),
        ("C", "D", 6),
        ("D", "E", 3),
        ("C", "E", 9),
    ]
    d = _dijkstra(edges, "A")["E"]
    assert d == _bellman_ford(edges, "A")["E"]
    return d


def _algorithms_018() -> float:
    a, b = "dropout", "output"
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _algorithms_019() -> float:
    items = [(3, 4), (4, 5), (5, 7), (2, 3)]
    cap = 8
    best = [0] * (cap + 1)
    for w, v in items:
        for c in range(cap, w - 1, -1):
            best[c] = max(best[c], best[c - w] + v)
    brute = max(
        sum(v for (_, v), take in zip(items, mask) if take)
        for mask in itertools.product([0, 1], repeat=len(items))
        if sum(w for (w, _), take in zip(items, mask) if take) <= cap
    )
    assert brute == best[cap]
    return best[cap]


def _algorithms_021() -> str:
    # Total elements copied for n appends when capacity grows by a fixed 1,000 slots.
    def copies(n: int) -> int:
        cap, size, total = 0, 0, 0
        for _ in range(n):
            if size == cap:
                total += size
                cap += 1000
            size += 1
        return total

    ratio = copies(400_000) / copies(200_000)
    return "O(n²)" if abs(ratio - 4) < abs(ratio - 2) else "O(n)"


def _algorithms_022() -> bool:
    # Statement: Dijkstra is correct with negative edges when there is no negative cycle.
    edges = [("A", "B", 2), ("A", "C", 3), ("C", "B", -2), ("B", "D", 1)]
    return _dijkstra(edges, "A") == _bellman_ford(edges, "A")


def _algorithms_024() -> float:
    n, m = 1000, 10_000
    return math.comb(n, 2) * (1 / m)


def _algorithms_025() -> set[str]:
    """Compare each greedy rule with brute force on small random instances (or the stated one)."""
    rng = random.Random(7)
    holds = set()

    # Meetings: greedy by earliest end vs brute force over subsets.
    def meetings_ok() -> bool:
        for _ in range(300):
            ms = []
            for _ in range(rng.randint(1, 7)):
                s = rng.randint(0, 10)
                ms.append((s, s + rng.randint(1, 5)))
            chosen, end = 0, -math.inf
            for s, e in sorted(ms, key=lambda m: m[1]):
                if s >= end:
                    chosen, end = chosen + 1, e
            best = 0
            for r in range(len(ms) + 1):
                for sub in itertools.combinations(sorted(ms), r):
                    if all(sub[i][1] <= sub[i + 1][0] for i in range(len(sub) - 1)):
                        best = max(best, r)
            if chosen != best:
                return False
        return True

    # Fractional knapsack: greedy by ratio vs brute force over a grid of fractions (sixths).
    def fractional_ok() -> bool:
        steps = [i / 6 for i in range(7)]
        for _ in range(300):
            items = [(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(rng.randint(1, 3))]
            cap = rng.randint(1, 20)
            left, greedy = cap, 0.0
            for w, v in sorted(items, key=lambda it: it[1] / it[0], reverse=True):
                take = min(w, left)
                greedy += v * take / w
                left -= take
            best = max(
                sum(f * v for f, (_, v) in zip(fr, items))
                for fr in itertools.product(steps, repeat=len(items))
                if sum(f * w for f, (w, _) in zip(fr, items)) <= cap + 1e-9
            )
            if greedy < best - 1e-9:
                return False
        return True

    # Kruskal vs brute force over all spanning trees.
    def kruskal_ok() -> bool:
        for _ in range(100):
            n = rng.randint(2, 5)
            edges = [(rng.randint(1, 9), u, v) for u in range(n) for v in range(u + 1, n)]
            parent = list(range(n))

            def find(x):
                while parent[x] != x:
                    x = parent[x]
                return x

            total = 0
            for w, u, v in sorted(edges):
                ru, rv = find(u), find(v)
                if ru != rv:
                    parent[ru] = rv
                    total += w

            def spans(sub) -> bool:
                p = list(range(n))

                def f(x):
                    while p[x] != x:
                        x = p[x]
                    return x

                for _, u, v in sub:
                    ru, rv = f(u), f(v)
                    if ru == rv:
                        return False
                    p[ru] = rv
                return True

            best = min(
                sum(w for w, _, _ in sub)
                for sub in itertools.combinations(edges, n - 1)
                if spans(sub)
            )
            if total != best:
                return False
        return True

    # Coins {1, 3, 4} paying 6: greedy vs DP.
    def coins_ok() -> bool:
        coins, amount = [4, 3, 1], 6
        greedy, left = 0, amount
        for c in coins:
            greedy += left // c
            left %= c
        dp = [0] + [math.inf] * amount
        for a in range(1, amount + 1):
            dp[a] = min(dp[a - c] + 1 for c in coins if c <= a)
        return greedy == dp[amount]

    # 0/1 knapsack: greedy by ratio vs DP on random instances.
    def knapsack01_ok() -> bool:
        for _ in range(300):
            items = [(rng.randint(1, 9), rng.randint(1, 9)) for _ in range(rng.randint(1, 5))]
            cap = rng.randint(1, 20)
            left, greedy = cap, 0
            for w, v in sorted(items, key=lambda it: it[1] / it[0], reverse=True):
                if w <= left:
                    left -= w
                    greedy += v
            best = [0] * (cap + 1)
            for w, v in items:
                for c in range(cap, w - 1, -1):
                    best[c] = max(best[c], best[c - w] + v)
            if greedy != best[cap]:
                return False
        return True

    texts = {
        "Scheduling the most non-overlapping meetings: repeatedly take the compatible meeting that ends earliest": meetings_ok,
        "Fractional knapsack: take items in decreasing order of value per unit weight, splitting the last item if needed": fractional_ok,
        "Minimum spanning tree: add edges in increasing weight order, skipping any edge that would close a cycle (Kruskal)": kruskal_ok,
        "Fewest coins to pay 6 with coin values {1, 3, 4}: repeatedly take the largest coin that still fits the amount left": coins_ok,
        "0/1 knapsack: take whole items in decreasing order of value per unit weight for as long as they still fit": knapsack01_ok,
    }
    for text, ok in texts.items():
        if ok():
            holds.add(text)
    return holds


def _algorithms_027() -> str:
    # Solve T(n) = 4 T(n/2) + n^2 exactly for n = 2^k and see which candidate the ratio settles on.
    def t(k: int) -> int:
        return 1 if k == 0 else 4 * t(k - 1) + 4**k

    candidates = {
        "Θ(n² log n)": lambda n, k: n * n * k,
        "Θ(n²)": lambda n, k: n * n,
        "Θ(n log n)": lambda n, k: n * k,
        "Θ(n³)": lambda n, k: n**3,
    }

    def drift(f) -> float:
        r1 = t(40) / f(2**40, 40)
        r2 = t(80) / f(2**80, 80)
        return abs(math.log(r2 / r1))

    return min(candidates, key=lambda name: drift(candidates[name]))


def _algorithms_028() -> float:
    from collections import deque

    queue = deque([1, 2, 3])
    queue.popleft()
    queue.append(4)
    return float(queue.popleft())


def _algorithms_030() -> set:
    class Counted:
        comparisons = 0

        def __init__(self, v):
            self.v = v

        def __lt__(self, other):
            Counted.comparisons += 1
            return self.v < other.v

        def __eq__(self, other):
            Counted.comparisons += 1
            return self.v == other.v

    def cost(n: int, operation) -> int:
        heap = [Counted(float(v)) for v in random.Random(n).sample(range(n), n)]
        heapq.heapify(heap)
        Counted.comparisons = 0
        operation(heap, n)
        return Counted.comparisons

    operations = {
        "Pushing a new item": lambda h, n: heapq.heappush(h, Counted(-1.0)),
        "Popping the smallest item": lambda h, n: heapq.heappop(h),
        "Reading the smallest item without removing it": lambda h, n: h[0],
        "Checking whether some arbitrary value is in the heap": lambda h, n: Counted(n + 0.5) in h,
        "Building a heap from an unordered list with `heapify`": lambda h, n: heapq.heapify(
            [Counted(float(v)) for v in random.Random(0).sample(range(n), n)]
        ),
    }
    logarithmic = set()
    for text, operation in operations.items():
        small, large = cost(2**10, operation), cost(2**14, operation)
        # O(log n): grows by about 14/10; O(1): no growth; O(n): grows about 16-fold
        if 1.0 < large / max(small, 1) < 2.5 and large <= 4 * 14:
            logarithmic.add(text)
    return logarithmic


def _algorithms_031() -> float:
    size, blocked = 4, (1, 1)  # 0-based row 2, column 2
    paths = [[0] * size for _ in range(size)]
    for r in range(size):
        for c in range(size):
            if (r, c) == blocked:
                continue
            if (r, c) == (0, 0):
                paths[r][c] = 1
                continue
            paths[r][c] = (paths[r - 1][c] if r else 0) + (paths[r][c - 1] if c else 0)
    return float(paths[-1][-1])


def _algorithms_032() -> float:
    m, k, n = 1000, 7, 100
    approximation = (1 - math.exp(-k * n / m)) ** k
    exact_bit_probability = (1 - (1 - 1 / m) ** (k * n)) ** k  # before the e^x approximation
    assert abs(approximation - exact_bit_probability) < 0.01 * approximation
    return 100 * approximation


def _algorithms_033() -> float:
    from fractions import Fraction

    # exact distribution of the reservoir after each item, as {frozenset: probability}
    k, n = 2, 5
    states = {frozenset({1, 2}): Fraction(1)}
    for i in range(k + 1, n + 1):
        nxt: dict = {}
        for reservoir, p in states.items():
            keep = Fraction(k, i)
            nxt[reservoir] = nxt.get(reservoir, 0) + p * (1 - keep)
            for evicted in reservoir:
                new = (reservoir - {evicted}) | {i}
                nxt[new] = nxt.get(new, 0) + p * keep / k
        states = nxt
    probability = sum(p for reservoir, p in states.items() if 3 in reservoir)
    assert all(sum(p for r, p in states.items() if j in r) == Fraction(k, n) for j in range(1, 6))
    return float(probability)


CHECKS = {
    "algorithms-002": _algorithms_002,
    "algorithms-005": _algorithms_005,
    "algorithms-007": _algorithms_007,
    "algorithms-011": _algorithms_011,
    "algorithms-016": _algorithms_016,
    "algorithms-017": _algorithms_017,
    "algorithms-018": _algorithms_018,
    "algorithms-019": _algorithms_019,
    "algorithms-021": _algorithms_021,
    "algorithms-022": _algorithms_022,
    "algorithms-024": _algorithms_024,
    "algorithms-025": _algorithms_025,
    "algorithms-027": _algorithms_027,
    "algorithms-028": _algorithms_028,
    "algorithms-030": _algorithms_030,
    "algorithms-031": _algorithms_031,
    "algorithms-032": _algorithms_032,
    "algorithms-033": _algorithms_033,
}
