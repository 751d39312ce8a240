"""Users of the platform and their roles (only ADMIN may use the admin jobs API)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, TimestampMixin, enum_type
from ygmon.enums import UserRole


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(enum_type(UserRole), default=UserRole.VIEWER)
    country: Mapped[str | None] = mapped_column(String(2))
