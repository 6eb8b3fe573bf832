"""Answer checks for quizzes/ml/nlp-basics.yaml.

TF-IDF, BPE, attention and perplexity are recomputed from their definitions with the
standard library and NumPy; the scikit-learn behaviour items are checked against the
installed scikit-learn. Code-output snippets are run separately by test_answer_keys.py.
"""

import math
from collections import Counter

import numpy as np


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _attention(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> np.ndarray:
    return _softmax(q @ k.T / math.sqrt(k.shape[1])) @ v


def _bpe(word_counts: dict[str, int], merges: int) -> list[tuple[tuple[str, ...], int]]:
    """Byte-pair encoding training as Sennrich et al. describe it; refuses ties."""
    words = [(tuple(word), count) for word, count in word_counts.items()]
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for symbols, count in words:
            for pair in zip(symbols, symbols[1:], strict=False):
                pairs[pair] += count
        (best, best_count), (_, runner_up) = pairs.most_common(2)
        assert best_count > runner_up, "the item must not depend on tie-breaking"
        merged = []
        for symbols, count in words:
            out: list[str] = []
            i = 0
            while i < len(symbols):
                if symbols[i : i + 2] == best:
                    out.append("".join(best))
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged.append((tuple(out), count))
        words = merged
    return words


def _nlp_basics_002() -> bool:
    first = Counter("the fix was not good it was bad".split())
    second = Counter("the fix was not bad it was good".split())
    return first == second


def _nlp_basics_007() -> bool:
    n_docs = 5
    idf = math.log(n_docs / n_docs)
    return all(tf * idf == 0 for tf in (1, 3, 10))


def _nlp_basics_008() -> bool:
    a, b = np.array([2.0, 1.0, 0.0, 3.0]), np.array([1.0, 0.0, 4.0, 1.0])

    def cosine(x: np.ndarray, y: np.ndarray) -> float:
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    return not math.isclose(cosine(a, b), cosine(2 * a, b))


def _nlp_basics_010() -> set[str]:
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer()
    vocab = set(vec.fit(["I like the café", "a cafe likes me and the Cat"]).vocabulary_)
    behaviours = {
        "It lowercases the text before tokenising": "cat" in vocab and "Cat" not in vocab,
        'It ignores tokens of a single character, such as "a" or "I"': not {"a", "i"} & vocab,
        'It removes English stop words such as "the" and "and"': "the" not in vocab,
        'It reduces words to their stems, so "likes" counts as "like"': "likes" not in vocab,
        'It strips accents, so "café" and "cafe" become one token': "café" not in vocab,
    }
    return {text for text, happens in behaviours.items() if happens}


def _nlp_basics_012() -> int:
    tokens = "the cat sat on the mat".split()
    bigrams = set(zip(tokens, tokens[1:], strict=False))
    return len(set(tokens)) + len(bigrams)


def _nlp_basics_013() -> float:
    docs = ["cheap flights cheap hotels", "cheap cars", "hotels near flights"]
    words = [d.split() for d in docs]
    tf = words[0].count("cheap") / len(words[0])
    df = sum("cheap" in w for w in words)
    return tf * math.log(len(docs) / df)


def _nlp_basics_014() -> str:
    corpus = {"cart": 6, "carts": 2, "card": 5, "scar": 3, "art": 4}
    ((symbols, _), *_) = _bpe(corpus, 1)
    merged = next(s for s in symbols if len(s) == 2)
    return f"`{merged[0]}` + `{merged[1]}` → `{merged}`"


def _nlp_basics_016() -> float:
    q = np.array([[1.0, 0.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    weights = _softmax(q @ k.T / math.sqrt(2))
    return float(weights[0, 2])


def _nlp_basics_017() -> float:
    scores = np.array([2.0, 1.0, 0.0, 0.0])
    mask = np.array([True, True, False, False])
    return float(_softmax(np.where(mask, scores, -np.inf))[0])


def _nlp_basics_018() -> str:
    q = np.zeros((8, 8, 20, 64))
    k = np.zeros((8, 8, 20, 64))
    return f"`{(q @ k.swapaxes(-2, -1)).shape}`"


def _nlp_basics_021() -> int:
    vocab, d_model = 30_000, 300
    shared_matrix = vocab * d_model
    output_bias = vocab
    return shared_matrix + output_bias


def _nlp_basics_022() -> int:
    tokens = "we rent bikes by the hour".split()
    window = 2
    return sum(
        1 for i in range(len(tokens)) for j in range(len(tokens)) if i != j and abs(i - j) <= window
    )


def _nlp_basics_026() -> str:
    vectors = {
        "walk": (2, 0, 1),
        "walked": (2, 1, 3),
        "swim": (0, 2, 1),
        "swam": (0, 3, 2),
        "swimming": (0, 3, 0),
        "ran": (1, 1, 3),
        "swimmer": (-1, 3, 1),
    }
    v = {w: np.array(x, dtype=float) for w, x in vectors.items()}
    target = v["walked"] - v["walk"] + v["swim"]
    candidates = {w: x for w, x in v.items() if w not in ("walk", "walked", "swim")}
    return max(
        candidates,
        key=lambda w: candidates[w] @ target / np.linalg.norm(candidates[w]),
    )


def _nlp_basics_027() -> float:
    tokens, heads, bytes_per_number = 8192, 16, 2
    return tokens * tokens * heads * bytes_per_number / 2**30


def _nlp_basics_028() -> float:
    probabilities = [0.25, 0.5, 0.125, 0.5]
    mean_nll = -sum(math.log(p) for p in probabilities) / len(probabilities)
    return math.exp(mean_nll)


def _nlp_basics_029() -> set[str]:
    rng = np.random.default_rng(0)
    real = rng.normal(size=(3, 4))  # one review: 3 real token embeddings
    target = real.mean(axis=0)
    learnable_pad = rng.normal(size=4)

    def pooled(option: str, n_pads: int) -> np.ndarray:
        pads_learned = np.tile(learnable_pad, (n_pads, 1))
        pads_zero = np.zeros((n_pads, 4))
        mask = np.array([1.0] * 3 + [0.0] * n_pads)
        if option == "masked":
            emb = np.vstack([real, pads_learned])
            return (emb * mask[:, None]).sum(axis=0) / mask.sum()
        if option == "padding_idx":
            return np.vstack([real, pads_zero]).mean(axis=0)
        if option == "sorted":  # less padding, but some
            return np.vstack([real, pads_learned[: max(1, n_pads // 2)]]).mean(axis=0)
        return np.vstack([real, pads_learned]).max(axis=0)  # unmasked max

    texts = {
        "masked": "Zero the pad positions with the mask, sum, and divide by the number of real "
        "tokens",
        "padding_idx": "Set `padding_idx=0` in the embedding so pad vectors are zero, and keep "
        "`mean(dim=1)`",
        "sorted": "Sort the data by length so each batch needs fewer pad tokens",
        "max": "Replace `mean(dim=1)` by `max(dim=1)` over all positions, pads included",
    }
    return {
        texts[option]
        for option in texts
        if all(np.allclose(pooled(option, n), target) for n in (2, 5, 9))
    }


def _nlp_basics_030() -> bool:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 8))
    wq, wk, wv = (rng.normal(size=(8, 8)) for _ in range(3))

    def layer(inputs: np.ndarray) -> np.ndarray:
        return _attention(inputs @ wq, inputs @ wk, inputs @ wv)

    order = np.array([0, 3, 2, 1, 4])  # swap tokens 1 and 3
    return bool(np.allclose(layer(x[order]), layer(x)[order]))


def _nlp_basics_031() -> int:
    corpus = {"tea": 7, "team": 4, "steam": 3, "seat": 2, "eat": 6}
    return sum(len(symbols) * count for symbols, count in _bpe(corpus, 3))


def _tfidf_row(docs: list[list[str]], row: int) -> dict[str, float]:
    """scikit-learn's defaults: raw tf, smooth idf ln((1+n)/(1+df)) + 1, L2-normalised rows."""
    n = len(docs)
    df = Counter(term for doc in docs for term in set(doc))
    weights = {t: c * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in Counter(docs[row]).items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()}


def _nlp_basics_032() -> float:
    docs = ["the cat sat on the mat", "the dog sat", "a cat and a dog ran"]
    tokens = [[t for t in d.split() if len(t) >= 2] for d in docs]  # default token_pattern
    return _tfidf_row(tokens, 0)["cat"]


def _nlp_basics_033() -> set[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    ticket = "refund not received. card was charged twice"
    corpus = [ticket, "card declined twice", "app crashes on login", "card expired"]

    def vector_of_t(docs: list[str], index: int = 0) -> dict[str, float]:
        vec = TfidfVectorizer().fit(docs)
        row = vec.transform([docs[index]]).toarray()[0]
        names = vec.get_feature_names_out()
        return {names[i]: round(float(row[i]), 12) for i in np.flatnonzero(row)}

    before = vector_of_t(corpus)
    changes = {
        "Adding a new ticket that contains one of T's words": corpus + ["refund please"],
        "Adding a new ticket that shares no word with T": corpus + ["password reset link"],
        "Rewriting T entirely in capital letters": [ticket.upper()] + corpus[1:],
        "Appending a second copy of T's text to T itself": [ticket + " " + ticket] + corpus[1:],
        "Reordering the sentences within T": ["card was charged twice. refund not received"]
        + corpus[1:],
    }
    return {text for text, docs in changes.items() if vector_of_t(docs) != before}


CHECKS = {
    "nlp-basics-002": _nlp_basics_002,
    "nlp-basics-007": _nlp_basics_007,
    "nlp-basics-008": _nlp_basics_008,
    "nlp-basics-010": _nlp_basics_010,
    "nlp-basics-012": _nlp_basics_012,
    "nlp-basics-013": _nlp_basics_013,
    "nlp-basics-014": _nlp_basics_014,
    "nlp-basics-016": _nlp_basics_016,
    "nlp-basics-017": _nlp_basics_017,
    "nlp-basics-018": _nlp_basics_018,
    "nlp-basics-021": _nlp_basics_021,
    "nlp-basics-022": _nlp_basics_022,
    "nlp-basics-026": _nlp_basics_026,
    "nlp-basics-027": _nlp_basics_027,
    "nlp-basics-028": _nlp_basics_028,
    "nlp-basics-029": _nlp_basics_029,
    "nlp-basics-030": _nlp_basics_030,
    "nlp-basics-031": _nlp_basics_031,
    "nlp-basics-032": _nlp_basics_032,
    "nlp-basics-033": _nlp_basics_033,
}
