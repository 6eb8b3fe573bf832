"""A small, fixed question bank for the TUI tests, so snapshots do not move with the real bank."""

from __future__ import annotations

from pathlib import Path

from tests.bank.bank_factory import write_bank

AREAS_YAML = """\
areas:
  - id: programming
    title: Programming
    description: Python as ML engineers write it.
    cut_scores: {developing: -1.0, job_ready: 0.0, strong: 1.2}
    topics:
      - id: python-core
        title: Python core
        description: Types, control flow, functions and scope.
        study:
          - Predict the output of short snippets before running them.
  - id: math
    title: Mathematics
    description: Probability and linear algebra.
    cut_scores: {developing: -1.0, job_ready: 0.0, strong: 1.2}
    topics:
      - id: probability
        title: Probability
        description: Rules, Bayes, random variables and expectation.
        study:
          - Solve conditional-probability problems with a table of counts first.
          - "Read: Blitzstein & Hwang, Introduction to Probability, chapters 2-4."
      - id: linear-algebra
        title: Linear algebra
        description: Vectors, matrices, rank and eigenvalues.
        study:
          - Compute small products and determinants by hand, then check with NumPy.
"""

PROBABILITY = """\
- id: probability-001
  type: single
  difficulty: 1
  shuffle: false
  prompt: You flip a fair coin twice. What is the probability of **two heads**?
  options:
    - text: "1/4"
      correct: true
    - text: "1/3"
      feedback: Counts 'one head' as one outcome; it happens two ways.
    - text: "1/2"
      feedback: That is one flip.
    - text: "3/4"
      feedback: That is at least one head.
  explanation: HH is one of four equally likely outcomes, so **1/4**.
- id: probability-002
  type: numeric
  difficulty: 1
  prompt: What is the expected value of one roll of a fair six-sided die?
  answer: 3.5
  tolerance: {absolute: 0.001}
  explanation: (1 + 2 + 3 + 4 + 5 + 6) / 6 = **3.5**.
- id: probability-003
  type: true_false
  difficulty: 2
  prompt: Two mutually exclusive events with positive probability are independent.
  answer: false
  explanation: P(A and B) = 0 but P(A)P(B) > 0, so they are dependent.
- id: probability-004
  type: text
  difficulty: 2
  prompt: Name the distribution of the number of heads in n independent flips. (one word)
  accept: ["binomial"]
  explanation: The count of successes in n Bernoulli trials is **binomial**.
- id: probability-005
  type: multiple
  difficulty: 3
  shuffle: false
  prompt: Which of these are valid probabilities?
  options:
    - text: "0"
      correct: true
    - text: "0.5"
      correct: true
    - text: "1.5"
      feedback: Probabilities never exceed 1.
    - text: "-0.1"
      feedback: Probabilities are never negative.
  explanation: A probability lies between 0 and 1 inclusive.
- id: probability-006
  type: numeric
  difficulty: 3
  unit: percent
  prompt: A test is 90% sensitive. Of 200 sick people, how many percent test positive?
  answer: 90
  explanation: Sensitivity is the share of sick people who test positive.
- id: probability-007
  type: single
  difficulty: 4
  shuffle: false
  prompt: |
    What does this print?

    ```python
    import random
    random.seed(0)
    print(type(random.random()).__name__)
    ```
  options:
    - text: "`float`"
      correct: true
    - text: "`int`"
      feedback: random() returns a float in [0, 1).
    - text: "`Random`"
      feedback: That is the generator class.
  explanation: "`random.random()` returns a `float`."
- id: probability-008
  type: true_false
  difficulty: 5
  prompt: The variance of a sum of two random variables is always the sum of their variances.
  answer: false
  explanation: Only when they are uncorrelated; otherwise add twice the covariance.
"""

