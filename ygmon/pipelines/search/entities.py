"""docs/CONTRACT.md#searchable-entities: which table, which fields, which weight.

Weights follow Postgres' A-D (title-like fields A, the rest B or C); the FTS5 index
gives the same fields bm25 column weights. `license` borrows its asset's title.
"""

from __future__ import annotations

from dataclasses import dataclass

from ygmon.errors import ConfigError


@dataclass(frozen=True)
class Field:
    name: str
    """Column of the FTS5 table, and key of the document."""
    sql: str
    """SQL over the entity's table (alias `t`, and `a` for a license's asset) giving
    the field's text; JSON lists are read as their words."""
    weight: str
    """Postgres setweight letter."""


@dataclass(frozen=True)
class Entity:
    name: str
    table: str
    fields: tuple[Field, ...]
    join_asset: bool = False
    """The document reads the license's asset (`a`) as well."""

    @property
    def title_field(self) -> Field:
        return self.fields[0]

    @property
    def fts_table(self) -> str:
        return f"search_fts_{self.name}"


BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}


def _own(**weights: str) -> tuple[Field, ...]:
    """Columns of the entity's own table (`t`), in order, with their weights."""
    return tuple(Field(name, f"t.{name}", weight) for name, weight in weights.items())


ENTITIES: tuple[Entity, ...] = (
    Entity("asset", "ip_assets", _own(title="A", tags="B", description="C")),
    Entity("creator", "creators", _own(stage_name="A", specialties="B", bio="C")),
    Entity("project", "projects", _own(title="A", description="B")),
    Entity(
        "license",
        "licenses",
        (Field("asset_title", "a.title", "A"), *_own(license_type="B", scope="C")),
        join_asset=True,
    ),
    Entity("blog_post", "blog_posts", _own(title="A", excerpt="B", content="C")),
)

ENTITY_NAMES: tuple[str, ...] = tuple(e.name for e in ENTITIES)
ENTITIES_BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
LIST_FIELDS = frozenset({"tags", "specialties"})
"""Fields stored as JSON lists of words."""


def indexed_text(field: Field, joined_list: str) -> str:
    """The field's indexed text as SQL: for a JSON list field, its items joined by spaces
    (`joined_list`, the dialect's expression of that around `{sql}`), else the text."""
    if field.name in LIST_FIELDS:
        return joined_list.format(sql=field.sql)
    return f"coalesce({field.sql}, '')"


def entity(name: str) -> Entity:
    """The entity `name`, or ConfigError naming the known ones."""
    try:
        return ENTITIES_BY_NAME[name]
    except KeyError:
        raise ConfigError(
            f"unknown search entity '{name}' (entities: {', '.join(ENTITY_NAMES)})"
        ) from None


def from_clause(ent: Entity) -> str:
    """The FROM of an entity's document query: its table as `t`, a license's asset as `a`."""
    if ent.join_asset:
        return f"{ent.table} t LEFT JOIN ip_assets a ON a.id = t.ip_asset_id"
    return f"{ent.table} t"
