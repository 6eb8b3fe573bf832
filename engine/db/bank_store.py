"""Writing a validated bank into the database, and reading it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.bank.model import AreaInfo, Bank, ItemSpec
from engine.db.models import (
    Area,
    BankImport,
    Item,
    ItemParameterSet,
    ItemVersion,
    Topic,
    utc_now,
)

CALIBRATION_SOURCE = "calibration"


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    retired: int
    unchanged: int

    @property
    def wrote_anything(self) -> bool:
        return bool(self.added or self.changed or self.retired)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.changed} changed, {self.retired} retired, "
            f"{self.unchanged} unchanged"
        )


@dataclass(frozen=True)
class LastImport:
    fingerprint: str
    source: str


def last_import(session: Session) -> LastImport | None:
    row = session.scalars(select(BankImport).order_by(BankImport.id.desc()).limit(1)).first()
    return LastImport(row.fingerprint, row.source) if row is not None else None


def bank_is_current(session: Session, bank: Bank) -> bool:
    """True when the last import had these exact files: nothing to do."""
    latest = last_import(session)
    return latest is not None and latest.fingerprint == bank.fingerprint


def import_bank(session: Session, bank: Bank, source: str) -> ImportSummary:
    """Bring the stored bank in line with `bank` inside the caller's transaction.

    New items are added; an item whose content changed gets a new version (old
    responses keep pointing at what the learner saw); an item missing from the
    bank is retired, never deleted. Calibrated parameters are not overwritten
    by an author's prior.
    """
    if bank_is_current(session, bank):
        return ImportSummary(0, 0, 0, active_item_count(session))
    structure_changed = _sync_areas(session, bank.areas)
    items = {item.id: item for item in session.scalars(select(Item))}
    versions = {
        version.item_id: version
        for version in session.scalars(select(ItemVersion).where(ItemVersion.is_current))
    }
    authored = _latest_author_parameters(session)
    parameters = {
        p.item_id: p
        for p in session.scalars(select(ItemParameterSet).where(ItemParameterSet.is_current))
    }
    added = changed = unchanged = 0
    now = utc_now()
    for spec in bank.items:
        item = items.get(spec.id)
        if item is None:
            _add_item(session, spec)
            added += 1
            continue
        version, current = versions.get(spec.id), parameters.get(spec.id)
        if _update_item(session, item, spec, version, current, authored.get(spec.id), now):
            changed += 1
        else:
            unchanged += 1
    in_bank = {spec.id for spec in bank.items}
    retired = 0
    for item in items.values():
        if item.id not in in_bank and item.retired_at is None:
            item.retired_at = now
            retired += 1
    summary = ImportSummary(added, changed, retired, unchanged)
    if summary.wrote_anything or structure_changed:
        session.add(BankImport(fingerprint=bank.fingerprint, source=source, **summary.as_dict()))
    return summary


def active_item_count(session: Session) -> int:
    count = select(func.count()).select_from(Item).where(Item.retired_at.is_(None))
    return session.scalar(count) or 0


def _sync_areas(session: Session, areas: tuple[AreaInfo, ...]) -> bool:
    changed = False
    stored_areas = {area.id: area for area in session.scalars(select(Area))}
    stored_topics = {topic.id: topic for topic in session.scalars(select(Topic))}
    for area_position, info in enumerate(areas):
        values = {
            "title": info.title,
            "description": info.description,
            "position": area_position,
            "cut_developing": info.cut_scores.developing,
            "cut_job_ready": info.cut_scores.job_ready,
            "cut_strong": info.cut_scores.strong,
        }
        changed |= _upsert(session, stored_areas.get(info.id), Area, info.id, values)
        for topic_position, topic in enumerate(info.topics):
            topic_values = {
                "area_id": info.id,
                "title": topic.title,
                "description": topic.description,
                "study": list(topic.study),
                "position": topic_position,
            }
            changed |= _upsert(session, stored_topics.get(topic.id), Topic, topic.id, topic_values)
    session.flush()
    return changed


def _upsert(session: Session, row: object, model: type, key: str, values: dict) -> bool:
    if row is None:
        session.add(model(id=key, **values))
        return True
    differs = any(getattr(row, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(row, name, value)
    return differs


def _add_item(session: Session, spec: ItemSpec) -> None:
    item = Item(id=spec.id, area_id=spec.area, topic_id=spec.topic)
    item.versions.append(
        ItemVersion(version=1, content_hash=spec.content_hash, content=spec.content())
    )
    item.parameter_sets.append(
        ItemParameterSet(a=spec.a, b=spec.b, c=spec.c, source=spec.parameter_source)
    )
    session.add(item)


def _update_item(
    session: Session,
    item: Item,
    spec: ItemSpec,
    version: ItemVersion | None,
    parameters: ItemParameterSet | None,
    author_parameters: ItemParameterSet | None,
    now: dt.datetime,
) -> bool:
    changed = False
    if item.retired_at is not None:
        item.retired_at = None
        changed = True
    if (item.area_id, item.topic_id) != (spec.area, spec.topic):
        item.area_id, item.topic_id = spec.area, spec.topic
        changed = True
    if version is None or version.content_hash != spec.content_hash:
        number = 1
        if version is not None:
            version.is_current = False
            number = version.version + 1
        session.add(
            ItemVersion(
                item_id=item.id,
                version=number,
                content_hash=spec.content_hash,
                content=spec.content(),
            )
        )
        changed = True
    if _parameters_differ(parameters, author_parameters, spec):
        if parameters is not None:
            session.execute(
                update(ItemParameterSet)
                .where(ItemParameterSet.id == parameters.id)
                .values(is_current=False)
            )
        session.add(
            ItemParameterSet(
                item_id=item.id, a=spec.a, b=spec.b, c=spec.c, source=spec.parameter_source
            )
        )
        changed = True
    return changed


def _latest_author_parameters(session: Session) -> dict[str, ItemParameterSet]:
    """Per item, the newest parameter set that came from the bank files."""
    latest: dict[str, ItemParameterSet] = {}
    rows = session.scalars(
        select(ItemParameterSet)
        .where(ItemParameterSet.source != CALIBRATION_SOURCE)
        .order_by(ItemParameterSet.id)
    )
    for row in rows:
        latest[row.item_id] = row
    return latest


def _parameters_differ(
    stored: ItemParameterSet | None, author: ItemParameterSet | None, spec: ItemSpec
) -> bool:
    """Whether the bank's parameters must replace the current set.

    A calibrated set stays unless the author *changed* explicit `irt:` values
    since it was calibrated; a changed `difficulty` guess never beats data.
    """
    if stored is None:
        return True
    if stored.source == CALIBRATION_SOURCE:
        if spec.parameter_source == "difficulty":
            return False
        return author is None or _values(author) != _spec_values(spec)
    return _values(stored) != _spec_values(spec)


def _values(row: ItemParameterSet) -> tuple[float, float, float, str]:
    return (row.a, row.b, row.c, row.source)


def _spec_values(spec: ItemSpec) -> tuple[float, float, float, str]:
    return (spec.a, spec.b, spec.c, spec.parameter_source)