LINEAR_ALGEBRA = """\
- id: linear-algebra-001
  type: numeric
  difficulty: 1
  prompt: What is the dot product of (1, 2) and (3, 4)?
  answer: 11
  explanation: 1·3 + 2·4 = **11**.
- id: linear-algebra-002
  type: true_false
  difficulty: 1
  prompt: Every square matrix has an inverse.
  answer: false
  explanation: Only matrices with a non-zero determinant are invertible.
- id: linear-algebra-003
  type: single
  difficulty: 2
  shuffle: false
  prompt: What is the rank of the 2×2 identity matrix?
  options:
    - text: "2"
      correct: true
    - text: "1"
      feedback: Both columns are independent.
    - text: "0"
      feedback: Only the zero matrix has rank 0.
  explanation: Its two columns are linearly independent, so the rank is **2**.
- id: linear-algebra-004
  type: numeric
  difficulty: 3
  prompt: What is the determinant of [[2, 1], [1, 2]]?
  answer: 3
  explanation: 2·2 − 1·1 = **3**.
- id: linear-algebra-005
  type: text
  difficulty: 4
  prompt: What is the name of a matrix equal to its own transpose? (one word)
  accept: ["symmetric"]
  explanation: A = Aᵀ defines a **symmetric** matrix.
- id: linear-algebra-006
  type: single
  difficulty: 5
  shuffle: false
  prompt: Which decomposition exists for every real matrix?
  options:
    - text: "SVD"
      correct: true
    - text: "Eigendecomposition"
      feedback: Not every matrix is diagonalisable.
    - text: "Cholesky"
      feedback: Needs a symmetric positive-definite matrix.
  explanation: The singular value decomposition exists for every real matrix.
"""

PYTHON_CORE = """\
- id: python-core-001
  type: single
  difficulty: 1
  shuffle: false
  prompt: |
    What does this print?

    ```python
    print(len([1, [2, 3]]))
    ```
  options:
    - text: "`2`"
      correct: true
    - text: "`3`"
      feedback: The inner list counts as one element.
  explanation: The outer list has two elements.
- id: python-core-002
  type: true_false
  difficulty: 2
  prompt: In Python, `0 == False` is `True`.
  answer: true
  explanation: bool is a subclass of int and False equals 0.
- id: python-core-003
  type: numeric
  difficulty: 3
  prompt: What is `7 // 2` in Python?
  answer: 3
  explanation: Floor division rounds down to **3**.
"""


def write_fixed_bank(root: Path) -> Path:
    """Write the fixed bank under `root` and return it."""
    write_bank(
        root,
        {
            "math/probability.yaml": PROBABILITY,
            "math/linear-algebra.yaml": LINEAR_ALGEBRA,
            "programming/python-core.yaml": PYTHON_CORE,
        },
    )
    (root / "areas.yaml").write_text(AREAS_YAML, encoding="utf-8")
    return root


def write_one_item_math_bank(root: Path) -> Path:
    """The fixed bank with Mathematics down to its one several-answer item."""
    write_fixed_bank(root)
    several = PROBABILITY[PROBABILITY.index("- id: probability-005") :]
    several = several[: several.index("- id: probability-006")]
    (root / "math" / "probability.yaml").write_text(several, encoding="utf-8")
    (root / "math" / "linear-algebra.yaml").write_text("", encoding="utf-8")
    return root


# A bank for 80x24: a code question taller than the screen with a code line wider than it
# (Programming), a numeric question whose answer box starts below the screen (Mathematics).
PROSE = " ".join(["The model trains for several epochs on a shuffled dataset."] * 8)
LONG_LINE = "        return sum(self.predict(x) == y for x, y in zip(xs, ys)) / len(ys)"
CODE_TOPIC = f"""\
- id: python-core-001
  type: single
  difficulty: 3
  shuffle: false
  prompt: |
    {PROSE}

    What does this print?

    ```python
    class Model:
        def accuracy(self, xs, ys):
    {LONG_LINE}
    ```
  options:
    - text: "0.5"
      correct: true
    - text: "1.0"
    - text: "0.25"
    - text: "It raises TypeError"
  explanation: Two of the four predictions match.
"""
NUMERIC_TOPIC = f"""\
- id: probability-001
  type: numeric
  difficulty: 3
  prompt: |
    {PROSE}

    {PROSE}

    What is 1/2 as a decimal?
  answer: 0.5
  explanation: One divided by two.
"""
TALL_AREAS = AREAS_YAML.replace(
    "      - id: linear-algebra\n        title: Linear algebra\n"
    "        description: Vectors, matrices, rank and eigenvalues.\n        study:\n"
    "          - Compute small products and determinants by hand, then check with NumPy.\n",
    "",
)


def write_tall_bank(root: Path) -> Path:
    write_bank(
        root, {"programming/python-core.yaml": CODE_TOPIC, "math/probability.yaml": NUMERIC_TOPIC}
    )
    (root / "areas.yaml").write_text(TALL_AREAS, encoding="utf-8")
    return root
