"""Answer checks for quizzes/programming/oop-design.yaml: each computes the keyed answer from first principles.

Most checks decide a statement by experiment: they build the classes described in the
item and observe what Python does, then map the observations to the option texts.
"""

from dataclasses import dataclass


def _c3_mro(cls_name: str, bases: dict[str, list[str]]) -> list[str]:
    """C3 linearisation computed by hand from a {class: [bases]} table."""

    def merge(seqs: list[list[str]]) -> list[str]:
        out: list[str] = []
        seqs = [list(s) for s in seqs if s]
        while seqs:
            for seq in seqs:
                head = seq[0]
                if not any(head in s[1:] for s in seqs):
                    break
            else:
                raise TypeError("no consistent MRO")
            out.append(head)
            seqs = [[c for c in s if c != head] for s in seqs]
            seqs = [s for s in seqs if s]
        return out

    parents = bases[cls_name]
    return [cls_name] + merge([_c3_mro(p, bases) for p in parents] + [list(parents)])


def _oop_design_008() -> bool:
    # Statement: Python prevents outside code from reading/changing `_cache`.
    class Model:
        def __init__(self):
            self._cache = {"a": 1}

    m = Model()
    try:
        m._cache = {}
        _ = m._cache
        prevented = False
    except AttributeError:
        prevented = True
    return prevented


def _oop_design_010() -> bool:
    # Statement: callers must switch to a method call once `threshold` is a property.
    class Model:
        def __init__(self):
            self._threshold = 0.5

        @property
        def threshold(self):
            return self._threshold

        @threshold.setter
        def threshold(self, value):
            if not 0 <= value <= 1:
                raise ValueError
            self._threshold = value

    m = Model()
    m.threshold = 0.7  # the old attribute syntax
    attribute_syntax_still_works = m.threshold == 0.7
    return not attribute_syntax_still_works


@dataclass
class Sample:  # module level, so that its repr shows the plain class name
    features: list
    label: int


def _oop_design_016() -> set[str]:
    facts = set()
    try:
        Sample([1.0, 2.0], 1)
        facts.add(
            "`Sample([1.0, 2.0], 1)` works because an `__init__` taking the fields in order is generated"
        )
    except TypeError:
        pass
    if repr(Sample([1.0], 0)) == "Sample(features=[1.0], label=0)" and str(
        Sample([1.0], 0)
    ) == repr(Sample([1.0], 0)):
        facts.add(
            "`print(Sample([1.0], 0))` shows the field values, as `Sample(features=[1.0], label=0)`"
        )
    if Sample([1.0], 0) == Sample([1.0], 0):
        facts.add(
            "`Sample([1.0], 0) == Sample([1.0], 0)` is `True`: a field-wise `__eq__` is generated"
        )
    try:
        Sample([1.0], 0) < Sample([2.0], 1)
        facts.add(
            "`Sample([1.0], 0) < Sample([2.0], 1)` works because ordering methods are generated too"
        )
    except TypeError:
        pass
    if Sample.__hash__ is not None:
        facts.add("Instances can be put in a `set` because a field-based `__hash__` is generated")
    return facts


def _oop_design_018() -> str:
    mro = _c3_mro(
        "Both", {"Both": ["Left", "Right"], "Left": ["Base"], "Right": ["Base"], "Base": []}
    )
    prefix = {"Both": "B>", "Left": "L>", "Right": "R>"}
    out = ""
    for cls in mro:  # each tag() prepends its prefix, then super() moves one step along the MRO
        if cls == "Base":
            return f"`{out}Base`"
        out += prefix[cls]
    raise AssertionError("Base not reached")


def _oop_design_021() -> bool:
    # Statement: instances of a class defining only __eq__ still work as dict keys.
    class Key:
        def __init__(self, v):
            self.v = v

        def __eq__(self, other):
            return isinstance(other, Key) and self.v == other.v

    try:
        {Key(1): "x"}
        return True
    except TypeError:
        return False


def _oop_design_022() -> float:
    # Each explicit Parent.__init__(self) call runs that initialiser in full; count runs.
    explicit_calls = {"C": ["A", "B"], "A": ["Base"], "B": ["Base"], "Base": []}

    def runs(cls: str) -> int:
        return 1 + sum(runs(parent) for parent in explicit_calls[cls])

    return runs("C")


def _oop_design_023() -> set[str]:
    class Point:
        __slots__ = ("x", "y")

        def __init__(self, x, y):
            self.x = x
            self.y = y

    class Sub(Point):
        pass

    p = Point(1, 2)
    facts = set()
    try:
        p.z = 3
    except AttributeError:
        facts.add("`p.z = 3` raises `AttributeError`")
    if not hasattr(p, "__dict__"):
        facts.add("Instances have no per-instance `__dict__`, which saves memory")
    try:
        p.x = 10
    except AttributeError:
        facts.add("`p.x = 10` raises `AttributeError` because slotted attributes are read-only")
    if not hasattr(Sub(1, 2), "__dict__"):
        facts.add("A subclass that doesn't define `__slots__` also has no `__dict__`")
    a, b = Point(1, 2), Point(1, 2)
    if hash(a) == hash(b) and a == b:
        facts.add("`__slots__` makes instances immutable, so `Point` objects are hashable by value")
    return facts


def _oop_design_027() -> str:
    mro_tables = {"A": [], "B": [], "X": ["A", "B"], "Y": ["B", "A"], "Z": ["X", "Y"]}
    try:
        _c3_mro("Z", mro_tables)
    except TypeError:
        return "The `class Z` statement raises `TypeError` because no consistent method resolution order exists"
    return "Z is created"


def _oop_design_028() -> float:
    units = {0: 64, 1: 32}  # one attribute per object
    units[1] = 16
    return float(sum(units.values()))


def _oop_design_029() -> bool:
    import keyword

    namespace: dict = {}
    exec("class Model:\n    def fit(this, x):\n        return x * 2\n", namespace)
    works = namespace["Model"]().fit(3) == 6
    return keyword.iskeyword("self") and not works


CHECKS = {
    "oop-design-008": _oop_design_008,
    "oop-design-010": _oop_design_010,
    "oop-design-016": _oop_design_016,
    "oop-design-018": _oop_design_018,
    "oop-design-021": _oop_design_021,
    "oop-design-022": _oop_design_022,
    "oop-design-023": _oop_design_023,
    "oop-design-027": _oop_design_027,
    "oop-design-028": _oop_design_028,
    "oop-design-029": _oop_design_029,
}
