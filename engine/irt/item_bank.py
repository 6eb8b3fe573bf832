"""The item bank as a small value object: parameter arrays, areas and topics.

Validation happens once, here; everything downstream can assume ``a > 0``,
finite ``b`` and ``0 <= c < 1``. Areas and topics are stored as integer codes
so that selection can mask them with vectorised comparisons; the labels map
codes back to names. A topic belongs to exactly one area, and topic codes are
global (a topic name reused in two areas gives two codes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np
import numpy.typing as npt

from engine.irt.model import (
    ArrayLike,
    FloatArray,
    InformationTerms,
    information,
    information_terms,
)

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Label used for the single area (and topic) of a bank built without them.
DEFAULT_LABEL = "all"


class BankItem(Protocol):
    """What `ItemBank.from_items` needs of an item (e.g. ``engine.bank`` items)."""

    @property
    def id(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def a(self) -> float: ...
    @property
    def b(self) -> float: ...
    @property
    def c(self) -> float: ...


def parameter_problems(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> list[tuple[int, str, str]]:
    """Every invalid parameter, as ``(item index, parameter name, message)``.

    Valid items have finite ``a > 0``, finite ``b`` and ``0 <= c < 1``.
    """
    problems: list[tuple[int, str, str]] = []
    arrays = {
        name: np.atleast_1d(np.asarray(values, dtype=np.float64))
        for name, values in (("a", a), ("b", b), ("c", c))
    }
    for index in range(arrays["a"].size):
        a_value, b_value, c_value = (float(arrays[name][index]) for name in "abc")
        if not (math.isfinite(a_value) and a_value > 0.0):
            problems.append(
                (index, "a", f"discrimination a must be a finite number > 0, got {a_value:g}")
            )
        if not math.isfinite(b_value):
            problems.append((index, "b", f"difficulty b must be finite, got {b_value:g}"))
        if not (math.isfinite(c_value) and 0.0 <= c_value < 1.0):
            problems.append((index, "c", f"guessing c must be in [0, 1), got {c_value:g}"))
    return problems


def _codes(labels: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    """Integer codes in order of first appearance, and the distinct labels."""
    distinct: dict[str, int] = {}
    codes = np.fromiter((distinct.setdefault(label, len(distinct)) for label in labels), np.intp)
    return codes, tuple(distinct)


def _read_only(values: np.ndarray) -> np.ndarray:
    values.setflags(write=False)
    return values


@dataclass(frozen=True, eq=False)
class ItemBank:
    """3PL item parameters with area and topic codes.

    Build with `ItemBank.from_arrays` or `ItemBank.from_items`; both validate.

    Attributes
    ----------
    a, b, c : numpy.ndarray
        Discrimination, difficulty and guessing, one per item (read-only).
    area : numpy.ndarray
        Area code of each item, indexing `area_labels`.
    topic : numpy.ndarray
        Topic code of each item, indexing `topic_labels`.
    area_labels : tuple of str
        Area names, by code.
    topic_labels : tuple of (str, str)
        ``(area, topic)`` names, by topic code.
    topic_area : numpy.ndarray
        Area code of each topic.
    ids : tuple of str
        Item identifiers (``"0"``, ``"1"``, ... when none were given).
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    area: IntArray
    topic: IntArray
    area_labels: tuple[str, ...]
    topic_labels: tuple[tuple[str, str], ...]
    topic_area: IntArray
    ids: tuple[str, ...]
    format: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    format_labels: tuple[str, ...] = (DEFAULT_LABEL,)

    @classmethod
    def from_arrays(
        cls,
        a: ArrayLike,
        b: ArrayLike,
        c: ArrayLike | None = None,
        *,
        areas: Sequence[str] | None = None,
        topics: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        formats: Sequence[str] | None = None,
    ) -> ItemBank:
        """Validate and build a bank.

        Parameters
        ----------
        a, b : array_like
            Discrimination and difficulty per item.
        c : array_like, optional
            Guessing per item (default 0: a 2PL bank).
        areas, topics : sequence of str, optional
            Area and topic name per item (default: one area/topic ``"all"``).
        ids : sequence of str, optional
            Item identifiers.
        formats : sequence of str, optional
            Response format per item ("single", "numeric", ...), for format
            balancing (default: one format).

        Raises
        ------
        ValueError
            Listing every invalid parameter, or mismatched lengths.
        """
        a_arr = np.atleast_1d(np.array(a, dtype=np.float64))
        b_arr = np.atleast_1d(np.array(b, dtype=np.float64))
        c_arr = np.zeros_like(a_arr) if c is None else np.atleast_1d(np.array(c, dtype=np.float64))
        n_items = a_arr.size
        area_names = list(areas) if areas is not None else [DEFAULT_LABEL] * n_items
        topic_names = list(topics) if topics is not None else [DEFAULT_LABEL] * n_items
        id_names = [str(i) for i in ids] if ids is not None else [str(i) for i in range(n_items)]
        format_names = list(formats) if formats is not None else [DEFAULT_LABEL] * n_items
        lengths = {len(x) for x in (b_arr, c_arr, area_names, topic_names, id_names, format_names)}
        if lengths != {n_items} or a_arr.ndim != 1:
            raise ValueError("a, b, c, areas, topics and ids must all have one entry per item")
        problems = parameter_problems(a_arr, b_arr, c_arr)
        if problems:
            raise ValueError(
                "invalid item parameters: "
                + "; ".join(f"item {id_names[i]}: {message}" for i, _, message in problems)
            )
        area_codes, area_labels = _codes(area_names)
        topic_codes, topic_pairs = _codes(
            [f"{area}\x00{topic}" for area, topic in zip(area_names, topic_names, strict=True)]
        )
        topic_labels = tuple(tuple(pair.split("\x00", 1)) for pair in topic_pairs)
        topic_area = np.array([area_labels.index(area) for area, _ in topic_labels], dtype=np.intp)
        format_codes, format_labels = _codes(format_names)
        return cls(
            a=_read_only(a_arr),
            b=_read_only(b_arr),
            c=_read_only(c_arr),
            area=_read_only(area_codes),
            topic=_read_only(topic_codes),
            area_labels=area_labels,
            topic_labels=topic_labels,  # type: ignore[arg-type]
            topic_area=_read_only(topic_area),
            ids=tuple(id_names),
            format=_read_only(format_codes),
            format_labels=format_labels,
        )

    @classmethod
    def from_items(cls, items: Iterable[BankItem]) -> ItemBank:
        """Build from objects with ``id``, ``area``, ``topic``, ``a``, ``b``, ``c``."""
        listed = list(items)
        return cls.from_arrays(
            [item.a for item in listed],
            [item.b for item in listed],
            [item.c for item in listed],
            areas=[item.area for item in listed],
            topics=[item.topic for item in listed],
            ids=[item.id for item in listed],
            formats=[str(getattr(item, "type", DEFAULT_LABEL)) for item in listed],
        )

    @property
    def n_items(self) -> int:
        """Number of items."""
        return int(self.a.size)

    @property
    def n_areas(self) -> int:
        """Number of areas."""
        return len(self.area_labels)

    @property
    def n_topics(self) -> int:
        """Number of topics, over all areas."""
        return len(self.topic_labels)

    @property
    def n_formats(self) -> int:
        """Number of response formats."""
        return len(self.format_labels)

    def __len__(self) -> int:
        return self.n_items

    @cached_property
    def information_terms(self) -> InformationTerms:
        """Precomputed constants for fast information over the bank."""
        return information_terms(self.a, self.b, self.c)

    @cached_property
    def rows(self) -> tuple[tuple[float, float, float, int, int, int], ...]:
        """``(a, b, c, area, topic, area_format)`` per item as plain Python numbers.

        For fast scalar access when recording an answer.
        """
        return tuple(
            zip(
                self.a.tolist(),
                self.b.tolist(),
                self.c.tolist(),
                self.area.tolist(),
                self.topic.tolist(),
                self.area_format.tolist(),
                strict=True,
            )
        )

    @cached_property
    def max_information(self) -> FloatArray:
        """Each item's largest Fisher information over ability (read-only).

        Attained at ``b + ln((1 + sqrt(1 + 8c)) / 2) / a`` (Lord, 1980); for the
        2PL that is ``b`` and the maximum ``a^2 / 4``.
        """
        peak = self.b + np.log((1.0 + np.sqrt(1.0 + 8.0 * self.c)) / 2.0) / self.a
        return _read_only(information(peak, self.a, self.b, self.c))

    @cached_property
    def has_content_categories(self) -> bool:
        """True when the bank has more than one area, topic or response format."""
        return max(self.n_areas, self.n_topics, self.n_formats) > 1

    @cached_property
    def topic_share(self) -> FloatArray:
        """Each topic's share of its area's items (read-only), for content quotas."""
        topic_sizes = np.bincount(self.topic, minlength=self.n_topics).astype(np.float64)
        area_sizes = np.bincount(self.area, minlength=self.n_areas).astype(np.float64)
        return _read_only(topic_sizes / area_sizes[self.topic_area])

    @cached_property
    def area_format(self) -> IntArray:
        """Code of each item's (area, format) pair: ``area * n_formats + format`` (read-only)."""
        return _read_only(self.area * self.n_formats + self.format)

    @cached_property
    def area_format_share(self) -> FloatArray:
        """Share of each response format among an area's items, flat by `area_format` code."""
        pair_sizes = np.bincount(self.area_format, minlength=self.n_areas * self.n_formats)
        area_sizes = np.bincount(self.area, minlength=self.n_areas).astype(np.float64)
        pair_area = np.repeat(np.arange(self.n_areas), self.n_formats)
        return _read_only(pair_sizes / area_sizes[pair_area])

    @cached_property
    def indices(self) -> IntArray:
        """``arange(n_items)``, shared (read-only)."""
        return _read_only(np.arange(self.n_items, dtype=np.intp))

    def area_index(self, label: str) -> int:
        """Code of the area named ``label``."""
        return self.area_labels.index(label)

    def subset(self, mask: ArrayLike) -> ItemBank:
        """A new bank with only the items where ``mask`` is true (codes rebuilt)."""
        keep = np.flatnonzero(np.asarray(mask, dtype=bool))
        return ItemBank.from_arrays(
            self.a[keep],
            self.b[keep],
            self.c[keep],
            areas=[self.area_labels[self.area[i]] for i in keep],
            topics=[self.topic_labels[self.topic[i]][1] for i in keep],
            ids=[self.ids[i] for i in keep],
            formats=[self.format_labels[self.format[i]] for i in keep],
        )


#: Per-area values: one number for every area, a mapping from area label, or a
#: sequence by area code.
PerArea = float | Mapping[str, float] | Sequence[float] | np.ndarray


def per_area_values(bank: ItemBank, values: PerArea | None, default: float) -> FloatArray:
    """Per-area values as a float array by area code (``default`` where missing).

    Raises
    ------
    ValueError
        For an unknown area label or a sequence of the wrong length.
    """
    result = np.full(bank.n_areas, default, dtype=np.float64)
    if values is None:
        return result
    if isinstance(values, Mapping):
        for label, value in values.items():
            if label not in bank.area_labels:
                raise ValueError(f"unknown area {label!r}; the bank has {list(bank.area_labels)}")
            result[bank.area_index(label)] = float(value)
        return result
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return np.full(bank.n_areas, float(array))
    if array.size != bank.n_areas:
        raise ValueError(f"expected one value per area ({bank.n_areas}), got {array.size}")
    return array.astype(np.float64).reshape(-1)
