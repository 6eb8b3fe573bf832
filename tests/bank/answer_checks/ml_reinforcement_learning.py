"""Answer checks for quizzes/ml/reinforcement-learning.yaml: each computes the keyed answer from first principles."""

import math

import numpy as np


def _discounted_return(rewards, gamma: float, bootstrap: float = 0.0) -> float:
    g = bootstrap
    for r in reversed(rewards):
        g = r + gamma * g
    return g


def _reinforcement_learning_005() -> float:
    return _discounted_return([1, 0, 2], gamma=0.9)


def _reinforcement_learning_009() -> float:
    # truncated sum of the geometric series; the tail after 2000 steps is below 1e-40
    return sum(0.95**k for k in range(2000))


def _reinforcement_learning_011() -> float:
    n_actions, eps, greedy = 4, 0.2, 0
    # enumerate both stages of the choice: exploit (always greedy) or explore (uniform over all actions)
    probs = [(1 - eps) * (a == greedy) + eps / n_actions for a in range(n_actions)]
    assert abs(sum(probs) - 1) < 1e-12
    return probs[greedy]


def _reinforcement_learning_012() -> float:
    q, alpha, gamma, r = 2.0, 0.5, 0.9, 1.0
    q_next = {"left": 4.0, "right": 3.0}
    target = r + gamma * max(q_next.values())  # Q-learning ignores the action actually taken
    return q + alpha * (target - q)


def _reinforcement_learning_014() -> float:
    q, alpha, gamma, r = 1.0, 0.1, 0.95, -1.0
    q_next = {"up": 2.0, "down": 0.0}
    target = r + gamma * q_next["down"]  # SARSA uses the action actually taken
    return q + alpha * (target - q)


def _reinforcement_learning_016() -> str:
    rewards, gamma = [0, 0, 1], 0.5
    returns = [_discounted_return(rewards[t:], gamma) for t in range(len(rewards))]
    return f"`{returns}`"


def _reinforcement_learning_018() -> float:
    v = {"s1": 10.0, "s2": 0.0, "s3": 6.0}
    gamma = 0.9
    actions = {
        "a1": (1.0, {"s1": 0.8, "s2": 0.2}),
        "a2": (2.0, {"s3": 1.0}),
    }
    return max(r + gamma * sum(p * v[s] for s, p in dist.items()) for r, dist in actions.values())


def _reinforcement_learning_019() -> float:
    # solve (I - gamma P) v = r for the two-state chain A -> B -> A
    gamma = 0.9
    p = np.array([[0.0, 1.0], [1.0, 0.0]])
    r = np.array([2.0, 0.0])
    v = np.linalg.solve(np.eye(2) - gamma * p, r)
    return float(v[0])


def _reinforcement_learning_025() -> float:
    gamma, alpha, v_t = 0.9, 0.2, 2.0
    target = _discounted_return([1.0, 0.0, -1.0], gamma, bootstrap=5.0)
    return v_t + alpha * (target - v_t)


def _reinforcement_learning_028() -> float:
    rewards = [-1.0] * 12
    rewards[-1] += 20.0  # the last step reaches the exit
    return sum(rewards)


def _reinforcement_learning_031() -> float:
    q, pulls, total = 0.6, 10, 100
    return q + math.sqrt(2 * math.log(total) / pulls)


def _reinforcement_learning_032() -> str:
    gamma = 0.99
    # value of looping forever: +1 every 2 steps (in, out, in, ...), versus finishing now
    looping = sum(gamma ** (2 * t) for t in range(10_000))
    assert looping > 50  # about 50.25: beats the goal reward, even if it is raised to 50
    # potential-based terms around a loop s -> s' -> s telescope to (γ² - 1)Φ(s) <= 0
    phi = {"zone": 5.0, "outside": 0.0}
    loop_bonus = (gamma * phi["zone"] - phi["outside"]) + gamma * (
        gamma * phi["outside"] - phi["zone"]
    )
    assert loop_bonus <= 0
    return "Make the bonus potential-based, F = γΦ(s') − Φ(s), with Φ higher near the goal"


CHECKS = {
    "reinforcement-learning-005": _reinforcement_learning_005,
    "reinforcement-learning-009": _reinforcement_learning_009,
    "reinforcement-learning-011": _reinforcement_learning_011,
    "reinforcement-learning-012": _reinforcement_learning_012,
    "reinforcement-learning-014": _reinforcement_learning_014,
    "reinforcement-learning-016": _reinforcement_learning_016,
    "reinforcement-learning-018": _reinforcement_learning_018,
    "reinforcement-learning-019": _reinforcement_learning_019,
    "reinforcement-learning-025": _reinforcement_learning_025,
    "reinforcement-learning-028": _reinforcement_learning_028,
    "reinforcement-learning-031": _reinforcement_learning_031,
    "reinforcement-learning-032": _reinforcement_learning_032,
}
