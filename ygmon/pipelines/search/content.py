"""The content service: every write ygmon makes to a searchable row goes through here.

Each method writes in one transaction and, once it committed, enqueues the index
update of what it touched (index_changed, which collapses bursts; many new rows
of one type go to one search-index-bulk job). A caller cannot write a searchable row
and forget the index. The demo, the blog publisher, `ygmon assets import` and the
tests use it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from ygmon.db import Database
from ygmon.db.base import Base, utcnow
from ygmon.db.models import BlogPost, Creator, IpAsset, License, Project
from ygmon.errors import ConfigError
from ygmon.pipelines.search.changes import Enqueue, bulk_changed, index_changed
from ygmon.pipelines.search.entities import entity

IMPORT_CHUNK = 1000
"""Ids per bulk job when announcing rows written elsewhere."""

MODELS: dict[str, type[Base]] = {
    "asset": IpAsset,
    "creator": Creator,
    "project": Project,
    "license": License,
    "blog_post": BlogPost,
}


def _model(entity_name: str) -> Any:
    return MODELS[entity(entity_name).name]


def _build(model: Any, values: dict[str, Any]) -> Any:
    unknown = sorted(set(values) - set(model.__table__.columns.keys()) - {"metadata_"})
    if unknown:
        raise ConfigError(f"{model.__tablename__} has no field {', '.join(unknown)}")
    return model(**values)


class ContentService:
    """Writes of assets, creators, projects, licenses and blog posts, each followed by
    its search index update."""

    def __init__(self, database: Database, enqueue: Enqueue) -> None:
        self.database = database
        self.enqueue = enqueue

    async def create(self, entity_name: str, **values: Any) -> str:
        """Insert one row; its id. The index update is enqueued after the commit."""
        row = _build(_model(entity_name), values)
        async with self.database.writer() as session:
            session.add(row)
        index_changed(self.enqueue, entity_name, row.id)
        return row.id

    async def create_many(
        self, entity_name: str, rows: list[dict[str, Any]], *, pause: float = 0.0
    ) -> list[str]:
        """Insert many rows of one type in one transaction; one bulk index job for all
        (`pause`: seconds between its batches, for a demo to watch)."""
        model = _model(entity_name)
        built = [_build(model, values) for values in rows]
        async with self.database.writer() as session:
            session.add_all(built)
        ids = [row.id for row in built]
        bulk_changed(self.enqueue, entity_name, ids, pause=pause)
        return ids

    async def imported(self, entity_name: str, ids: list[str]) -> int:
        """Rows of one type that were written in bulk by other means (a seed, a restore):
        their index updates go out as bulk jobs of IMPORT_CHUNK ids; how many jobs."""
        entity(entity_name)
        jobs = 0
        for start in range(0, len(ids), IMPORT_CHUNK):
            if bulk_changed(self.enqueue, entity_name, ids[start : start + IMPORT_CHUNK]):
                jobs += 1
        return jobs

    async def update(self, entity_name: str, entity_id: str, **values: Any) -> bool:
        """Change fields of one row; False when there is no such row."""
        model = _model(entity_name)
        _build(model, values)  # field names checked the same way as for create
        async with self.database.writer() as session:
            result = await session.execute(
                update(model)
                .where(model.id == entity_id)
                .values(**{"updated_at": utcnow(), **values})
            )
        if not result.rowcount:
            return False
        index_changed(self.enqueue, entity_name, entity_id)
        return True

    async def soft_delete(
        self, entity_name: str, entity_id: str, at: datetime | None = None
    ) -> bool:
        """Mark one row deleted (it leaves the index); False when there is none."""
        return await self.update(entity_name, entity_id, deleted_at=at or utcnow())

    async def delete(self, entity_name: str, entity_id: str) -> bool:
        """Delete one row for good; an asset takes its licenses along (the schema
        cascades), and their entries leave the index too."""
        model = _model(entity_name)
        licenses: list[str] = []
        async with self.database.writer() as session:
            if entity_name == "asset":
                licenses = list(
                    await session.scalars(
                        select(License.id).where(License.ip_asset_id == entity_id)
                    )
                )
            result = await session.execute(delete(model).where(model.id == entity_id))
        if not result.rowcount:
            return False
        index_changed(self.enqueue, entity_name, entity_id)
        for license_id in licenses:
            index_changed(self.enqueue, "license", license_id)
        return True
