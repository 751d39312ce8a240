"""Create, update, soft-delete and delete of each entity type: found, changed and gone
in search results once the real update job has run (SQLite FTS5 and Postgres)."""

from __future__ import annotations

from datetime import date

from search_helpers import settle

from ygmon.db import Database
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import WorkerProcess
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import index_many, index_sizes, search


async def _found(db: Database, query: str, entity: str | None = None) -> set[tuple[str, str]]:
    return {(h.entity, h.id) for h in await search(db, query, entity)}


async def test_every_entity_is_found_changed_and_gone(
    db: Database, runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> None:
    creator = await content.create(
        "creator", stage_name="Zephyrine", bio="ambient synth", specialties=["modular"]
    )
    project = await content.create("project", title="Harbourlight launch", description="ferries")
    asset = await content.create(
        "asset",
        title="Quasar nights",
        description="city timelapse",
        tags=["neon", "skyline"],
        type="VIDEO",
        storage_key="assets/q.mp4",
        creator_id=creator,
    )
    lic = await content.create(
        "license",
        ip_asset_id=asset,
        license_type="EXCLUSIVE",
        scope="broadcast worldwide",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    post = await content.create(
        "blog_post", title="Backstage notes", slug="backstage", excerpt="how", content="marzipan"
    )
    await settle(runtime)
    assert await _found(db, "zephyrine") == {("creator", creator)}
    assert await _found(db, "modular", "creator") == {("creator", creator)}
    assert await _found(db, "harbourlight") == {("project", project)}
    assert await _found(db, "skyline") == {("asset", asset)}
    assert await _found(db, "quasar") == {("asset", asset), ("license", lic)}
    assert await _found(db, "broadcast", "license") == {("license", lic)}
    assert await _found(db, "marzipan") == {("blog_post", post)}
    assert await _found(db, "Quas") == {("asset", asset), ("license", lic)}  # prefix
    hits = await search(db, "marzipan")
    assert "«marzipan»" in hits[0].snippet and hits[0].title == "Backstage notes"

    # Updates: the old words leave, the new ones arrive; a license follows its asset.
    await content.update("creator", creator, stage_name="Oriflamme")
    await content.update("project", project, description="lighthouses")
    await content.update("asset", asset, title="Pulsar mornings")
    await content.update("license", lic, scope="cinema only")
    await content.update("blog_post", post, content="nougat")
    await settle(runtime)
    assert await _found(db, "zephyrine") == set()
    assert await _found(db, "oriflamme") == {("creator", creator)}
    assert await _found(db, "lighthouses") == {("project", project)}
    assert await _found(db, "quasar") == set()
    assert await _found(db, "pulsar") == {("asset", asset), ("license", lic)}
    assert await _found(db, "broadcast") == set()
    assert await _found(db, "cinema") == {("license", lic)}
    assert await _found(db, "marzipan nougat") == set()
    assert await _found(db, "nougat") == {("blog_post", post)}

    # Soft deletes leave the index.
    for entity, entity_id in (("creator", creator), ("project", project), ("blog_post", post)):
        assert await content.soft_delete(entity, entity_id)
    await settle(runtime)
    for word in ("oriflamme", "lighthouses", "nougat"):
        assert await _found(db, word) == set()

    # Hard deletes too; an asset takes its license along.
    assert await content.delete("asset", asset)
    await settle(runtime)
    assert await _found(db, "pulsar") == set()
    assert await _found(db, "cinema") == set()
    assert await index_sizes(db) == dict.fromkeys(
        ("asset", "creator", "project", "license", "blog_post"), 0
    )
    assert not await content.update("asset", asset, title="ghost")  # no such row


async def test_index_changes_only_through_the_job(
    db: Database, runtime: JobRuntime, content: ContentService
) -> None:
    # No worker: the write is committed, its update waits, the index has not moved.
    await content.create("project", title="Saltmarsh", description="")
    assert runtime.registry.counts("search-index-update").waiting == 1
    assert await _found(db, "saltmarsh") == set()


async def test_ids_sharing_their_first_64_bits_keep_apart_entries(
    db: Database, runtime: JobRuntime, content: ContentService
) -> None:
    # On SQLite an entry's rowid is its id's first 64 bits; a second id with the same
    # ones takes its hash instead. Both are found, changed and removed on their own.
    prefix = "ab" * 8
    first, second = prefix + "0" * 16, prefix + "f" * 16
    await content.create("project", id=first, title="Twinfirst", description="")
    await content.create("project", id=second, title="Twinsecond", description="")
    await index_many(db, "project", [first, second])
    assert await _found(db, "twinfirst") == {("project", first)}
    assert await _found(db, "twinsecond") == {("project", second)}
    await content.update("project", second, title="Twinchanged")
    await content.delete("project", first)
    counts = await index_many(db, "project", [first, second])
    orphaned = 1 if db.dialect == "sqlite" else 0  # a Postgres vector goes with its row
    assert counts == {"missing": 0, "stale": 1, "soft_deleted": 0, "orphaned": orphaned}
    assert await _found(db, "twin") == {("project", second)}
    assert await _found(db, "twinchanged") == {("project", second)}
    assert (await index_sizes(db))["project"] == 1
