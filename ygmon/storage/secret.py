"""The secret that signs bearer tokens and media URLs.

It is the profile's jwt_secret (YGMON_JWT_SECRET overrides it) and must be at least 32
bytes. A local profile without one gets a generated secret, kept in a 0600 file next to
its database, which `ygmon serve` and `ygmon token` both read.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from ygmon.config import LocalProfile
from ygmon.db import is_sqlite
from ygmon.errors import ConfigError

MIN_SECRET_BYTES = 32
SECRET_FILE = "ygmon-jwt-secret"


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
