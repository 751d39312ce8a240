"""HS256 bearer tokens: the signing secret, issuing (`ygmon token`) and verifying.

The secret is the profile's jwt_secret (YGMON_JWT_SECRET overrides it) and must be at
least 32 bytes. A local profile without one gets a generated secret, kept in a 0600
file next to its database, which `ygmon serve` and `ygmon token` both read.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from sqlalchemy.engine import make_url

from ygmon.api.issues import storable
from ygmon.config import LocalProfile
from ygmon.db import is_sqlite
from ygmon.errors import ConfigError, UnauthorizedError

MIN_SECRET_BYTES = 32
SECRET_FILE = "ygmon-jwt-secret"
ROLES = ("ADMIN", "CREATOR", "BRAND", "VIEWER")


@dataclass(frozen=True)
class Identity:
    user_id: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "ADMIN"


def secret_path(profile: LocalProfile) -> Path:
    """Where the generated secret of a local profile lives: beside its SQLite database,
    else beside its SQLite broker, else in ~/.config/ygmon."""
    for url in (profile.database_url, profile.broker_url):
        if url.startswith("sqlite"):
            database = make_url(url).database if is_sqlite(url) else url[len("sqlite:///") :]
            if database and database != ":memory:":
                return Path(database).expanduser().absolute().parent / SECRET_FILE
    return Path("~/.config/ygmon").expanduser() / SECRET_FILE


def _generated_secret(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def signing_secret(profile: LocalProfile) -> str:
    """The secret to sign and verify with; ConfigError when the configured one is weak."""
    if profile.jwt_secret is not None:
        if len(profile.jwt_secret.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"config error: jwt_secret (or YGMON_JWT_SECRET) must be at least "
                f"{MIN_SECRET_BYTES} bytes, got {len(profile.jwt_secret.encode())}"
            )
        return profile.jwt_secret
    return _generated_secret(secret_path(profile))


def issue_token(secret: str, role: str, user_id: str, ttl: float) -> str:
    now = int(time.time())
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + int(ttl)}
    return jwt.encode(claims, secret, algorithm="HS256")


MAX_SUBJECT = 255
"""The audit log's actor column."""


def verify(secret: str, authorization: str | None) -> Identity:
    """The identity in an `Authorization: Bearer` header, or UnauthorizedError.

    Only HS256 is accepted (so `alg: none` and algorithm confusion fail), `exp` is
    required and checked, and the token must name a user and a role (the caller checks
    that the role is ADMIN).
    """
    if not authorization:
        raise UnauthorizedError("Unauthorized")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("Unauthorized")
    try:
        claims = jwt.decode(
            token.strip(), secret, algorithms=["HS256"], options={"require": ["exp"]}
        )
    except jwt.PyJWTError:
        raise UnauthorizedError("Unauthorized") from None
    user = claims.get("sub") or claims.get("userId") or claims.get("id")
    role = claims.get("role")
    if not isinstance(user, str | int) or not isinstance(role, str):
        raise UnauthorizedError("Unauthorized")
    # The subject goes into audit rows (255 characters of text): one no database
    # stores is no user's, and must not turn an action into a failed audit write.
    if not storable(str(user)) or len(str(user)) > MAX_SUBJECT:
        raise UnauthorizedError("Unauthorized")
    return Identity(str(user), role)
